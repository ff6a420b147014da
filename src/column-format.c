/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * column-format.c - one cell of the column table as text, from a group's
 * sample: the batch text table and the dashboard both print cells this way.
 * "-" where the value is not available (never a fake 0), "max" for no limit,
 * IEC units unless raw.  Also which limit Mem% is measured against.
 */
#include <stdio.h>
#include <string.h>

#include "cgroup.h"
#include "column.h"
#include "units.h"

static void fmt_u64(char *b, size_t n, uint64_t v)
{
	if (v == CG_UNLIMITED)
		snprintf(b, n, "max");
	else
		snprintf(b, n, "%llu", (unsigned long long)v);
}

static void fmt_bytes(char *b, size_t n, uint64_t v, unsigned flags)
{
	if (v == CG_UNLIMITED || (flags & COLFMT_RAW))
		fmt_u64(b, n, v);
	else
		units_format_bytes(b, n, v);
}

static void fmt_rate(char *b, size_t n, double v, unsigned flags)
{
	if (flags & COLFMT_RAW)
		snprintf(b, n, "%.0f", v);
	else
		units_format_bytes(b, n, (uint64_t)(v + 0.5));
}

static void fmt_cpus(char *b, size_t n, uint64_t millionths)
{
	if (millionths == CG_UNLIMITED)
		snprintf(b, n, "max");
	else
		units_format_micro(b, n, millionths);
}

bool column_mem_pct(const struct cg_node *n, double *ret_pct, uint64_t *ret_limit, bool *ret_of_high)
{
	const struct cg_values *v = &n->cur;
	bool max_limits = n->mem_eff_valid && n->mem_eff != CG_UNLIMITED;
	bool high_limits = n->mem_high_eff_valid && n->mem_high_eff != CG_UNLIMITED;
	bool of_high = high_limits && (!max_limits || n->mem_high_eff < n->mem_eff);
	uint64_t limit = of_high ? n->mem_high_eff : n->mem_eff;

	if (!VALID(v, V_MEM_CURRENT) || !(max_limits || high_limits) || !limit)
		return false;
	*ret_pct = 100.0 * (double)v->v[V_MEM_CURRENT] / (double)limit;
	*ret_limit = limit;
	*ret_of_high = of_high;
	return true;
}

void column_format(const struct cg_node *n, enum col_id c, unsigned flags, char *b, size_t sz)
{
	const struct cg_values *v = &n->cur;
	bool own = flags & COLFMT_OWN, of_high;
	double pct;
	uint64_t x;

	snprintf(b, sz, "-");
	switch (c) {
	case COL_TASKS:
		if (VALID(v, own ? V_TASKS : V_TASKS_SUBTREE))
			fmt_u64(b, sz, v->v[own ? V_TASKS : V_TASKS_SUBTREE]);
		break;
	case COL_THREADS:
		if (VALID(v, own ? V_THREADS : V_THREADS_SUBTREE))
			fmt_u64(b, sz, v->v[own ? V_THREADS : V_THREADS_SUBTREE]);
		break;
	case COL_CPU:
		if (n->cpu_percent_valid)
			snprintf(b, sz, "%.1f", n->cpu_percent);
		break;
	case COL_CPU_TIME:
		if (VALID(v, V_CPU_USER) && VALID(v, V_CPU_SYSTEM))
			snprintf(b, sz, "%.1fs", (v->v[V_CPU_USER] + v->v[V_CPU_SYSTEM]) / 1e6);
		break;
	case COL_THROTTLE:
		if (n->throttled_percent_valid)
			snprintf(b, sz, "%.1f", n->throttled_percent);
		break;
	case COL_CPU_MAX:
		if (VALID(v, V_CPU_MAX))
			fmt_cpus(b, sz, v->v[V_CPU_MAX]);
		break;
	case COL_CPU_LIMIT:
		if (n->cpu_eff_valid)
			fmt_cpus(b, sz, n->cpu_eff);
		break;
	case COL_CPUSET:
		if (VALID(v, V_CPUSET_EFF) && n->cpuset_eff.data)
			snprintf(b, sz, "%.*s", (int)n->cpuset_eff.len, n->cpuset_eff.data);
		break;
	case COL_MEMORY:
		if (VALID(v, V_MEM_CURRENT))
			fmt_bytes(b, sz, v->v[V_MEM_CURRENT], flags);
		break;
	case COL_MEM_MAX:
		if (VALID(v, V_MEM_MAX))
			fmt_bytes(b, sz, v->v[V_MEM_MAX], flags);
		break;
	case COL_MEM_LIMIT:
		if (n->mem_eff_valid)
			fmt_bytes(b, sz, n->mem_eff, flags);
		break;
	case COL_MEM_HIGH:
		if (VALID(v, V_MEM_HIGH))
			fmt_bytes(b, sz, v->v[V_MEM_HIGH], flags);
		break;
	case COL_MEM_HIGH_LIMIT:
		if (n->mem_high_eff_valid)
			fmt_bytes(b, sz, n->mem_high_eff, flags);
		break;
	case COL_MEM_PCT:
		if (column_mem_pct(n, &pct, &x, &of_high))
			snprintf(b, sz, (flags & COLFMT_PERCENT) ? "%.0f%%" : "%.1f", pct);
		break;
	case COL_MEM_PEAK:
		if (VALID(v, V_MEM_PEAK))
			fmt_bytes(b, sz, v->v[V_MEM_PEAK], flags);
		break;
	case COL_SWAP:
		if (VALID(v, V_SWAP))
			fmt_bytes(b, sz, v->v[V_SWAP], flags);
		break;
	case COL_FAILCNT:
		if (VALID(v, V_FAILCNT))
			fmt_u64(b, sz, v->v[V_FAILCNT]);
		else if (VALID(v, V_MEM_EVENTS) &&
			 parse_keyed_get(n->mem_events.data, n->mem_events.len, "max", &x) == 0)
			fmt_u64(b, sz, x);
		break;
	case COL_OOM:
		if (VALID(v, V_OOM_KILLS_LOCAL))
			fmt_u64(b, sz, v->v[V_OOM_KILLS_LOCAL]);
		break;
	case COL_PIDS:
		if (VALID(v, V_PIDS_CURRENT))
			fmt_u64(b, sz, v->v[V_PIDS_CURRENT]);
		break;
	case COL_PIDS_MAX:
		if (VALID(v, V_PIDS_MAX))
			fmt_u64(b, sz, v->v[V_PIDS_MAX]);
		break;
	case COL_PIDS_LIMIT:
		if (n->pids_eff_valid)
			fmt_u64(b, sz, n->pids_eff);
		break;
	case COL_PIDS_REJECTED:
		if (VALID(v, V_PIDS_REJECTED))
			fmt_u64(b, sz, v->v[V_PIDS_REJECTED]);
		break;
	case COL_IO_READ:
		if (n->io_rate_valid)
			fmt_rate(b, sz, n->io_rbps, flags);
		break;
	case COL_IO_WRITE:
		if (n->io_rate_valid)
			fmt_rate(b, sz, n->io_wbps, flags);
		break;
	case COL_PSI:
		if (VALID(v, V_PSI_MEM) && n->psi && n->psi[1].has_some)
			snprintf(b, sz, "%.2f", n->psi[1].some.avg10);
		break;
	case COL_EVENTS:
		if (n->ev_base_valid & 1)
			fmt_u64(b, sz, v->v[V_OOM_KILLS_LOCAL] - n->ev_oom_base);
		break;
	default:
		break;
	}
}
