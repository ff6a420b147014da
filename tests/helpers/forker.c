/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * forker - test helper for the live tests: starts N children that sleep until
 * they are killed, prints "ready" once all of them exist, and waits.  On
 * SIGTERM or SIGINT it kills its children and exits; the children and the
 * forker itself die with their parent (PR_SET_PDEATHSIG), so nothing is left
 * behind when a test is killed.  Usage: forker N
 * With -t (try): forker -t N attempts N forks, counting the ones the kernel
 * refuses instead of giving up at the first, prints "rejected K", and waits.
 * With -r (rate): forker -r N forks N children a second, each exiting at once,
 * on a fixed schedule (a late fork does not shift the next), until killed.
 */
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CHILDREN 4096

static pid_t children[MAX_CHILDREN];
static unsigned long nchildren;

static void kill_children_and_exit(int status)
{
	unsigned long i;

	for (i = 0; i < nchildren; i++)
		kill(children[i], SIGKILL);
	_exit(status);
}

static void on_signal(int sig)
{
	kill_children_and_exit(sig == SIGTERM || sig == SIGINT ? 0 : 1);
}

/* N forks a second of children that exit at once, reaped as they go; at
 * most N: a fork that comes late (a loaded host) moves the schedule, so the
 * forks missed are not made up in a burst */
static int fork_rate(unsigned long n)
{
	struct timespec next, now;

	clock_gettime(CLOCK_MONOTONIC, &next);
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > next.tv_sec || (now.tv_sec == next.tv_sec && now.tv_nsec > next.tv_nsec))
			next = now;
		next.tv_nsec += (long)(1000000000ul / n);
		while (next.tv_nsec >= 1000000000l) {
			next.tv_nsec -= 1000000000l;
			next.tv_sec++;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	unsigned long n, i, rejected = 0;
	char *end;
	pid_t parent = getpid();
	bool try_all = argc == 3 && strcmp(argv[1], "-t") == 0;
	bool rate = argc == 3 && strcmp(argv[1], "-r") == 0;

	if (try_all || rate) {
		argv++;
		argc--;
	}
	errno = 0;
	n = argc == 2 ? strtoul(argv[1], &end, 10) : 0;
	if (argc != 2 || errno || end == argv[1] || *end || argv[1][0] == '-' || n > MAX_CHILDREN) {
		fprintf(stderr, "usage: forker [-t|-r] N (N <= %d)\n", MAX_CHILDREN);
		return 2;
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() == 1)
		return 1;
	if (rate)
		return n ? fork_rate(n) : 2;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0 && try_all) {
			rejected++;
			usleep(10000);
			continue;
		}
		if (pid < 0) {
			fprintf(stderr, "forker: fork %lu: %s\n", i + 1, strerror(errno));
			kill_children_and_exit(1);
		}
		if (pid == 0) {
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
				_exit(1);
			for (;;)
				pause();
		}
		children[nchildren++] = pid;
	}
	if (try_all)
		printf("rejected %lu\n", rejected);
	printf("ready\n");
	fflush(stdout);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}
