/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cg-libcgroup.c - the launcher's groups: find every hierarchy
 * (/proc/self/mountinfo, /proc/self/cgroup), create the group with its limits
 * in every v1 hierarchy that has a controller we need and in the cgroup2
 * hierarchy, move processes in, and kill and remove it again.  The only file
 * that includes <libcgroup.h>: v1 groups are made and limited through
 * libcgroup 2.0 (cgroup_new_cgroup, cgroup_add_controller,
 * cgroup_set_value_string, cgroup_create_cgroup, cgroup_modify_cgroup), and
 * its ECG* codes become -errno here and nowhere else.  The pieces libcgroup
 * 2.0 lacks are done directly and say so where they are; every file and
 * directory done directly is opened below the hierarchy's mount point with
 * openat2(RESOLVE_BENEATH), so no group path can lead out of cgroupfs.
 * Nothing here prints: failures are -errno with the sentence in a struct
 * cg_error, and libcgroup's own logger (stdout by default) is off.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <libcgroup.h>

#include "cg-error.h"
#include "cgroup.h"
#include "launch.h"
#include "macro.h"
#include "missing.h"
#include "parse.h"

/* ---- ECG* -> -errno ---- */

static int ecg_to_errno(int r)
{
	int e;

	switch (r) {
	case 0:
		return 0;
	case ECGOTHER:
	case ECGCONTROLLERCREATEFAILED:
	case ECGCANTSETVALUE:
	case ECGROUPNOTALLOWED:
	case ECGFAIL:
		e = cgroup_get_last_errno();
		if (e > 0)
			return -e;
		return r == ECGROUPNOTALLOWED ? -EPERM : -EIO;
	case ECGROUPNOTOWNER:
		return -EPERM;
	case ECGROUPNOTEXIST:
	case ECGROUPVALUENOTEXIST:
		return -ENOENT;
	case ECGROUPNOTMOUNTED:
	case ECGROUPSUBSYSNOTMOUNTED:
		return -ENODEV;
	case ECGINVAL:
		return -EINVAL;
	case ECGNONEMPTY:
		return -EBUSY;
	case ECGROUPUNSUPP:
		return -EOPNOTSUPP;
	default:
		return -EIO;
	}
}

/* libcgroup's default logger writes its errors to stdout, which is the
 * dashboard's terminal or the --report - output: off before anything else. */
static int lcg_lib_init(void)
{
	static int done, err;

	if (!done) {
		done = 1;
		cgroup_set_logger(NULL, -1, NULL);
		err = ecg_to_errno(cgroup_init());
	}
	return err;
}

/* ---- files below a hierarchy's mount point ---- */

static bool has_dotdot(const char *rel)
{
	const char *p = rel;

	for (;;) {
		const char *e = strchrnul(p, '/');

		if (e - p == 2 && p[0] == '.' && p[1] == '.')
			return true;
		if (!*e)
			return false;
		p = e + 1;
	}
}

/* rel below the directory dfd, never above it: openat2 with RESOLVE_BENEATH
 * (Linux 5.6); cgroupfs has no symlinks and nothing is mounted inside it, so
 * any of those, or a "..", is an attempt to get out.  Before 5.6 (or where a
 * seccomp filter refuses openat2 with EPERM, as older container runtimes
 * did), openat after refusing ".." here (the paths were checked on input
 * already). */
static int open_beneath(int dfd, const char *rel, int flags)
{
	static bool no_openat2;
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS,
	};
	int fd, tries;

	for (tries = 0; !no_openat2 && tries < 16; tries++) {
		fd = (int)syscall(SYS_openat2, dfd, rel, &how, sizeof(how));
		if (fd >= 0)
			return fd;
		if (errno == ENOSYS)
			no_openat2 = true;
		else if (errno == EPERM)
			break;
		else if (errno != EAGAIN) /* EAGAIN: a rename raced with the lookup */
			return -errno;
	}
	if (tries == 16)
		return -EAGAIN;
	if (has_dotdot(rel))
		return -EXDEV;
	fd = openat(dfd, rel, flags | O_CLOEXEC | O_NOFOLLOW);
	return fd < 0 ? -errno : fd;
}

