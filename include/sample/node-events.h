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

#endif
