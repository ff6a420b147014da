/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * actions.c - the dashboard's actions on an existing group, without curses and
 * without printing: set the memory or pids limit, attach a process, freeze or
 * thaw, kill every process.  The group is found through the tree (its
 * hierarchies and cg_node_relpath), the files by what they do (cg_knobs and
 * cg_files in cg-files.c); v1 knobs are written through libcgroup
 * (lcg_set_value in cg-libcgroup.c), v2 files directly, as the launcher does:
 * libcgroup 2.0's value lists are v1-shaped.  Every call returns 0 with what
 * it did in one line in done, or -errno with why not, in plain words, in a
 * struct cg_error: the status line shows the one or the other.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ui/actions.h"
#include "base/fileio.h"
#include "cgroup/lcg.h"
#include "cgroup/limits.h"
#include "base/parse.h"
#include "base/units.h"

/* Where one knob of a group lives. */
struct knob_at {
	int h; /* hierarchy index */
	bool v2;
	const char *ctrl;   /* v1 controller name for libcgroup */
	const char *file;   /* its name in that version (cg_knobs) */
	char grp[PATH_MAX]; /* group path relative to the mount ("." the root) */
	char rel[PATH_MAX]; /* file path relative to the mount */
};

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static bool in_hier(const struct cg_node *n, int h)
{
	return h >= 0 && (n->hmask & (1u << h));
}

/* The group may be acted on at all: a live group other than the root. */
static int check_node(const struct cg_tree *t, const struct cg_node *n, struct cg_error *err)
{
	if (!n)
		return cg_error_set(err, EINVAL, "no group selected");
	if (t->sysroot && *t->sysroot && strcmp(t->sysroot, "/") != 0)
		return cg_error_set(err, EROFS,
				    "actions work on the live system only, not on a --sysroot tree");
	if (n == t->root || strcmp(n->path, "/") == 0)
		return cg_error_set(err, EPERM,
				    "refusing to act on the root group /: select a group below it");
	return 0;
}

static int fill(const struct cg_tree *t, const struct cg_node *n, int h, enum cg_knob_id id,
		struct knob_at *k)
{
	k->h = h;
	k->v2 = t->hs.h[h].v2;
	k->ctrl = cg_ctrl_name(cg_knobs[id].ctrl);
	k->file = cg_knob_name(id, k->v2);
	if (!k->file)
		return -ENOENT;
	if (cg_node_relpath(t, n, (unsigned)h, NULL, k->grp, sizeof(k->grp)) < 0 ||
	    cg_node_relpath(t, n, (unsigned)h, k->file, k->rel, sizeof(k->rel)) < 0)
		return -ENOENT;
	return faccessat(t->hs.h[h].root_fd, k->rel, F_OK, 0) == 0 ? 0 : -errno;
}

/* Knob id of the group: in the v1 hierarchy of its controller when the group
 * is in it and has the file, else in the v2 one. */
static int find_knob(const struct cg_tree *t, const struct cg_node *n, enum cg_knob_id id, struct knob_at *k)
{
	int h = t->hs.by_ctrl[cg_knobs[id].ctrl];

	if (in_hier(n, h) && fill(t, n, h, id, k) == 0)
		return 0;
	h = t->hs.v2;
	if (in_hier(n, h) && fill(t, n, h, id, k) == 0)
		return 0;
	return -ENODEV;
}

/* The value of a knob, without its trailing newline; the length or -errno. */
static int read_at(const struct cg_tree *t, int h, const char *rel, char *buf, size_t size)
{
	int r = fileio_read_str_at(t->hs.h[h].root_fd, rel, buf, size);

	while (r > 0 && (buf[r - 1] == '\n' || buf[r - 1] == ' '))
		buf[--r] = '\0';
	return r;
}

static int write_at(const struct cg_tree *t, int h, const char *rel, const char *s)
{
	return fileio_write_at(t->hs.h[h].root_fd, rel, s);
}

/* A number file of the group (another file of the same hierarchy). */
static int read_u64_file(const struct cg_tree *t, const struct cg_node *n, int h, const char *file,
			 uint64_t *ret)
{
	char rel[PATH_MAX], buf[64];
	int r;

	if (!file || cg_node_relpath(t, n, (unsigned)h, file, rel, sizeof(rel)) < 0)
		return -ENOENT;
	r = read_at(t, h, rel, buf, sizeof(buf));
	if (r < 0)
		return r;
	return parse_u64_or_max(buf, (size_t)r, ret);
}

