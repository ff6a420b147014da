/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output-text.c - the batch text table: one row per group, the path first,
 * then the selected columns right-aligned; IEC units unless --raw; "-" where
 * a value is not available.  Header only on a terminal, a blank line between
 * samples (as systemd-cgtop -b does).
 */
#include <string.h>
#include <sys/ioctl.h>

#include "column.h"
#include "output.h"
#include "units.h"

static void fmt_u64(char *b, size_t n, uint64_t v)
{
	snprintf(b, n, "%llu", (unsigned long long)v);
}

static void fmt_bytes(const struct output *o, char *b, size_t n, uint64_t v)
{
	if (o->cfg->raw)
		fmt_u64(b, n, v);
	else
		units_format_bytes(b, n, v);
}

static void fmt_rate(const struct output *o, char *b, size_t n, double v)
{
	if (o->cfg->raw)
		snprintf(b, n, "%.0f", v);
	else
		units_format_bytes(b, n, (uint64_t)(v + 0.5));
}

/* One cell; "-" where the value is not available. */
static void cell(const struct output *o, const struct cg_node *n, enum col_id c, char *b, size_t sz)
{
	const struct cg_values *v = &n->cur;

	strcpy(b, "-");
	switch (c) {
	case COL_TASKS:
		if (VALID(v, V_TASKS))
			fmt_u64(b, sz, v->v[V_TASKS]);
		break;
	case COL_THREADS:
		if (VALID(v, V_THREADS))
			fmt_u64(b, sz, v->v[V_THREADS]);
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
		if (VALID(v, V_NR_THROTTLED))
			fmt_u64(b, sz, v->v[V_NR_THROTTLED]);
		break;
	case COL_MEMORY:
		if (VALID(v, V_MEM_CURRENT))
			fmt_bytes(o, b, sz, v->v[V_MEM_CURRENT]);
		break;
	case COL_MEM_MAX:
		if (VALID(v, V_MEM_MAX))
			v->v[V_MEM_MAX] == CG_UNLIMITED ? (void)strcpy(b, "max") : fmt_bytes(o, b, sz, v->v[V_MEM_MAX]);
		break;
	case COL_MEM_LIMIT:
		if (n->mem_eff_valid)
			n->mem_eff == CG_UNLIMITED ? (void)strcpy(b, "max") : fmt_bytes(o, b, sz, n->mem_eff);
		break;
	case COL_MEM_PCT:
		if (n->mem_eff_valid && n->mem_eff != CG_UNLIMITED && n->mem_eff && VALID(v, V_MEM_CURRENT))
			snprintf(b, sz, "%.1f", 100.0 * v->v[V_MEM_CURRENT] / n->mem_eff);
		break;
	case COL_MEM_PEAK:
		if (VALID(v, V_MEM_PEAK))
			fmt_bytes(o, b, sz, v->v[V_MEM_PEAK]);
		break;
	case COL_SWAP:
		if (VALID(v, V_SWAP))
			fmt_bytes(o, b, sz, v->v[V_SWAP]);
		break;
	case COL_FAILCNT: {
		uint64_t x;
		if (VALID(v, V_FAILCNT))
			fmt_u64(b, sz, v->v[V_FAILCNT]);
		else if (VALID(v, V_MEM_EVENTS) &&
			 parse_keyed_get(n->mem_events.data, n->mem_events.len, "max", &x) == 0)
			fmt_u64(b, sz, x);
		break;
	}
	case COL_OOM:
		if (VALID(v, V_OOM_KILLS))
			fmt_u64(b, sz, v->v[V_OOM_KILLS]);
		break;
	case COL_PIDS:
		if (VALID(v, V_PIDS_CURRENT))
			fmt_u64(b, sz, v->v[V_PIDS_CURRENT]);
		break;
	case COL_PIDS_MAX:
		if (VALID(v, V_PIDS_MAX))
			v->v[V_PIDS_MAX] == CG_UNLIMITED ? (void)strcpy(b, "max") : fmt_u64(b, sz, v->v[V_PIDS_MAX]);
		break;
	case COL_PIDS_LIMIT:
		if (n->pids_eff_valid)
			n->pids_eff == CG_UNLIMITED ? (void)strcpy(b, "max") : fmt_u64(b, sz, n->pids_eff);
		break;
	case COL_PIDS_REJECTED:
		if (VALID(v, V_PIDS_REJECTED))
			fmt_u64(b, sz, v->v[V_PIDS_REJECTED]);
		break;
	case COL_IO_READ:
		if (n->io_rate_valid)
			fmt_rate(o, b, sz, n->io_rbps);
		break;
	case COL_IO_WRITE:
		if (n->io_rate_valid)
			fmt_rate(o, b, sz, n->io_wbps);
		break;
	case COL_EVENTS:
		if (n->ev_base_valid & 1)
			fmt_u64(b, sz, n->cur.v[V_OOM_KILLS_LOCAL] - n->ev_oom_base);
		break;
	case COL_PSI:
		if (VALID(v, V_PSI_MEM) && n->psi[1].has_some)
			snprintf(b, sz, "%.2f", n->psi[1].some.avg10);
		break;
	default:
		break;
	}
}

