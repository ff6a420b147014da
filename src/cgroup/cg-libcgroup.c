/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cg-libcgroup.c - the launcher's groups: on the hierarchies cg_discover
 * finds (the one model of them, with our own group in each), create the group
 * with its limits in every v1 hierarchy that has a controller we need and in
 * the cgroup2 hierarchy, move processes in, and kill and remove it again.
 * Every path is relative to a hierarchy's mount point and allocated: no
 * length limit but the kernel's.  The only file
 * that includes <libcgroup.h>: v1 groups are made and limited through
 * libcgroup 2.0 (cgroup_new_cgroup, cgroup_add_controller,
 * cgroup_set_value_string, cgroup_create_cgroup, cgroup_modify_cgroup), and
 * its ECG* codes become -errno here and nowhere else.  The pieces libcgroup
 * 2.0 lacks are done directly and say so where they are; every file and
 * directory done directly is opened below the hierarchy's mount point (from
 * the directory fd cg_discover keeps) with openat2(RESOLVE_BENEATH), so no
 * group path can lead out of cgroupfs.
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

#include "base/cg-error.h"
#include "cgroup/cgroup.h"
#include "cgroup/lcg.h"
#include "base/macro.h"
#include "base/missing.h"
#include "base/parse.h"
#include "base/fileio.h"

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

/* Paths here are relative to the hierarchy's mount point (cg_hier_dir's
 * naming: "a/b", "" for the mount's root) and allocated: a group path has no
 * length limit but the kernel's. */
static char *sub(const char *rel, const char *file)
{
	return *rel ? xasprintf("%s/%s", rel, file) : xstrdup(file);
}

/* The parent directory of rel ("" for a directory right below the mount). */
static char *up_of(const char *rel)
{
	const char *slash = strrchr(rel, '/');

	return slash ? xstrndup(rel, (size_t)(slash - rel)) : xstrdup("");
}

/* mount point / rel, for messages */
static char *abs_of(const struct lcg_hier *h, const char *rel)
{
	return *rel ? xasprintf("%s/%s", h->ch->mount_point, rel) : xstrdup(h->ch->mount_point);
}

/* Open rel below the mount point, from the directory fd cg_discover keeps. */
static int hier_open(const struct lcg_hier *h, const char *rel, int flags)
{
	return open_beneath(h->ch->root_fd, *rel ? rel : ".", flags);
}

static bool hier_exists(const struct lcg_hier *h, const char *rel)
{
	_cleanup_close_ int fd = hier_open(h, rel, O_PATH);

	return fd >= 0;
}

static bool hier_exists2(const struct lcg_hier *h, const char *rel, const char *file)
{
	_cleanup_free_ char *p = sub(rel, file);

	return hier_exists(h, p);
}

/* The whole file rel/file into b, without the trailing newlines. */
static int read_buf(const struct lcg_hier *h, const char *rel, const char *file, struct buf *b)
{
	_cleanup_free_ char *p = sub(rel, file);
	_cleanup_close_ int fd = hier_open(h, p, O_RDONLY);
	int r;

	if (fd < 0)
		return fd;
	r = fileio_pread_all(fd, b);
	if (r < 0)
		return r;
	while (b->len > 0 && b->data[b->len - 1] == '\n')
		b->data[--b->len] = '\0';
	return (int)b->len;
}

/* A small file (a number, a keyed list, cgroup.controllers) into buf; -EFBIG
 * when it does not fit. */
static int read_file(const struct lcg_hier *h, const char *rel, const char *file, char *buf, size_t size)
{
	struct buf b = { 0 };
	int r = read_buf(h, rel, file, &b);

	if (r >= 0 && b.len >= size)
		r = -EFBIG;
	if (r >= 0)
		memcpy(buf, b.data, b.len + 1);
	buf_free(&b);
	return r;
}

