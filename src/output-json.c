/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output-json.c - one JSON object per sample on one line (JSON lines):
 *   {"time": ..., "mode": "v1"|"v2"|"hybrid", "cgroups": [ {...}, ... ]}
 * Keys follow the column table; a limit is a number or "max"; a value that
 * cannot be read is null; rates are null in the first sample.
 */
#include <string.h>

#include "column.h"
#include "json.h"
#include "output.h"
#include "units.h"

static void key(struct buf *b, const char *k)
{
	buf_append(b, ",\"", 2);
	buf_puts(b, k);
	buf_append(b, "\":", 2);
}

static void u64_or_null(struct buf *b, const char *k, const struct cg_values *v, enum cg_val id)
{
	key(b, k);
	if (VALID(v, id))
		buf_printf(b, "%llu", (unsigned long long)v->v[id]);
	else
		buf_puts(b, "null");
}

static void limit_val(struct buf *b, const char *k, bool valid, uint64_t x)
{
	key(b, k);
	if (!valid)
		buf_puts(b, "null");
	else if (x == CG_UNLIMITED)
		buf_puts(b, "\"max\"");
	else
		buf_printf(b, "%llu", (unsigned long long)x);
}

static void dbl(struct buf *b, const char *k, bool valid, double x, const char *fmt)
{
	key(b, k);
	if (valid)
		buf_printf(b, fmt, x);
	else
		buf_puts(b, "null");
}

/* A CPU limit in millionths of a CPU as an exact decimal number of CPUs. */
static void cpus_val(struct buf *b, const char *k, bool valid, uint64_t x)
{
	char t[32];

	key(b, k);
	if (!valid)
		buf_puts(b, "null");
	else if (x == CG_UNLIMITED)
		buf_puts(b, "\"max\"");
	else
		buf_puts(b, units_format_micro(t, sizeof(t), x));
}

static void text_val(struct buf *b, const char *k, bool valid, const struct buf *text)
{
	key(b, k);
	if (valid && text->data)
		json_strn(b, text->data, text->len);
	else
		buf_puts(b, "null");
}

static void from(struct buf *b, const char *k, bool valid, const struct cg_node *n)
{
	key(b, k);
	if (valid && n)
		json_str(b, n->path);
	else
		buf_puts(b, "null");
}

struct map_ctx {
	struct buf *b;
	bool first;
};

static int map_cb(const char *k, size_t klen, uint64_t value, void *ud)
{
	struct map_ctx *m = ud;

	if (!m->first)
		buf_puts(m->b, ",");
	json_strn(m->b, k, klen);
	buf_printf(m->b, ":%llu", (unsigned long long)value);
	m->first = false;
	return 0;
}

static void keyed_map(struct buf *b, const char *k, bool valid, const struct buf *text)
{
	key(b, k);
	if (!valid || !text->data) {
		buf_puts(b, "null");
		return;
	}
	struct map_ctx m = { b, true };
	buf_puts(b, "{");
	parse_keyed(text->data, text->len, map_cb, &m);
	buf_puts(b, "}");
}

static void psi_line(struct buf *b, const char *k, bool has, const struct psi_line *l)
{
	buf_printf(b, "\"%s\":", k);
	if (!has) {
		buf_puts(b, "null");
		return;
	}
	buf_printf(b, "{\"avg10\":%.2f,\"avg60\":%.2f,\"avg300\":%.2f,\"total\":%llu}", l->avg10, l->avg60,
		   l->avg300, (unsigned long long)l->total);
}

static void psi(struct buf *b, const struct cg_node *n)
{
	static const char *const names[] = { "cpu", "memory", "io" };

	key(b, "psi");
	buf_puts(b, "{");
	for (int i = 0; i < 3; i++) {
		buf_printf(b, "%s\"%s\":", i ? "," : "", names[i]);
		if (!VALID(&n->cur, V_PSI_CPU + i) || !n->psi) {
			buf_puts(b, "null");
			continue;
		}
		buf_puts(b, "{");
		psi_line(b, "some", n->psi[i].has_some, &n->psi[i].some);
		buf_puts(b, ",");
		psi_line(b, "full", n->psi[i].has_full, &n->psi[i].full);
		buf_puts(b, "}");
	}
	buf_puts(b, "}");
}

