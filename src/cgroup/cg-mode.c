/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cg-mode.c - discovery of the cgroup hierarchies: which v1 hierarchies (with
 * their controllers, co-mounted or named) and which cgroup2 mount exist, and so
 * whether the host is v1, v2 or hybrid.  Read from /proc/self/mountinfo and
 * checked with statfs(), never from hard-coded paths; all under the sysroot.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "cgroup/cgroup.h"
#include "base/macro.h"
#include "base/missing.h"

static const char *const ctrl_names[_CTRL_MAX] = {
	[CTRL_CPU] = "cpu",
	[CTRL_CPUACCT] = "cpuacct",
	[CTRL_CPUSET] = "cpuset",
	[CTRL_MEMORY] = "memory",
	[CTRL_BLKIO] = "blkio",
	[CTRL_IO] = "io",
	[CTRL_PIDS] = "pids",
	[CTRL_DEVICES] = "devices",
	[CTRL_FREEZER] = "freezer",
	[CTRL_HUGETLB] = "hugetlb",
	[CTRL_NET_CLS] = "net_cls",
	[CTRL_NET_PRIO] = "net_prio",
	[CTRL_PERF_EVENT] = "perf_event",
	[CTRL_RDMA] = "rdma",
	[CTRL_MISC] = "misc",
};

const char *cg_mode_name(enum cg_mode m)
{
	switch (m) {
	case CG_MODE_V1:
		return "v1";
	case CG_MODE_V2:
		return "v2";
	case CG_MODE_HYBRID:
		return "hybrid";
	default:
		return "none";
	}
}

const char *cg_ctrl_name(enum cg_ctrl c)
{
	return c < _CTRL_MAX ? ctrl_names[c] : "?";
}

int cg_ctrl_from_name(const char *name, size_t len, bool v2)
{
	for (int c = 0; c < _CTRL_MAX; c++) {
		if (strlen(ctrl_names[c]) != len || memcmp(ctrl_names[c], name, len) != 0)
			continue;
		/* blkio is v1 only, io is v2 only, cpuacct and the net ones are v1 only */
		if (v2 && (c == CTRL_BLKIO || c == CTRL_CPUACCT || c == CTRL_NET_CLS || c == CTRL_NET_PRIO ||
			   c == CTRL_DEVICES || c == CTRL_FREEZER))
			return -1;
		if (!v2 && c == CTRL_IO)
			return -1;
		return c;
	}
	return -1;
}

static char *prefixed(const char *sysroot, const char *path)
{
	return xasprintf("%s%s", sysroot, path);
}

uint32_t cg_parse_v2_controllers(const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	uint32_t mask = 0;

	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\n'))
			p++;
		const char *w = p;
		while (p < end && *p != ' ' && *p != '\n')
			p++;
		int c = cg_ctrl_from_name(w, p - w, true);
		if (c >= 0)
			mask |= 1u << c;
	}
	return mask;
}

uint32_t cg_read_v2_controllers(int dfd, const char *file)
{
	struct buf b = { 0 };
	uint32_t mask = 0;

	if (fileio_read_at(dfd, file, &b) == 0)
		mask = cg_parse_v2_controllers(b.data, b.len);
	buf_free(&b);
	return mask;
}

static void parse_v1_opts(const char *opts, uint32_t *ret_mask, char **ret_name)
{
	const char *p = opts;

	*ret_mask = 0;
	*ret_name = NULL;
	while (*p) {
		const char *w = p;
		while (*p && *p != ',')
			p++;
		size_t len = p - w;
		if (len > 5 && memcmp(w, "name=", 5) == 0) {
			free(*ret_name);
			*ret_name = xstrndup(w, len);
		} else {
			int c = cg_ctrl_from_name(w, len, false);
			if (c >= 0)
				*ret_mask |= 1u << c;
		}
		if (*p == ',')
			p++;
	}
}

/* Our own line for hierarchy h in /proc/self/cgroup (text pcg): its ID, the
 * controllers as the kernel writes them and our group (namespace-relative).
 * A v1 line is matched by its set of controllers and its name, not by the
 * text: the kernel lists them in its own order (cpuset before cpu). */
static void own_line(const struct buf *pcg, struct cg_hier *h)
{
	const char *p = pcg->data, *end = pcg->data + pcg->len;
	_cleanup_free_ char *out = xmalloc(pcg->len + 1);

	h->id = -1;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct proc_cgroup_entry e;
		const char *line = p;

		p += len + (nl != NULL);
		if (parse_proc_cgroup_line(line, len, out, pcg->len + 1, &e) < 0)
			continue;
		if (h->v2) {
			if (e.hierarchy_id != 0 || *e.controllers)
				continue;
		} else {
			uint32_t mask;
			_cleanup_free_ char *name = NULL;

			if (e.hierarchy_id == 0)
				continue;
			parse_v1_opts(e.controllers, &mask, &name);
			if (mask != h->ctrl_mask || !!name != !!h->name || (name && strcmp(name, h->name)))
				continue;
		}
		h->id = (int)e.hierarchy_id;
		h->own = xstrdup(e.path);
		h->proc_label = xstrdup(e.controllers);
		return;
	}
}

