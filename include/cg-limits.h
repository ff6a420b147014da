/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cg-limits.h - limits as users give them (--mem, --pids, --cpu, --cpuset of
 * --launch and --attach, and the dashboard's m, p and c keys): the strings
 * parsed into struct cg_limits, and the v1 or v2 values each becomes
 * (limits.c), and the one way a v1 value is written (through libcgroup, in
 * cg-libcgroup.c).  The dashboard's actions and the launcher both use it; it
 * knows nothing of either.
 */
#ifndef CGTOP_CG_LIMITS_H
#define CGTOP_CG_LIMITS_H

#include <stdbool.h>
#include <stdint.h>

#include "cgroup.h"

#define LIMIT_UNSET UINT64_MAX - 1 /* not given on the command line */

struct cg_limits {
	uint64_t mem_max;      /* bytes, CG_UNLIMITED for "max", LIMIT_UNSET */
	uint64_t mem_high;     /* --mem-high */
	uint64_t swap_max;     /* --swap */
	uint64_t pids_max;     /* --pids */
	uint64_t cpu_quota_us; /* --cpu: quota per period, CG_UNLIMITED, LIMIT_UNSET */
	uint64_t cpu_period_us;
	const char *cpuset; /* --cpuset LIST, or NULL (const: points into argv) */
};

/* Every limit LIMIT_UNSET, cpuset NULL. */
void limits_init(struct cg_limits *l);
/* --mem/--mem-high/--swap SIZE: bytes, K/M/G/T (IEC) or "max" (CG_UNLIMITED). */
int limits_parse_size(const char *s, uint64_t *ret);
/* --pids N: 1..2^63 or "max". */
int limits_parse_pids(const char *s, uint64_t *ret);
/* --cpu CPUS: "0.5", "2", "50%" (of one CPU) or "max"; quota per 100 ms period. */
int limits_parse_cpu(const char *s, uint64_t *ret_quota_us, uint64_t *ret_period_us);
/* --cpuset LIST: "0-3,5" syntax check only. */
int limits_check_cpuset(const char *s);
/* Any limit given? */
bool limits_any(const struct cg_limits *l);

/* The longest value written into a cgroup file: the kernel takes one page in
 * one write (cgroup_kf_ops.atomic_write_len) and refuses more with E2BIG. */
#define CG_KNOB_VALUE_MAX 4096

/* One value to write into a group: file name (without directory) and text. */
struct cg_knob {
	const char *controller; /* "memory", "pids", "cpu", "cpuset" */
	enum cg_ctrl ctrl;      /* the same */
	const char *file;       /* its name in v1 or v2 (cg_knobs) */
	char value[CG_KNOB_VALUE_MAX];
};
/* The most knobs limits_knobs gives: v1 memory, soft limit, memsw, swappiness,
 * pids, cfs period and quota, cpus, mems. */
#define LIMITS_MAX_KNOBS 9
/* The knobs for the given limits, v2 (v1 = false) or v1, in write order.
 * has_memsw: the v1 kernel has memory.memsw.limit_in_bytes. parent_cpus/mems: the
 * v1 cpuset parent's values (a new v1 cpuset group starts empty). Returns the
 * count (at most max: give LIMITS_MAX_KNOBS for all of them), or -E2BIG when a
 * value (a cpuset list) is longer than the kernel takes: never cut short. */
int limits_knobs(const struct cg_limits *l, bool v1, bool has_memsw, const char *parent_cpus,
		 const char *parent_mems, struct cg_knob *out, int max);

/* ---- cg-libcgroup.c ---- */

/* Write VALUE to FILE of the v1 group REL (path below the mount MNT of
 * CONTROLLER's hierarchy; "." the root) through libcgroup, as every v1 limit
 * is written (the launcher's and the dashboard's); -EXDEV when libcgroup sees
 * that controller mounted elsewhere.  0 or -errno. */
int lcg_set_value(const char *mnt, const char *rel, const char *controller, const char *file,
		  const char *value);

#endif
