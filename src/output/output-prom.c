/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output-prom.c - the Prometheus text exposition format (version 0.0.4) of one
 * sample: for each selected column, the families the column table names
 * (# HELP, # TYPE, then one sample per group labelled cgroup="/path", all the
 * samples of a family together; the value read through column_value() and
 * written as its kind says), then the families describing the exposition
 * itself.  Values are exact: integers as they are, microseconds as seconds
 * with up to six decimals.  A limit that is "max" and a value that cannot be
 * read give no sample rather than a fake number.  No timestamps: Prometheus
 * stamps a scrape itself and node_exporter's textfile collector refuses them.
 * Also keeps the last OOM victim of each group (events.c's emit callback) for
 * the cgtop_last_oom_victim_info family.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sample/column.h"
#include "events/events.h"
#include "output/output.h"
#include "base/macro.h"
#include "names/names.h"

#define PROM_VICTIMS_MAX 256

struct prom_victim {
	char *path;
	int64_t pid;
	char task[EV_TASK_MAX];
	uint64_t stamp; /* order of arrival, to replace the oldest when full */
};

struct prom_state {
	struct prom_victim v[PROM_VICTIMS_MAX];
	unsigned n;
	uint64_t stamp;
};

struct prom_state *prom_state_new(void)
{
	return xcalloc(1, sizeof(struct prom_state));
}

void prom_state_free(struct prom_state *ps)
{
	if (!ps)
		return;
	for (unsigned i = 0; i < ps->n; i++)
		free(ps->v[i].path);
	free(ps);
}

void prom_on_event(const struct cg_event *ev, double time, void *userdata)
{
	struct prom_state *ps = userdata;
	const char *path = ev->task_cgroup[0] ? ev->task_cgroup : ev->cgroup;
	struct prom_victim *slot = NULL;

	if ((ev->kind != EV_OOM_KILL && ev->kind != EV_GLOBAL_OOM) || ev->source != EV_SRC_KMSG ||
	    ev->pid < 0 || !path[0])
		return;
	for (unsigned i = 0; i < ps->n && !slot; i++)
		if (strcmp(ps->v[i].path, path) == 0)
			slot = &ps->v[i];
	if (!slot && ps->n < PROM_VICTIMS_MAX) {
		slot = &ps->v[ps->n++];
		slot->path = xstrdup(path);
	} else if (!slot) {
		slot = &ps->v[0];
		for (unsigned i = 1; i < ps->n; i++)
			if (ps->v[i].stamp < slot->stamp)
				slot = &ps->v[i];
		free(slot->path);
		slot->path = xstrdup(path);
	}
	slot->pid = ev->pid;
	snprintf(slot->task, sizeof(slot->task), "%s", ev->task);
	slot->stamp = ++ps->stamp;
}

/* ---- writing ---- */

/* HELP text escapes backslash and newline only. */
static void help_text(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			buf_append(b, "\\\\", 2);
		else if (*s == '\n')
			buf_append(b, "\\n", 2);
		else
			buf_append(b, s, 1);
	}
}

static void header(struct buf *b, const char *name, enum prom_type type, const char *help)
{
	buf_puts(b, "# HELP ");
	buf_puts(b, name);
	buf_append(b, " ", 1);
	help_text(b, help);
	buf_puts(b, "\n# TYPE ");
	buf_puts(b, name);
	buf_puts(b, type == PROM_COUNTER ? " counter\n" : " gauge\n");
}

static void field_header(struct buf *b, const struct col_field *f)
{
	header(b, f->prom, f->type, f->help);
}

/* Microseconds as exact decimal seconds: 1500000 -> 1.5, 7 -> 0.000007. */
static void put_seconds(struct buf *b, uint64_t usec)
{
	unsigned f = (unsigned)(usec % 1000000);
	char frac[8];
	int len = 7;

	buf_put_u64(b, usec / 1000000);
	if (!f)
		return;
	frac[0] = '.';
	for (int i = 6; i >= 1; i--, f /= 10)
		frac[i] = (char)('0' + f % 10);
	while (frac[len - 1] == '0')
		len--;
	buf_append(b, frac, len);
}

