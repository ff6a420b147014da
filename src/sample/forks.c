/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * forks.c - forks per second per group.  The proc connector names the parent
 * of each fork; the parent's group is looked up once per interval and parent
 * (/proc/PID/cgroup), not per fork: a storm of forks from one parent costs one
 * read a second, and the child, often gone already, is never looked at.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/macro.h"
#include "cgroup/cgroup.h"
#include "sample/forks.h"

/* drained per poll: 64 datagrams of up to 16 KiB, bounded so a storm cannot
 * keep the loop from refreshing */
#define FORKS_DRAIN 64
/* batches forks_top_now() reads at most: 262144 datagrams, more than the
 * 16 MB receive buffer holds (a datagram holds one or more) */
#define FORKS_BACKLOG_BATCHES 4096

void forks_init(struct forks *f, unsigned needs, const char *sysroot, bool quiet)
{
	memset(f, 0, offsetof(struct forks, path));
	f->pc.fd = -1;
	f->pc.nl = NULL;
	f->wanted = needs & NEED_FORKS;
	/* the connector reports the running kernel, never a saved tree */
	if (!f->wanted || (sysroot && sysroot[0] && strcmp(sysroot, "/") != 0))
		return;
	if (procconn_open(&f->pc, true) < 0) {
		if (!quiet)
			fprintf(stderr, "cgtop: %s\n", procconn_off_reason(f->pc.err));
	} else
		f->group_at = xcalloc(PC_PARENTS, sizeof(*f->group_at));
	buf_init(&f->scratch, 1024);
}

void forks_done(struct forks *f)
{
	procconn_close(&f->pc);
	free(f->group_at);
	f->group_at = NULL;
	buf_free(&f->scratch);
	buf_free(&f->groups);
}

int forks_fd(const struct forks *f)
{
	return f->pc.fd;
}

/* Whether process tgid is a zombie (or dead): /proc/PID/stat's state. */
static bool exiting(struct forks *f, int32_t tgid)
{
	char file[64];
	const char *p;

	snprintf(file, sizeof(file), "/proc/%d/stat", (int)tgid);
	if (fileio_read_at(AT_FDCWD, file, &f->scratch) < 0)
		return true;
	/* "pid (comm) S ...": the comm may hold ") ", the state follows the last one */
	for (p = f->scratch.data + f->scratch.len; p > f->scratch.data && p[-1] != ')'; p--)
		;
	return p + 1 >= f->scratch.data + f->scratch.len || p[1] == 'Z' || p[1] == 'X';
}

/* The group of process tgid in the hierarchy of id hid (cgroup2 when v2;
 * namespace-relative, as the tree names groups), into f->path; false when the
 * process is gone. */
static bool group_in(struct forks *f, bool v2, int hid, int32_t tgid)
{
	char file[64];

	snprintf(file, sizeof(file), "/proc/%d/cgroup", (int)tgid);
	if (fileio_read_at(AT_FDCWD, file, &f->scratch) < 0)
		return false;
	for (const char *p = f->scratch.data, *end = p + f->scratch.len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		struct proc_cgroup_entry ce;

		if (len < sizeof(f->path) - 1 &&
		    parse_proc_cgroup_line(p, len, f->path, sizeof(f->path), &ce) == 0 &&
		    ce.hierarchy_id == (unsigned)(v2 ? 0 : hid) && (v2 == !ce.controllers[0])) {
			if (ce.path != f->path)
				memmove(f->path, ce.path, strlen(ce.path) + 1);
			/* a v1 hierarchy shows an exiting process (a zombie) in its
			 * root group, whatever its group was (proc_cgroup_show(),
			 * since 4.5; cgroup2 keeps the group): not its group */
			return v2 || strcmp(f->path, "/") != 0 || !exiting(f, tgid);
		}
		p += len + 1;
	}
	return false;
}

static bool group_of(struct forks *f, const struct cg_hier *h, int32_t tgid)
{
	return group_in(f, h->v2, h->id, tgid);
}

/* Reads at most FORKS_DRAIN datagrams: how many were read. */
static int poll_once(struct forks *f)
{
	int n = procconn_drain(&f->pc, FORKS_DRAIN);
	/* the parents that forked for the first time in this interval: their group now, while
	 * they live (one read of /proc/PID/cgroup per parent and interval, as at the sample);
	 * by the sample, a parent and all its children may be gone (a vfork storm's worker
	 * that ends, a shell that ran a few commands) */
	for (unsigned i = 0; i < f->pc.n_fresh && f->hier_known; i++) {
		unsigned k = f->pc.fresh[i];
		size_t off = f->groups.len;

		if (!group_in(f, f->hier_v2, f->hier_id, f->pc.parents[k].tgid))
			continue;
		buf_append(&f->groups, f->path, strlen(f->path) + 1);
		f->group_at[k] = (uint32_t)off + 1;
	}
	f->pc.n_fresh = 0;
	return n;
}

void forks_poll(struct forks *f)
{
	poll_once(f);
}

/* The command of process tgid (/proc/PID/comm) into comm ("" when gone). */
static void comm_of(struct forks *f, int32_t tgid, char comm[16])
{
	char file[64];
	size_t len;

	comm[0] = '\0';
	snprintf(file, sizeof(file), "/proc/%d/comm", (int)tgid);
	if (fileio_read_at(AT_FDCWD, file, &f->scratch) < 0)
		return;
	len = f->scratch.len;
	while (len && f->scratch.data[len - 1] == '\n')
		len--;
	if (len > 15)
		len = 15;
	memcpy(comm, f->scratch.data, len);
	comm[len] = '\0';
}

/* The hierarchy whose groups hold the processes the tree shows first: the
 * memory one (as the events tracker), else cgroup2; -1 none. */
