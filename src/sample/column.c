/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * column.c - the column table (see column.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cgroup/cgroup.h"
#include "sample/column.h"

/* ---- the values of each column: JSON keys and Prometheus families (names
 * carry their units), in output order ---- */

#define G PROM_GAUGE
#define C PROM_COUNTER
/* in JSON only, in Prometheus only, in both */
#define J(key, val, kind)                                                                                    \
	{                                                                                                    \
		key, val, kind, NULL, PROM_GAUGE, NULL                                                       \
	}
#define P(val, kind, name, type, help)                                                                       \
	{                                                                                                    \
		NULL, val, kind, name, type, help                                                            \
	}
#define JP(key, val, kind, name, type, help)                                                                 \
	{                                                                                                    \
		key, val, kind, name, type, help                                                             \
	}
#define END                                                                                                  \
	{                                                                                                    \
		NULL, 0, 0, NULL, PROM_GAUGE, NULL                                                           \
	}

static const struct col_field f_tasks[] = {
	JP("tasks", V_TASKS, CK_COUNT, "cgtop_tasks", G, "Processes directly in the group (cgroup.procs)."),
	JP("tasks_subtree", V_TASKS_SUBTREE, CK_COUNT, "cgtop_tasks_subtree", G,
	   "Processes in the group and its descendants (cgroup.procs summed over the subtree)."),
	END,
};
static const struct col_field f_threads[] = {
	JP("threads", V_THREADS, CK_COUNT, "cgtop_threads", G,
	   "Threads directly in the group (tasks or cgroup.threads)."),
	JP("threads_subtree", V_THREADS_SUBTREE, CK_COUNT, "cgtop_threads_subtree", G,
	   "Threads in the group and its descendants (summed over the subtree)."),
	END,
};
static const struct col_field f_cpu[] = {
	JP("cpu_usage_usec", V_CPU_USAGE, CK_USEC, "cgtop_cpu_usage_seconds_total", C,
	   "CPU time used by the group and its descendants (cpuacct.usage or cpu.stat usage_usec)."),
	J("cpu_percent", CV_CPU_PERCENT, CK_PERCENT),
	END,
};
static const struct col_field f_cpu_time[] = {
	JP("cpu_user_usec", V_CPU_USER, CK_USEC, "cgtop_cpu_user_seconds_total", C,
	   "User CPU time of the group (cpuacct.stat or cpu.stat)."),
	JP("cpu_system_usec", V_CPU_SYSTEM, CK_USEC, "cgtop_cpu_system_seconds_total", C,
	   "System CPU time of the group (cpuacct.stat or cpu.stat)."),
	END,
};
static const struct col_field f_throttle[] = {
	JP("cpu_nr_periods", V_NR_PERIODS, CK_COUNT, "cgtop_cpu_periods_total", C,
	   "CFS bandwidth periods elapsed (cpu.stat nr_periods)."),
	JP("cpu_nr_throttled", V_NR_THROTTLED, CK_COUNT, "cgtop_cpu_throttled_periods_total", C,
	   "CFS bandwidth periods in which the group was throttled (cpu.stat nr_throttled)."),
	JP("cpu_throttled_usec", V_THROTTLED_USEC, CK_USEC, "cgtop_cpu_throttled_seconds_total", C,
	   "Time the group was throttled by its CPU quota (cpu.stat throttled_usec or throttled_time)."),
	J("cpu_throttled_percent", CV_THROTTLED_PERCENT, CK_PERCENT),
	END,
};
static const struct col_field f_cpu_max[] = {
	JP("cpu_max", V_CPU_MAX, CK_CPUS, "cgtop_cpu_max_cpus", G,
	   "The group's own CPU limit in CPUs (cpu.max, or cpu.cfs_quota_us / cpu.cfs_period_us); absent when unlimited."),
	END,
};
static const struct col_field f_cpu_limit[] = {
	JP("cpu_effective_max", CV_CPU_EFF, CK_CPUS, "cgtop_cpu_effective_max_cpus", G,
	   "Effective CPU limit in CPUs: the smallest on the path to the root; absent when unlimited."),
	J("cpu_effective_max_from", CV_CPU_EFF_FROM, CK_FROM),
	END,
};
static const struct col_field f_cpuset[] = {
	J("cpuset_cpus", CV_CPUSET, CK_CPULIST),
	JP("cpuset_cpus_effective", CV_CPUSET_EFF, CK_CPULIST, "cgtop_cpuset_effective_cpus", G,
	   "CPUs the group may run on (cpuset.cpus.effective or cpuset.effective_cpus)."),
	P(CV_CPUSET_INFO, CK_INFO, "cgtop_cpuset_info", G,
	  "The group's cpuset as the kernel lists it: labels cpus (its own, empty when not set) and effective_cpus."),
	END,
};
static const struct col_field f_memory[] = {
	JP("memory_current_bytes", V_MEM_CURRENT, CK_BYTES, "cgtop_memory_current_bytes", G,
	   "Memory in use by the group and its descendants (memory.current or memory.usage_in_bytes)."),
	END,
};
static const struct col_field f_mem_max[] = {
	JP("memory_max_bytes", V_MEM_MAX, CK_LIMIT_BYTES, "cgtop_memory_max_bytes", G,
	   "The group's own memory limit (memory.max or memory.limit_in_bytes); absent when unlimited."),
	END,
};
static const struct col_field f_mem_limit[] = {
	JP("memory_effective_max_bytes", CV_MEM_EFF, CK_LIMIT_BYTES, "cgtop_memory_effective_max_bytes", G,
	   "Effective memory limit: the smallest on the path to the root; absent when unlimited."),
	J("memory_effective_max_from", CV_MEM_EFF_FROM, CK_FROM),
	END,
};
static const struct col_field f_mem_high[] = {
	JP("memory_high_bytes", V_MEM_HIGH, CK_LIMIT_BYTES, "cgtop_memory_high_bytes", G,
	   "The group's own memory.high (v2), where the kernel starts to throttle and reclaim; absent when unlimited."),
	END,
};
static const struct col_field f_mem_high_limit[] = {
	JP("memory_effective_high_bytes", CV_MEM_HIGH_EFF, CK_LIMIT_BYTES,
	   "cgtop_memory_effective_high_bytes", G,
	   "Effective memory.high: the smallest on the path to the root; absent when unlimited."),
	J("memory_effective_high_from", CV_MEM_HIGH_EFF_FROM, CK_FROM),
	END,
};
static const struct col_field f_mem_pct[] = {
	J("memory_percent_of_limit", CV_MEM_PCT, CK_PERCENT),
	J("memory_percent_of", CV_MEM_PCT_OF, CK_WORD),
	END,
};
static const struct col_field f_mem_peak[] = {
	JP("memory_peak_bytes", V_MEM_PEAK, CK_BYTES, "cgtop_memory_peak_bytes", G,
	   "Peak memory use (memory.peak or memory.max_usage_in_bytes)."),
	END,
};
static const struct col_field f_swap[] = {
	JP("memory_swap_bytes", V_SWAP, CK_BYTES, "cgtop_memory_swap_bytes", G,
	   "Swap in use (memory.swap.current, or memsw minus memory on v1)."),
	END,
};
static const struct col_field f_failcnt[] = {
	J("memory_failcnt", V_FAILCNT, CK_COUNT),
	J("memory_events", CV_MEM_EVENTS, CK_MAP),
	P(CV_FAILCNT, CK_COUNT, "cgtop_memory_failcnt_total", C,
	  "Times the memory limit was hit (memory.failcnt, or memory.events max)."),
	END,
};
static const struct col_field f_oom[] = {
	JP("memory_oom_kills", V_OOM_KILLS_LOCAL, CK_COUNT, "cgtop_memory_oom_kills_total", C,
	   "Processes of the group itself killed by the OOM killer (memory.events.local or v1 memory.oom_control oom_kill)."),
	JP("memory_oom_kills_subtree", V_OOM_KILLS_SUBTREE, CK_COUNT, "cgtop_memory_oom_kills_subtree_total",
	   C,
	   "Processes of the group and its descendants killed by the OOM killer (memory.events oom_kill; v1: summed)."),
	JP("memory_under_oom", V_UNDER_OOM, CK_COUNT, "cgtop_memory_under_oom", G,
	   "1 while the group is under OOM (v1 memory.oom_control)."),
	J("memory_oom_control", CV_OOM_CONTROL, CK_MAP),
	END,
};
static const struct col_field f_mem_stat[] = {
	J("memory_stat", CV_MEM_STAT, CK_MAP),
	END,
};
static const struct col_field f_hugetlb[] = {
	JP("hugetlb_current_bytes", V_HUGETLB, CK_BYTES, "cgtop_hugetlb_current_bytes", G,
	   "Huge pages in use by the group and its descendants, every page size summed (hugetlb.<size>.current or hugetlb.<size>.usage_in_bytes)."),
	END,
};
static const struct col_field f_pids[] = {
	JP("pids_current", V_PIDS_CURRENT, CK_COUNT, "cgtop_pids_current", G,
	   "Tasks counted by the pids controller (pids.current)."),
	END,
};
static const struct col_field f_pids_max[] = {
	JP("pids_max", V_PIDS_MAX, CK_LIMIT, "cgtop_pids_max", G,
	   "The group's own pids limit (pids.max); absent when unlimited."),
	END,
};
static const struct col_field f_pids_limit[] = {
	JP("pids_effective_max", CV_PIDS_EFF, CK_LIMIT, "cgtop_pids_effective_max", G,
	   "Effective pids limit: the smallest on the path to the root; absent when unlimited."),
	J("pids_effective_max_from", CV_PIDS_EFF_FROM, CK_FROM),
	END,
};
static const struct col_field f_rejected[] = {
	JP("pids_rejected", V_PIDS_REJECTED, CK_COUNT, "cgtop_pids_rejected_total", C,
	   "Forks rejected by the pids limit (pids.events max)."),
	END,
};
static const struct col_field f_io_read[] = {
	JP("io_read_bytes", V_IO_RBYTES, CK_BYTES, "cgtop_io_read_bytes_total", C,
	   "Bytes read from block devices (io.stat or blkio)."),
	J("io_read_bytes_per_sec", CV_IO_RBPS, CK_RATE),
	JP("io_read_ios", V_IO_RIOS, CK_COUNT, "cgtop_io_read_operations_total", C,
	   "Read operations on block devices (io.stat or blkio)."),
	J("io_read_ios_per_sec", CV_IO_RIOPS, CK_RATE),
	END,
};
static const struct col_field f_io_write[] = {
	JP("io_write_bytes", V_IO_WBYTES, CK_BYTES, "cgtop_io_write_bytes_total", C,
	   "Bytes written to block devices (io.stat or blkio)."),
	J("io_write_bytes_per_sec", CV_IO_WBPS, CK_RATE),
	JP("io_write_ios", V_IO_WIOS, CK_COUNT, "cgtop_io_write_operations_total", C,
	   "Write operations on block devices (io.stat or blkio)."),
	J("io_write_ios_per_sec", CV_IO_WIOPS, CK_RATE),
	END,
};
static const struct col_field f_psi[] = {
	J("psi", CV_PSI, CK_PSI),
	P(CV_PSI_CPU_SOME, CK_USEC, "cgtop_pressure_cpu_some_seconds_total", C,
	  "Time some tasks of the group were stalled waiting for CPU (cpu.pressure some total)."),
	P(CV_PSI_CPU_FULL, CK_USEC, "cgtop_pressure_cpu_full_seconds_total", C,
	  "Time all tasks of the group were stalled waiting for CPU (cpu.pressure full total)."),
	P(CV_PSI_MEM_SOME, CK_USEC, "cgtop_pressure_memory_some_seconds_total", C,
	  "Time some tasks of the group were stalled waiting for memory (memory.pressure some total)."),
	P(CV_PSI_MEM_FULL, CK_USEC, "cgtop_pressure_memory_full_seconds_total", C,
	  "Time all tasks of the group were stalled waiting for memory (memory.pressure full total)."),
	P(CV_PSI_IO_SOME, CK_USEC, "cgtop_pressure_io_some_seconds_total", C,
	  "Time some tasks of the group were stalled waiting for I/O (io.pressure some total)."),
	P(CV_PSI_IO_FULL, CK_USEC, "cgtop_pressure_io_full_seconds_total", C,
	  "Time all tasks of the group were stalled waiting for I/O (io.pressure full total)."),
	END,
};
static const struct col_field f_events[] = {
	/* since the first sample: the counters of the group's own processes,
	 * and what the kernel log said of them */
	J("oom_kills_since_start", CV_OOM_SINCE_START, CK_COUNT),
	J("pids_rejected_since_start", CV_PIDS_REJECTED_SINCE_START, CK_COUNT),
	JP("kmsg_oom_kills", CV_KMSG_OOM, CK_COUNT, "cgtop_kmsg_oom_kills_total", C,
	   "OOM kills of the group's own processes the kernel log reported since cgtop started."),
	JP("kmsg_fork_rejections", CV_KMSG_FORK, CK_COUNT, "cgtop_kmsg_fork_rejections_total", C,
	   "Fork rejections in the group the kernel log reported since cgtop started."),
	P(CV_LAST_VICTIM, CK_INFO, "cgtop_last_oom_victim_info", G,
	  "The last process of the group the kernel log reported OOM-killed since cgtop started."),
	END,
};

static const struct col_field f_none[] = {
	END,
};

static const struct col_field f_forks[] = {
	J("forks_per_sec", CV_FORKS_PER_SEC, CK_AVG),
	JP("forks_since_start", CV_FORKS_TOTAL, CK_COUNT, "cgtop_forks_total", C,
	   "Processes forked by the group's own processes since cgtop started (proc connector)."),
	END,
};

const struct prom_metric prom_global[] = {
	{ "cgtop_up", G, PG_UP, "1 when cgtop read the cgroup tree for this exposition." },
	{ "cgtop_groups", G, PG_GROUPS, "Groups in this exposition." },
	{ "cgtop_kmsg_readable", G, PG_KMSG_READABLE,
	  "1 when cgtop reads the kernel log (/dev/kmsg), 0 when it may not (kmsg counters absent)." },
	{ "cgtop_proc_connector_overruns_total", C, PG_FORKS_OVERRUNS,
	  "Times the proc connector's receive buffer overran and fork events were lost (forks column)." },
	{ "cgtop_refresh_duration_seconds", G, PG_REFRESH_DURATION,
	  "Time the last refresh took to read the cgroup tree (0 under CGTOP_TEST_CLOCK)." },
	{ "cgtop_last_refresh_timestamp_seconds", G, PG_REFRESH_TIME,
	  "Unix time of the last refresh, whose numbers this exposition gives." },
	{ 0 },
};
#undef G
#undef C
#undef J
#undef P
#undef JP
#undef END

/* cell: the text cell and the sort key (own: with --recursive=no); sort: the
 * dashboard's key; priority: which columns a narrow dashboard keeps longest */
#define CELL(val, kind)                                                                                      \
	{                                                                                                    \
		val, val, kind                                                                               \
	}
const struct column columns[_COL_MAX] = {
	[COL_TASKS] = { "tasks",
			"Tasks",
			6,
			NEED_TASKS,
			{ V_TASKS_SUBTREE, V_TASKS, CK_COUNT },
			'T',
			80,
			"processes in the group and its descendants (--recursive=no: in the group itself)",
			f_tasks },
	[COL_THREADS] = { "threads",
			  "Threads",
			  7,
			  NEED_THREADS,
			  { V_THREADS_SUBTREE, V_THREADS, CK_COUNT },
			  'H',
			  30,
			  "threads in the group and its descendants (--recursive=no: in the group itself)",
			  f_threads },
	[COL_CPU] = { "cpu", "%CPU", 6, NEED_CPU, CELL(CV_CPU_PERCENT, CK_PERCENT), 'P', 85,
		      "CPU used over the interval, in % of one CPU; cumulative usage", f_cpu },
	[COL_CPU_TIME] = { "cpu_time", "User+Sys", 10, NEED_CPU_SPLIT, CELL(CV_CPU_TIME, CK_USEC), 'Y', 30,
			   "cumulative user and system CPU time", f_cpu_time },
	[COL_THROTTLE] = { "throttle", "Thrtl", 6, NEED_THROTTLE, CELL(CV_THROTTLED_PERCENT, CK_PERCENT), 'Z',
			   58,
			   "% of the CFS periods of the interval in which a CPU quota throttled the group",
			   f_throttle },
	[COL_CPU_MAX] = { "cpu_max", "CpuMax", 6, NEED_CPU_LIMIT, CELL(V_CPU_MAX, CK_CPUS), 0, 30,
			  "the group's own CPU limit in CPUs (quota / period)", f_cpu_max },
	[COL_CPU_LIMIT] = { "cpu_limit", "CpuLim", 6, NEED_CPU_LIMIT, CELL(CV_CPU_EFF, CK_CPUS), 'Q', 30,
			    "effective CPU limit: the smallest on the path to the root", f_cpu_limit },
	[COL_CPUSET] = { "cpuset", "CPUs", 6, NEED_CPUSET, CELL(CV_CPUSET_EFF, CK_CPULIST), 0, 30,
			 "the CPUs the group may run on (the cpuset's effective list)", f_cpuset },
	[COL_MEMORY] = { "memory", "Memory", 8, NEED_MEM, CELL(V_MEM_CURRENT, CK_BYTES), 'M', 100,
			 "memory in use", f_memory },
	[COL_MEM_MAX] = { "mem_max", "MemMax", 8, NEED_MEM_LIMIT, CELL(V_MEM_MAX, CK_LIMIT_BYTES), 'X', 30,
			  "the group's own memory limit", f_mem_max },
	[COL_MEM_LIMIT] = { "mem_limit", "MemLimit", 8, NEED_MEM_LIMIT, CELL(CV_MEM_EFF, CK_LIMIT_BYTES), 'L',
			    95, "effective memory limit: the smallest on the path to the root", f_mem_limit },
	[COL_MEM_HIGH] = { "mem_high", "MemHigh", 8, NEED_MEM_LIMIT, CELL(V_MEM_HIGH, CK_LIMIT_BYTES), 0, 30,
			   "the group's own memory.high (v2), where the kernel throttles and reclaims",
			   f_mem_high },
	[COL_MEM_HIGH_LIMIT] = { "mem_high_limit", "HighLim", 8, NEED_MEM_LIMIT,
				 CELL(CV_MEM_HIGH_EFF, CK_LIMIT_BYTES), 'C', 30,
				 "effective memory.high: the smallest on the path to the root",
				 f_mem_high_limit },
	[COL_MEM_PCT] = { "mem_pct", "Mem%", 6, NEED_MEM | NEED_MEM_LIMIT, CELL(CV_MEM_PCT, CK_PERCENT), 'U',
			  90,
			  "memory in use, in % of the smaller effective limit of memory.max and memory.high",
			  f_mem_pct },
	[COL_MEM_PEAK] = { "mem_peak", "Peak", 8, NEED_MEM_PEAK, CELL(V_MEM_PEAK, CK_BYTES), 'G', 30,
			   "peak memory use", f_mem_peak },
	[COL_SWAP] = { "swap", "Swap", 8, NEED_MEM | NEED_SWAP, CELL(V_SWAP, CK_BYTES), 'S', 30,
		       "swap in use", f_swap },
	[COL_FAILCNT] = { "failcnt", "Failcnt", 8, NEED_MEM_EVENTS, CELL(CV_FAILCNT, CK_COUNT), 'F', 55,
			  "v1 failcnt, or v2 memory.events max: times the limit was hit", f_failcnt },
	[COL_OOM] = { "oom", "OOM", 5, NEED_MEM_EVENTS, CELL(V_OOM_KILLS_LOCAL, CK_COUNT), 'O', 75,
		      "processes of the group itself killed by the OOM killer", f_oom },
	[COL_MEM_STAT] = { "mem_stat", NULL, 0, NEED_MEM_STAT, CELL(CV_MEM_STAT, CK_MAP), 0, 30,
			   "the memory.stat map", f_mem_stat },
	[COL_HUGETLB] = { "hugetlb", "HugeTLB", 8, NEED_HUGETLB, CELL(V_HUGETLB, CK_BYTES), 0, 30,
			  "huge pages in use, every page size summed", f_hugetlb },
	[COL_PIDS] = { "pids", "Pids", 6, NEED_PIDS, CELL(V_PIDS_CURRENT, CK_COUNT), 'B', 70,
		       "tasks counted by the pids controller", f_pids },
	[COL_PIDS_MAX] = { "pids_max", "PidsMax", 7, NEED_PIDS_LIMIT, CELL(V_PIDS_MAX, CK_LIMIT), 'V', 30,
			   "the group's own pids limit", f_pids_max },
	[COL_PIDS_LIMIT] = { "pids_limit", "PidsLim", 7, NEED_PIDS_LIMIT, CELL(CV_PIDS_EFF, CK_LIMIT), 'J',
			     65, "effective pids limit", f_pids_limit },
	[COL_PIDS_REJECTED] = { "rejected", "Rejected", 8, NEED_PIDS_EVENTS, CELL(V_PIDS_REJECTED, CK_COUNT),
				'R', 60, "forks rejected by the pids limit", f_rejected },
	[COL_IO_READ] = { "io_read", "Input/s", 8, NEED_IO | NEED_IO_OPS, CELL(CV_IO_RBPS, CK_RATE), 'D', 45,
			  "bytes read per second", f_io_read },
	[COL_IO_WRITE] = { "io_write", "Output/s", 8, NEED_IO | NEED_IO_OPS, CELL(CV_IO_WBPS, CK_RATE), 'W',
			   44, "bytes written per second", f_io_write },
	[COL_PSI] = { "psi", "MemPSI", 6, NEED_PSI, CELL(CV_PSI_MEM_AVG10, CK_AVG), 'A', 50,
		      "memory pressure, some avg10 (%)", f_psi },
	[COL_EVENTS] = { "events", "Kills", 5, NEED_EVENTS, CELL(CV_OOM_SINCE_START, CK_COUNT), 'E', 30,
			 "OOM kills of the group's own processes since cgtop started", f_events },
	[COL_FORKS] = { "forks", "Forks/s", 7, NEED_FORKS, CELL(CV_FORKS_PER_SEC, CK_AVG), 0, 40,
			"processes forked per second by the group's own processes", f_forks },
	/* JSON and Prometheus carry the names whatever the columns (names.h) */
	[COL_NAME] = { "name", "Name", 16, 0, CELL(CV_NAME, CK_TEXT), 0, 5,
		       "the unit, container, pod or machine the group stands for (names.h)", f_none },
};
#undef CELL

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

/* A text cell that is a rate over two samples: null in a single sample. */
static bool cell_is_rate(const struct col_cell *c)
{
	switch (c->val) {
	case CV_CPU_PERCENT:
	case CV_THROTTLED_PERCENT:
	case CV_IO_RBPS:
	case CV_IO_RIOPS:
	case CV_IO_WBPS:
	case CV_IO_WIOPS:
		return true;
	default:
		return false;
	}
}

unsigned column_cell_needs(enum col_id c)
{
	unsigned needs = columns[c].needs;

	/* the I/O operations only for a cell that shows them (on v1 they are a
	 * file of their own, read for nothing else) */
	if (columns[c].cell.val != CV_IO_RIOPS && columns[c].cell.val != CV_IO_WIOPS)
		needs &= ~NEED_IO_OPS;
	return needs;
}

/* What the text cells of the columns in sel need; once: of a single sample,
 * which shows no rate. */
static unsigned text_needs(const bool sel[_COL_MAX], bool once)
{
	unsigned needs = 0;

	for (int c = 0; c < _COL_MAX; c++)
		if (sel[c] && !(once && cell_is_rate(&columns[c].cell)))
			needs |= column_cell_needs((enum col_id)c);
	return needs;
}

unsigned columns_needs_text(const bool sel[_COL_MAX])
{
	return text_needs(sel, false);
}

unsigned columns_needs_text_once(const bool sel[_COL_MAX])
{
	return text_needs(sel, true);
}

bool column_has_prom(enum col_id c)
{
	for (const struct col_field *f = columns[c].fields; f->json || f->prom; f++)
		if (f->prom)
			return true;
	return false;
}