static int write_file(const struct lcg_hier *h, const char *rel, const char *file, const char *s)
{
	_cleanup_free_ char *p = sub(rel, file);
	_cleanup_close_ int fd = hier_open(h, p, O_WRONLY);

	if (fd < 0)
		return fd;
	return fileio_write_fd(fd, s);
}

/* The directory that holds rel, opened beneath the mount; *ret_name its last
 * component (points into rel). */
static int hier_open_parent(const struct lcg_hier *h, const char *rel, const char **ret_name)
{
	_cleanup_free_ char *up = up_of(rel);
	const char *slash = strrchr(rel, '/');

	*ret_name = slash ? slash + 1 : rel;
	if (!**ret_name)
		return -EINVAL;
	return hier_open(h, up, O_PATH | O_DIRECTORY);
}

static int hier_mkdir(const struct lcg_hier *h, const char *rel)
{
	const char *name;
	_cleanup_close_ int pfd = hier_open_parent(h, rel, &name);

	if (pfd < 0)
		return pfd;
	return mkdirat(pfd, name, 0755) < 0 ? -errno : 0;
}

static int hier_rmdir(const struct lcg_hier *h, const char *rel)
{
	const char *name;
	_cleanup_close_ int pfd = hier_open_parent(h, rel, &name);

	if (pfd < 0)
		return pfd;
	return unlinkat(pfd, name, AT_REMOVEDIR) < 0 ? -errno : 0;
}

static bool has(const struct lcg_hier *h, enum cg_ctrl c)
{
	return h->ch->ctrl_mask & (1u << c);
}

/* The controllers a v2 group offers its processes (its cgroup.controllers). */
static uint32_t v2_group_ctrls(const struct lcg_hier *h, const char *rel)
{
	char have[256];
	int n = read_file(h, rel, cg_knob_name(KNOB_CONTROLLERS, true), have, sizeof(have));

	return n < 0 ? 0 : cg_parse_v2_controllers(have, (size_t)n);
}

/* ---- discovery: cg_discover's hierarchies ---- */

int lcg_discover(struct lcg *g)
{
	unsigned i;
	int r;

	memset(g, 0, sizeof(*g));
	/* the live system only (launch-options.c refuses --sysroot): libcgroup
	 * and clone3(CLONE_INTO_CGROUP) know no other root */
	r = cg_discover("", &g->hs);
	if (r < 0)
		return r == -ENOENT ? -ENODEV : r;
	for (i = 0; i < g->hs.n; i++) {
		const struct cg_hier *ch = &g->hs.h[i];
		struct lcg_hier *h;

		if (!ch->v2 && !ch->ctrl_mask)
			continue; /* name=systemd and the like: no controller */
		h = &g->h[g->n++];
		h->ch = ch;
		h->v2 = ch->v2;
		if (ch->v2)
			g->v2 = true;
		else
			g->v1 = true;
	}
	return g->n > 0 ? 0 : -ENODEV;
}

