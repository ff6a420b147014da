/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proclist.c - the processes of one group for the detail view: the pids of the
 * group's cgroup.procs (in the hierarchy that counts its tasks, the first it
 * exists in of those cg_node_tasks_hier() orders, opened from its root fd), then /proc/PID/stat and /proc/PID/statm under the sysroot for the
 * command, state and resident set.  The parsers of that text are pure and kept
 * apart from the reading; a process that exits between the two reads is just
 * skipped.  Allocates only to grow its arrays.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/macro.h"
#include "ui/proclist.h"

void proclist_init(struct proclist *pl)
{
	memset(pl, 0, sizeof(*pl));
	pl->proc_fd = -1;
	buf_init(&pl->pids, 4096);
	buf_init(&pl->file, 1024);
	pl->page_kib = sysconf(_SC_PAGESIZE) / 1024;
	if (pl->page_kib <= 0)
		pl->page_kib = 4;
}

void proclist_free(struct proclist *pl)
{
	if (pl->proc_fd >= 0)
		close(pl->proc_fd);
	free(pl->procs);
	free(pl->proc_sysroot);
	buf_free(&pl->pids);
	buf_free(&pl->file);
	memset(pl, 0, sizeof(*pl));
	pl->proc_fd = -1;
}

static int open_proc(struct proclist *pl, const char *sysroot)
{
	char path[4096];

	if (pl->proc_fd >= 0 && pl->proc_sysroot && strcmp(pl->proc_sysroot, sysroot) == 0)
		return 0;
	if (pl->proc_fd >= 0)
		close(pl->proc_fd);
	free(pl->proc_sysroot);
	pl->proc_sysroot = NULL;
	if (snprintf(path, sizeof(path), "%s/proc", sysroot) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	pl->proc_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pl->proc_fd < 0)
		return -errno;
	pl->proc_sysroot = xstrdup(sysroot);
	return 0;
}

/* One process: stat, then statm (status for VmRSS as a fallback). */
static int read_one(struct proclist *pl, int64_t pid, struct proc_info *ret)
{
	char rel[64];
	uint64_t pages, kib;
	int r;

	snprintf(rel, sizeof(rel), "%lld/stat", (long long)pid);
	r = fileio_read_at(pl->proc_fd, rel, &pl->file);
	if (r < 0)
		return r;
	r = proc_parse_stat(pl->file.data, pl->file.len, ret);
	if (r < 0)
		return r;
	snprintf(rel, sizeof(rel), "%lld/statm", (long long)pid);
	if (fileio_read_at(pl->proc_fd, rel, &pl->file) == 0 &&
	    proc_parse_statm(pl->file.data, pl->file.len, &pages) == 0) {
		ret->rss_kib = pages * (uint64_t)pl->page_kib;
		return 0;
	}
	snprintf(rel, sizeof(rel), "%lld/status", (long long)pid);
	if (fileio_read_at(pl->proc_fd, rel, &pl->file) == 0 &&
	    proc_parse_status_rss(pl->file.data, pl->file.len, &kib) == 0)
		ret->rss_kib = kib;
	return 0;
}

static uint64_t rss_or_zero(const struct proc_info *p)
{
	return p->rss_kib == UINT64_MAX ? 0 : p->rss_kib;
}

static int by_rss(const void *a, const void *b)
{
	const struct proc_info *x = a, *y = b;
	uint64_t rx = rss_or_zero(x), ry = rss_or_zero(y);

	if (rx != ry)
		return rx < ry ? 1 : -1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

int proclist_read(struct proclist *pl, const struct cg_tree *t, const struct cg_node *n, unsigned max)
{
	char rel[4096];
	const char *p, *e;
	int h, r;

	pl->n = 0;
	pl->total = 0;
	h = cg_node_tasks_hier(&t->hs, n);
	if (h < 0 || !(n->hmask & (1u << h))) {
		pl->err = -ENOENT;
		return pl->err;
	}
	r = cg_node_relpath(t, n, (unsigned)h, "cgroup.procs", rel, sizeof(rel));
	if (r == 0)
		r = fileio_read_at(t->hs.h[h].root_fd, rel, &pl->pids);
	if (r == 0)
		r = open_proc(pl, t->sysroot ? t->sysroot : "");
	if (r < 0) {
		pl->err = r;
		return r;
	}
	if (max && pl->size < max) {
		/* room for all we keep, made once */
		pl->procs = xrealloc(pl->procs, (size_t)max * sizeof(*pl->procs));
		pl->size = max;
	}
	p = pl->pids.data;
	e = p + pl->pids.len;
	while (p < e) {
		/* one pid a line; a line that is no pid is skipped */
		const char *nl = memchr(p, '\n', (size_t)(e - p)), *line = p;
		struct proc_info pi;
		uint64_t pid;

		p = nl ? nl + 1 : e;
		if (parse_u64(line, (size_t)((nl ? nl : e) - line), &pid) < 0 || pid > INT64_MAX)
			continue;
		pl->total++;
		if (!max || read_one(pl, (int64_t)pid, &pi) < 0)
			continue; /* gone meanwhile, or not readable */
		if (pl->n < max) {
			pl->procs[pl->n++] = pi;
		} else {
			/* full: replace the smallest if this one is larger */
			unsigned small = 0;

			for (unsigned i = 1; i < pl->n; i++)
				if (rss_or_zero(&pl->procs[i]) < rss_or_zero(&pl->procs[small]))
					small = i;
			if (rss_or_zero(&pi) > rss_or_zero(&pl->procs[small]))
				pl->procs[small] = pi;
		}
	}
	if (pl->n > 1)
		qsort(pl->procs, pl->n, sizeof(*pl->procs), by_rss);
	pl->err = 0;
	return 0;
}
