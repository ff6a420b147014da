/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output-json.c - one JSON object per sample on one line (JSON lines):
 *   {"time": ..., "mode": "v1"|"v2"|"hybrid", "cgroups": [ {...}, ... ]}
 * Keys and values come from the column table (column_value() and the kind of
 * each field); a limit is a number or "max"; a value that cannot be read is
 * null; rates are null in the first sample.
 */
#include <string.h>

#include "sample/column.h"
#include "base/json.h"
#include "output/output.h"
#include "base/units.h"
#include "names/names.h"

static void key(struct buf *b, const char *k)
{
	buf_append(b, ",\"", 2);
	buf_puts(b, k);
	buf_append(b, "\":", 2);
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

static void keyed_map(struct buf *b, const struct col_value *x)
{
	struct map_ctx m = { b, true };

	buf_puts(b, "{");
	parse_keyed(x->s, x->len, map_cb, &m);
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

void output_json_psi(struct buf *b, const struct psi *p, unsigned valid)
{
	static const char *const names[] = { "cpu", "memory", "io" };

	buf_puts(b, "{");
	for (int i = 0; i < 3; i++) {
		buf_printf(b, "%s\"%s\":", i ? "," : "", names[i]);
		if (!(valid & (1u << i)) || !p) {
			buf_puts(b, "null");
			continue;
		}
		buf_puts(b, "{");
		psi_line(b, "some", p[i].has_some, &p[i].some);
		buf_puts(b, ",");
		psi_line(b, "full", p[i].has_full, &p[i].full);
		buf_puts(b, "}");
	}
	buf_puts(b, "}");
}

static void psi(struct buf *b, const struct cg_node *n)
{
	unsigned valid = 0;

	for (int i = 0; i < 3; i++)
		if (VALID(&n->cur, V_PSI_CPU + i))
			valid |= 1u << i;
	output_json_psi(b, n->psi, valid);
}

bool output_json_scalar(struct buf *b, enum col_kind kind, const struct col_value *x)
{
	char t[32];

	switch (kind) {
	case CK_COUNT:
	case CK_BYTES:
	case CK_USEC:
		buf_put_u64(b, x->u);
		return true;
	case CK_LIMIT:
	case CK_LIMIT_BYTES:
	case CK_CPUS:
		if (x->u == CG_UNLIMITED)
			buf_puts(b, "\"max\"");
		else if (kind == CK_CPUS) /* an exact decimal number of CPUs */
			buf_puts(b, units_format_micro(t, sizeof(t), x->u));
		else
			buf_put_u64(b, x->u);
		return true;
	case CK_PERCENT:
	case CK_AVG:
		buf_printf(b, "%.2f", x->d);
		return true;
	case CK_RATE:
		buf_printf(b, "%.1f", x->d);
		return true;
	case CK_CPULIST:
	case CK_WORD:
	case CK_TEXT:
		json_strn(b, x->s, x->len);
		return true;
	default:
		return false;
	}
}

/* One field of the column table: its value as its kind says. */
void output_json_value(struct buf *b, const struct cg_node *n, const struct col_field *f, bool kmsg_open)
{
	struct col_value x;

	if (!column_value(n, f->val, kmsg_open, &x)) {
		buf_puts(b, "null");
		return;
	}
	if (output_json_scalar(b, f->kind, &x))
		return;
	switch (f->kind) {
	case CK_MAP:
		keyed_map(b, &x);
		break;
	case CK_FROM:
		json_str(b, x.from->path);
		json_hex_key(b, f->json, x.from->path);
		break;
	case CK_PSI:
		psi(b, n);
		break;
	default:
		buf_puts(b, "null");
		break;
	}
}

/* One field: its key, then its value. */
static void field(struct buf *b, const struct cg_node *n, const struct col_field *f, bool kmsg_open)
{
	key(b, f->json);
	output_json_value(b, n, f, kmsg_open);
}

void output_json_controllers(struct buf *b, const struct cg_tree *t, const struct cg_node *n)
{
	bool first = true;

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
}

static void group(struct output *o, const struct sampler *s, const struct cg_node *n)
{
	const struct cg_tree *t = s->tree;
	struct buf *b = &o->line;

	buf_puts(b, "{\"path\":");
	json_str(b, n->path);
	json_hex_key(b, "path", n->path);
	key(b, "controllers");
	output_json_controllers(b, t, n);
	key(b, "from_proc");
	buf_puts(b, n->from_proc ? "true" : "false");
	names_json(b, names_of(t, n));

	for (unsigned i = 0; i < o->cfg->n_cols; i++)
		for (const struct col_field *f = columns[o->cfg->col_order[i]].fields; f->json || f->prom;
		     f++)
			if (f->json)
				field(b, n, f, o->kmsg_open);
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
		if (b->len > 48 << 10) {
			/* written in pieces: the buffer stays at its first 64 KiB
			 * on a tree of any size (a sample is one line of MBs) */
			fwrite(b->data, 1, b->len, o->out);
			b->len = 0;
		}
	}
	buf_puts(b, "]");
	if (o->forks_overruns >= 0) {
		/* the proc connector lost fork events this many times (forks column) */
		buf_puts(b, ",\"proc_connector_overruns\":");
		buf_put_u64(b, (uint64_t)o->forks_overruns);
	}
	buf_puts(b, "}\n");
	fwrite(b->data, 1, b->len, o->out);
}