static int v1_with(const struct lcg *g, enum cg_ctrl c)
{
	int i;

	for (i = 0; i < g->n; i++)
		if (!g->h[i].v2 && has(&g->h[i], c))
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

/* The controllers a v2 group of these limits needs (for the report too: memory, pids). */
static bool v2_wants(const struct cg_limits *l, int c)
{
	if (c == CTRL_MEMORY || c == CTRL_PIDS)
		return true;
	if (c == CTRL_CPU)
		return l->cpu_quota_us != LIMIT_UNSET;
	if (c == CTRL_CPUSET)
		return l->cpuset != NULL;
	return false;
}

static bool v1_wants(const struct cg_limits *l, const struct lcg_hier *h)
{
	/* memory, pids, cpuacct for the fate report; freezer to kill leftovers */
	if (has(h, CTRL_MEMORY) || has(h, CTRL_PIDS) || has(h, CTRL_CPUACCT) || has(h, CTRL_FREEZER))
		return true;
	if (has(h, CTRL_CPU) && l->cpu_quota_us != LIMIT_UNSET)
		return true;
	if (has(h, CTRL_CPUSET) && l->cpuset)
		return true;
	return false;
}

/* A v1 hierarchy that a limit given on the command line needs: the others
 * (cpuacct, freezer, and memory or pids without their limit) serve only the
 * fate report and the clean-up, so a user who may not write there (an
 * unprivileged user with a delegated subtree in some hierarchies) goes on
 * without them. */
static bool v1_required(const struct cg_limits *l, const struct lcg_hier *h)
{
	if (has(h, CTRL_MEMORY) &&
	    (l->mem_max != LIMIT_UNSET || l->mem_high != LIMIT_UNSET || l->swap_max != LIMIT_UNSET))
		return true;
	if (has(h, CTRL_PIDS) && l->pids_max != LIMIT_UNSET)
		return true;
	if (has(h, CTRL_CPU) && l->cpu_quota_us != LIMIT_UNSET)
		return true;
	if (has(h, CTRL_CPUSET) && l->cpuset)
		return true;
	return false;
}

/* A v2 hierarchy with a controller that can limit (a hybrid host's cgroup2 tree
 * often has none, or only hugetlb). */
static bool v2_limits_here(const struct lcg_hier *h)
{
	return has(h, CTRL_MEMORY) || has(h, CTRL_PIDS) || has(h, CTRL_CPU) || has(h, CTRL_CPUSET);
}

static bool has_ctrl_anywhere(const struct lcg *g, enum cg_ctrl c)
{
	int v2 = lcg_v2(g);

	return v1_with(g, c) >= 0 || (v2 >= 0 && has(&g->h[v2], c));
}

/* The group at path (kernel name) in hierarchy h: its directory below the mount. */
static int set_group(struct lcg_hier *h, const char *path)
{
	free(h->path);
	free(h->rel);
	free(h->dir);
	h->path = xstrdup(path);
	h->rel = h->dir = NULL;
	if (cg_hier_dir(h->ch, path, &h->rel) < 0)
		return -ENOENT;
	h->dir = abs_of(h, h->rel);
	return 0;
}

int lcg_resolve(struct lcg *g, const struct cg_limits *l, const char *parent, const char *name,
		struct cg_error *err)
{
	int i, used = 0;

	if ((l->mem_max != LIMIT_UNSET || l->mem_high != LIMIT_UNSET || l->swap_max != LIMIT_UNSET) &&
	    !has_ctrl_anywhere(g, CTRL_MEMORY)) {
		return cg_error_set(
			err, ENODEV,
			"memory limits need the memory controller, which this kernel does not offer");
	}
	if (l->pids_max != LIMIT_UNSET && !has_ctrl_anywhere(g, CTRL_PIDS)) {
		return cg_error_set(err, ENODEV,
				    "--pids needs the pids controller, which this kernel does not offer");
	}
	if (l->cpu_quota_us != LIMIT_UNSET && !has_ctrl_anywhere(g, CTRL_CPU)) {
		return cg_error_set(err, ENODEV,
				    "--cpu needs the cpu controller, which this kernel does not offer");
	}
	if (l->cpuset && !has_ctrl_anywhere(g, CTRL_CPUSET)) {
		return cg_error_set(err, ENODEV,
				    "--cpuset needs the cpuset controller, which this kernel does not offer");
	}
	for (i = 0; i < g->n; i++) {
		struct lcg_hier *h = &g->h[i];
		const char *par;
		_cleanup_free_ char *path = NULL;

		h->used = h->v2 ? !(g->skip_empty_v2 && g->v1 && !v2_limits_here(h)) : v1_wants(l, h);
		if (!h->used)
			continue;
		par = strcmp(parent, "self") == 0 ? h->ch->own : parent;
		if (!par || !*par)
			return cg_error_set(err, ENOENT, "cannot find our own group in %s",
					    h->ch->mount_point);
		/* inside a cgroup namespace a group outside it reads "/../.." */
		if (parse_cgroup_path(par) < 0)
			return cg_error_set(
				err, EINVAL,
				"our own group in %s is '%s', outside this cgroup namespace: use --parent with a group path",
				h->ch->mount_point, par);
		path = xasprintf("%s/%s", strcmp(par, "/") == 0 ? "" : par, name);
		if (set_group(h, path) < 0)
			return cg_error_set(err, ENOENT,
					    "group %s is outside what is mounted at %s (root %s)", path,
					    h->ch->mount_point, h->ch->mount_root);
		used++;
	}
	return used ? 0 : cg_error_set(err, ENODEV, "no cgroup hierarchy to make the group %s in", name);
}

const char *lcg_path(const struct lcg *g)
{
	int i;

	/* the memory hierarchy's name first: that is where the limit is */
	i = v1_with(g, CTRL_MEMORY);
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
		return cg_error_set(
			err, r,
			"%s %s: not permitted (needs root, or write access to a delegated subtree: use --parent with a group you own)",
			what, path);
	if (r == -EROFS)
		return cg_error_set(err, r, "%s %s: the cgroup filesystem is read-only here", what, path);
	return cg_error_set(err, r, "%s %s: %s", what, path, strerror(-r));
}

/* v2: make the controllers available to the children of the group's parent
 * (walks down from the mount).  Done directly: libcgroup 2.0 does not touch
 * cgroup.subtree_control. */
static int v2_enable(struct lcg_hier *h, const struct cg_limits *l, struct cg_error *err)
{
	_cleanup_free_ char *up = up_of(h->rel);
	size_t pos = 0, len = strlen(up);

	if (!*h->rel)
		return 0;
	for (;;) {
		_cleanup_free_ char *cur = xstrndup(up, pos);
		char avail[256], enabled[256];
		uint32_t want;

		if (read_file(h, cur, cg_knob_name(KNOB_CONTROLLERS, true), avail, sizeof(avail)) < 0)
			return 0; /* not made yet: nothing below can have controllers */
		if (read_file(h, cur, cg_knob_name(KNOB_SUBTREE_CONTROL, true), enabled, sizeof(enabled)) < 0)
			enabled[0] = '\0';
		want = cg_parse_v2_controllers(avail, strlen(avail)) &
		       ~cg_parse_v2_controllers(enabled, strlen(enabled));
		for (int c = 0; c < _CTRL_MAX; c++) {
			char w[64];
			int r;

			if (!(want & (1u << c)) || !v2_wants(l, c))
				continue;
			snprintf(w, sizeof(w), "+%s", cg_ctrl_name(c));
			r = write_file(h, cur, cg_knob_name(KNOB_SUBTREE_CONTROL, true), w);
			if (r == -EBUSY) {
				_cleanup_free_ char *d = abs_of(h, cur);

				return cg_error_set(
					err, r,
					"cannot enable the %s controller for the groups below %s: that group has processes of its own, and on cgroup v2 a group that hands controllers to its children may not hold processes itself (the \"no internal processes\" rule); move them into a child group, or use --parent with a leaf you own",
					cg_ctrl_name(c), d);
			}
			if (r < 0 && r != -ENOENT) {
				_cleanup_free_ char *d = abs_of(h, cur), *f = NULL;

				f = xasprintf("%s/%s", d, cg_knob_name(KNOB_SUBTREE_CONTROL, true));
				return explain_errno(err, "cannot enable a controller in", f, r);
			}
		}
		if (pos >= len)
			return 0;
		/* next component */
		{
			const char *e = strchr(up + pos + (pos ? 1 : 0), '/');

			pos = e ? (size_t)(e - up) : len;
		}
	}
}

/* Every directory made is recorded, however deep the parent: what is not
 * recorded would not be removed. */
static void add_created(struct lcg_hier *h, const char *rel)
{
	if (h->ncreated == h->created_cap) {
		h->created_cap = h->created_cap ? 2 * h->created_cap : 8;
		h->created = xrealloc(h->created, (size_t)h->created_cap * sizeof(*h->created));
	}
	h->created[h->ncreated++] = xstrdup(rel);
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
		free(g->h[i].path);
		free(g->h[i].rel);
		free(g->h[i].dir);
	}
	cg_hierarchies_free(&g->hs);
	free(g);
}

