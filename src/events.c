/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * events.c - OOM kills and fork rejections, from the kernel log and the
 * cgroup counters, reconciled per group.
 *
 * The counters are the truth: the kernel rate-limits OOM reports, skips them
 * for dying tasks, and prints the pids line only for a group's first
 * rejection, while memory.oom_control / memory.events.local oom_kill and
 * pids.events max count every one.  The kernel log gives the detail (who, which
 * limit).  So every increase of a group's own counter that the log did not
 * explain within one interval becomes an event with source "counter"; a log
 * record that arrives after its kill was so reported is marked as an update of
 * it, not counted twice.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "events.h"
#include "json.h"
#include "macro.h"

#define EV_OOM 1
#define EV_PIDS 2

static double clock_sec(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool is_oom(enum cg_event_kind k)
{
	return k == EV_OOM_KILL || k == EV_GLOBAL_OOM;
}

static void on_event(const struct cg_event *in, void *userdata)
{
	struct events *e = userdata;
	static struct cg_event ev; /* 8 KiB: not on the stack of a callback */
	double time = -1;

	cg_event_copy(&ev, in);
	ev.source = EV_SRC_KMSG;
	ev.update = false;
	if (e->tree && (is_oom(ev.kind) || ev.kind == EV_PIDS_FORK_REJECTED)) {
		const char *path = ev.kind == EV_PIDS_FORK_REJECTED ? ev.cgroup
				   : ev.task_cgroup[0]                ? ev.task_cgroup
								      : ev.cgroup;
		struct cg_node *n = path[0] ? cg_tree_find(e->tree, path) : NULL;
		if (n && is_oom(ev.kind)) {
			n->ev_oom_kmsg++;
			if (n->ev_oom_counter > 0) {
				n->ev_oom_counter--;
				ev.update = true;
			}
		} else if (n) {
			n->ev_pids_kmsg++;
			if (n->ev_pids_counter > 0) {
				n->ev_pids_counter--;
				ev.update = true;
			}
		}
	}
	if (ev.wall_sec >= 0)
		time = (double)ev.wall_sec;
	else if (e->boot_wall > 0 && ev.kernel_ts_usec >= 0)
		time = e->boot_wall + ev.kernel_ts_usec / 1e6;
	e->n_events++;
	if (e->emit)
		e->emit(&ev, time, e->userdata);
}

static void on_line(const struct kmsg_line *l, void *userdata)
{
	struct events *e = userdata;

	e->lines_since_tick++;
	oom_parser_feed(&e->parser, l);
}

int events_init(struct events *e, struct cg_tree *tree, const char *sysroot, const char *kmsg_file,
		bool since_boot)
{
	int r;

	memset(e, 0, sizeof(*e));
	e->tree = tree;
	e->kr.fd = -1;
	oom_parser_init(&e->parser, on_event, e);
	if (kmsg_file) {
		r = kmsg_reader_open_file(&e->kr, kmsg_file);
		if (r < 0)
			return r;
		e->kmsg_open = true;
		return 0;
	}
	if (sysroot && sysroot[0] && strcmp(sysroot, "/") != 0) {
		e->kmsg_err = -ENODEV; /* a captured tree has no kernel log */
		return 0;
	}
	/* printk stamps messages with the monotonic clock since boot */
	e->boot_wall = clock_sec(CLOCK_REALTIME) - clock_sec(CLOCK_MONOTONIC);
	r = kmsg_reader_open_dev(&e->kr, "/dev/kmsg", since_boot);
	if (r < 0)
		e->kmsg_err = r;
	else
		e->kmsg_open = true;
	return 0;
}

void events_done(struct events *e)
{
	if (e->kmsg_open)
		kmsg_reader_close(&e->kr);
	e->kmsg_open = false;
}

int events_poll_kmsg(struct events *e, unsigned max)
{
	int n;

	if (!e->kmsg_open)
		return 0;
	n = kmsg_reader_read(&e->kr, max, on_line, e);
	if (e->kr.lost > e->reported_lost) {
		fprintf(stderr, "cgtop: %llu kernel messages lost (overwritten before cgtop read them)\n",
			(unsigned long long)(e->kr.lost - e->reported_lost));
		e->reported_lost = e->kr.lost;
	}
	return n;
}

void events_finish(struct events *e)
{
	if (e->kmsg_open)
		kmsg_reader_finish(&e->kr, on_line, e);
}

void events_flush(struct events *e)
{
	oom_parser_flush(&e->parser);
}

static void counter_event(struct events *e, const struct cg_node *n, enum cg_event_kind kind, uint64_t count)
{
	static struct cg_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.source = EV_SRC_COUNTER;
	ev.pid = ev.uid = -1;
	ev.anon_rss_kb = ev.file_rss_kb = ev.shmem_rss_kb = ev.total_vm_kb = -1;
	ev.mem_usage_kb = ev.mem_limit_kb = ev.mem_failcnt = -1;
	ev.oom_score_adj = -1001;
	ev.order = -1;
	ev.kernel_ts_usec = -1;
	ev.wall_sec = -1;
	ev.seq = UINT64_MAX;
	ev.count = count;
	if (kind == EV_PIDS_FORK_REJECTED)
		snprintf(ev.cgroup, sizeof(ev.cgroup), "%s", n->path);
	else
		snprintf(ev.task_cgroup, sizeof(ev.task_cgroup), "%s", n->path);
	e->n_events++;
	if (e->emit)
		e->emit(&ev, clock_sec(CLOCK_REALTIME), e->userdata);
}

/* One counter of one group: unmatched = increase - explained by the log -
 * already reported.  Reported after one interval of grace, so a log record
 * read a little later still explains it. */
static void reconcile_one(struct events *e, struct cg_node *n, bool valid, uint64_t value, int bit,
			  uint64_t *base, uint64_t *kmsg, uint64_t *counter, uint64_t *pending_since,
			  uint64_t iteration, enum cg_event_kind kind)
{
	if (!valid)
		return;
	if (!(n->ev_base_valid & bit) || value < *base) {
		/* first sight, or the group was made anew: what came before is
		 * history, including log records already read */
		*base = value;
		*kmsg = *counter = 0;
		*pending_since = 0;
		n->ev_base_valid |= bit;
		return;
	}
	int64_t unmatched = (int64_t)(value - *base) - (int64_t)*kmsg - (int64_t)*counter;
	if (unmatched <= 0) {
		*pending_since = 0;
		return;
	}
	if (!*pending_since) {
		*pending_since = iteration;
		return;
	}
	if (iteration > *pending_since) {
		*counter += unmatched;
		*pending_since = 0;
		counter_event(e, n, kind, (uint64_t)unmatched);
	}
}

void events_reconcile(struct events *e, const struct sampler *s)
{
	struct cg_tree *t = e->tree;

	if (!t)
		return;
	for (struct cg_node *n = t->top; n; n = cg_tree_next(t, n)) {
		const struct cg_values *v = &n->cur;
		if (n->fresh)
			n->ev_base_valid = 0;
		reconcile_one(e, n, VALID(v, V_OOM_KILLS_LOCAL), v->v[V_OOM_KILLS_LOCAL], EV_OOM, &n->ev_oom_base,
			      &n->ev_oom_kmsg, &n->ev_oom_counter, &n->ev_oom_pending_since, s->iteration,
			      EV_OOM_KILL);
		reconcile_one(e, n, VALID(v, V_PIDS_REJECTED_LOCAL), v->v[V_PIDS_REJECTED_LOCAL], EV_PIDS,
			      &n->ev_pids_base, &n->ev_pids_kmsg, &n->ev_pids_counter, &n->ev_pids_pending_since,
			      s->iteration, EV_PIDS_FORK_REJECTED);
	}
}

/* ---- formatting ---- */

static void fmt_time(struct buf *b, double time, const struct cg_event *ev)
{
	if (time >= 0) {
		time_t t = (time_t)time;
		struct tm tm;
		char s[64];
		localtime_r(&t, &tm);
		strftime(s, sizeof(s), "%Y-%m-%d %H:%M:%S", &tm);
		buf_puts(b, s);
	} else if (ev->kernel_ts_usec >= 0) {
		buf_printf(b, "[%5lld.%06lld]", (long long)(ev->kernel_ts_usec / 1000000),
			   (long long)(ev->kernel_ts_usec % 1000000));
	} else {
		buf_puts(b, "-");
	}
}

void events_format_text(struct buf *b, const struct cg_event *ev, double time)
{
	fmt_time(b, time, ev);
	buf_printf(b, " %s", cg_event_kind_name(ev->kind));
	if (ev->cgroup[0])
		buf_printf(b, " cgroup=%s", ev->cgroup);
	if (ev->task_cgroup[0] && strcmp(ev->task_cgroup, ev->cgroup) != 0)
		buf_printf(b, " task_cgroup=%s", ev->task_cgroup);
	if (ev->pid >= 0)
		buf_printf(b, " pid=%lld", (long long)ev->pid);
	if (ev->task[0]) {
		buf_puts(b, " task=");
		json_str(b, ev->task); /* quoted: names may hold spaces */
	}
	if (ev->uid >= 0)
		buf_printf(b, " uid=%lld", (long long)ev->uid);
	if (ev->anon_rss_kb >= 0)
		buf_printf(b, " anon-rss=%lldkB file-rss=%lldkB shmem-rss=%lldkB", (long long)ev->anon_rss_kb,
			   (long long)(ev->file_rss_kb < 0 ? 0 : ev->file_rss_kb),
			   (long long)(ev->shmem_rss_kb < 0 ? 0 : ev->shmem_rss_kb));
	if (ev->mem_limit_kb >= 0)
		buf_printf(b, " limit=%lldkB", (long long)ev->mem_limit_kb);
	if (ev->source == EV_SRC_COUNTER)
		buf_printf(b, " count=%llu source=counter", (unsigned long long)ev->count);
	else
		buf_puts(b, " source=kmsg");
	if (ev->update)
		buf_puts(b, " (details an earlier counter event)");
	buf_puts(b, "\n");
}

static void jkey(struct buf *b, const char *k)
{
	buf_append(b, ",\"", 2);
	buf_puts(b, k);
	buf_append(b, "\":", 2);
}

static void jint(struct buf *b, const char *k, int64_t v, int64_t unknown)
{
	jkey(b, k);
	if (v == unknown || (unknown == -1 && v < 0))
		buf_append(b, "null", 4);
	else
		buf_put_i64(b, v);
}

/* seconds.microseconds from microseconds */
static void jusec(struct buf *b, int64_t usec)
{
	char frac[7];
	unsigned f = (unsigned)(usec % 1000000);

	buf_put_i64(b, usec / 1000000);
	frac[0] = '.';
	for (int i = 6; i >= 1; i--, f /= 10)
		frac[i] = (char)('0' + f % 10);
	buf_append(b, frac, 7);
}

static void jstr(struct buf *b, const char *k, const char *v)
{
	jkey(b, k);
	if (v[0])
		json_str(b, v);
	else
		buf_puts(b, "null");
}

void events_format_json(struct buf *b, const struct cg_event *ev, double time)
{
	buf_append(b, "{\"kind\":\"", 9);
	buf_puts(b, cg_event_kind_name(ev->kind));
	buf_puts(b, ev->source == EV_SRC_COUNTER ? "\",\"source\":\"counter\"" : "\",\"source\":\"kmsg\"");
	jkey(b, "time");
	if (time >= 0)
		jusec(b, (int64_t)(time * 1e6 + 0.5));
	else
		buf_append(b, "null", 4);
	jkey(b, "kernel_ts");
	if (ev->kernel_ts_usec >= 0)
		jusec(b, ev->kernel_ts_usec);
	else
		buf_append(b, "null", 4);
	jkey(b, "seq");
	if (ev->seq != UINT64_MAX)
		buf_put_u64(b, ev->seq);
	else
		buf_append(b, "null", 4);
	jint(b, "pid", ev->pid, -1);
	jstr(b, "task", ev->task);
	jint(b, "uid", ev->uid, -1);
	jstr(b, "cgroup", ev->cgroup);
	jstr(b, "task_cgroup", ev->task_cgroup);
	jint(b, "anon_rss_kb", ev->anon_rss_kb, -1);
	jint(b, "file_rss_kb", ev->file_rss_kb, -1);
	jint(b, "shmem_rss_kb", ev->shmem_rss_kb, -1);
	jint(b, "total_vm_kb", ev->total_vm_kb, -1);
	jstr(b, "constraint", ev->constraint);
	jint(b, "memory_usage_kb", ev->mem_usage_kb, -1);
	jint(b, "memory_limit_kb", ev->mem_limit_kb, -1);
	jint(b, "memory_failcnt", ev->mem_failcnt, -1);
	jint(b, "oom_score_adj", ev->oom_score_adj, -1001);
	if (ev->kind == EV_OOM_INVOKED) {
		jstr(b, "gfp_mask", ev->gfp_mask);
		jint(b, "order", ev->order, -1);
	}
	buf_puts(b, ev->reaped ? ",\"reaped\":true,\"count\":" : ",\"reaped\":false,\"count\":");
	buf_put_u64(b, ev->source == EV_SRC_COUNTER ? ev->count : 1);
	buf_puts(b, ev->update ? ",\"update\":true}\n" : ",\"update\":false}\n");
}
