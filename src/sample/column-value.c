/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * column-value.c - the one accessor of a group's values (column.h): a value
 * of the sample by its id, or one derived from the sample (rates, effective
 * limits, Mem%, the events counters).  Every writer - text cells, JSON,
 * Prometheus, the dashboard's cells and sorting - reads values here and
 * formats them by their kind, so a value missing for any reason is missing
 * alike everywhere (null, "-", no sample), never a fake 0.
 */
#include <string.h>

#include "cgroup/cgroup.h"
#include "names/names.h"
#include "sample/column.h"
#include "sample/forker.h"
#include "sample/node-events.h"

static bool text(const struct buf *t, bool valid, struct col_value *r)
{
	if (!valid || !t->data)
		return false;
	r->s = t->data;
	r->len = t->len;
	return true;
}

static bool number(bool valid, uint64_t x, struct col_value *r)
{
	r->u = x;
	return valid;
}

static bool real(bool valid, double x, struct col_value *r)
{
	r->d = x;
	return valid;
}

static bool from(bool valid, const struct cg_node *f, struct col_value *r)
{
	r->from = f;
	return valid && f;
}

static bool psi_total(const struct cg_node *n, int which, bool full, struct col_value *r)
{
	const struct psi *p;

	if (!VALID(&n->cur, V_PSI_CPU + which) || !n->psi)
		return false;
	p = &n->psi[which];
	if (full ? !p->has_full : !p->has_some)
		return false;
	r->u = full ? p->full.total : p->some.total;
	return true;
}

