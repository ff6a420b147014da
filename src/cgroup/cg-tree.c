/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cg-tree.c - the merged tree of groups: one node per path, whatever the
 * hierarchies it exists in, each node knowing its identity (inode) in each.
 *
 * The first walk lists every directory once (openat relative to the parent,
 * no paths rebuilt from the root) and sets up nothing that only pays back
 * over many refreshes: a one-shot sample (-n 1) is one walk and one read of
 * each file.  On cgroupfs a directory's link count is 2 + its subdirectories
 * (kernfs_refresh_inode(), 3.14+), so a leaf group costs one fstatat instead
 * of open + getdents (which lists every control file) + close.  Where the
 * kernel counts a hierarchy's groups (cgroup2's cgroup.stat, v1's
 * /proc/cgroups when walked from its root), the walk goes level by level
 * and stops looking into directories once it has found that many: the
 * deepest level's leaves then cost nothing (walk_by_level()).  At the second
 * update the tree is walked again with inotify watches added before each
 * directory is looked at (mkdir and rmdir on cgroupfs raise IN_CREATE and
 * IN_DELETE on the parent), and from then on a refresh does not re-list
 * thousands of directories.  When inotify is unavailable, out of watches or
 * overflows, the tree is re-walked with mark and sweep.  A group that
 * vanishes mid-walk is a state, not an error: it simply goes away.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include "cgroup/cgroup.h"
#include "base/fileio.h"
#include "base/macro.h"
#include "base/parse.h"

#define WD_EVENTS (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR)

/* statfs f_type of cgroupfs (linux/magic.h, not included for two numbers) */
#define CG1_MAGIC 0x27e0ebu
#define CG2_MAGIC 0x63677270u

/* The low 32 bits of a directory's inode, kept per group and hierarchy to
 * tell a group removed and made again from the one seen before (4 bytes a
 * hierarchy less than the whole number, 40 a group on a hybrid host).
 * cgroupfs (kernfs, 5.5+) numbers a directory with a generation in the high
 * half and an id from idr_alloc_cyclic() in the low half, so a new directory
 * gets a low half unused since the last 2^31 were made; other filesystems
 * (--sysroot) hand out inodes below 2^32 in practice, and a match there only
 * keeps a group's history. */
static uint32_t cg_ino32(uint64_t ino)
{
	return (uint32_t)ino;
}

/* FNV-1a, which goes on from the hash of a prefix: a walk hashes the path of
 * a directory once and each entry's name after it */
