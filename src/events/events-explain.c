/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * events-explain.c - one incident as a report for people (`cgtop --events
 * --explain`): who was killed, in which group, under which group's limit and
 * the groups between them, the kernel's task table by rss, the largest task
 * and whether it was the victim, the largest lines of memory.stat at the kill
 * as bars; for a fork rejection or storm the parents that forked most.  Pure
 * formatting of a struct cg_event (the JSON carries the same fields), so it is
 * checked on the captured logs of tests/data/kmsg.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "events/events.h"
#include "base/units.h"
#include "base/utf8.h"

/* memory.stat lines that are amounts of memory and say what filled the group
 * (cgroup v2 and v1 names; the event counters and the per-LRU split are left out) */
static const char *const stat_headline[] = {
	"anon",           "file",       "kernel",  "shmem",        "slab",        "sock",
	"pagetables",     "percpu",     "vmalloc", "kernel_stack", "file_mapped", "file_dirty",
	"file_writeback", "swapcached", "zswap",   "rss",          "rss_huge",    "cache",
	"mapped_file",    "swap",       "dirty",   "writeback",
};
#define STAT_LINES 6
#define BAR_WIDTH 24

void events_limit_chain(const struct cg_event *ev, void (*cb)(const char *path, size_t len, void *data),
			void *data)
{
	const char *t = ev->task_cgroup, *l = ev->cgroup;
	size_t ll = strlen(l), tl = strlen(t), stop;

	/* the limit's group is the task's or an ancestor of it, as the kernel
	 * charges up the tree (mem_cgroup_oom, pids_try_charge) */
	if (!t[0] || !l[0] || !events_path_under(t, l))
		return;
	cb(t, tl, data);
	if (tl == ll)
		return;
	stop = strcmp(l, "/") == 0 ? 0 : ll;
	for (size_t i = tl - 1; i > stop; i--)
		if (t[i] == '/')
			cb(t, i, data);
	cb(l, ll, data);
}

struct chain_text {
	struct buf *b;
	unsigned n;
};

static void chain_text_cb(const char *path, size_t len, void *data)
{
	struct chain_text *c = data;

	if (c->n++)
		buf_puts(c->b, " -> ");
	utf8_escape_text(c->b, path, len, false);
}

static void name(struct buf *b, const char *s)
{
	buf_puts(b, "\"");
	utf8_escape_text(b, s, strlen(s), true);
	buf_puts(b, "\"");
}

static void kb(struct buf *b, int64_t v)
{
	char s[32];

	buf_puts(b, v < 0 ? "?" : units_format_bytes(s, sizeof(s), (uint64_t)v * 1024));
}

static void evidence_tasks(struct buf *b, const struct cg_event *ev, const struct oom_evidence *x)
{
	buf_printf(b, "  tasks:        %u in the kernel's table", x->tasks_total);
	if (x->n_tasks < x->tasks_total)
		buf_printf(b, ", the %u likeliest victims by rss + swap", x->n_tasks);
	buf_puts(b, "\n");
	buf_printf(b, "    %8s %6s %9s %9s %6s  %s\n", "pid", "uid", "rss", "swap", "adj", "name");
	for (unsigned i = 0; i < x->n_tasks; i++) {
		const struct oom_task *t = &x->tasks[i];
		char rss[32] = "?", swap[32] = "?", uid[24] = "?", adj[24] = "?";

		if (t->rss >= 0)
			units_format_bytes(rss, sizeof(rss), (uint64_t)(t->rss * x->page_kb) * 1024);
		if (t->swapents >= 0)
			units_format_bytes(swap, sizeof(swap), (uint64_t)(t->swapents * x->page_kb) * 1024);
		if (t->uid >= 0)
			snprintf(uid, sizeof(uid), "%" PRId64, t->uid);
		if (t->oom_score_adj != INT64_MIN)
			snprintf(adj, sizeof(adj), "%" PRId64, t->oom_score_adj);
		buf_printf(b, "    %8" PRId64 " %6s %9s %9s %6s  ", t->pid, uid, rss, swap, adj);
		utf8_escape_text(b, t->name, strlen(t->name), true);
		if (t->pid == ev->pid)
			buf_puts(b, "   <- killed");
		buf_puts(b, "\n");
	}
	if (x->largest.pid >= 0) {
		buf_printf(b, "  largest task: pid %" PRId64 " ", x->largest.pid);
		name(b, x->largest.name);
		buf_puts(b, ", rss ");
		kb(b, x->largest.rss < 0 ? -1 : x->largest.rss * x->page_kb);
		if (x->victim_is_largest == 1)
			buf_puts(b, ": the victim (victim_is_largest)");
		else if (x->victim_is_largest == 0)
			buf_puts(b, ": not the victim (victim_is_largest false: the kernel picks by "
				    "rss + swap + page tables, shifted by oom_score_adj)");
		buf_puts(b, "\n");
	}
}

