/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sampler.h - one refresh: bring the tree up to date, read the files the output
 * needs for every shown group, and derive rates and effective limits.
 */
#ifndef CGTOP_SAMPLER_H
#define CGTOP_SAMPLER_H

#include "cgroup/cgroup.h"

/* The slow tier (limits, cpusets; notified files as a safety net): read at
 * least every SLOW_EVERY-th sample of a group and when its last read is
 * SLOW_MAX_USEC old.  A value shown is at most SLOW_EVERY - 1 samples and
 * less than SLOW_MAX_USEC older than the sample that shows it (man page,
 * "How old a value can be"). */
#define SLOW_EVERY 5
#define SLOW_MAX_USEC 10000000ULL

struct sampler {
	struct cg_tree *tree;
	unsigned needs;         /* enum cg_need */
	uint64_t iteration;     /* samples taken so far */
	uint64_t mono_usec;     /* monotonic time of the current sample */
	uint64_t cpu_read_usec; /* when the group being sampled had its CPU time read, 0 not yet */
	double wall;            /* wall-clock time of the current sample (Unix seconds) */
	struct buf scratch;
	/* fds read and not kept, closed together (close_later, sampler.c):
	 * the run lo .. lo + n - 1, each one opened right after the last */
	int close_lo;
	unsigned close_n;
	long clk_tck;
	/* test clock (CGTOP_TEST_CLOCK=<unix seconds>): wall and monotonic time
	 * advance by exactly interval_usec per sample */
	bool fake_clock;
	double fake_wall0;
	uint64_t interval_usec;

	/* The dashboard's economy (0 in batch mode: every group, every file,
	 * every sample).  lazy_needs are read for a group only when it is wanted
	 * (node->want_gen == want_gen: a row on the screen, the detail view's
	 * group and their ancestors) or on a full sample (full_next); of them,
	 * rr_needs also on the group's turn in a round robin that visits every
	 * group once every lazy_period samples.  A value not read keeps the
	 * last one read; rates are never carried over. */
	unsigned lazy_needs;
	unsigned rr_needs;
	unsigned lazy_period;
	uint64_t want_gen;
	bool full_next;

	/* Tiers (sampler.c): slow_next makes the next sample read the slow
	 * tier of every group (set after cgtop wrote a limit); slow_all and
	 * notify_lost are the current sample's (slow_next or full_next, and
	 * an inotify overflow: every notified file read). */
	bool slow_next;
	bool slow_all;
	bool notify_lost;

	/* The map tier (0: off, memory.stat read every sample; the recorder
	 * sets it): a group's memory.stat, the largest file of a sample and
	 * one that is seldom looked at, is read at its first sample, then
	 * every max(1, map_usec / interval_usec)-th sample of the group
	 * (staggered over the groups) or once map_usec has passed since its
	 * last read, whichever comes first, and at once when the group's own
	 * OOM kill count rose or sampler_map_soon() asked for it.  A group the
	 * dashboard wants (want_gen, non-zero) reads it every sample for the
	 * screen; sampler_map_fresh() tells the reads of the schedule. */
	uint64_t map_usec;

	/* The quiet prune (0: off; the recorder sets it to 5 periods of its
	 * map tier).  CPU time, memory in use and pids in use count a group's
	 * whole subtree, and CPU time only grows: when none of a group's
	 * changed since its last full read, no task below it ran and nothing
	 * below it was charged, so its children are not read in this sample
	 * (their values, all carried, are as the last read left them; their
	 * rates are 0) unless it is their turn in a round robin that reads
	 * every group at least every quiet_usec / interval_usec samples and
	 * at the first sample quiet_usec after its last full read, or their
	 * pressure averages are not all 0 (they decay while nothing runs), or
	 * a notified file of theirs fired (read alone).  A group whose
	 * parent's counters moved reads its own three first, and is pruned
	 * the same way when they did not move.  A group pruned carries quiet
	 * to its own children.  The man page says how old each value can be
	 * (THE RECORDING FILE). */
	uint64_t quiet_usec;
	bool probing; /* in that read of a group's own three (sampler.c) */

	/* The hot files read in the last sample and in this one so far, kept
	 * or not (the fd budget's share of the hot files: a v1 group's kept
	 * directory, for its process list, only while that leaves room for
	 * them; sampler.c, read_named) */
	unsigned hot_reads_last, hot_reads;
	bool hot_short; /* one of them found the budget full */

	/* called with the text of each cgroup.procs read (the events tracker
	 * keeps which group each process was in), or NULL */
	void (*on_procs)(struct sampler *s, struct cg_node *n, const char *text, size_t len, void *userdata);
	void *on_procs_data;
	/* v1 process lists read only when they may have changed (procs-gate.h),
	 * NULL: every one every sample; opened once, before the second */
	struct procs_gate *gate;
	bool gate_tried;

	/* the kernel's huge page sizes (cg_hugetlb_sizes), listed at the first
	 * read of a hugetlb file */
	bool hugetlb_listed;
	unsigned n_hugetlb;
	char hugetlb[CG_HUGETLB_SIZES][CG_HUGETLB_NAME];
};

void sampler_init(struct sampler *s, struct cg_tree *t, unsigned needs, uint64_t interval_usec);
void sampler_done(struct sampler *s);
int sampler_tick(struct sampler *s);
/* Read the lazy files of the wanted groups that the last sample skipped (rows
 * scrolled into view), ancestors first.  Returns how many groups were read. */
unsigned sampler_refresh_wanted(struct sampler *s);
/* Read the files of needs of one group now, between samples (a fork rejection
 * asks which pids.max was reached): only their values change. */
void sampler_read_now(struct sampler *s, struct cg_node *n, unsigned needs);
/* The map tier: read n's memory.stat at the next sample (an OOM kill named
 * it); whether the last sample read it on the tier's schedule (always, when
 * the tier is off and the sample read it). */
void sampler_map_soon(struct sampler *s, struct cg_node *n);
bool sampler_map_fresh(const struct sampler *s, const struct cg_node *n);
/* The quiet prune: whether n's values in the last sample are those of the
 * sample before, all carried over (pruned in both: its row is unchanged). */
bool sampler_unchanged(const struct sampler *s, const struct cg_node *n);

#endif
