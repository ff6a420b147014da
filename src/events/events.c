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
 *
 * A kill whose report the rate limit left out comes as a "Killed process N"
 * line alone: its group is looked up by its pid (the victim's /proc/PID/cgroup
 * while it is not yet reaped, else the cgroup.procs of the last two refreshes,
 * which still hold a group removed right after the kill), else it waits one
 * refresh for a counter: the one group whose kill counter rose is its group.
 *
 * A fork rejection's line names the forking group; the group whose pids.max
 * was reached is judged from pids.current and pids.max on its path, read when
 * the event is handled: the lowest group at its limit, as the kernel charges
 * (kernel/cgroup/pids.c pids_try_charge), else the lowest limit on the path.
 *
 * With the proc connector (forks.h), a fork rejection names the parents that
 * forked most in the forking group (or below the group at its limit) in the
 * last seconds, a group whose own processes fork faster than the storm
 * threshold is a fork_storm event, and the connector's overruns are reported.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "events/events.h"
#include "base/json.h"
#include "base/macro.h"
#include "base/utf8.h"
#include "base/clock.h"
#include "sample/node-events.h"

/* Group n's state here, allocated the first time it is looked at (once in the group's life),
 * freed with the node. */
static struct node_events *node_events(struct cg_node *n)
{
	if (!n->ev) {
		/* a counter with its base 0 and nothing since (ev_zero) is
		 * what calloc gives but for its bit */
		n->ev = xcalloc(1, sizeof(*n->ev));
		n->ev->base_valid = n->ev_zero;
		n->ev_zero = 0;
	}
	return n->ev;
}

static bool is_oom(enum cg_event_kind k)
{
	return k == EV_OOM_KILL || k == EV_GLOBAL_OOM;
}

static uint64_t iteration(const struct events *e)
{
	return e->s ? e->s->iteration : 0;
}

static void deliver(struct events *e, const struct cg_event *ev)
{
	double time = -1;

	if (ev->wall_sec >= 0)
		time = (double)ev->wall_sec;
	else if (e->boot_wall > 0 && ev->kernel_ts_usec >= 0)
		time = e->boot_wall + ev->kernel_ts_usec / 1e6;
	else if (ev->source != EV_SRC_KMSG)
		time = clock_wall_sec();
	e->n_events++;
	if (is_oom(ev->kind) && e->s && e->s->map_usec && e->tree) {
		/* the groups a kill names: their memory.stat at the next sample,
		 * not up to the map tier's period later (sampler.h) */
		const char *named[] = { ev->cgroup, ev->task_cgroup };
		for (size_t i = 0; i < ARRAY_SIZE(named); i++) {
			struct cg_node *n = named[i][0] ? cg_tree_find(e->tree, named[i]) : NULL;
			if (n)
				sampler_map_soon(e->s, n);
		}
	}
	if (e->emit)
		e->emit(ev, time, e->userdata);
}

/* Is path p group g or below it? */
static bool path_under(const char *p, const char *g)
{
	size_t l = strlen(g);

	if (strcmp(g, "/") == 0)
		return p[0] == '/';
	return strncmp(p, g, l) == 0 && (p[l] == '\0' || p[l] == '/');
}

bool events_path_under(const char *p, const char *g)
{
	return path_under(p, g);
}

bool events_in_path(const char *cgroup, const char *task_cgroup, const char *path)
{
	bool cg = cgroup && cgroup[0], task = task_cgroup && task_cgroup[0];

	if (!strcmp(path, "/") || (!cg && !task))
		return true;
	return (cg && path_under(cgroup, path)) || (task && path_under(task_cgroup, path));
}

/* ---- the processes of each memory group ---- */

static int hier_of(const struct cg_hierarchies *hs, enum cg_ctrl c)
{
	return hs->by_ctrl[c] >= 0 ? hs->by_ctrl[c] : hs->v2;
}

/* The memory cgroup of a group: itself, or on v2 the nearest ancestor that has
 * the memory controller (the one the kernel charges and names). */
static const struct cg_node *memcg_of(const struct cg_node *n)
{
	const struct cg_node *m = n;

	while (m && !(m->ctrl_mask & (1u << CTRL_MEMORY)))
		m = m->parent;
	return m ? m : n;
}

static void on_procs(struct sampler *s, struct cg_node *n, const char *text, size_t len, void *userdata)
{
	struct events *e = userdata;
	const struct cg_tree *t = s->tree;
	struct buf *b;

	if (!len || n->src[CGF_PROCS] != hier_of(&t->hs, CTRL_MEMORY))
		return;
	if (e->procs_iter[e->procs_cur] != s->iteration) {
		/* the first list of this refresh: the older of the two buffers is reused */
		e->procs_cur ^= 1;
		b = &e->procs[e->procs_cur];
		if (!b->data)
			buf_init(b, 4096);
		b->len = 0;
		e->procs_iter[e->procs_cur] = s->iteration;
	}
	b = &e->procs[e->procs_cur];
	buf_puts(b, memcg_of(n)->path);
	buf_append(b, "\0\n", 2);
	buf_append(b, text, len);
	if (text[len - 1] != '\n')
		buf_append(b, "\n", 1);
	buf_append(b, "", 1);
}

/* The group whose cgroup.procs listed pid at one of the last two refreshes, or NULL. */
static const char *procs_lookup(const struct events *e, int64_t pid)
{
	char needle[32];
	int nl = snprintf(needle, sizeof(needle), "\n%lld\n", (long long)pid);

	/* the newer list first: a pid that moved is where it was last seen */
	for (unsigned k = 0; k < 2; k++) {
		unsigned i = e->procs_cur ^ k;
		const struct buf *b = &e->procs[i];
		const char *p = b->data, *end = b->data + b->len;

		if (!b->data || !b->len || e->procs_iter[i] + 2 < iteration(e))
			continue;
		while (p < end) {
			const char *path = p, *text = p + strlen(p) + 1, *te = text + strlen(text);

			if (te > end)
				break;
			if (memmem(text, (size_t)(te - text), needle, (size_t)nl))
				return path;
			p = te + 1;
		}
	}
	return NULL;
}

/* Is word w one of the comma-separated words of list? */
static bool has_token(const char *list, const char *w)
{
	size_t l = strlen(w);

	for (const char *p = list; (p = strstr(p, w)); p += l)
		if ((p == list || p[-1] == ',') && (p[l] == '\0' || p[l] == ','))
			return true;
	return false;
}

/* The memory group of a process that is still there (an OOM victim stays until
 * its parent reaps it), from /proc/PID/cgroup, if its name is task (the pid was
 * not taken by another process since).  Writes it to out; false when unknown. */
