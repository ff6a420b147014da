/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * events.h - OOM kills and fork rejections: the kernel log for the detail,
 * the cgroup counters for the truth, reconciled per group.
 */
#ifndef CGTOP_EVENTS_H
#define CGTOP_EVENTS_H

#include <stdio.h>

#include "base/fileio.h"
#include "events/kmsg-reader.h"
#include "sample/forks.h"
#include "options.h"
#include "sample/sampler.h"

#define EV_HELD_MAX 64  /* kills waiting for their group (a burst's rate-limited reports) */
#define EV_RECENT_MAX 8 /* the last kills' groups, for a group kill's repeated victim */

struct events {
	struct cg_tree *tree; /* NULL when reading a saved log */
	struct sampler *s;    /* the tree's sampler (events_attach), or NULL */
	struct kmsg_reader kr;
	bool kmsg_open;
	int kmsg_err; /* why /dev/kmsg could not be opened */
	struct oom_parser parser;
	/* when events_poll_kmsg last read a line (clock_mono_usec) */
	uint64_t last_line_usec;
	double boot_wall; /* wall-clock time of boot (live mode) */
	uint64_t reported_lost;
	/* where events go */
	void (*emit)(const struct cg_event *ev, double time, void *userdata);
	void *userdata;
	uint64_t n_events;

	/* the backlog (events_read_backlog): records from before start */
	bool in_backlog;
	uint64_t first_seq;    /* of the first record read, UINT64_MAX none: 0 means
				      * the log reaches back to boot */
	int64_t first_ts_usec; /* its time since boot, -1 unknown */
	struct cg_event ev;    /* the event being handled (8+ KiB: not on the stack) */
	/* which memory group each process was in: the cgroup.procs texts of the
	 * last two refreshes that read any ("PATH\0\nPID\nPID\n\0" records) */
	struct buf procs[2];
	uint64_t procs_iter[2];
	unsigned procs_cur;
	struct buf scratch; /* /proc/PID/cgroup */
	/* kills from the log without their group (the kernel's report was rate-limited)
	 * that no process list placed: joined with the one group whose kill counter
	 * rises next, else reported without a group */
	struct ev_held {
		struct cg_event ev;
		uint64_t until; /* reported as they are after the refresh of this iteration */
	} * held;               /* EV_HELD_MAX, allocated on first use */
	unsigned n_held;
	/* kills reported without a group: a counter increase found afterwards details
	 * one of them (update) instead of counting a new kill, until iteration until */
	uint64_t unattributed[EV_HELD_MAX];
	unsigned n_unattributed;
	/* the groups of the last kills, by pid */
	struct {
		int64_t pid;
		char path[EV_PATH_MAX];
	} recent[EV_RECENT_MAX];
	unsigned recent_next;
	/* the proc connector (events_attach_forks), or NULL */
	struct forks *forks;
	double fork_storm_rate;      /* forks a second of a group's own processes; 0 off */
	uint64_t forks_dropped_seen; /* overruns already reported */
};

/* Live tracking over tree (may be NULL for a saved log).  Opens /dev/kmsg
 * under sysroot unless kmsg_file is given; never fails for lack of permission:
 * kmsg_open is then false and kmsg_err says why. */
int events_init(struct events *e, struct cg_tree *tree, const char *sysroot, const char *kmsg_file,
		bool since_boot);
void events_done(struct events *e);
/* Use the tree's sampler: to read a group's pids limits when a fork was
 * rejected, and to keep the processes of the groups from the cgroup.procs it
 * reads (NEED_TASKS), so that a kill whose report the kernel left out still
 * gets its group. */
void events_attach(struct events *e, struct sampler *s);
/* Use the proc connector's forks (forks_attribute runs before each events_reconcile):
 * a fork rejection names the parents that forked most, a group whose own processes
 * fork storm_rate times a second or more is a fork_storm event (0: none), and the
 * connector's overruns are forks_dropped events. */
void events_attach_forks(struct events *e, struct forks *f, double storm_rate);
/* Read what the kernel log holds from before start (opened since_boot), as
 * events marked by in_backlog while they are emitted; call before the first
 * sample.  Returns the records read. */
uint64_t events_read_backlog(struct events *e);
/* Read what the kernel log has now (bounded batches).  Returns lines read. */
int events_poll_kmsg(struct events *e, unsigned max);
/* After a sample of the tree: compare the counters with what the log said,
 * report increases the log did not explain (source "counter"). */
void events_reconcile(struct events *e, const struct sampler *s);
/* End of a saved log: hand over a last line without newline. */
void events_finish(struct events *e);
/* End of input: emit a kill still pending. */
void events_flush(struct events *e);
/* The end of a refresh, or a pause of a followed file (now_usec:
 * clock_mono_usec): a kill whose report is complete goes out; one whose
 * report is still pending goes out as far as it got only once the kernel log
 * has been quiet for EV_SETTLE_USEC.  A report is written line by line,
 * through the console when its level reaches it (a serial console takes a
 * second for one), so a refresh may fall between its "oom-kill:" and "Killed
 * process" lines: the kill waits for the rest instead of losing its sizes. */
#define EV_SETTLE_USEC 1000000
void events_settle(struct events *e, uint64_t now_usec);
/* The end of a live run: also the kills still waiting for their group. */
void events_end(struct events *e);

/* Is group path p the group g or below it (kernel names, "/a/b")? */
bool events_path_under(const char *p, const char *g);
/* Whether an event (its cgroup, the group whose limit was hit, and its
 * task_cgroup, the process's own group; NULL or "" when not known) belongs to
 * the events of PATH: one of them is PATH or below it.  An event that names no
 * group (a kill reported without its group, the kernel's count of reports it
 * left out) may be PATH's and is kept. */
bool events_in_path(const char *cgroup, const char *task_cgroup, const char *path);

/* Formatting of one event. */
void events_format_text(struct buf *b, const struct cg_event *ev, double time);
void events_format_json(struct buf *b, const struct cg_event *ev, double time);
/* --explain: the one-line form, then a report of several lines (events-explain.c). */
void events_format_explain(struct buf *b, const struct cg_event *ev, double time);
/* The groups from the event's task_cgroup up to its cgroup (whose limit was hit),
 * each as (path, len) of a prefix of the path: nothing when either is unknown or the
 * limit's group is not the task's or above it. */
void events_limit_chain(const struct cg_event *ev, void (*cb)(const char *path, size_t len, void *data),
			void *data);

/* `cgtop --events`: returns an exit status. */
int events_main(const struct config *cfg);

#endif
