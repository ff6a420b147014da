/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * procs-gate.c - v1 process lists read only when they may have changed
 * (procs-gate.h): the proc connector's forks and exits matched against the
 * lists read before, the hierarchies whose lists were written, and the
 * overruns of both.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/macro.h"
#include "base/parse.h"
#include "sample/procconn.h"
#include "sample/procs-gate.h"
#include "sample/sampler.h"

/* datagrams read at a sample at most: past it every list is read and the
 * rest waits for the next sample */
#define PG_DRAIN 4096
/* processes of one interval's events at most: past it, every list */
#define PG_TGIDS_MAX 65536
/* the deadlines' clock (struct cg_node_procs): a 16th of a second since the
 * gate opened, 32 bits (8 years), compared in wrapping order; a sample's
 * time is rounded down to a tick, so a list is read at most PROCS_MAX_USEC
 * apart; the period and its tenths are whole ticks */
#define PG_TICK_USEC 62500
#define PG_MAX_TICKS ((uint32_t)(PROCS_MAX_USEC / PG_TICK_USEC))
_Static_assert(PROCS_MAX_USEC % (10 * PG_TICK_USEC) == 0, "the deadlines' tenths are whole ticks");

struct procs_gate {
	struct procconn pc;
	uint64_t dropped;              /* pc.dropped when last looked at */
	uint32_t hmask;                /* the hierarchies it may gate */
	uint64_t all_until;            /* every list is read up to this sample */
	uint64_t h_until[CG_MAX_HIER]; /* every list of the hierarchy, the same */
	int32_t *tgids;                /* the processes that forked or exited */
	unsigned n, cap;
	bool overflow;
	unsigned kept;       /* lists kept so far: their first deadlines are staggered */
	uint64_t epoch_usec; /* the deadlines' clock starts here (PG_TICK_USEC) */
	uint32_t now;        /* the clock at this sample (procs_gate_begin) */
};

/* Whether deadline due (ticks) has come at this sample. */
static bool pg_due(const struct procs_gate *g, uint32_t due)
{
	return (int32_t)(g->now - due) >= 0;
}

/* Whether we are in the initial cgroup namespace (the kernel's names, not a
 * namespace's, and every group of the hierarchy can be seen): its inode is
 * PROC_CGROUP_INIT_INO (include/linux/proc_ns.h, fixed since 4.6), which
 * /proc/1/ns, not always readable, need not tell. */
static bool init_cgroupns(void)
{
	struct stat self;

	return stat("/proc/self/ns/cgroup", &self) == 0 && self.st_ino == 0xEFFFFFFBu;
}

void procs_gate_open(struct sampler *s)
{
	struct cg_tree *t = s->tree;
	const char *off = getenv("CGTOP_NO_PROCS_GATE");
	uint32_t hmask = 0;

	if ((off && *off && strcmp(off, "0") != 0) || !(s->needs & (NEED_TASKS | NEED_PIDS)) ||
	    t->sysroot[0] || t->watching || !t->top || t->top != t->root)
		return;
	for (unsigned h = 0; h < t->hs.n; h++) {
		const struct cg_hier *hi = &t->hs.h[h];

		if (!hi->v2 && (t->kernfs_mask & (1u << h)) && !hi->ns_dir && hi->mount_root &&
		    strcmp(hi->mount_root, "/") == 0)
			hmask |= 1u << h;
	}
	if (!hmask || !init_cgroupns())
		return;
	struct procs_gate *g = xcalloc(1, sizeof(*g));
	if (procconn_open(&g->pc, false) < 0) {
		free(g); /* not root, or no connector: every list every refresh */
		return;
	}
	g->hmask = hmask;
	g->epoch_usec = s->mono_usec;
	s->gate = g;
	t->watch_procs = true;
}

void procs_gate_close(struct sampler *s)
{
	struct procs_gate *g = s->gate;

	if (!g)
		return;
	procconn_close(&g->pc);
	free(g->tgids);
	free(g);
	s->gate = NULL;
	s->tree->watch_procs = false;
}

static void on_event(const struct pc_event *ev, void *userdata)
{
	struct procs_gate *g = userdata;
	int32_t tgid;

	/* a process's fork puts the child in its parent's groups; an exit of
	 * any thread may be its process's last (the leader may have gone
	 * before); a new thread changes no process list */
	if (ev->kind == PC_FORK && ev->pid == ev->tgid)
		tgid = ev->parent_tgid;
	else if (ev->kind == PC_EXIT)
		tgid = ev->tgid;
	else
		return;
	if (tgid <= 0 || g->overflow)
		return;
	if (g->n == g->cap) {
		if (g->cap >= PG_TGIDS_MAX) {
			g->overflow = true;
			return;
		}
		g->cap = g->cap ? g->cap * 2 : 1024;
		g->tgids = xrealloc(g->tgids, g->cap * sizeof(*g->tgids));
	}
	g->tgids[g->n++] = tgid;
}

