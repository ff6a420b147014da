/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cgroup.h - the model: cgroup hierarchies (v1 and v2), the merged tree of
 * groups, and the kernel files each metric comes from.
 *
 * Hierarchies are discovered from /proc/self/mountinfo (cg-mode.c), groups of
 * every hierarchy are merged by path into one tree of nodes (cg-tree.c), and
 * the kernel facts - which file holds which number in which version - live in
 * one table (cg-files.c).  Every path starts from one root (--sysroot).
 */
#ifndef CGTOP_CGROUP_H
#define CGTOP_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/fileio.h"
#include "base/parse.h"

#define CG_MAX_HIER 16

enum cg_mode {
	CG_MODE_NONE,
	CG_MODE_V1,
	CG_MODE_V2,
	CG_MODE_HYBRID,
};
const char *cg_mode_name(enum cg_mode m);

/* Controllers, v1 and v2 names kept apart where they differ (blkio / io). */
enum cg_ctrl {
	CTRL_CPU,
	CTRL_CPUACCT,
	CTRL_CPUSET,
	CTRL_MEMORY,
	CTRL_BLKIO,
	CTRL_IO,
	CTRL_PIDS,
	CTRL_DEVICES,
	CTRL_FREEZER,
	CTRL_HUGETLB,
	CTRL_NET_CLS,
	CTRL_NET_PRIO,
	CTRL_PERF_EVENT,
	CTRL_RDMA,
	CTRL_MISC,
	_CTRL_MAX,
	CTRL_NONE = _CTRL_MAX,
};
const char *cg_ctrl_name(enum cg_ctrl c);
int cg_ctrl_from_name(const char *name, size_t len, bool v2);
/* The controllers listed in a v2 cgroup.controllers file (dfd/file); 0 if unreadable. */
uint32_t cg_read_v2_controllers(int dfd, const char *file);
/* The same from its text (space-separated names; unknown ones left out). */
uint32_t cg_parse_v2_controllers(const char *s, size_t len);

struct cg_hier {
	bool v2;
	char *mount_point;  /* as in mountinfo, without the sysroot */
	char *mount_root;   /* the mount's root in kernel naming ("/" normally) */
	char *ns_dir;       /* mount made outside our cgroup namespace: the namespace
	                    * root's directory below the mount ("a/b"), else NULL */
	char *name;         /* v1 "name=systemd" for named hierarchies, else NULL */
	char *label;        /* "cpu,cpuacct", "name=systemd", "cgroup2" */
	uint32_t ctrl_mask; /* v1: bound controllers; v2: the root's cgroup.controllers */
	int root_fd;        /* directory fd of the mount point */
	/* our own line of /proc/self/cgroup for this hierarchy (the launcher's
	 * --parent self, attach's output, a namespace's root); -1, NULL, NULL
	 * when it lists no such hierarchy */
	int id;           /* hierarchy ID (0 for cgroup2) */
	char *own;        /* our own group, namespace-relative */
	char *proc_label; /* the controllers as the kernel writes them there ("" for cgroup2) */
};

struct cg_hierarchies {
	enum cg_mode mode;
	unsigned n;
	struct cg_hier h[CG_MAX_HIER];
	int v2;                 /* index of the cgroup2 hierarchy or -1 */
	int by_ctrl[_CTRL_MAX]; /* v1 hierarchy index bound to a controller, or -1 */
	char **mounts;          /* every cgroup and cgroup2 mount point (bind mounts and
	                                 * named hierarchies too), without the sysroot;
	                                 * NULL-terminated, NULL when none */
	unsigned nmounts;
	struct cg_plan *plans; /* which hierarchy serves each file, one per set of
				* hierarchies a group exists in (cg_files_plan) */
};

/* Discover the hierarchies under sysroot ("" or "/" for the live system).
 * Returns 0, -ENOENT when there is no cgroup filesystem, or -errno. */
int cg_discover(const char *sysroot, struct cg_hierarchies *ret);
void cg_hierarchies_free(struct cg_hierarchies *hs);
/* The directory of the group path (kernel naming, "/a/b") below h's mount
 * point, allocated into *ret ("" for the mount's root); -ENOENT when the group
 * lies outside what is mounted there. */
int cg_hier_dir(const struct cg_hier *h, const char *path, char **ret);

/* The files cgtop reads.  Which one serves a metric on a node is decided in
 * cg-files.c from the hierarchies the node lives in. */