/* The group made last in h is the group itself (not only parents of it). */
static bool made_group(const struct lcg_hier *h)
{
	return h->used && h->ncreated && strcmp(h->created[h->ncreated - 1], h->rel) == 0;
}

/* A v1 cpuset group starts with no CPUs and no memory nodes: give the new
 * directory rel those of its parent, or its children could have none. */
static void cpuset_inherit(struct lcg_hier *h, const char *rel)
{
	static const enum cg_knob_id ids[] = { KNOB_CPUSET_CPUS, KNOB_CPUSET_MEMS };
	_cleanup_free_ char *up = up_of(rel);

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct buf v = { 0 };

		if (read_buf(h, up, cg_knob_name(ids[i], false), &v) >= 0)
			write_file(h, rel, cg_knob_name(ids[i], false), v.data ? v.data : "");
		buf_free(&v);
	}
}

/* Make the missing parents of the group (recorded in h->created). */
static int make_parents(struct lcg_hier *h, struct cg_error *err)
{
	_cleanup_free_ char *d = xstrdup(h->rel);
	char *s;
	int r;

	for (s = d; (s = strchr(s, '/')); s++) {
		*s = '\0';
		r = hier_mkdir(h, d);
		if (r == 0) {
			add_created(h, d);
			if (!h->v2 && has(h, CTRL_CPUSET))
				cpuset_inherit(h, d);
		} else if (r != -EEXIST) {
			_cleanup_free_ char *a = abs_of(h, d);

			return explain_errno(err, "cannot create group directory", a, r);
		}
		*s = '/';
	}
	return 0;
}

