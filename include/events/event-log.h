/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * event-log.h - the dashboard's model of the events: the last UI_EVENTS_MAX
 * events in a ring, newest first to its readers (the pane, the event log, the
 * detail view, the incident view), and the counts of OOM kills and fork
 * rejections since start and from before it.  No curses, no drawing: the
 * views read it, view-events.c feeds it from the events tracker.
 */
#ifndef CGTOP_EVENT_LOG_H
#define CGTOP_EVENT_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include "cgroup/cgroup.h"
#include "events/kmsg.h"

/* The number of recent events kept for the pane, the log and the detail view. */
#define UI_EVENTS_MAX 512

/* An event as the ring keeps it: the fields of struct cg_event, its strings at their length in
 * one block of the slot's own (text, reused by the slot's next events while large enough).  A
 * struct cg_event is 13 KiB, nearly all of it three 4 KiB path buffers, and the ring is filled
 * at start with the kernel log's past kills: kept whole, each event took about 4 pages of
 * memory.  The string fields are never NULL ("" unknown) and valid until the slot is written
 * again (the next push or merge): a reader copies what it keeps (the incident view,
 * event_log_event) and finds its event again by seq. */
struct event_rec {
	enum cg_event_kind kind;
	enum cg_event_source source;
	int64_t pid, uid;
	const char *task, *cgroup, *task_cgroup, *constraint, *gfp_mask; /* in text */
	int64_t anon_rss_kb, file_rss_kb, shmem_rss_kb, total_vm_kb;
	int64_t mem_usage_kb, mem_limit_kb, mem_failcnt;
	int64_t oom_score_adj;
	int order;
	bool reaped;
	int64_t kernel_ts_usec, wall_sec;
	uint64_t seq, count;
	bool update, group_kill, repeat;
	int64_t invoked_by_pid;
	const char *invoked_by_task, *oom_group; /* in text */
	unsigned n_top_forkers;
	struct ev_forker top_forkers[EV_FORKERS_MAX];
	int64_t forkers_span_usec;
	double forks_per_sec;
	struct oom_evidence *evidence; /* owned, NULL none (as a struct cg_event's) */
	enum cg_event_from task_cgroup_from, cgroup_from;
	char *text;       /* the strings' block, NULL before the slot's first event */
	size_t text_size; /* its size */
};

struct ui_event {
	struct event_rec ev;  /* as reported (strings copied) */
	double time;          /* wall clock */
	struct cg_node *node; /* the group's row, NULL when not in the tree (cleared on free) */
	bool before_start;    /* from the kernel log's backlog, read at start */
	uint64_t seq;         /* 1, 2, ... in the order kept: who holds one finds it again */
};

struct event_log {
	struct ui_event *ring;               /* UI_EVENTS_MAX, allocated with the first event
					      * (calloc: a slot's pages are touched when used) */
	unsigned head, n;                    /* the next slot; the events kept */
	unsigned before_n;                   /* of them, from before start */
	uint64_t oom_kills, fork_rejections; /* seen since start (kmsg and counters) */
	uint64_t oom_kills_before, fork_rejections_before;
	uint64_t pushed; /* events kept so far (the last seq) */
};

/* The group an event belongs to: the victim's own group of a kill, the forking
 * group of a rejection (the limit hit may be an ancestor's: ev->cgroup). */
const char *event_log_group(const struct cg_event *ev);
/* The group whose limit was hit, when it is another one; else "". */
const char *event_log_limit_group(const struct cg_event *ev);

/* The same of a kept event. */
const char *ui_event_group(const struct ui_event *e);
const char *ui_event_limit_group(const struct ui_event *e);
/* The kept event e whole into dst, an event made by cg_event_init or zeroed (the evidence
 * copied into dst's own, as cg_event_copy does). */
void event_log_event(const struct ui_event *e, struct cg_event *dst);

/* Whether event e belongs to group n: its group (event_log_group) or the group
 * whose limit it hit. */
bool event_log_of(const struct ui_event *e, const struct cg_node *n);
/* An OOM kill, a fork rejection or a storm: what an incident view shows (not
 * the invocation of the OOM killer or a count of suppressed reports). */
bool event_log_incident(const struct ui_event *e);
/* The index (newest first) of the event kept with sequence number seq; -1 when
 * the ring no longer holds it. */
int event_log_find(const struct event_log *l, uint64_t seq);
/* Event i, newest first; NULL past the end. */
const struct ui_event *event_log_nth(const struct event_log *l, unsigned i);
/* Keep a copy of ev (the oldest goes when the ring is full); returns it. */
struct ui_event *event_log_push(struct event_log *l, const struct cg_event *ev, double time,
				struct cg_node *n, bool before_start);
/* An update (ev->update) of events already kept: a kernel-log record of a kill the counters
 * reported gives the newest counter event of its group its details; a counter increase gives
 * the kills the log reported without a group the group n (path of ev), calling counted for
 * each.  Returns whether it changed kept events (then ev is not kept anew). */
bool event_log_merge(struct event_log *l, const struct cg_event *ev, double time, struct cg_node *n,
		     void (*counted)(struct cg_node *n, void *data), void *data);
/* Group n's row is freed: the events forget it. */
void event_log_node_freed(struct event_log *l, const struct cg_node *n);
void event_log_free(struct event_log *l);

#endif