static int knob_write(const struct cg_tree *t, const struct knob_at *k, const char *value)
{
	if (k->v2)
		return write_at(t, k->h, k->rel, value);
	return lcg_set_value(t->hs.h[k->h].mount_point, k->grp, k->ctrl, k->file, value);
}

/* The common errors in plain words; returns r. */
static int explain(const struct cg_tree *t, const struct cg_node *n, const struct knob_at *k,
		   const char *what, int r, struct cg_error *err)
{
	if (r == -EACCES || r == -EPERM)
		return cg_error_set(err, r, "permission denied %s %s of %s (run as root or own the group)",
				    what, k ? k->file : "", n->path);
	if (r == -ENOENT || (r == -ENODEV && !k))
		return cg_error_set(err, r, "%s is gone", n->path);
	if (r == -EXDEV)
		return cg_error_set(err, r,
				    "%s %s of %s: libcgroup sees the %s controller mounted elsewhere than %s",
				    what, k->file, n->path, k->ctrl, t->hs.h[k->h].mount_point);
	if (r == -EROFS)
		return cg_error_set(err, r, "%s %s of %s: the cgroup filesystem is read-only here", what,
				    k ? k->file : "", n->path);
	return cg_error_set(err, r, "%s %s of %s: %s", what, k ? k->file : "", n->path, strerror(-r));
}

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* value without surrounding blanks into buf */
static const char *trim(const char *value, char *buf, size_t size)
{
	size_t len;

	snprintf(buf, size, "%s", skip_space(value ? value : ""));
	len = strlen(buf);
	while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		buf[--len] = '\0';
	return buf;
}

int action_set_mem_max(const struct cg_tree *t, const struct cg_node *n, const char *value, char *done,
		       size_t size, struct cg_error *err)
{
	struct knob_at k;
	char v[64], text[32], a[32], b[32];
	uint64_t bytes, usage, now;
	bool force = false;
	const char *s;
	int r;

	r = check_node(t, n, err);
	if (r < 0)
		return r;
	s = trim(value, v, sizeof(v));
	if (*s == '!') {
		/* v2 only: set it even below usage (the kernel reclaims and OOM-kills) */
		force = true;
		s = skip_space(s + 1);
	}
	if (limits_parse_size(s, &bytes) < 0)
		return cg_error_set(
			err, EINVAL,
			"invalid memory limit '%s': want bytes, a number with K, M, G or T, or max", s);
	if (find_knob(t, n, KNOB_MEM_MAX, &k) < 0)
		return cg_error_set(err, ENODEV, "%s has no memory controller: no memory limit to set",
				    n->path);
	if (bytes == CG_UNLIMITED)
		snprintf(text, sizeof(text), "%s", k.v2 ? "max" : "-1");
	else
		snprintf(text, sizeof(text), "%" PRIu64, bytes);
	if (k.v2 && !force && bytes != CG_UNLIMITED &&
	    read_u64_file(t, n, k.h, cg_files[CGF_MEM_CURRENT_V2].name, &usage) == 0 && bytes < usage) {
		/* v2 takes any value and then reclaims, and OOM-kills what it cannot
		 * reclaim: refuse as v1 does (EBUSY), so a typo changes nothing */
		return cg_error_set(
			err, EBUSY,
			"%s %s is below the group's usage %s: refused, the kernel would reclaim and OOM-kill (EBUSY); nothing changed (type !%s to force)",
			k.file, units_format_size(a, sizeof(a), bytes),
			units_format_size(b, sizeof(b), usage), s);
	}
	r = knob_write(t, &k, text);
	if (r == -EBUSY) {
		if (read_u64_file(t, n, k.h, cg_files[k.v2 ? CGF_MEM_CURRENT_V2 : CGF_MEM_USAGE_V1].name,
				  &usage) < 0)
			usage = 0;
		return cg_error_set(
			err, r,
			"%s %s is below the group's usage %s: the kernel refused (EBUSY); nothing changed",
			k.file, units_format_size(a, sizeof(a), bytes),
			usage ? units_format_size(b, sizeof(b), usage) : "?");
	}
	if (r == -EINVAL && !k.v2 &&
	    read_u64_file(t, n, k.h, cg_knob_name(KNOB_MEMSW_MAX, false), &usage) == 0 && usage < bytes)
		return cg_error_set(
			err, r,
			"%s %s is above %s %s (memory + swap) of %s: the kernel refused (EINVAL); nothing changed",
			k.file, units_format_size(a, sizeof(a), bytes), cg_knob_name(KNOB_MEMSW_MAX, false),
			units_format_size(b, sizeof(b), usage), n->path);
	if (r < 0)
		return explain(t, n, &k, "writing", r, err);
	if (read_u64_file(t, n, k.h, k.file, &now) < 0)
		now = bytes;
	if (now == CG_UNLIMITED || now >= CG_V1_UNLIMITED_MIN)
		snprintf(done, size, "%s: %s set to max (no limit)", n->path, k.file);
	else
		snprintf(done, size, "%s: %s set to %s (%" PRIu64 ")", n->path, k.file,
			 units_format_size(a, sizeof(a), now), now);
	return 0;
}

