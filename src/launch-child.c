/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * launch-child.c - the launched child between clone and exec: wait to be
 * released (the parent has put it into every hierarchy's group and written
 * its id maps by then), die with cgtop (PR_SET_PDEATHSIG), make mounts
 * private and mount a fresh /proc in a new pid namespace, set the hostname,
 * bring the network up, optionally start the reaper as pid 1, switch user,
 * drop capabilities and exec.  Async-signal-safe calls only: no malloc, no
 * stdio.  A failing step writes {step, errno} to the CLOEXEC status pipe.
 */
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch.h"
#include "launch-priv.h"

const char *launch_step_name(int step)
{
	switch (step) {
	case STEP_RELEASE: return "waiting for the parent";
	case STEP_MOUNT_PRIVATE: return "making mounts private";
	case STEP_MOUNT_PROC: return "mounting /proc";
	case STEP_HOSTNAME: return "setting the hostname";
	case STEP_NET: return "setting up the network";
	case STEP_FORK_INIT: return "starting the command under the reaper";
	case STEP_SETGROUPS: return "setgroups";
	case STEP_SETGID: return "setgid";
	case STEP_SETUID: return "setuid";
	case STEP_CAPS: return "dropping capabilities";
	case STEP_EXEC: return "exec";
	default: return "setup";
	}
}

static _Noreturn void fail(struct launch_child *c, int step, int err, int code)
{
	struct launch_status st = { step, err };
	ssize_t n;

	n = write(c->status_fd, &st, sizeof(st));
	(void)n;
	_exit(code);
}

static void exec_cmd(struct launch_child *c)
{
	const struct launch_spec *s = c->spec;
	int r;

	if (s->have_user) {
		/* keep the permitted set over setuid so the caps step can still drop
		 * the bounding set (needs CAP_SETPCAP) */
		if (c->have_caps)
			prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
		if (setgroups(1, &s->gid) < 0)
			fail(c, STEP_SETGROUPS, errno, 126);
		if (setresgid(s->gid, s->gid, s->gid) < 0)
			fail(c, STEP_SETGID, errno, 126);
		if (setresuid(s->uid, s->uid, s->uid) < 0)
			fail(c, STEP_SETUID, errno, 126);
	}
	if (c->have_caps) {
		r = launch_caps_apply(&c->caps);
		if (r < 0)
			fail(c, STEP_CAPS, -r, 126);
	}
	sigprocmask(SIG_SETMASK, &c->old_mask, NULL);
	execvp(s->argv[0], s->argv);
	fail(c, STEP_EXEC, errno,
	     errno == ENOENT || errno == ENOTDIR ? LAUNCH_EXIT_NOT_FOUND : LAUNCH_EXIT_CANNOT_EXEC);
}

_Noreturn void launch_child_run(struct launch_child *c)
{
	const struct launch_spec *s = c->spec;
	char go = 0;
	ssize_t n;
	int r;

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	/* the parent writes 'G' once we are in the groups; EOF means it gave up or
	 * died (getppid() says nothing useful in a new pid namespace) */
	do
		n = read(c->release_fd, &go, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1 || go != 'G')
		_exit(1);
	close(c->release_fd);

	if (s->ns & NS_MNT) {
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			fail(c, STEP_MOUNT_PRIVATE, errno, 126);
		if ((s->ns & NS_PID) &&
		    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
			fail(c, STEP_MOUNT_PROC, errno, 126);
	}
	if ((s->ns & NS_UTS) && s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
		fail(c, STEP_HOSTNAME, errno, 126);
	if (s->ns & NS_NET) {
		r = c->have_veth ? launch_net_veth_child(c->peer_if, &c->veth) : launch_net_lo_up();
		if (r < 0)
			fail(c, STEP_NET, -r, 126);
	}
	if ((s->ns & NS_PID) && s->init) {
		pid_t pid = fork();
		int st;

		if (pid < 0)
			fail(c, STEP_FORK_INIT, errno, 126);
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
			exec_cmd(c);
		}
		close(c->status_fd); /* the command holds the pipe until its exec */
		st = launch_init_run(pid);
		if (WIFSIGNALED(st)) {
			/* die the same way, so cgtop reports the signal (pid 1 cannot
			 * be killed by its own signals: exit 128+N then) */
			_exit(128 + WTERMSIG(st));
		}
		_exit(WEXITSTATUS(st));
	}
	exec_cmd(c);
	_exit(126);
}