enum cg_file {
	CGF_PROCS,
	CGF_THREADS,
	CGF_CPUACCT_USAGE,
	CGF_CPUACCT_STAT,
	CGF_CPU_STAT_V1,
	CGF_CPU_STAT_V2,
	CGF_MEM_USAGE_V1,
	CGF_MEM_LIMIT_V1,
	CGF_MEM_MAXUSAGE_V1,
	CGF_MEMSW_USAGE_V1,
	CGF_MEM_FAILCNT_V1,
	CGF_MEM_OOMCTL_V1,
	CGF_MEM_STAT_V1,
	CGF_MEM_CURRENT_V2,
	CGF_MEM_MAX_V2,
	CGF_MEM_PEAK_V2,
	CGF_MEM_SWAP_V2,
	CGF_MEM_EVENTS_V2,
	CGF_MEM_STAT_V2,
	CGF_PIDS_CURRENT,
	CGF_PIDS_MAX,
	CGF_PIDS_EVENTS,
	CGF_PIDS_CURRENT_V2,
	CGF_PIDS_MAX_V2,
	CGF_PIDS_EVENTS_V2,
	CGF_MEM_EVENTS_LOCAL_V2,
	CGF_PIDS_EVENTS_LOCAL_V2,
	CGF_IO_STAT_V2,
	CGF_BLKIO_BYTES_V1,
	CGF_BLKIO_IOS_V1,
	CGF_PSI_CPU,
	CGF_PSI_MEM,
	CGF_PSI_IO,
	CGF_MEM_HIGH_V2,
	CGF_CPU_QUOTA_V1,
	CGF_CPU_PERIOD_V1, /* after the quota: the pair gives the limit */
	CGF_CPU_MAX_V2,
	CGF_CPUSET_CPUS_V1,
	CGF_CPUSET_EFF_V1,
	CGF_CPUSET_CPUS_V2,
	CGF_CPUSET_EFF_V2,
	CGF_HUGETLB_V1, /* one file per huge page size (per_page_size) */
	CGF_HUGETLB_V2,
	_CGF_MAX,
};

/* What the output needs: one bit per group of files (htop's scan flags). */
enum cg_need {
	NEED_TASKS = 1u << 0,
	NEED_THREADS = 1u << 1,
	NEED_CPU = 1u << 2,
	NEED_CPU_SPLIT = 1u << 3,
	NEED_THROTTLE = 1u << 4,
	NEED_MEM = 1u << 5,
	NEED_MEM_LIMIT = 1u << 6,
	NEED_MEM_PEAK = 1u << 7,
	NEED_SWAP = 1u << 8,
	NEED_MEM_EVENTS = 1u << 9,
	NEED_MEM_STAT = 1u << 10,
	NEED_PIDS = 1u << 11,
	NEED_PIDS_LIMIT = 1u << 12,
	NEED_PIDS_EVENTS = 1u << 13,
	NEED_IO = 1u << 14,
	NEED_PSI = 1u << 15,
	NEED_EVENTS = 1u << 16,    /* local OOM / fork-rejection counters and the kernel log */
	NEED_PSI_MEM = 1u << 17,   /* memory pressure alone (the dashboard's column) */
	NEED_CPU_LIMIT = 1u << 18, /* CFS quota and period */
	NEED_CPUSET = 1u << 19,
	NEED_HUGETLB = 1u << 20,
	NEED_FORKS = 1u << 21,  /* the proc connector (forks.h), no file */
	NEED_IO_OPS = 1u << 22, /* read and write operations: JSON, Prometheus, the
				 * recorder and the detail view show them, the
				 * text columns only bytes (v1: a file of its own) */
	NEED_ALL = (1u << 23) - 1,
};

/* How often a file is read once a group has had its first sample (sampler.c;
 * on cgroupfs only, and never in a one-shot sample, which reads everything). */
enum cg_tier {
	CG_TIER_EVERY,  /* every refresh */
	CG_TIER_NOTIFY, /* the kernel raises IN_MODIFY when it changes: read when
			 * its watch fired, and on the slow tier */
	CG_TIER_SLOW,   /* no notification, rarely changes (limits): on the slow tier */
};
/* The files of CG_TIER_NOTIFY, each a bit of cg_node.nwatch. */
#define CG_NOTIFY_SLOTS 4

struct cg_file_spec {
	const char *name;
	enum cg_ctrl ctrl; /* controller whose hierarchy holds it (CTRL_NONE: v2 core file) */
	bool v2;
	unsigned need;       /* enum cg_need bit that makes it read */
	bool hot;            /* read every refresh and worth a kept fd */
	bool v1_reopen;      /* v1: never read through a kept fd (see cg-files.c) */
	bool per_page_size;  /* one file per huge page size: hugetlb.<size>.<name> */
	uint8_t tier;        /* enum cg_tier */
	uint8_t notify_slot; /* CG_TIER_NOTIFY: its bit in cg_node.nwatch */
};
extern const struct cg_file_spec cg_files[_CGF_MAX];
/* The files read through a kept fd (read every refresh, one file name):
 * the slot of f's (at most 32), -1 when f never keeps one; how many
 * there are. */
