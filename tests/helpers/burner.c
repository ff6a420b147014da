/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * burner - test helper for the live tests: spins on the CPU until it is killed
 * or until SECONDS (default 30) have passed, so a forgotten burner cannot run
 * for long.  It dies with its parent (PR_SET_PDEATHSIG).  Usage: burner [SECONDS]
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long secs = 30, spins = 0;
	struct timespec start, now;
	char *end;

	if (argc > 2) {
		fprintf(stderr, "usage: burner [SECONDS]\n");
		return 2;
	}
	if (argc == 2) {
		errno = 0;
		secs = strtoul(argv[1], &end, 10);
		if (errno || end == argv[1] || *end || argv[1][0] == '-') {
			fprintf(stderr, "usage: burner [SECONDS]\n");
			return 2;
		}
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() == 1)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		volatile unsigned long x = 0;

		for (x = 0; x < 1000000; x++)
			;
		spins++;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((unsigned long)(now.tv_sec - start.tv_sec) >= secs)
			break;
	}
	return spins ? 0 : 1;
}