static int cmp_tgid(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

/* Does the list text (len bytes, NUL-terminated) hold one of the sorted tgids? */
static bool lists_one(const struct procs_gate *g, const char *text)
{
	long pid;

	for (const char *p = text; parse_pid_next(&p, &pid);) {
		int32_t key = (int32_t)pid;
		if (bsearch(&key, g->tgids, g->n, sizeof(*g->tgids), cmp_tgid))
			return true;
	}
	return false;
}

/* n's state here, made at its first read with the gate on. */
static struct cg_node_procs *node_procs(struct procs_gate *g, const struct sampler *s, struct cg_node *n)
{
	if (!n->procs) {
		struct cg_node_procs *p = n->procs = xcalloc(1, sizeof(*p));
		/* the first deadlines spread over the period, not all at once */
		uint32_t first = g->now + PG_MAX_TICKS / 10 * (1 + g->kept++ % 10);

		p->h = p->pids_h = -1;
		p->due = p->pids_due = first;
	}
	return n->procs;
}

/* Whether hierarchy h is gated and n watched there. */
static bool gated(const struct sampler *s, const struct cg_node *n, int h)
{
	const struct procs_gate *g = s->gate;

	return g && h >= 0 && (g->hmask & ~s->tree->procs_blind & (1u << h)) &&
	       cg_node_watched(s->tree, n, (unsigned)h);
}

/* Whether every list of hierarchy h is read at this sample. */
static bool all_read(const struct sampler *s, int h)
{
	const struct procs_gate *g = s->gate;

	return s->iteration <= g->all_until || s->iteration <= g->h_until[h];
}

void procs_gate_begin(struct sampler *s)
{
	struct procs_gate *g = s->gate;
	struct cg_tree *t = s->tree;
	uint64_t next = s->iteration + 1;

	if (!g)
		return;
	g->now = (uint32_t)((s->mono_usec - g->epoch_usec) / PG_TICK_USEC);
	g->n = 0;
	g->overflow = false;
	if (procconn_drain_cb(&g->pc, PG_DRAIN, on_event, g) >= PG_DRAIN || g->pc.dropped != g->dropped ||
	    g->overflow || s->notify_lost)
		g->all_until = next; /* events lost: every list, at this sample and the next */
	g->dropped = g->pc.dropped;
	for (unsigned h = 0; h < t->hs.n; h++)
		if (t->procs_written & (1u << h))
			g->h_until[h] = next;
	t->procs_written = 0;
	if (!g->n || g->all_until >= next)
		return;
	qsort(g->tgids, g->n, sizeof(*g->tgids), cmp_tgid);
	for (struct cg_node *n = t->top; n; n = cg_tree_next(t, n)) {
		struct cg_node_procs *p = n->procs;

		if (p && p->h >= 0 && p->text && lists_one(g, p->text))
			p->until = cg_count32(next);
	}
}

bool procs_gate_reads(struct sampler *s, struct cg_node *n)
{
	const struct cg_node_procs *p = n->procs;
	int h = n->src[CGF_PROCS];

	if (!gated(s, n, h) || !p || p->h != h || all_read(s, h) ||
	    (int32_t)(cg_count32(s->iteration) - p->until) <= 0 || pg_due(s->gate, p->due))
		return true;
	if (s->on_procs && p->text)
		s->on_procs(s, n, p->text, strlen(p->text), s->on_procs_data);
	return false;
}

bool procs_gate_reads_pids(struct sampler *s, struct cg_node *n)
{
	const struct cg_node_procs *p = n->procs;
	int h = n->src[CGF_PIDS_CURRENT];

	return !gated(s, n, h) || !p || p->pids_h != h || all_read(s, h) || pg_due(s->gate, p->pids_due);
}

void procs_gate_keep_pids(struct sampler *s, struct cg_node *n, bool ok, bool empty)
{
	struct procs_gate *g = s->gate;
	int h = n->src[CGF_PIDS_CURRENT];

	if (!g || h < 0 || !(g->hmask & (1u << h)))
		return;
	struct cg_node_procs *p = node_procs(g, s, n);
	/* (a new one's first is staggered) */
	if (p->pids_h >= 0)
		p->pids_due = g->now + PG_MAX_TICKS;
	p->pids_h = (int8_t)(ok && empty ? h : -1);
}

void procs_gate_keep(struct sampler *s, struct cg_node *n, const char *text, size_t len)
{
	struct procs_gate *g = s->gate;
	struct cg_node_procs *p = n->procs;
	int h = n->src[CGF_PROCS];

	if (!g || h < 0 || !(g->hmask & (1u << h)))
		return;
	if (!p)
		p = node_procs(g, s, n);
	else
		p->due = g->now + PG_MAX_TICKS;
	p->h = -1;
	if (!text)
		return; /* read anew next time */
	if (!len) {
		/* no buffer for an empty list (most groups) */
		free(p->text);
		p->text = NULL;
	} else {
		/* at its size (24 bytes a group and the lists: lists change
		 * seldom, groups are many) */
		if (!p->text || strlen(p->text) != len)
			p->text = xrealloc(p->text, len + 1);
		memcpy(p->text, text, len);
		p->text[len] = '\0';
	}
	p->h = (int8_t)h;
}
