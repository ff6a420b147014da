/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * event-log.c - the ring of the dashboard's recent events (event-log.h): kept
 * newest first to its readers, the oldest overwritten once UI_EVENTS_MAX are
 * kept, allocated with the first event; and the merging of an update into the
 * events it details.  An event is kept as a struct event_rec: its strings at
 * their length in a block of the slot's own, not in struct cg_event's buffers
 * of 4 KiB a path (event-log.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events/event-log.h"
#include "base/macro.h"

const char *event_log_group(const struct cg_event *ev)
{
	return ev->task_cgroup[0] ? ev->task_cgroup : ev->cgroup;
}

const char *event_log_limit_group(const struct cg_event *ev)
{
	return ev->cgroup[0] && strcmp(ev->cgroup, event_log_group(ev)) != 0 ? ev->cgroup : "";
}

const char *ui_event_group(const struct ui_event *e)
{
	return e->ev.task_cgroup[0] ? e->ev.task_cgroup : e->ev.cgroup;
}

const char *ui_event_limit_group(const struct ui_event *e)
{
	return e->ev.cgroup[0] && strcmp(e->ev.cgroup, ui_event_group(e)) != 0 ? e->ev.cgroup : "";
}

/* ---- the strings of a kept event ---- */

/* The strings of an event, in the order of its block. */
enum { S_TASK, S_CGROUP, S_TASK_CGROUP, S_CONSTRAINT, S_GFP_MASK, S_INVOKED_BY_TASK, S_OOM_GROUP, S_N };

#define EV_FIELD_SIZE(f) sizeof(((struct cg_event *)NULL)->f)

/* The size of each one's buffer in struct cg_event: the longest it can be, with its NUL. */
static const size_t str_size[S_N] = {
	[S_TASK] = EV_FIELD_SIZE(task),
	[S_CGROUP] = EV_FIELD_SIZE(cgroup),
	[S_TASK_CGROUP] = EV_FIELD_SIZE(task_cgroup),
	[S_CONSTRAINT] = EV_FIELD_SIZE(constraint),
	[S_GFP_MASK] = EV_FIELD_SIZE(gfp_mask),
	[S_INVOKED_BY_TASK] = EV_FIELD_SIZE(invoked_by_task),
	[S_OOM_GROUP] = EV_FIELD_SIZE(oom_group),
};
#define STR_TOTAL                                                                                            \
	(EV_FIELD_SIZE(task) + EV_FIELD_SIZE(cgroup) + EV_FIELD_SIZE(task_cgroup) +                          \
	 EV_FIELD_SIZE(constraint) + EV_FIELD_SIZE(gfp_mask) + EV_FIELD_SIZE(invoked_by_task) +              \
	 EV_FIELD_SIZE(oom_group))

/* Strings s into r's block, each cut to what its buffer in struct cg_event holds (as a copy
 * into that buffer would be).  They may point into the block itself (a merge changes one of
 * them and keeps the others): they are gathered first, then the block is grown if they do not
 * fit (never shrunk: the slot's next events reuse it, no allocation once the ring is full). */
static void rec_strings(struct event_rec *r, const char *const s[S_N])
{
	char tmp[STR_TOTAL];
	size_t off[S_N], o = 0;

	for (unsigned i = 0; i < S_N; i++) {
		size_t len = strnlen(s[i], str_size[i] - 1);

		memcpy(tmp + o, s[i], len);
		tmp[o + len] = '\0';
		off[i] = o;
		o += len + 1;
	}
	if (o > r->text_size) {
		free(r->text);
		r->text = xmalloc(o);
		r->text_size = o;
	}
	memcpy(r->text, tmp, o);
	r->task = r->text + off[S_TASK];
	r->cgroup = r->text + off[S_CGROUP];
	r->task_cgroup = r->text + off[S_TASK_CGROUP];
	r->constraint = r->text + off[S_CONSTRAINT];
	r->gfp_mask = r->text + off[S_GFP_MASK];
	r->invoked_by_task = r->text + off[S_INVOKED_BY_TASK];
	r->oom_group = r->text + off[S_OOM_GROUP];
}

/* Keep event ev in r: every field of struct cg_event (event_log_event gives them back),
 * the evidence copied into r's own. */
static void rec_set(struct event_rec *r, const struct cg_event *ev)
{
	const char *s[S_N] = {
		[S_TASK] = ev->task,
		[S_CGROUP] = ev->cgroup,
		[S_TASK_CGROUP] = ev->task_cgroup,
		[S_CONSTRAINT] = ev->constraint,
		[S_GFP_MASK] = ev->gfp_mask,
		[S_INVOKED_BY_TASK] = ev->invoked_by_task,
		[S_OOM_GROUP] = ev->oom_group,
	};

	r->kind = ev->kind;
	r->source = ev->source;
	r->pid = ev->pid;
	r->uid = ev->uid;
	r->anon_rss_kb = ev->anon_rss_kb;
	r->file_rss_kb = ev->file_rss_kb;
	r->shmem_rss_kb = ev->shmem_rss_kb;
	r->total_vm_kb = ev->total_vm_kb;
	r->mem_usage_kb = ev->mem_usage_kb;
	r->mem_limit_kb = ev->mem_limit_kb;
	r->mem_failcnt = ev->mem_failcnt;
	r->oom_score_adj = ev->oom_score_adj;
	r->order = ev->order;
	r->reaped = ev->reaped;
	r->kernel_ts_usec = ev->kernel_ts_usec;
	r->wall_sec = ev->wall_sec;
	r->seq = ev->seq;
	r->count = ev->count;
	r->update = ev->update;
	r->group_kill = ev->group_kill;
	r->repeat = ev->repeat;
	r->invoked_by_pid = ev->invoked_by_pid;
	r->n_top_forkers = ev->n_top_forkers < EV_FORKERS_MAX ? ev->n_top_forkers : EV_FORKERS_MAX;
	memcpy(r->top_forkers, ev->top_forkers, r->n_top_forkers * sizeof(ev->top_forkers[0]));
	r->forkers_span_usec = ev->forkers_span_usec;
	r->forks_per_sec = ev->forks_per_sec;
	r->task_cgroup_from = ev->task_cgroup_from;
	r->cgroup_from = ev->cgroup_from;
	rec_strings(r, s);
	oom_evidence_assign(&r->evidence, ev->evidence);
}

void event_log_event(const struct ui_event *e, struct cg_event *dst)
{
	const struct event_rec *r = &e->ev;

	dst->kind = r->kind;
	dst->source = r->source;
	dst->pid = r->pid;
	dst->uid = r->uid;
	snprintf(dst->task, sizeof(dst->task), "%s", r->task);
	snprintf(dst->cgroup, sizeof(dst->cgroup), "%s", r->cgroup);
	snprintf(dst->task_cgroup, sizeof(dst->task_cgroup), "%s", r->task_cgroup);
	snprintf(dst->constraint, sizeof(dst->constraint), "%s", r->constraint);
	dst->anon_rss_kb = r->anon_rss_kb;
	dst->file_rss_kb = r->file_rss_kb;
	dst->shmem_rss_kb = r->shmem_rss_kb;
	dst->total_vm_kb = r->total_vm_kb;
	dst->mem_usage_kb = r->mem_usage_kb;
	dst->mem_limit_kb = r->mem_limit_kb;
	dst->mem_failcnt = r->mem_failcnt;
	dst->oom_score_adj = r->oom_score_adj;
	snprintf(dst->gfp_mask, sizeof(dst->gfp_mask), "%s", r->gfp_mask);
	dst->order = r->order;
	dst->reaped = r->reaped;
	dst->kernel_ts_usec = r->kernel_ts_usec;
	dst->wall_sec = r->wall_sec;
	dst->seq = r->seq;
	dst->count = r->count;
	dst->update = r->update;
	dst->group_kill = r->group_kill;
	dst->repeat = r->repeat;
	dst->invoked_by_pid = r->invoked_by_pid;
	snprintf(dst->invoked_by_task, sizeof(dst->invoked_by_task), "%s", r->invoked_by_task);
	snprintf(dst->oom_group, sizeof(dst->oom_group), "%s", r->oom_group);
	dst->n_top_forkers = r->n_top_forkers;
	memcpy(dst->top_forkers, r->top_forkers, r->n_top_forkers * sizeof(r->top_forkers[0]));
	dst->forkers_span_usec = r->forkers_span_usec;
	dst->forks_per_sec = r->forks_per_sec;
	dst->task_cgroup_from = r->task_cgroup_from;
	dst->cgroup_from = r->cgroup_from;
	oom_evidence_assign(&dst->evidence, r->evidence);
}

/* ---- the ring ---- */

static struct ui_event *nth(const struct event_log *l, unsigned i)
{
	if (!l->ring || i >= l->n)
		return NULL;
	return &l->ring[(l->head + UI_EVENTS_MAX - 1 - i) % UI_EVENTS_MAX];
}

const struct ui_event *event_log_nth(const struct event_log *l, unsigned i)
{
	return nth(l, i);
}

bool event_log_of(const struct ui_event *e, const struct cg_node *n)
{
	return e->node == n || strcmp(ui_event_group(e), n->path) == 0 ||
	       (e->ev.cgroup[0] && strcmp(e->ev.cgroup, n->path) == 0);
}

bool event_log_incident(const struct ui_event *e)
{
	return e->ev.kind != EV_OOM_INVOKED && e->ev.kind != EV_OOM_SUPPRESSED;
}

int event_log_find(const struct event_log *l, uint64_t seq)
{
	/* seq grows by one per event kept, newest first: the distance from the newest */
	if (!l->ring || !seq || seq > l->pushed || l->pushed - seq >= l->n)
		return -1;
	return (int)(l->pushed - seq);
}

struct ui_event *event_log_push(struct event_log *l, const struct cg_event *ev, double time,
				struct cg_node *n, bool before_start)
{
	struct ui_event *e;

	if (!l->ring) {
		/* calloc: a slot's pages are touched only when used */
		l->ring = xcalloc(UI_EVENTS_MAX, sizeof(*l->ring));
		l->head = l->n = 0;
	}
	e = &l->ring[l->head];
	if (l->n == UI_EVENTS_MAX && e->before_start && l->before_n)
		l->before_n--; /* the oldest goes */
	rec_set(&e->ev, ev);
	e->time = time;
	e->node = n;
	e->before_start = before_start;
	e->seq = ++l->pushed;
	if (before_start)
		l->before_n++;
	l->head = (l->head + 1) % UI_EVENTS_MAX;
	if (l->n < UI_EVENTS_MAX)
		l->n++;
	return e;
}

bool event_log_merge(struct event_log *l, const struct cg_event *ev, double time, struct cg_node *n,
		     void (*counted)(struct cg_node *n, void *data), void *data)
{
	const char *g = event_log_group(ev);

	if (ev->source == EV_SRC_COUNTER) {
		/* a counter gives the group of kills the log reported without it */
		uint64_t left = ev->count;

		for (unsigned i = 0; i < l->n && i < 64 && left; i++) {
			struct ui_event *e = nth(l, i);

			if (!e || e->before_start || e->ev.source != EV_SRC_KMSG || e->ev.kind != ev->kind ||
			    ui_event_group(e)[0])
				continue;
			const char *s[S_N] = {
				[S_TASK] = e->ev.task,
				[S_CGROUP] = e->ev.cgroup,
				[S_TASK_CGROUP] = g,
				[S_CONSTRAINT] = e->ev.constraint,
				[S_GFP_MASK] = e->ev.gfp_mask,
				[S_INVOKED_BY_TASK] = e->ev.invoked_by_task,
				[S_OOM_GROUP] = e->ev.oom_group,
			};

			rec_strings(&e->ev, s);
			e->ev.task_cgroup_from = EV_FROM_COUNTER;
			e->node = n;
			if (n && counted)
				counted(n, data);
			left--;
		}
		return left < ev->count;
	}
	for (unsigned i = 0; i < l->n && i < 64; i++) {
		struct ui_event *e = nth(l, i);

		if (!e || e->ev.source != EV_SRC_COUNTER || e->ev.kind != ev->kind || e->ev.pid >= 0 ||
		    strcmp(ui_event_group(e), g) != 0)
			continue;
		uint64_t count = e->ev.count;

		rec_set(&e->ev, ev);
		e->ev.count = count;
		if (e->time < 0)
			e->time = time;
		return true;
	}
	return false;
}

void event_log_node_freed(struct event_log *l, const struct cg_node *n)
{
	if (!l->ring)
		return;
	for (unsigned i = 0; i < UI_EVENTS_MAX; i++)
		if (l->ring[i].node == n)
			l->ring[i].node = NULL;
}

void event_log_free(struct event_log *l)
{
	if (l->ring)
		for (unsigned i = 0; i < UI_EVENTS_MAX; i++) {
			free(l->ring[i].ev.text);
			free(l->ring[i].ev.evidence);
		}
	free(l->ring);
	l->ring = NULL;
	l->n = l->head = l->before_n = 0;
	/* pushed goes on: a seq held from before is never found among new events */
}