int cg_file_fd_slot(enum cg_file f);
unsigned cg_file_fd_slots(void);

/* The files cgtop writes (limits, freeze, kill, moving processes), by what
 * they do; the name in v1 and in v2 (NULL: that version has none). */
enum cg_knob_id {
	KNOB_MEM_MAX,    /* v1 memory.limit_in_bytes, v2 memory.max */
	KNOB_MEM_HIGH,   /* v1 memory.soft_limit_in_bytes (steers reclaim only), v2 memory.high */
	KNOB_MEMSW_MAX,  /* v1 only: memory + swap */
	KNOB_SWAP_MAX,   /* v2 only */
	KNOB_SWAPPINESS, /* v1 only (v2 has no per-group swappiness) */
	KNOB_PIDS_MAX,
	KNOB_CPU_MAX,    /* v2 "QUOTA PERIOD" */
	KNOB_CPU_QUOTA,  /* v1 */
	KNOB_CPU_PERIOD, /* v1 */
	KNOB_CPUSET_CPUS,
	KNOB_CPUSET_MEMS,
	KNOB_FREEZE,          /* v1 freezer.state FROZEN/THAWED, v2 cgroup.freeze 1/0 (5.2+) */
	KNOB_KILL,            /* v2 only, 5.14+ */
	KNOB_PROCS,           /* moves a whole process (v1 "tasks" would move one thread) */
	KNOB_CONTROLLERS,     /* v2 only, read: what the group may hand down */
	KNOB_SUBTREE_CONTROL, /* v2 only: what it hands down */
	_KNOB_MAX,
};
struct cg_knob_spec {
	const char *v1, *v2;
	enum cg_ctrl ctrl; /* CTRL_NONE: a core file */
};
extern const struct cg_knob_spec cg_knobs[_KNOB_MAX];
/* The name of knob k in v1 or v2, NULL when that version has none. */
const char *cg_knob_name(enum cg_knob_id k, bool v2);

/* Huge page sizes as the hugetlb controller spells them in its file names
 * ("2MB", "1GB", "64KB"), at most CG_HUGETLB_SIZES of them. */
#define CG_HUGETLB_SIZES 8
#define CG_HUGETLB_NAME 16
/* The size of a /sys/kernel/mm/hugepages entry ("hugepages-2048kB") as the
 * controller names it ("2MB").  0, or -EINVAL when it is no such entry. */
int cg_hugetlb_size_name(const char *entry, char *out, size_t size);
/* The huge page sizes of the kernel under sysroot; how many (0: none). */
unsigned cg_hugetlb_sizes(const char *sysroot, char names[][CG_HUGETLB_NAME], unsigned max);
/* The name of file f for one huge page size (cg_files[f].per_page_size). */
int cg_file_name_sized(enum cg_file f, const char *page_size, char *out, size_t size);

/* Values of one sample.  A value is valid only when its bit is set: a file that
 * is missing or unreadable leaves it null, never a fake 0. */
enum cg_val {
	V_TASKS,
	V_THREADS,
	V_CPU_USAGE,  /* usec */
	V_CPU_USER,   /* usec */
	V_CPU_SYSTEM, /* usec */
	V_NR_PERIODS,
	V_NR_THROTTLED,
	V_THROTTLED_USEC,
	V_MEM_CURRENT,
	V_MEM_MAX, /* CG_UNLIMITED = max */
	V_MEM_PEAK,
	V_SWAP,
	V_FAILCNT,
	V_UNDER_OOM,
	V_OOM_KILLS_LOCAL,     /* kills of processes of this group itself */
	V_OOM_KILLS_SUBTREE,   /* kills in the group and its descendants */
	V_PIDS_REJECTED_LOCAL, /* forks of this group's own processes rejected */
	V_PIDS_CURRENT,
	V_PIDS_MAX,
	V_PIDS_REJECTED,
	V_IO_RBYTES,
	V_IO_WBYTES,
	V_IO_RIOS,
	V_IO_WIOS,
	V_PSI_CPU, /* valid bits for psi[] */
	V_PSI_MEM,
	V_PSI_IO,
	V_MEM_STAT,        /* memory.stat text held in node->mem_stat */
	V_MEM_EVENTS,      /* v2 memory.events / v1 memory.oom_control text in node->mem_events */
	V_MEM_HIGH,        /* v2 memory.high; CG_UNLIMITED = max */
	V_CPU_QUOTA,       /* usec per period; CG_UNLIMITED = max */
	V_CPU_PERIOD,      /* usec */
	V_CPU_MAX,         /* quota / period in millionths of a CPU; CG_UNLIMITED = max */
	V_CPUSET,          /* cpuset.cpus text in node->cpuset */
	V_CPUSET_EFF,      /* the effective CPUs' text in node->cpuset_eff */
	V_TASKS_SUBTREE,   /* the sums over the group and its descendants in the */
	V_THREADS_SUBTREE, /* hierarchy its own count comes from (sampler.c) */
	V_HUGETLB,         /* huge pages in use, bytes, every page size summed */
	_V_MAX,
};

