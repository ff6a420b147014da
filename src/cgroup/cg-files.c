/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cg-files.c - the kernel facts in one place: which cgroupfs file holds which
 * number in v1 and in v2, and for a given group which hierarchy serves each
 * file.  Where a group exists both in a v1 hierarchy that has a controller and
 * in cgroup2 (a hybrid host), the v1 controller is the one that accounts, so
 * it wins; cgroup2 then serves only its core files (pressure, cpu.stat).
 *
 * A group's processes are counted in the first hierarchy it exists in (memory,
 * pids, cpuacct, cpu, the other v1 ones, cgroup2), so a group made in one v1
 * hierarchy alone still has its processes.  On v1 cgroup.procs and tasks are
 * served from a pid list the kernel makes at the first read after open() and
 * reuses for later reads of the same open file until it has been unused for a
 * second (kernel/cgroup/cgroup-v1.c, cgroup_pidlist_start(), 3.14 to 6.18 at
 * least; older kernels kept it for as long as the file was open): a kept fd
 * read every second or faster counts the same processes forever, so these
 * files are opened anew for every read there.
 * v2 walks the group's tasks at every read from offset 0.
 * The files written (limits, freeze, kill, cgroup.procs) are in cg_knobs, by
 * what they do, with their v1 and v2 names.
 *
 * Tiers (enum cg_tier).  v2 memory.events, memory.events.local, pids.events
 * and pids.events.local are notified: the kernel calls cgroup_file_notify()
 * at every count it adds to them (memcg_memory_event() in
 * include/linux/memcontrol.h since 4.5 and 5.2, pids_event() in
 * kernel/cgroup/pids.c since 4.7 and 6.14; read in 6.18), and kernfs_notify()
 * turns that into an inotify IN_MODIFY on the file, from a work item queued at
 * once.  With cgroup2's pids_localevents (6.14+) pids.events shows the local
 * count and 6.14 to 6.18 notify only pids.events.local then, so pids.events
 * is also re-read when that one's watch fires (sampler.c).  Gaps: since 6.18
 * a memory.events "max" counted where the kernel may not sleep
 * (__memcg_memory_event() with !allow_spinning, BPF allocations) is not
 * notified, and notifications can be lost (queue overflow), so the notified
 * files are re-read on the slow tier too.  v1 raises nothing usable: memcg's
 * events_file is bound in the v2 file set only (failcnt and oom_control never
 * notify), v1 pids.events was notified before 6.14 but not from 6.14 to 6.18
 * (pids_event() notifies only the events.local file v1 lacks; seen on 6.18),
 * and cgroup.event_control's eventfd OOM notification says a group entered
 * OOM, before oom_control's oom_kill is counted, at the cost of an eventfd and
 * a registration per group: the v1 counters are read every refresh.  Limits
 * and cpusets raise nothing either but change only when written: the slow
 * tier.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "base/macro.h"