static uint32_t hash_more(uint32_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static uint32_t hash_str(const char *s)
{
	return hash_more(2166136261u, s);
}

/* The hash of the paths of parent's children up to their name. */
static uint32_t hash_children(const struct cg_node *parent)
{
	return hash_more(hash_str(strcmp(parent->path, "/") ? parent->path : ""), "/");
}

/* The first walk's directory fds.  A file opened by its path from the mount
 * costs a dentry lookup per level (__d_lookup and kernfs_dop_revalidate were
 * a fifth of a one-shot's CPU at 5000 groups, paths of five to seven levels);
 * from its group's directory it is one level, from a leaf's parent two.
 * Only the first sample uses them: from the second on, the hot files have
 * kept fds and the tree is watched, so they are closed when it is out
 * (cg_tree_first_sampled). */
struct cg_walk_fd {
	const struct cg_node *n;
	unsigned h;
	int fd; /* -1 empty, -2 removed */
};

static unsigned walk_fd_slot(const struct cg_tree *t, const struct cg_node *n, unsigned h)
{
	uint64_t k = (uint64_t)(uintptr_t)n ^ ((uint64_t)h << 3);

	k ^= k >> 17;
	k *= 0x9e3779b97f4a7c15ull;
	return (unsigned)(k >> 32) & (t->walk_fds_cap - 1);
}

static struct cg_walk_fd *walk_fd_find(const struct cg_tree *t, const struct cg_node *n, unsigned h)
{
	if (!t->walk_fds)
		return NULL;
	for (unsigned i = walk_fd_slot(t, n, h);; i = (i + 1) & (t->walk_fds_cap - 1)) {
		struct cg_walk_fd *e = &t->walk_fds[i];
		if (e->fd == -1)
			return NULL;
		if (e->fd >= 0 && e->n == n && e->h == h)
			return e;
	}
}

static void walk_fds_close(struct cg_tree *t);

void cg_tree_first_sampled(struct cg_tree *t)
{
	walk_fds_close(t);
}

int cg_tree_dir_fd(const struct cg_tree *t, const struct cg_node *n, unsigned h)
{
	const struct cg_walk_fd *e = walk_fd_find(t, n, h);

	return e ? e->fd : -1;
}

static void walk_fd_put(struct cg_tree *t, const struct cg_node *n, unsigned h, int fd)
{
	unsigned i = walk_fd_slot(t, n, h);

	while (t->walk_fds[i].fd >= 0)
		i = (i + 1) & (t->walk_fds_cap - 1);
	t->walk_fds[i] = (struct cg_walk_fd){ n, h, fd };
}

/* Keep fd as n's directory in h: true when kept (the table owns it). */
static bool walk_fd_keep(struct cg_tree *t, const struct cg_node *n, unsigned h, int fd)
{
	/* the first walk only; within the fd budget, which leaves room for
	 * everything else (default_fd_budget()) */
	if (t->watching || t->updates || t->walk_fds_used >= t->fd_budget)
		return false;
	if (!t->walk_fds || (t->walk_fds_used + 1) * 4 > t->walk_fds_cap * 3) {
		/* grow (removed entries are dropped on the way) */
		struct cg_walk_fd *old = t->walk_fds;
		unsigned old_cap = t->walk_fds_cap;
		t->walk_fds_cap = old_cap ? old_cap * 2 : 1024;
		t->walk_fds = xmalloc(t->walk_fds_cap * sizeof(*t->walk_fds));
		for (unsigned i = 0; i < t->walk_fds_cap; i++)
			t->walk_fds[i].fd = -1;
		for (unsigned i = 0; i < old_cap; i++)
			if (old[i].fd >= 0)
				walk_fd_put(t, old[i].n, old[i].h, old[i].fd);
		free(old);
	}
	walk_fd_put(t, n, h, fd);
	t->walk_fds_used++;
	return true;
}

/* n lost hierarchy h (h < 0: every one): its kept directory is closed, so
 * that a node allocated later at the same address is not given it. */
static void walk_fd_forget(struct cg_tree *t, const struct cg_node *n, int h)
{
	unsigned lo = h < 0 ? 0 : (unsigned)h, hi = h < 0 ? t->hs.n : (unsigned)h + 1;

	if (!t->walk_fds)
		return;
	for (unsigned i = lo; i < hi; i++) {
		struct cg_walk_fd *e = walk_fd_find(t, n, i);
		if (e) {
			close(e->fd);
			e->fd = -2;
			/* used counts the places taken, removed ones too, so the
			 * table keeps an empty place to end a search */
		}
	}
}

static void walk_fds_close(struct cg_tree *t)
{
	for (unsigned i = 0; i < t->walk_fds_cap; i++)
		if (t->walk_fds[i].fd >= 0)
			close(t->walk_fds[i].fd);
	free(t->walk_fds);
	t->walk_fds = NULL;
	t->walk_fds_cap = t->walk_fds_used = 0;
}

struct cg_node *cg_tree_find(const struct cg_tree *t, const char *path)
{
	struct cg_node *n;

	if (!t->hash_size)
		return NULL;
	for (n = t->hash[hash_str(path) & (t->hash_size - 1)]; n; n = n->hash_next)
		if (strcmp(n->path, path) == 0)
			return n;
	return NULL;
}

static void hash_insert(struct cg_tree *t, struct cg_node *n)
{
	/* chained: up to one group a bucket on average */
	if (t->n_nodes + 1 > t->hash_size) {
		unsigned size = t->hash_size ? t->hash_size * 2 : 1024;
		struct cg_node **nh = xcalloc(size, sizeof(*nh));
		for (unsigned i = 0; i < t->hash_size; i++) {
			struct cg_node *m = t->hash[i], *next;
			for (; m; m = next) {
				next = m->hash_next;
				uint32_t b = hash_str(m->path) & (size - 1);
				m->hash_next = nh[b];
				nh[b] = m;
			}
		}
		free(t->hash);
		t->hash = nh;
		t->hash_size = size;
	}
	uint32_t b = hash_str(n->path) & (t->hash_size - 1);
	n->hash_next = t->hash[b];
	t->hash[b] = n;
}

static void hash_remove(struct cg_tree *t, struct cg_node *n)
{
	struct cg_node **pp = &t->hash[hash_str(n->path) & (t->hash_size - 1)];

	for (; *pp; pp = &(*pp)->hash_next)
		if (*pp == n) {
			*pp = n->hash_next;
			return;
		}
}

/* ---- inotify watch descriptors: wd -> node ---- */

/* A watch per group and hierarchy makes this the largest table of the tree
 * (20,000 watches at 2,000 groups in 10 hierarchies).  It is three sorted
 * arrays, 13 bytes a watch, where an open-addressing table filled to 3/4
 * took 21 to 43 bytes and twice that while it grew: the kernel hands out
 * wds in increasing order (idr_alloc_cyclic() in inotify_add_to_idr(),
 * 3.9+), so an add is an append, and a watch is looked up only when its
 * event comes.  A removed watch leaves a NULL until half of them are.
 *
 * The table alone knows a watch's wd: a group holds one bit a watch
 * (cg_node.wmask, .nwatch), 4 bytes a hierarchy less than a wd each.  A
 * group that gives up a watch clears its bit, and wd_purge() removes the
 * watches whose bit is clear, one pass over the table after the changes of
 * an update (and before a watch is added, so a group never has two of the
 * same).  A group freed meanwhile waits for the pass in the graveyard. */

#define WD_FILE 0x80 /* wd_what: a notified file's watch, | its notify_slot */

/* Whether watch i of the table is its group's still. */
static bool wd_live(const struct cg_tree *t, unsigned i)
{
	const struct cg_node *n = t->wd_nodes[i];
	unsigned w = t->wd_what[i];

	if (!n)
		return false;
	return w & WD_FILE ? (n->nwatch >> (w & ~WD_FILE)) & 1 : (n->wmask >> w) & 1;
}

/* The index of wd (live or removed), else where it would go. */
static unsigned wd_pos(const struct cg_tree *t, int wd)
{
	unsigned lo = 0, hi = t->wds_len;

	if (hi && t->wd_keys[hi - 1] < wd)
		return hi;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (t->wd_keys[mid] < wd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The table's index of live watch wd, -1 none. */
static int wd_find(const struct cg_tree *t, int wd)
{
	unsigned i = wd_pos(t, wd);

	return i < t->wds_len && t->wd_keys[i] == wd && t->wd_nodes[i] ? (int)i : -1;
}

static void wd_compact(struct cg_tree *t)
{
	unsigned o = 0;

	for (unsigned i = 0; i < t->wds_len; i++)
		if (t->wd_nodes[i]) {
			t->wd_keys[o] = t->wd_keys[i];
			t->wd_what[o] = t->wd_what[i];
			t->wd_nodes[o++] = t->wd_nodes[i];
		}
	t->wds_len = o;
}

static void wd_insert(struct cg_tree *t, int wd, struct cg_node *n, unsigned what)
{
	unsigned i = wd_pos(t, wd);

	if (i < t->wds_len && t->wd_keys[i] == wd) {
		if (!t->wd_nodes[i])
			t->wds_used++;
		t->wd_nodes[i] = n;
		t->wd_what[i] = (uint8_t)what;
		n->wd_named = true;
		return;
	}
	if (t->wds_len == t->wds_cap) {
		if (t->wds_len && t->wds_len - t->wds_used >= t->wds_len / 4) {
			wd_compact(t);
			i = wd_pos(t, wd);
		} else {
			/* large blocks grow in place (mremap) */
			t->wds_cap = t->wds_cap ? t->wds_cap + t->wds_cap / 2 : 1024;
			t->wd_keys = xrealloc(t->wd_keys, t->wds_cap * sizeof(*t->wd_keys));
			t->wd_nodes = xrealloc(t->wd_nodes, t->wds_cap * sizeof(*t->wd_nodes));
			t->wd_what = xrealloc(t->wd_what, t->wds_cap * sizeof(*t->wd_what));
		}
	}
	memmove(t->wd_keys + i + 1, t->wd_keys + i, (t->wds_len - i) * sizeof(*t->wd_keys));
	memmove(t->wd_nodes + i + 1, t->wd_nodes + i, (t->wds_len - i) * sizeof(*t->wd_nodes));
	memmove(t->wd_what + i + 1, t->wd_what + i, (t->wds_len - i) * sizeof(*t->wd_what));
	t->wd_keys[i] = wd;
	t->wd_nodes[i] = n;
	t->wd_what[i] = (uint8_t)what;
	n->wd_named = true;
	t->wds_len++;
	t->wds_used++;
}

/* Remove watch i from the table (the kernel's is gone or removed). */
static void wd_remove_at(struct cg_tree *t, unsigned i)
{
	t->wd_nodes[i] = NULL;
	t->wds_used--;
	if (t->wds_len - t->wds_used > t->wds_len / 2 && t->wds_len > 1024)
		wd_compact(t);
}

/* Remove the watches their groups gave up, from the kernel too, and free
 * the groups that waited for it. */
static void wd_purge(struct cg_tree *t)
{
	if (t->wd_stale) {
		for (unsigned i = 0; i < t->wds_len; i++)
			if (t->wd_nodes[i] && !wd_live(t, i)) {
				if (t->inotify_fd >= 0)
					inotify_rm_watch(t->inotify_fd, t->wd_keys[i]);
				t->wd_nodes[i] = NULL;
				t->wds_used--;
			}
		if (t->wds_len - t->wds_used > t->wds_len / 2 && t->wds_len > 1024)
			wd_compact(t);
		t->wd_stale = false;
	}
	while (t->graveyard) {
		struct cg_node *n = t->graveyard;
		t->graveyard = n->hash_next;
		free(n);
	}
}

/* ---- nodes ---- */

int cg_node_relpath(const struct cg_tree *t, const struct cg_node *n, unsigned h, const char *file, char *out,
		    size_t size)
{
	const char *root = t->hs.h[h].mount_root;
	const char *ns = t->hs.h[h].ns_dir;
	size_t rlen = strlen(root);
	const char *rel;
	int r;

	if (ns) {
		rel = n->path + 1;
		if (!file)
			r = snprintf(out, size, "%s%s%s", ns, *rel ? "/" : "", rel);
		else
			r = snprintf(out, size, "%s/%s%s%s", ns, rel, *rel ? "/" : "", file);
		return r < 0 || (size_t)r >= size ? -ENAMETOOLONG : 0;
	}
	if (strcmp(root, "/") == 0)
		rel = n->path + 1;
	else if (strncmp(n->path, root, rlen) == 0 && (n->path[rlen] == '/' || n->path[rlen] == 0))
		rel = n->path + rlen + (n->path[rlen] == '/');
	else
		return -ENOENT;
	if (!file)
		r = snprintf(out, size, "%s", *rel ? rel : ".");
	else if (*rel)
		r = snprintf(out, size, "%s/%s", rel, file);
	else
		r = snprintf(out, size, "%s", file);
	return r < 0 || (size_t)r >= size ? -ENAMETOOLONG : 0;
}

/* A node's per-hierarchy array follows it in its allocation, sized to the
 * tree's hierarchies (no pointer to it): the low 32 bits of its directory's
 * inode there (cg_ino32). */
static unsigned node_nh(const struct cg_tree *t)
{
	return t->hs.n ? t->hs.n : 1;
}

static uint32_t *node_ino(struct cg_node *n)
{
	return (uint32_t *)(n + 1);
}

struct cg_node_more *cg_node_more(struct cg_node *n)
{
	if (!n->more)
		n->more = xcalloc(1, sizeof(*n->more));
	return n->more;
}

static struct cg_node *node_new(struct cg_tree *t, struct cg_node *parent, const char *path)
{
	/* the per-hierarchy array and the path after the node, in its
	 * allocation (a block of its own cost each path 8 to 23 bytes more) */
	unsigned nh = node_nh(t);
	size_t len = strlen(path);
	struct cg_node *n = xcalloc(1, sizeof(*n) + nh * sizeof(uint32_t) + len + 1);
	const char *slash = strrchr(path, '/');

	n->path = memcpy(node_ino(n) + nh, path, len + 1);
	n->name_off = parent ? (uint16_t)(slash - path + 1) : 0;
	n->parent = parent;
	n->depth = parent ? parent->depth + 1 : 0;
	n->fresh = true;
	n->src = cg_files_no_src;
	n->dfd = -1;
	if (parent) {
		struct cg_node **pp = &parent->children;
		while (*pp && strcmp(cg_node_name(*pp), cg_node_name(n)) < 0)
			pp = &(*pp)->next;
		n->next = *pp;
		*pp = n;
	}
	hash_insert(t, n);
	t->n_nodes++;
	return n;
}

const struct cg_node_text *cg_text(const struct cg_node *n)
{
	static const struct cg_node_text none;

	return n->text ? n->text : &none;
}

struct cg_node_text *cg_text_mut(struct cg_node *n)
{
	if (!n->text)
		n->text = xcalloc(1, sizeof(*n->text));
	return n->text;
}

const struct cg_node_rates cg_no_rates;

struct cg_node_rates *cg_rates_mut(struct cg_node *n)
{
	if (!n->rates)
		n->rates = xcalloc(1, sizeof(*n->rates));
	return n->rates;
}

struct cg_eff_limit *cg_eff_slot(struct cg_node *n, enum cg_eff_kind k)
{
	unsigned have = n->eff ? n->eff->have : 0, at = (unsigned)__builtin_popcount(have & ((1u << k) - 1));

	if (!((have >> k) & 1)) {
		unsigned cnt = (unsigned)__builtin_popcount(have);
		struct cg_node_eff *e = xrealloc(n->eff, sizeof(*e) + (cnt + 1) * sizeof(e->l[0]));
		if (!n->eff)
			e->valid = 0;
		memmove(&e->l[at + 1], &e->l[at], (cnt - at) * sizeof(e->l[0]));
		e->l[at] = (struct cg_eff_limit){ 0, NULL };
		e->have = (uint8_t)(have | 1u << k);
		n->eff = e;
	}
	return &n->eff->l[at];
}

/* n's kept fds to change (cg_node_fds()). */
static int *node_fds(struct cg_node *n)
{
	return __builtin_popcount(n->fd_have) > CG_NODE_FDS_IN ? n->fdv.heap : n->fdv.in;
}

void cg_node_close_dfd(struct cg_tree *t, struct cg_node *n)
{
	if (n->dfd >= 0) {
		close(n->dfd);
		n->dfd = -1;
		t->fds_kept--;
		t->dfds_kept--;
	}
}

static void node_close_fds(struct cg_tree *t, struct cg_node *n, int h)
{
	if (n->dfd >= 0 && (h < 0 || n->dfd_h == h))
		cg_node_close_dfd(t, n);
	for (int f = 0; n->fd_have && f < _CGF_MAX; f++) {
		int i = cg_file_fd_slot(f);
		if (cg_node_fd(n, i) >= 0 && (h < 0 || n->src[f] == h)) {
			int *p = &node_fds(n)[__builtin_popcount(n->fd_have & ((1u << i) - 1))];
			close(*p);
			*p = -1;
			t->fds_kept--;
		}
	}
}

void cg_node_keep_fd(struct cg_node *n, int i, int fd)
{
	uint32_t bit = 1u << i;
	unsigned at = (unsigned)__builtin_popcount(n->fd_have & (bit - 1));

	if (!(n->fd_have & bit)) {
		unsigned k = (unsigned)__builtin_popcount(n->fd_have);
		int *v;

		if (k + 1 <= CG_NODE_FDS_IN) {
			v = n->fdv.in;
		} else if (k == CG_NODE_FDS_IN) {
			/* out of the node: the ones in it move to the allocation */
			v = xmalloc((k + 1) * sizeof(*v));
			memcpy(v, n->fdv.in, k * sizeof(*v));
			n->fdv.heap = v;
		} else {
			v = n->fdv.heap = xrealloc(n->fdv.heap, (k + 1) * sizeof(*v));
		}
		memmove(v + at + 1, v + at, (k - at) * sizeof(*v));
		n->fd_have |= bit;
	}
	node_fds(n)[at] = fd;
}

/* Drop the watches of n's notified files: they are watched again, and
 * read, at its next sample (its files may now come from elsewhere). */
static void node_unwatch_files(struct cg_tree *t, struct cg_node *n)
{
	if (n->nwatch) {
		n->nwatch = 0;
		t->wd_stale = true; /* wd_purge() removes them */
	}
	n->notify_dirty = 0;
	n->slow_due = 0;
}

static void node_free(struct cg_tree *t, struct cg_node *n)
{
	while (n->children)
		node_free(t, n->children);
	if (n->parent) {
		struct cg_node **pp = &n->parent->children;
		while (*pp != n)
			pp = &(*pp)->next;
		*pp = n->next;
	}
	node_unwatch_files(t, n);
	node_close_fds(t, n, -1);
	walk_fd_forget(t, n, -1);
	hash_remove(t, n);
	if (t->on_free)
		t->on_free(n, t->on_free_data);
	if (n->text) {
		buf_free(&n->text->mem_stat);
		buf_free(&n->text->mem_events);
		buf_free(&n->text->cpuset);
		buf_free(&n->text->cpuset_eff);
		free(n->text);
	}
	if (n->more) {
		free(n->more->quiet);
		free(n->more->forkers);
		free(n->more);
	}
	free(n->rates);
	free(n->eff);
	if (n->procs)
		free(n->procs->text);
	free(n->procs);
	cg_values_free(&n->cur);
	free(n->psi);
	if (__builtin_popcount(n->fd_have) > CG_NODE_FDS_IN)
		free(n->fdv.heap);
	free(n->gname);
	free(n->ev);
	if (t->top == n)
		t->top = NULL;
	t->n_nodes--;
	if (n->wd_named) {
		/* the watch table may name it: until wd_purge() */
		n->wmask = 0;
		t->wd_stale = true;
		n->hash_next = t->graveyard;
		t->graveyard = n;
		return;
	}
	free(n);
}

/* A node that lost a hierarchy: drop what came from it; free it when it is in none. */
static void node_drop_hier(struct cg_tree *t, struct cg_node *n, unsigned h)
{
	for (struct cg_node *c = n->children, *next; c; c = next) {
		next = c->next;
		node_drop_hier(t, c, h);
	}
	if (!(n->hmask & (1u << h)))
		return;
	n->hmask &= ~(1u << h);
	node_ino(n)[h] = 0;
	if (n->wmask & (1u << h)) {
		n->wmask &= ~(1u << h);
		t->wd_stale = true; /* wd_purge() removes it */
	}
	node_unwatch_files(t, n);
	node_close_fds(t, n, h);
	walk_fd_forget(t, n, (int)h);
	if (!n->hmask && n != t->root && !n->hidden && n != t->top) {
		node_free(t, n);
		return;
	}
	/* the controllers that came with that hierarchy go with it */
	uint32_t keep = 0;
	for (unsigned i = 0; i < t->hs.n; i++)
		if ((n->hmask & (1u << i)) && !t->hs.h[i].v2)
			keep |= t->hs.h[i].ctrl_mask;
	if (t->hs.v2 >= 0 && (n->hmask & (1u << t->hs.v2)))
		keep |= n->ctrl_mask & t->hs.h[t->hs.v2].ctrl_mask;
	n->ctrl_mask &= keep;
	cg_files_plan(&t->hs, n);
}

static void reap(struct cg_tree *t, struct cg_node *n)
{
	for (struct cg_node *c = n->children, *next; c; c = next) {
		next = c->next;
		reap(t, c);
	}
	while (n->vanish_mask) {
		unsigned h = __builtin_ctz(n->vanish_mask);
		char rel[PATH_MAX];
		struct stat st;

		n->vanish_mask &= ~(1u << h);
		if (cg_node_relpath(t, n, h, NULL, rel, sizeof(rel)) == 0 &&
		    fstatat(t->hs.h[h].root_fd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    cg_ino32(st.st_ino) == node_ino(n)[h])
			continue; /* still there: a passing error */
		if (n->hmask == (1u << h) && n != t->root && !n->hidden && n != t->top) {
			node_drop_hier(t, n, h); /* frees n */
			return;
		}
		node_drop_hier(t, n, h);
	}
}

void cg_tree_reap(struct cg_tree *t)
{
	if (t->root && t->vanished)
		reap(t, t->root);
	t->vanished = false;
	wd_purge(t);
}

/* The group exists in hierarchy h with inode ino.  A different inode than
 * before means it was removed and created again: start its history afresh.
 * pdfd: its parent's directory in h when the caller has it open (the walk),
 * else -1. */
static void node_set_present_at(struct cg_tree *t, struct cg_node *n, unsigned h, uint64_t ino, int pdfd)
{
	if ((n->hmask & (1u << h)) && node_ino(n)[h] == cg_ino32(ino))
		return;
	if (n->hmask & (1u << h)) {
		node_close_fds(t, n, h);
		n->fresh = true;
		n->cur.valid = 0;
		if (n->rates)
			n->rates->prev_valid = 0;
	}
	node_unwatch_files(t, n);
	n->hmask |= 1u << h;
	node_ino(n)[h] = cg_ino32(ino);
	n->absent = 0;
	if (t->hs.h[h].v2 && t->hs.h[h].ctrl_mask) {
		/* the controllers enabled for this group: those its parent hands
		 * down, so none below a parent that has none (v2 controllers
		 * are not bound to v1, so the parent's v1 bits do not count) */
		struct cg_node *p = n->parent;
		char rel[PATH_MAX];
		if (p && (p->hmask & (1u << h)) && !(p->ctrl_mask & t->hs.h[h].ctrl_mask))
			;
		else if (pdfd >= 0 && (size_t)snprintf(rel, sizeof(rel), "%s/cgroup.controllers",
						       cg_node_name(n)) < sizeof(rel))
			/* from the parent's directory: two levels to look up, not
			 * every level from the mount */
			n->ctrl_mask |= cg_read_v2_controllers(pdfd, rel);
		else if (cg_node_relpath(t, n, h, "cgroup.controllers", rel, sizeof(rel)) == 0)
			n->ctrl_mask |= cg_read_v2_controllers(t->hs.h[h].root_fd, rel);
	} else if (!t->hs.h[h].v2) {
		n->ctrl_mask |= t->hs.h[h].ctrl_mask;
	}
	cg_files_plan(&t->hs, n);
}

static void node_set_present(struct cg_tree *t, struct cg_node *n, unsigned h, uint64_t ino)
{
	node_set_present_at(t, n, h, ino, -1);
}

/* The child name of parent, made when there is none; pre is
 * hash_children(parent).  NULL when its path is too long. */
static struct cg_node *ensure_child_hashed(struct cg_tree *t, struct cg_node *parent, const char *name,
					   uint32_t pre)
{
	char path[PATH_MAX];

	/* found without building its path: the same group seen in another
	 * hierarchy is most of a walk's entries */
	if (t->hash_size)
		for (struct cg_node *n = t->hash[hash_more(pre, name) & (t->hash_size - 1)]; n;
		     n = n->hash_next)
			if (n->parent == parent && strcmp(cg_node_name(n), name) == 0)
				return n;
	if (snprintf(path, sizeof(path), "%s/%s", strcmp(parent->path, "/") ? parent->path : "", name) >=
	    (int)sizeof(path))
		return NULL;
	return node_new(t, parent, path);
}

static struct cg_node *ensure_child(struct cg_tree *t, struct cg_node *parent, const char *name)
{
	return ensure_child_hashed(t, parent, name, hash_children(parent));
}

unsigned cg_node_depth_below_top(const struct cg_tree *t, const struct cg_node *n)
{
	return t->top && n->depth >= t->top->depth ? n->depth - t->top->depth : 0;
}

static bool children_wanted(const struct cg_tree *t, const struct cg_node *n)
{
	return t->max_depth < 0 || cg_node_depth_below_top(t, n) < (unsigned)t->max_depth;
}

static void add_watch(struct cg_tree *t, struct cg_node *n, unsigned h)
{
	char abs[PATH_MAX], rel[PATH_MAX];
	int wd;

	if (!t->watching || t->inotify_fd < 0 || (n->wmask & (1u << h)))
		return;
	if (t->wd_stale)
		wd_purge(t); /* an old watch of the same directory goes first */
	if (cg_node_relpath(t, n, h, NULL, rel, sizeof(rel)) < 0)
		return;
	if (snprintf(abs, sizeof(abs), "%s%s/%s", t->sysroot, t->hs.h[h].mount_point, rel) >=
	    (int)sizeof(abs))
		return;
	/* the process lists' gate: a write to any file of the group (v1 has no
	 * file the kernel itself notifies) */
	wd = inotify_add_watch(t->inotify_fd, abs,
			       WD_EVENTS | (t->watch_procs && !t->hs.h[h].v2 ? IN_MODIFY : 0));
	if (wd < 0) {
		/* out of watches (ENOSPC) or gone: fall back to re-walking */
		if (errno != ENOENT) {
			close(t->inotify_fd);
			t->inotify_fd = -1;
		}
		return;
	}
	wd_insert(t, wd, n, h);
	n->wmask |= 1u << h;
}

int cg_tree_watch_file(struct cg_tree *t, struct cg_node *n, enum cg_file f)
{
	const struct cg_file_spec *spec = &cg_files[f];
	char abs[PATH_MAX], rel[PATH_MAX];
	unsigned k = spec->notify_slot;
	int h = n->src[f], wd;

	if (spec->tier != CG_TIER_NOTIFY || h < 0 || !t->watching || t->inotify_fd < 0 ||
	    t->file_watch_full || !(t->kernfs_mask & (1u << h)))
		return 0;
	if (n->nwatch & (1u << k))
		return 1;
	/* Directory watches and file watches count against the same per-user
	 * limit, and a directory watch that fails makes every refresh re-walk
	 * the tree: files get at most half of it. */
	if (t->wds_used >= t->max_watches / 2)
		return 0;
	if (cg_node_relpath(t, n, (unsigned)h, spec->name, rel, sizeof(rel)) < 0 ||
	    snprintf(abs, sizeof(abs), "%s%s/%s", t->sysroot, t->hs.h[h].mount_point, rel) >=
		    (int)sizeof(abs))
		return 0;
	if (t->wd_stale)
		wd_purge(t); /* an old watch of the same file goes first */
	wd = inotify_add_watch(t->inotify_fd, abs, IN_MODIFY);
	if (wd < 0) {
		/* out of watches: the files are read every refresh from now
		 * on, without a failing call per file each time */
		if (errno == ENOSPC)
			t->file_watch_full = true;
		return 0;
	}
	wd_insert(t, wd, n, WD_FILE | k);
	n->nwatch |= 1u << k;
	n->notify_dirty &= ~(1u << k);
	return 1;
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* The largest entry getdents64 returns: a name of NAME_MAX, its NUL, 8-aligned. */
#define DIRENT_MAX ((offsetof(struct linux_dirent64, d_name) + NAME_MAX + 1 + 7) & ~(size_t)7)

/* A group at --depth, whose children are not walked, named name in the
 * directory dfd (name NULL: dfd is its own): for the process lists' gate its
 * writes are watched too, and a group below it, whose writes are not, makes
 * the gate blind in h (a process moved there from a group shown would leave
 * unseen). */
static void depth_edge(struct cg_tree *t, struct cg_node *c, unsigned h, int dfd, const char *name)
{
	struct stat st;

	if (!t->watch_procs || t->hs.h[h].v2 || !(t->kernfs_mask & (1u << h)) || !t->watching)
		return;
	add_watch(t, c, h);
	if (!(c->wmask & (1u << h)) ||
	    ((name ? fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) : fstat(dfd, &st)) == 0 &&
	     st.st_nlink != 2))
		t->procs_blind |= 1u << h;
}

/* The directories the kernel counts in h from n (n included), or 0 when it
 * does not say.  cgroup2: n's cgroup.stat nr_descendants, live groups only
 * (4.14+).  A v1 hierarchy walked from its root (the mount's, in our cgroup
 * namespace): its num_cgroups in /proc/cgroups, which on some kernels counts
 * a group removed but not yet freed too (memory groups pinned by page
 * cache), and then exceeds what any walk can find: no leaf test is saved,
 * none is skipped wrongly.  Named v1 hierarchies are counted nowhere. */
static uint64_t walk_count(struct cg_tree *t, const struct cg_node *n, unsigned h)
{
	const struct cg_hier *hi = &t->hs.h[h];
	char rel[PATH_MAX];
	struct buf b;
	uint64_t x = 0;
	int r;

	if (t->walk_count_off || !(t->kernfs_mask & (1u << h)) || t->sysroot[0])
		return 0;
	if (!hi->v2 && (n != t->root || hi->ns_dir || !hi->mount_root || strcmp(hi->mount_root, "/") != 0 ||
			hi->id <= 0))
		return 0;
	if (hi->v2 && cg_node_relpath(t, n, h, "cgroup.stat", rel, sizeof(rel)) < 0)
		return 0;
	buf_init(&b, 512);
	if (hi->v2) {
		r = fileio_read_at(hi->root_fd, rel, &b);
		if (r == 0)
			r = parse_keyed_get(b.data, b.len, "nr_descendants", &x);
		x++; /* n itself */
	} else {
		r = fileio_read_at(AT_FDCWD, "/proc/cgroups", &b);
		if (r == 0)
			r = parse_proc_cgroups_count(b.data, b.len, (unsigned)hi->id, &x);
	}
	buf_free(&b);
	return r < 0 ? 0 : x;
}

/* A directory a walk level by level lists: its group and its fd in the
 * hierarchy, -1 when it is opened by its path at its turn. */
struct walk_dir {
	struct cg_node *n;
	int fd;
	bool kept;   /* the fd is walk_fds' */
	bool listed; /* its children are to be looked into (from fd, or by
		      * their paths when it was closed after listing) */
};

/* Directories of a level held open at once, at most; the others are opened
 * by their paths to be listed, and their children looked into by theirs (a
 * wide level needs no thousands of fds). */
#define WALK_OPEN_MAX 1024u

struct walk {
	struct cg_tree *t;
	unsigned h;
	uint32_t gen;  /* this walk's walk_mark: the children its listings found */
	uint64_t seen; /* directories found, the start included */
	struct walk_dir *dirs, *next;
	unsigned nd, nn, dcap, ncap;
};

/* List n's directory fd in the walk's hierarchy: its subdirectories become
 * nodes present there, marked with the walk's gen (those below --depth are
 * depth edges).  The watch is added before listing, so a group made
 * meanwhile is seen one way or the other.  getdents64 directly: no DIR, no
 * fstat, no fcntl. */
static void walk_list(struct walk *w, struct cg_node *n, int fd)
{
	struct cg_tree *t = w->t;
	unsigned h = w->h;
	char dents[4096] __attribute__((aligned(8)));
	uint32_t pre = hash_children(n);
	long len;

	add_watch(t, n, h);
	while ((len = syscall(SYS_getdents64, fd, dents, sizeof(dents))) > 0) {
		/* kernfs fills the buffer until it runs out of entries, so a
		 * buffer with room for one more entry of the longest name left
		 * is the whole directory: no second call just to see the end
		 * (half the getdents of a walk). */
		bool last = !t->sysroot[0] && len <= (long)sizeof(dents) - DIRENT_MAX;
		for (long off = 0; off < len;) {
			struct linux_dirent64 *de = (struct linux_dirent64 *)(dents + off);
			off += de->d_reclen;
			if (de->d_type != DT_DIR || de->d_name[0] == '.')
				continue;
			w->seen++;
			struct cg_node *c = ensure_child_hashed(t, n, de->d_name, pre);
			if (!c)
				continue;
			node_set_present_at(t, c, h, de->d_ino, fd);
			c->walk_mark = w->gen;
			if (!children_wanted(t, c))
				depth_edge(t, c, h, fd, de->d_name);
			else if (t->kernfs_mask & (1u << h))
				/* the watch first: a group made after the look
				 * into it raises IN_CREATE */
				add_watch(t, c, h);
		}
		if (last)
			break;
	}
}

/* A child the listing of its parent found, whose own children are wanted. */
static bool walk_found(const struct walk *w, const struct cg_node *c)
{
	return c->walk_mark == w->gen && children_wanted(w->t, c);
}

/* Look into c, found in the directory pfd (-1: not open, c is looked up
 * from the mount): its directory opened, or -1 when it has no
 * subdirectories (cgroupfs: a directory's link count is 2 + its
 * subdirectories) or vanished meanwhile.  all_seen: every directory the
 * kernel counts has been found, so c has none.  *by_path: c has some, but
 * may_open is false or opening it failed for want of fds: it is to be
 * opened by its path when listed. */
static int walk_look(struct walk *w, struct cg_node *c, int pfd, bool all_seen, bool may_open, bool *by_path)
{
	struct cg_tree *t = w->t;
	const char *name = cg_node_name(c);
	char rel[PATH_MAX];
	int fd;

	*by_path = false;
	if (pfd < 0) {
		if (cg_node_relpath(t, c, w->h, NULL, rel, sizeof(rel)) < 0)
			return -1;
		pfd = t->hs.h[w->h].root_fd;
		name = rel;
	}
	if (t->kernfs_mask & (1u << w->h)) {
		struct stat st;
		if (all_seen || fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_nlink == 2)
			return -1;
	}
	if (!may_open) {
		*by_path = true;
		return -1;
	}
	fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && (errno == EMFILE || errno == ENFILE))
		*by_path = true;
	return fd;
}

/* Depth first: the order that holds the fewest directories open, for a
 * hierarchy whose directories the kernel does not count (fd is n's, and
 * the walk's now). */
static void walk_depth_first(struct walk *w, struct cg_node *n, int fd)
{
	_cleanup_close_ int owned = fd;
	struct cg_tree *t = w->t;

	if (walk_fd_keep(t, n, w->h, fd))
		owned = -1; /* the table's now */
	if (!children_wanted(t, n)) {
		depth_edge(t, n, w->h, fd, NULL); /* --depth 0 */
		return;
	}
	walk_list(w, n, fd);
	for (struct cg_node *c = n->children; c; c = c->next) {
		bool by_path;
		if (!walk_found(w, c))
			continue;
		/* (out of fds, by_path: its path would fail the same way) */
		int cfd = walk_look(w, c, fd, false, true, &by_path);
		if (cfd >= 0)
			walk_depth_first(w, c, cfd);
	}
}

static void walk_push_next(struct walk *w, struct cg_node *n, int fd)
{
	if (w->nn == w->ncap) {
		w->ncap = w->ncap ? w->ncap * 2 : 64;
		w->next = xrealloc(w->next, (size_t)w->ncap * sizeof(*w->next));
	}
	w->next[w->nn++] = (struct walk_dir){ n, fd, false, false };
}

/* Level by level, for a hierarchy whose directories the kernel counts
 * (expect, n included): every directory of a level is listed before any
 * below it is looked into, so once the directories found reach the count,
 * those left to look into have no subdirectories and need no fstatat each.
 * On a tree whose leaves are mostly at its deepest level (containers below
 * their runtime's groups, the fleets of make bench) that is most of them.
 * fd is n's, and the walk's now. */
static void walk_by_level(struct walk *w, struct cg_node *n, int fd, uint64_t expect)
{
	struct cg_tree *t = w->t;
	unsigned h = w->h;

	walk_push_next(w, n, fd);
	while (w->nn) {
		/* the next level becomes this one */
		struct walk_dir *tmp = w->dirs;
		unsigned tcap = w->dcap;
		w->dirs = w->next;
		w->dcap = w->ncap;
		w->nd = w->nn;
		w->next = tmp;
		w->ncap = tcap;
		w->nn = 0;

		for (unsigned i = 0; i < w->nd; i++) {
			struct walk_dir *d = &w->dirs[i];
			bool by_path = d->fd < 0;
			char rel[PATH_MAX];

			if (by_path && cg_node_relpath(t, d->n, h, NULL, rel, sizeof(rel)) == 0)
				d->fd = openat(t->hs.h[h].root_fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (d->fd < 0)
				continue;
			d->kept = walk_fd_keep(t, d->n, h, d->fd); /* then the table's */
			if (!children_wanted(t, d->n)) {
				depth_edge(t, d->n, h, d->fd, NULL); /* --depth 0 */
				continue;
			}
			walk_list(w, d->n, d->fd);
			d->listed = true;
			if (by_path && !d->kept) {
				/* past WALK_OPEN_MAX: not held open until its
				 * children are looked into */
				close(d->fd);
				d->fd = -1;
			}
		}
		/* the count again when the walk seems to have found it all: a
		 * group made since the walk began is counted then, and so looked
		 * for (the watches of this level's groups were added before) */
		bool all_seen = w->seen == expect && w->seen == walk_count(t, n, h);
		for (unsigned i = 0; i < w->nd; i++) {
			const struct walk_dir *d = &w->dirs[i];
			if (!d->listed)
				continue;
			for (struct cg_node *c = d->n->children; c; c = c->next) {
				bool by_path;
				if (!walk_found(w, c))
					continue;
				int cfd = walk_look(w, c, d->fd, all_seen, w->nn < WALK_OPEN_MAX, &by_path);
				if (cfd >= 0 || by_path)
					walk_push_next(w, c, cfd);
			}
		}
		for (unsigned i = 0; i < w->nd; i++)
			if (w->dirs[i].fd >= 0 && !w->dirs[i].kept)
				close(w->dirs[i].fd);
	}
	free(w->dirs);
	free(w->next);
}

/* List fd (the group n in hierarchy h; the fd is the walk's now) and
 * everything below it.  expect: the directories the kernel counts from n
 * (n included, walk_count()), 0 when unknown.  Returns the walk's mark of
 * the groups it found (sweep()). */
static uint32_t walk(struct cg_tree *t, struct cg_node *n, unsigned h, int fd, uint64_t expect)
{
	struct walk w = { .t = t, .h = h, .gen = ++t->walk_gen, .seen = 1 };

	if (expect)
		walk_by_level(&w, n, fd, expect);
	else
		walk_depth_first(&w, n, fd);
	return w.gen;
}

/* Sweep: drop hierarchy h from the nodes below n that the walk did not see. */
static void sweep(struct cg_tree *t, struct cg_node *n, unsigned h, uint32_t gen)
{
	for (struct cg_node *c = n->children, *next; c; c = next) {
		next = c->next;
		if (!(c->hmask & (1u << h)))
			continue;
		if (c->walk_mark != gen || !children_wanted(t, n))
			node_drop_hier(t, c, h);
		else
			sweep(t, c, h, gen);
	}
}

static void walk_all(struct cg_tree *t, bool sweep_after)
{
	if (sweep_after)
		t->procs_blind = 0; /* found again (depth_edge) */
	for (unsigned h = 0; h < t->hs.n; h++) {
		char rel[PATH_MAX];
		struct stat st;

		if (!t->top || cg_node_relpath(t, t->top, h, NULL, rel, sizeof(rel)) < 0)
			continue;
		int fd = openat(t->hs.h[h].root_fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0) {
			if (fd >= 0)
				close(fd);
			if (t->top->hmask & (1u << h))
				node_drop_hier(t, t->top, h);
			continue;
		}
		node_set_present(t, t->top, h, st.st_ino);
		/* the first walk only: the walk with watches (the second update,
		 * a rescan) looks into every directory after adding its watch,
		 * so whatever the first one missed while groups were made is
		 * found there and followed from then on */
		uint32_t gen = walk(t, t->top, h, fd, t->watching ? 0 : walk_count(t, t->top, h));
		if (sweep_after)
			sweep(t, t->top, h, gen);
	}
}

struct cg_node *cg_tree_next(const struct cg_tree *t, struct cg_node *n)
{
	if (n->children && children_wanted(t, n))
		return n->children;
	while (n && n != t->top) {
		if (n->next)
			return n->next;
		n = n->parent;
	}
	return NULL;
}

static void handle_event(struct cg_tree *t, const struct inotify_event *ev)
{
	struct cg_node *n, *c;
	unsigned h = 0, k;

	if (ev->mask & IN_Q_OVERFLOW) {
		t->rescan_needed = true;
		t->notify_lost = true;
		return;
	}
	int i = wd_find(t, ev->wd);
	if (i < 0)
		return;
	if (!wd_live(t, (unsigned)i)) {
		/* given up, not yet purged: nothing to do but forget it when the
		 * kernel is done with it */
		if (ev->mask & IN_IGNORED)
			wd_remove_at(t, (unsigned)i);
		return;
	}
	n = t->wd_nodes[i];
	/* which watch of the group: a notified file's, else a directory's */
	if (t->wd_what[i] & WD_FILE) {
		k = t->wd_what[i] & ~WD_FILE;
		/* a notified file changed, or its watch went (the group was
		 * removed): either way it is read at the next sample */
		n->notify_dirty |= 1u << k;
		if (ev->mask & IN_IGNORED) {
			n->nwatch &= ~(1u << k);
			wd_remove_at(t, (unsigned)i);
		}
		return;
	}
	h = t->wd_what[i];
	if (ev->mask & IN_IGNORED) {
		n->wmask &= ~(1u << h);
		wd_remove_at(t, (unsigned)i);
		return;
	}
	if ((ev->mask & IN_MODIFY) && !(ev->mask & IN_ISDIR)) {
		/* a file of the group written (watch_procs): a process list's
		 * moves a process here from anywhere in the hierarchy */
		if (ev->len && (strcmp(ev->name, "cgroup.procs") == 0 || strcmp(ev->name, "tasks") == 0))
			t->procs_written |= 1u << h;
		return;
	}
	if (!(ev->mask & IN_ISDIR) || !ev->len || ev->name[0] == '.')
		return;
	if (ev->mask & (IN_CREATE | IN_MOVED_TO)) {
		char rel[PATH_MAX];
		struct stat st;

		if (!children_wanted(t, n)) {
			/* a group below --depth (only a depth_edge() watch sees it) */
			if (t->watch_procs && !t->hs.h[h].v2)
				t->procs_blind |= 1u << h;
			return;
		}
		c = ensure_child(t, n, ev->name);
		if (!c || cg_node_relpath(t, c, h, NULL, rel, sizeof(rel)) < 0)
			return;
		int fd = openat(t->hs.h[h].root_fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0) {
			if (fd >= 0)
				close(fd);
			if (!c->hmask)
				node_free(t, c);
			return;
		}
		node_set_present(t, c, h, st.st_ino);
		walk(t, c, h, fd, 0);
	} else if (ev->mask & (IN_DELETE | IN_MOVED_FROM)) {
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s", strcmp(n->path, "/") ? n->path : "", ev->name);
		c = cg_tree_find(t, path);
		if (c)
			node_drop_hier(t, c, h);
	}
}

static void update(struct cg_tree *t)
{
	char evbuf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));

	if (!t->watching) {
		/* the first sample uses the walk of cg_tree_open(); a second
		 * one is coming, so watches pay back now */
		if (!t->updates++)
			return;
		walk_fds_close(t);
		t->watching = true;
		t->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		walk_all(t, true);
		return;
	}
	if (t->inotify_fd < 0) {
		walk_all(t, true);
		return;
	}
	/* Bounded: the kernel's queue holds at most max_queued_events (16384
	 * by default, about 4.5 MB with names); events that keep coming past
	 * the bound are read at the next update, and this one does what an
	 * overflow does. */
	for (unsigned reads = 0;; reads++) {
		if (reads == 512) {
			t->rescan_needed = true;
			t->notify_lost = true;
			break;
		}
		ssize_t len = read(t->inotify_fd, evbuf, sizeof(evbuf));
		if (len <= 0) {
			if (len < 0 && errno == EINTR)
				continue;
			break;
		}
		for (char *p = evbuf; p < evbuf + len;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			handle_event(t, ev);
			p += sizeof(*ev) + ev->len;
		}
		if (t->inotify_fd < 0)
			break;
	}
	if (t->rescan_needed || t->inotify_fd < 0) {
		t->rescan_needed = false;
		walk_all(t, true);
	}
}

int cg_tree_update(struct cg_tree *t)
{
	update(t);
	wd_purge(t);
	return 0;
}

static unsigned default_fd_budget(unsigned want)
{
	struct rlimit rl;
	unsigned avail;

	/* Kept fds are read with pread(); raise the soft limit to the hard one and
	 * leave room for everything else the program opens. */
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	avail = rl.rlim_cur > 512 + 64 ? (unsigned)(rl.rlim_cur > 1u << 30 ? 1u << 30 : rl.rlim_cur) - 512
				       : 0;
	return want < avail ? want : avail;
}

int cg_tree_open(struct cg_tree *t, const char *sysroot, const char *top_path, int max_depth,
		 unsigned fd_budget)
{
	char norm[PATH_MAX];
	int r;

	memset(t, 0, sizeof(*t));
	t->inotify_fd = -1;
	t->sysroot = xstrdup(sysroot && strcmp(sysroot, "/") ? sysroot : "");
	/* strip trailing slashes of the sysroot */
	for (size_t l = strlen(t->sysroot); l > 0 && t->sysroot[l - 1] == '/'; l--)
		t->sysroot[l - 1] = 0;
	r = cg_discover(t->sysroot, &t->hs);
	if (r < 0)
		return r;
	{
		char path[PATH_MAX];
		struct buf b;
		uint64_t x;

		/* 8192 before 5.11, where it became a share of memory */
		t->max_watches = 8192;
		buf_init(&b, 64);
		snprintf(path, sizeof(path), "%s/proc/sys/fs/inotify/max_user_watches", t->sysroot);
		if (fileio_read_at(AT_FDCWD, path, &b) == 0 && parse_u64(b.data, b.len, &x) == 0)
			t->max_watches = x > UINT32_MAX ? UINT32_MAX : (unsigned)x;
		buf_free(&b);
	}
	t->max_depth = max_depth;
	t->fd_budget = default_fd_budget(fd_budget);
	{
		const char *off = getenv("CGTOP_NO_WALK_COUNT");
		t->walk_count_off = off && *off && strcmp(off, "0") != 0;
	}

	/* normalise the top path: one leading slash, no trailing or double slashes */
	{
		size_t o = 0;
		norm[o++] = '/';
		for (const char *p = top_path ? top_path : "/"; *p && o < sizeof(norm) - 1; p++) {
			if (*p == '/' && norm[o - 1] == '/')
				continue;
			norm[o++] = *p;
		}
		if (o > 1 && norm[o - 1] == '/')
			o--;
		norm[o] = 0;
	}

	t->root = node_new(t, NULL, "/");
	/* the ancestors of the top are kept (hidden) for the effective limits */
	struct cg_node *n = t->root;
	for (char *p = norm + 1; *p;) {
		char *slash = strchr(p, '/');
		char save = 0;
		if (slash) {
			save = *slash;
			*slash = 0;
		}
		n = ensure_child(t, n, p);
		if (slash)
			*slash = save;
		if (!n)
			return -ENAMETOOLONG;
		p = slash ? slash + 1 : p + strlen(p);
	}
	t->top = n;
	for (struct cg_node *a = t->top->parent; a; a = a->parent)
		a->hidden = true;

	for (unsigned h = 0; h < t->hs.n; h++) {
		for (struct cg_node *a = t->top; a; a = a->parent) {
			char rel[PATH_MAX];
			struct stat st;
			if (cg_node_relpath(t, a, h, NULL, rel, sizeof(rel)) == 0 &&
			    fstatat(t->hs.h[h].root_fd, rel, &st, 0) == 0 && S_ISDIR(st.st_mode))
				node_set_present(t, a, h, st.st_ino);
		}
	}
	if (!t->top->hmask)
		return -ESRCH;

	for (unsigned h = 0; h < t->hs.n; h++) {
		struct statfs sfs;
		if (fstatfs(t->hs.h[h].root_fd, &sfs) == 0 &&
		    ((uint32_t)sfs.f_type == CG1_MAGIC || (uint32_t)sfs.f_type == CG2_MAGIC))
			t->kernfs_mask |= 1u << h;
	}
	walk_all(t, false);
	return 0;
}

void cg_tree_close(struct cg_tree *t)
{
	/* closing the inotify fd drops every watch at once */
	if (t->inotify_fd >= 0)
		close(t->inotify_fd);
	t->inotify_fd = -1;
	walk_fds_close(t); /* first: then no group freed looks for its own */
	if (t->root)
		node_free(t, t->root);
	wd_purge(t);
	t->root = t->top = NULL;
	free(t->hash);
	free(t->wd_keys);
	free(t->wd_nodes);
	free(t->wd_what);
	free(t->sysroot);
	cg_hierarchies_free(&t->hs);
	memset(t, 0, sizeof(*t));
	t->inotify_fd = -1;
}

struct cg_node *cg_tree_add(struct cg_tree *t, const char *path)
{
	char copy[PATH_MAX];
	struct cg_node *n = t->root;

	if (snprintf(copy, sizeof(copy), "%s", path) >= (int)sizeof(copy))
		return NULL;
	for (char *p = copy, *name; n && (name = strsep(&p, "/"));)
		if (*name)
			n = ensure_child(t, n, name);
	return n;
}

void cg_tree_remove(struct cg_tree *t, struct cg_node *n)
{
	if (n && n != t->root && n != t->top && !n->hidden)
		node_free(t, n);
	wd_purge(t);
}

int cg_tree_open_empty(struct cg_tree *t, const char *top_path, int max_depth)
{
	memset(t, 0, sizeof(*t));
	t->inotify_fd = -1;
	t->sysroot = xstrdup("");
	t->hs.v2 = -1;
	for (int c = 0; c < _CTRL_MAX; c++)
		t->hs.by_ctrl[c] = -1;
	t->max_depth = max_depth;
	t->root = node_new(t, NULL, "/");
	t->top = cg_tree_add(t, top_path);
	if (!t->top)
		return -ENAMETOOLONG;
	for (struct cg_node *a = t->top->parent; a; a = a->parent)
		a->hidden = true;
	return 0;
}