#define VALID(vals, id) (((vals)->valid >> (id)) & 1)

/* A group's values, stored only for the ids it has ever had (the columns
 * shown, the files its hierarchies hold): of 38 values a group of the
 * default columns has about ten, and at thousands of groups the full array
 * was the largest part of a node.  A slot is made the first time a value
 * is set (at a group's first sample, or when the needs grow) and kept: a
 * later sample that sets it again allocates nothing. */
struct cg_values {
	uint64_t valid; /* the values of this sample (VALID) */
	uint64_t have;  /* the values with a slot in v[] (a superset of valid
			 * but for the text-only ids, V_MEM_STAT...) */
	uint64_t *v;    /* one slot per bit of have, in the order of the ids */
};

/* Value id: its slot, 0 when it has none (check VALID first). */
static inline uint64_t cg_val(const struct cg_values *vals, enum cg_val id)
{
	if (!((vals->have >> id) & 1))
		return 0;
	return vals->v[__builtin_popcountll(vals->have & ((1ULL << id) - 1))];
}
/* The slot of value id, made when it has none (cg-values.c); valid unchanged. */
uint64_t *cg_val_ref(struct cg_values *vals, enum cg_val id);
/* Set value id and make it valid. */
static inline void cg_val_set(struct cg_values *vals, enum cg_val id, uint64_t x)
{
	*cg_val_ref(vals, id) = x;
	vals->valid |= 1ULL << id;
}
void cg_values_free(struct cg_values *vals);

/* The kernel's text of the files shown as they are (the memory.stat map,
 * the detail view, the cpuset columns), apart from the node: most groups of
 * most views never have one. */
struct cg_node_text {
	struct buf mem_stat, mem_events;
	struct buf cpuset, cpuset_eff; /* the kernel's CPU lists, without the newline */
};

/* The quiet prune (sampler.h, quiet_usec): the activity counters of the
 * group's last full read (CPU time, memory in use, pids in use) and which of
 * them it had, the sample in which its subtree was last found quiet, the
 * first sample of the run of samples that pruned its reads (0: the last
 * sample read it) and the monotonic time of its last full read.  Apart from
 * the node: only the recorder prunes, and batch and the dashboard paid 56
 * bytes a group for it. */
struct cg_node_quiet {
	uint64_t sig[3];
	uint8_t sig_valid;
	uint64_t iter;
	uint64_t pruned_since;
	uint64_t read_usec;
};

/* A v1 group's process list as last read, while the proc connector and the
 * directory watches tell when it may have changed (sample/procs-gate.h). */
struct cg_node_procs {
	char *text;     /* the list (pids one a line, NUL-terminated), NULL when empty */
	uint32_t until; /* read anew at every sample up to this one (cg_count32) */
	/* and at the first sample at or after this time, in ticks of the gate's
	 * clock (procs-gate.c, PG_TICK_USEC: 24 bytes a group, not 40) */
	uint32_t due;
	/* v1 pids.current was 0 at its last read (pids_h: in that hierarchy, -1
	 * none): no task in the subtree, none can fork there, so only a move
	 * (a write) changes it; read again at pids_due at the latest */
	uint32_t pids_due;
	int8_t h; /* the hierarchy it was read from, -1: none kept */
	int8_t pids_h;
};

/* The counters rates are computed from, kept from the previous sample. */
enum cg_rate { R_CPU, R_IO_RBYTES, R_IO_WBYTES, R_IO_RIOS, R_IO_WIOS, R_NR_PERIODS, R_NR_THROTTLED, _R_MAX };

/* The rates of the last interval and the counters of the previous sample
 * they are computed from, apart from the node: a one-shot sample has none,
 * and a group without a CPU or I/O counter never needs them (cg_rates). */
struct cg_node_rates {
	uint64_t prev[_R_MAX];
	uint32_t prev_valid;
	bool cpu_percent_valid, io_rate_valid, io_ops_valid, throttled_percent_valid;
	double cpu_percent, io_rbps, io_wbps, io_riops, io_wiops;
	double throttled_percent; /* of the CFS periods of the last interval */
};

