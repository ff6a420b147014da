/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * forks.c - forks per second per group.  The proc connector names the parent
 * of each fork; the parent's group is looked up once per interval and parent
 * (/proc/PID/cgroup), not per fork: a storm of forks from one parent costs one
 * read a second, and the child, often gone already, is never looked at.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "cgroup/cgroup.h"
#include "sample/forks.h"

/* drained per poll: 64 datagrams of up to 16 KiB, bounded so a storm cannot
 * keep the loop from refreshing */
#define FORKS_DRAIN 64

void forks_init(struct forks *f, unsigned needs, const char *sysroot, bool quiet)
{
	memset(f, 0, offsetof(struct forks, path));
	f->pc.fd = -1;
	f->pc.nl = NULL;
	f->wanted = needs & NEED_FORKS;
	/* the connector reports the running kernel, never a saved tree */
	if (!f->wanted || (sysroot && sysroot[0] && strcmp(sysroot, "/") != 0))
		return;
	if (procconn_open(&f->pc) < 0 && !quiet)
		fprintf(stderr, "cgtop: %s\n", procconn_off_reason(f->pc.err));
	buf_init(&f->scratch, 1024);
}

void forks_done(struct forks *f)
{
	procconn_close(&f->pc);
	buf_free(&f->scratch);
}

int forks_fd(const struct forks *f)
{
	return f->pc.fd;
}

void forks_poll(struct forks *f)
{
	procconn_drain(&f->pc, FORKS_DRAIN);
}

/* The group of process tgid in hierarchy h (namespace-relative, as the tree
 * names groups), into f->path; false when the process is gone. */
static bool group_of(struct forks *f, const struct cg_hier *h, int32_t tgid)
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
		    ce.hierarchy_id == (unsigned)(h->v2 ? 0 : h->id) && (h->v2 == !ce.controllers[0])) {
			if (ce.path != f->path)
				memmove(f->path, ce.path, strlen(ce.path) + 1);
			return true;
		}
		p += len + 1;
	}
	return false;
}

void forks_attribute(struct forks *f, struct sampler *s)
{
	struct cg_tree *t = s->tree;
	bool valid = f->pc.fd >= 0 && f->last_usec && s->mono_usec > f->last_usec;
	double dt = valid ? (double)(s->mono_usec - f->last_usec) / 1e6 : 0;
	int hi;

	for (unsigned i = 0; i < t->hash_size; i++)
		for (struct cg_node *n = t->hash[i]; n; n = n->hash_next) {
			n->forks = 0;
			n->forks_per_sec = 0;
			n->forks_valid = valid;
			n->forks_on = f->pc.fd >= 0;
		}
	if (f->pc.fd < 0)
		return;
	forks_poll(f);
	/* the hierarchy whose groups hold the processes the tree shows first:
	 * the memory one (as the events tracker), else cgroup2 */
	hi = t->hs.by_ctrl[CTRL_MEMORY] >= 0 ? t->hs.by_ctrl[CTRL_MEMORY] : t->hs.v2;
	if (valid && hi >= 0) {
		for (unsigned i = 0; i < PC_PARENTS; i++) {
			const struct pc_parent *p = &f->pc.parents[i];
			struct cg_node *n;

			if (!p->tgid)
				continue;
			n = group_of(f, &t->hs.h[hi], p->tgid) ? cg_tree_find(t, f->path) : NULL;
			if (n)
				n->forks += p->forks;
			else
				f->unattributed += p->forks;
		}
		for (unsigned i = 0; i < t->hash_size; i++)
			for (struct cg_node *n = t->hash[i]; n; n = n->hash_next) {
				n->forks_per_sec = (double)n->forks / dt;
				n->forks_total += n->forks;
			}
	}
	procconn_reset(&f->pc);
	f->last_usec = s->mono_usec;
}
