/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * actions.h - what the dashboard does to an existing group: set its memory or
 * pids limit, attach a process, freeze or thaw it, kill every process in it.
 * v1 knobs go through libcgroup (cg-libcgroup.c), v2 files directly.  Each
 * call returns 0 or -errno and writes one line for the status line into msg:
 * what was done, or what went wrong in plain words (EBUSY: "below usage").
 * Nothing here prints.
 */
#ifndef CGTOP_ACTIONS_H
#define CGTOP_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cgroup.h"

/* value: a SIZE ("64M", "1.5G", "max") for memory, a count or "max" for pids;
 * a malformed value is -EINVAL with a message naming it, nothing written. */
int action_set_mem_max(const struct cg_tree *t, const struct cg_node *n, const char *value, char *msg,
		       size_t size);
int action_set_pids_max(const struct cg_tree *t, const struct cg_node *n, const char *value, char *msg,
			size_t size);
/* Move process pid (all its threads) into the group in every hierarchy it has. */
int action_attach(const struct cg_tree *t, const struct cg_node *n, const char *pid, char *msg,
		  size_t size);
/* v2 cgroup.freeze, v1 freezer.state.  *ret: the current state. */
int action_frozen(const struct cg_tree *t, const struct cg_node *n, bool *ret);
int action_freeze(const struct cg_tree *t, const struct cg_node *n, bool freeze, char *msg, size_t size);
/* v2 cgroup.kill; v1: freeze, SIGKILL every task, thaw. */
int action_kill(const struct cg_tree *t, const struct cg_node *n, char *msg, size_t size);

#endif