/* The effective limits: the smallest limit on the path to the root and the
 * group that sets it (NULL: none, unlimited), apart from the node and one
 * slot a kind: only the groups of a limit's hierarchy have one, and only
 * when it is shown (a v1 memory group has the memory max alone). */
enum cg_eff_kind { CG_EFF_MEM, CG_EFF_MEM_HIGH, CG_EFF_PIDS, CG_EFF_CPU, _CG_EFF_MAX };
struct cg_eff_limit {
	uint64_t v;
	const struct cg_node *from;
};
struct cg_node_eff {
	uint8_t have;            /* the kinds with a slot in l[] */
	uint8_t valid;           /* the kinds known in the last sample */
	struct cg_eff_limit l[]; /* one per bit of have, in kind order */
};
/* A kind's limit as read: valid, and the last value and setter it had (0
 * and NULL when it never had one). */
struct cg_eff_val {
	bool valid;
	uint64_t v;
	const struct cg_node *from;
};

struct cg_node {
	struct cg_node *parent, *children, *next; /* children sorted by name */
	struct cg_node *hash_next;
	char *path;           /* kernel naming: "/", "/a/b" (in the node's allocation) */
	uint16_t depth;       /* below the tree's root "/" (a path has < PATH_MAX / 2 levels) */
	bool hidden;          /* ancestor of the output root, not shown */
	bool from_proc;       /* root values taken from /proc */
	bool fresh;           /* new since the last sample: rates are null */
	int8_t dfd_h;         /* hierarchy of dfd */
	uint8_t notify_dirty; /* the notified files' slots (nwatch) whose watch
			       * fired since their last read */
	uint8_t psi_busy;     /* bit i: psi[i]'s last read had an average
			       * above 0 (the quiet prune) */
	uint32_t hmask;       /* hierarchies the group exists in */
	uint32_t ctrl_mask;   /* controllers of the group (v1 bound + v2 enabled) */
	/* after the node in its allocation, sized to the tree's hierarchies:
	 * the inode of the group's directory in each (its low 32 bits: enough
	 * to tell a directory made again from the one seen before; cg-tree.c,
	 * node_ino) */
	/* the inotify watches it has: of its directory in each hierarchy
	 * (wmask, below), of its notified files (nwatch, one bit a
	 * notify_slot); the watch descriptors are in the tree's table alone
	 * (cg_tree.wd_keys) */
	/* kept fds, one per bit of fd_have (the slots of cg_file_fd_slot()
	 * that ever kept one, in slot order; -1 closed): a group keeps a few
	 * of the files that have a slot, most one or two, which are in the
	 * node (in); more are in an allocation (heap, CG_NODE_FDS_IN < the
	 * number of bits of fd_have).  A one-shot sample keeps none. */
	union {
		int in[2];
		int *heap;
	} fdv;
	const int8_t *src;    /* [_CGF_MAX] hierarchy that serves each file, -1
			       * none: shared by the groups of the same
			       * hierarchies (cg_files_plan) */
	uint64_t absent;      /* files found missing (ENOENT) */
	int dfd;              /* kept O_PATH fd of the group's directory there for
			       * the files opened anew at every read (v1 process
			       * lists), -1 none */
	uint32_t vanish_mask; /* hierarchies where a read said the group is gone */
	uint32_t fd_have;     /* the slots of fd[] */
	/* the slow tier: the sample at which it is next read (0: at the next
	 * one, the group is new or changed hierarchies) and the monotonic time
	 * of its last read */
	unsigned slow_needs; /* the needs of that read */
	uint32_t slow_due;
	uint32_t wmask; /* (with the watches, above; here to fill a hole) */
	uint64_t slow_usec;
	/* the state only a recorder, a replay or the fork counts keep (struct
	 * cg_node_more), NULL until one of them needs it (cg_node_more()) */
	struct cg_node_more *more;
	/* the v1 process list's gate (sample/procs-gate.h): the list of the
	 * last read and until when it must be read anew; NULL until the first
	 * read with the gate on */
	struct cg_node_procs *procs;

	/* sampling state.  The counts of samples and walks a node keeps are
	 * 32 bits (4 bytes a group each), compared with the low 32 bits of
	 * the sampler's (cg_count32), for equality or in wrapping order */
	uint32_t walk_mark; /* last directory walk that saw it */
	uint32_t iteration; /* of the last sample */
	uint64_t t_usec;    /* monotonic time of the last sample */
	struct cg_values cur;
	struct psi *psi;           /* [3]: cpu, memory, io; allocated on first read */
	struct cg_node_text *text; /* NULL until a file is kept as text (cg_text_mut) */
	/* the rates and the counters they come from (struct cg_node_rates),
	 * NULL until the group's first sample with a rated counter to keep */
	struct cg_node_rates *rates;
	/* the effective limits (struct cg_node_eff), NULL until one is
	 * known */
	struct cg_node_eff *eff;