static bool dir_has_pid(int dfd, const char *dir, const char *own, pid_t pid)
{
	_cleanup_free_ char *p = xasprintf("%s%s/cgroup.procs", dir, strcmp(own, "/") ? own : "");
	struct buf b = { 0 };
	char needle[32];
	bool found = false;

	snprintf(needle, sizeof(needle), "%d", (int)pid);
	if (fileio_read_at(dfd, p, &b) == 0) {
		for (char *l = b.data; l && *l;) {
			char *nl = strchr(l, '\n');
			if (nl)
				*nl = 0;
			if (strcmp(l, needle) == 0)
				found = true;
			l = nl ? nl + 1 : NULL;
		}
	}
	buf_free(&b);
	return found;
}

/* Depth-first search for the directory, `levels` below the mount root, that
 * holds our own group at `own` (namespace-relative). */
static char *find_ns_dir(int dfd, const char *dir, unsigned levels, const char *own, pid_t pid)
{
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;
	int fd;

	if (levels == 0)
		return dir_has_pid(dfd, dir, own, pid) ? xstrdup(dir) : NULL;
	fd = openat(dfd, *dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		_cleanup_free_ char *sub = *dir ? xasprintf("%s/%s", dir, de->d_name) : xstrdup(de->d_name);
		char *r = find_ns_dir(dfd, sub, levels - 1, own, pid);
		if (r)
			return r;
	}
	return NULL;
}

/* A mount made outside our cgroup namespace shows a root of "/.." (one per
 * level the namespace root lies below the mount's root).  Groups are named
 * relative to the namespace root, so find that directory; false if not found. */
static bool resolve_ns_root(struct cg_hier *h)
{
	const char *p = h->mount_root;
	unsigned levels = 0;

	while (strncmp(p, "/..", 3) == 0 && (p[3] == '/' || p[3] == 0)) {
		levels++;
		p += 3;
	}
	if (!levels)
		return true;
	if (*p)
		return false; /* "/../x": a bind mount of a sibling subtree: not ours to name */
	if (!h->own)
		return false;
	h->ns_dir = find_ns_dir(h->root_fd, "", levels, h->own, getpid());
	if (!h->ns_dir)
		return false;
	free(h->mount_root);
	h->mount_root = xstrdup("/");
	return true;
}

static bool same_hierarchy(const struct cg_hierarchies *hs, bool v2, uint32_t mask, const char *name)
{
	for (unsigned i = 0; i < hs->n; i++) {
		const struct cg_hier *h = &hs->h[i];
		if (h->v2 != v2)
			continue;
		if (v2)
			return true;
		if (h->ctrl_mask == mask &&
		    ((!h->name && !name) || (h->name && name && !strcmp(h->name, name))))
			return true;
	}
	return false;
}

