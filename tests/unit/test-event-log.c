/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-event-log.c - unit tests of src/events/event-log.c, the dashboard's ring
 * of recent events: newest first, the oldest overwritten past UI_EVENTS_MAX,
 * and event_log_find, by which the incident view finds the event it shows
 * again after more came in (its n and p keys): found while the ring holds it,
 * never after it was overwritten or the log was emptied (a replay's jump),
 * even when as many new events came since.  The ring keeps an event's strings
 * at their length (struct event_rec): a path of nearly 4 KiB comes back whole,
 * a slot written again holds the new event's strings only, a merge that gives
 * a kill its group keeps its other strings, and event_log_event gives back
 * every field as cg_event_copy would.
 */
#include <stdio.h>
#include <stdlib.h>
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

/* A path of len bytes (below 4 KiB: EV_PATH_MAX with its NUL): /c<tag>/xxxx...x */
static void long_path(char *out, size_t len, char tag)
{
	memset(out, 'x', len);
	out[0] = '/';
	out[1] = 'c';
	out[2] = tag;
	out[3] = '/';
	out[len - 1] = tag;
	out[len] = '\0';
}

/* An event with every field other than its default, from zeroed memory (padding 0 too, so
 * that two copies compare with memcmp), with evidence. */
static void full_event(struct cg_event *ev, char tag)
{
	memset(ev, 0, sizeof(*ev));
	cg_event_init(ev);
	ev->kind = EV_FORK_STORM;
	ev->source = EV_SRC_PROCCONN;
	ev->pid = 4242;
	ev->uid = 1000;
	snprintf(ev->task, sizeof(ev->task), "task %c (with spaces, \xc3\xa9)", tag);
	long_path(ev->cgroup, EV_PATH_MAX - 1, tag);
	long_path(ev->task_cgroup, EV_PATH_MAX - 2, (char)(tag + 1));
	snprintf(ev->constraint, sizeof(ev->constraint), "CONSTRAINT_MEMCG");
	ev->anon_rss_kb = 1;
	ev->file_rss_kb = 2;
	ev->shmem_rss_kb = 3;
	ev->total_vm_kb = 4;
	ev->mem_usage_kb = 5;
	ev->mem_limit_kb = 6;
	ev->mem_failcnt = 7;
	ev->oom_score_adj = 800;
	snprintf(ev->gfp_mask, sizeof(ev->gfp_mask), "0xcc0(GFP_KERNEL)");
	ev->order = 3;
	ev->reaped = true;
	ev->kernel_ts_usec = 123456789;
	ev->wall_sec = 1700000000;
	ev->seq = 77;
	ev->count = 9;
	ev->update = true;
	ev->group_kill = true;
	ev->repeat = true;
	ev->invoked_by_pid = 4141;
	snprintf(ev->invoked_by_task, sizeof(ev->invoked_by_task), "invoker %c", tag);
	long_path(ev->oom_group, EV_PATH_MAX - 3, (char)(tag + 2));
	ev->n_top_forkers = 2;
	ev->top_forkers[0] = (struct ev_forker){ .pid = 10, .forks = 100, .exited = true, .comm = "sh" };
	ev->top_forkers[1] = (struct ev_forker){ .pid = 11, .forks = 50, .comm = "make" };
	ev->forkers_span_usec = 1000000;
	ev->forks_per_sec = 12.5;
	ev->task_cgroup_from = EV_FROM_PROCESS;
	ev->cgroup_from = EV_FROM_KERNEL;
	ev->evidence = calloc(1, sizeof(*ev->evidence));
	ev->evidence->n_tasks = 1;
	ev->evidence->tasks[0].pid = 4242;
	snprintf(ev->evidence->tasks[0].name, sizeof(ev->evidence->tasks[0].name), "victim");
	ev->evidence->n_stat = 1;
	snprintf(ev->evidence->stat[0].key, sizeof(ev->evidence->stat[0].key), "anon");
	ev->evidence->stat[0].value = 4096;
	ev->evidence->page_kb = 4;
}

/* Whether event e of the ring gives back ev whole: as cg_event_copy copies it. */
static bool same_event(const struct ui_event *e, const struct cg_event *ev)
{
	struct cg_event *want = calloc(1, sizeof(*want)), *got = calloc(1, sizeof(*got));
	bool same;

	cg_event_copy(want, ev);
	event_log_event(e, got);
	/* (each held at its size: up to its last memory.stat key) */
	same = want->evidence && got->evidence && want->evidence != got->evidence &&
	       oom_evidence_size(want->evidence) == oom_evidence_size(got->evidence) &&
	       memcmp(want->evidence, got->evidence, oom_evidence_size(got->evidence)) == 0;
	cg_event_release(want);
	cg_event_release(got);
	same = same && memcmp(want, got, sizeof(*got)) == 0;
	free(want);
	free(got);
	return same;
}

/* The ring's strings of event e: each where the event's were (long ones whole). */
static void strings_check(const struct ui_event *e, const struct cg_event *ev, const char *what)
{
	is_str(e->ev.task, ev->task, "%s: task", what);
	is_str(e->ev.cgroup, ev->cgroup, "%s: cgroup (%zu bytes)", what, strlen(ev->cgroup));
	is_str(e->ev.task_cgroup, ev->task_cgroup, "%s: task_cgroup", what);
	is_str(e->ev.constraint, ev->constraint, "%s: constraint", what);
	is_str(e->ev.gfp_mask, ev->gfp_mask, "%s: gfp_mask", what);
	is_str(e->ev.invoked_by_task, ev->invoked_by_task, "%s: invoked_by_task", what);
	is_str(e->ev.oom_group, ev->oom_group, "%s: oom_group", what);
}

/* The strings: long paths whole, a slot written again, a merge that keeps the others. */
static void test_strings(void)
{
	static struct cg_event a, b, c, u;
	const struct ui_event *e;
	uint64_t seq_a;

	full_event(&a, 'a');
	e = event_log_push(&l, &a, 2000.0, NULL, false);
	seq_a = e->seq;
	strings_check(e, &a, "a long event");
	ok(same_event(e, &a), "event_log_event gives back every field of the event kept");
	is_int((int)strlen(ui_event_group(e)), EV_PATH_MAX - 2, "its group is its task_cgroup, whole");
	is_str(ui_event_limit_group(e), a.cgroup, "the group whose limit was hit, another one");
	/* the next UI_EVENTS_MAX - 1 events are short; then one overwrites a's slot */
	for (unsigned i = 1; i < UI_EVENTS_MAX; i++)
		push(5000 + i, EV_OOM_KILL, "/s");
	e = event_log_nth(&l, (unsigned)event_log_find(&l, seq_a));
	ok(e && e->seq == seq_a, "the long event is the oldest of a full ring");
	if (e)
		strings_check(e, &a, "still whole after 511 more");
	e = push(6000, EV_OOM_KILL, "/short");
	is_int(event_log_find(&l, seq_a), -1, "one more: the long event is gone");
	is_str(e->ev.cgroup, "/short", "its slot holds the new event's path, nothing of the old one's");
	is_str(e->ev.task_cgroup, "", "... and none of its other strings");
	is_str(e->ev.oom_group, "", "...");
	is_str(e->ev.task, "", "...");
	ok(e->ev.evidence == NULL, "... nor its evidence");
	is_int((int)e->ev.pid, 6000, "... and its own pid");
	/* a slot of short strings takes a long event (its block grows) */
	full_event(&b, 'b');
	e = event_log_push(&l, &b, 2001.0, NULL, false);
	strings_check(e, &b, "a long event in a slot of a short one");
	ok(same_event(e, &b), "... whole");
	/* and a short one after a long one's, in the same slot, UI_EVENTS_MAX later */
	for (unsigned i = 0; i < UI_EVENTS_MAX - 1; i++)
		push(7000 + i, EV_OOM_KILL, "/t");
	full_event(&c, 'c');
	c.cgroup[5] = '\0';
	c.task_cgroup[0] = '\0';
	c.oom_group[0] = '\0';
	e = event_log_push(&l, &c, 2002.0, NULL, false);
	strings_check(e, &c, "a short event in a long one's slot");
	ok(same_event(e, &c), "... whole");
	is_str(ui_event_group(e), c.cgroup, "its group: its cgroup when it has no task_cgroup");
	is_str(ui_event_limit_group(e), "", "no other group's limit then");

	/* a counter gives its group to a kill the log reported without one: the kill's other
	 * strings (in the same block) stay */
	event_log_free(&l);
	cg_event_release(&a);
	full_event(&a, 'd');
	a.kind = EV_OOM_KILL;
	a.source = EV_SRC_KMSG;
	a.update = false;
	a.cgroup[0] = a.task_cgroup[0] = '\0';
	cg_event_release(&a);
	event_log_push(&l, &a, 2003.0, NULL, false);
	cg_event_init(&u);
	u.kind = EV_OOM_KILL;
	u.source = EV_SRC_COUNTER;
	u.update = true;
	long_path(u.cgroup, EV_PATH_MAX - 1, 'u');
	ok(event_log_merge(&l, &u, 2004.0, NULL, NULL, NULL), "a counter's update merges into the kill");
	e = event_log_nth(&l, 0);
	snprintf(a.task_cgroup, sizeof(a.task_cgroup), "%s", u.cgroup);
	a.task_cgroup_from = EV_FROM_COUNTER;
	strings_check(e, &a, "the kill given its group");
	is_int((int)l.n, 1, "... not kept anew");
	cg_event_release(&b);
	cg_event_release(&a);
	cg_event_release(&c);
	event_log_free(&l);
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
	test_strings();
	return tap_done();
}