int action_set_pids_max(const struct cg_tree *t, const struct cg_node *n, const char *value, char *done,
			size_t size, struct cg_error *err)
{
	struct knob_at k;
	char v[64], text[32];
	uint64_t limit, cur;
	const char *s;
	int r;

	r = check_node(t, n, err);
	if (r < 0)
		return r;
	s = trim(value, v, sizeof(v));
	if (limits_parse_pids(s, &limit) < 0)
		return cg_error_set(
			err, EINVAL,
			"invalid pids limit '%s': want a number of processes (1 to 4194304) or max", s);
	if (find_knob(t, n, KNOB_PIDS_MAX, &k) < 0)
		return cg_error_set(err, ENODEV, "%s has no pids controller: no pids limit to set", n->path);
	if (limit == CG_UNLIMITED)
		snprintf(text, sizeof(text), "max");
	else
		snprintf(text, sizeof(text), "%" PRIu64, limit);
	r = knob_write(t, &k, text);
	if (r < 0)
		return explain(t, n, &k, "writing", r, err);
	if (limit != CG_UNLIMITED && read_u64_file(t, n, k.h, cg_files[CGF_PIDS_CURRENT].name, &cur) == 0 &&
	    cur > limit)
		snprintf(done, size, "%s: %s set to %s (below the %" PRIu64 " tasks it has: new forks fail)",
			 n->path, k.file, text, cur);
	else
		snprintf(done, size, "%s: %s set to %s", n->path, k.file, text);
	return 0;
}

int action_attach(const struct cg_tree *t, const struct cg_node *n, const char *pid, char *done, size_t size,
		  struct cg_error *err)
{
	char v[64], p[32], rel[PATH_MAX];
	const char *s;
	unsigned h, moved = 0;
	long pidv;
	char *end;
	int r;

	r = check_node(t, n, err);
	if (r < 0)
		return r;
	s = trim(pid, v, sizeof(v));
	errno = 0;
	pidv = strtol(s, &end, 10);
	if (!*s || *end || errno || pidv <= 0 || pidv > INT_MAX)
		return cg_error_set(err, EINVAL, "invalid pid '%s': want a process id", s);
	if (kill((pid_t)pidv, 0) < 0 && errno == ESRCH)
		return cg_error_set(err, ESRCH, "no such process: %ld", pidv);
	snprintf(p, sizeof(p), "%ld", pidv);
	for (h = 0; h < t->hs.n; h++) {
		if (!in_hier(n, (int)h))
			continue;
		if (cg_node_relpath(t, n, h, cg_knob_name(KNOB_PROCS, t->hs.h[h].v2), rel, sizeof(rel)) < 0)
			continue;
		/* cgroup.procs moves every thread (v1 "tasks", which libcgroup 2.0
		 * writes, would move one) */
		r = write_at(t, (int)h, rel, p);
		if (r == -ESRCH)
			return cg_error_set(err, r, "no such process: %ld", pidv);
		if (r == -EBUSY && t->hs.h[h].v2)
			return cg_error_set(
				err, r,
				"cannot move pid %ld into %s: it hands controllers to child groups, and a v2 group that does may not hold processes (use a leaf group)",
				pidv, n->path);
		if (r == -EINVAL && !t->hs.h[h].v2)
			return cg_error_set(
				err, r,
				"cannot move pid %ld into %s (%s): the kernel refuses (a kernel thread?)",
				pidv, n->path, t->hs.h[h].label);
		if (r == -EACCES || r == -EPERM)
			return cg_error_set(
				err, r,
				"permission denied moving pid %ld into %s (%s): run as root, or own both groups and the process",
				pidv, n->path, t->hs.h[h].label);
		if (r < 0)
			return cg_error_set(err, r, "cannot move pid %ld into %s (%s): %s%s", pidv, n->path,
					    t->hs.h[h].label, strerror(-r),
					    moved ? " (moved in the hierarchies before it)" : "");
		moved++;
	}
	if (!moved)
		return cg_error_set(err, ENOENT, "%s is gone", n->path);
	snprintf(done, size, "pid %ld (all its threads) moved into %s in %u hierarch%s", pidv, n->path, moved,
		 moved == 1 ? "y" : "ies");
	return 0;
}