bool column_value(const struct cg_node *n, unsigned val, bool kmsg_open, struct col_value *r)
{
	const struct ev_counter *c;
	const struct cg_values *v = &n->cur;
	/* v1 keeps memory.oom_control where v2 has memory.events */
	bool v1_mem = n->src[CGF_MEM_OOMCTL_V1] >= 0;
	uint64_t limit;
	bool of_high;

	/* names are kept with the node, recorded or not; a group not looked up
	 * yet (names_tree(), names_of()) has none to show */
	if (val == CV_NAME) {
		if (!n->gname_known)
			return false;
		r->s = n->gname && n->gname->name[0] ? n->gname->name : cg_node_name(n);
		r->len = strlen(r->s);
		return true;
	}
	const struct col_recorded *rec = cg_node_rec(n);
	if (rec) {
		if (val >= _CV_MAX || !((rec->valid[val / 64] >> (val % 64)) & 1))
			return false;
		*r = rec->v[val];
		return true;
	}
	if (val < _V_MAX)
		return number(VALID(v, val), cg_val(v, val), r);
	switch ((enum col_val)val) {
	case CV_CPU_PERCENT:
		return real(cg_rates(n)->cpu_percent_valid, cg_rates(n)->cpu_percent, r);
	case CV_CPU_TIME:
		return number(VALID(v, V_CPU_USER) && VALID(v, V_CPU_SYSTEM),
			      cg_val(v, V_CPU_USER) + cg_val(v, V_CPU_SYSTEM), r);
	case CV_THROTTLED_PERCENT:
		return real(cg_rates(n)->throttled_percent_valid, cg_rates(n)->throttled_percent, r);
	case CV_CPU_EFF:
		return number(cg_eff_of(n, CG_EFF_CPU).valid, cg_eff_of(n, CG_EFF_CPU).v, r);
	case CV_CPU_EFF_FROM:
		return from(cg_eff_of(n, CG_EFF_CPU).valid, cg_eff_of(n, CG_EFF_CPU).from, r);
	case CV_MEM_EFF:
		return number(cg_eff_of(n, CG_EFF_MEM).valid, cg_eff_of(n, CG_EFF_MEM).v, r);
	case CV_MEM_EFF_FROM:
		return from(cg_eff_of(n, CG_EFF_MEM).valid, cg_eff_of(n, CG_EFF_MEM).from, r);
	case CV_MEM_HIGH_EFF:
		return number(cg_eff_of(n, CG_EFF_MEM_HIGH).valid, cg_eff_of(n, CG_EFF_MEM_HIGH).v, r);
	case CV_MEM_HIGH_EFF_FROM:
		return from(cg_eff_of(n, CG_EFF_MEM_HIGH).valid, cg_eff_of(n, CG_EFF_MEM_HIGH).from, r);
	case CV_MEM_PCT:
		return column_mem_pct(n, &r->d, &limit, &of_high);
	case CV_MEM_PCT_OF:
		if (!column_mem_pct(n, &r->d, &limit, &of_high))
			return false;
		r->s = of_high ? "high" : "max";
		r->len = strlen(r->s);
		return true;
	case CV_FAILCNT:
		if (VALID(v, V_FAILCNT))
			return number(true, cg_val(v, V_FAILCNT), r);
		/* v2: memory.events max */
		return VALID(v, V_MEM_EVENTS) && !v1_mem && cg_text(n)->mem_events.data &&
		       parse_keyed_get(cg_text(n)->mem_events.data, cg_text(n)->mem_events.len, "max",
				       &r->u) == 0;
	case CV_MEM_EVENTS:
		return text(&cg_text(n)->mem_events, VALID(v, V_MEM_EVENTS) && !v1_mem, r);
	case CV_OOM_CONTROL:
		return text(&cg_text(n)->mem_events, VALID(v, V_MEM_EVENTS) && v1_mem, r);
	case CV_MEM_STAT:
		return text(&cg_text(n)->mem_stat, VALID(v, V_MEM_STAT), r);
	case CV_PIDS_EFF:
		return number(cg_eff_of(n, CG_EFF_PIDS).valid, cg_eff_of(n, CG_EFF_PIDS).v, r);
	case CV_PIDS_EFF_FROM:
		return from(cg_eff_of(n, CG_EFF_PIDS).valid, cg_eff_of(n, CG_EFF_PIDS).from, r);
	case CV_IO_RBPS:
		return real(cg_rates(n)->io_rate_valid, cg_rates(n)->io_rbps, r);
	case CV_IO_RIOPS:
		return real(cg_rates(n)->io_ops_valid, cg_rates(n)->io_riops, r);
	case CV_IO_WBPS:
		return real(cg_rates(n)->io_rate_valid, cg_rates(n)->io_wbps, r);
	case CV_IO_WIOPS:
		return real(cg_rates(n)->io_ops_valid, cg_rates(n)->io_wiops, r);
	case CV_CPUSET:
		return text(&cg_text(n)->cpuset, VALID(v, V_CPUSET), r);
	case CV_CPUSET_EFF:
	case CV_CPUSET_INFO:
		return text(&cg_text(n)->cpuset_eff, VALID(v, V_CPUSET_EFF), r);
	case CV_PSI:
		return true; /* an object of the three files, each null when unread */
	case CV_PSI_MEM_AVG10:
		return VALID(v, V_PSI_MEM) && n->psi && n->psi[1].has_some &&
		       real(true, n->psi[1].some.avg10, r);
	case CV_PSI_CPU_SOME:
	case CV_PSI_CPU_FULL:
	case CV_PSI_MEM_SOME:
	case CV_PSI_MEM_FULL:
	case CV_PSI_IO_SOME:
	case CV_PSI_IO_FULL:
		return psi_total(n, (int)(val - CV_PSI_CPU_SOME) / 2, (val - CV_PSI_CPU_SOME) % 2, r);
	case CV_OOM_SINCE_START:
		c = node_events_counter(n, EV_BASE_OOM);
		return number(c && VALID(v, V_OOM_KILLS_LOCAL),
			      c ? cg_val(v, V_OOM_KILLS_LOCAL) - c->base : 0, r);
	case CV_PIDS_REJECTED_SINCE_START:
		c = node_events_counter(n, EV_BASE_PIDS);
		return number(c && VALID(v, V_PIDS_REJECTED_LOCAL),
			      c ? cg_val(v, V_PIDS_REJECTED_LOCAL) - c->base : 0, r);
	case CV_KMSG_OOM:
		c = node_events_counter(n, EV_BASE_OOM);
		return number(kmsg_open && c, c ? c->kmsg : 0, r);
	case CV_KMSG_FORK:
		c = node_events_counter(n, EV_BASE_PIDS);
		return number(kmsg_open && c, c ? c->kmsg : 0, r);
	case CV_FORKS_PER_SEC:
		return real(n->forks_valid, cg_node_forkers(n) ? cg_node_forkers(n)->per_sec : 0, r);
	case CV_FORKS_TOTAL:
		return number(n->forks_on, cg_node_forkers(n) ? cg_node_forkers(n)->total : 0, r);
	case CV_NAME:
	case CV_LAST_VICTIM: /* output-prom.c keeps them */
	case _CV_MAX:
		break;
	}
	return false;
}