/* libcgroup names a group by its path below the mount point, from "/". */
static char *lib_name(const struct lcg_hier *h)
{
	return xasprintf("/%s", h->rel);
}

/* Write one knob through libcgroup. */
static int v1_set(struct lcg_hier *h, const struct cg_knob *k)
{
	_cleanup_free_ char *rel = lib_name(h);

	return lcg_set_value(h->ch->mount_point, rel, k->controller, k->file, k->value);
}

static int knob_error(const struct lcg_hier *h, const struct cg_knob *k, int r, struct cg_error *err)
{
	_cleanup_free_ char *what = NULL;

	if (r == -EBUSY && k->ctrl == CTRL_MEMORY)
		return cg_error_set(
			err, r,
			"cannot set %s of %s to %s: the group already uses more memory than that and the kernel could not reclaim enough (resource busy); nothing was changed",
			k->file, h->path, k->value);
	if (r == -EINVAL && k->ctrl == CTRL_CPUSET)
		return cg_error_set(err, r, "cannot set %s of %s to %s: not a subset of the parent's CPUs",
				    k->file, h->path, k->value);
	what = xasprintf("cannot write '%s' to %s of", k->value, k->file);
	return explain_errno(err, what, h->path, r);
}

static int knobs_error(const struct lcg_hier *h, int r, struct cg_error *err)
{
	if (r == -E2BIG)
		return cg_error_set(
			err, r,
			"a cpuset list for %s is longer than the kernel takes in one write (%d characters)",
			h->path, CG_KNOB_VALUE_MAX - 1);
	return cg_error_set(err, r, "the limits for %s: %s", h->path, strerror(-r));
}

/* The knobs of the limits that this hierarchy's controllers take, into kn
 * (max entries); a count or -errno. */
