/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record-load.h - a recording open for reading, shared by cgtop -b --replay
 * (record-replay.c) and the dashboard on a recording (ui-replay.c): its meta
 * facts, its sample times, a sample rebuilt into a tree of groups as cgtop(1)
 * says (the groups alive at time T, each with its last row at or before T),
 * its events, and a group's history.  Every query goes through an index
 * (samples_group_time, memory_stat_group_time, events_time, the ticks and
 * groups keys): no scan of the samples table.
 */
#ifndef CGTOP_RECORD_LOAD_H
#define CGTOP_RECORD_LOAD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "events/kmsg.h"
#include "sample/column.h"

/* fields of one column at most (column.c has 6) */
#define REC_MAX_FIELDS 16

struct sqlite3;
struct sqlite3_stmt;
struct rec_node;

struct rec_load {
	struct sqlite3 *db;
	const char *file;
	bool all;           /* the whole recording, not a PATH below its top */
	const char *path;   /* the PATH asked for */
	char top[PATH_MAX]; /* the output root: PATH, or the group recorded */
	char mode[16];      /* meta: cgroup_mode, host, kernel */
	char host[64];
	char kernel[64];
	double interval;    /* meta: seconds between samples, 0 unknown */
	bool kmsg_readable; /* meta: the recorder read the kernel log */
	/* one sample's rows: ?1 the time, ?2 the PATH; at[c][j] is the result
	 * column of field j of column c (-1: not stored), x_failcnt and x_psi
	 * those of the values text and Prometheus derive from JSON ones */
	struct sqlite3_stmt *rows;
	/* ids: each group's path, samples rowid, memory_stat rowid (or NULL)
	 * and id at ?1 (the rows of rows); row: one group's values as rows
	 * has them (?1 the time, ?3 the samples rowid, ?4 the group's id) */
	struct sqlite3_stmt *ids, *row;
	int at[_COL_MAX][REC_MAX_FIELDS];
	/* the fields stored (at >= 0), in column order: what a row's loops
	 * walk instead of every field of every column */
	struct rec_field {
		const struct col_field *f;
		int i; /* its result column */
	} fl[_COL_MAX * REC_MAX_FIELDS];
	size_t n_fl;
	int x_failcnt, x_psi;
	int x_name; /* the first of the group's name columns (record-load.c) */
	struct sqlite3_stmt *st_events, *st_hist, *st_prev, *st_next, *st_newest;
	struct sqlite3_stmt *st_ev[4]; /* an event's evidence out of its JSON */
	struct rec_node **rn;          /* the values of the groups of the loaded sample */
	size_t n_rn, size_rn;
	struct rec_node **fr; /* those of no group now */
	size_t n_fr;
	uint64_t gen; /* samples loaded */
	/* the last groups.controllers text seen and its mask: most groups of a
	 * recording share a few lists */
	char ctl_text[128];
	unsigned ctl_mask;
	bool ctl_known; /* ctl_text and ctl_mask hold a list */
};

/* Open FILE for reading, for the groups under path ("/": all).  0, or -errno
 * after one line naming FILE (not a recording, a newer schema, unreadable),
 * or naming SQLite and option (the one that reads FILE) when SQLite cannot
 * be loaded. */
int rec_load_open(const char *file, const char *path, const char *option, struct rec_load **ret);
void rec_load_close(struct rec_load *l);
/* One line naming the file and SQLite's error; returns -EIO. */
int rec_load_fail(struct rec_load *l);
/* The sample times in [from, to], in order, into a new array (*ret, free()d
 * by the caller).  0 or -EIO. */
int rec_load_ticks(struct rec_load *l, double from, double to, double **ret, size_t *ret_n);
/* The last max sample times before time `before`, oldest first, into a new
 * array (free()d by the caller).  0 or -EIO (nothing printed: the dashboard
 * says it). */
int rec_load_ticks_last(struct rec_load *l, double before, size_t max, double **ret, size_t *ret_n);
/* The time of the last sample (0: none).  0 or -EIO. */
int rec_load_end(struct rec_load *l, double *ret);
/* The name of the group of a row of l->rows (the groups table's name, kind
 * and runtime fields, NULL as ""): false, *out zeroed, when it has none. */
struct group_name;
bool rec_load_name(const struct rec_load *l, struct sqlite3_stmt *st, struct group_name *out);
/* Bring tree t (cg_tree_open_empty, top l->top) to the sample at time: a node
 * per group alive then (made when missing, removed when gone, with
 * cg_tree_remove), its rec pointing at its recorded values (valid until the
 * next call) and its name the recorded one (node->gname: no group of t is
 * looked up on this host; a group recorded without a name has none).
 * node_fields: also the node's own fields (cur, cpu_percent, the effective
 * limits, memory.stat...), which the dashboard's views read.
 * 0, -ENOMEM, or -EIO (rec_load_fail's line not printed). */
int rec_load_tree(struct rec_load *l, struct cg_tree *t, double time, bool node_fields);
/* The max events at or before time, oldest first, to cb (the fields of
 * --events JSON, with the evidence of a kill but not the limit chain and the
 * forkers; NULL-time events left out).  0 or -EIO. */
int rec_load_events(struct rec_load *l, double time, unsigned max,
		    void (*cb)(const struct cg_event *ev, double time, void *data), void *data);
/* The time and rowid of the newest event at or before time: 1, 0 none, -EIO. */
int rec_load_event_newest(struct rec_load *l, double time, double *ret_time, int64_t *ret_rowid);
/* The time of the nearest OOM kill or fork rejection (not an update of one)
 * after time (next) or at or before it (!next): 1 with *ret set, 0 none, -EIO. */
int rec_load_event_near(struct rec_load *l, double time, bool next, double *ret);
/* The rows of group path from its last row at or before from up to to, in
 * time order, to cb: the row's time, its CPU % and memory.current (NULL when
 * null), and the time the group was last seen (< 0: still there).  0 or -EIO. */
int rec_load_history(struct rec_load *l, const char *path, double from, double to,
		     void (*cb)(double time, const double *cpu, const uint64_t *mem, double last_seen,
				void *data),
		     void *data);

#endif
