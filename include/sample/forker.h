/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * forker.h - a parent that forked, and the parents that forked most in one group: what the
 * proc connector (forks.c) keeps per group for the fork storm and fork rejection events.
 */
#ifndef CGTOP_FORKER_H
#define CGTOP_FORKER_H

#include <stdbool.h>
#include <stdint.h>

/* A parent that forked: the fork storm and fork rejection events name the ones that forked
 * most in the group (forks.h), largest first. */
#define EV_FORKERS_MAX 5
struct ev_forker {
	int64_t pid;    /* the parent's tgid */
	uint64_t forks; /* its forks in the span the event gives */
	bool exited;    /* gone before it was looked at: its group and comm are its last child's */
	char comm[16];  /* /proc/PID/comm (TASK_COMM_LEN), "" unknown */
};

/* The parents that forked most in a group, in the last interval in which it forked (of
 * span_usec, ending at monotonic time usec).  Allocated by forks.c for a group the first time
 * one of its processes forks (most groups never do), freed with the node. */
struct node_forkers {
	unsigned n;
	struct ev_forker top[EV_FORKERS_MAX];
	uint64_t usec, span_usec;
	/* the group's forks in the last interval, per second over it, and
	 * since the connector was opened */
	uint64_t forks, total;
	double per_sec;
};

/* A group's fork storm (forks_storm_step): on from the sample whose rate reaches the
 * threshold until the rate has stayed below half of it for FORKS_STORM_QUIET_USEC. */
#define FORKS_STORM_QUIET_USEC (5 * 1000000ULL)
struct storm_state {
	bool on;
	uint64_t quiet_since; /* monotonic time the rate fell below half, 0 not below */
};

#endif
