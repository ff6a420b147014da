/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * netcaps - test helper for tests/live/launch-priv.sh: runs one function of
 * launch-priv.h (libmnl network set-up, libcap privileges) in the namespaces
 * it was started in, prints "rc=0" or "rc=-ERRNO (message)", and then
 * either exits, waits until it is killed (-w: prints "ready" first, so the
 * test can look into its network namespace), or execs a command (caps).
 * It dies with its parent (PR_SET_PDEATHSIG), so a killed test leaves nothing.
 * Usage: netcaps [-w] [-l] OP ARGS...
 *   -w                                  print "ready" and sleep after success
 *   -l                                  bring lo up first (launch_net_lo_up)
 *   hold                                nothing
 *   lo-up                               launch_net_lo_up()
 *   veth-host HOST_IF PEER_IF PID A/P   launch_net_veth_host()
 *   veth-child PEER_IF A/P              launch_net_veth_child()
 *   veth-del HOST_IF                    launch_net_veth_del()
 *   caps drop|LIST [CMD ARGS...]        launch_caps_apply(), print the own
 *                                       Cap* and NoNewPrivs lines of
 *                                       /proc/self/status as "self ...", exec CMD
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "launch/launch-priv.h"

static void usage(void)
{
	fprintf(stderr, "usage: netcaps [-w] [-l] hold|lo-up|veth-host|veth-child|veth-del|caps ...\n");
	exit(2);
}

static int report(int r)
{
	if (r < 0)
		printf("rc=%d (%s)\n", r, strerror(-r));
	else
		printf("rc=%d\n", r);
	fflush(stdout);
	return r;
}

static int parse_veth(const char *s, struct veth_addr *a)
{
	if (launch_net_parse_veth(s, a) < 0) {
		fprintf(stderr, "netcaps: bad address '%s'\n", s);
		exit(2);
	}
	return 0;
}

static void print_status(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "re");

	if (!f) {
		perror("netcaps: /proc/self/status");
		exit(1);
	}
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "Cap", 3) == 0 || strncmp(line, "NoNewPrivs:", 11) == 0)
			printf("self %s", line);
	fclose(f);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct veth_addr a;
	struct caps_spec c = { 0 };
	const char *bad, *op;
	bool wait = false, lo = false;
	char *end;
	long pid;
	int i = 1, r = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		return 1; /* the parent is gone already */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-w") == 0)
			wait = true;
		else if (strcmp(argv[i], "-l") == 0)
			lo = true;
		else
			usage();
	}
	if (i >= argc)
		usage();
	op = argv[i++];
	argc -= i;
	argv += i;

	if (lo && report(launch_net_lo_up()) < 0)
		return 1;
	if (strcmp(op, "hold") == 0 && argc == 0) {
		r = 0;
	} else if (strcmp(op, "lo-up") == 0 && argc == 0) {
		r = report(launch_net_lo_up());
	} else if (strcmp(op, "veth-host") == 0 && argc == 4) {
		errno = 0;
		pid = strtol(argv[2], &end, 10);
		if (errno || end == argv[2] || *end)
			usage();
		parse_veth(argv[3], &a);
		r = report(launch_net_veth_host(argv[0], argv[1], (pid_t)pid, &a));
	} else if (strcmp(op, "veth-child") == 0 && argc == 2) {
		parse_veth(argv[1], &a);
		r = report(launch_net_veth_child(argv[0], &a));
	} else if (strcmp(op, "veth-del") == 0 && argc == 1) {
		r = report(launch_net_veth_del(argv[0]));
	} else if (strcmp(op, "caps") == 0 && argc >= 1) {
		if (strcmp(argv[0], "drop") == 0) {
			c.drop_all = true;
		} else if (launch_caps_parse(argv[0], &c, &bad) < 0) {
			fprintf(stderr, "netcaps: bad capability '%s' in '%s'\n", bad, argv[0]);
			return 2;
		}
		r = report(launch_caps_apply(&c));
		if (r < 0)
			return 1;
		print_status();
		if (argc > 1) {
			execvp(argv[1], argv + 1);
			fprintf(stderr, "netcaps: exec %s: %s\n", argv[1], strerror(errno));
			return errno == ENOENT ? 127 : 126;
		}
	} else {
		usage();
	}
	if (r < 0)
		return 1;
	if (wait) {
		printf("ready\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	return 0;
}