static int v1_knobs(struct lcg_hier *h, const struct cg_limits *l, bool new_group, struct cg_knob *kn,
		    int max)
{
	_cleanup_free_ char *up = up_of(h->rel);
	struct buf cpus = { 0 }, mems = { 0 };
	bool memsw, cs = has(h, CTRL_CPUSET) && new_group;
	const char *memsw_file = cg_knob_name(KNOB_MEMSW_MAX, false);
	int n, i, m = 0;

	memsw = hier_exists2(h, h->rel, memsw_file) || hier_exists2(h, up, memsw_file);
	if (cs) {
		if (read_buf(h, up, cg_knob_name(KNOB_CPUSET_CPUS, false), &cpus) < 0)
			buf_puts(&cpus, "");
		if (read_buf(h, up, cg_knob_name(KNOB_CPUSET_MEMS, false), &mems) < 0)
			buf_puts(&mems, "");
	}
	n = limits_knobs(l, true, memsw, cs ? cpus.data : NULL, cs ? mems.data : NULL, kn, max);
	buf_free(&cpus);
	buf_free(&mems);
	/* keep only the knobs of this hierarchy's controllers */
	for (i = 0; i < n; i++)
		if (has(h, kn[i].ctrl))
			kn[m++] = kn[i];
	return n < 0 ? n : m;
}

static int v2_knobs(struct lcg_hier *h, const struct cg_limits *l, struct cg_knob *kn, int max)
{
	uint32_t have = v2_group_ctrls(h, h->rel);
	int n, i, m = 0;

	n = limits_knobs(l, false, false, NULL, NULL, kn, max);
	for (i = 0; i < n; i++)
		if (have & (1u << kn[i].ctrl))
			kn[m++] = kn[i];
	return n < 0 ? n : m;
}

/* v2 knobs are written directly: libcgroup 2.0's value lists are v1-shaped. */
static int v2_set(struct lcg_hier *h, const struct cg_knob *k)
{
	return write_file(h, h->rel, k->file, k->value);
}

/* A limit only counts as applied when some hierarchy took it. */
static int check_applied(struct lcg *g, const struct cg_limits *l, struct cg_error *err)
{
	static const enum cg_ctrl need[] = { CTRL_MEMORY, CTRL_PIDS, CTRL_CPU, CTRL_CPUSET };
	bool given[4] = {
		l->mem_max != LIMIT_UNSET || l->mem_high != LIMIT_UNSET || l->swap_max != LIMIT_UNSET,
		l->pids_max != LIMIT_UNSET,
		l->cpu_quota_us != LIMIT_UNSET,
		l->cpuset != NULL,
	};
	int c, i;

	for (c = 0; c < 4; c++) {
		bool ok = false;

		if (!given[c])
			continue;
		for (i = 0; i < g->n; i++) {
			struct lcg_hier *h = &g->h[i];

			if (!h->used)
				continue;
			if (!h->v2)
				ok |= has(h, need[c]);
			else
				ok |= !!(v2_group_ctrls(h, h->rel) & (1u << need[c]));
		}
		if (!ok)
			return cg_error_set(
				err, ENODEV,
				"the %s controller is not available for %s (on cgroup v2 the parent must offer it in cgroup.subtree_control)",
				cg_ctrl_name(need[c]), lcg_path(g));
	}
	return 0;
}

#define MAX_KNOBS LIMITS_MAX_KNOBS

/* libcgroup, for the v1 hierarchies g uses. */
static int lib_init(const struct lcg *g, struct cg_error *err)
{
	int r = lcg_lib_init();

	if (r < 0 && g->v1)
		return cg_error_set(err, r, "libcgroup cannot initialise: %s", strerror(-r));
	return 0;
}

/* Write the limits of l that belong in h to its group, directly (v1 groups that cgtop makes
 * get theirs through libcgroup, lcg_create). */
static int set_knobs(struct lcg_hier *h, const struct cg_limits *l, struct cg_error *err)
{
	struct cg_knob kn[MAX_KNOBS];
	int n, k, r;

	n = h->v2 ? v2_knobs(h, l, kn, MAX_KNOBS) : v1_knobs(h, l, false, kn, MAX_KNOBS);
	if (n < 0)
		return knobs_error(h, n, err);
	for (k = 0; k < n; k++) {
		r = h->v2 ? v2_set(h, &kn[k]) : v1_set(h, &kn[k]);
		if (r < 0)
			return knob_error(h, &kn[k], r, err);
	}
	return 0;
}