	/* the dashboard's economy (sampler.h): wanted in this generation, and
	 * the sample whose lazy files were last read */
	uint32_t want_gen;
	uint32_t full_iter;

	/* the dashboard's state for this group (struct ui_node, ui.h), kept
	 * across refreshes by the node's identity; freed by cg_tree.on_free */
	void *ui;

	/* its name (names.h): looked up the first time it is asked for, kept for
	 * the node's life (a recreated group is a new node), freed with it */
	struct group_name *gname;

	/* the events tracker's state for this group (sample/node-events.h), or
	 * NULL: allocated by events.c, freed with the node */
	struct node_events *ev;

	/* forks of the group's own processes (forks.c): the rate is known (the
	 * connector was open over the last interval), the total is (it is
	 * open); the counts and the parents that forked most are in
	 * more->forkers (sample/forker.h), NULL until one of its processes forks
	 * (most groups never do): no fork */
	bool forks_valid, forks_on;
	bool gname_known; /* gname was looked up */
	/* the events tracker's counters (EV_BASE_*) whose base was 0 at
	 * first sight, nothing counted since, while ev is NULL: most groups
	 * never see a kill or a rejected fork, and ev is made at the first */
	uint8_t ev_zero;
	/* the notified files (CG_TIER_NOTIFY) with an inotify IN_MODIFY watch
	 * (bit notify_slot; cg_node_file_watched) */
	uint8_t nwatch;
	bool wd_named; /* had a watch: the tree's table may name it (freed after wd_purge) */
	/* its name, the last component of path, starts there (cg_node_name) */
	uint16_t name_off;
	/* (sampling state, here to fill the hole after the flags) the needs
	 * whose files the last sample read (not carried over from an earlier
	 * one) */
	unsigned read_needs;
};

/* A group's state that only a recorder, a replay or the fork counts keep: out
 * of struct cg_node (most groups of most runs never need it), allocated at its
 * first need and freed with the node. */
struct cg_node_more {
	/* the map tier (sampler.h, map_usec): the sample at which memory.stat
	 * is next due (0: at the next one, the group is new) and the monotonic
	 * time of its last read on that schedule */
	uint64_t map_due;
	uint64_t map_usec;
	/* the quiet prune's state (struct cg_node_quiet), NULL until the
	 * group's first full read with the prune on (the recorder's) */
	struct cg_node_quiet *quiet;
	/* a recorded sample's values (record-replay.c): column_value() answers
	 * from them when set */
	const struct col_recorded *rec;
	/* the counts of forks and the parents that forked most (forks.c,
	 * sample/forker.h), NULL until one of its processes forks */
	struct node_forkers *forkers;
};

/* n's struct cg_node_more, allocated (zeroed) at the first call. */
struct cg_node_more *cg_node_more(struct cg_node *n);
static inline struct cg_node_quiet *cg_node_quiet(const struct cg_node *n)
{
	return n->more ? n->more->quiet : NULL;
}
static inline const struct col_recorded *cg_node_rec(const struct cg_node *n)
{
	return n->more ? n->more->rec : NULL;
}
static inline struct node_forkers *cg_node_forkers(const struct cg_node *n)
{
	return n->more ? n->more->forkers : NULL;
}

struct cg_tree {
	struct cg_hierarchies hs;
	char *sysroot;
	struct cg_node *root; /* "/" */
	struct cg_node *top;  /* the output root (PATH) */
	int max_depth;        /* below top; -1 unlimited */
	unsigned n_nodes;
	struct cg_node **hash;
	unsigned hash_size;

