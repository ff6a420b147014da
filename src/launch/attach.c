/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * attach.c - `cgtop --attach PID`: put a running process (all its threads,
 * with --tree also its descendants) under limits, in a new group made like
 * --launch does, or in an existing --group whose limits are set first.
 * Everything that can be checked is checked before anything is moved: the
 * process exists and is no kernel thread, a v2 target holds no controllers
 * for children ("no internal processes"), and a memory limit is not below
 * what the process (or the --group) uses now unless --force.  Prints the
 * group in every hierarchy it used, one line each as /proc/PID/cgroup names
 * it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "launch/launch.h"
#include "base/macro.h"
#include "base/parse.h"
#include "base/units.h"
#include "base/fileio.h"

#define PF_KTHREAD 0x00200000

/* ppid and flags from /proc/PID/stat (the name may hold spaces and ')'). */
static int proc_stat(pid_t pid, pid_t *ppid, uint64_t *flags)
{
	char p[64], buf[1024];
	struct proc_info pi;
	int n;

	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	n = fileio_read_str_at(AT_FDCWD, p, buf, sizeof(buf));
	if (n < 0)
		return -ESRCH;
	if (proc_parse_stat(buf, (size_t)n, &pi) < 0)
		return -EINVAL;
	*ppid = (pid_t)pi.ppid;
	*flags = pi.flags;
	return 0;
}

/* VmRSS from /proc/PID/status, 0 when unknown (a kernel thread, gone). */
static uint64_t rss_bytes(pid_t pid)
{
	char p[64], buf[4096];
	uint64_t kib;
	int n;

	snprintf(p, sizeof(p), "/proc/%d/status", (int)pid);
	n = fileio_read_str_at(AT_FDCWD, p, buf, sizeof(buf));
	if (n < 0 || proc_parse_status_rss(buf, (size_t)n, &kib) < 0)
		return 0;
	return kib * 1024;
}

/* A process and its parent, from one pass over /proc. */
struct proc_parent {
	pid_t pid, ppid;
};

/* Every process and its parent; the count (with *ret allocated) or -errno. */
static int scan_parents(struct proc_parent **ret)
{
	_cleanup_closedir_ DIR *d = opendir("/proc");
	struct proc_parent *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char *e;
		long p = strtol(de->d_name, &e, 10);
		pid_t pp;
		uint64_t fl;

		if (*e || p <= 0 || proc_stat((pid_t)p, &pp, &fl) < 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = (struct proc_parent){ (pid_t)p, pp };
	}
	*ret = v;
	return (int)n;
}

/* pid and, with tree, every descendant (breadth first), however many: into
 * *ret (allocated); the count. */
static int collect(pid_t root, bool tree, pid_t **ret)
{
	struct proc_parent *all = NULL;
	pid_t *out = xmalloc(sizeof(*out));
	int n = 1, i, j, m;

	out[0] = root;
	*ret = out;
	if (!tree)
		return n;
	m = scan_parents(&all);
	/* each process is listed once, so out never needs more than m + 1 */
	if (m > 0)
		*ret = out = xrealloc(out, ((size_t)m + 1) * sizeof(*out));
	for (i = 0; i < n; i++)
		for (j = 0; j < m; j++)
			if (all[j].ppid == out[i] && all[j].pid != root)
				out[n++] = all[j].pid;
	free(all);
	return n;
}

/* For _cleanup_: the sentence a library call left in err, if any, on stderr. */
static void error_printp(struct cg_error *err)
{
	if (err->msg[0])
		fprintf(stderr, "cgtop: %s\n", err->msg);
}

