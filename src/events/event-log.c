/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * event-log.c - the ring of the dashboard's recent events (event-log.h): kept
 * newest first to its readers, the oldest overwritten once UI_EVENTS_MAX are
 * kept, allocated with the first event; and the merging of an update into the
 * events it details.
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
	return e->node == n || strcmp(event_log_group(&e->ev), n->path) == 0 ||
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
		/* calloc: pages of the path buffers are touched only as used */
		l->ring = xcalloc(UI_EVENTS_MAX, sizeof(*l->ring));
		l->head = l->n = 0;
	}
	e = &l->ring[l->head];
	if (l->n == UI_EVENTS_MAX && e->before_start && l->before_n)
		l->before_n--; /* the oldest goes */
	cg_event_copy(&e->ev, ev);
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
			    event_log_group(&e->ev)[0])
				continue;
			snprintf(e->ev.task_cgroup, sizeof(e->ev.task_cgroup), "%s", g);
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
		    strcmp(event_log_group(&e->ev), g) != 0)
			continue;
		uint64_t count = e->ev.count;

		cg_event_copy(&e->ev, ev);
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
		for (unsigned i = 0; i < UI_EVENTS_MAX; i++)
			cg_event_release(&l->ring[i].ev);
	free(l->ring);
	l->ring = NULL;
	l->n = l->head = l->before_n = 0;
	/* pushed goes on: a seq held from before is never found among new events */
}
