/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-event-log.c - unit tests of src/events/event-log.c, the dashboard's ring
 * of recent events: newest first, the oldest overwritten past UI_EVENTS_MAX,
 * and event_log_find, by which the incident view finds the event it shows
 * again after more came in (its n and p keys): found while the ring holds it,
 * never after it was overwritten or the log was emptied (a replay's jump),
 * even when as many new events came since.
 */
#include <stdio.h>
#include <string.h>

#include "events/event-log.h"
#include "../tap.h"

static struct event_log l;

static const struct ui_event *push(unsigned pid, enum cg_event_kind kind, const char *group)
{
	struct cg_event ev;

	cg_event_init(&ev);
	ev.kind = kind;
	ev.pid = pid;
	snprintf(ev.cgroup, sizeof(ev.cgroup), "%s", group);
	return event_log_push(&l, &ev, 1000.0 + pid, NULL, false);
}

int main(void)
{
	const struct ui_event *e;
	uint64_t first, mid;
	int i;
	struct cg_node n;
	char a[] = "/a";

	is_int(event_log_find(&l, 1), -1, "an empty log finds nothing");
	first = push(1, EV_OOM_KILL, "/a")->seq;
	ok(first > 0, "an event kept gets a sequence number");
	mid = push(2, EV_PIDS_FORK_REJECTED, "/b")->seq;
	push(3, EV_OOM_INVOKED, "/a");
	is_int(event_log_find(&l, mid), 1, "the second of three is the second newest");
	is_int(event_log_find(&l, first), 2, "the first is the oldest");
	e = event_log_nth(&l, (unsigned)event_log_find(&l, first));
	is_int((int)e->ev.pid, 1, "... and it is the event pushed first");
	is_int(event_log_find(&l, 0), -1, "0 is no sequence number");
	is_int(event_log_find(&l, l.pushed + 1), -1, "a number not given yet finds nothing");

	ok(!event_log_incident(event_log_nth(&l, 0)), "the OOM killer's invocation is no incident");
	ok(event_log_incident(event_log_nth(&l, 1)) && event_log_incident(event_log_nth(&l, 2)),
	   "a kill and a fork rejection are");
	memset(&n, 0, sizeof(n));
	n.path = a;
	ok(event_log_of(event_log_nth(&l, 2), &n) && !event_log_of(event_log_nth(&l, 1), &n),
	   "event_log_of: /a's kill is /a's, /b's rejection is not");

	/* the ring wraps: the first is overwritten once UI_EVENTS_MAX more came */
	for (i = 0; i < UI_EVENTS_MAX - 3; i++)
		push(100 + (unsigned)i, EV_OOM_KILL, "/c");
	is_int(event_log_find(&l, first), UI_EVENTS_MAX - 1, "a full ring still holds the first, last");
	push(99, EV_OOM_KILL, "/c");
	is_int(event_log_find(&l, first), -1, "one more: the first is gone, and not found");
	is_int(event_log_find(&l, mid), UI_EVENTS_MAX - 1, "the second is the oldest now");

	/* emptied (a replay's jump), then refilled: old numbers stay unknown */
	event_log_free(&l);
	is_int(event_log_find(&l, mid), -1, "an emptied log finds nothing");
	for (i = 0; i < UI_EVENTS_MAX; i++)
		push(1000 + (unsigned)i, EV_OOM_KILL, "/d");
	is_int(event_log_find(&l, mid), -1, "refilled: a number from before finds nothing");
	e = event_log_nth(&l, 0);
	is_int(event_log_find(&l, e->seq), 0, "the newest finds itself");
	event_log_free(&l);
	return tap_done();
}