static void group(struct output *o, const struct sampler *s, const struct cg_node *n)
{
	const struct cg_tree *t = s->tree;
	const struct cg_values *v = &n->cur;
	struct buf *b = &o->line;
	bool v1_mem = n->src[CGF_MEM_OOMCTL_V1] >= 0;
	bool first = true, pct_valid, of_high;
	double pct = 0;
	uint64_t limit;

	buf_puts(b, "{\"path\":");
	json_str(b, n->path);
	key(b, "controllers");
	buf_puts(b, "[");
	for (int c = 0; c < _CTRL_MAX; c++)
		if (n->ctrl_mask & (1u << c)) {
			buf_printf(b, "%s\"%s\"", first ? "" : ",", cg_ctrl_name(c));
			first = false;
		}
	for (unsigned h = 0; h < t->hs.n; h++)
		if ((n->hmask & (1u << h)) && t->hs.h[h].name) {
			buf_puts(b, first ? "" : ",");
			json_str(b, t->hs.h[h].name);
			first = false;
		}
	buf_puts(b, "]");
	key(b, "from_proc");
	buf_puts(b, n->from_proc ? "true" : "false");

	for (unsigned i = 0; i < o->cfg->n_cols; i++) {
		switch ((enum col_id)o->cfg->col_order[i]) {
		case COL_TASKS:
			u64_or_null(b, "tasks", v, V_TASKS);
			u64_or_null(b, "tasks_subtree", v, V_TASKS_SUBTREE);
			break;
		case COL_THREADS:
			u64_or_null(b, "threads", v, V_THREADS);
			u64_or_null(b, "threads_subtree", v, V_THREADS_SUBTREE);
			break;
		case COL_CPU:
			u64_or_null(b, "cpu_usage_usec", v, V_CPU_USAGE);
			dbl(b, "cpu_percent", n->cpu_percent_valid, n->cpu_percent, "%.2f");
			break;
		case COL_CPU_TIME:
			u64_or_null(b, "cpu_user_usec", v, V_CPU_USER);
			u64_or_null(b, "cpu_system_usec", v, V_CPU_SYSTEM);
			break;
		case COL_THROTTLE:
			u64_or_null(b, "cpu_nr_periods", v, V_NR_PERIODS);
			u64_or_null(b, "cpu_nr_throttled", v, V_NR_THROTTLED);
			u64_or_null(b, "cpu_throttled_usec", v, V_THROTTLED_USEC);
			dbl(b, "cpu_throttled_percent", n->throttled_percent_valid, n->throttled_percent, "%.2f");
			break;
		case COL_CPU_MAX:
			cpus_val(b, "cpu_max", VALID(v, V_CPU_MAX), v->v[V_CPU_MAX]);
			break;
		case COL_CPU_LIMIT:
			cpus_val(b, "cpu_effective_max", n->cpu_eff_valid, n->cpu_eff);
			from(b, "cpu_effective_max_from", n->cpu_eff_valid, n->cpu_eff_from);
			break;
		case COL_CPUSET:
			text_val(b, "cpuset_cpus", VALID(v, V_CPUSET), &n->cpuset);
			text_val(b, "cpuset_cpus_effective", VALID(v, V_CPUSET_EFF), &n->cpuset_eff);
			break;
		case COL_MEMORY:
			u64_or_null(b, "memory_current_bytes", v, V_MEM_CURRENT);
			break;
		case COL_MEM_MAX:
			limit_val(b, "memory_max_bytes", VALID(v, V_MEM_MAX), v->v[V_MEM_MAX]);
			break;
		case COL_MEM_LIMIT:
			limit_val(b, "memory_effective_max_bytes", n->mem_eff_valid, n->mem_eff);
			from(b, "memory_effective_max_from", n->mem_eff_valid, n->mem_eff_from);
			break;
		case COL_MEM_HIGH:
			limit_val(b, "memory_high_bytes", VALID(v, V_MEM_HIGH), v->v[V_MEM_HIGH]);
			break;
		case COL_MEM_HIGH_LIMIT:
			limit_val(b, "memory_effective_high_bytes", n->mem_high_eff_valid, n->mem_high_eff);
			from(b, "memory_effective_high_from", n->mem_high_eff_valid, n->mem_high_eff_from);
			break;
		case COL_MEM_PCT:
			pct_valid = column_mem_pct(n, &pct, &limit, &of_high);
			dbl(b, "memory_percent_of_limit", pct_valid, pct, "%.2f");
			key(b, "memory_percent_of");
			buf_puts(b, !pct_valid ? "null" : of_high ? "\"high\"" : "\"max\"");
			break;
		case COL_MEM_PEAK:
			u64_or_null(b, "memory_peak_bytes", v, V_MEM_PEAK);
			break;
		case COL_SWAP:
			u64_or_null(b, "memory_swap_bytes", v, V_SWAP);
			break;
		case COL_FAILCNT:
			u64_or_null(b, "memory_failcnt", v, V_FAILCNT);
			keyed_map(b, "memory_events", VALID(v, V_MEM_EVENTS) && !v1_mem, &n->mem_events);
			break;
		case COL_OOM:
			u64_or_null(b, "memory_oom_kills", v, V_OOM_KILLS_LOCAL);
			u64_or_null(b, "memory_oom_kills_subtree", v, V_OOM_KILLS_SUBTREE);
			u64_or_null(b, "memory_under_oom", v, V_UNDER_OOM);
			keyed_map(b, "memory_oom_control", VALID(v, V_MEM_EVENTS) && v1_mem, &n->mem_events);
			break;
		case COL_MEM_STAT:
			keyed_map(b, "memory_stat", VALID(v, V_MEM_STAT), &n->mem_stat);
			break;
		case COL_PIDS:
			u64_or_null(b, "pids_current", v, V_PIDS_CURRENT);
			break;
		case COL_PIDS_MAX:
			limit_val(b, "pids_max", VALID(v, V_PIDS_MAX), v->v[V_PIDS_MAX]);
			break;
		case COL_PIDS_LIMIT:
			limit_val(b, "pids_effective_max", n->pids_eff_valid, n->pids_eff);
			from(b, "pids_effective_max_from", n->pids_eff_valid, n->pids_eff_from);
			break;
		case COL_PIDS_REJECTED:
			u64_or_null(b, "pids_rejected", v, V_PIDS_REJECTED);
			break;
		case COL_IO_READ:
			u64_or_null(b, "io_read_bytes", v, V_IO_RBYTES);
			dbl(b, "io_read_bytes_per_sec", n->io_rate_valid, n->io_rbps, "%.1f");
			u64_or_null(b, "io_read_ios", v, V_IO_RIOS);
			dbl(b, "io_read_ios_per_sec", n->io_rate_valid, n->io_riops, "%.1f");
			break;
		case COL_IO_WRITE:
			u64_or_null(b, "io_write_bytes", v, V_IO_WBYTES);
			dbl(b, "io_write_bytes_per_sec", n->io_rate_valid, n->io_wbps, "%.1f");
			u64_or_null(b, "io_write_ios", v, V_IO_WIOS);
			dbl(b, "io_write_ios_per_sec", n->io_rate_valid, n->io_wiops, "%.1f");
			break;
		case COL_PSI:
			psi(b, n);
			break;
		case COL_EVENTS:
			/* since the first sample: the counters of the group's own
			 * processes, and what the kernel log said of them */
			key(b, "oom_kills_since_start");
			if ((n->ev_base_valid & 1) && VALID(v, V_OOM_KILLS_LOCAL))
				buf_printf(b, "%llu", (unsigned long long)(v->v[V_OOM_KILLS_LOCAL] - n->ev_oom_base));
			else
				buf_puts(b, "null");
			key(b, "pids_rejected_since_start");
			if ((n->ev_base_valid & 2) && VALID(v, V_PIDS_REJECTED_LOCAL))
				buf_printf(b, "%llu",
					   (unsigned long long)(v->v[V_PIDS_REJECTED_LOCAL] - n->ev_pids_base));
			else
				buf_puts(b, "null");
			key(b, "kmsg_oom_kills");
			if (o->kmsg_open && (n->ev_base_valid & 1))
				buf_printf(b, "%llu", (unsigned long long)n->ev_oom_kmsg);
			else
				buf_puts(b, "null");
			key(b, "kmsg_fork_rejections");
			if (o->kmsg_open && (n->ev_base_valid & 2))
				buf_printf(b, "%llu", (unsigned long long)n->ev_pids_kmsg);
			else
				buf_puts(b, "null");
			break;
		default:
			break;
		}
	}
	buf_puts(b, "}");
}

void output_json_sample(struct output *o, const struct sampler *s)
{
	const struct cg_tree *t = s->tree;
	struct buf *b = &o->line;
	bool first = true;

	b->len = 0;
	buf_printf(b, "{\"time\":%.6f,\"mode\":\"%s\",\"cgroups\":[", s->wall, cg_mode_name(t->hs.mode));
	for (struct cg_node *n = t->top; n; n = cg_tree_next(t, n)) {
		if (!first)
			buf_puts(b, ",");
		group(o, s, n);
		first = false;
		if (b->len > 1 << 20) { /* keep the buffer small on huge trees */
			fwrite(b->data, 1, b->len, o->out);
			b->len = 0;
		}
	}
	buf_puts(b, "]}\n");
	fwrite(b->data, 1, b->len, o->out);
}