const struct cg_file_spec cg_files[_CGF_MAX] = {
	[CGF_PROCS] = { "cgroup.procs", CTRL_NONE, false, NEED_TASKS, true, .v1_reopen = true },
	[CGF_THREADS] = { "tasks", CTRL_NONE, false, NEED_THREADS, false, .v1_reopen = true },
	[CGF_CPUACCT_USAGE] = { "cpuacct.usage", CTRL_CPUACCT, false, NEED_CPU, true },
	[CGF_CPUACCT_STAT] = { "cpuacct.stat", CTRL_CPUACCT, false, NEED_CPU_SPLIT, false },
	[CGF_CPU_STAT_V1] = { "cpu.stat", CTRL_CPU, false, NEED_THROTTLE, false },
	[CGF_CPU_STAT_V2] = { "cpu.stat", CTRL_NONE, true, NEED_CPU | NEED_CPU_SPLIT | NEED_THROTTLE, true },
	[CGF_MEM_USAGE_V1] = { "memory.usage_in_bytes", CTRL_MEMORY, false, NEED_MEM, true },
	[CGF_MEM_LIMIT_V1] = { "memory.limit_in_bytes", CTRL_MEMORY, false, NEED_MEM_LIMIT, false,
			       .tier = CG_TIER_SLOW },
	[CGF_MEM_MAXUSAGE_V1] = { "memory.max_usage_in_bytes", CTRL_MEMORY, false, NEED_MEM_PEAK, false },
	[CGF_MEMSW_USAGE_V1] = { "memory.memsw.usage_in_bytes", CTRL_MEMORY, false, NEED_SWAP, false },
	[CGF_MEM_FAILCNT_V1] = { "memory.failcnt", CTRL_MEMORY, false, NEED_MEM_EVENTS, false },
	[CGF_MEM_OOMCTL_V1] = { "memory.oom_control", CTRL_MEMORY, false, NEED_MEM_EVENTS | NEED_EVENTS,
				false },
	[CGF_MEM_STAT_V1] = { "memory.stat", CTRL_MEMORY, false, NEED_MEM_STAT, false },
	[CGF_MEM_CURRENT_V2] = { "memory.current", CTRL_MEMORY, true, NEED_MEM, true },
	[CGF_MEM_MAX_V2] = { "memory.max", CTRL_MEMORY, true, NEED_MEM_LIMIT, false, .tier = CG_TIER_SLOW },
	[CGF_MEM_PEAK_V2] = { "memory.peak", CTRL_MEMORY, true, NEED_MEM_PEAK, false },
	[CGF_MEM_SWAP_V2] = { "memory.swap.current", CTRL_MEMORY, true, NEED_SWAP, false },
	[CGF_MEM_EVENTS_V2] = { "memory.events", CTRL_MEMORY, true, NEED_MEM_EVENTS | NEED_EVENTS, false,
				.tier = CG_TIER_NOTIFY, .notify_slot = 0 },
	[CGF_MEM_STAT_V2] = { "memory.stat", CTRL_MEMORY, true, NEED_MEM_STAT, false },
	[CGF_PIDS_CURRENT] = { "pids.current", CTRL_PIDS, false, NEED_PIDS, false },
	[CGF_PIDS_MAX] = { "pids.max", CTRL_PIDS, false, NEED_PIDS_LIMIT, false, .tier = CG_TIER_SLOW },
	[CGF_PIDS_EVENTS] = { "pids.events", CTRL_PIDS, false, NEED_PIDS_EVENTS | NEED_EVENTS, false },
	[CGF_PIDS_CURRENT_V2] = { "pids.current", CTRL_PIDS, true, NEED_PIDS, false },
	[CGF_PIDS_MAX_V2] = { "pids.max", CTRL_PIDS, true, NEED_PIDS_LIMIT, false, .tier = CG_TIER_SLOW },
	[CGF_PIDS_EVENTS_V2] = { "pids.events", CTRL_PIDS, true, NEED_PIDS_EVENTS | NEED_EVENTS, false,
				 .tier = CG_TIER_NOTIFY, .notify_slot = 1 },
	/* local counters for events (events.c): v2 memory.events counts the
	 * subtree, memory.events.local (5.2+) the group itself */
	[CGF_MEM_EVENTS_LOCAL_V2] = { "memory.events.local", CTRL_MEMORY, true, NEED_MEM_EVENTS | NEED_EVENTS,
				      false, .tier = CG_TIER_NOTIFY, .notify_slot = 2 },
	[CGF_PIDS_EVENTS_LOCAL_V2] = { "pids.events.local", CTRL_PIDS, true, NEED_EVENTS, false,
				       .tier = CG_TIER_NOTIFY, .notify_slot = 3 },
	/* I/O bytes are in the default columns and change with every write:
	 * hot, as CPU and memory are */
	[CGF_IO_STAT_V2] = { "io.stat", CTRL_IO, true, NEED_IO | NEED_IO_OPS, true },
	/* the _recursive files, because v2 io.stat counts the subtree too */
	[CGF_BLKIO_BYTES_V1] = { "blkio.throttle.io_service_bytes_recursive", CTRL_BLKIO, false, NEED_IO,
				 true },
	[CGF_BLKIO_IOS_V1] = { "blkio.throttle.io_serviced_recursive", CTRL_BLKIO, false, NEED_IO_OPS,
			       false },
	[CGF_PSI_CPU] = { "cpu.pressure", CTRL_NONE, true, NEED_PSI, false },
	[CGF_PSI_MEM] = { "memory.pressure", CTRL_NONE, true, NEED_PSI | NEED_PSI_MEM, false },
	[CGF_PSI_IO] = { "io.pressure", CTRL_NONE, true, NEED_PSI, false },
	/* v1 has no memory.high (memory.soft_limit_in_bytes only steers reclaim) */
	[CGF_MEM_HIGH_V2] = { "memory.high", CTRL_MEMORY, true, NEED_MEM_LIMIT, false, .tier = CG_TIER_SLOW },
	[CGF_CPU_QUOTA_V1] = { "cpu.cfs_quota_us", CTRL_CPU, false, NEED_CPU_LIMIT, false,
			       .tier = CG_TIER_SLOW },
	[CGF_CPU_PERIOD_V1] = { "cpu.cfs_period_us", CTRL_CPU, false, NEED_CPU_LIMIT, false,
				.tier = CG_TIER_SLOW },
	[CGF_CPU_MAX_V2] = { "cpu.max", CTRL_CPU, true, NEED_CPU_LIMIT, false, .tier = CG_TIER_SLOW },
	/* the effective list changes with the parent's and with CPU hotplug,
	 * which notify nothing either */
	[CGF_CPUSET_CPUS_V1] = { "cpuset.cpus", CTRL_CPUSET, false, NEED_CPUSET, false,
				 .tier = CG_TIER_SLOW },
	[CGF_CPUSET_EFF_V1] = { "cpuset.effective_cpus", CTRL_CPUSET, false, NEED_CPUSET, false,
				.tier = CG_TIER_SLOW },
	[CGF_CPUSET_CPUS_V2] = { "cpuset.cpus", CTRL_CPUSET, true, NEED_CPUSET, false, .tier = CG_TIER_SLOW },
	[CGF_CPUSET_EFF_V2] = { "cpuset.cpus.effective", CTRL_CPUSET, true, NEED_CPUSET, false,
				.tier = CG_TIER_SLOW },
	/* hugetlb.<size>.usage_in_bytes (v1) and hugetlb.<size>.current (v2,
	 * 5.6+): the controller makes one file per huge page size the kernel
	 * has (mm/hugetlb_cgroup.c), each charged for its pages of the group
	 * and its descendants */
	[CGF_HUGETLB_V1] = { "usage_in_bytes", CTRL_HUGETLB, false, NEED_HUGETLB, false,
			     .per_page_size = true },
	[CGF_HUGETLB_V2] = { "current", CTRL_HUGETLB, true, NEED_HUGETLB, false, .per_page_size = true },
};