/* The sample of field f for group n as the field's kind says; false: no
 * sample (not available, or "max": no fake number).  *millionths: write it
 * as a decimal (microseconds as seconds, millionths of a CPU as CPUs). */
static bool node_value(const struct cg_node *n, const struct col_field *f, const struct prom_info *pi,
		       uint64_t *ret, bool *millionths)
{
	struct col_value x;

	*millionths = f->kind == CK_USEC || f->kind == CK_CPUS;
	if (!column_value(n, f->val, pi->kmsg_open, &x))
		return false;
	switch (f->kind) {
	case CK_COUNT:
	case CK_BYTES:
	case CK_USEC:
		*ret = x.u;
		return true;
	case CK_LIMIT:
	case CK_LIMIT_BYTES:
	case CK_CPUS:
		*ret = x.u;
		return x.u != CG_UNLIMITED;
	case CK_CPULIST:
		return parse_cpu_list(x.s, x.len, ret) == 0;
	default:
		return false;
	}
}

/* A sample's name and its group's labels: cgroup, then the name people use
 * and its kind when the group has one (names.h).  The name is a function of
 * the group, so it adds no series (unless a container is renamed). */
static void sample_start(struct buf *b, const char *name, const struct cg_tree *t, const struct cg_node *n)
{
	const struct group_name *g = names_of(t, n);

	buf_puts(b, name);
	buf_append(b, "{", 1);
	prom_label(b, "cgroup", n->path);
	if (g && g->name[0]) {
		buf_append(b, ",", 1);
		prom_label(b, "name", g->name);
		buf_append(b, ",", 1);
		prom_label(b, "kind", names_kind_name(g->kind));
	}
}

/* One group's sample of family f, if it has one (the family's header first). */
static void family_node(struct buf *b, const struct cg_tree *t, const struct cg_node *n,
			const struct col_field *f, const struct prom_info *pi, bool *head)
{
	struct col_value x;
	uint64_t v;
	bool millionths;

	if (f->val == CV_CPUSET_INFO) {
		/* the kernel's lists as labels (digits, '-' and ',': nothing to escape) */
		if (!column_value(n, CV_CPUSET_INFO, pi->kmsg_open, &x))
			return;
		if (!*head)
			field_header(b, f);
		*head = true;
		sample_start(b, f->prom, t, n);
		buf_puts(b, ",cpus=\"");
		if (VALID(&n->cur, V_CPUSET) && cg_text(n)->cpuset.data)
			buf_append(b, cg_text(n)->cpuset.data, cg_text(n)->cpuset.len);
		buf_puts(b, "\",effective_cpus=\"");
		buf_append(b, x.s, x.len);
		buf_puts(b, "\"} 1\n");
		return;
	}
	if (!node_value(n, f, pi, &v, &millionths))
		return;
	if (!*head)
		field_header(b, f);
	*head = true;
	sample_start(b, f->prom, t, n);
	buf_append(b, "} ", 2);
	if (millionths)
		put_seconds(b, v);
	else
		buf_put_u64(b, v);
	buf_append(b, "\n", 1);
}

static void victims(struct buf *b, const struct sampler *s, const struct col_field *f,
		    const struct prom_info *pi)
{
	const struct prom_state *ps = pi->state;
	bool head = false;

	if (!ps || !pi->kmsg_open)
		return;
	for (unsigned i = 0; i < ps->n; i++) {
		const struct prom_victim *v = &ps->v[i];
		const struct cg_node *n = cg_tree_find(s->tree, v->path);
		if (!n || n->hidden)
			continue; /* gone, or not in the shown subtree */
		if (!head)
			field_header(b, f);
		head = true;
		sample_start(b, f->prom, s->tree, n);
		buf_puts(b, ",pid=\"");
		buf_put_i64(b, v->pid);
		buf_puts(b, "\",");
		prom_label(b, "task", v->task);
		buf_puts(b, "} 1\n");
	}
}