int attach_main(struct launch_spec *spec)
{
	_cleanup_free_ pid_t *pids = NULL;
	_cleanup_(lcg_freep) struct lcg *g = NULL;
	const struct cg_limits *l = &spec->limits;
	char name[64], a[32], b[32];
	uint64_t flags;
	pid_t ppid;
	int n, i, r;
	bool made = false;
	_cleanup_(error_printp) struct cg_error err = { 0 };

	r = proc_stat(spec->pid, &ppid, &flags);
	if (r == -ESRCH) {
		fprintf(stderr, "cgtop: --attach %d: no such process\n", (int)spec->pid);
		return 1;
	}
	if (r == 0 && ((flags & PF_KTHREAD) || spec->pid == 2 || ppid == 2)) {
		fprintf(stderr,
			"cgtop: --attach %d: that is a kernel thread; kernel threads cannot be put under cgroup limits\n",
			(int)spec->pid);
		return 1;
	}
	n = collect(spec->pid, spec->tree, &pids);

	g = calloc(1, sizeof(*g));
	if (!g)
		return 1;
	r = lcg_discover(g);
	if (r < 0) {
		fprintf(stderr, "cgtop: no cgroup filesystem mounted\n");
		return 1;
	}
	/* a hybrid host's controller-less cgroup2 tree limits nothing: leave it alone */
	g->skip_empty_v2 = true;
	if (spec->group) {
		r = lcg_use_existing(g, spec->group, &err);
		if (r < 0)
			return 1;
		for (i = 0; i < g->n; i++) {
			char sc[256];

			if (!g->h[i].used || !g->h[i].v2)
				continue;
			if (lcg_read_in(g, i, cg_knob_name(KNOB_SUBTREE_CONTROL, true), sc, sizeof(sc)) > 0 &&
			    strcmp(spec->group, "/") != 0) {
				fprintf(stderr,
					"cgtop: cannot move pid %d into %s: that group hands controllers (%s) to its own child groups, and on cgroup v2 such a group may not hold processes itself (the \"no internal processes\" rule); choose a leaf group; nothing was changed\n",
					(int)spec->pid, spec->group, sc);
				return 1;
			}
		}
	}
	if (l->mem_max != LIMIT_UNSET && l->mem_max != CG_UNLIMITED && !spec->force) {
		uint64_t use = 0;
		char buf[64];
		uint64_t v;
		int k;

		if (spec->group) {
			k = lcg_read(g, cg_files[CGF_MEM_USAGE_V1].name, buf, sizeof(buf));
			if (k < 0)
				k = lcg_read(g, cg_files[CGF_MEM_CURRENT_V2].name, buf, sizeof(buf));
			if (k >= 0 && parse_u64(buf, (size_t)k, &v) == 0)
				use = v;
		}
		for (i = 0; i < n; i++)
			use += rss_bytes(pids[i]);
		if (use > l->mem_max) {
			fprintf(stderr,
				"cgtop: memory limit %s is below current usage %s of %s %d%s; nothing was changed (--force to do it anyway)\n",
				units_format_size(a, sizeof(a), l->mem_max),
				units_format_size(b, sizeof(b), use), spec->group ? "group and pid" : "pid",
				(int)spec->pid, n > 1 ? " and its descendants" : "");
			return 1;
		}
	}
	if (spec->group) {
		r = lcg_set_limits(g, l, &err);
		if (r < 0)
			return 1;
	} else {
		if (!spec->name) {
			snprintf(name, sizeof(name), "attach-%d", (int)spec->pid);
			spec->name = name;
		}
		r = lcg_resolve(g, l, spec->parent, spec->name, &err);
		if (r < 0)
			return 1;
		r = lcg_create(g, l, &err);
		if (r < 0)
			return 1;
		made = true;
	}
	for (i = 0; i < n; i++) {
		cg_error_clear(&err);
		r = lcg_attach(g, pids[i], -1, &err);
		if (r == -ESRCH && i > 0)
			continue; /* a descendant that ended meanwhile */
		if (r < 0) {
			fprintf(stderr, "cgtop: %s\n", err.msg);
			cg_error_clear(&err);
			if (i == 0 && made)
				lcg_destroy(g, &err); /* nothing moved yet: leave no empty group */
			else if (i > 0)
				fprintf(stderr, "cgtop: %d of %d processes were moved into %s\n", i, n,
					lcg_path(g));
			return 1;
		}
	}
	/* one line per hierarchy, as /proc/PID/cgroup names it: "4:memory:/x/a",
	 * "0::/x/a" (the path alone would hide that there are several) */
	for (i = 0; i < g->n; i++) {
		const struct cg_hier *ch = g->h[i].ch;

		if (g->h[i].used)
			printf("%d:%s:%s\n", ch->id, ch->id >= 0 ? ch->proc_label : ch->label, g->h[i].path);
	}
	fflush(stdout);
	return 0;
}