/* Only the files of the every-refresh tier keep an fd (sampler.c): a
 * group's array of those alone is 25 ints where one for every file took 43
 * (a kept fd each for thousands of groups). */
static int8_t fd_slot[_CGF_MAX];
static unsigned fd_slots;

static void fd_slots_init(void)
{
	if (fd_slots)
		return;
	for (int f = 0; f < _CGF_MAX; f++)
		fd_slot[f] = cg_files[f].tier == CG_TIER_EVERY && !cg_files[f].per_page_size && fd_slots < 32
				     ? (int8_t)fd_slots++
				     : -1; /* cg_node.fd_have has 32 bits */
}

int cg_file_fd_slot(enum cg_file f)
{
	fd_slots_init();
	return fd_slot[f];
}

unsigned cg_file_fd_slots(void)
{
	fd_slots_init();
	return fd_slots;
}

const struct cg_knob_spec cg_knobs[_KNOB_MAX] = {
	[KNOB_MEM_MAX] = { "memory.limit_in_bytes", "memory.max", CTRL_MEMORY },
	[KNOB_MEM_HIGH] = { "memory.soft_limit_in_bytes", "memory.high", CTRL_MEMORY },
	[KNOB_MEMSW_MAX] = { "memory.memsw.limit_in_bytes", NULL, CTRL_MEMORY },
	[KNOB_SWAP_MAX] = { NULL, "memory.swap.max", CTRL_MEMORY },
	[KNOB_SWAPPINESS] = { "memory.swappiness", NULL, CTRL_MEMORY },
	[KNOB_PIDS_MAX] = { "pids.max", "pids.max", CTRL_PIDS },
	[KNOB_CPU_MAX] = { NULL, "cpu.max", CTRL_CPU },
	[KNOB_CPU_QUOTA] = { "cpu.cfs_quota_us", NULL, CTRL_CPU },
	[KNOB_CPU_PERIOD] = { "cpu.cfs_period_us", NULL, CTRL_CPU },
	[KNOB_CPUSET_CPUS] = { "cpuset.cpus", "cpuset.cpus", CTRL_CPUSET },
	[KNOB_CPUSET_MEMS] = { "cpuset.mems", "cpuset.mems", CTRL_CPUSET },
	[KNOB_FREEZE] = { "freezer.state", "cgroup.freeze", CTRL_FREEZER },
	[KNOB_KILL] = { NULL, "cgroup.kill", CTRL_NONE },
	[KNOB_PROCS] = { "cgroup.procs", "cgroup.procs", CTRL_NONE },
	[KNOB_CONTROLLERS] = { NULL, "cgroup.controllers", CTRL_NONE },
	[KNOB_SUBTREE_CONTROL] = { NULL, "cgroup.subtree_control", CTRL_NONE },
};