int lcg_create(struct lcg *g, const struct cg_limits *l, struct cg_error *err)
{
	int i, r;

	r = lib_init(g, err);
	if (r < 0)
		return r;
	for (i = 0; i < g->n; i++) {
		struct lcg_hier *h = &g->h[i];
		struct cg_knob kn[MAX_KNOBS];
		int n, k;

		if (!h->used)
			continue;
		if (hier_exists(h, h->rel)) {
			r = cg_error_set(err, EEXIST, "group %s exists already in %s; choose another --name",
					 h->path, h->ch->mount_point);
			goto fail;
		}
		bool optional = h->v2 ? (g->v1 && !v2_limits_here(h)) : !v1_required(l, h);
		if (optional && faccessat(h->ch->root_fd, ".", W_OK, 0) < 0) {
			/* probe: may we make the group here at all? */
			_cleanup_free_ char *up = up_of(h->rel);

			if (faccessat(h->ch->root_fd, *up ? up : ".", W_OK, 0) < 0 &&
			    (errno == EACCES || errno == EPERM || errno == ENOENT)) {
				h->used = false; /* report-only hierarchy we may not write */
				continue;
			}
		}
		r = make_parents(h, err);
		if (r < 0)
			goto fail;
		if (h->v2) {
			r = v2_enable(h, l, err);
			if (r < 0)
				goto fail;
			/* libcgroup 2.0 cannot create a group on a cgroup2 mount without
			 * controllers it knows (here often none): mkdir directly. */
			r = hier_mkdir(h, h->rel);
			if (r < 0) {
				explain_errno(err, "cannot create group", h->path, r);
				goto fail;
			}
			add_created(h, h->rel);
			r = set_knobs(h, l, err);
			if (r < 0)
				goto fail;
			continue;
		}
		{
			_cleanup_free_ char *name = lib_name(h);
			struct cgroup *cg = cgroup_new_cgroup(name);

			if (!cg) {
				r = -ENOMEM;
				goto fail;
			}
			for (int c = 0; c < _CTRL_MAX; c++)
				if (has(h, c))
					cgroup_add_controller(cg, cg_ctrl_name(c));
			r = ecg_to_errno(cgroup_create_cgroup(cg, 0));
			cgroup_free(&cg);
			if (r < 0 && hier_exists(h, h->rel))
				r = 0; /* made; a default it copies may have failed */
			if (r < 0) {
				explain_errno(err, "cannot create group", h->path, r);
				goto fail;
			}
			add_created(h, h->rel);
		}
		n = v1_knobs(h, l, true, kn, MAX_KNOBS);
		if (n < 0) {
			r = knobs_error(h, n, err);
			goto fail;
		}
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
		if (set_group(h, path) < 0)
			continue;
		if (!hier_exists(h, h->rel))
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

	r = lib_init(g, err);
	if (r < 0)
		return r;
	for (i = 0; i < g->n; i++) {
		if (!g->h[i].used)
			continue;
		r = set_knobs(&g->h[i], l, err);
		if (r < 0)
			return r;
	}
	return check_applied(g, l, err);
}

/* ---- processes ---- */

/* Done directly: libcgroup 2.0's cgroup_attach_task_pid writes the v1 "tasks"
 * file, which moves one thread; cgroup.procs moves the whole process. */
int lcg_attach(struct lcg *g, pid_t pid, int skip, struct cg_error *err)
{
	char s[32];
	int i, r;

	snprintf(s, sizeof(s), "%d", (int)pid);
	for (i = 0; i < g->n; i++) {
		struct lcg_hier *h = &g->h[i];

		if (!h->used || i == skip)
			continue;
		r = write_file(h, h->rel, cg_knob_name(KNOB_PROCS, h->v2), s);
		if (r == -EBUSY && h->v2)
			return cg_error_set(
				err, r,
				"cannot move pid %d into %s: that group hands controllers to its own child groups (cgroup.subtree_control is not empty), and on cgroup v2 such a group may not hold processes itself (the \"no internal processes\" rule); use a leaf group",
				(int)pid, h->path);
		if (r == -ESRCH)
			return cg_error_set(err, r, "no such process: %d", (int)pid);
		if (r == -EINVAL && !h->v2)
			return cg_error_set(
				err, r,
				"cannot move pid %d into %s (%s): the kernel refuses (a kernel thread?)",
				(int)pid, h->path, h->ch->mount_point);
		if (r < 0) {
			char what[64];

			snprintf(what, sizeof(what), "cannot move pid %d into", (int)pid);
			return explain_errno(err, what, h->dir, r);
		}
	}
	return 0;
}

/* SIGKILL every process the group holds in h; the count.  The whole list,
 * however long: a list cut short could end in part of a number, another
 * process's pid. */
static int kill_procs(const struct lcg_hier *h)
{
	struct buf b = { 0 };
	const char *s = NULL;
	long pid;
	int count = 0;

	if (read_buf(h, h->rel, cg_knob_name(KNOB_PROCS, h->v2), &b) > 0)
		s = b.data;
	while (parse_pid_next(&s, &pid))
		if (pid > 0) {
			kill((pid_t)pid, SIGKILL);
			count++;
		}
	buf_free(&b);
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
	int fz = v1_with(g, CTRL_FREEZER);

	for (i = 0; i < g->n; i++) {
		struct lcg_hier *h = &g->h[i];

		if (made_group(h) && h->v2)
			write_file(h, h->rel, cg_knob_name(KNOB_KILL, true),
				   "1"); /* 5.14+; the loop below otherwise */
	}
	if (fz >= 0 && g->h[fz].used && g->h[fz].ncreated) {
		struct lcg_hier *f = &g->h[fz];

		if (write_file(f, f->rel, cg_knob_name(KNOB_FREEZE, false), "FROZEN") == 0) {
			for (i = 0; i < g->n; i++)
				if (g->h[i].used && g->h[i].ncreated)
					kill_procs(&g->h[i]);
			write_file(f, f->rel, cg_knob_name(KNOB_FREEZE, false), "THAWED");
		}
	}
	for (tries = 0; tries < 100; tries++) {
		int left = 0;

		for (i = 0; i < g->n; i++)
			if (made_group(&g->h[i]))
				left += kill_procs(&g->h[i]);
		if (!left)
			break;
		sleep_ms(20);
	}
	for (i = 0; i < g->n; i++) {
		struct lcg_hier *h = &g->h[i];

		for (j = h->ncreated - 1; j >= 0; j--) {
			bool is_group = strcmp(h->created[j], h->rel) == 0;
			int r = 0;

			for (tries = 0; tries < 100; tries++) {
				r = hier_rmdir(h, h->created[j]);
				if (r == 0 || r == -ENOENT)
					break;
				if (!is_group && (r == -EBUSY || r == -ENOTEMPTY))
					break; /* a parent someone else uses now */
				sleep_ms(20);
			}
			if (tries == 100 && is_group) {
				_cleanup_free_ char *a = abs_of(h, h->created[j]);

				rc = cg_error_set(err, EBUSY, "cannot remove %s: %s", a, strerror(-r));
			}
		}
		forget_created(h);
	}
	return rc;
}

int lcg_read_in(const struct lcg *g, int i, const char *file, char *buf, size_t size)
{
	if (i < 0 || i >= g->n || !g->h[i].used)
		return -ENOENT;
	return read_file(&g->h[i], g->h[i].rel, file, buf, size);
}

int lcg_read(const struct lcg *g, const char *file, char *buf, size_t size)
{
	int i, r;

	for (i = 0; i < g->n; i++) {
		r = lcg_read_in(g, i, file, buf, size);
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
		_cleanup_free_ char *p = xasprintf("%s/%s/%s", mnt, rel, file);

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
	return hier_open(&g->h[i], g->h[i].rel, O_RDONLY | O_DIRECTORY);
}