static int hier(const struct cg_tree *t)
{
	return t->hs.by_ctrl[CTRL_MEMORY] >= 0 ? t->hs.by_ctrl[CTRL_MEMORY] : t->hs.v2;
}

/* The group of forking parent p into f->path: the parent's own, or, when it is
 * gone already (a storm's short-lived middlemen), the one it had when its first
 * fork was read, else its last child's, which inherited it at the fork.  Returns
 * the process looked at (-1: the parent, gone), 0 none. */
static int32_t parent_group(struct forks *f, const struct cg_hier *h, const struct pc_parent *p)
{
	uint32_t at = f->group_at[p - f->pc.parents];

	if (group_of(f, h, p->tgid))
		return p->tgid;
	if (at && at <= f->groups.len) {
		snprintf(f->path, sizeof(f->path), "%s", f->groups.data + at - 1);
		return -1;
	}
	if (p->last_child > 0 && group_of(f, h, p->last_child))
		return p->last_child;
	return 0;
}

static void add_forker(struct forks *f, struct ev_forker *top, unsigned *n, const struct pc_parent *p,
		       int32_t who)
{
	struct ev_forker x = { .pid = p->tgid, .forks = p->forks, .exited = who != p->tgid };
	bool listed = false;

	for (unsigned i = 0; i < *n && !listed; i++)
		listed = top[i].pid == x.pid;
	/* the command only for a parent that makes the list: a storm of parents
	 * costs one more read per parent at most, most of them none (of a parent
	 * gone, its last child's, as a fork leaves it) */
	if (!listed) {
		if (!forks_top_enters(top, *n, x.forks))
			return;
		comm_of(f, who > 0 ? who : p->last_child, x.comm);
	}
	forks_top_add(top, n, &x);
}

void forks_attribute(struct forks *f, struct sampler *s)
{
	struct cg_tree *t = s->tree;
	bool valid = f->pc.fd >= 0 && f->last_usec && s->mono_usec > f->last_usec;
	double dt = valid ? (double)(s->mono_usec - f->last_usec) / 1e6 : 0;
	int hi;

	for (unsigned i = 0; i < t->hash_size; i++)
		for (struct cg_node *n = t->hash[i]; n; n = n->hash_next) {
			struct node_forkers *nf = cg_node_forkers(n);

			if (nf) {
				nf->forks = 0;
				nf->per_sec = 0;
			}
			n->forks_valid = valid;
			n->forks_on = f->pc.fd >= 0;
		}
	if (f->pc.fd < 0)
		return;
	forks_poll(f);
	hi = hier(t);
	if (valid && hi >= 0) {
		for (unsigned i = 0; i < PC_PARENTS; i++) {
			const struct pc_parent *p = &f->pc.parents[i];
			struct cg_node *n;
			int32_t who;

			if (!p->tgid)
				continue;
			who = parent_group(f, &t->hs.h[hi], p);
			n = who ? cg_tree_find(t, f->path) : NULL;
			if (!n) {
				f->unattributed += p->forks;
				continue;
			}
			struct node_forkers *nf = cg_node_forkers(n);
			if (!nf)
				nf = cg_node_more(n)->forkers = xcalloc(1, sizeof(*nf));
			nf->forks += p->forks;
			if (nf->usec != s->mono_usec) {
				/* the first parent of this group in this interval: the
				 * list is of the last interval in which it forked */
				nf->n = 0;
				nf->usec = s->mono_usec;
				nf->span_usec = s->mono_usec - f->last_usec;
			}
			add_forker(f, nf->top, &nf->n, p, who);
		}
		for (unsigned i = 0; i < t->hash_size; i++)
			for (struct cg_node *n = t->hash[i]; n; n = n->hash_next)
				if (cg_node_forkers(n)) {
					struct node_forkers *nf = n->more->forkers;

					nf->per_sec = (double)nf->forks / dt;
					nf->total += nf->forks;
				}
	}
	procconn_reset(&f->pc);
	memset(f->group_at, 0, PC_PARENTS * sizeof(*f->group_at));
	f->groups.len = 0;
	f->hier_known = hi >= 0;
	if (hi >= 0) {
		f->hier_v2 = t->hs.h[hi].v2;
		f->hier_id = t->hs.h[hi].id;
	}
	f->last_usec = s->mono_usec;
}

static bool under(const char *p, const char *g)
{
	size_t l = strlen(g);

	if (strcmp(g, "/") == 0)
		return true;
	return strncmp(p, g, l) == 0 && (p[l] == '\0' || p[l] == '/');
}

unsigned forks_top_now(struct forks *f, const struct cg_tree *t, const struct cg_node *g,
		       struct ev_forker *top, unsigned n, uint64_t *span_usec)
{
	int hi = hier(t);

	*span_usec = 0;
	if (f->pc.fd < 0 || hi < 0)
		return 0;
	/* the whole backlog, not one batch: on a busy host the kernel's line
	 * of a rejection is read behind thousands of other processes' fork
	 * events, and the forks that led to it are among them (CI, under load:
	 * 2 of a bomb's 16 forks counted).  Bounded, more than the socket's
	 * buffer holds: a storm that outruns the reads cannot keep it here. */
	for (unsigned k = 0; k < FORKS_BACKLOG_BATCHES && poll_once(f) == FORKS_DRAIN; k++)
		;
	if (f->last_usec)
		*span_usec = clock_mono_usec() - f->last_usec;
	for (unsigned i = 0; i < PC_PARENTS; i++) {
		const struct pc_parent *p = &f->pc.parents[i];
		int32_t who;

		if (!p->tgid)
			continue;
		who = parent_group(f, &t->hs.h[hi], p);
		if (who && under(f->path, g->path))
			add_forker(f, top, &n, p, who);
	}
	return n;
}
