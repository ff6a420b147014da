/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * column-format.c - one cell of the column table as text, and as the number
 * the dashboard sorts by, from the column's value (column-value.c) and its
 * kind: the batch text table and the dashboard both print cells this way.
 * "-" where the value is not available (never a fake 0), "max" for no limit,
 * IEC units unless raw.  Also which limit Mem% is measured against.
 */
#include <stdio.h>
#include <string.h>

#include "cgroup/cgroup.h"
#include "sample/column.h"
#include "base/units.h"
#include "base/utf8.h"

bool column_mem_pct(const struct cg_node *n, double *ret_pct, uint64_t *ret_limit, bool *ret_of_high)
{
	const struct cg_values *v = &n->cur;
	bool max_limits = cg_eff_of(n, CG_EFF_MEM).valid && cg_eff_of(n, CG_EFF_MEM).v != CG_UNLIMITED;
	bool high_limits = cg_eff_of(n, CG_EFF_MEM_HIGH).valid &&
			   cg_eff_of(n, CG_EFF_MEM_HIGH).v != CG_UNLIMITED;
	bool of_high = high_limits &&
		       (!max_limits || cg_eff_of(n, CG_EFF_MEM_HIGH).v < cg_eff_of(n, CG_EFF_MEM).v);
	uint64_t limit = of_high ? cg_eff_of(n, CG_EFF_MEM_HIGH).v : cg_eff_of(n, CG_EFF_MEM).v;

	if (!VALID(v, V_MEM_CURRENT) || !(max_limits || high_limits) || !limit)
		return false;
	*ret_pct = 100.0 * (double)cg_val(v, V_MEM_CURRENT) / (double)limit;
	*ret_limit = limit;
	*ret_of_high = of_high;
	return true;
}

static void format_value(enum col_kind kind, const struct col_value *x, unsigned flags, char *b, size_t sz)
{
	bool raw = flags & COLFMT_RAW;

	switch (kind) {
	case CK_COUNT:
		snprintf(b, sz, "%llu", (unsigned long long)x->u);
		break;
	case CK_LIMIT:
	case CK_LIMIT_BYTES:
		if (kind == CK_LIMIT_BYTES && !raw)
			units_format_size(b, sz, x->u);
		else if (x->u == CG_UNLIMITED)
			snprintf(b, sz, "max");
		else
			snprintf(b, sz, "%llu", (unsigned long long)x->u);
		break;
	case CK_BYTES:
		if (raw)
			snprintf(b, sz, "%llu", (unsigned long long)x->u);
		else
			units_format_bytes(b, sz, x->u);
		break;
	case CK_USEC:
		snprintf(b, sz, "%.1fs", x->u / 1e6);
		break;
	case CK_CPUS:
		if (x->u == CG_UNLIMITED)
			snprintf(b, sz, "max");
		else
			units_format_micro(b, sz, x->u);
		break;
	case CK_PERCENT:
		snprintf(b, sz, "%.1f", x->d);
		break;
	case CK_RATE:
		if (raw)
			snprintf(b, sz, "%.0f", x->d);
		else
			units_format_bytes(b, sz, (uint64_t)(x->d + 0.5));
		break;
	case CK_AVG:
		snprintf(b, sz, "%.2f", x->d);
		break;
	case CK_CPULIST:
		snprintf(b, sz, "%.*s", (int)x->len, x->s);
		break;
	case CK_TEXT: {
		/* a container's name is whatever its runtime stored: escaped as
		 * paths are (utf8.h), so it cannot reach the terminal or look
		 * like more columns; the buffer grows to the longest name once */
		static _Thread_local struct buf esc;
		esc.len = 0;
		utf8_escape_text(&esc, x->s, x->len, false);
		snprintf(b, sz, "%.*s", (int)esc.len, esc.data ? esc.data : "");
		break;
	}
	default:
		snprintf(b, sz, "-");
		break;
	}
}

static unsigned cell_val(enum col_id c, unsigned flags)
{
	return (flags & COLFMT_OWN) ? columns[c].cell.own : columns[c].cell.val;
}

void column_format(const struct cg_node *n, enum col_id c, unsigned flags, char *b, size_t sz)
{
	struct col_value x;

	if (column_value(n, cell_val(c, flags), false, &x))
		format_value(columns[c].cell.kind, &x, flags, b, sz);
	else
		snprintf(b, sz, "-");
}

bool column_sort_value(const struct cg_node *n, enum col_id c, unsigned flags, double *ret)
{
	struct col_value x;

	if (!column_value(n, cell_val(c, flags), false, &x))
		return false;
	switch (columns[c].cell.kind) {
	case CK_PERCENT:
	case CK_RATE:
	case CK_AVG:
		*ret = x.d;
		return true;
	case CK_CPULIST:
		if (parse_cpu_list(x.s, x.len, &x.u) < 0)
			return false;
		*ret = (double)x.u;
		return true;
	case CK_MAP:
	case CK_WORD:
	case CK_TEXT:
	case CK_FROM:
	case CK_PSI:
	case CK_INFO:
		return false;
	default:
		/* "max" above every limit */
		*ret = x.u == CG_UNLIMITED ? 1e300 : (double)x.u;
		return true;
	}
}
