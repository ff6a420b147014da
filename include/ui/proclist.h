/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proclist.h - the processes of one group for the detail view: pid, command,
 * RSS and state from /proc/PID/stat and /proc/PID/statm (parsing apart from I/O).
 *
 * The pids come from cgroup.procs of the group in the hierarchy that counts
 * its tasks (cg_node_tasks_hier()), opened from that hierarchy's root fd; /proc is the
 * one under the tree's sysroot.  The parsers take a buffer and its length and
 * never touch the filesystem.
 */
#ifndef CGTOP_PROCLIST_H
#define CGTOP_PROCLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/fileio.h"
#include "base/parse.h"
#include "cgroup/cgroup.h"

struct proclist {
	struct proc_info *procs; /* sorted by RSS, largest first */
	unsigned n, size;        /* kept, allocated */
	unsigned total;          /* pids listed in cgroup.procs (n may be less: max) */
	int err;                 /* of the last read: 0, or -errno (no tasks hierarchy,
	                             * group gone, ...) */
	int proc_fd;             /* <sysroot>/proc, -1 until first used */
	char *proc_sysroot;      /* the sysroot proc_fd was opened for */
	struct buf pids, file;   /* scratch */
	long page_kib;
};

void proclist_init(struct proclist *pl);
void proclist_free(struct proclist *pl);
/* Read the processes of n (at most max of them, the largest RSS kept; a
 * process that exits meanwhile is skipped).  Returns 0 or -errno, also kept
 * in pl->err: -ENOENT when n is in no hierarchy that counts tasks, or the
 * error of reading cgroup.procs (-ENOENT / -ENODEV: the group is gone). */
int proclist_read(struct proclist *pl, const struct cg_tree *t, const struct cg_node *n, unsigned max);

#endif
