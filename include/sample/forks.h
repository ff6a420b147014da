/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * forks.h - forks per second per group: the proc connector's forks
 * (procconn.h), each counted in the group of the parent that forked.
 */
#ifndef CGTOP_FORKS_H
#define CGTOP_FORKS_H

#include "sample/forker.h"
#include "sample/procconn.h"
#include "sample/sampler.h"

struct forks {
	struct procconn pc;
	bool wanted;           /* the column is shown */
	uint64_t last_usec;    /* sample time of the last attribution, 0 none */
	uint64_t unattributed; /* forks whose parent was gone or in no shown group */
	struct buf scratch;    /* /proc/PID/cgroup */
	/* the group of each parent of this interval, looked up when its first fork was read
	 * (a parent and its children may all be gone by the sample): 1 + the offset of the
	 * path in groups, 0 not known; by slot of pc.parents */
	bool hier_known; /* the hierarchy to look in, from the last forks_attribute() */
	bool hier_v2;
	int hier_id;
	struct buf groups;
	uint32_t *group_at; /* [PC_PARENTS] while the connector is open */
	char path[4096];
};

/* Start counting when the column is wanted (needs & NEED_FORKS) on the live
 * system (sysroot NULL or "/").  When the connector cannot be opened, says
 * why in one line on stderr (unless quiet) and the values stay null. */
void forks_init(struct forks *f, unsigned needs, const char *sysroot, bool quiet);
void forks_done(struct forks *f);
/* The socket to poll for events, -1 when off. */
int forks_fd(const struct forks *f);
/* Read the events that came (non-blocking, bounded). */
void forks_poll(struct forks *f);
/* After a sample: each group's forks per second since the previous one, from
 * the forks counted meanwhile by parent; then start a new interval. */
void forks_attribute(struct forks *f, struct sampler *s);
/* Add to top (n entries, sorted, largest first) the parents that forked in group g
 * or below it since the last sample (forks_attribute), reading what the connector
 * holds first.  A lookup of each forking parent's group: for a rare event (the
 * kernel's fork rejection line), never per fork.  Returns the entries in top now;
 * *span_usec is the time since the last sample. */
unsigned forks_top_now(struct forks *f, const struct cg_tree *t, const struct cg_node *g,
		       struct ev_forker *top, unsigned n, uint64_t *span_usec);

/* forks-top.c: the list of the parents that forked most (EV_FORKERS_MAX, largest
 * first).  Whether a parent with forks would enter a list of n: */
bool forks_top_enters(const struct ev_forker *top, unsigned n, uint64_t forks);
/* Add x (or add its forks to its entry): returns whether it is on the list. */
bool forks_top_add(struct ev_forker *top, unsigned *n, const struct ev_forker *x);
/* A group's fork rate against the storm threshold (forks a second, 0 off): true
 * when a storm starts; *on stays set until the rate falls below half the threshold. */
bool forks_storm_step(struct storm_state *st, double rate, double threshold, uint64_t now_usec);

#endif
