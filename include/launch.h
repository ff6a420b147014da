/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * launch.h - `cgtop --launch` (run a command in a new limited, namespaced
 * group and report its fate) and `cgtop --attach` (put a running process
 * under limits).  Issue #4.
 *
 * Module map (one job per file):
 *   launch-options.c  the --launch / --attach command line -> struct launch_spec
 *   limits.c          SIZE, --cpu, --pids strings -> struct cg_limits; v1/v2 knobs
 *   cg-libcgroup.c    the only file that includes <libcgroup.h>: create, set, attach, delete
 *   launch.c          parent side: group, clone3(CLONE_INTO_CGROUP) or clone + release,
 *                     wait, signal forwarding, fate report, clean-up
 *   launch-child.c    between clone and exec: async-signal-safe only
 *   launch-init.c     pid 1 of a new pid namespace: reap orphans, forward signals
 *   launch-net.c      the only file that includes <libmnl/libmnl.h>: lo up, veth
 *   launch-caps.c     the only file that includes <sys/capability.h>: drop / keep caps
 *   attach.c          --attach PID
 */
#ifndef CGTOP_LAUNCH_H
#define CGTOP_LAUNCH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Exit statuses of --launch, as a shell gives them. */
enum {
	LAUNCH_EXIT_CANNOT_EXEC = 126,
	LAUNCH_EXIT_NOT_FOUND = 127,
};

#define LIMIT_UNSET UINT64_MAX - 1 /* not given on the command line */

struct cg_limits {
	uint64_t mem_max;      /* bytes, CG_UNLIMITED for "max", LIMIT_UNSET */
	uint64_t mem_high;     /* --mem-high */
	uint64_t swap_max;     /* --swap */
	uint64_t pids_max;     /* --pids */
	uint64_t cpu_quota_us; /* --cpu: quota per period, CG_UNLIMITED, LIMIT_UNSET */
	uint64_t cpu_period_us;
	char *cpuset;          /* --cpuset LIST, or NULL */
};

/* Namespaces, as CLONE_NEW* bits. */
enum launch_ns {
	NS_PID = 1 << 0,
	NS_NET = 1 << 1,
	NS_MNT = 1 << 2,
	NS_IPC = 1 << 3,
	NS_UTS = 1 << 4,
	NS_USER = 1 << 5,
	NS_CGROUP = 1 << 6,
	NS_TIME = 1 << 7,
	NS_DEFAULT = NS_PID | NS_MNT | NS_IPC | NS_UTS | NS_CGROUP,
};

struct launch_spec {
	bool attach;                 /* --attach PID rather than --launch CMD */
	struct cg_limits limits;
	unsigned ns;                 /* enum launch_ns */
	const char *name;            /* --name, default launch-<pid> */
	const char *parent;          /* --parent PATH | "self", default "/cgtop" */
	bool keep;                   /* --keep */
	const char *report;          /* --report FILE | "-" */
	const char *hostname;        /* --hostname */
	const char *veth;            /* --veth HOST_ADDR/PREFIX */
	bool drop_caps;              /* --drop-caps */
	const char *caps;            /* --caps LIST */
	bool have_user;              /* --user UID[:GID] */
	uid_t uid;
	gid_t gid;
	char **argv;                 /* CMD ARGS..., NULL-terminated */
	/* --attach */
	pid_t pid;
	const char *group;           /* --group PATH */
	bool tree;                   /* --tree */
	bool force;                  /* --force */
	const char *sysroot;         /* for tests; normally NULL */
};

/* Parse argv (the whole command line) when it holds --launch or --attach.
 * Returns 1 if this is a launch or attach command line (spec filled), 0 if
 * not (the caller goes on with the other modes), or -EINVAL after printing one
 * line naming the bad value (exit status 2). */
int launch_options_parse(int argc, char **argv, struct launch_spec *spec);

/* Run it; returns the exit status for cgtop. */
int launch_main(struct launch_spec *spec);
int attach_main(struct launch_spec *spec);

#endif