static void evidence_stat(struct buf *b, const struct oom_evidence *x)
{
	const struct oom_stat *top[sizeof(stat_headline) / sizeof(stat_headline[0])];
	unsigned n = 0;

	/* the headline amounts the report has, largest first (insertion: a tie
	 * keeps the headline's order) */
	for (unsigned k = 0; k < sizeof(stat_headline) / sizeof(stat_headline[0]); k++)
		for (unsigned i = 0; i < x->n_stat; i++) {
			const struct oom_stat *st = &x->stat[i];
			unsigned j;

			if (st->value <= 0 || strcmp(st->key, stat_headline[k]) != 0)
				continue;
			for (j = n; j > 0 && top[j - 1]->value < st->value; j--)
				top[j] = top[j - 1];
			top[j] = st;
			n++;
			break;
		}
	if (!n)
		return;
	if (n > STAT_LINES)
		n = STAT_LINES;
	buf_printf(b, "  memory.stat at the kill (the %u largest amounts):\n", n);
	for (unsigned i = 0; i < n; i++) {
		char v[32], bar[BAR_WIDTH + 1];
		unsigned w = (unsigned)((double)top[i]->value / (double)top[0]->value * BAR_WIDTH + 0.5);

		memset(bar, '#', w);
		bar[w] = '\0';
		buf_printf(b, "    %-16s %9s  %s\n", top[i]->key,
			   units_format_bytes(v, sizeof(v), (uint64_t)top[i]->value), w ? bar : "|");
	}
}

/* A limit in kB: "max" for the kernel's "no limit" (PAGE_COUNTER_MAX pages, printed as
 * about 9.0e15 kB with 4 KiB pages), which no real limit comes near. */
static void kb_limit(struct buf *b, int64_t v)
{
	if (v >= (int64_t)1 << 50)
		buf_puts(b, "max");
	else
		kb(b, v);
}

static void counter_line(struct buf *b, const char *what, const struct oom_counter *c)
{
	if (c->usage_kb < 0)
		return;
	buf_printf(b, "  %-13s usage ", what);
	kb(b, c->usage_kb);
	buf_puts(b, " of ");
	kb_limit(b, c->limit_kb);
	if (c->failcnt >= 0)
		buf_printf(b, ", failcnt %" PRId64, c->failcnt);
	buf_puts(b, "\n");
}

static void forkers(struct buf *b, const struct cg_event *ev)
{
	if (ev->forkers_span_usec < 0 && !ev->n_top_forkers) {
		buf_puts(b, "  forking parents: unknown (proc connector off, or a saved log)\n");
		return;
	}
	if (!ev->n_top_forkers) {
		buf_puts(b, "  forking parents: none seen by the proc connector\n");
		return;
	}
	buf_printf(b, "  forking parents (most forks in the last %.1f s):\n", ev->forkers_span_usec / 1e6);
	buf_printf(b, "    %8s %7s  %s\n", "pid", "forks", "comm");
	for (unsigned i = 0; i < ev->n_top_forkers; i++) {
		const struct ev_forker *x = &ev->top_forkers[i];

		buf_printf(b, "    %8" PRId64 " %7" PRIu64 "  ", x->pid, x->forks);
		utf8_escape_text(b, x->comm, strlen(x->comm), true);
		if (x->exited)
			buf_puts(b, "   (exited; command of its last child)");
		buf_puts(b, "\n");
	}
}