static void global(struct buf *b, const struct sampler *s, const struct prom_metric *m,
		   const struct prom_info *pi)
{
	uint64_t x = 0;

	switch (m->src) {
	case PG_UP:
		x = 1;
		break;
	case PG_GROUPS:
		for (struct cg_node *n = s->tree->top; n; n = cg_tree_next(s->tree, n))
			x++;
		break;
	case PG_FORKS_OVERRUNS:
		if (pi->forks_overruns < 0)
			return;
		x = (uint64_t)pi->forks_overruns;
		break;
	case PG_KMSG_READABLE:
		if (!pi->events)
			return; /* the events column is not selected */
		x = pi->kmsg_open;
		break;
	case PG_REFRESH_DURATION:
		header(b, m->name, m->type, m->help);
		buf_puts(b, m->name);
		buf_append(b, " ", 1);
		put_seconds(b, s->fake_clock ? 0 : pi->duration_usec);
		buf_append(b, "\n", 1);
		return;
	case PG_REFRESH_TIME: {
		char t[32];
		header(b, m->name, m->type, m->help);
		buf_puts(b, m->name);
		snprintf(t, sizeof(t), " %.3f\n", s->wall);
		buf_puts(b, t);
		return;
	}
	default:
		return;
	}
	header(b, m->name, m->type, m->help);
	buf_puts(b, m->name);
	buf_append(b, " ", 1);
	buf_put_u64(b, x);
	buf_append(b, "\n", 1);
}

void prom_cursor_init(struct prom_cursor *c)
{
	memset(c, 0, sizeof(*c));
}

/* Families in the order of the selected columns, each with all its samples
 * together, then the global ones; resumable after any group's sample. */
bool prom_render_step(struct buf *b, const struct config *cfg, const struct sampler *s,
		      const struct prom_info *pi, struct prom_cursor *c, size_t want)
{
	const struct cg_tree *t = s->tree;

	while (b->len < want) {
		if (c->globals) {
			if (!c->g->name)
				return true;
			global(b, s, c->g, pi);
			c->g++;
			continue;
		}
		if (!c->f) {
			if (c->col >= cfg->n_cols) {
				c->globals = true;
				c->g = prom_global;
				continue;
			}
			c->f = columns[cfg->col_order[c->col]].fields;
			c->started = false;
		}
		if (!c->f->json && !c->f->prom) {
			c->col++;
			c->f = NULL;
			continue;
		}
		if (!c->f->prom) {
			c->f++; /* JSON only */
			continue;
		}
		if (c->f->val == CV_LAST_VICTIM) {
			victims(b, s, c->f, pi); /* at most PROM_VICTIMS_MAX lines */
			c->f++;
			continue;
		}
		if (!c->started) {
			c->n = t->top;
			c->head = false;
			c->started = true;
		}
		while (c->n && b->len < want) {
			family_node(b, t, c->n, c->f, pi, &c->head);
			c->n = cg_tree_next(t, c->n);
		}
		if (!c->n) {
			c->f++;
			c->started = false;
		}
	}
	return c->globals && !c->g->name;
}

void prom_render(struct buf *b, const struct config *cfg, const struct sampler *s, const struct prom_info *pi)
{
	struct prom_cursor c;

	prom_cursor_init(&c);
	prom_render_step(b, cfg, s, pi, &c, SIZE_MAX);
}

void output_prom_sample(struct output *o, const struct sampler *s, const struct prom_info *pi)
{
	struct buf *b = &o->line;

	b->len = 0;
	if (o->samples > 0)
		buf_append(b, "\n", 1); /* expositions of successive samples apart */
	prom_render(b, o->cfg, s, pi);
	fwrite(b->data, 1, b->len, o->out);
}
