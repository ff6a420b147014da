/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memhog - test helper for the live tests: allocates N MiB of anonymous memory,
 * writes to every page so the memory cgroup is charged for it, prints "ready",
 * then sleeps until it is killed (or until the optional SECONDS have passed).
 * It dies with its parent (PR_SET_PDEATHSIG), so a killed test leaves nothing.
 * Usage: memhog MIB [SECONDS]
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

static int parse_ulong(const char *s, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-')
		return -EINVAL;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long mib, secs = 0;
	long page = sysconf(_SC_PAGESIZE);
	size_t len, off;
	char *p;

	if (argc < 2 || argc > 3 || parse_ulong(argv[1], &mib) ||
	    (argc == 3 && parse_ulong(argv[2], &secs))) {
		fprintf(stderr, "usage: memhog MIB [SECONDS]\n");
		return 2;
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() == 1)
		return 1;
	len = (size_t)mib << 20;
	p = mmap(NULL, len ? len : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "memhog: mmap %lu MiB: %s\n", mib, strerror(errno));
		return 1;
	}
	for (off = 0; off < len; off += (size_t)page)
		p[off] = (char)(off / (size_t)page + 1);
	printf("ready\n");
	fflush(stdout);
	if (secs) {
		while (secs)
			secs = sleep((unsigned int)secs);
		return 0;
	}
	for (;;)
		pause();
}