void events_format_explain(struct buf *b, const struct cg_event *ev, double time)
{
	const struct oom_evidence *x = ev->evidence;
	bool oom = ev->kind == EV_OOM_KILL || ev->kind == EV_GLOBAL_OOM;
	struct chain_text ct = { b, 0 };

	/* the one-line form first: what grep and the eye look for */
	events_format_text(b, ev, time);
	if (ev->kind == EV_OOM_INVOKED || ev->kind == EV_OOM_SUPPRESSED || ev->kind == EV_FORKS_DROPPED)
		return;
	if (oom || ev->kind == EV_PIDS_FORK_REJECTED) {
		if (oom && (ev->pid >= 0 || ev->task[0])) {
			buf_puts(b, "  killed:       ");
			if (ev->pid >= 0)
				buf_printf(b, "pid %" PRId64 " ", ev->pid);
			if (ev->task[0])
				name(b, ev->task);
			if (ev->uid >= 0)
				buf_printf(b, ", uid %" PRId64, ev->uid);
			if (ev->anon_rss_kb >= 0) {
				buf_puts(b, ", anon ");
				kb(b, ev->anon_rss_kb);
				buf_puts(b, " file ");
				kb(b, ev->file_rss_kb);
				buf_puts(b, " shmem ");
				kb(b, ev->shmem_rss_kb);
			}
			if (ev->oom_score_adj != -1001)
				buf_printf(b, ", oom_score_adj %" PRId64, ev->oom_score_adj);
			buf_puts(b, "\n");
		}
		if (ev->invoked_by_pid >= 0 || ev->invoked_by_task[0]) {
			buf_puts(b, "  invoked by:   ");
			if (ev->invoked_by_pid >= 0)
				buf_printf(b, "pid %" PRId64 " ", ev->invoked_by_pid);
			name(b, ev->invoked_by_task);
			buf_puts(b, "\n");
		}
		buf_puts(b, ev->kind == EV_PIDS_FORK_REJECTED ? "  forking group: " : "  group:        ");
		if (ev->task_cgroup[0])
			utf8_escape_text(b, ev->task_cgroup, strlen(ev->task_cgroup), false);
		else
			buf_puts(b, "unknown");
		buf_puts(b, "\n  limit hit in: ");
		if (ev->cgroup[0])
			utf8_escape_text(b, ev->cgroup, strlen(ev->cgroup), false);
		else
			buf_puts(b, ev->kind == EV_GLOBAL_OOM ? "none: the whole system ran out" : "unknown");
		if (ev->mem_limit_kb >= 0) {
			buf_puts(b, " (usage ");
			kb(b, ev->mem_usage_kb);
			buf_puts(b, " of ");
			kb_limit(b, ev->mem_limit_kb);
			if (ev->mem_failcnt >= 0)
				buf_printf(b, ", failcnt %" PRId64, ev->mem_failcnt);
			buf_puts(b, ")");
		}
		buf_puts(b, "\n");
		buf_puts(b, "  limit chain:  ");
		events_limit_chain(ev, chain_text_cb, &ct);
		buf_puts(b, ct.n ? "  (the group, up to the one whose limit was hit)\n" : "unknown\n");
	}
	if (ev->kind == EV_FORK_STORM) {
		buf_puts(b, "  group:        ");
		utf8_escape_text(b, ev->cgroup, strlen(ev->cgroup), false);
		if (ev->forks_per_sec >= 0)
			buf_printf(b, " (%.0f forks/s, %" PRIu64 " forks)", ev->forks_per_sec, ev->count);
		buf_puts(b, "\n");
	}
	if (ev->kind == EV_PIDS_FORK_REJECTED || ev->kind == EV_FORK_STORM)
		forkers(b, ev);
	if (oom) {
		if (!x) {
			buf_puts(
				b,
				"  evidence:     none (the kernel printed no report for this kill: rate-limited)\n");
		} else {
			counter_line(b, "memory+swap:", &x->memsw);
			counter_line(b, "swap:", &x->swap);
			counter_line(b, "kmem:", &x->kmem);
			if (x->have_table)
				evidence_tasks(b, ev, x);
			else
				buf_puts(b, "  tasks:        not printed (vm.oom_dump_tasks = 0)\n");
			evidence_stat(b, x);
		}
	}
	buf_puts(b, "\n");
}