int cg_discover(const char *sysroot, struct cg_hierarchies *ret)
{
	_cleanup_free_ char *mi_path = prefixed(sysroot, "/proc/self/mountinfo");
	_cleanup_fclose_ FILE *f = fopen(mi_path, "re");
	_cleanup_free_ char *line = NULL, *out = NULL, *pcg_path = prefixed(sysroot, "/proc/self/cgroup");
	size_t cap = 0, out_size = 0;
	bool live = sysroot[0] == 0;
	struct buf pcg = { 0 };
	ssize_t len;

	memset(ret, 0, sizeof(*ret));
	ret->v2 = -1;
	for (int c = 0; c < _CTRL_MAX; c++)
		ret->by_ctrl[c] = -1;
	if (!f)
		return errno == ENOENT ? -ENOENT : -errno;
	/* (a captured tree may lack it: then no hierarchy has an own group) */
	if (fileio_read_at(AT_FDCWD, pcg_path, &pcg) < 0)
		pcg.len = 0;

	while ((len = getline(&line, &cap, f)) > 0) {
		struct mountinfo_entry e;
		uint32_t mask = 0;
		_cleanup_free_ char *name = NULL;
		bool v2;

		if ((size_t)len + 1 > out_size) {
			out_size = len + 1;
			out = xrealloc(out, out_size);
		}
		if (parse_mountinfo_line(line, len, out, out_size, &e) < 0)
			continue;
		if (strcmp(e.fstype, "cgroup2") == 0)
			v2 = true;
		else if (strcmp(e.fstype, "cgroup") == 0)
			v2 = false;
		else
			continue;
		/* every mount, also the same hierarchy twice: a launched command
		 * may write through any (launch.c makes them read-only for it) */
		ret->mounts = xrealloc(ret->mounts, (ret->nmounts + 2) * sizeof(*ret->mounts));
		ret->mounts[ret->nmounts++] = xstrdup(e.mount_point);
		ret->mounts[ret->nmounts] = NULL;
		if (!v2)
			parse_v1_opts(e.super_opts, &mask, &name);
		if (!v2 && !mask && !name)
			continue;
		if (same_hierarchy(ret, v2, mask, name))
			continue; /* a bind mount of a hierarchy already seen */
		if (ret->n >= CG_MAX_HIER)
			continue; /* left out: 6.18 has 14 v1 controllers and cgroup2, so only
				   a host with several named hierarchies gets here */

		_cleanup_free_ char *full = prefixed(sysroot, e.mount_point);
		int fd = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (live) {
			struct statfs sfs;
			if (fstatfs(fd, &sfs) < 0 ||
			    (unsigned long)sfs.f_type != (v2 ? CGROUP2_SUPER_MAGIC : CGROUP_SUPER_MAGIC)) {
				close(fd);
				continue;
			}
		}
		struct cg_hier *h = &ret->h[ret->n];
		h->v2 = v2;
		h->root_fd = fd;
		h->mount_point = xstrdup(e.mount_point);
		/* Inside a cgroup namespace the root is "/"; a bind mount of a subtree
		 * shows the subtree's path, which then prefixes every group's name. */
		h->mount_root = xstrdup(e.root);
		if (v2) {
			h->ctrl_mask = cg_read_v2_controllers(fd, "cgroup.controllers");
			h->label = xstrdup("cgroup2");
		} else {
			h->ctrl_mask = mask;
			h->name = TAKE_PTR(name);
			struct buf lb = { 0 };
			for (int c = 0; c < _CTRL_MAX; c++)
				if (mask & (1u << c)) {
					if (lb.len)
						buf_puts(&lb, ",");
					buf_puts(&lb, ctrl_names[c]);
				}
			if (h->name) {
				if (lb.len)
					buf_puts(&lb, ",");
				buf_puts(&lb, h->name);
			}
			h->label = lb.data;
		}
		own_line(&pcg, h);
		if (!resolve_ns_root(h)) {
			close(h->root_fd);
			free(h->mount_point);
			free(h->mount_root);
			free(h->name);
			free(h->label);
			free(h->ns_dir);
			free(h->own);
			free(h->proc_label);
			memset(h, 0, sizeof(*h));
			continue;
		}
		if (v2)
			ret->v2 = ret->n;
		for (int c = 0; c < _CTRL_MAX && !v2; c++)
			if ((mask & (1u << c)) && ret->by_ctrl[c] < 0)
				ret->by_ctrl[c] = ret->n;
		ret->n++;
	}

	buf_free(&pcg);
	bool any_v1_ctrl = false, any_v1 = false;
	for (unsigned i = 0; i < ret->n; i++)
		if (!ret->h[i].v2) {
			any_v1 = true;
			if (ret->h[i].ctrl_mask)
				any_v1_ctrl = true;
		}
	if (ret->n == 0)
		ret->mode = CG_MODE_NONE;
	else if (ret->v2 >= 0 && any_v1_ctrl)
		ret->mode = CG_MODE_HYBRID;
	else if (ret->v2 >= 0)
		ret->mode = any_v1 ? CG_MODE_HYBRID : CG_MODE_V2;
	else
		ret->mode = CG_MODE_V1;
	if (!ret->n) {
		cg_hierarchies_free(ret); /* the mount list: nothing for a failure */
		return -ENOENT;
	}
	return 0;
}

void cg_hierarchies_free(struct cg_hierarchies *hs)
{
	for (unsigned i = 0; i < hs->n; i++) {
		struct cg_hier *h = &hs->h[i];
		if (h->root_fd >= 0)
			close(h->root_fd);
		free(h->mount_point);
		free(h->mount_root);
		free(h->ns_dir);
		free(h->name);
		free(h->label);
		free(h->own);
		free(h->proc_label);
	}
	hs->n = 0;
	for (unsigned i = 0; i < hs->nmounts; i++)
		free(hs->mounts[i]);
	free(hs->mounts);
	hs->mounts = NULL;
	hs->nmounts = 0;
	cg_plans_free(hs);
}

int cg_hier_dir(const struct cg_hier *h, const char *path, char **ret)
{
	size_t rlen = strlen(h->mount_root);
	const char *rel;

	if (h->ns_dir) {
		*ret = path[1] ? xasprintf("%s/%s", h->ns_dir, path + 1) : xstrdup(h->ns_dir);
		return 0;
	}
	if (strcmp(h->mount_root, "/") == 0)
		rel = path + 1;
	else if (strncmp(path, h->mount_root, rlen) == 0 && (path[rlen] == '/' || path[rlen] == 0))
		rel = path + rlen + (path[rlen] == '/');
	else
		return -ENOENT;
	*ret = xstrdup(rel);
	return 0;
}
