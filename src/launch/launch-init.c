/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * launch-init.c - pid 1 of the new pid namespace of `cgtop --launch --init`:
 * reaps every orphan that is reparented to it, forwards the signals cgtop
 * passes on (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2) to the
 * command, and returns the command's wait status once it ends.  pid 1 of a
 * namespace gets no signal it has no handler for, hence the explicit wait.
 */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch/launch.h"

int launch_init_run(pid_t child)
{
	sigset_t set;
	int status = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (;;) {
		siginfo_t si;
		pid_t p;
		int st;

		/* reap everything that has ended: the command and orphans */
		while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
			if (p == child)
				status = st, child = 0;
		}
		if (p < 0 && errno == ECHILD)
			return status;
		if (!child) {
			/* the command is gone: the rest of the namespace dies with us */
			return status;
		}
		if (sigwaitinfo(&set, &si) < 0)
			continue;
		if (si.si_signo != SIGCHLD)
			kill(child, si.si_signo);
	}
}
