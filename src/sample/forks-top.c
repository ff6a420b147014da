/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * forks-top.c - the parents that forked most in a group: a short list kept
 * sorted, largest first, in fixed space (a storm of thousands of parents
 * costs no allocation), and the storm threshold's crossing.  Pure: the proc
 * connector's counts come in from forks.c, so the rules are unit-tested.
 */
#include <string.h>

#include "sample/forks.h"

bool forks_top_enters(const struct ev_forker *top, unsigned n, uint64_t forks)
{
	return forks > 0 && (n < EV_FORKERS_MAX || forks > top[n - 1].forks);
}

bool forks_top_add(struct ev_forker *top, unsigned *n, const struct ev_forker *x)
{
	unsigned i;

	if (x->forks == 0)
		return false;
	for (i = 0; i < *n && top[i].pid != x->pid; i++)
		;
	if (i < *n) {
		/* the same parent again (counted in two spans): one entry */
		top[i].forks += x->forks;
		if (!top[i].comm[0])
			memcpy(top[i].comm, x->comm, sizeof(top[i].comm));
	} else if (*n < EV_FORKERS_MAX) {
		top[(*n)++] = *x;
	} else if (x->forks > top[*n - 1].forks) {
		i = *n - 1; /* the smallest makes room */
		top[i] = *x;
	} else {
		return false;
	}
	top[i].comm[sizeof(top[i].comm) - 1] = '\0';
	/* move it up to its place; a tie keeps the earlier first */
	for (; i > 0 && top[i].forks > top[i - 1].forks; i--) {
		struct ev_forker t = top[i];

		top[i] = top[i - 1];
		top[i - 1] = t;
	}
	return true;
}

bool forks_storm_step(struct storm_state *st, double rate, double threshold, uint64_t now_usec)
{
	if (threshold <= 0 || rate < 0)
		return false;
	if (st->on) {
		/* over when the rate has stayed below half the threshold for a
		 * while: a storm that wavers around it, or one whose forker
		 * missed a sample on a loaded host, is one storm, not one event
		 * a second */
		if (rate >= threshold / 2)
			st->quiet_since = 0;
		else if (!st->quiet_since)
			st->quiet_since = now_usec ? now_usec : 1;
		else if (now_usec - st->quiet_since >= FORKS_STORM_QUIET_USEC)
			st->on = false;
		return false;
	}
	if (rate < threshold)
		return false;
	st->on = true;
	st->quiet_since = 0;
	return true;
}
