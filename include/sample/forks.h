/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * forks.h - forks per second per group: the proc connector's forks
 * (procconn.h), each counted in the group of the parent that forked.
 */
#ifndef CGTOP_FORKS_H
#define CGTOP_FORKS_H

#include "sample/procconn.h"
#include "sample/sampler.h"

struct forks {
	struct procconn pc;
	bool wanted;           /* the column is shown */
	uint64_t last_usec;    /* sample time of the last attribution, 0 none */
	uint64_t unattributed; /* forks whose parent was gone or in no shown group */
	struct buf scratch;    /* /proc/PID/cgroup */
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

#endif