	/* discovery */
	uint32_t kernfs_mask; /* hierarchies on cgroupfs (link counts tell leaves) */
	bool walk_count_off;  /* CGTOP_NO_WALK_COUNT: the kernel's counts end no walk early */
	uint32_t walk_gen;    /* the last walk's mark (cg_node walk_mark) */
	unsigned updates;     /* cg_tree_update() calls before watching */
	bool watching;        /* inotify set up (at the second update) */
	int inotify_fd;       /* -1 when not available: rescan each refresh */
	bool rescan_needed;
	bool notify_lost;     /* the queue overflowed: notified files may have changed unseen */
	bool file_watch_full; /* a file watch failed for want of watches: no more tried */
	unsigned max_watches; /* fs.inotify.max_user_watches */
	/* the inotify watches: wd_keys ascending, wd_nodes[i] the group of
	 * watch wd_keys[i] and wd_what[i] which of its watches it is (the
	 * hierarchy of its directory, or WD_FILE | the notify_slot of one of
	 * its notified files), NULL once removed; wds_used of wds_len are.
	 * A watch its group no longer has (its bit cleared in wmask or nwatch,
	 * or the group freed) stays until wd_purge() removes it: the group's
	 * memory too waits there (graveyard, linked by hash_next) */
	int *wd_keys;
	struct cg_node **wd_nodes;
	uint8_t *wd_what;
	unsigned wds_len, wds_cap, wds_used;
	bool wd_stale;
	struct cg_node *graveyard;

	/* fd budget for kept file fds; of them, the groups' kept directories
	 * (cg_node dfd) */
	unsigned fd_budget, fds_kept, dfds_kept;
	bool vanished; /* a read saw a group gone: cg_tree_reap() has work */

	/* the first walk's directory fds, kept until the first sample is out (open
	 * addressing by group and hierarchy, fd -1 empty, -2 removed): the
	 * first sample opens a file from its group's directory or its parent's
	 * instead of by its path from the mount */
	struct cg_walk_fd *walk_fds;
	unsigned walk_fds_cap, walk_fds_used;

	/* the process lists' gate (sample/procs-gate.h): watch_procs asks the
	 * directory watches of v1 hierarchies for IN_MODIFY too (set before
	 * the second update); then procs_written gets the hierarchies in which
	 * a cgroup.procs or tasks file was written since the gate last looked,
	 * and procs_blind those with a group the watches do not cover (below
	 * --depth) */
	bool watch_procs;
	uint32_t procs_written, procs_blind;

	/* called before a node is freed (the dashboard drops its state), or NULL */
	void (*on_free)(struct cg_node *n, void *userdata);
	void *on_free_data;
};

/* n's name: the last component of its path ("/" for the root). */
static inline const char *cg_node_name(const struct cg_node *n)
{
	return n->path + n->name_off;
}

/* A count of samples, walks or generations as a node keeps it (32 bits:
 * equality, and order through a signed difference, stay right when it
 * wraps). */
static inline uint32_t cg_count32(uint64_t c)
{
	return (uint32_t)c;
}

/* Build the tree for sysroot, showing groups below top_path (kernel naming)
 * down to max_depth levels (-1: all).  Returns 0, -ENOENT when no cgroup
 * filesystem exists, -ESRCH when top_path is no group, or -errno. */
int cg_tree_open(struct cg_tree *t, const char *sysroot, const char *top_path, int max_depth,
		 unsigned fd_budget);
void cg_tree_close(struct cg_tree *t);
/* The kept fds a node holds in itself (cg_node.fdv). */
#define CG_NODE_FDS_IN 2
/* n's kept fds, in slot order (cg_node.fdv). */
static inline const int *cg_node_fds(const struct cg_node *n)
{
	return __builtin_popcount(n->fd_have) > CG_NODE_FDS_IN ? n->fdv.heap : n->fdv.in;
}
/* n's kept fd of slot i (cg_file_fd_slot), -1 none. */
static inline int cg_node_fd(const struct cg_node *n, int i)
{
	if (i < 0 || !((n->fd_have >> i) & 1))
		return -1;
	return cg_node_fds(n)[__builtin_popcount(n->fd_have & ((1u << i) - 1))];
}
/* Keep fd as n's of slot i, which has none (its place made the first time). */
void cg_node_keep_fd(struct cg_node *n, int i, int fd);
/* Close n's kept directory (dfd), if any. */
void cg_node_close_dfd(struct cg_tree *t, struct cg_node *n);
/* n's texts to read: empty ones (data NULL) when none was kept. */
const struct cg_node_text *cg_text(const struct cg_node *n);
/* n's texts to fill, allocated at the first call and kept for its life. */
struct cg_node_text *cg_text_mut(struct cg_node *n);
/* n's rates to read: all null when it has none. */
extern const struct cg_node_rates cg_no_rates;
static inline const struct cg_node_rates *cg_rates(const struct cg_node *n)
{
	return n->rates ? n->rates : &cg_no_rates;
}
/* n's rates to fill, allocated (all null) at the first call and kept for
 * its life. */