const char *cg_knob_name(enum cg_knob_id k, bool v2)
{
	return v2 ? cg_knobs[k].v2 : cg_knobs[k].v1;
}

int cg_hugetlb_size_name(const char *entry, char *out, size_t size)
{
	static const char prefix[] = "hugepages-";
	const char *p = entry + sizeof(prefix) - 1;
	uint64_t kb = 0;

	if (strncmp(entry, prefix, sizeof(prefix) - 1) != 0 || *p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (kb > UINT64_MAX / 10 - 9)
			return -EINVAL;
		kb = kb * 10 + (uint64_t)(*p - '0');
	}
	if (strcmp(p, "kB") != 0 || !kb)
		return -EINVAL;
	/* mm/hugetlb_cgroup.c mem_fmt(): whole GB, else whole MB, else KB */
	if (kb >= 1024 * 1024)
		snprintf(out, size, "%" PRIu64 "GB", kb / (1024 * 1024));
	else if (kb >= 1024)
		snprintf(out, size, "%" PRIu64 "MB", kb / 1024);
	else
		snprintf(out, size, "%" PRIu64 "KB", kb);
	return 0;
}

/* /sys/kernel/mm/hugepages lists one directory per huge page size (hstate)
 * the kernel has, which are the sizes the hugetlb controller makes files for
 * in v1 and in v2 alike; the v2 root group has none of those files to list. */
unsigned cg_hugetlb_sizes(const char *sysroot, char names[][CG_HUGETLB_NAME], unsigned max)
{
	_cleanup_closedir_ DIR *d = NULL;
	char path[PATH_MAX];
	struct dirent *de;
	unsigned n = 0;

	snprintf(path, sizeof(path), "%s/sys/kernel/mm/hugepages", sysroot);
	d = opendir(path);
	if (!d)
		return 0;
	while (n < max && (de = readdir(d)))
		if (cg_hugetlb_size_name(de->d_name, names[n], CG_HUGETLB_NAME) == 0)
			n++;
	return n;
}

int cg_file_name_sized(enum cg_file f, const char *page_size, char *out, size_t size)
{
	int r = snprintf(out, size, "hugetlb.%s.%s", page_size, cg_files[f].name);

	return r < 0 || (size_t)r >= size ? -ENAMETOOLONG : 0;
}

static bool in_hier(const struct cg_node *n, int h)
{
	return h >= 0 && (n->hmask & (1u << h));
}

/* memory first (processes sit next to the memory they use), then the
 * controllers every busy host mounts, then any v1 hierarchy, then cgroup2 */
static const enum cg_ctrl tasks_order[] = { CTRL_MEMORY, CTRL_PIDS, CTRL_CPUACCT, CTRL_CPU };

int cg_tasks_hier(const struct cg_hierarchies *hs)
{
	for (unsigned i = 0; i < sizeof(tasks_order) / sizeof(tasks_order[0]); i++)
		if (hs->by_ctrl[tasks_order[i]] >= 0)
			return hs->by_ctrl[tasks_order[i]];
	if (hs->v2 >= 0)
		return hs->v2;
	return hs->n ? 0 : -1;
}

