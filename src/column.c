/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * column.c - the column table (see column.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cgroup.h"
#include "column.h"

const struct column columns[_COL_MAX] = {
	[COL_TASKS] = { "tasks", "Tasks", 6, NEED_TASKS, "tasks", "processes directly in the group" },
	[COL_THREADS] = { "threads", "Threads", 7, NEED_THREADS, "threads", "threads directly in the group" },
	[COL_CPU] = { "cpu", "%CPU", 6, NEED_CPU, "cpu_usage_usec cpu_percent",
		      "CPU used over the interval, in % of one CPU; cumulative usage" },
	[COL_CPU_TIME] = { "cpu_time", "User+Sys", 10, NEED_CPU_SPLIT, "cpu_user_usec cpu_system_usec",
			   "cumulative user and system CPU time" },
	[COL_THROTTLE] = { "throttle", "Thrtl", 6, NEED_THROTTLE,
			   "cpu_nr_periods cpu_nr_throttled cpu_throttled_usec",
			   "CFS periods throttled by a CPU quota" },
	[COL_MEMORY] = { "memory", "Memory", 8, NEED_MEM, "memory_current_bytes", "memory in use" },
	[COL_MEM_MAX] = { "mem_max", "MemMax", 8, NEED_MEM_LIMIT, "memory_max_bytes",
			  "the group's own memory limit" },
	[COL_MEM_LIMIT] = { "mem_limit", "MemLimit", 8, NEED_MEM_LIMIT,
			    "memory_effective_max_bytes memory_effective_max_from",
			    "effective memory limit: the smallest on the path to the root" },
	[COL_MEM_PCT] = { "mem_pct", "Mem%", 6, NEED_MEM | NEED_MEM_LIMIT, "memory_percent_of_limit",
			  "memory in use, in % of the effective limit" },
	[COL_MEM_PEAK] = { "mem_peak", "Peak", 8, NEED_MEM_PEAK, "memory_peak_bytes", "peak memory use" },
	[COL_SWAP] = { "swap", "Swap", 8, NEED_MEM | NEED_SWAP, "memory_swap_bytes", "swap in use" },
	[COL_FAILCNT] = { "failcnt", "Failcnt", 8, NEED_MEM_EVENTS, "memory_failcnt memory_events",
			  "v1 failcnt, or v2 memory.events max: times the limit was hit" },
	[COL_OOM] = { "oom", "OOM", 5, NEED_MEM_EVENTS, "memory_oom_kills memory_under_oom",
		      "processes killed by the OOM killer in the group" },
	[COL_MEM_STAT] = { "mem_stat", NULL, 0, NEED_MEM_STAT, "memory_stat", "the memory.stat map" },
	[COL_PIDS] = { "pids", "Pids", 6, NEED_PIDS, "pids_current", "tasks counted by the pids controller" },
	[COL_PIDS_MAX] = { "pids_max", "PidsMax", 7, NEED_PIDS_LIMIT, "pids_max", "the group's own pids limit" },
	[COL_PIDS_LIMIT] = { "pids_limit", "PidsLim", 7, NEED_PIDS_LIMIT,
			     "pids_effective_max pids_effective_max_from", "effective pids limit" },
	[COL_PIDS_REJECTED] = { "rejected", "Rejected", 8, NEED_PIDS_EVENTS, "pids_rejected",
				"forks rejected by the pids limit" },
	[COL_IO_READ] = { "io_read", "Input/s", 8, NEED_IO,
			  "io_read_bytes io_read_bytes_per_sec io_read_ios io_read_ios_per_sec",
			  "bytes read per second" },
	[COL_IO_WRITE] = { "io_write", "Output/s", 8, NEED_IO,
			   "io_write_bytes io_write_bytes_per_sec io_write_ios io_write_ios_per_sec",
			   "bytes written per second" },
	[COL_PSI] = { "psi", "MemPSI", 6, NEED_PSI, "psi", "memory pressure, some avg10 (%)" },
	[COL_EVENTS] = { "events", "Kills", 5, NEED_EVENTS,
			 "oom_kills_since_start pids_rejected_since_start kmsg_oom_kills kmsg_fork_rejections",
			 "OOM kills of the group's own processes since cgtop started" },
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