/* The freezer of the group: v1 freezer.state where the processes are counted
 * in v1 hierarchies (a hybrid host), else v2 cgroup.freeze. */
static int find_freezer(const struct cg_tree *t, const struct cg_node *n, struct knob_at *k)
{
	int th = cg_tasks_hier(&t->hs);
	bool v1_first = !(th >= 0 && t->hs.h[th].v2);
	int fh = t->hs.by_ctrl[CTRL_FREEZER];

	if (v1_first && in_hier(n, fh) && fill(t, n, fh, KNOB_FREEZE, k) == 0)
		return 0;
	if (in_hier(n, t->hs.v2) && fill(t, n, t->hs.v2, KNOB_FREEZE, k) == 0)
		return 0;
	if (in_hier(n, fh) && fill(t, n, fh, KNOB_FREEZE, k) == 0)
		return 0;
	return -ENODEV;
}

static int frozen_at(const struct cg_tree *t, const struct knob_at *k, bool *ret, char *state, size_t size)
{
	int r = read_at(t, k->h, k->rel, state, size);

	if (r < 0)
		return r;
	*ret = k->v2 ? strcmp(state, "1") == 0 : strcmp(state, "THAWED") != 0;
	return 0;
}

int action_frozen(const struct cg_tree *t, const struct cg_node *n, bool *ret)
{
	struct knob_at k;
	char state[32];

	*ret = false;
	if (!n || find_freezer(t, n, &k) < 0)
		return -ENODEV;
	return frozen_at(t, &k, ret, state, sizeof(state));
}

int action_freeze(const struct cg_tree *t, const struct cg_node *n, bool freeze, char *done, size_t size,
		  struct cg_error *err)
{
	struct knob_at k;
	char state[32];
	bool now;
	int r, i;

	r = check_node(t, n, err);
	if (r < 0)
		return r;
	if (find_freezer(t, n, &k) < 0)
		return cg_error_set(err, ENODEV,
				    "%s cannot be frozen: no freezer controller and no cgroup.freeze for it",
				    n->path);
	r = knob_write(t, &k, k.v2 ? (freeze ? "1" : "0") : (freeze ? "FROZEN" : "THAWED"));
	if (r < 0)
		return explain(t, n, &k, "writing", r, err);
	/* v1 goes through FREEZING; give it a moment to settle */
	for (i = 0; i < 10; i++) {
		if (frozen_at(t, &k, &now, state, sizeof(state)) < 0)
			break;
		if (k.v2 || strcmp(state, "FREEZING") != 0)
			break;
		sleep_ms(20);
	}
	snprintf(done, size, "%s %s (%s %s)", n->path, freeze ? "frozen" : "thawed", k.file, state);
	return 0;
}

/* SIGKILL every process of the group directory dfd and of its children (depth
 * first, at most 32 levels); never our own process.  Returns the count.  The
 * whole list, however long: one cut short could end in part of a number,
 * another process's pid. */
static int kill_dir(int dfd, int depth, bool *self)
{
	struct buf b = { 0 };
	const char *s = NULL;
	long pid;
	int fd, count = 0;
	DIR *d;
	struct dirent *de;

	if (fileio_read_at(dfd, cg_knob_name(KNOB_PROCS, false), &b) == 0)
		s = b.data;
	while (parse_pid_next(&s, &pid)) {
		if (pid == getpid())
			*self = true;
		else if (pid > 0 && kill((pid_t)pid, SIGKILL) == 0)
			count++;
	}
	buf_free(&b);
	if (depth >= 32)
		return count;
	fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return count;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return count;
	}
	while ((de = readdir(d))) {
		int sub;

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (sub < 0)
			continue;
		count += kill_dir(sub, depth + 1, self);
		close(sub);
	}
	closedir(d);
	return count;
}

