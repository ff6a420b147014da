/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * column.c - the column table (see column.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cgroup.h"
#include "column.h"

/* ---- Prometheus families of each column (names carry their units) ---- */

#define G PROM_GAUGE
#define C PROM_COUNTER
static const struct prom_metric prom_tasks[] = {
	{ "cgtop_tasks", G, PS_TASKS, "Processes directly in the group (cgroup.procs)." },
	{ "cgtop_tasks_subtree", G, PS_TASKS_SUBTREE,
	  "Processes in the group and its descendants (cgroup.procs summed over the subtree)." },
	{ 0 },
};
static const struct prom_metric prom_threads[] = {
	{ "cgtop_threads", G, PS_THREADS, "Threads directly in the group (tasks or cgroup.threads)." },
	{ "cgtop_threads_subtree", G, PS_THREADS_SUBTREE,
	  "Threads in the group and its descendants (summed over the subtree)." },
	{ 0 },
};
static const struct prom_metric prom_cpu[] = {
	{ "cgtop_cpu_usage_seconds_total", C, PS_CPU_USAGE,
	  "CPU time used by the group and its descendants (cpuacct.usage or cpu.stat usage_usec)." },
	{ 0 },
};
static const struct prom_metric prom_cpu_time[] = {
	{ "cgtop_cpu_user_seconds_total", C, PS_CPU_USER, "User CPU time of the group (cpuacct.stat or cpu.stat)." },
	{ "cgtop_cpu_system_seconds_total", C, PS_CPU_SYSTEM,
	  "System CPU time of the group (cpuacct.stat or cpu.stat)." },
	{ 0 },
};
static const struct prom_metric prom_throttle[] = {
	{ "cgtop_cpu_periods_total", C, PS_NR_PERIODS, "CFS bandwidth periods elapsed (cpu.stat nr_periods)." },
	{ "cgtop_cpu_throttled_periods_total", C, PS_NR_THROTTLED,
	  "CFS bandwidth periods in which the group was throttled (cpu.stat nr_throttled)." },
	{ "cgtop_cpu_throttled_seconds_total", C, PS_THROTTLED,
	  "Time the group was throttled by its CPU quota (cpu.stat throttled_usec or throttled_time)." },
	{ 0 },
};
static const struct prom_metric prom_cpu_max[] = {
	{ "cgtop_cpu_max_cpus", G, PS_CPU_MAX,
	  "The group's own CPU limit in CPUs (cpu.max, or cpu.cfs_quota_us / cpu.cfs_period_us); absent when unlimited." },
	{ 0 },
};
static const struct prom_metric prom_cpu_limit[] = {
	{ "cgtop_cpu_effective_max_cpus", G, PS_CPU_EFF,
	  "Effective CPU limit in CPUs: the smallest on the path to the root; absent when unlimited." },
	{ 0 },
};
static const struct prom_metric prom_cpuset[] = {
	{ "cgtop_cpuset_effective_cpus", G, PS_CPUSET_EFF_CPUS,
	  "CPUs the group may run on (cpuset.cpus.effective or cpuset.effective_cpus)." },
	{ "cgtop_cpuset_info", G, PS_CPUSET_INFO,
	  "The group's cpuset as the kernel lists it: labels cpus (its own, empty when not set) and effective_cpus." },
	{ 0 },
};
static const struct prom_metric prom_memory[] = {
	{ "cgtop_memory_current_bytes", G, PS_MEM_CURRENT,
	  "Memory in use by the group and its descendants (memory.current or memory.usage_in_bytes)." },
	{ 0 },
};
static const struct prom_metric prom_mem_max[] = {
	{ "cgtop_memory_max_bytes", G, PS_MEM_MAX,
	  "The group's own memory limit (memory.max or memory.limit_in_bytes); absent when unlimited." },
	{ 0 },
};
static const struct prom_metric prom_mem_limit[] = {
	{ "cgtop_memory_effective_max_bytes", G, PS_MEM_EFF,
	  "Effective memory limit: the smallest on the path to the root; absent when unlimited." },
	{ 0 },
};
static const struct prom_metric prom_mem_high[] = {
	{ "cgtop_memory_high_bytes", G, PS_MEM_HIGH,
	  "The group's own memory.high (v2), where the kernel starts to throttle and reclaim; absent when unlimited." },
	{ 0 },
};
static const struct prom_metric prom_mem_high_limit[] = {
	{ "cgtop_memory_effective_high_bytes", G, PS_MEM_HIGH_EFF,
	  "Effective memory.high: the smallest on the path to the root; absent when unlimited." },
	{ 0 },
};
static const struct prom_metric prom_mem_peak[] = {
	{ "cgtop_memory_peak_bytes", G, PS_MEM_PEAK,
	  "Peak memory use (memory.peak or memory.max_usage_in_bytes)." },
	{ 0 },
};
static const struct prom_metric prom_swap[] = {
	{ "cgtop_memory_swap_bytes", G, PS_SWAP, "Swap in use (memory.swap.current, or memsw minus memory on v1)." },
	{ 0 },
};
static const struct prom_metric prom_failcnt[] = {
	{ "cgtop_memory_failcnt_total", C, PS_FAILCNT,
	  "Times the memory limit was hit (memory.failcnt, or memory.events max)." },
	{ 0 },
};
static const struct prom_metric prom_oom[] = {
	{ "cgtop_memory_oom_kills_total", C, PS_OOM_KILLS,
	  "Processes of the group itself killed by the OOM killer (memory.events.local or v1 memory.oom_control oom_kill)." },
	{ "cgtop_memory_oom_kills_subtree_total", C, PS_OOM_KILLS_SUBTREE,
	  "Processes of the group and its descendants killed by the OOM killer (memory.events oom_kill; v1: summed)." },
	{ "cgtop_memory_under_oom", G, PS_UNDER_OOM, "1 while the group is under OOM (v1 memory.oom_control)." },
	{ 0 },
};
static const struct prom_metric prom_pids[] = {
	{ "cgtop_pids_current", G, PS_PIDS_CURRENT, "Tasks counted by the pids controller (pids.current)." },
	{ 0 },
};
static const struct prom_metric prom_pids_max[] = {
	{ "cgtop_pids_max", G, PS_PIDS_MAX, "The group's own pids limit (pids.max); absent when unlimited." },
	{ 0 },
};
static const struct prom_metric prom_pids_limit[] = {
	{ "cgtop_pids_effective_max", G, PS_PIDS_EFF,
	  "Effective pids limit: the smallest on the path to the root; absent when unlimited." },
	{ 0 },
};
static const struct prom_metric prom_rejected[] = {
	{ "cgtop_pids_rejected_total", C, PS_PIDS_REJECTED, "Forks rejected by the pids limit (pids.events max)." },
	{ 0 },
};
static const struct prom_metric prom_io_read[] = {
	{ "cgtop_io_read_bytes_total", C, PS_IO_RBYTES, "Bytes read from block devices (io.stat or blkio)." },
	{ "cgtop_io_read_operations_total", C, PS_IO_RIOS, "Read operations on block devices (io.stat or blkio)." },
	{ 0 },
};
static const struct prom_metric prom_io_write[] = {
	{ "cgtop_io_write_bytes_total", C, PS_IO_WBYTES, "Bytes written to block devices (io.stat or blkio)." },
	{ "cgtop_io_write_operations_total", C, PS_IO_WIOS,
	  "Write operations on block devices (io.stat or blkio)." },
	{ 0 },
};
static const struct prom_metric prom_psi[] = {
	{ "cgtop_pressure_cpu_some_seconds_total", C, PS_PSI_CPU_SOME,
	  "Time some tasks of the group were stalled waiting for CPU (cpu.pressure some total)." },
	{ "cgtop_pressure_cpu_full_seconds_total", C, PS_PSI_CPU_FULL,
	  "Time all tasks of the group were stalled waiting for CPU (cpu.pressure full total)." },
	{ "cgtop_pressure_memory_some_seconds_total", C, PS_PSI_MEM_SOME,
	  "Time some tasks of the group were stalled waiting for memory (memory.pressure some total)." },
	{ "cgtop_pressure_memory_full_seconds_total", C, PS_PSI_MEM_FULL,
	  "Time all tasks of the group were stalled waiting for memory (memory.pressure full total)." },
	{ "cgtop_pressure_io_some_seconds_total", C, PS_PSI_IO_SOME,
	  "Time some tasks of the group were stalled waiting for I/O (io.pressure some total)." },
	{ "cgtop_pressure_io_full_seconds_total", C, PS_PSI_IO_FULL,
	  "Time all tasks of the group were stalled waiting for I/O (io.pressure full total)." },
	{ 0 },
};
static const struct prom_metric prom_events[] = {
	{ "cgtop_kmsg_oom_kills_total", C, PS_KMSG_OOM,
	  "OOM kills of the group's own processes the kernel log reported since cgtop started." },
	{ "cgtop_kmsg_fork_rejections_total", C, PS_KMSG_FORK,
	  "Fork rejections in the group the kernel log reported since cgtop started." },
	{ "cgtop_last_oom_victim_info", G, PS_LAST_VICTIM,
	  "The last process of the group the kernel log reported OOM-killed since cgtop started." },
	{ 0 },
};

const struct prom_metric prom_global[] = {
	{ "cgtop_up", G, PS_UP, "1 when cgtop read the cgroup tree for this exposition." },
	{ "cgtop_groups", G, PS_GROUPS, "Groups in this exposition." },
	{ "cgtop_kmsg_readable", G, PS_KMSG_READABLE,
	  "1 when cgtop reads the kernel log (/dev/kmsg), 0 when it may not (kmsg counters absent)." },
	{ "cgtop_refresh_duration_seconds", G, PS_REFRESH_DURATION,
	  "Time the last refresh took to read the cgroup tree (0 under CGTOP_TEST_CLOCK)." },
	{ "cgtop_last_refresh_timestamp_seconds", G, PS_REFRESH_TIME,
	  "Unix time of the last refresh, whose numbers this exposition gives." },
	{ 0 },
};
#undef G
#undef C

const struct column columns[_COL_MAX] = {
	[COL_TASKS] = { "tasks", "Tasks", 6, NEED_TASKS, "tasks tasks_subtree",
			"processes in the group and its descendants (--recursive=no: in the group itself)",
		.prom = prom_tasks },
	[COL_THREADS] = { "threads", "Threads", 7, NEED_THREADS, "threads threads_subtree",
			  "threads in the group and its descendants (--recursive=no: in the group itself)",
		.prom = prom_threads },
	[COL_CPU] = { "cpu", "%CPU", 6, NEED_CPU, "cpu_usage_usec cpu_percent",
		      "CPU used over the interval, in % of one CPU; cumulative usage",
		.prom = prom_cpu },
	[COL_CPU_TIME] = { "cpu_time", "User+Sys", 10, NEED_CPU_SPLIT, "cpu_user_usec cpu_system_usec",
			   "cumulative user and system CPU time",
		.prom = prom_cpu_time },
	[COL_THROTTLE] = { "throttle", "Thrtl", 6, NEED_THROTTLE,
			   "cpu_nr_periods cpu_nr_throttled cpu_throttled_usec cpu_throttled_percent",
			   "% of the CFS periods of the interval in which a CPU quota throttled the group",
		.prom = prom_throttle },
	[COL_CPU_MAX] = { "cpu_max", "CpuMax", 6, NEED_CPU_LIMIT, "cpu_max",
			  "the group's own CPU limit in CPUs (quota / period)",
		.prom = prom_cpu_max },
	[COL_CPU_LIMIT] = { "cpu_limit", "CpuLim", 6, NEED_CPU_LIMIT, "cpu_effective_max cpu_effective_max_from",
			    "effective CPU limit: the smallest on the path to the root",
		.prom = prom_cpu_limit },
	[COL_CPUSET] = { "cpuset", "CPUs", 6, NEED_CPUSET, "cpuset_cpus cpuset_cpus_effective",
			 "the CPUs the group may run on (the cpuset's effective list)",
		.prom = prom_cpuset },
	[COL_MEMORY] = { "memory", "Memory", 8, NEED_MEM, "memory_current_bytes", "memory in use",
		.prom = prom_memory },
	[COL_MEM_MAX] = { "mem_max", "MemMax", 8, NEED_MEM_LIMIT, "memory_max_bytes",
			  "the group's own memory limit",
		.prom = prom_mem_max },
	[COL_MEM_LIMIT] = { "mem_limit", "MemLimit", 8, NEED_MEM_LIMIT,
			    "memory_effective_max_bytes memory_effective_max_from",
			    "effective memory limit: the smallest on the path to the root",
		.prom = prom_mem_limit },
	[COL_MEM_HIGH] = { "mem_high", "MemHigh", 8, NEED_MEM_LIMIT, "memory_high_bytes",
			   "the group's own memory.high (v2), where the kernel throttles and reclaims",
		.prom = prom_mem_high },
	[COL_MEM_HIGH_LIMIT] = { "mem_high_limit", "HighLim", 8, NEED_MEM_LIMIT,
				 "memory_effective_high_bytes memory_effective_high_from",
				 "effective memory.high: the smallest on the path to the root",
		.prom = prom_mem_high_limit },
	[COL_MEM_PCT] = { "mem_pct", "Mem%", 6, NEED_MEM | NEED_MEM_LIMIT,
			  "memory_percent_of_limit memory_percent_of",
			  "memory in use, in % of the smaller effective limit of memory.max and memory.high" },
	[COL_MEM_PEAK] = { "mem_peak", "Peak", 8, NEED_MEM_PEAK, "memory_peak_bytes", "peak memory use",
		.prom = prom_mem_peak },
	[COL_SWAP] = { "swap", "Swap", 8, NEED_MEM | NEED_SWAP, "memory_swap_bytes", "swap in use",
		.prom = prom_swap },
	[COL_FAILCNT] = { "failcnt", "Failcnt", 8, NEED_MEM_EVENTS, "memory_failcnt memory_events",
			  "v1 failcnt, or v2 memory.events max: times the limit was hit",
		.prom = prom_failcnt },
	[COL_OOM] = { "oom", "OOM", 5, NEED_MEM_EVENTS,
		      "memory_oom_kills memory_oom_kills_subtree memory_under_oom memory_oom_control",
		      "processes of the group itself killed by the OOM killer",
		.prom = prom_oom },
	[COL_MEM_STAT] = { "mem_stat", NULL, 0, NEED_MEM_STAT, "memory_stat", "the memory.stat map" },
	[COL_PIDS] = { "pids", "Pids", 6, NEED_PIDS, "pids_current", "tasks counted by the pids controller",
		.prom = prom_pids },
	[COL_PIDS_MAX] = { "pids_max", "PidsMax", 7, NEED_PIDS_LIMIT, "pids_max", "the group's own pids limit",
		.prom = prom_pids_max },
	[COL_PIDS_LIMIT] = { "pids_limit", "PidsLim", 7, NEED_PIDS_LIMIT,
			     "pids_effective_max pids_effective_max_from", "effective pids limit",
		.prom = prom_pids_limit },
	[COL_PIDS_REJECTED] = { "rejected", "Rejected", 8, NEED_PIDS_EVENTS, "pids_rejected",
				"forks rejected by the pids limit",
		.prom = prom_rejected },
	[COL_IO_READ] = { "io_read", "Input/s", 8, NEED_IO,
			  "io_read_bytes io_read_bytes_per_sec io_read_ios io_read_ios_per_sec",
			  "bytes read per second",
		.prom = prom_io_read },
	[COL_IO_WRITE] = { "io_write", "Output/s", 8, NEED_IO,
			   "io_write_bytes io_write_bytes_per_sec io_write_ios io_write_ios_per_sec",
			   "bytes written per second",
		.prom = prom_io_write },
	[COL_PSI] = { "psi", "MemPSI", 6, NEED_PSI, "psi", "memory pressure, some avg10 (%)",
		.prom = prom_psi },
	[COL_EVENTS] = { "events", "Kills", 5, NEED_EVENTS,
			 "oom_kills_since_start pids_rejected_since_start kmsg_oom_kills kmsg_fork_rejections",
			 "OOM kills of the group's own processes since cgtop started",
		.prom = prom_events },
};

const enum col_id columns_text_default[] = {
	COL_TASKS, COL_CPU, COL_MEMORY, COL_MEM_LIMIT, COL_PIDS, COL_IO_READ, COL_IO_WRITE,
};
const unsigned columns_text_default_n = sizeof(columns_text_default) / sizeof(columns_text_default[0]);

int columns_parse(const char *list, bool sel[_COL_MAX], unsigned *order, unsigned *n, const char **ret_bad)
{
	static char bad[64];
	const char *p = list;

	memset(sel, 0, sizeof(bool) * _COL_MAX);
	*n = 0;
	while (*p) {
		const char *w = p;
		size_t len;
		int found = -1;

		while (*p && *p != ',')
			p++;
		len = p - w;
		for (int c = 0; c < _COL_MAX; c++)
			if (strlen(columns[c].key) == len && memcmp(columns[c].key, w, len) == 0)
				found = c;
		if (found < 0) {
			snprintf(bad, sizeof(bad), "%.*s", (int)(len < 60 ? len : 60), w);
			*ret_bad = bad;
			return -EINVAL;
		}
		if (!sel[found]) {
			sel[found] = true;
			order[(*n)++] = found;
		}
		if (*p == ',')
			p++;
	}
	if (!*n) {
		*ret_bad = "";
		return -EINVAL;
	}
	return 0;
}

unsigned columns_needs(const bool sel[_COL_MAX])
{
	unsigned needs = 0;

	for (int c = 0; c < _COL_MAX; c++)
		if (sel[c])
			needs |= columns[c].needs;
	return needs;
}
