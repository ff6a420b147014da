/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rusage - run a command and write what it cost as a whole process to a file: CPU time
 * (user + system, including any children it reaped) in microseconds, peak RSS in KiB (both
 * from wait4's rusage, the numbers GNU time's %U %S %M print, without their 10 ms rounding),
 * wall time in microseconds and the exit status. bench/run.sh builds it on the fly
 * (cc -O2 bench/rusage.c) and falls back to /usr/bin/time without it; it is not installed.
 *
 *   rusage OUTFILE CMD [ARG...]     OUTFILE gets "cpu_us maxrss_kb wall_us status"
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static long long tv_us(struct timeval tv)
{
	return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

int main(int argc, char **argv)
{
	struct rusage ru;
	long long t0, t1;
	int status, rc;
	FILE *f;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: rusage OUTFILE CMD [ARG...]\n");
		return 2;
	}
	t0 = now_us();
	pid = fork();
	if (pid < 0) {
		perror("rusage: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "rusage: cannot run %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("rusage: wait4");
			return 1;
		}
	}
	t1 = now_us();
	if (WIFEXITED(status))
		rc = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		rc = 128 + WTERMSIG(status);
	else
		rc = 1;
	f = fopen(argv[1], "w");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fprintf(f, "%lld %ld %lld %d\n", tv_us(ru.ru_utime) + tv_us(ru.ru_stime), ru.ru_maxrss,
		t1 - t0, rc);
	if (fclose(f)) {
		perror(argv[1]);
		return 1;
	}
	return rc;
}