/* The group's own process list in hierarchy h holds our pid? */
static bool holds_self(const struct cg_tree *t, const struct cg_node *n, int h)
{
	char rel[PATH_MAX];
	const char *s;
	long pid;
	struct buf b = { 0 };
	bool found = false;

	if (cg_node_relpath(t, n, (unsigned)h, cg_knob_name(KNOB_PROCS, t->hs.h[h].v2), rel, sizeof(rel)) <
		    0 ||
	    fileio_read_at(t->hs.h[h].root_fd, rel, &b) < 0 || !b.data) {
		buf_free(&b);
		return false;
	}
	for (s = b.data; !found && parse_pid_next(&s, &pid);)
		found = pid == getpid();
	buf_free(&b);
	return found;
}

int action_kill(const struct cg_tree *t, const struct cg_node *n, char *done, size_t size,
		struct cg_error *err)
{
	int th = cg_tasks_hier(&t->hs), h, total = 0, round, r, dfd;
	char rel[PATH_MAX], m[256];
	struct knob_at fz;
	bool frozen = false, self = false, have_fz;

	r = check_node(t, n, err);
	if (r < 0)
		return r;
	/* v2 where the processes are counted: cgroup.kill (5.14+), the whole subtree at once */
	h = t->hs.v2;
	if (in_hier(n, h) && (th == h || th < 0) && !holds_self(t, n, h) &&
	    cg_node_relpath(t, n, (unsigned)h, cg_knob_name(KNOB_KILL, true), rel, sizeof(rel)) == 0 &&
	    faccessat(t->hs.h[h].root_fd, rel, F_OK, 0) == 0) {
		r = write_at(t, h, rel, "1");
		if (r == 0) {
			snprintf(done, size, "%s: every process killed (cgroup.kill)", n->path);
			return 0;
		}
		if (r == -EACCES || r == -EPERM)
			return cg_error_set(
				err, r,
				"permission denied writing cgroup.kill of %s (run as root or own the group)",
				n->path);
	}
	/* else: freeze (no forks while we read the list), SIGKILL every pid, thaw */
	h = in_hier(n, th) ? th : -1;
	for (unsigned i = 0; h < 0 && i < t->hs.n; i++)
		if (in_hier(n, (int)i) && !t->hs.h[i].name)
			h = (int)i;
	if (h < 0 || cg_node_relpath(t, n, (unsigned)h, NULL, rel, sizeof(rel)) < 0)
		return cg_error_set(err, ENOENT, "%s is gone", n->path);
	dfd = openat(t->hs.h[h].root_fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		r = -errno;
		return cg_error_set(err, r, "%s: %s", n->path,
				    r == -ENOENT ? "the group is gone" : strerror(-r));
	}
	have_fz = find_freezer(t, n, &fz) == 0;
	if (have_fz && action_freeze(t, n, true, m, sizeof(m), NULL) == 0)
		frozen = true;
	for (round = 0; round < 50; round++) {
		int k = kill_dir(dfd, 0, &self);

		if (frozen) {
			action_freeze(t, n, false, m, sizeof(m), NULL);
			frozen = false;
		}
		total += k;
		if (!k)
			break;
		sleep_ms(20);
		/* another round for what forked or moved in meanwhile, frozen again */
		if (have_fz && action_freeze(t, n, true, m, sizeof(m), NULL) == 0)
			frozen = true;
	}
	if (frozen)
		action_freeze(t, n, false, m, sizeof(m), NULL);
	close(dfd);
	if (total == 0 && !self) {
		snprintf(done, size, "%s has no processes to kill", n->path);
		return 0;
	}
	if (total == 0 && self)
		return cg_error_set(err, EPERM, "%s holds only cgtop itself: nothing killed", n->path);
	snprintf(done, size, "%s: %d process%s killed (%sSIGKILL%s)%s", n->path, total,
		 total == 1 ? "" : "es", have_fz ? "freeze, " : "", have_fz ? ", thaw" : "",
		 self ? "; cgtop itself spared" : "");
	return 0;
}