static bool proc_lookup(struct events *e, int64_t pid, const char *task, char *out, size_t size)
{
	const struct cg_hierarchies *hs = &e->tree->hs;
	int mh = hier_of(hs, CTRL_MEMORY);
	char path[64], line[EV_PATH_MAX + 64];
	bool found = false;

	if (mh < 0 || pid <= 0)
		return false;
	if (!e->scratch.data)
		buf_init(&e->scratch, 1024);
	snprintf(path, sizeof(path), "/proc/%lld/comm", (long long)pid);
	if (fileio_read_at(AT_FDCWD, path, &e->scratch) < 0)
		return false;
	if (e->scratch.len && e->scratch.data[e->scratch.len - 1] == '\n')
		e->scratch.data[--e->scratch.len] = '\0';
	if (task[0] && strcmp(e->scratch.data, task) != 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%lld/cgroup", (long long)pid);
	if (fileio_read_at(AT_FDCWD, path, &e->scratch) < 0)
		return false;
	for (const char *p = e->scratch.data, *end = p + e->scratch.len; p < end && !found;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		struct proc_cgroup_entry ce;

		if (len < sizeof(line) - 1 && parse_proc_cgroup_line(p, len, line, sizeof(line), &ce) == 0) {
			bool v2 = ce.hierarchy_id == 0 && !ce.controllers[0];

			if (hs->h[mh].v2 ? v2 : (!v2 && has_token(ce.controllers, "memory"))) {
				/* a v2 group removed meanwhile: "/a/b (deleted)" */
				size_t pl = strlen(ce.path);

				if (pl > 10 && strcmp(ce.path + pl - 10, " (deleted)") == 0)
					pl -= 10;
				/* v1 shows an exiting task (a victim) in "/" (proc_cgroup_show()) */
				if (!v2 && pl == 1)
					break;
				if (pl < size) {
					memcpy(out, ce.path, pl);
					out[pl] = '\0';
					found = true;
				}
			}
		}
		p += len + 1;
	}
	return found;
}

/* A kill without its own group: find it by the victim's pid. */
static void resolve_victim(struct events *e, struct cg_event *ev)
{
	char path[EV_PATH_MAX];
	const char *g = NULL;
	const struct cg_node *n;

	if (!e->in_backlog && proc_lookup(e, ev->pid, ev->task, path, sizeof(path)))
		g = path;
	else if (!e->in_backlog)
		g = procs_lookup(e, ev->pid);
	if (!g)
		return;
	n = cg_tree_find(e->tree, g);
	if (n)
		g = memcg_of(n)->path;
	/* a member of a group kill is in the group killed or below it */
	if (ev->task_cgroup_from == EV_FROM_OOM_GROUP && !path_under(g, ev->oom_group))
		return;
	snprintf(ev->task_cgroup, sizeof(ev->task_cgroup), "%s", g);
	ev->task_cgroup_from = EV_FROM_PROCESS;
}

/* ---- kills ---- */

static void remember_kill(struct events *e, const struct cg_event *ev)
{
	unsigned i = e->recent_next++ % EV_RECENT_MAX;

	e->recent[i].pid = ev->pid;
	snprintf(e->recent[i].path, sizeof(e->recent[i].path), "%s",
		 ev->task_cgroup[0] ? ev->task_cgroup : ev->cgroup);
}

/* A kill from the log counts against its group's counter (an update when the
 * counters reported it first). */
static void account_kill(struct events *e, struct cg_event *ev, const char *path)
{
	struct cg_node *n = path[0] ? cg_tree_find(e->tree, path) : NULL;

	if (!n)
		return;
	struct ev_counter *c = &node_events(n)->oom;
	c->kmsg++;
	if (c->counter > 0) {
		c->counter--;
		ev->update = true;
	}
}

static void unattributed_add(struct events *e)
{
	/* a counter of a group off the dashboard's screen is read every lazy_period
	 * refreshes: an increase found that late still details this kill */
	uint64_t grace = 3 + (e->s && e->s->lazy_period > 1 ? e->s->lazy_period : 0);

	if (e->n_unattributed == EV_HELD_MAX) {
		memmove(e->unattributed, e->unattributed + 1, (EV_HELD_MAX - 1) * sizeof(e->unattributed[0]));
		e->n_unattributed--;
	}
	e->unattributed[e->n_unattributed++] = iteration(e) + grace;
}

/* Kills reported without their group that a counter increase now details. */
static uint64_t unattributed_take(struct events *e, uint64_t want)
{
	uint64_t now = iteration(e), got = 0;
	unsigned k = 0;

	for (unsigned i = 0; i < e->n_unattributed; i++) {
		if (e->unattributed[i] < now)
			continue; /* expired */
		if (got < want) {
			got++;
			continue;
		}
		e->unattributed[k++] = e->unattributed[i];
	}
	e->n_unattributed = k;
	return got;
}

static void deliver_kill(struct events *e, struct cg_event *ev)
{
	const char *path = ev->task_cgroup[0] ? ev->task_cgroup : ev->cgroup;

	if (e->tree) {
		account_kill(e, ev, path);
		if (!ev->task_cgroup[0] && !e->in_backlog)
			unattributed_add(e);
		remember_kill(e, ev);
	}
	deliver(e, ev);
}

static void held_release(struct events *e, unsigned i)
{
	deliver_kill(e, &e->held[i].ev);
	cg_event_release(&e->held[i].ev);
	memmove(&e->held[i], &e->held[i + 1], (e->n_held - i - 1) * sizeof(e->held[0]));
	e->n_held--;
	/* the last slot's evidence moved down with it */
	e->held[e->n_held].ev.evidence = NULL;
}

static void hold(struct events *e, const struct cg_event *ev)
{
	if (!e->held)
		e->held = xcalloc(EV_HELD_MAX, sizeof(*e->held));
	if (e->n_held == EV_HELD_MAX)
		held_release(e, 0);
	cg_event_copy(&e->held[e->n_held].ev, ev);
	/* the counter rises at the next refresh; give it one more */
	e->held[e->n_held].until = iteration(e) + 2;
	e->n_held++;
}

/* The victim of a group kill, killed once more as a member: the kernel counted
 * it twice, so its second line explains the second count. */
static void account_repeat(struct events *e, struct cg_event *ev)
{
	const char *path = NULL;

	if (!e->tree)
		return;
	for (unsigned k = 0; k < EV_RECENT_MAX; k++)
		if (e->recent[k].pid == ev->pid && e->recent[k].path[0])
			path = e->recent[k].path;
	if (path)
		account_kill(e, ev, path);
}

/* ---- fork rejections ---- */

/* Does the group's counter of rejections count hits of its own limit (v2 6.14+
 * pids.events.local), or the rejected forks of its own processes (v1, and v2
 * before 6.14: pids.events)? */
static bool counts_limit_hits(const struct cg_node *n)
{
	return n->src[CGF_PIDS_EVENTS_LOCAL_V2] >= 0 && !(n->absent & (1ULL << CGF_PIDS_EVENTS_LOCAL_V2));
}

/* The group whose pids.max a fork of group f was refused by: the first group
 * from f up (the root has no limit) whose pids.current has reached its
 * pids.max, as the kernel charges, read now; else the lowest limit on the path
 * (the rejection is over).  NULL when no group on the path has a limit. */
static struct cg_node *limit_of(struct events *e, struct cg_node *f)
{
	int ph = hier_of(&e->tree->hs, CTRL_PIDS);
	struct cg_node *low = NULL;

	if (ph < 0)
		return NULL;
	for (struct cg_node *a = f; a && a->parent; a = a->parent) {
		const struct cg_values *v = &a->cur;

		if (!(a->hmask & (1u << ph)))
			break;
		if (e->s)
			sampler_read_now(e->s, a, NEED_PIDS | NEED_PIDS_LIMIT);
		if (!VALID(v, V_PIDS_MAX) || cg_val(v, V_PIDS_MAX) == CG_UNLIMITED)
			continue;
		if (VALID(v, V_PIDS_CURRENT) && cg_val(v, V_PIDS_CURRENT) >= cg_val(v, V_PIDS_MAX))
			return a;
		if (!low || cg_val(v, V_PIDS_MAX) < cg_val(&low->cur, V_PIDS_MAX))
			low = a;
	}
	return low;
}

static void set_limit_group(struct cg_event *ev, const struct cg_node *l)
{
	if (!l)
		return;
	snprintf(ev->cgroup, sizeof(ev->cgroup), "%s", l->path);
	ev->cgroup_from = EV_FROM_LIMITS;
}

/* ---- the parents that forked ---- */

/* The recent lists of group g and the groups below it, merged into ev: the
 * lists of the last interval in which each forked, if that ended at most
 * FORKERS_RECENT_USEC ago. */
#define FORKERS_RECENT_USEC (10 * 1000000ULL)
static void recent_forkers(struct events *e, struct cg_node *g, struct cg_event *ev)
{
	uint64_t now = e->s ? e->s->mono_usec : 0, span = 0;

	for (struct cg_node *n = g; n; n = cg_tree_next(e->tree, n)) {
		if (n != g && !path_under(n->path, g->path))
			break; /* depth first: past g's subtree */
		const struct node_forkers *nf = cg_node_forkers(n);

		if (!nf || !nf->n || nf->usec + FORKERS_RECENT_USEC < now)
			continue;
		for (unsigned i = 0; i < nf->n; i++)
			forks_top_add(ev->top_forkers, &ev->n_top_forkers, &nf->top[i]);
		if (nf->span_usec > span)
			span = nf->span_usec;
	}
	if (ev->n_top_forkers)
		ev->forkers_span_usec = (int64_t)span;
}

/* The forkers of a fork rejection in group g (the forking group, else the group
 * at its limit): the recent lists, and with now those of the interval under way
 * too (the kernel's line comes at the first failed fork, before the next sample). */
static void rejection_forkers(struct events *e, struct cg_node *g, struct cg_event *ev, bool now)
{
	uint64_t span;

	if (!e->forks || !g)
		return;
	if (e->forks->pc.fd < 0)
		return; /* off: top_forkers unknown (null) */
	recent_forkers(e, g, ev);
	if (ev->forkers_span_usec < 0)
		ev->forkers_span_usec = 0; /* on, and no fork seen in the group: [] */
	if (now) {
		ev->n_top_forkers = forks_top_now(e->forks, e->tree, g, ev->top_forkers, ev->n_top_forkers,
						  &span);
		ev->forkers_span_usec += (int64_t)span;
	}
}

/* ---- events from the log ---- */

static void on_event(const struct cg_event *in, void *userdata)
{
	struct events *e = userdata;
	struct cg_event *ev = &e->ev;

	cg_event_copy(ev, in);
	ev->source = EV_SRC_KMSG;
	ev->update = false;
	if (ev->repeat) {
		account_repeat(e, ev); /* not another kill: never reported */
		return;
	}
	if (e->tree && is_oom(ev->kind)) {
		if (!ev->task_cgroup[0] || ev->task_cgroup_from == EV_FROM_OOM_GROUP)
			resolve_victim(e, ev);
		if (!ev->task_cgroup[0] && !e->in_backlog && e->s) {
			hold(e, ev);
			return;
		}
		deliver_kill(e, ev);
		return;
	}
	if (e->tree && ev->kind == EV_PIDS_FORK_REJECTED) {
		struct cg_node *f = ev->task_cgroup[0] ? cg_tree_find(e->tree, ev->task_cgroup) : NULL;
		struct cg_node *l = f ? limit_of(e, f) : NULL;
		/* the group whose counter counts this rejection */
		struct cg_node *c = f && counts_limit_hits(f) ? l : f;

		set_limit_group(ev, l);
		if (!e->in_backlog)
			rejection_forkers(e, f, ev, true);
		if (c) {
			struct ev_counter *k = &node_events(c)->pids;
			k->kmsg++;
			if (k->counter > 0) {
				k->counter--;
				ev->update = true;
			}
		}
	}
	deliver(e, ev);
}

static void on_line(const struct kmsg_line *l, void *userdata)
{
	struct events *e = userdata;

	if (e->first_seq == UINT64_MAX && l->seq != UINT64_MAX) {
		e->first_seq = l->seq;
		e->first_ts_usec = l->ts_usec;
	}
	oom_parser_feed(&e->parser, l);
}

int events_init(struct events *e, struct cg_tree *tree, const char *sysroot, const char *kmsg_file,
		bool since_boot)
{
	int r;

	memset(e, 0, sizeof(*e));
	e->tree = tree;
	e->kr.fd = -1;
	e->first_seq = UINT64_MAX;
	e->first_ts_usec = -1;
	for (unsigned i = 0; i < EV_RECENT_MAX; i++)
		e->recent[i].pid = -1;
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
	e->boot_wall = clock_mono_epoch();
	r = kmsg_reader_open_dev(&e->kr, "/dev/kmsg", since_boot);
	if (r < 0)
		e->kmsg_err = r;
	else
		e->kmsg_open = true;
	return 0;
}

void events_attach(struct events *e, struct sampler *s)
{
	e->s = s;
	/* the process lists serve the kills of the live log */
	if (s && e->kmsg_open && e->kr.is_dev) {
		s->on_procs = on_procs;
		s->on_procs_data = e;
	}
}

void events_attach_forks(struct events *e, struct forks *f, double storm_rate)
{
	e->forks = f;
	e->fork_storm_rate = storm_rate;
	e->forks_dropped_seen = f ? f->pc.dropped : 0;
}

void events_done(struct events *e)
{
	if (e->kmsg_open)
		kmsg_reader_close(&e->kr);
	e->kmsg_open = false;
	if (e->s && e->s->on_procs == on_procs) {
		e->s->on_procs = NULL;
		e->s->on_procs_data = NULL;
	}
	buf_free(&e->procs[0]);
	buf_free(&e->procs[1]);
	buf_free(&e->scratch);
	oom_parser_done(&e->parser);
	cg_event_release(&e->ev);
	for (unsigned i = 0; i < e->n_held; i++)
		cg_event_release(&e->held[i].ev);
	free(e->held);
	e->held = NULL;
	e->n_held = 0;
}

int events_poll_kmsg(struct events *e, unsigned max)
{
	int n;

	if (!e->kmsg_open)
		return 0;
	n = kmsg_reader_read(&e->kr, max, on_line, e);
	if (n > 0)
		e->last_line_usec = clock_mono_usec();
	/* live: the log is drained for now; a kill held back for a memory.oom.group line
	 * goes out (that line follows its victim's at once) */
	if (e->kr.is_dev && n >= 0 && (unsigned)n < max)
		oom_parser_idle(&e->parser);
	if (e->in_backlog) {
		/* the oldest records, overwritten while the backlog is read: as gone
		 * as those overwritten before start */
		e->reported_lost = e->kr.lost;
	} else if (e->kr.lost > e->reported_lost) {
		fprintf(stderr, "cgtop: %llu kernel messages lost (overwritten before cgtop read them)\n",
			(unsigned long long)(e->kr.lost - e->reported_lost));
		e->reported_lost = e->kr.lost;
	}
	return n;
}

uint64_t events_read_backlog(struct events *e)
{
	uint64_t n = 0;
	int r;

	e->in_backlog = true;
	while ((r = events_poll_kmsg(e, 4096)) > 0)
		n += (uint64_t)r;
	oom_parser_flush(&e->parser);
	e->in_backlog = false;
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

void events_settle(struct events *e, uint64_t now_usec)
{
	oom_parser_idle(&e->parser);
	if (now_usec >= e->last_line_usec + EV_SETTLE_USEC)
		oom_parser_flush(&e->parser);
}

void events_end(struct events *e)
{
	oom_parser_flush(&e->parser);
	/* nothing will place the held kills any more */
	while (e->n_held)
		held_release(e, 0);
}

static void counter_event(struct events *e, struct cg_node *n, enum cg_event_kind kind, uint64_t count,
			  bool update)
{
	struct cg_event *ev = &e->ev;

	cg_event_release(ev);
	cg_event_init(ev);
	ev->kind = kind;
	ev->source = EV_SRC_COUNTER;
	ev->count = count;
	ev->update = update;
	if (kind == EV_PIDS_FORK_REJECTED && counts_limit_hits(n)) {
		/* v2 6.14+: the group whose limit was hit counts; the forking one is not known */
		snprintf(ev->cgroup, sizeof(ev->cgroup), "%s", n->path);
		ev->cgroup_from = EV_FROM_COUNTER;
	} else {
		snprintf(ev->task_cgroup, sizeof(ev->task_cgroup), "%s", n->path);
		ev->task_cgroup_from = EV_FROM_COUNTER;
		if (kind == EV_PIDS_FORK_REJECTED)
			set_limit_group(ev, limit_of(e, n));
	}
	if (kind == EV_PIDS_FORK_REJECTED)
		rejection_forkers(e, n, ev, false);
	deliver(e, ev);
}

/* Kills unexplained by the log in group n's counter now: increase - explained by
 * the log - already reported (0 when the counter has no base yet). */
static int64_t oom_unmatched(const struct cg_node *n)
{
	const struct cg_values *v = &n->cur;

	const struct ev_counter *c = node_events_counter(n, EV_BASE_OOM);

	if (n->fresh || !VALID(v, V_OOM_KILLS_LOCAL) || !c || cg_val(v, V_OOM_KILLS_LOCAL) < c->base)
		return 0;
	return (int64_t)(cg_val(v, V_OOM_KILLS_LOCAL) - c->base) - (int64_t)c->kmsg - (int64_t)c->counter;
}

/* One counter of one group: unmatched = increase - explained by the log -
 * already reported.  Reported after one interval of grace, so a log record
 * read a little later still explains it. */
static void reconcile_one(struct events *e, struct cg_node *n, bool valid, uint64_t value, int bit,
			  struct ev_counter *c, uint64_t iter, enum cg_event_kind kind)
{
	if (!valid)
		return;
	if (!n->ev) {
		/* its base 0 and nothing since, or first sight: a counter
		 * at 0 needs no state of its own */
		if (!value) {
			n->ev_zero |= bit;
			return;
		}
		c = bit == EV_BASE_OOM ? &node_events(n)->oom : &node_events(n)->pids;
	}
	if (!(n->ev->base_valid & bit) || value < c->base) {
		/* first sight, or the group was made anew: what came before is
		 * history, including log records already read */
		c->base = value;
		c->kmsg = c->counter = 0;
		c->pending_since = 0;
		n->ev->base_valid |= bit;
		return;
	}
	int64_t unmatched = (int64_t)(value - c->base) - (int64_t)c->kmsg - (int64_t)c->counter;
	if (unmatched <= 0) {
		c->pending_since = 0;
		return;
	}
	if (!c->pending_since) {
		c->pending_since = iter;
		return;
	}
	if (iter > c->pending_since) {
		uint64_t details = is_oom(kind) ? unattributed_take(e, (uint64_t)unmatched) : 0;

		c->counter += (uint64_t)unmatched;
		c->pending_since = 0;
		/* kills the log reported without their group: this is their group */
		if (details)
			counter_event(e, n, kind, details, true);
		if ((uint64_t)unmatched > details)
			counter_event(e, n, kind, (uint64_t)unmatched - details, false);
	}
}

/* Kills held for their group: joined with the one group whose kill counter
 * rose, else, after their grace, reported as they are. */
static void join_held(struct events *e)
{
	struct cg_tree *t = e->tree;
	struct cg_node *only = NULL;
	unsigned rising = 0;
	int64_t u = 0;

	for (struct cg_node *n = t->top; n; n = cg_tree_next(t, n)) {
		int64_t x = oom_unmatched(n);

		if (x > 0) {
			rising++;
			only = n;
			u = x;
		}
	}
	if (rising == 1) {
		while (e->n_held && u-- > 0) {
			struct cg_event *ev = &e->held[0].ev;

			snprintf(ev->task_cgroup, sizeof(ev->task_cgroup), "%s", only->path);
			ev->task_cgroup_from = EV_FROM_COUNTER;
			held_release(e, 0);
		}
	}
	/* several groups: which kill was whose is not known; reported without a group,
	 * the counters then give the groups as updates */
	for (unsigned i = 0; i < e->n_held;)
		if (rising > 1 || e->held[i].until <= iteration(e))
			held_release(e, i);
		else
			i++;
}

/* A group whose own processes fork faster than the threshold: one event when
 * the storm starts (forks_storm_step), naming its top forking parents. */
static void fork_storm(struct events *e, struct cg_node *n)
{
	struct cg_event *ev = &e->ev;
	const struct node_forkers *nf = cg_node_forkers(n);
	double per_sec = nf ? nf->per_sec : 0;

	if (!n->forks_valid || !forks_storm_step(&node_events(n)->fork_storm, per_sec, e->fork_storm_rate,
						 e->s ? e->s->mono_usec : 0))
		return;
	cg_event_release(ev);
	cg_event_init(ev);
	ev->kind = EV_FORK_STORM;
	ev->source = EV_SRC_PROCCONN;
	ev->count = nf ? nf->forks : 0;
	ev->forks_per_sec = per_sec;
	snprintf(ev->cgroup, sizeof(ev->cgroup), "%s", n->path);
	snprintf(ev->task_cgroup, sizeof(ev->task_cgroup), "%s", n->path);
	ev->cgroup_from = ev->task_cgroup_from = EV_FROM_PROCESS;
	if (nf) {
		ev->n_top_forkers = nf->n;
		memcpy(ev->top_forkers, nf->top, sizeof(ev->top_forkers));
		ev->forkers_span_usec = (int64_t)nf->span_usec;
	}
	deliver(e, ev);
}

/* The connector's receive buffer overran since the last sample: events lost. */
static void forks_dropped(struct events *e)
{
	struct cg_event *ev = &e->ev;
	uint64_t d = e->forks->pc.dropped;

	if (d <= e->forks_dropped_seen)
		return;
	cg_event_release(ev);
	cg_event_init(ev);
	ev->kind = EV_FORKS_DROPPED;
	ev->source = EV_SRC_PROCCONN;
	ev->count = d - e->forks_dropped_seen;
	e->forks_dropped_seen = d;
	deliver(e, ev);
}

void events_reconcile(struct events *e, const struct sampler *s)
{
	struct cg_tree *t = e->tree;

	if (!t)
		return;
	if (e->forks && e->forks->pc.fd >= 0) {
		forks_dropped(e);
		for (struct cg_node *n = t->top; n; n = cg_tree_next(t, n))
			fork_storm(e, n);
	}
	for (struct cg_node *n = t->top; n; n = cg_tree_next(t, n))
		if (n->fresh) {
			if (n->ev)
				n->ev->base_valid = 0;
			n->ev_zero = 0;
		}
	if (e->n_held)
		join_held(e);
	for (struct cg_node *n = t->top; n; n = cg_tree_next(t, n)) {
		const struct cg_values *v = &n->cur;
		bool oom = VALID(v, V_OOM_KILLS_LOCAL), pids = VALID(v, V_PIDS_REJECTED_LOCAL);

		if (!oom && !pids)
			continue;
		reconcile_one(e, n, oom, cg_val(v, V_OOM_KILLS_LOCAL), EV_BASE_OOM,
			      n->ev ? &n->ev->oom : NULL, s->iteration, EV_OOM_KILL);
		reconcile_one(e, n, pids, cg_val(v, V_PIDS_REJECTED_LOCAL), EV_BASE_PIDS,
			      n->ev ? &n->ev->pids : NULL, s->iteration, EV_PIDS_FORK_REJECTED);
	}
}

/* ---- formatting ---- */

/* Two digits, zero-padded. */
static void put2(char *d, unsigned v)
{
	d[0] = (char)('0' + v / 10 % 10);
	d[1] = (char)('0' + v % 10);
}

static void fmt_time(struct buf *b, double time, const struct cg_event *ev)
{
	if (time >= 0) {
		/* localtime_r and strftime once a minute (a saved log's events come by the
		 * hundred thousand): a zone's offset changes at a whole minute and is one
		 * of whole minutes (a local mean time of old dates is not: not kept) */
		static __thread time_t minute = -1;
		static __thread char s[32];
		static __thread size_t sl;
		time_t t = (time_t)time;

		if (t - t % 60 != minute || !sl) {
			struct tm tm;

			minute = t - t % 60;
			localtime_r(&t, &tm);
			sl = strftime(s, sizeof(s), "%Y-%m-%d %H:%M:%S", &tm);
			if (tm.tm_sec != (int)(t % 60))
				minute = -1;
		} else if (sl >= 2) {
			put2(s + sl - 2, (unsigned)(t % 60));
		}
		buf_append(b, s, sl);
	} else if (ev->kernel_ts_usec >= 0) {
		/* "[%5lld.%06lld]" */
		long long sec = (long long)(ev->kernel_ts_usec / 1000000);
		unsigned us = (unsigned)(ev->kernel_ts_usec % 1000000);
		char f[8];

		buf_append(b, "[", 1);
		for (long long w = 10000; w > 1 && sec < w; w /= 10)
			buf_append(b, " ", 1);
		buf_put_i64(b, sec);
		f[0] = '.';
		for (int i = 6; i >= 1; i--, us /= 10)
			f[i] = (char)('0' + us % 10);
		f[7] = ']';
		buf_append(b, f, 8);
	} else {
		buf_puts(b, "-");
	}
}

/* " key=value" for an integer */
static void put_kv(struct buf *b, const char *key, long long v)
{
	buf_puts(b, key);
	buf_put_i64(b, v);
}

void events_format_text(struct buf *b, const struct cg_event *ev, double time)
{
	fmt_time(b, time, ev);
	buf_append(b, " ", 1);
	buf_puts(b, cg_event_kind_name(ev->kind));
	/* names escaped (utf8.h): one cannot end its field, forge another or
	 * reach the terminal */
	if (ev->cgroup[0]) {
		buf_puts(b, " cgroup=");
		utf8_escape_text(b, ev->cgroup, strlen(ev->cgroup), false);
	}
	if (ev->task_cgroup[0] && strcmp(ev->task_cgroup, ev->cgroup) != 0) {
		buf_puts(b, " task_cgroup=");
		utf8_escape_text(b, ev->task_cgroup, strlen(ev->task_cgroup), false);
	}
	if (ev->pid >= 0)
		put_kv(b, " pid=", (long long)ev->pid);
	if (ev->task[0]) {
		buf_puts(b, " task=\"");
		utf8_escape_text(b, ev->task, strlen(ev->task), true); /* quoted: names hold blanks */
		buf_puts(b, "\"");
	}
	if (ev->uid >= 0)
		put_kv(b, " uid=", (long long)ev->uid);
	if (ev->anon_rss_kb >= 0) {
		put_kv(b, " anon-rss=", (long long)ev->anon_rss_kb);
		put_kv(b, "kB file-rss=", (long long)(ev->file_rss_kb < 0 ? 0 : ev->file_rss_kb));
		put_kv(b, "kB shmem-rss=", (long long)(ev->shmem_rss_kb < 0 ? 0 : ev->shmem_rss_kb));
		buf_append(b, "kB", 2);
	}
	if (ev->mem_limit_kb >= 0) {
		put_kv(b, " limit=", (long long)ev->mem_limit_kb);
		buf_append(b, "kB", 2);
	}
	if (ev->group_kill) {
		buf_puts(b, " group_kill");
		if (ev->oom_group[0] && strcmp(ev->oom_group, ev->task_cgroup) != 0) {
			buf_puts(b, " oom_group=");
			utf8_escape_text(b, ev->oom_group, strlen(ev->oom_group), false);
		}
	}
	if (ev->invoked_by_pid >= 0 || ev->invoked_by_task[0]) {
		buf_puts(b, " invoked_by=");
		if (ev->invoked_by_pid >= 0)
			buf_put_i64(b, ev->invoked_by_pid);
		if (ev->invoked_by_task[0]) {
			buf_puts(b, ev->invoked_by_pid >= 0 ? "/\"" : "\"");
			utf8_escape_text(b, ev->invoked_by_task, strlen(ev->invoked_by_task), true);
			buf_puts(b, "\"");
		}
	}
	if (is_oom(ev->kind) && ev->evidence && ev->evidence->have_table) {
		const struct oom_evidence *x = ev->evidence;

		put_kv(b, " tasks=", (long long)x->tasks_total);
		if (x->largest.pid >= 0) {
			put_kv(b, " largest=", (long long)x->largest.pid);
			buf_append(b, "/\"", 2);
			utf8_escape_text(b, x->largest.name, strlen(x->largest.name), true);
			buf_append(b, "\"(rss=", 6);
			buf_put_i64(b, x->largest.rss < 0 ? 0 : x->largest.rss * x->page_kb);
			buf_append(b, "kB)", 3);
		}
		if (x->victim_is_largest >= 0)
			buf_puts(b,
				 x->victim_is_largest ? " victim_is_largest=yes" : " victim_is_largest=no");
	}
	if (ev->forks_per_sec >= 0)
		buf_printf(b, " forks_per_sec=%.0f", ev->forks_per_sec);
	if (ev->n_top_forkers) {
		/* pid/"comm"(forks), the most first */
		buf_puts(b, " top_forkers=");
		for (unsigned i = 0; i < ev->n_top_forkers; i++) {
			const struct ev_forker *x = &ev->top_forkers[i];

			buf_printf(b, "%s%lld/\"", i ? "," : "", (long long)x->pid);
			utf8_escape_text(b, x->comm, strlen(x->comm), true);
			buf_printf(b, "\"(%llu)", (unsigned long long)x->forks);
		}
	}
	if (ev->source != EV_SRC_KMSG || ev->kind == EV_OOM_SUPPRESSED)
		put_kv(b, " count=", (long long)ev->count);
	buf_puts(b, " source=");
	buf_puts(b, cg_event_source_name(ev->source));
	if (ev->update)
		buf_puts(b, " (details an earlier event)");
	buf_puts(b, "\n");
}

/*
 * The JSON writer fills room reserved for the worst case through a cursor (fileio.h): a key is
 * a literal stored in place, a number written where it goes, and the only checks are one a
 * part (the event's fixed members, a group of limit_chain, the evidence), not one a piece.
 */

/* ,"KEY": in one copy of a literal (the writer puts some eighty keys an event) */
#define JKEY_LIT(k) ",\"" k "\":"
#define jkey(o, k) cursor_lit(o, JKEY_LIT(k))
#define jint(o, k, v, unknown) jint_(jkey(o, k), v, unknown)
#define jstr(o, k, v) jstr_(jkey(o, k), k, sizeof(k) - 1, v)
/* the most a jint or jstr (of an array of size bytes, its key at most JKEY_MAX bytes) writes */
#define JKEY_MAX 32
#define JINT_MAX (JKEY_MAX + CURSOR_NUM_MAX)
#define JSTR_MAX(size) (JKEY_MAX + JSON_STR_MAX(size) + JSON_HEX_MAX(JKEY_MAX, size))

static _always_inline_ char *jint_(char *o, int64_t v, int64_t unknown)
{
	if (v == unknown || (unknown == -1 && v < 0))
		return cursor_lit(o, "null");
	return cursor_i64(o, v);
}

/* seconds.microseconds from microseconds: at most CURSOR_NUM_MAX + 7 bytes */
static char *jusec(char *o, int64_t usec)
{
	unsigned f = (unsigned)(usec % 1000000);

	o = cursor_i64(o, usec / 1000000);
	o[0] = '.';
	for (int i = 6; i >= 1; i--, f /= 10)
		o[i] = (char)('0' + f % 10);
	return o + 7;
}

/* v as a JSON string, followed by ,"K_hex":... when it is no well-formed UTF-8; null when empty */
static char *jstr_(char *o, const char *k, size_t klen, const char *v)
{
	size_t len;
	bool valid;

	if (!v[0])
		return cursor_lit(o, "null");
	len = strlen(v);
	o = json_cursor_strn(o, v, len, &valid);
	return valid ? o : json_cursor_hex(o, k, klen, v, len);
}

/* a name of a few words (an event kind, a source) */
static char *jname(char *o, const char *s)
{
	size_t n = strlen(s);

	memcpy(o, s, n);
	return o + n;
}

/* kB of a count of pages of the task table, null when the column was not printed */
#define jpages(o, k, pages, page_kb) jint(o, k, (pages) < 0 ? -1 : (pages) * (page_kb), -1)

/* the most json_task writes: 14 numbers and their keys, the name */
#define JTASK_MAX (16 * JINT_MAX + JSTR_MAX(sizeof(((struct oom_task *)0)->name)))

static char *json_task(char *o, const struct oom_task *t, int page_kb)
{
	o = cursor_lit(o, "{\"pid\":");
	o = cursor_i64(o, t->pid);
	o = jint(o, "uid", t->uid, -1);
	o = jint(o, "tgid", t->tgid, -1);
	o = jpages(o, "total_vm_kb", t->total_vm, page_kb);
	o = jpages(o, "rss_kb", t->rss, page_kb);
	o = jpages(o, "rss_anon_kb", t->rss_anon, page_kb);
	o = jpages(o, "rss_file_kb", t->rss_file, page_kb);
	o = jpages(o, "rss_shmem_kb", t->rss_shmem, page_kb);
	o = jpages(o, "swap_kb", t->swapents, page_kb);
	o = jint(o, "pgtables_bytes", t->pgtables_bytes, -1);
	o = jint(o, "nr_ptes", t->nr_ptes, -1);
	o = jint(o, "nr_pmds", t->nr_pmds, -1);
	o = jint(o, "oom_score_adj", t->oom_score_adj, INT64_MIN);
	if (t->oom_adj != INT64_MIN)
		o = jint(o, "oom_adj", t->oom_adj, INT64_MIN);
	o = jstr(o, "name", t->name);
	*o++ = '}';
	return o;
}

#define json_counter(o, k, c) json_counter_(jkey(o, k), c)
#define JCOUNTER_MAX (4 * JINT_MAX)

static char *json_counter_(char *o, const struct oom_counter *c)
{
	if (c->usage_kb < 0)
		return cursor_lit(o, "null");
	o = cursor_lit(o, "{\"usage_kb\":");
	o = cursor_i64(o, c->usage_kb);
	o = jint(o, "limit_kb", c->limit_kb, -1);
	o = jint(o, "failcnt", c->failcnt, -1);
	*o++ = '}';
	return o;
}

/* The kernel's evidence of a kill: null where its report did not say (rate-limited, or
 * sysctl vm.oom_dump_tasks=0 for the table). */
static char *json_evidence(struct buf *b, char *o, const struct cg_event *ev)
{
	static const struct oom_evidence none = {
		.memsw = { -1, -1, -1 },
		.swap = { -1, -1, -1 },
		.kmem = { -1, -1, -1 },
		.largest.pid = -1,
		.victim_is_largest = -1,
	};
	const struct oom_evidence *x = ev->evidence ? ev->evidence : &none;

	o = buf_cursor_need(b, o,
			    3 * JCOUNTER_MAX + x->n_stat * (EV_STAT_KEY + 4 + CURSOR_NUM_MAX) +
				    (x->n_tasks + 1) * (JTASK_MAX + 1) + 8 * JINT_MAX);
	o = json_counter(o, "memory_swap", &x->memsw);
	o = json_counter(o, "swap", &x->swap);
	o = json_counter(o, "kmem", &x->kmem);
	o = jkey(o, "memory_stat");
	if (x->n_stat) {
		for (unsigned i = 0; i < x->n_stat; i++) {
			/* the keys are [a-z0-9_]+ (oom.c): nothing to escape; each key's array is
			 * copied whole (a fixed size: a few stores, no call) and cut at its NUL */
			const char *key = x->stat[i].key;

			o[0] = i ? ',' : '{';
			o[1] = '"';
			memcpy(o + 2, key, EV_STAT_KEY);
			o += 2 + strnlen(key, EV_STAT_KEY - 1);
			o[0] = '"';
			o[1] = ':';
			o = cursor_i64(o + 2, x->stat[i].value);
		}
		*o++ = '}';
	} else {
		o = cursor_lit(o, "null");
	}
	o = jkey(o, "tasks");
	if (x->have_table) {
		*o++ = '[';
		for (unsigned i = 0; i < x->n_tasks; i++) {
			if (i)
				*o++ = ',';
			o = json_task(o, &x->tasks[i], x->page_kb);
		}
		*o++ = ']';
	} else {
		o = cursor_lit(o, "null");
	}
	o = jint(o, "tasks_total", x->have_table ? (int64_t)x->tasks_total : -1, -1);
	o = jint(o, "page_kb", x->have_table ? x->page_kb : -1, -1);
	o = jstr(o, "page_kb_from", !x->have_table ? "" : x->page_kb_inferred ? "victim" : "assumed");
	o = jkey(o, "largest_task");
	if (x->have_table && x->largest.pid >= 0)
		o = json_task(o, &x->largest, x->page_kb);
	else
		o = cursor_lit(o, "null");
	o = jkey(o, "victim_is_largest");
	if (x->victim_is_largest < 0)
		return cursor_lit(o, "null");
	return x->victim_is_largest ? cursor_lit(o, "true") : cursor_lit(o, "false");
}

/* A path written once already (a JSON string at b->data + at, len bytes; len 0 none): an
 * event names the same group as cgroup, task_cgroup and in limit_chain. */
struct jpath {
	const char *path;
	size_t at, len;
};

/* json_cursor_strn of path under key k (and its hex key), noted in r when it can be copied
 * (well-formed UTF-8, so no hex key followed it), or copied from r when r holds the same
 * path.  At most JSON_STR_MAX + JSON_HEX_MAX of the path's length. */
static char *jpath(struct buf *b, char *o, const char *k, size_t klen, const char *path, struct jpath *r)
{
	size_t len;
	bool valid;

	if (!path[0])
		return cursor_lit(o, "null");
	if (r->len && strcmp(path, r->path) == 0) {
		memcpy(o, b->data + r->at, r->len);
		return o + r->len;
	}
	len = strlen(path);
	r->at = (size_t)(o - b->data);
	o = json_cursor_strn(o, path, len, &valid);
	r->len = valid ? (size_t)(o - b->data) - r->at : 0;
	r->path = path;
	return valid ? o : json_cursor_hex(o, k, klen, path, len);
}

struct chain_json {
	struct buf *b;
	char *o;
	unsigned n;
	const struct jpath *same; /* the event's cgroup or task_cgroup as written */
};

static void chain_json_cb(const char *path, size_t len, void *data)
{
	struct chain_json *c = data;
	const struct jpath *r = c->same;
	char *o = buf_cursor_need(c->b, c->o, 1 + JSON_STR_MAX(len));
	bool valid;

	*o++ = c->n++ ? ',' : '[';
	if (r->len && strlen(r->path) == len && memcmp(path, r->path, len) == 0) {
		memcpy(o, c->b->data + r->at, r->len);
		c->o = o + r->len;
		return;
	}
	c->o = json_cursor_strn(o, path, len, &valid);
}

/* limit_chain: the groups from task_cgroup up to cgroup, null when not known. */
static char *json_chain(struct buf *b, char *o, const struct cg_event *ev, const struct jpath *same)
{
	struct chain_json c = { b, jkey(o, "limit_chain"), 0, same };

	events_limit_chain(ev, chain_json_cb, &c);
	o = buf_cursor_need(b, c.o, 4);
	return c.n ? cursor_lit(o, "]") : cursor_lit(o, "null");
}

/* The parents that forked most: [] when the connector saw none in the group, null when it
 * is off (or the event comes from a saved log). */
static char *json_forkers(struct buf *b, char *o, const struct cg_event *ev)
{
	o = jkey(o, "forks_per_sec");
	if (ev->forks_per_sec >= 0) {
		buf_commit(b, o);
		buf_printf(b, "%.3f", ev->forks_per_sec);
		o = b->data + b->len;
	} else {
		o = cursor_lit(o, "null");
	}
	o = buf_cursor_need(b, o,
			    2 * JINT_MAX + 32 +
				    ev->n_top_forkers *
					    (3 * JINT_MAX + 32 + JSTR_MAX(sizeof(ev->top_forkers[0].comm))));
	o = jkey(o, "top_forkers");
	if (ev->forkers_span_usec < 0 && !ev->n_top_forkers) {
		o = cursor_lit(o, "null");
	} else {
		*o++ = '[';
		for (unsigned i = 0; i < ev->n_top_forkers; i++) {
			const struct ev_forker *x = &ev->top_forkers[i];

			o = i ? cursor_lit(o, ",{\"pid\":") : cursor_lit(o, "{\"pid\":");
			o = cursor_i64(o, x->pid);
			o = jstr(o, "comm", x->comm);
			o = jkey(o, "forks");
			o = cursor_u64(o, x->forks);
			o = x->exited ? cursor_lit(o, ",\"exited\":true}")
				      : cursor_lit(o, ",\"exited\":false}");
		}
		*o++ = ']';
	}
	o = jkey(o, "top_forkers_seconds");
	if (ev->forkers_span_usec >= 0)
		return jusec(o, ev->forkers_span_usec);
	return cursor_lit(o, "null");
}

/* the most the members of an event before limit_chain take: some forty keys and numbers, the
 * strings of their arrays' sizes */
#define JHEAD_MAX                                                                                            \
	(64 * JINT_MAX + 2 * JSTR_MAX(EV_TASK_MAX) + 3 * JSTR_MAX(EV_PATH_MAX) +                             \
	 JSTR_MAX(sizeof(((struct cg_event *)0)->constraint)) +                                              \
	 JSTR_MAX(sizeof(((struct cg_event *)0)->gfp_mask)))

void events_format_json(struct buf *b, const struct cg_event *ev, double time)
{
	struct jpath written = { NULL, 0, 0 };
	char *o = buf_cursor(b, JHEAD_MAX);

	o = cursor_lit(o, "{\"kind\":\"");
	o = jname(o, cg_event_kind_name(ev->kind));
	o = cursor_lit(o, "\",\"source\":\"");
	o = jname(o, cg_event_source_name(ev->source));
	*o++ = '"';
	o = jkey(o, "time");
	o = time >= 0 ? jusec(o, (int64_t)(time * 1e6 + 0.5)) : cursor_lit(o, "null");
	o = jkey(o, "kernel_ts");
	o = ev->kernel_ts_usec >= 0 ? jusec(o, ev->kernel_ts_usec) : cursor_lit(o, "null");
	o = jkey(o, "seq");
	o = ev->seq != UINT64_MAX ? cursor_u64(o, ev->seq) : cursor_lit(o, "null");
	o = jint(o, "pid", ev->pid, -1);
	o = jstr(o, "task", ev->task);
	o = jint(o, "uid", ev->uid, -1);
	o = jpath(b, jkey(o, "cgroup"), "cgroup", 6, ev->cgroup, &written);
	o = jpath(b, jkey(o, "task_cgroup"), "task_cgroup", 11, ev->task_cgroup, &written);
	o = jint(o, "anon_rss_kb", ev->anon_rss_kb, -1);
	o = jint(o, "file_rss_kb", ev->file_rss_kb, -1);
	o = jint(o, "shmem_rss_kb", ev->shmem_rss_kb, -1);
	o = jint(o, "total_vm_kb", ev->total_vm_kb, -1);
	o = jstr(o, "constraint", ev->constraint);
	o = jint(o, "memory_usage_kb", ev->mem_usage_kb, -1);
	o = jint(o, "memory_limit_kb", ev->mem_limit_kb, -1);
	o = jint(o, "memory_failcnt", ev->mem_failcnt, -1);
	o = jint(o, "oom_score_adj", ev->oom_score_adj, -1001);
	if (ev->kind == EV_OOM_INVOKED) {
		o = jstr(o, "gfp_mask", ev->gfp_mask);
		o = jint(o, "order", ev->order, -1);
	}
	o = ev->reaped ? cursor_lit(o, ",\"reaped\":true,\"count\":")
		       : cursor_lit(o, ",\"reaped\":false,\"count\":");
	o = cursor_u64(o, ev->source != EV_SRC_KMSG || ev->kind == EV_OOM_SUPPRESSED ? ev->count : 1);
	o = ev->update ? cursor_lit(o, ",\"update\":true") : cursor_lit(o, ",\"update\":false");
	o = ev->group_kill ? cursor_lit(o, ",\"group_kill\":true") : cursor_lit(o, ",\"group_kill\":false");
	o = jstr(o, "oom_group", ev->oom_group);
	o = jkey(o, "invoked_by");
	if (ev->invoked_by_pid >= 0 || ev->invoked_by_task[0]) {
		o = cursor_lit(o, "{\"pid\":");
		o = ev->invoked_by_pid >= 0 ? cursor_i64(o, ev->invoked_by_pid) : cursor_lit(o, "null");
		o = jstr(o, "task", ev->invoked_by_task);
		*o++ = '}';
	} else {
		o = cursor_lit(o, "null");
	}
	o = jstr(o, "cgroup_from", cg_event_from_name(ev->cgroup_from) ?: "");
	o = jstr(o, "task_cgroup_from", cg_event_from_name(ev->task_cgroup_from) ?: "");
	if (is_oom(ev->kind) || ev->kind == EV_PIDS_FORK_REJECTED)
		o = json_chain(b, o, ev, &written);
	if (is_oom(ev->kind))
		o = json_evidence(b, o, ev);
	if (ev->kind == EV_PIDS_FORK_REJECTED || ev->kind == EV_FORK_STORM)
		o = json_forkers(b, o, ev);
	o = buf_cursor_need(b, o, 2);
	buf_commit(b, cursor_lit(o, "}\n"));
}
