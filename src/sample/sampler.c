/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sampler.c - one refresh of the numbers of every shown group.
 *
 * Hot files are read through fds kept open from the second sample on, with
 * pread() at offset 0 (fresh values on cgroupfs); in the first sample, past
 * the fd budget, or for files read only when the
 * output needs them, openat() from the hierarchy's root fd + read + close.
 * A missing file is remembered and not tried again until the group changes;
 * a read that fails leaves the value null.  Nothing is allocated here once
 * the per-group buffers have their working size.
 *
 * From a group's second sample on, and on cgroupfs only, not every file is
 * read every refresh (tiers, cg-files.c): a notified file when its inotify
 * watch fired (added before its first read from the second sample on, so no
 * change goes unseen), a limit on the slow tier: every SLOW_EVERY-th sample
 * of the group or when its last read is SLOW_MAX_USEC old, whichever comes
 * first, at once when the group is new, changed hierarchies or needs a
 * value it has not read, and for every group after cgtop wrote a limit
 * (slow_next).  A file not read keeps the values of its last read, null if
 * that failed.  The first sample reads everything, and so does a one-shot.
 * A recorder's sampler also has the map tier (map_usec, sampler.h):
 * memory.stat once a period per group, staggered as the slow tier is, on
 * any filesystem (it is about bytes and reads, not notifications).
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/macro.h"
#include "sample/sampler.h"
#include "sample/procs-gate.h"
#include "base/clock.h"

static void close_flush(struct sampler *s);

void sampler_init(struct sampler *s, struct cg_tree *t, unsigned needs, uint64_t interval_usec)
{
	const char *fake = getenv("CGTOP_TEST_CLOCK");

	memset(s, 0, sizeof(*s));
	s->tree = t;
	s->needs = needs;
	s->interval_usec = interval_usec;
	s->clk_tck = sysconf(_SC_CLK_TCK);
	if (s->clk_tck <= 0)
		s->clk_tck = 100;
	buf_init(&s->scratch, 65536);
	if (fake && *fake) {
		s->fake_clock = true;
		s->fake_wall0 = strtod(fake, NULL);
	}
}

void sampler_done(struct sampler *s)
{
	close_flush(s);
	procs_gate_close(s);
	buf_free(&s->scratch);
}

static void set(struct cg_values *v, enum cg_val id, uint64_t x)
{
	cg_val_set(v, id, x);
}

/* Close the fds close_later() holds: the run in one close_range(2). */
static void close_flush(struct sampler *s)
{
	if (s->close_n > 1 &&
	    close_range((unsigned)s->close_lo, (unsigned)s->close_lo + s->close_n - 1, 0) == 0)
		s->close_n = 0;
	for (unsigned i = 0; i < s->close_n; i++)
		close(s->close_lo + (int)i);
	s->close_n = 0;
}

/* Close fd, a file read and not kept, now or with the next ones.  Opened
 * right after the last one held (the lowest free number, as nothing is
 * closed meanwhile), it joins the run, which holds only fds given here; a
 * system call a file less where files are opened anew (the first sample
 * opens every file of every group), at most CLOSE_BATCH held. */
#define CLOSE_BATCH 64
static void close_later(struct sampler *s, int fd)
{
	if (s->close_n && fd != s->close_lo + (int)s->close_n)
		close_flush(s);
	if (!s->close_n)
		s->close_lo = fd;
	if (++s->close_n == CLOSE_BATCH)
		close_flush(s);
}

/* Read file f of node n, under the name given, into b.  0, or -errno with
 * the value left null.  keep_fd: the fd may be kept for the next read. */
static int read_named(struct sampler *s, struct cg_node *n, enum cg_file f, const char *name, bool keep_fd,
		      struct buf *b)
{
	struct cg_tree *t = s->tree;
	const struct cg_file_spec *spec = &cg_files[f];
	int h = n->src[f];
	bool reopen = spec->v1_reopen && !t->hs.h[h].v2; /* never through a kept fd */
	char rel[PATH_MAX];
	int fd, r;

