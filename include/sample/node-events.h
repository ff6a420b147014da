/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * node-events.h - what the events tracker (events.c) keeps per group: each kill / rejection
 * counter's value at first sight, and the events seen in the kernel log and reported from
 * the counter since.  The event columns (column-value.c) read it.
 */
#ifndef CGTOP_NODE_EVENTS_H
#define CGTOP_NODE_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "cgroup/cgroup.h"
#include "sample/forker.h"

/* Bits of node_events.base_valid: the counter has its base. */
#define EV_BASE_OOM 1
#define EV_BASE_PIDS 2

struct ev_counter {
	uint64_t base;          /* the counter at first sight */
	uint64_t kmsg;          /* events the kernel log gave since */
	uint64_t counter;       /* events reported from the counter alone since */
	uint64_t pending_since; /* iteration an unexplained rise was first seen, 0 none */
};

/* Allocated by events.c the first time it looks at a group (a tool that tracks no events
 * allocates none), freed with the node. */
struct node_events {
	uint8_t base_valid; /* EV_BASE_* */
	struct ev_counter oom, pids;
	struct storm_state fork_storm; /* its fork rate is above the storm threshold */
};

/* Group n's counter (bit: EV_BASE_*) once it has its base, else NULL; a counter
 * whose base was 0 at first sight with nothing since is a zero one, which needs
 * no state of the group's (n->ev_zero). */
static inline const struct ev_counter *node_events_counter(const struct cg_node *n, int bit)
{
	static const struct ev_counter zero;

	if (!n->ev)
		return n->ev_zero & bit ? &zero : NULL;
	if (!(n->ev->base_valid & bit))
		return NULL;
	return bit == EV_BASE_OOM ? &n->ev->oom : &n->ev->pids;
}

#endif