/* Open path, which is h->mnt or below it. */
static int hier_open(const struct lcg_hier *h, const char *path, int flags)
{
	size_t ml = strlen(h->mnt);
	_cleanup_close_ int mfd = -1;
	const char *rel;

	if (strncmp(path, h->mnt, ml) != 0 || (path[ml] && path[ml] != '/'))
		return -EXDEV;
	for (rel = path + ml; *rel == '/'; rel++)
		;
	mfd = open(h->mnt, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (mfd < 0)
		return -errno;
	return open_beneath(mfd, *rel ? rel : ".", flags);
}

static bool hier_exists(const struct lcg_hier *h, const char *path)
{
	_cleanup_close_ int fd = hier_open(h, path, O_PATH);

	return fd >= 0;
}

static int read_fd(int fd, char *buf, size_t size)
{
	ssize_t n = read(fd, buf, size - 1);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return (int)n;
}

static int write_fd(int fd, const char *s)
{
	size_t len = strlen(s);
	ssize_t n = write(fd, s, len);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static int read_file(const struct lcg_hier *h, const char *path, char *buf, size_t size)
{
	_cleanup_close_ int fd = hier_open(h, path, O_RDONLY);

	return fd < 0 ? fd : read_fd(fd, buf, size);
}

static int write_file(const struct lcg_hier *h, const char *path, const char *s)
{
	_cleanup_close_ int fd = hier_open(h, path, O_WRONLY);

	return fd < 0 ? fd : write_fd(fd, s);
}

/* The directory that holds path, opened beneath the mount; *ret_name its last
 * component (points into path). */
static int hier_open_parent(const struct lcg_hier *h, const char *path, const char **ret_name)
{
	char up[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (!slash || (size_t)(slash - path) >= sizeof(up) || !slash[1])
		return -EINVAL;
	memcpy(up, path, (size_t)(slash - path));
	up[slash - path] = '\0';
	*ret_name = slash + 1;
	return hier_open(h, up, O_PATH | O_DIRECTORY);
}

static int hier_mkdir(const struct lcg_hier *h, const char *path)
{
	const char *name;
	_cleanup_close_ int pfd = hier_open_parent(h, path, &name);

	if (pfd < 0)
		return pfd;
	return mkdirat(pfd, name, 0755) < 0 ? -errno : 0;
}

static int hier_rmdir(const struct lcg_hier *h, const char *path)
{
	const char *name;
	_cleanup_close_ int pfd = hier_open_parent(h, path, &name);

	if (pfd < 0)
		return pfd;
	return unlinkat(pfd, name, AT_REMOVEDIR) < 0 ? -errno : 0;
}

static bool word_in(const char *list, const char *word, char sep)
{
	size_t wl = strlen(word);
	const char *p = list;

	while (*p) {
		const char *e = strchr(p, sep);
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == wl && strncmp(p, word, wl) == 0)
			return true;
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

/* ---- discovery ---- */

_Static_assert(sizeof(((struct lcg_hier *)0)->label) == sizeof(((struct lcg_hier *)0)->ctrls),
	       "label holds ctrls");

int lcg_discover(struct lcg *g)
{
	char *line = NULL, known[512] = ",", out[4096];
	size_t cap = 0;
	ssize_t len;
	FILE *f;

	memset(g, 0, sizeof(*g));
	f = fopen("/proc/cgroups", "re");
	if (f) {
		while ((len = getline(&line, &cap, f)) > 0) {
			char name[64];

			if (line[0] == '#' || sscanf(line, "%63s", name) != 1)
				continue;
			size_t kl = strlen(known);

			snprintf(known + kl, sizeof(known) - kl, "%s,", name);
		}
		fclose(f);
	}
	f = fopen("/proc/self/mountinfo", "re");
	if (!f) {
		free(line);
		return -errno;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		struct mountinfo_entry m;
		struct lcg_hier *h = &g->h[g->n];
		char opts[256], *tok, *save = NULL;
		int i;
		bool dup = false;

		if (parse_mountinfo_line(line, (size_t)len, out, sizeof(out), &m) < 0)
			continue;
		if (strcmp(m.fstype, "cgroup2") == 0 || strcmp(m.fstype, "cgroup") == 0) {
			/* every mount, also the same hierarchy twice or one without
			 * controllers: a launched command may write through any */
			g->mounts = xrealloc(g->mounts, (size_t)(g->nmounts + 2) * sizeof(*g->mounts));
			g->mounts[g->nmounts++] = xstrdup(m.mount_point);
			g->mounts[g->nmounts] = NULL;
		}
		if (g->n >= LCG_MAX_HIER)
			continue;
		if (strcmp(m.fstype, "cgroup2") == 0) {
			if (g->v2)
				continue;
			memset(h, 0, sizeof(*h));
			h->v2 = true;
		} else if (strcmp(m.fstype, "cgroup") == 0) {
			memset(h, 0, sizeof(*h));
			snprintf(opts, sizeof(opts), "%s", m.super_opts);
			for (tok = strtok_r(opts, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				char w[80];

				snprintf(w, sizeof(w), ",%s,", tok);
				if (!strstr(known, w))
					continue;
				if (h->ctrls[0])
					strncat(h->ctrls, ",", sizeof(h->ctrls) - strlen(h->ctrls) - 1);
				strncat(h->ctrls, tok, sizeof(h->ctrls) - strlen(h->ctrls) - 1);
			}
			if (!h->ctrls[0])
				continue; /* name=systemd and the like: no controller */
			for (i = 0; i < g->n; i++)
				if (!g->h[i].v2 && strcmp(g->h[i].ctrls, h->ctrls) == 0)
					dup = true;
			if (dup)
				continue;
		} else {
			continue;
		}
		snprintf(h->mnt, sizeof(h->mnt), "%s", m.mount_point);
		snprintf(h->root, sizeof(h->root), "%s", m.root);
		if (h->v2) {
			char p[512];

			snprintf(p, sizeof(p), "%s/%s", h->mnt, cg_knob_name(KNOB_CONTROLLERS, true));
			if (read_file(h, p, h->ctrls, sizeof(h->ctrls)) < 0)
				h->ctrls[0] = '\0';
			g->v2 = true;
		} else {
			g->v1 = true;
		}
		h->own[0] = '\0';
		if (!h->v2)
			memcpy(h->label, h->ctrls, sizeof(h->label)); /* until /proc/self/cgroup names it */
		g->n++;
	}
	fclose(f);

	f = fopen("/proc/self/cgroup", "re");
	if (f) {
		while ((len = getline(&line, &cap, f)) > 0) {
			struct proc_cgroup_entry e;
			int i;

			if (parse_proc_cgroup_line(line, (size_t)len, out, sizeof(out), &e) < 0)
				continue;
			for (i = 0; i < g->n; i++) {
				struct lcg_hier *h = &g->h[i];
				const char *c;
				bool match = true;

				if (h->v2 != (e.hierarchy_id == 0 && !*e.controllers))
					continue;
				if (!h->v2) {
					/* every controller of the mount in this line */
					char tmp[128], *tok, *save = NULL;

					snprintf(tmp, sizeof(tmp), "%s", h->ctrls);
					for (tok = strtok_r(tmp, ",", &save); tok;
					     tok = strtok_r(NULL, ",", &save))
						if (!word_in(e.controllers, tok, ','))
							match = false;
				}
				if (!match)
					continue;
				c = e.path;
				snprintf(h->own, sizeof(h->own), "%s", c);
				h->id = e.hierarchy_id;
				snprintf(h->label, sizeof(h->label), "%s", e.controllers);
			}
		}
		fclose(f);
	}
	free(line);
	return g->n > 0 ? 0 : -ENODEV;
}

int lcg_v1_with(const struct lcg *g, const char *ctrl)
{
	int i;

	for (i = 0; i < g->n; i++)
		if (!g->h[i].v2 && word_in(g->h[i].ctrls, ctrl, ','))
			return i;
	return -1;
}

int lcg_v2(const struct lcg *g)
{
	int i;

	for (i = 0; i < g->n; i++)
		if (g->h[i].v2)
			return i;
	return -1;
}

/* kernel path -> directory in hierarchy h */
static int path_to_dir(const struct lcg_hier *h, const char *path, char *dir, size_t size)
{
	size_t rl = strlen(h->root);
	const char *rest = path;

	if (strcmp(h->root, "/") != 0) {
		if (strncmp(path, h->root, rl) != 0 || (path[rl] && path[rl] != '/'))
			return -ENOENT; /* outside what is mounted here */
		rest = path + rl;
	}
	if (strcmp(rest, "/") == 0)
		rest = "";
	if ((size_t)snprintf(dir, size, "%s%s", h->mnt, rest) >= size)
		return -ENAMETOOLONG;
	return 0;
}

static int join_path(char *out, size_t size, const char *parent, const char *name)
{
	if ((size_t)snprintf(out, size, "%s/%s", strcmp(parent, "/") == 0 ? "" : parent, name) >= size)
		return -ENAMETOOLONG;
	return 0;
}

/* The controllers a v2 group of these limits needs (for the report too: memory, pids). */
static bool v2_wants(const struct cg_limits *l, const char *c)
{
	if (strcmp(c, "memory") == 0 || strcmp(c, "pids") == 0)
		return true;
	if (strcmp(c, "cpu") == 0)
		return l->cpu_quota_us != LIMIT_UNSET;
	if (strcmp(c, "cpuset") == 0)
		return l->cpuset != NULL;
	return false;
}

static bool v1_wants(const struct cg_limits *l, const char *ctrls)
{
	/* memory, pids, cpuacct for the fate report; freezer to kill leftovers */
	if (word_in(ctrls, "memory", ',') || word_in(ctrls, "pids", ',') ||
	    word_in(ctrls, "cpuacct", ',') || word_in(ctrls, "freezer", ','))
		return true;
	if (word_in(ctrls, "cpu", ',') && l->cpu_quota_us != LIMIT_UNSET)
		return true;
	if (word_in(ctrls, "cpuset", ',') && l->cpuset)
		return true;
	return false;
}

/* A v1 hierarchy that a limit given on the command line needs: the others
 * (cpuacct, freezer, and memory or pids without their limit) serve only the
 * fate report and the clean-up, so a user who may not write there (an
 * unprivileged user with a delegated subtree in some hierarchies) goes on
 * without them. */
static bool v1_required(const struct cg_limits *l, const char *ctrls)
{
	if (word_in(ctrls, "memory", ',') &&
	    (l->mem_max != LIMIT_UNSET || l->mem_high != LIMIT_UNSET || l->swap_max != LIMIT_UNSET))
		return true;
	if (word_in(ctrls, "pids", ',') && l->pids_max != LIMIT_UNSET)
		return true;
	if (word_in(ctrls, "cpu", ',') && l->cpu_quota_us != LIMIT_UNSET)
		return true;
	if (word_in(ctrls, "cpuset", ',') && l->cpuset)
		return true;
	return false;
}

/* A v2 hierarchy with a controller that can limit (a hybrid host's cgroup2 tree
 * often has none, or only hugetlb). */
static bool v2_limits_here(const struct lcg_hier *h)
{
	return word_in(h->ctrls, "memory", ' ') || word_in(h->ctrls, "pids", ' ') ||
	       word_in(h->ctrls, "cpu", ' ') || word_in(h->ctrls, "cpuset", ' ');
}

static bool has_ctrl_anywhere(const struct lcg *g, const char *c)
{
	return lcg_v1_with(g, c) >= 0 || (lcg_v2(g) >= 0 && word_in(g->h[lcg_v2(g)].ctrls, c, ' '));
}

int lcg_resolve(struct lcg *g, const struct cg_limits *l, const char *parent, const char *name,
		struct cg_error *err)
{
	int i, r, used = 0;

	if ((l->mem_max != LIMIT_UNSET || l->mem_high != LIMIT_UNSET || l->swap_max != LIMIT_UNSET) &&
	    !has_ctrl_anywhere(g, "memory")) {
		return cg_error_set(err, ENODEV, "memory limits need the memory controller, which this kernel does not offer");
	}
	if (l->pids_max != LIMIT_UNSET && !has_ctrl_anywhere(g, "pids")) {
		return cg_error_set(err, ENODEV, "--pids needs the pids controller, which this kernel does not offer");
	}
	if (l->cpu_quota_us != LIMIT_UNSET && !has_ctrl_anywhere(g, "cpu")) {
		return cg_error_set(err, ENODEV, "--cpu needs the cpu controller, which this kernel does not offer");
	}
	if (l->cpuset && !has_ctrl_anywhere(g, "cpuset")) {
		return cg_error_set(err, ENODEV, "--cpuset needs the cpuset controller, which this kernel does not offer");
	}
	for (i = 0; i < g->n; i++) {
		struct lcg_hier *h = &g->h[i];
		const char *par;

		h->used = h->v2 ? !(g->skip_empty_v2 && g->v1 && !v2_limits_here(h)) :
				  v1_wants(l, h->ctrls);
		if (!h->used)
			continue;
		par = strcmp(parent, "self") == 0 ? h->own : parent;
		if (!*par)
			return cg_error_set(err, ENOENT, "cannot find our own group in %s", h->mnt);
		/* inside a cgroup namespace a group outside it reads "/../.." */
		if (parse_cgroup_path(par) < 0)
			return cg_error_set(err, EINVAL,
					    "our own group in %s is '%s', outside this cgroup namespace: use --parent with a group path",
					    h->mnt, par);
		r = join_path(h->path, sizeof(h->path), par, name);
		if (r == 0)
			r = path_to_dir(h, h->path, h->dir, sizeof(h->dir));
		if (r == -ENAMETOOLONG)
			return cg_error_set(err, r, "group path %s/%s is too long", par, name);
		if (r < 0)
			return cg_error_set(err, ENOENT, "group %s is outside what is mounted at %s (root %s)",
					    h->path, h->mnt, h->root);
		used++;
	}
	return used ? 0 : cg_error_set(err, ENODEV, "no cgroup hierarchy to make the group %s in", name);
}

const char *lcg_path(const struct lcg *g)
{
	int i;

	/* the memory hierarchy's name first: that is where the limit is */
	i = lcg_v1_with(g, "memory");
	if (i >= 0 && g->h[i].used)
		return g->h[i].path;
	for (i = 0; i < g->n; i++)
		if (g->h[i].used)
			return g->h[i].path;
	return "?";
}

/* ---- creation ---- */

static int explain_errno(struct cg_error *err, const char *what, const char *path, int r)
{
	if (r == -EACCES || r == -EPERM)
		return cg_error_set(err, r,
				    "%s %s: not permitted (needs root, or write access to a delegated subtree: use --parent with a group you own)",
				    what, path);
	if (r == -EROFS)
		return cg_error_set(err, r, "%s %s: the cgroup filesystem is read-only here", what, path);
	return cg_error_set(err, r, "%s %s: %s", what, path, strerror(-r));
}

/* v2: make the controllers available to the children of dir (walks down from
 * the mount).  Done directly: libcgroup 2.0 does not touch cgroup.subtree_control. */
static int v2_enable(struct lcg_hier *h, const struct cg_limits *l, const char *target_dir,
		     struct cg_error *err)
{
	char cur[1024], parentdir[1024], p[1100], avail[256], enabled[256];
	const char *rest;
	size_t ml = strlen(h->mnt);

	snprintf(parentdir, sizeof(parentdir), "%s", target_dir);
	*strrchr(parentdir, '/') = '\0';
	if (strlen(parentdir) < ml)
		return 0;
	rest = parentdir + ml;
	snprintf(cur, sizeof(cur), "%s", h->mnt);
	for (;;) {
		char *tok, tmp[256], *save = NULL;

		snprintf(p, sizeof(p), "%s/%s", cur, cg_knob_name(KNOB_CONTROLLERS, true));
		if (read_file(h, p, avail, sizeof(avail)) < 0)
			return 0; /* not made yet: nothing below can have controllers */
		snprintf(p, sizeof(p), "%s/%s", cur, cg_knob_name(KNOB_SUBTREE_CONTROL, true));
		if (read_file(h, p, enabled, sizeof(enabled)) < 0)
			enabled[0] = '\0';
		snprintf(tmp, sizeof(tmp), "%s", avail);
		for (tok = strtok_r(tmp, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
			char w[64];
			int r;

			if (!v2_wants(l, tok) || word_in(enabled, tok, ' '))
				continue;
			snprintf(w, sizeof(w), "+%s", tok);
			r = write_file(h, p, w);
			if (r == -EBUSY)
				return cg_error_set(err, r,
						    "cannot enable the %s controller for the groups below %s: that group has processes of its own, and on cgroup v2 a group that hands controllers to its children may not hold processes itself (the \"no internal processes\" rule); move them into a child group, or use --parent with a leaf you own",
						    tok, cur);
			if (r < 0 && r != -ENOENT)
				return explain_errno(err, "cannot enable a controller in", p, r);
		}
		if (!*rest)
			return 0;
		/* next component */
		{
			const char *e = strchr(rest + 1, '/');
			size_t n = e ? (size_t)(e - rest) : strlen(rest);

			snprintf(cur + strlen(cur), sizeof(cur) - strlen(cur), "%.*s", (int)n, rest);
			rest += n;
		}
	}
}

/* Every directory made is recorded, however deep the parent: what is not
 * recorded would not be removed. */
static void add_created(struct lcg_hier *h, const char *d)
{
	if (h->ncreated == h->created_cap) {
		h->created_cap = h->created_cap ? 2 * h->created_cap : 8;
		h->created = xrealloc(h->created, (size_t)h->created_cap * sizeof(*h->created));
	}
	h->created[h->ncreated++] = xstrdup(d);
}

static void forget_created(struct lcg_hier *h)
{
	while (h->ncreated > 0)
		free(h->created[--h->ncreated]);
}

void lcg_free(struct lcg *g)
{
	int i;

	if (!g)
		return;
	for (i = 0; i < g->n; i++) {
		forget_created(&g->h[i]);
		free(g->h[i].created);
	}
	for (i = 0; i < g->nmounts; i++)
		free(g->mounts[i]);
	free(g->mounts);
	free(g);
}

/* Make the missing parents of h->dir (recorded in h->created); a new v1 cpuset
 * parent gets its parent's cpus and mems, or its children could have none. */
static int make_parents(struct lcg_hier *h, struct cg_error *err)
{
	char d[1024];
	size_t ml = strlen(h->mnt);
	char *s;
	int r;

	snprintf(d, sizeof(d), "%s", h->dir);
	s = d + ml;
	while ((s = strchr(s + 1, '/'))) {
		*s = '\0';
		r = hier_mkdir(h, d);
		if (r == 0) {
			add_created(h, d);
			if (!h->v2 && word_in(h->ctrls, "cpuset", ',')) {
				char pp[1100], v[256], up[1024];

				snprintf(up, sizeof(up), "%s", d);
				*strrchr(up, '/') = '\0';
				snprintf(pp, sizeof(pp), "%s/%s", up, cg_knob_name(KNOB_CPUSET_CPUS, false));
				if (read_file(h, pp, v, sizeof(v)) >= 0) {
					snprintf(pp, sizeof(pp), "%s/%s", d, cg_knob_name(KNOB_CPUSET_CPUS, false));
					write_file(h, pp, v);
				}
				snprintf(pp, sizeof(pp), "%s/%s", up, cg_knob_name(KNOB_CPUSET_MEMS, false));
				if (read_file(h, pp, v, sizeof(v)) >= 0) {
					snprintf(pp, sizeof(pp), "%s/%s", d, cg_knob_name(KNOB_CPUSET_MEMS, false));
					write_file(h, pp, v);
				}
			}
		} else if (r != -EEXIST) {
			return explain_errno(err, "cannot create group directory", d, r);
		}
		*s = '/';
	}
	return 0;
}

static const char *rel_of(const struct lcg_hier *h)
{
	/* libcgroup names a group by its path below the mount point */
	const char *r = h->dir + strlen(h->mnt);

	return *r ? r : "/";
}

/* Write one knob through libcgroup. */
static int v1_set(struct lcg_hier *h, const struct cg_knob *k)
{
	return lcg_set_value(h->mnt, rel_of(h), k->controller, k->file, k->value);
}

static int knob_error(const struct lcg_hier *h, const struct cg_knob *k, int r, struct cg_error *err)
{
	char what[256];

	if (r == -EBUSY && strcmp(k->controller, "memory") == 0)
		return cg_error_set(err, r,
				    "cannot set %s of %s to %s: the group already uses more memory than that and the kernel could not reclaim enough (resource busy); nothing was changed",
				    k->file, h->path, k->value);
	if (r == -EINVAL && strcmp(k->controller, "cpuset") == 0)
		return cg_error_set(err, r, "cannot set %s of %s to %s: not a subset of the parent's CPUs",
				    k->file, h->path, k->value);
	snprintf(what, sizeof(what), "cannot write '%s' to %s of", k->value, k->file);
	return explain_errno(err, what, h->path, r);
}

static int v1_knobs(struct lcg_hier *h, const struct cg_limits *l, bool new_group, bool only_v1_ctrl,
		    struct cg_knob *kn, int max)
{
	char up[1024], p[1100], cpus[256] = "", mems[256] = "";
	bool memsw, cs = word_in(h->ctrls, "cpuset", ',');
	int n, i, m = 0;

	(void)only_v1_ctrl;
	snprintf(p, sizeof(p), "%s/%s", h->dir, cg_knob_name(KNOB_MEMSW_MAX, false));
	memsw = hier_exists(h, p);
	if (!memsw) {
		snprintf(up, sizeof(up), "%s", h->dir);
		*strrchr(up, '/') = '\0';
		snprintf(p, sizeof(p), "%s/%s", up, cg_knob_name(KNOB_MEMSW_MAX, false));
		memsw = hier_exists(h, p);
	}
	if (cs && new_group) {
		snprintf(up, sizeof(up), "%s", h->dir);
		*strrchr(up, '/') = '\0';
		snprintf(p, sizeof(p), "%s/%s", up, cg_knob_name(KNOB_CPUSET_CPUS, false));
		read_file(h, p, cpus, sizeof(cpus));
		snprintf(p, sizeof(p), "%s/%s", up, cg_knob_name(KNOB_CPUSET_MEMS, false));
		read_file(h, p, mems, sizeof(mems));
	}
	n = limits_knobs(l, true, memsw, cs && new_group ? cpus : NULL, cs && new_group ? mems : NULL,
			 kn, max);
	/* keep only the knobs of this hierarchy's controllers */
	for (i = 0; i < n; i++)
		if (word_in(h->ctrls, kn[i].controller, ','))
			kn[m++] = kn[i];
	return m;
}

static int v2_knobs(struct lcg_hier *h, const struct cg_limits *l, struct cg_knob *kn, int max)
{
	char p[1100], have[256] = "";
	int n, i, m = 0;

	snprintf(p, sizeof(p), "%s/%s", h->dir, cg_knob_name(KNOB_CONTROLLERS, true));
	read_file(h, p, have, sizeof(have));
	n = limits_knobs(l, false, false, NULL, NULL, kn, max);
	for (i = 0; i < n; i++)
		if (word_in(have, kn[i].controller, ' '))
			kn[m++] = kn[i];
	return m;
}

/* v2 knobs are written directly: libcgroup 2.0's value lists are v1-shaped. */
static int v2_set(struct lcg_hier *h, const struct cg_knob *k)
{
	char p[1100];

	snprintf(p, sizeof(p), "%s/%s", h->dir, k->file);
	return write_file(h, p, k->value);
}

/* A limit only counts as applied when some hierarchy took it. */
static int check_applied(struct lcg *g, const struct cg_limits *l, struct cg_error *err)
{
	static const char *const need[] = { "memory", "pids", "cpu", "cpuset" };
	bool given[4] = {
		l->mem_max != LIMIT_UNSET || l->mem_high != LIMIT_UNSET || l->swap_max != LIMIT_UNSET,
		l->pids_max != LIMIT_UNSET, l->cpu_quota_us != LIMIT_UNSET, l->cpuset != NULL,
	};
	int c, i;

	for (c = 0; c < 4; c++) {
		bool ok = false;

		if (!given[c])
			continue;
		for (i = 0; i < g->n; i++) {
			char p[1100], have[256] = "";

			if (!g->h[i].used)
				continue;
			if (!g->h[i].v2) {
				ok |= word_in(g->h[i].ctrls, need[c], ',');
				continue;
			}
			snprintf(p, sizeof(p), "%s/%s", g->h[i].dir, cg_knob_name(KNOB_CONTROLLERS, true));
			read_file(&g->h[i], p, have, sizeof(have));
			ok |= word_in(have, need[c], ' ');
		}
		if (!ok)
			return cg_error_set(err, ENODEV,
					    "the %s controller is not available for %s (on cgroup v2 the parent must offer it in cgroup.subtree_control)",
					    need[c], lcg_path(g));
	}
	return 0;
}

int lcg_create(struct lcg *g, const struct cg_limits *l, struct cg_error *err)
{
	int i, r;

	r = lcg_lib_init();
	if (r < 0 && g->v1)
		return cg_error_set(err, r, "libcgroup cannot initialise: %s", strerror(-r));
	for (i = 0; i < g->n; i++) {
		struct lcg_hier *h = &g->h[i];
		struct cg_knob kn[16];
		int n, k;

		if (!h->used)
			continue;
		if (hier_exists(h, h->dir)) {
			r = cg_error_set(err, EEXIST, "group %s exists already in %s; choose another --name",
					 h->path, h->mnt);
			goto fail;
		}
		bool optional = h->v2 ? (g->v1 && !v2_limits_here(h)) : !v1_required(l, h->ctrls);
		if (optional && access(h->mnt, W_OK) < 0) {
			/* probe: may we make the group here at all? */
			char parent[PATH_MAX];
			snprintf(parent, sizeof(parent), "%s", h->dir);
			char *slash = strrchr(parent, '/');
			if (slash)
				*slash = 0;
			if (access(parent, W_OK) < 0 && (errno == EACCES || errno == EPERM || errno == ENOENT)) {
				h->used = false; /* report-only hierarchy we may not write */
				continue;
			}
		}
		r = make_parents(h, err);
		if (r < 0)
			goto fail;
		if (h->v2) {
			r = v2_enable(h, l, h->dir, err);
			if (r < 0)
				goto fail;
			/* libcgroup 2.0 cannot create a group on a cgroup2 mount without
			 * controllers it knows (here often none): mkdir directly. */
			r = hier_mkdir(h, h->dir);
			if (r < 0) {
				explain_errno(err, "cannot create group", h->path, r);
				goto fail;
			}
			add_created(h, h->dir);
			n = v2_knobs(h, l, kn, 16);
			for (k = 0; k < n; k++) {
				r = v2_set(h, &kn[k]);
				if (r < 0) {
					knob_error(h, &kn[k], r, err);
					goto fail;
				}
			}
			continue;
		}
		{
			struct cgroup *cg = cgroup_new_cgroup(rel_of(h));
			char tmp[128], *tok, *save = NULL;

			if (!cg) {
				r = -ENOMEM;
				goto fail;
			}
			snprintf(tmp, sizeof(tmp), "%s", h->ctrls);
			for (tok = strtok_r(tmp, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
				cgroup_add_controller(cg, tok);
			r = ecg_to_errno(cgroup_create_cgroup(cg, 0));
			cgroup_free(&cg);
			if (r < 0 && hier_exists(h, h->dir))
				r = 0; /* made; a default it copies may have failed */
			if (r < 0) {
				explain_errno(err, "cannot create group", h->path, r);
				goto fail;
			}
			add_created(h, h->dir);
		}
		n = v1_knobs(h, l, true, true, kn, 16);
		for (k = 0; k < n; k++) {
			r = v1_set(h, &kn[k]);
			if (r < 0) {
				knob_error(h, &kn[k], r, err);
				goto fail;
			}
		}
	}
	r = check_applied(g, l, err);
	if (r < 0)
		goto fail;
	return 0;
fail:
	lcg_destroy(g, err);
	return r;
}

int lcg_use_existing(struct lcg *g, const char *path, struct cg_error *err)
{
	int i, found = 0;

	for (i = 0; i < g->n; i++) {
		struct lcg_hier *h = &g->h[i];

		h->used = false;
		forget_created(h);
		if (h->v2 && g->skip_empty_v2 && g->v1 && !v2_limits_here(h))
			continue;
		if ((size_t)snprintf(h->path, sizeof(h->path), "%s", path) >= sizeof(h->path))
			continue;
		if (path_to_dir(h, path, h->dir, sizeof(h->dir)) < 0)
			continue;
		if (!hier_exists(h, h->dir))
			continue;
		h->used = true;
		found++;
	}
	if (!found)
		return cg_error_set(err, ENOENT, "--group '%s': no such group in any hierarchy", path);
	return 0;
}

int lcg_set_limits(struct lcg *g, const struct cg_limits *l, struct cg_error *err)
{
	int i, r;

	r = lcg_lib_init();
	if (r < 0 && g->v1)
		return cg_error_set(err, r, "libcgroup cannot initialise: %s", strerror(-r));
	for (i = 0; i < g->n; i++) {
		struct lcg_hier *h = &g->h[i];
		struct cg_knob kn[16];
		int n, k;

		if (!h->used)
			continue;
		n = h->v2 ? v2_knobs(h, l, kn, 16) : v1_knobs(h, l, false, true, kn, 16);
		for (k = 0; k < n; k++) {
			r = h->v2 ? v2_set(h, &kn[k]) : v1_set(h, &kn[k]);
			if (r < 0)
				return knob_error(h, &kn[k], r, err);
		}
	}
	return check_applied(g, l, err);
}

/* ---- processes ---- */

/* Done directly: libcgroup 2.0's cgroup_attach_task_pid writes the v1 "tasks"
 * file, which moves one thread; cgroup.procs moves the whole process. */
int lcg_attach(struct lcg *g, pid_t pid, int skip, struct cg_error *err)
{
	char p[1100], s[32];
	int i, r;

	snprintf(s, sizeof(s), "%d", (int)pid);
	for (i = 0; i < g->n; i++) {
		struct lcg_hier *h = &g->h[i];

		if (!h->used || i == skip)
			continue;
		snprintf(p, sizeof(p), "%s/%s", h->dir, cg_knob_name(KNOB_PROCS, h->v2));
		r = write_file(h, p, s);
		if (r == -EBUSY && h->v2)
			return cg_error_set(err, r,
					    "cannot move pid %d into %s: that group hands controllers to its own child groups (cgroup.subtree_control is not empty), and on cgroup v2 such a group may not hold processes itself (the \"no internal processes\" rule); use a leaf group",
					    (int)pid, h->path);
		if (r == -ESRCH)
			return cg_error_set(err, r, "no such process: %d", (int)pid);
		if (r == -EINVAL && !h->v2)
			return cg_error_set(err, r, "cannot move pid %d into %s (%s): the kernel refuses (a kernel thread?)",
					    (int)pid, h->path, h->mnt);
		if (r < 0) {
			char what[128];

			snprintf(what, sizeof(what), "cannot move pid %d into", (int)pid);
			return explain_errno(err, what, h->dir, r);
		}
	}
	return 0;
}

static int kill_procs(const struct lcg_hier *h)
{
	char p[1100], buf[65536], *s, *e;
	int n, count = 0;

	snprintf(p, sizeof(p), "%s/%s", h->dir, cg_knob_name(KNOB_PROCS, h->v2));
	n = read_file(h, p, buf, sizeof(buf));
	if (n <= 0)
		return 0;
	for (s = buf; *s; s = e) {
		long pid = strtol(s, &e, 10);

		if (e == s)
			break;
		while (*e == '\n')
			e++;
		if (pid > 0) {
			kill((pid_t)pid, SIGKILL);
			count++;
		}
	}
	return count;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Kill what is left (v2 cgroup.kill; else freeze, kill every pid, thaw, until
 * cgroup.procs is empty), then rmdir in every hierarchy, parents made too. */
int lcg_destroy(struct lcg *g, struct cg_error *err)
{
	int i, j, tries, rc = 0;
	char p[1100];
	int fz = lcg_v1_with(g, "freezer");

	for (i = 0; i < g->n; i++) {
		struct lcg_hier *h = &g->h[i];

		if (!h->used || !h->ncreated || strcmp(h->created[h->ncreated - 1], h->dir) != 0)
			continue;
		if (h->v2) {
			snprintf(p, sizeof(p), "%s/%s", h->dir, cg_knob_name(KNOB_KILL, true));
			write_file(h, p, "1"); /* kernel 5.14+; the loop below otherwise */
		}
	}
	if (fz >= 0 && g->h[fz].used && g->h[fz].ncreated) {
		snprintf(p, sizeof(p), "%s/%s", g->h[fz].dir, cg_knob_name(KNOB_FREEZE, false));
		if (write_file(&g->h[fz], p, "FROZEN") == 0) {
			for (i = 0; i < g->n; i++)
				if (g->h[i].used && g->h[i].ncreated)
					kill_procs(&g->h[i]);
			write_file(&g->h[fz], p, "THAWED");
		}
	}
	for (tries = 0; tries < 100; tries++) {
		int left = 0;

		for (i = 0; i < g->n; i++)
			if (g->h[i].used && g->h[i].ncreated &&
			    strcmp(g->h[i].created[g->h[i].ncreated - 1], g->h[i].dir) == 0)
				left += kill_procs(&g->h[i]);
		if (!left)
			break;
		sleep_ms(20);
	}
	for (i = 0; i < g->n; i++) {
		struct lcg_hier *h = &g->h[i];

		for (j = h->ncreated - 1; j >= 0; j--) {
			bool is_group = strcmp(h->created[j], h->dir) == 0;
			int r = 0;

			for (tries = 0; tries < 100; tries++) {
				r = hier_rmdir(h, h->created[j]);
				if (r == 0 || r == -ENOENT)
					break;
				if (!is_group && (r == -EBUSY || r == -ENOTEMPTY))
					break; /* a parent someone else uses now */
				sleep_ms(20);
			}
			if (tries == 100 && is_group)
				rc = cg_error_set(err, EBUSY, "cannot remove %s: %s", h->created[j],
						  strerror(-r));
		}
		forget_created(h);
	}
	return rc;
}

int lcg_read(const struct lcg *g, const char *file, char *buf, size_t size)
{
	char p[1100];
	int i, r;

	for (i = 0; i < g->n; i++) {
		if (!g->h[i].used)
			continue;
		snprintf(p, sizeof(p), "%s/%s", g->h[i].dir, file);
		r = read_file(&g->h[i], p, buf, size);
		if (r >= 0)
			return r;
	}
	return -ENOENT;
}

/* ---- one v1 value, for the launcher and the dashboard's actions ---- */

int lcg_set_value(const char *mnt, const char *rel, const char *controller, const char *file,
		  const char *value)
{
	struct cgroup *cg;
	struct cgroup_controller *c;
	char *lib_mnt = NULL;
	int r;

	r = lcg_lib_init();
	if (r < 0)
		return r;
	/* libcgroup finds the hierarchy by controller from its own mount table:
	 * make sure it is the one the caller means */
	if (cgroup_get_subsys_mount_point(controller, &lib_mnt) != 0 || !lib_mnt)
		return -ENODEV;
	r = strcmp(lib_mnt, mnt) == 0 ? 0 : -EXDEV;
	free(lib_mnt);
	if (r < 0)
		return r;
	if (!*rel || strcmp(rel, ".") == 0)
		rel = "/";
	/* libcgroup 2.0 turns a file it may not open into "value does not
	 * exist": ask the kernel first, so EACCES stays EACCES */
	{
		char p[PATH_MAX];

		snprintf(p, sizeof(p), "%s/%s/%s", mnt, rel, file);
		if (faccessat(AT_FDCWD, p, F_OK, 0) < 0 || faccessat(AT_FDCWD, p, W_OK, AT_EACCESS) < 0)
			return -errno;
	}
	cg = cgroup_new_cgroup(rel);
	if (!cg)
		return -ENOMEM;
	c = cgroup_add_controller(cg, controller);
	if (!c) {
		cgroup_free(&cg);
		return -ENODEV;
	}
	r = cgroup_set_value_string(c, file, value);
	if (r == 0)
		r = cgroup_modify_cgroup(cg);
	r = ecg_to_errno(r);
	cgroup_free(&cg);
	return r;
}

int lcg_open_group(const struct lcg *g, int i)
{
	if (i < 0 || i >= g->n || !g->h[i].used)
		return -ENOENT;
	return hier_open(&g->h[i], g->h[i].dir, O_RDONLY | O_DIRECTORY);
}