	if (reopen && n->dfd >= 0 && n->dfd_h != h)
		cg_node_close_dfd(t, n); /* the process lists moved to another hierarchy */
	unsigned hot_want = s->hot_reads_last > s->hot_reads ? s->hot_reads_last : s->hot_reads;
	if (reopen && n->dfd < 0 && s->iteration > 1 && t->fds_kept + (size_t)hot_want + 64 < t->fd_budget &&
	    cg_node_relpath(t, n, h, NULL, rel, sizeof(rel)) == 0) {
		/* a file opened anew at every read: from the group's directory,
		 * not by its path from the mount (no lookup of every level; an
		 * O_PATH fd pins no file of kernfs), while that leaves room in
		 * the budget for the hot files a sample reads (every group's in
		 * batch; the dashboard's rows and sort column: the lists of the
		 * groups off its screen, read at least every 10 s, are then
		 * opened from their directories too).  Hot files short of room
		 * take the directories' places at the next sample
		 * (sampler_tick: a sort by a column makes every group's hot). */
		n->dfd = openat(t->hs.h[h].root_fd, rel, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (n->dfd >= 0) {
			n->dfd_h = (int8_t)h;
			t->fds_kept++;
			t->dfds_kept++;
		}
	}
	int wfd;
	if (n->dfd >= 0 && n->dfd_h == h) {
		fd = openat(n->dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	} else if ((wfd = cg_tree_dir_fd(t, n, (unsigned)h)) >= 0) {
		/* the first sample: from the directories the walk listed
		 * (cg-tree.c), one level to look up */
		fd = openat(wfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	} else if (n->parent && (wfd = cg_tree_dir_fd(t, n->parent, (unsigned)h)) >= 0 &&
		   (size_t)snprintf(rel, sizeof(rel), "%s/%s", cg_node_name(n), name) < sizeof(rel)) {
		/* a leaf, which the walk did not open: two levels */
		fd = openat(wfd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	} else {
		r = cg_node_relpath(t, n, h, name, rel, sizeof(rel));
		if (r < 0)
			return r;
		fd = openat(t->hs.h[h].root_fd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	}
	if (fd < 0)
		return -errno;
	r = fileio_pread_all(fd, b);
	/* Hot files get kept fds first; the others only while that leaves room
	 * for the hot files of every group.  v1 process lists never (cg-files.c:
	 * a kept fd would count the processes of its first read forever).  Not
	 * in the first sample: it may be the only one (-n 1), and a kept fd
	 * costs a close later and kernel memory meanwhile. */
	int slot = cg_file_fd_slot(f);
	/* A quiet probe's counter (probe_quiet) is kept as a hot file is:
	 * pids.current is not hot, but a sibling of a busy group is probed at
	 * every sample, where a group of a quiet subtree is read every 5
	 * minutes; its open and close were most of the probe. */
	bool hot = spec->hot || s->probing;
	if (hot && keep_fd && slot >= 0 && !reopen)
		s->hot_reads++;
	bool may_keep = keep_fd && slot >= 0 && r == 0 && s->iteration > 1 && !reopen;
	bool keep = may_keep &&
		    (hot ? t->fds_kept < t->fd_budget : t->fds_kept + (size_t)t->n_nodes * 3 < t->fd_budget);
	if (may_keep && hot && !keep)
		s->hot_short = true; /* the next sample gives the directories' places to them */
	if (keep) {
		cg_node_keep_fd(n, slot, fd);
		t->fds_kept++;
	} else {
		close_later(s, fd);
	}
	return r;
}

/* The files of the map tier (sampler.h): memory.stat, the largest file of
 * a group (some 40 to 70 keys the kernel formats at every read) and as
 * JSON the largest value of a recorded row. */
static bool map_file(enum cg_file f)
{
	return f == CGF_MEM_STAT_V1 || f == CGF_MEM_STAT_V2;
}

/* Read file f of node n into b.  0, or -errno with the value left null. */
static int read_file(struct sampler *s, struct cg_node *n, enum cg_file f, struct buf *b)
{
	struct cg_tree *t = s->tree;
	int h = n->src[f];
	int slot = cg_file_fd_slot(f);
	int r;

	int kept = cg_node_fd(n, slot);

	if (kept >= 0) {
		if (cg_files[f].hot || s->probing)
			s->hot_reads++;
		r = fileio_pread_all(kept, b);
		if (r == -ENODEV || r == -ENOENT) {
			n->vanish_mask |= 1u << h; /* dropped after the walk */
			t->vanished = true;
		}
		return r;
	}
	const char *name = cg_files[f].name;
	if (f == CGF_THREADS && t->hs.h[h].v2)
		name = "cgroup.threads";
	/* a tiered file is read every few refreshes at most: its kept fd would
	 * pin a seq_file buffer for little and take a place in the budget
	 * from a file read every refresh */
	r = read_named(s, n, f, name, cg_files[f].tier == CG_TIER_EVERY && !(s->map_usec && map_file(f)), b);
	if (r == -ENOENT)
		n->absent |= 1ULL << f; /* not in this kernel or not enabled here */
	return r;
}

/* A file per huge page size: the sum of them, valid if one could be read. */
static void read_per_page_size(struct sampler *s, struct cg_node *n, enum cg_file f, enum cg_val id)
{
	struct buf *b = &s->scratch;
	char name[64];
	unsigned found = 0;
	uint64_t x;

	if (!s->hugetlb_listed) {
		s->n_hugetlb = cg_hugetlb_sizes(s->tree->sysroot, s->hugetlb, CG_HUGETLB_SIZES);
		s->hugetlb_listed = true;
	}
	for (unsigned i = 0; i < s->n_hugetlb; i++) {
		if (cg_file_name_sized(f, s->hugetlb[i], name, sizeof(name)) < 0)
			continue;
		int r = read_named(s, n, f, name, false, b);
		if (r != -ENOENT)
			found++;
		if (r == 0 && parse_u64(b->data, b->len, &x) == 0)
			set(&n->cur, id, (VALID(&n->cur, id) ? cg_val(&n->cur, id) : 0) + x);
	}
	if (!found)
		n->absent |= 1ULL << f; /* not in this kernel or not enabled here */
}

static bool wanted(const struct cg_node *n, enum cg_file f, unsigned needs)
{
	return n->src[f] >= 0 && (cg_files[f].need & needs) && !(n->absent & (1ULL << f));
}

#define B(id) (1ULL << (id))

/* The values read_one() sets from file f, for those of the tiered files
 * (what a sample that does not read f carries over). */
static uint64_t file_vals(enum cg_file f)
{
	switch (f) {
	case CGF_MEM_EVENTS_V2:
		return B(V_MEM_EVENTS) | B(V_OOM_KILLS_SUBTREE);
	case CGF_MEM_EVENTS_LOCAL_V2:
		return B(V_OOM_KILLS_LOCAL);
	case CGF_PIDS_EVENTS:
	case CGF_PIDS_EVENTS_V2:
		/* the local count only until pids.events.local, read after
		 * it, sets its own (set() wins over a carried value) */
		return B(V_PIDS_REJECTED) | B(V_PIDS_REJECTED_LOCAL);
	case CGF_PIDS_EVENTS_LOCAL_V2:
		return B(V_PIDS_REJECTED_LOCAL);
	case CGF_PROCS:
		return B(V_TASKS); /* a list the gate let be (procs-gate.h) */
	case CGF_PIDS_CURRENT:
		return B(V_PIDS_CURRENT); /* the same, an empty subtree's */
	case CGF_MEM_LIMIT_V1:
	case CGF_MEM_MAX_V2:
		return B(V_MEM_MAX);
	case CGF_MEM_HIGH_V2:
		return B(V_MEM_HIGH);
	case CGF_PIDS_MAX:
	case CGF_PIDS_MAX_V2:
		return B(V_PIDS_MAX);
	case CGF_CPU_QUOTA_V1:
		return B(V_CPU_QUOTA);
	case CGF_CPU_PERIOD_V1:
		return B(V_CPU_PERIOD) | B(V_CPU_MAX);
	case CGF_CPU_MAX_V2:
		return B(V_CPU_QUOTA) | B(V_CPU_PERIOD) | B(V_CPU_MAX);
	case CGF_CPUSET_CPUS_V1:
	case CGF_CPUSET_CPUS_V2:
		return B(V_CPUSET);
	case CGF_CPUSET_EFF_V1:
	case CGF_CPUSET_EFF_V2:
		return B(V_CPUSET_EFF);
	default:
		return 0;
	}
}

/* The quiet prune (sampler.h): may n be left unread in this sample, if its
 * parent's subtree or its own is quiet?  Not on its turn in the round robin
 * (with the phase of the map tier, so that where the map tier's period in
 * samples divides this one a turn reads memory.stat too), nor at the first
 * sample quiet_usec after its last full read, nor when it is new or changed
 * hierarchies, its slow tier is due for every group (a limit written),
 * notifications were lost, or its pressure averages are not 0 (the kernel
 * lets them decay at each read while nothing runs). */
static bool prunable(const struct sampler *s, const struct cg_node *n, unsigned phase)
{
	uint64_t every = s->interval_usec ? s->quiet_usec / s->interval_usec : 1;

	if (!s->quiet_usec || !n->parent || n == s->tree->top)
		return false;
	if (n->fresh || !n->slow_due || s->slow_all || s->notify_lost ||
	    n->iteration + 1 != cg_count32(s->iteration) ||
	    (s->want_gen && n->want_gen == cg_count32(s->want_gen)))
		return false;
	if (every < 1)
		every = 1;
	if (!cg_node_quiet(n) || (s->iteration + phase) % every == 1 % every ||
	    s->mono_usec - cg_node_quiet(n)->read_usec >= s->quiet_usec)
		return false;
	/* (a flag of the read: the averages themselves are in another
	 * allocation, a cache miss per group and sample) */
	for (int i = 0; i < 3; i++)
		if ((n->psi_busy & (1u << i)) && VALID(&n->cur, V_PSI_CPU + i))
			return false;
	return true;
}

/* Whether this sample reads file f of n (see the top of this file); slow:
 * the group's slow tier is read in this sample. */
static bool tier_reads(struct sampler *s, struct cg_node *n, enum cg_file f, bool slow)
{
	struct cg_tree *t = s->tree;
	const struct cg_file_spec *spec = &cg_files[f];
	unsigned bit = 1u << spec->notify_slot, fired = bit;

	/* pids.events under pids_localevents: only pids.events.local is
	 * notified (cg-files.c) */
	if (f == CGF_PIDS_EVENTS_V2)
		fired |= 1u << cg_files[CGF_PIDS_EVENTS_LOCAL_V2].notify_slot;

	if (f == CGF_PROCS)
		return s->slow_all || procs_gate_reads(s, n);
	if (f == CGF_PIDS_CURRENT)
		return s->slow_all || procs_gate_reads_pids(s, n);
	if (spec->tier == CG_TIER_EVERY)
		return true;
	if (spec->tier == CG_TIER_SLOW)
		return slow || !(t->kernfs_mask & (1u << n->src[f]));
	/* notified: the watch before the read, so a change after it fires */
	bool had = cg_node_file_watched(n, spec->notify_slot);
	if (!cg_tree_watch_file(t, n, f))
		return true; /* no watch: every refresh */
	if (!had || slow || s->notify_lost || (n->notify_dirty & fired)) {
		n->notify_dirty &= ~bit;
		return true;
	}
	return false;
}

static void get_key(const struct buf *b, const char *key, struct cg_values *v, enum cg_val id, uint64_t mul,
		    uint64_t div)
{
	uint64_t x;

	if (parse_keyed_get(b->data, b->len, key, &x) == 0)
		set(v, id, x * mul / div);
}

/* Several keys of one keyed file in one pass over it (cpu.stat is read every
 * refresh for every group): value = file value * mul / div. */
struct key_map {
	const char *key;
	enum cg_val id;
	uint64_t mul, div;
};

struct keys_ctx {
	const struct key_map *map;
	unsigned n;
	struct cg_values *v;
	uint64_t seen;
};

static int keys_cb(const char *key, size_t klen, uint64_t value, void *ud)
{
	struct keys_ctx *c = ud;

	for (unsigned i = 0; i < c->n; i++) {
		const struct key_map *m = &c->map[i];
		if (!(c->seen & (1ULL << i)) && strlen(m->key) == klen && memcmp(m->key, key, klen) == 0) {
			set(c->v, m->id, value * m->mul / m->div);
			c->seen |= 1ULL << i; /* the first line of a key counts */
			break;
		}
	}
	return 0;
}

static void get_keys(const struct buf *b, struct cg_values *v, const struct key_map *map, unsigned n)
{
	struct keys_ctx c = { map, n, v, 0 };

	parse_keyed(b->data, b->len, keys_cb, &c);
}

/* The CPU limit in millionths of a CPU from quota and period. */
static void cpu_max(struct cg_values *v)
{
	uint64_t q = cg_val(v, V_CPU_QUOTA), p = cg_val(v, V_CPU_PERIOD);

	if (q == CG_UNLIMITED)
		set(v, V_CPU_MAX, CG_UNLIMITED);
	else if (q <= UINT64_MAX / 1000000)
		set(v, V_CPU_MAX, q * 1000000 / p);
}

static void read_one(struct sampler *s, struct cg_node *n, enum cg_file f, unsigned needs)
{
	struct buf *b = &s->scratch;
	struct cg_values *v = &n->cur;
	uint64_t x, y;

	if (cg_files[f].per_page_size) { /* hugetlb.<size>.current or .usage_in_bytes */
		read_per_page_size(s, n, f, V_HUGETLB);
		return;
	}
	if (f == CGF_MEM_STAT_V1 || f == CGF_MEM_STAT_V2) {
		/* read whole, then kept at its size rounded up to a power of two
		 * (v1's 0.7 to 0.9 KiB in 1 KiB, not in a 2 KiB buffer: every
		 * group's is kept until a JSON sample is written); it grows only
		 * when the text does */
		if (read_file(s, n, f, b) == 0) {
			buf_set(&cg_text_mut(n)->mem_stat, b->data, b->len);
			set(v, V_MEM_STAT, 1);
		}
		return;
	}
	if (f == CGF_MEM_EVENTS_V2 || f == CGF_MEM_OOMCTL_V1) {
		/* a few short lines (v1 42 bytes, v2 about 55), kept as text
		 * for what shows it (the failcnt and oom columns: v2's failcnt
		 * is its "max", JSON's memory_events and memory_oom_control,
		 * the detail view), and grown in the rare group whose counters
		 * outgrow it (64 is the least fileio_pread_all reads into as it
		 * is).  A read for the kill counters alone (the dashboard's
		 * round robin of groups off the screen, the events mode) keeps
		 * no text a group did not have: 190 bytes a group of the
		 * memory hierarchy, 1 MB at 5000 */
		bool keep = (needs & NEED_MEM_EVENTS) || (n->text && n->text->mem_events.data);
		if (keep) {
			b = &cg_text_mut(n)->mem_events;
			if (!b->data)
				buf_init(b, 64);
		}
		if (read_file(s, n, f, b) < 0)
			return;
		if (keep)
			set(v, V_MEM_EVENTS, 1);
		if (f == CGF_MEM_OOMCTL_V1) {
			get_key(b, "under_oom", v, V_UNDER_OOM, 1, 1);
			/* v1 counts a kill only in the victim's own group (4.13+);
			 * the subtree's is summed after the walk (sum_subtrees) */
			get_key(b, "oom_kill", v, V_OOM_KILLS_LOCAL, 1, 1);
		} else {
			/* v2 memory.events counts the subtree (unless cgroup2 is
			 * mounted with memory_localevents); memory.events.local
			 * gives the group's own */
			get_key(b, "oom_kill", v, V_OOM_KILLS_SUBTREE, 1, 1);
		}
		return;
	}
	if (f == CGF_CPUSET_CPUS_V1 || f == CGF_CPUSET_CPUS_V2 || f == CGF_CPUSET_EFF_V1 ||
	    f == CGF_CPUSET_EFF_V2) {
		bool eff = f == CGF_CPUSET_EFF_V1 || f == CGF_CPUSET_EFF_V2;
		struct cg_node_text *tx = cg_text_mut(n);
		struct buf *list = eff ? &tx->cpuset_eff : &tx->cpuset;
		if (!list->data)
			buf_init(list, 64);
		if (read_file(s, n, f, list) < 0 || parse_cpu_list(list->data, list->len, &x) < 0)
			return;
		while (list->len && (list->data[list->len - 1] == '\n' || list->data[list->len - 1] == ' '))
			list->len--;
		set(v, eff ? V_CPUSET_EFF : V_CPUSET, 1);
		return;
	}
	if ((f == CGF_CPUACCT_USAGE || f == CGF_CPU_STAT_V2) && !s->fake_clock)
		s->cpu_read_usec = clock_mono_usec(); /* the rates' time (derive()) */
	if (read_file(s, n, f, b) < 0) {
		if (f == CGF_PROCS)
			procs_gate_keep(s, n, NULL, 0);
		else if (f == CGF_PIDS_CURRENT)
			procs_gate_keep_pids(s, n, false, false);
		return;
	}
	switch (f) {
	case CGF_PROCS:
		procs_gate_keep(s, n, b->data, b->len);
		set(v, V_TASKS, parse_count_lines(b->data, b->len));
		if (s->on_procs)
			s->on_procs(s, n, b->data, b->len, s->on_procs_data);
		break;
	case CGF_THREADS:
		set(v, V_THREADS, parse_count_lines(b->data, b->len));
		break;
	case CGF_CPUACCT_USAGE:
		if (parse_u64(b->data, b->len, &x) == 0)
			set(v, V_CPU_USAGE, x / 1000);
		break;
	case CGF_CPUACCT_STAT: {
		const struct key_map m[] = {
			{ "user", V_CPU_USER, 1000000, (uint64_t)s->clk_tck },
			{ "system", V_CPU_SYSTEM, 1000000, (uint64_t)s->clk_tck },
		};
		get_keys(b, v, m, ARRAY_SIZE(m));
	} break;
	case CGF_CPU_STAT_V1: {
		static const struct key_map m[] = {
			{ "nr_periods", V_NR_PERIODS, 1, 1 },
			{ "nr_throttled", V_NR_THROTTLED, 1, 1 },
			{ "throttled_time", V_THROTTLED_USEC, 1, 1000 },
		};
		get_keys(b, v, m, ARRAY_SIZE(m));
	} break;
	case CGF_CPU_STAT_V2: {
		static const struct key_map m[] = {
			{ "usage_usec", V_CPU_USAGE, 1, 1 },
			{ "user_usec", V_CPU_USER, 1, 1 },
			{ "system_usec", V_CPU_SYSTEM, 1, 1 },
			{ "nr_periods", V_NR_PERIODS, 1, 1 },
			{ "nr_throttled", V_NR_THROTTLED, 1, 1 },
			{ "throttled_usec", V_THROTTLED_USEC, 1, 1 },
		};
		get_keys(b, v, m, ARRAY_SIZE(m));
	} break;
	case CGF_MEM_USAGE_V1:
	case CGF_MEM_CURRENT_V2:
		if (parse_u64(b->data, b->len, &x) == 0)
			set(v, V_MEM_CURRENT, x);
		break;
	case CGF_MEM_LIMIT_V1:
		if (parse_u64(b->data, b->len, &x) == 0)
			set(v, V_MEM_MAX, x >= CG_V1_UNLIMITED_MIN ? CG_UNLIMITED : x);
		break;
	case CGF_MEM_MAX_V2:
		if (parse_u64_or_max(b->data, b->len, &x) == 0)
			set(v, V_MEM_MAX, x);
		break;
	case CGF_MEM_MAXUSAGE_V1:
	case CGF_MEM_PEAK_V2:
		if (parse_u64(b->data, b->len, &x) == 0)
			set(v, V_MEM_PEAK, x);
		break;
	case CGF_MEMSW_USAGE_V1:
		/* memsw counts memory + swap; the swap part is the difference */
		if (parse_u64(b->data, b->len, &x) == 0 && VALID(v, V_MEM_CURRENT))
			set(v, V_SWAP, x > cg_val(v, V_MEM_CURRENT) ? x - cg_val(v, V_MEM_CURRENT) : 0);
		break;
	case CGF_MEM_SWAP_V2:
		if (parse_u64(b->data, b->len, &x) == 0)
			set(v, V_SWAP, x);
		break;
	case CGF_MEM_FAILCNT_V1:
		if (parse_u64(b->data, b->len, &x) == 0)
			set(v, V_FAILCNT, x);
		break;
	case CGF_PIDS_CURRENT:
	case CGF_PIDS_CURRENT_V2: {
		bool ok = parse_u64(b->data, b->len, &x) == 0;
		if (ok)
			set(v, V_PIDS_CURRENT, x);
		if (f == CGF_PIDS_CURRENT)
			procs_gate_keep_pids(s, n, ok, ok && x == 0);
	} break;
	case CGF_PIDS_MAX:
	case CGF_PIDS_MAX_V2:
		if (parse_u64_or_max(b->data, b->len, &x) == 0)
			set(v, V_PIDS_MAX, x);
		break;
	case CGF_PIDS_EVENTS:
	case CGF_PIDS_EVENTS_V2:
		get_key(b, "max", v, V_PIDS_REJECTED, 1, 1);
		/* until 6.14 pids.events counts the forks of the group's own
		 * processes; pids.events.local (read after it) overrides */
		if (!VALID(v, V_PIDS_REJECTED_LOCAL))
			get_key(b, "max", v, V_PIDS_REJECTED_LOCAL, 1, 1);
		break;
	case CGF_PIDS_EVENTS_LOCAL_V2:
		get_key(b, "max", v, V_PIDS_REJECTED_LOCAL, 1, 1);
		break;
	case CGF_MEM_EVENTS_LOCAL_V2:
		get_key(b, "oom_kill", v, V_OOM_KILLS_LOCAL, 1, 1);
		break;
	case CGF_MEM_HIGH_V2:
		if (parse_u64_or_max(b->data, b->len, &x) == 0)
			set(v, V_MEM_HIGH, x);
		break;
	case CGF_CPU_QUOTA_V1:
		if (parse_cfs_quota(b->data, b->len, &x) == 0)
			set(v, V_CPU_QUOTA, x);
		break;
	case CGF_CPU_PERIOD_V1:
		if (parse_u64(b->data, b->len, &y) == 0 && y > 0 && VALID(v, V_CPU_QUOTA)) {
			set(v, V_CPU_PERIOD, y);
			cpu_max(v);
		}
		break;
	case CGF_CPU_MAX_V2:
		if (parse_cpu_max(b->data, b->len, &x, &y) == 0) {
			set(v, V_CPU_QUOTA, x);
			set(v, V_CPU_PERIOD, y);
			cpu_max(v);
		}
		break;
	case CGF_IO_STAT_V2: {
		struct io_totals io;
		if (parse_io_stat(b->data, b->len, &io) == 0) {
			set(v, V_IO_RBYTES, io.rbytes);
			set(v, V_IO_WBYTES, io.wbytes);
			set(v, V_IO_RIOS, io.rios);
			set(v, V_IO_WIOS, io.wios);
		}
		break;
	}
	case CGF_BLKIO_BYTES_V1:
		if (parse_blkio_v1(b->data, b->len, &x, &y) == 0) {
			set(v, V_IO_RBYTES, x);
			set(v, V_IO_WBYTES, y);
		}
		break;
	case CGF_BLKIO_IOS_V1:
		if (parse_blkio_v1(b->data, b->len, &x, &y) == 0) {
			set(v, V_IO_RIOS, x);
			set(v, V_IO_WIOS, y);
		}
		break;
	case CGF_PSI_CPU:
	case CGF_PSI_MEM:
	case CGF_PSI_IO: {
		int i = f - CGF_PSI_CPU;
		if (!n->psi)
			n->psi = xcalloc(3, sizeof(*n->psi));
		n->psi_busy &= (uint8_t) ~(1u << i);
		if (parse_psi(b->data, b->len, &n->psi[i]) == 0) {
			const struct psi *p = &n->psi[i];
			set(v, V_PSI_CPU + i, 1);
			if (p->some.avg10 > 0 || p->some.avg60 > 0 || p->some.avg300 > 0 ||
			    p->full.avg10 > 0 || p->full.avg60 > 0 || p->full.avg300 > 0)
				n->psi_busy |= (uint8_t)(1u << i);
		}
		break;
	}
	default:
		break;
	}
}

/* The root group's memory is the host's memory in use, MemTotal - MemFree of
 * /proc/meminfo: anon, page cache and kernel memory, as a child's usage counts
 * them (memory.current; v1 memory.usage_in_bytes, which counts the kernel
 * memory charged to the group too), so no child shows more than the root.  The
 * kernel's own root numbers do not do that: a pure v2 root has no
 * memory.current, and the v1 root's memory.usage_in_bytes sums only its anon
 * and cache (the root has no page counter), less than a busy child's.  Its CPU
 * time comes from /proc/stat if cpu.stat is missing (a v2 root), as
 * systemd-cgtop does.  Marked from_proc in the output.  The root of a cgroup
 * namespace or of a container's mount is a group like any other: its own. */
static void root_from_proc(struct sampler *s, struct cg_node *n)
{
	struct cg_tree *t = s->tree;
	struct buf *b = &s->scratch;
	char path[PATH_MAX];
	uint64_t total, memfree, user, sys;
	int v2 = t->hs.v2;
	int mem_h = t->hs.by_ctrl[CTRL_MEMORY] >= 0 ? t->hs.by_ctrl[CTRL_MEMORY] : v2;

	n->from_proc = false;
	if ((s->needs & NEED_MEM) && mem_h >= 0 && (n->hmask & (1u << mem_h)) &&
	    (t->hs.h[mem_h].ctrl_mask & (1u << CTRL_MEMORY)) &&
	    cg_node_is_memory_root(t, n, (unsigned)mem_h)) {
		snprintf(path, sizeof(path), "%s/proc/meminfo", t->sysroot);
		if (fileio_read_at(AT_FDCWD, path, b) == 0 &&
		    parse_meminfo_get(b->data, b->len, "MemTotal", &total) == 0 &&
		    parse_meminfo_get(b->data, b->len, "MemFree", &memfree) == 0) {
			set(&n->cur, V_MEM_CURRENT, total > memfree ? total - memfree : 0);
			n->from_proc = true;
		}
	}
	if (v2 < 0 || !(n->hmask & (1u << v2)))
		return;
	if ((s->needs & NEED_CPU) && !VALID(&n->cur, V_CPU_USAGE) && n->src[CGF_CPUACCT_USAGE] < 0) {
		snprintf(path, sizeof(path), "%s/proc/stat", t->sysroot);
		if (fileio_read_at(AT_FDCWD, path, b) == 0 &&
		    parse_proc_stat_cpu(b->data, b->len, &user, &sys) == 0) {
			set(&n->cur, V_CPU_USAGE, (user + sys) * 1000000 / s->clk_tck);
			set(&n->cur, V_CPU_USER, user * 1000000 / s->clk_tck);
			set(&n->cur, V_CPU_SYSTEM, sys * 1000000 / s->clk_tck);
			n->from_proc = true;
		}
	}
}

static const enum cg_val rated[_R_MAX] = {
	[R_CPU] = V_CPU_USAGE,
	[R_IO_RBYTES] = V_IO_RBYTES,
	[R_IO_WBYTES] = V_IO_WBYTES,
	[R_IO_RIOS] = V_IO_RIOS,
	[R_IO_WIOS] = V_IO_WIOS,
	[R_NR_PERIODS] = V_NR_PERIODS,
	[R_NR_THROTTLED] = V_NR_THROTTLED,
};
#define RATED_VALS                                                                                           \
	(B(V_CPU_USAGE) | B(V_IO_RBYTES) | B(V_IO_WBYTES) | B(V_IO_RIOS) | B(V_IO_WIOS) | B(V_NR_PERIODS) |  \
	 B(V_NR_THROTTLED))

/* The values the files of these needs give (for carrying over what a lazy
 * sample did not read). */
static uint64_t need_vals(unsigned needs)
{
	static const struct {
		unsigned need;
		uint64_t vals;
	} map[] = {
		{ NEED_TASKS, B(V_TASKS) },
		{ NEED_THREADS, B(V_THREADS) },
		{ NEED_CPU, B(V_CPU_USAGE) },
		{ NEED_CPU_SPLIT, B(V_CPU_USER) | B(V_CPU_SYSTEM) },
		{ NEED_THROTTLE, B(V_NR_PERIODS) | B(V_NR_THROTTLED) | B(V_THROTTLED_USEC) },
		{ NEED_MEM, B(V_MEM_CURRENT) },
		{ NEED_MEM_LIMIT, B(V_MEM_MAX) | B(V_MEM_HIGH) },
		{ NEED_MEM_PEAK, B(V_MEM_PEAK) },
		{ NEED_SWAP, B(V_SWAP) },
		{ NEED_MEM_EVENTS, B(V_FAILCNT) | B(V_OOM_KILLS_LOCAL) | B(V_OOM_KILLS_SUBTREE) |
					   B(V_UNDER_OOM) | B(V_MEM_EVENTS) },
		{ NEED_MEM_STAT, B(V_MEM_STAT) },
		{ NEED_PIDS, B(V_PIDS_CURRENT) },
		{ NEED_PIDS_LIMIT, B(V_PIDS_MAX) },
		{ NEED_PIDS_EVENTS, B(V_PIDS_REJECTED) },
		{ NEED_IO, B(V_IO_RBYTES) | B(V_IO_WBYTES) },
		{ NEED_IO_OPS, B(V_IO_RIOS) | B(V_IO_WIOS) },
		{ NEED_PSI, B(V_PSI_CPU) | B(V_PSI_MEM) | B(V_PSI_IO) },
		{ NEED_PSI_MEM, B(V_PSI_MEM) },
		{ NEED_EVENTS, B(V_OOM_KILLS_LOCAL) | B(V_PIDS_REJECTED_LOCAL) | B(V_OOM_KILLS_SUBTREE) |
				       B(V_UNDER_OOM) | B(V_PIDS_REJECTED) | B(V_MEM_EVENTS) },
		{ NEED_CPU_LIMIT, B(V_CPU_QUOTA) | B(V_CPU_PERIOD) | B(V_CPU_MAX) },
		{ NEED_CPUSET, B(V_CPUSET) | B(V_CPUSET_EFF) },
		{ NEED_HUGETLB, B(V_HUGETLB) },
	};
	uint64_t vals = 0;

	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (needs & map[i].need)
			vals |= map[i].vals;
	return vals;
}

/* The root group is never limited, and the kernel gives it no memory.max or
 * pids.max file: its limits of needs are "max". */
static void root_limits(struct sampler *s, struct cg_node *n, unsigned needs)
{
	struct cg_tree *t = s->tree;
	int mem_h = t->hs.by_ctrl[CTRL_MEMORY] >= 0 ? t->hs.by_ctrl[CTRL_MEMORY] : t->hs.v2;
	int pids_h = t->hs.by_ctrl[CTRL_PIDS] >= 0 ? t->hs.by_ctrl[CTRL_PIDS] : t->hs.v2;

	if ((needs & NEED_MEM_LIMIT) && !VALID(&n->cur, V_MEM_MAX) && mem_h >= 0 &&
	    (n->hmask & (1u << mem_h)) && (t->hs.h[mem_h].ctrl_mask & (1u << CTRL_MEMORY)))
		set(&n->cur, V_MEM_MAX, CG_UNLIMITED);
	if ((needs & NEED_PIDS_LIMIT) && !VALID(&n->cur, V_PIDS_MAX) && pids_h >= 0 &&
	    (n->hmask & (1u << pids_h)) && (t->hs.h[pids_h].ctrl_mask & (1u << CTRL_PIDS)))
		set(&n->cur, V_PIDS_MAX, CG_UNLIMITED);
	/* nor memory.high (v2 only) or cpu.max */
	if ((needs & NEED_MEM_LIMIT) && !VALID(&n->cur, V_MEM_HIGH) && mem_h >= 0 && t->hs.h[mem_h].v2 &&
	    (n->hmask & (1u << mem_h)) && (t->hs.h[mem_h].ctrl_mask & (1u << CTRL_MEMORY)))
		set(&n->cur, V_MEM_HIGH, CG_UNLIMITED);
	int cpu_h = t->hs.by_ctrl[CTRL_CPU] >= 0 ? t->hs.by_ctrl[CTRL_CPU] : t->hs.v2;
	if ((needs & NEED_CPU_LIMIT) && !VALID(&n->cur, V_CPU_MAX) && cpu_h >= 0 &&
	    (n->hmask & (1u << cpu_h)) && (t->hs.h[cpu_h].ctrl_mask & (1u << CTRL_CPU)))
		set(&n->cur, V_CPU_MAX, CG_UNLIMITED);
}

/* The rated counters of the last sample, for this one's rates: n's rates
 * are made the first time it has one. */
static void keep_prev(struct cg_node *n)
{
	struct cg_node_rates *rt;

	if (!(n->cur.valid & RATED_VALS)) {
		if (n->rates)
			n->rates->prev_valid = 0;
		return;
	}
	rt = cg_rates_mut(n);
	rt->prev_valid = 0;
	for (int r = 0; r < _R_MAX; r++)
		if (VALID(&n->cur, rated[r])) {
			rt->prev[r] = cg_val(&n->cur, rated[r]);
			rt->prev_valid |= 1u << r;
		}
}

/* The map tier's files of n (maps, read last): read when due (see
 * sampler.h; killed: the group's own OOM kill count rose in this sample, so
 * the state at the kill is kept) or for the dashboard's screen, else their
 * value is the last one read. */
static void map_tier(struct sampler *s, struct cg_node *n, uint64_t maps, unsigned phase, bool killed,
		     uint64_t old_valid)
{
	uint64_t every = s->interval_usec ? s->map_usec / s->interval_usec : 1;
	struct cg_node_more *m = cg_node_more(n); /* (a recorder's: every group has it) */
	bool due = !m->map_due || s->iteration >= m->map_due || s->mono_usec - m->map_usec >= s->map_usec ||
		   killed;

	if (every < 1)
		every = 1; /* -d longer than the tier's period: every sample */
	if (due) {
		m->map_due = s->iteration + every - (m->map_due ? 0 : phase % every);
		m->map_usec = s->mono_usec;
	} else if (!(s->want_gen && n->want_gen == cg_count32(s->want_gen))) {
		n->cur.valid |= B(V_MEM_STAT) & old_valid;
		return;
	}
	for (int f = 0; f < _CGF_MAX; f++)
		if (maps & (1ULL << f))
			read_one(s, n, f, n->read_needs);
}

/* Read the files of needs, except those of skip (a lazy sample of a group
 * off the screen: what is not read keeps its last value, never a rate's) and
 * the tiered files this sample need not read.  phase staggers the groups'
 * slow tiers over SLOW_EVERY samples. */
static void sample_node(struct sampler *s, struct cg_node *n, unsigned needs, unsigned skip, unsigned phase)
{
	uint64_t old_valid = n->cur.valid, reads = 0, carry = 0;

	keep_prev(n);
	n->cur.valid = 0;
	needs &= ~skip;
	n->read_needs = needs;
	if (!skip)
		n->full_iter = s->iteration;
	bool slow = !n->slow_due || s->slow_all || (int32_t)(cg_count32(s->iteration) - n->slow_due) >= 0 ||
		    s->mono_usec - n->slow_usec >= SLOW_MAX_USEC || (needs & ~n->slow_needs);
	uint64_t maps = 0;
	for (int f = 0; f < _CGF_MAX; f++)
		if (wanted(n, f, needs)) {
			if (s->map_usec && map_file(f))
				maps |= 1ULL << f; /* after the others: a kill counted makes it due */
			else if (tier_reads(s, n, f, slow))
				reads |= 1ULL << f;
			else
				carry |= file_vals(f);
		}
	if (slow) {
		n->slow_due = s->iteration + SLOW_EVERY - (n->slow_due ? 0 : phase % SLOW_EVERY);
		n->slow_usec = s->mono_usec;
		n->slow_needs = needs;
	}
	/* before the reads: a file read may set a value a carried one gives */
	n->cur.valid |= carry & old_valid;
	uint64_t kills = cg_val(&n->cur, V_OOM_KILLS_LOCAL);
	bool had_kills = old_valid & B(V_OOM_KILLS_LOCAL);
	for (int f = 0; f < _CGF_MAX; f++)
		if (reads & (1ULL << f))
			read_one(s, n, f, needs);
	bool killed = had_kills && VALID(&n->cur, V_OOM_KILLS_LOCAL) &&
		      cg_val(&n->cur, V_OOM_KILLS_LOCAL) > kills;
	if (maps)
		map_tier(s, n, maps, phase, killed, old_valid);
	if (skip) {
		/* only a lazy sample carries values over: what this one did
		 * not read is still in its slot */
		n->cur.valid |= need_vals(skip) & ~need_vals(needs) & ~RATED_VALS & old_valid;
	}
	if (n == s->tree->root) {
		root_limits(s, n, needs);
		if (!n->hidden)
			root_from_proc(s, n);
	}
}

/* The files of the activity counters (quiet_check). */
static const enum cg_file quiet_files[] = { CGF_CPUACCT_USAGE,  CGF_CPU_STAT_V2,  CGF_MEM_USAGE_V1,
					    CGF_MEM_CURRENT_V2, CGF_PIDS_CURRENT, CGF_PIDS_CURRENT_V2 };
static const enum cg_val quiet_vals[3] = { V_CPU_USAGE, V_MEM_CURRENT, V_PIDS_CURRENT };

/* Are n's activity counters in n->cur those of its last full read? */
static bool quiet_same(const struct cg_node *n)
{
	const struct cg_node_quiet *q = cg_node_quiet(n);
	uint8_t valid = 0;

	if (!q)
		return false;
	for (int i = 0; i < 3; i++) {
		if (!VALID(&n->cur, quiet_vals[i]))
			continue;
		valid |= 1u << i;
		if (!(q->sig_valid & (1u << i)) || q->sig[i] != cg_val(&n->cur, quiet_vals[i]))
			return false;
	}
	/* the root's memory is the host's (root_from_proc), never quiet */
	return valid && valid == q->sig_valid && !n->from_proc;
}

/* A group prunable but for its parent, whose counters moved (a sibling of
 * a busy group): its own activity counters read first; when they did not
 * move either, its subtree is quiet, so it is pruned as if its parent's
 * were (sample_pruned); else its values are as before the probe, for a
 * full read (its rates from the last sample's counters). */
static bool probe_quiet(struct sampler *s, struct cg_node *n)
{
	uint64_t old_valid = n->cur.valid, old_have = n->cur.have, saved[_V_MAX];
	unsigned n_saved = (unsigned)__builtin_popcountll(old_have);
	bool any = false;

	/* the slots as they are (a read may add a slot, which moves the others) */
	if (n_saved)
		memcpy(saved, n->cur.v, n_saved * sizeof(*saved));
	s->probing = true;
	for (size_t k = 0; k < ARRAY_SIZE(quiet_files); k++)
		if (wanted(n, quiet_files[k], s->needs)) {
			read_one(s, n, quiet_files[k], s->needs);
			any = true;
		}
	s->probing = false;
	if (any && quiet_same(n))
		return true;
	/* as before the probe: every value back in its slot (a slot the reads
	 * made stays, unset), the last sample's validity */
	for (unsigned id = 0, i = 0; id < _V_MAX && i < n_saved; id++)
		if (old_have & B(id))
			*cg_val_ref(&n->cur, (enum cg_val)id) = saved[i++];
	n->cur.valid = old_valid;
	return false;
}

/* A group pruned (prunable): every value carried over, the rates' counters
 * too (so its rates are 0, as a read of counters that did not move gives);
 * only a notified file whose watch fired is read.  Its subtree is as quiet
 * as its parent's. */
static void sample_pruned(struct sampler *s, struct cg_node *n, unsigned needs)
{
	bool changed = false;

	keep_prev(n);
	for (int f = 0; f < _CGF_MAX; f++) {
		const struct cg_file_spec *spec = &cg_files[f];
		unsigned bit = 1u << spec->notify_slot, fired = bit;
		if (spec->tier != CG_TIER_NOTIFY || !wanted(n, f, needs) ||
		    !cg_node_file_watched(n, spec->notify_slot))
			continue;
		if (f == CGF_PIDS_EVENTS_V2)
			fired |= 1u << cg_files[CGF_PIDS_EVENTS_LOCAL_V2].notify_slot;
		if (n->notify_dirty & fired) {
			n->notify_dirty &= ~bit;
			read_one(s, n, f, needs);
			changed = true;
		}
	}
	/* prunable() let only a group with its state here */
	if (!n->more->quiet->pruned_since || changed)
		n->more->quiet->pruned_since = s->iteration;
	n->more->quiet->iter = s->iteration;
}

/* After a full read: is n's subtree quiet, its activity counters those of
 * its last full read? */
static void quiet_check(struct sampler *s, struct cg_node *n)
{
	uint8_t valid = 0;
	struct cg_node_quiet *q;

	if (quiet_same(n))
		n->more->quiet->iter = s->iteration;
	if (!cg_node_quiet(n))
		cg_node_more(n)->quiet = xcalloc(1, sizeof(*q)); /* at the group's first sample */
	q = n->more->quiet;
	for (int i = 0; i < 3; i++)
		if (VALID(&n->cur, quiet_vals[i])) {
			valid |= 1u << i;
			q->sig[i] = cg_val(&n->cur, quiet_vals[i]);
		}
	q->sig_valid = valid;
	q->pruned_since = 0;
	q->read_usec = s->mono_usec;
}

static double rate(const struct cg_node *n, enum cg_val id, enum cg_rate r, uint64_t dt_usec, bool *ok)
{
	const struct cg_node_rates *rt = n->rates;

	if (!VALID(&n->cur, id) || !(rt->prev_valid & (1u << r)) || cg_val(&n->cur, id) < rt->prev[r]) {
		*ok = false;
		return 0;
	}
	return (double)(cg_val(&n->cur, id) - rt->prev[r]) * 1e6 / (double)dt_usec;
}

/* t_read: when n's counters were read (the rates' interval is between two
 * reads of the same group, not between the starts of two samples). */
static void derive(struct sampler *s, struct cg_node *n, uint64_t t_read)
{
	uint64_t dt = t_read - n->t_usec;
	bool have_prev = !n->fresh && n->iteration + 1 == cg_count32(s->iteration) && dt > 0;
	struct cg_node_rates *rt = n->rates;
	bool ok;

	/* no rates yet: no counter was kept, every rate stays null */
	if (rt) {
		ok = have_prev;
		rt->cpu_percent = have_prev ? rate(n, V_CPU_USAGE, R_CPU, dt, &ok) / 1e4 : 0;
		rt->cpu_percent_valid = ok;
		ok = have_prev;
		rt->io_rbps = have_prev ? rate(n, V_IO_RBYTES, R_IO_RBYTES, dt, &ok) : 0;
		rt->io_wbps = have_prev ? rate(n, V_IO_WBYTES, R_IO_WBYTES, dt, &ok) : 0;
		rt->io_rate_valid = ok;
		/* apart: the text columns do not read the operations (NEED_IO_OPS) */
		ok = have_prev;
		rt->io_riops = have_prev ? rate(n, V_IO_RIOS, R_IO_RIOS, dt, &ok) : 0;
		rt->io_wiops = have_prev ? rate(n, V_IO_WIOS, R_IO_WIOS, dt, &ok) : 0;
		rt->io_ops_valid = ok;
		/* the share of the CFS periods of the interval in which the group was
		 * throttled; no period elapsed (no quota, or idle): null */
		ok = have_prev;
		double periods = have_prev ? rate(n, V_NR_PERIODS, R_NR_PERIODS, dt, &ok) : 0;
		double throttled = have_prev ? rate(n, V_NR_THROTTLED, R_NR_THROTTLED, dt, &ok) : 0;
		rt->throttled_percent_valid = ok && periods > 0;
		rt->throttled_percent = rt->throttled_percent_valid ? 100.0 * throttled / periods : 0;
		if (rt->throttled_percent > 100)
			rt->throttled_percent = 100; /* a throttling may be counted before its period */
	}

	n->fresh = false;
	n->iteration = s->iteration;
	n->t_usec = t_read;
}

/* Effective limit: the smallest limit on the path to the root, and who sets it.
 * Only across groups of the same hierarchy: on v1 a group that is not in the
 * memory hierarchy is not bound by a memory limit of its namesake's parent. */
static enum cg_eff_kind eff_kind(enum cg_val id)
{
	switch (id) {
	case V_MEM_MAX:
		return CG_EFF_MEM;
	case V_MEM_HIGH:
		return CG_EFF_MEM_HIGH;
	case V_CPU_MAX:
		return CG_EFF_CPU;
	default:
		return CG_EFF_PIDS;
	}
}

/* n's effective limit of a kind gets its slot (struct cg_node_eff) the
 * first time it is known; one not known leaves the slots as they are. */
static void effective(struct cg_node *n, enum cg_val id, int domain_h)
{
	struct cg_node *p = n->parent;
	enum cg_eff_kind k = eff_kind(id);
	struct cg_eff_val pe = { false, 0, NULL };
	struct cg_eff_limit *l;

	if (n->eff)
		n->eff->valid &= (uint8_t) ~(1u << k);
	if (domain_h < 0 || !(n->hmask & (1u << domain_h)))
		return;
	if (p && (p->hmask & (1u << domain_h)))
		pe = cg_eff_of(p, k);
	if (VALID(&n->cur, id) && (!pe.valid || cg_val(&n->cur, id) < pe.v)) {
		l = cg_eff_slot(n, k);
		l->v = cg_val(&n->cur, id);
		l->from = cg_val(&n->cur, id) == CG_UNLIMITED ? NULL : n;
		n->eff->valid |= (uint8_t)(1u << k);
	} else if (pe.valid) {
		l = cg_eff_slot(n, k);
		l->v = pe.v;
		l->from = pe.from;
		n->eff->valid |= (uint8_t)(1u << k);
	}
}

static int domain(const struct cg_hierarchies *hs, enum cg_ctrl c)
{
	return hs->by_ctrl[c] >= 0 ? hs->by_ctrl[c] : hs->v2;
}

/* The effective limits of n whose files needs reads (its parent's first). */
static void effective_all(struct sampler *s, struct cg_node *n, unsigned needs)
{
	const struct cg_hierarchies *hs = &s->tree->hs;

	if (needs & NEED_MEM_LIMIT) {
		effective(n, V_MEM_MAX, domain(hs, CTRL_MEMORY));
		effective(n, V_MEM_HIGH, domain(hs, CTRL_MEMORY));
	}
	if (needs & NEED_PIDS_LIMIT)
		effective(n, V_PIDS_MAX, domain(hs, CTRL_PIDS));
	if (needs & NEED_CPU_LIMIT)
		effective(n, V_CPU_MAX, domain(hs, CTRL_CPU));
}

/* Sums over the subtree of a count each group has of its own, within the
 * hierarchy the count comes from (file: a group is counted where that file
 * is served from; on v1 the hierarchies need not mirror each other, and a
 * process is in exactly one group of each).  A group whose own count this
 * sample did not read (a lazy sample of a group off the screen) leaves its
 * ancestors' sums null rather than wrong; one that could not be read adds
 * nothing (it went away).  Groups below --depth are not in the tree and not
 * counted. */
static const struct {
	enum cg_val own, sum;
	unsigned need;
	enum cg_file file;
} subtree_sums[] = {
	{ V_TASKS, V_TASKS_SUBTREE, NEED_TASKS, CGF_PROCS },
	{ V_THREADS, V_THREADS_SUBTREE, NEED_THREADS, CGF_THREADS },
	/* v1 only: v2 memory.events already counts the subtree */
	{ V_OOM_KILLS_LOCAL, V_OOM_KILLS_SUBTREE, NEED_MEM_EVENTS | NEED_EVENTS, CGF_MEM_OOMCTL_V1 },
};

/* One depth-first pass for every sum: a group's sum goes to its parent when
 * the group is done (its subtree seen), so each group is touched once, not
 * once per ancestor (a walk up from every group was 4 to 15 % of a recorder's
 * CPU at N=5000 in perf).  unread: a group below, of the same hierarchy all the
 * way, whose count was not read. */
struct sum_frame {
	struct cg_node *n;
	uint8_t unread;
};

static void sum_done(struct sampler *s, struct sum_frame *fr, struct sum_frame *up)
{
	struct cg_node *n = fr->n;

	for (size_t i = 0; i < ARRAY_SIZE(subtree_sums); i++) {
		enum cg_val own = subtree_sums[i].own, sum = subtree_sums[i].sum;
		enum cg_file f = subtree_sums[i].file;
		bool read = n->read_needs & subtree_sums[i].need;

		if (!(s->needs & subtree_sums[i].need) || n->src[f] < 0)
			continue;
		if (fr->unread & (1u << i))
			n->cur.valid &= ~B(sum);
		if (!up || up->n->src[f] != n->src[f])
			continue;
		/* what n got from below, and its own count if read (a count
		 * carried over stays out: the parent's sum is null then) */
		uint64_t x = cg_val(&n->cur, sum);
		if (!read && VALID(&n->cur, own))
			x -= cg_val(&n->cur, own);
		*cg_val_ref(&up->n->cur, sum) += x;
		up->unread |= (fr->unread & (1u << i)) | (read ? 0 : 1u << i);
	}
}

static void sum_subtrees(struct sampler *s)
{
	struct cg_tree *t = s->tree;
	struct sum_frame stack[PATH_MAX / 2];
	unsigned k = 0;
	unsigned want = 0;

	for (size_t i = 0; i < ARRAY_SIZE(subtree_sums); i++)
		want |= s->needs & subtree_sums[i].need;
	if (!want)
		return;
	for (struct cg_node *n = t->top; n; n = cg_tree_next(t, n)) {
		/* the groups done: those on the stack that are not n's parent
		 * or above it */
		while (k && stack[k - 1].n != n->parent) {
			k--;
			sum_done(s, &stack[k], k ? &stack[k - 1] : NULL);
		}
		for (size_t i = 0; i < ARRAY_SIZE(subtree_sums); i++) {
			enum cg_val own = subtree_sums[i].own, sum = subtree_sums[i].sum;
			unsigned need = subtree_sums[i].need;

			if (!(s->needs & need) || n->src[subtree_sums[i].file] < 0)
				continue;
			*cg_val_ref(&n->cur, sum) = VALID(&n->cur, own) ? cg_val(&n->cur, own) : 0;
			if ((n->read_needs & need) && VALID(&n->cur, own))
				n->cur.valid |= B(sum);
			else
				n->cur.valid &= ~B(sum);
		}
		if (k == ARRAY_SIZE(stack))
			break; /* cannot be: a path has fewer levels */
		stack[k++] = (struct sum_frame){ n, 0 };
	}
	while (k) {
		k--;
		/* the top's sums go no higher */
		sum_done(s, &stack[k], k ? &stack[k - 1] : NULL);
	}
}

int sampler_tick(struct sampler *s)
{
	struct cg_tree *t = s->tree;
	unsigned limit_needs = s->needs & (NEED_MEM_LIMIT | NEED_PIDS_LIMIT | NEED_CPU_LIMIT);

	if (s->iteration == 1 && !s->gate_tried) {
		/* a second sample: the gate's watches are added by this update */
		s->gate_tried = true;
		procs_gate_open(s);
	}
	cg_tree_update(t);
	s->iteration++;
	if (s->fake_clock) {
		s->mono_usec = s->iteration * s->interval_usec;
		s->wall = s->fake_wall0 + (double)(s->iteration - 1) * s->interval_usec / 1e6;
	} else {
		s->mono_usec = clock_mono_usec();
		s->wall = clock_wall_sec();
	}

	s->slow_all = s->slow_next || s->full_next;
	s->slow_next = false;
	s->notify_lost = t->notify_lost;
	t->notify_lost = false;
	procs_gate_begin(s);
	s->hot_reads_last = s->hot_reads;
	s->hot_reads = 0;
	if (s->hot_short && t->dfds_kept) {
		/* hot files were read without a place in the budget: the kept
		 * directories give theirs (read_named keeps no new one while
		 * these hot files need the room) */
		for (struct cg_node *n = t->top; n && t->dfds_kept; n = cg_tree_next(t, n))
			cg_node_close_dfd(t, n);
	}
	s->hot_short = false;

	/* hidden ancestors of the shown subtree: only their limits */
	if (limit_needs) {
		struct cg_node *chain[PATH_MAX / 2];
		unsigned k = 0;
		for (struct cg_node *a = t->top ? t->top->parent : NULL; a && k < ARRAY_SIZE(chain);
		     a = a->parent)
			chain[k++] = a;
		while (k--) {
			/* cppcheck-suppress uninitvar ; chain[0..k) was filled by the loop above */
			struct cg_node *a = chain[k];
			sample_node(s, a, limit_needs, 0, 0);
			effective_all(s, a, limit_needs);
		}
	}
	bool full = !s->lazy_needs || s->full_next || s->lazy_period <= 1;
	unsigned turn = s->lazy_period > 1 ? (unsigned)(s->iteration % s->lazy_period) : 0, idx = 0;
	s->full_next = false;
	for (struct cg_node *n = t->top; n; n = cg_tree_next(t, n), idx++) {
		/* the time of this group's reads, for its rates: the time its CPU
		 * time was read at (read_one()), else the time before its reads.
		 * A sample held up between its start and this group (the
		 * scheduler, a CPU quota) would otherwise put the late reads
		 * against the sample's start, and the next sample, due at once,
		 * show a process busy on one CPU at 150 % */
		uint64_t t_read = s->fake_clock ? s->mono_usec : clock_mono_usec();
		s->cpu_read_usec = 0;
		unsigned skip = 0;
		if (!full && n->want_gen != cg_count32(s->want_gen)) {
			skip = s->lazy_needs;
			if (idx % s->lazy_period == turn)
				skip &= ~s->rr_needs; /* its turn in the round robin */
		}
		if (!skip && prunable(s, n, idx) &&
		    ((cg_node_quiet(n->parent) && cg_node_quiet(n->parent)->iter == s->iteration) ||
		     probe_quiet(s, n))) {
			sample_pruned(s, n, s->needs);
		} else {
			sample_node(s, n, s->needs, skip, idx);
			if (s->quiet_usec)
				quiet_check(s, n);
		}
		derive(s, n, s->cpu_read_usec ? s->cpu_read_usec : t_read);
		/* a lazy sample's limits are carried over, and their effective
		 * ones are not shown: sampler_refresh_wanted() computes them
		 * when the group is wanted (its ancestors are too, and come
		 * first), so a group never shown has no slots for them */
		effective_all(s, n, s->needs & ~skip);
	}
	close_flush(s);
	sum_subtrees(s);
	cg_tree_reap(t);
	if (s->iteration == 1)
		cg_tree_first_sampled(t);
	return 0;
}

unsigned sampler_refresh_wanted(struct sampler *s)
{
	struct cg_tree *t = s->tree;
	unsigned lazy = s->needs & s->lazy_needs, n_read = 0;

	if (!lazy)
		return 0;
	/* depth first from the top: ancestors before their children, so each
	 * effective limit is computed from fresh parents: those of the wanted
	 * groups after the first read, as a parent's limit read now changes
	 * its wanted descendants' (the others' are not shown, and computed
	 * when they are wanted: a group's ancestors are wanted with it) */
	for (struct cg_node *n = t->top; n; n = cg_tree_next(t, n)) {
		bool want = n->want_gen == cg_count32(s->want_gen);
		if (want && n->full_iter != cg_count32(s->iteration)) {
			uint64_t rv[_R_MAX], rvalid = n->cur.valid & RATED_VALS;
			for (int r = 0; r < _R_MAX; r++)
				rv[r] = cg_val(&n->cur, rated[r]);
			for (int f = 0; f < _CGF_MAX; f++)
				if (wanted(n, f, lazy))
					read_one(s, n, f, lazy);
			if (s->fake_clock) {
				/* the test clock cannot place this read in time: the
				 * rates' counters stay as the last sample read them */
				for (int r = 0; r < _R_MAX; r++)
					if (n->cur.have & B(rated[r]))
						*cg_val_ref(&n->cur, rated[r]) = rv[r];
				n->cur.valid = (n->cur.valid & ~RATED_VALS) | rvalid;
			} else {
				/* the counters read now are the start of the next
				 * sample's rates (over the time since this read) */
				n->t_usec = clock_mono_usec();
				n->iteration = s->iteration;
				n->fresh = false;
			}
			if (n == t->root)
				root_limits(s, n, lazy);
			n->read_needs |= lazy;
			n->full_iter = s->iteration;
			n_read++;
		}
		if (n_read && want)
			effective_all(s, n, s->needs);
	}
	close_flush(s);
	if (n_read)
		sum_subtrees(s);
	return n_read;
}

void sampler_read_now(struct sampler *s, struct cg_node *n, unsigned needs)
{
	n->cur.valid &= ~need_vals(needs);
	for (int f = 0; f < _CGF_MAX; f++)
		if (wanted(n, f, needs))
			read_one(s, n, f, needs);
	close_flush(s);
}

void sampler_map_soon(struct sampler *s, struct cg_node *n)
{
	/* due at the next sample; 0 stays 0 (new: read then anyway, staggered
	 * from there) */
	if (n->more && n->more->map_due)
		n->more->map_due = s->iteration;
}

bool sampler_unchanged(const struct sampler *s, const struct cg_node *n)
{
	const struct cg_node_quiet *q = cg_node_quiet(n);

	return n->iteration == cg_count32(s->iteration) && q && q->pruned_since &&
	       q->pruned_since < s->iteration;
}

bool sampler_map_fresh(const struct sampler *s, const struct cg_node *n)
{
	if (n->iteration != cg_count32(s->iteration))
		return false;
	if (!s->map_usec)
		return n->read_needs & NEED_MEM_STAT;
	return n->more && n->more->map_due && n->more->map_usec == s->mono_usec;
}
