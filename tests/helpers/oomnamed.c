/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * oomnamed - helper of tests/tools/capture-kmsg.sh: renames itself (comm, via
 * PR_SET_NAME, at most 15 bytes, any bytes such as spaces, commas,
 * parentheses, UTF-8 or backslashes) so the kernel's OOM and pids messages
 * carry awkward names, prints "pid=N comm=NAME", then does one thing:
 *   oomnamed NAME MIB        touch MIB MiB, 1 MiB at a time (gets OOM-killed
 *                            in a smaller memory group), then print "done"
 *   oomnamed NAME hold MIB   touch MIB MiB, print "ready", sleep until killed
 *   oomnamed NAME fork N     fork N sleeping children, print "forked=K
 *                            failed=F errno=E", kill the children, exit 0
 *   oomnamed NAME segv       fault on address 0 (a real, unrelated kernel
 *                            "segfault at 0" line; no core dump)
 * It dies with its parent (PR_SET_PDEATHSIG), so nothing outlives the script.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CHILDREN 1024

static pid_t children[MAX_CHILDREN];

static int parse_ulong(const char *s, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-')
		return -EINVAL;
	return 0;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* Touch mib MiB; step 1 MiB so the charge (and the OOM) happens gradually. */
static int touch_mib(unsigned long mib)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long i;
	size_t off;

	for (i = 0; i < mib; i++) {
		char *p = mmap(NULL, 1UL << 20, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			fprintf(stderr, "oomnamed: mmap: %s\n", strerror(errno));
			return -errno;
		}
		for (off = 0; off < (1UL << 20); off += (size_t)page)
			p[off] = (char)(i + 1);
	}
	return 0;
}

static int do_fork(unsigned long n)
{
	unsigned long i, forked = 0, failed = 0;
	int err = 0;
	pid_t parent = getpid();

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			failed++;
			err = errno;
			continue;
		}
		if (pid == 0) {
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
				_exit(1);
			for (;;)
				pause();
		}
		children[forked++] = pid;
	}
	say("forked=%lu failed=%lu errno=%d (%s)\n", forked, failed, err, err ? strerror(err) : "none");
	for (i = 0; i < forked; i++)
		kill(children[i], SIGKILL);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long n;
	char comm[17] = "";

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: oomnamed NAME MIB | NAME hold MIB | NAME fork N | NAME segv\n");
		return 2;
	}
	if (strlen(argv[1]) > 15) {
		fprintf(stderr, "oomnamed: name longer than 15 bytes: %s\n", argv[1]);
		return 2;
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() == 1)
		return 1;
	if (prctl(PR_SET_NAME, argv[1]) < 0 || prctl(PR_GET_NAME, comm) < 0) {
		fprintf(stderr, "oomnamed: PR_SET_NAME: %s\n", strerror(errno));
		return 1;
	}
	say("pid=%d comm=%s\n", (int)getpid(), comm);

	if (argc == 3 && !strcmp(argv[2], "segv")) {
		volatile uintptr_t bad = 0;	/* hidden from the compiler */

		prctl(PR_SET_DUMPABLE, 0);
		*(volatile int *)bad = 1;
		return 1;
	}
	if (argc == 3) {
		if (parse_ulong(argv[2], &n))
			return 2;
		if (touch_mib(n))
			return 1;
		say("done\n");
		return 0;
	}
	if (parse_ulong(argv[3], &n))
		return 2;
	if (!strcmp(argv[2], "hold")) {
		if (touch_mib(n))
			return 1;
		say("ready\n");
		for (;;)
			pause();
	}
	if (!strcmp(argv[2], "fork")) {
		if (n > MAX_CHILDREN)
			return 2;
		return do_fork(n);
	}
	fprintf(stderr, "oomnamed: unknown mode %s\n", argv[2]);
	return 2;
}