int cg_node_tasks_hier(const struct cg_hierarchies *hs, const struct cg_node *n)
{
	for (unsigned i = 0; i < sizeof(tasks_order) / sizeof(tasks_order[0]); i++)
		if (in_hier(n, hs->by_ctrl[tasks_order[i]]))
			return hs->by_ctrl[tasks_order[i]];
	for (unsigned h = 0; h < hs->n; h++)
		if (!hs->h[h].v2 && in_hier(n, (int)h))
			return (int)h;
	return in_hier(n, hs->v2) ? hs->v2 : -1;
}

const int8_t cg_files_no_src[_CGF_MAX] = { [0 ... _CGF_MAX - 1] = -1 };

/* A plan depends on the hierarchies of the group alone (hmask), and a tree
 * has a handful of those: each group points to its plan, where a copy per
 * group took 43 bytes of each. */
struct cg_plan {
	struct cg_plan *next;
	uint32_t hmask;
	int8_t src[_CGF_MAX];
};

void cg_plans_free(struct cg_hierarchies *hs)
{
	while (hs->plans) {
		struct cg_plan *p = hs->plans;
		hs->plans = p->next;
		free(p);
	}
}

static void plan(const struct cg_hierarchies *hs, const struct cg_node *n, int8_t *src);

void cg_files_plan(struct cg_hierarchies *hs, struct cg_node *n)
{
	struct cg_plan **pp, *p;

	for (pp = &hs->plans; (p = *pp); pp = &p->next)
		if (p->hmask == n->hmask) {
			/* most recently used first: a walk meets one set of
			 * hierarchies after another */
			*pp = p->next;
			p->next = hs->plans;
			hs->plans = p;
			n->src = p->src;
			return;
		}
	p = xmalloc(sizeof(*p));
	p->hmask = n->hmask;
	plan(hs, n, p->src);
	p->next = hs->plans;
	hs->plans = p;
	n->src = p->src;
}

static void plan(const struct cg_hierarchies *hs, const struct cg_node *n, int8_t *src)
{
	bool v1_mem = in_hier(n, hs->by_ctrl[CTRL_MEMORY]);
	bool v1_cpu = in_hier(n, hs->by_ctrl[CTRL_CPUACCT]) || in_hier(n, hs->by_ctrl[CTRL_CPU]);
	bool v1_pids = in_hier(n, hs->by_ctrl[CTRL_PIDS]);
	bool v1_io = in_hier(n, hs->by_ctrl[CTRL_BLKIO]);
	int th = cg_node_tasks_hier(hs, n);

	for (int f = 0; f < _CGF_MAX; f++) {
		const struct cg_file_spec *s = &cg_files[f];
		int h = -1;

		if (f == CGF_PROCS || f == CGF_THREADS) {
			h = th;
		} else if (!s->v2) {
			h = in_hier(n, hs->by_ctrl[s->ctrl]) ? hs->by_ctrl[s->ctrl] : -1;
		} else if (in_hier(n, hs->v2)) {
			const struct cg_hier *v2 = &hs->h[hs->v2];
			h = hs->v2;
			if (s->ctrl != CTRL_NONE && !(v2->ctrl_mask & (1u << s->ctrl)))
				h = -1;
			if ((s->ctrl == CTRL_MEMORY && v1_mem) || (s->ctrl == CTRL_PIDS && v1_pids) ||
			    (s->ctrl == CTRL_IO && v1_io) || (f == CGF_CPU_STAT_V2 && v1_cpu))
				h = -1;
		}
		src[f] = (int8_t)h;
	}
}

/* Whether group n is the kernel's root of memory hierarchy h, not the root of
 * a cgroup namespace or of a mounted subtree (a container's "/"): only a v1
 * hierarchy's root has release_agent, and a v2 root has no memory.current. */
bool cg_node_is_memory_root(const struct cg_tree *t, const struct cg_node *n, unsigned h)
{
	char rel[PATH_MAX];
	bool v2 = t->hs.h[h].v2;

	if (cg_node_relpath(t, n, h, v2 ? "memory.current" : "release_agent", rel, sizeof(rel)) < 0)
		return false;
	return (faccessat(t->hs.h[h].root_fd, rel, F_OK, 0) == 0) != v2;
}