void output_text_sample(struct output *o, const struct sampler *s)
{
	const struct cg_tree *t = s->tree;
	const struct config *cfg = o->cfg;
	size_t pathw = strlen("Control Group"), cols_w = 0;
	int width[_COL_MAX];
	char b[64];

	/* Column widths: the title's or the table's, whichever is wider, so
	 * --raw numbers stay aligned (a first pass formats every cell). */
	for (unsigned i = 0; i < cfg->n_cols; i++) {
		enum col_id c = cfg->col_order[i];
		width[c] = columns[c].title ? columns[c].width : 0;
		if (columns[c].title && (int)strlen(columns[c].title) > width[c])
			width[c] = strlen(columns[c].title);
	}
	for (struct cg_node *n = t->top; n; n = cg_tree_next(t, n)) {
		size_t l = strlen(n->path);
		if (l > pathw)
			pathw = l;
		for (unsigned i = 0; i < cfg->n_cols; i++) {
			enum col_id c = cfg->col_order[i];
			if (!columns[c].title)
				continue;
			cell(o, n, c, b, sizeof(b));
			if ((int)strlen(b) > width[c])
				width[c] = strlen(b);
		}
	}
	for (unsigned i = 0; i < cfg->n_cols; i++)
		if (columns[cfg->col_order[i]].title)
			cols_w += width[cfg->col_order[i]] + 1;
	if (o->tty) {
		struct winsize ws;
		if (ioctl(fileno(o->out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > cols_w + 16 &&
		    pathw > ws.ws_col - cols_w)
			pathw = ws.ws_col - cols_w;
	}

	if (o->samples > 0)
		fputc('\n', o->out);
	if (o->tty) {
		fprintf(o->out, "%-*s", (int)pathw, "Control Group");
		for (unsigned i = 0; i < cfg->n_cols; i++) {
			enum col_id c = cfg->col_order[i];
			if (columns[c].title)
				fprintf(o->out, " %*s", width[c], columns[c].title);
		}
		fputc('\n', o->out);
	}
	for (struct cg_node *n = t->top; n; n = cg_tree_next(t, n)) {
		size_t l = strlen(n->path);
		if (l > pathw) /* on a narrow terminal, keep the end of the path */
			fprintf(o->out, "...%-*s", (int)pathw - 3, n->path + l - (pathw - 3));
		else
			fprintf(o->out, "%-*s", (int)pathw, n->path);
		for (unsigned i = 0; i < cfg->n_cols; i++) {
			enum col_id c = cfg->col_order[i];
			if (!columns[c].title)
				continue;
			cell(o, n, c, b, sizeof(b));
			fprintf(o->out, " %*s", width[c], b);
		}
		fputc('\n', o->out);
	}
}
