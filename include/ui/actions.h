/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * actions.h - what the dashboard does to an existing group: set its memory or
 * pids limit, attach a process, freeze or thaw it, kill every process in it.
 * v1 knobs go through libcgroup (cg-libcgroup.c), v2 files directly.  Each
 * call returns 0 with one line for the status line in done (size bytes): what
 * was done; or -errno with what went wrong in plain words in err (EBUSY:
 * "below usage"; err may be NULL).  Nothing here prints.
 */
#ifndef CGTOP_ACTIONS_H
#define CGTOP_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/cg-error.h"
#include "cgroup/cgroup.h"

/* value: a SIZE ("64M", "1.5G", "max") for memory, a count or "max" for pids;
 * a malformed value is -EINVAL with a message naming it, nothing written. */
int action_set_mem_max(const struct cg_tree *t, const struct cg_node *n, const char *value, char *done,
		       size_t size, struct cg_error *err);
int action_set_pids_max(const struct cg_tree *t, const struct cg_node *n, const char *value, char *done,
			size_t size, struct cg_error *err);
/* Move process pid (all its threads) into the group in every hierarchy it has. */
int action_attach(const struct cg_tree *t, const struct cg_node *n, const char *pid, char *done, size_t size,
		  struct cg_error *err);
/* v2 cgroup.freeze, v1 freezer.state.  *ret: the current state. */
int action_frozen(const struct cg_tree *t, const struct cg_node *n, bool *ret);
int action_freeze(const struct cg_tree *t, const struct cg_node *n, bool freeze, char *done, size_t size,
		  struct cg_error *err);
/* v2 cgroup.kill; v1: freeze, SIGKILL every task, thaw. */
int action_kill(const struct cg_tree *t, const struct cg_node *n, char *done, size_t size,
		struct cg_error *err);

#endif