struct cg_node_rates *cg_rates_mut(struct cg_node *n);
/* n's effective limit of kind k. */
static inline struct cg_eff_val cg_eff_of(const struct cg_node *n, enum cg_eff_kind k)
{
	struct cg_eff_val r = { false, 0, NULL };
	const struct cg_node_eff *e = n->eff;

	if (e && ((e->have >> k) & 1)) {
		const struct cg_eff_limit *l = &e->l[__builtin_popcount(e->have & ((1u << k) - 1))];
		r.valid = (e->valid >> k) & 1;
		r.v = l->v;
		r.from = l->from;
	}
	return r;
}
/* The slot of n's limit of kind k to fill, made (0, NULL) when it has none
 * and kept for the node's life; valid unchanged (n->eff->valid). */
struct cg_eff_limit *cg_eff_slot(struct cg_node *n, enum cg_eff_kind k);
/* Apply the changes since the last call (inotify, or a full rescan). */
int cg_tree_update(struct cg_tree *t);
/* The directory of n in hierarchy h as the first walk opened it (listed
 * directories only: not a leaf's), until the first sample is out; -1 none. */
int cg_tree_dir_fd(const struct cg_tree *t, const struct cg_node *n, unsigned h);
/* The first sample is out: the first walk's directory fds are closed (a
 * file read later, as the dashboard's rows shown, is opened from the mount;
 * their table is the size of the groups, freed before the first screen
 * draws). */
void cg_tree_first_sampled(struct cg_tree *t);
/* Watch notified file f of n (cg_files[f].tier == CG_TIER_NOTIFY) for
 * IN_MODIFY: 1 when it is watched (already or now), 0 when it cannot be (no
 * inotify yet or any more, not on cgroupfs, out of watches, gone): then it
 * must be read every refresh. */
int cg_tree_watch_file(struct cg_tree *t, struct cg_node *n, enum cg_file f);
/* Whether n's directory in hierarchy h has its inotify watch. */
static inline bool cg_node_watched(const struct cg_tree *t, const struct cg_node *n, unsigned h)
{
	return h < t->hs.n && ((n->wmask >> h) & 1);
}
/* n's notified file of notify slot k has a watch. */
static inline bool cg_node_file_watched(const struct cg_node *n, unsigned k)
{
	return (n->nwatch >> k) & 1;
}
/* Drop the groups that reads found gone (node->vanish_mask), once checked. */
void cg_tree_reap(struct cg_tree *t);
/* The hierarchy whose cgroup.procs gives the process counts where a group
 * exists in all of them (the dashboard's actions pick freezer and kill by it). */
int cg_tasks_hier(const struct cg_hierarchies *hs);
/* The hierarchy whose cgroup.procs gives the process counts of group n: the
 * first one n exists in of memory, pids, cpuacct, cpu, the other v1
 * hierarchies, cgroup2; -1 when none. */
int cg_node_tasks_hier(const struct cg_hierarchies *hs, const struct cg_node *n);
/* Group n is the kernel's root of memory hierarchy h (not a namespace's). */
bool cg_node_is_memory_root(const struct cg_tree *t, const struct cg_node *n, unsigned h);
/* Recompute which hierarchy serves each file of a node: n->src points to the
 * plan of its hierarchies, made the first time a group has them. */
void cg_files_plan(struct cg_hierarchies *hs, struct cg_node *n);
/* The plan of a group in no hierarchy: every file -1. */
extern const int8_t cg_files_no_src[_CGF_MAX];
/* Free the plans (cg_hierarchies_free does). */
void cg_plans_free(struct cg_hierarchies *hs);
/* Path of a node relative to hierarchy h's mount, with an optional file name:
 * "a/b/memory.max", "memory.max" for the mount root, "." for the root itself. */
int cg_node_relpath(const struct cg_tree *t, const struct cg_node *n, unsigned h, const char *file, char *out,
		    size_t size);
struct cg_node *cg_tree_find(const struct cg_tree *t, const char *path);
/* A tree of no hierarchy, for values that come from elsewhere (a recording,
 * column_value() reading node->rec): the root and top_path with its
 * ancestors (hidden), as cg_tree_open makes them.  0 or -ENAMETOOLONG. */
int cg_tree_open_empty(struct cg_tree *t, const char *top_path, int max_depth);
/* The node of path in such a tree, made with its ancestors if missing;
 * NULL when the path is too long. */
struct cg_node *cg_tree_add(struct cg_tree *t, const char *path);
/* Free node n of such a tree with its descendants (on_free called for each);
 * the root, the top and its ancestors stay. */
void cg_tree_remove(struct cg_tree *t, struct cg_node *n);
/* Depth-first, children in name order. */
struct cg_node *cg_tree_next(const struct cg_tree *t, struct cg_node *n);
unsigned cg_node_depth_below_top(const struct cg_tree *t, const struct cg_node *n);

#endif
