/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output-prom.c - the Prometheus text exposition format (version 0.0.4) of one
 * sample: for each selected column, the families the column table names
 * (# HELP, # TYPE, then one sample per group labelled cgroup="/path", all the
 * samples of a family together), then the families describing the exposition
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

#include "column.h"
#include "events.h"
#include "output.h"
#include "macro.h"

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

/* A label value: backslash, double quote and newline escaped as the format
 * requires.  Label values must be UTF-8: a byte that is not part of valid
 * UTF-8 (group names are bytes) becomes U+FFFD. */
static void label_value(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *q = p;

	/* fast path: nothing to escape */
	while (*q && *q != '\\' && *q != '"' && *q != '\n' && *q < 0x80)
		q++;
	if (!*q) {
		buf_append(b, s, (const char *)q - s);
		return;
	}
	while (*p) {
		unsigned char c = *p;
		if (c == '\\' || c == '"') {
			char e[2] = { '\\', (char)c };
			buf_append(b, e, 2);
			p++;
		} else if (c == '\n') {
			buf_append(b, "\\n", 2);
			p++;
		} else if (c < 0x80) {
			buf_append(b, (const char *)p, 1);
			p++;
		} else {
			int n = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
			int ok = n > 0;
			for (int i = 1; ok && i < n; i++)
				ok = (p[i] & 0xc0) == 0x80;
			if (ok) {
				buf_append(b, (const char *)p, n);
				p += n;
			} else {
				buf_append(b, "\xef\xbf\xbd", 3);
				p++;
			}
		}
	}
}

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

static void header(struct buf *b, const struct prom_metric *m)
{
	buf_puts(b, "# HELP ");
	buf_puts(b, m->name);
	buf_append(b, " ", 1);
	help_text(b, m->help);
	buf_puts(b, "\n# TYPE ");
	buf_puts(b, m->name);
	buf_puts(b, m->type == PROM_COUNTER ? " counter\n" : " gauge\n");
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

static bool limit(bool valid, uint64_t x, uint64_t *ret)
{
	if (!valid || x == CG_UNLIMITED)
		return false; /* unlimited: no sample, not a fake number */
	*ret = x;
	return true;
}

static bool val(const struct cg_values *v, enum cg_val id, uint64_t *ret)
{
	if (!VALID(v, id))
		return false;
	*ret = v->v[id];
	return true;
}

static bool psi_total(const struct cg_node *n, int which, bool full, uint64_t *ret)
{
	const struct psi *p;

	if (!VALID(&n->cur, V_PSI_CPU + which) || !n->psi)
		return false;
	p = &n->psi[which];
	if (full ? !p->has_full : !p->has_some)
		return false;
	*ret = full ? p->full.total : p->some.total;
	return true;
}

/* The value of family src for group n; false: no sample.  *usec: it is in
 * millionths (microseconds written as seconds, millionths of a CPU as CPUs). */
static bool node_value(const struct cg_node *n, enum prom_src src, const struct prom_info *pi,
		       uint64_t *ret, bool *usec)
{
	const struct cg_values *v = &n->cur;

	*usec = false;
	switch (src) {
	case PS_TASKS:
		return val(v, V_TASKS, ret);
	case PS_TASKS_SUBTREE:
		return val(v, V_TASKS_SUBTREE, ret);
	case PS_THREADS:
		return val(v, V_THREADS, ret);
	case PS_THREADS_SUBTREE:
		return val(v, V_THREADS_SUBTREE, ret);
	case PS_CPU_USAGE:
		*usec = true;
		return val(v, V_CPU_USAGE, ret);
	case PS_CPU_USER:
		*usec = true;
		return val(v, V_CPU_USER, ret);
	case PS_CPU_SYSTEM:
		*usec = true;
		return val(v, V_CPU_SYSTEM, ret);
	case PS_NR_PERIODS:
		return val(v, V_NR_PERIODS, ret);
	case PS_NR_THROTTLED:
		return val(v, V_NR_THROTTLED, ret);
	case PS_THROTTLED:
		*usec = true;
		return val(v, V_THROTTLED_USEC, ret);
	case PS_CPU_MAX:
		*usec = true;
		return limit(VALID(v, V_CPU_MAX), v->v[V_CPU_MAX], ret);
	case PS_CPU_EFF:
		*usec = true;
		return limit(n->cpu_eff_valid, n->cpu_eff, ret);
	case PS_CPUSET_EFF_CPUS:
		return VALID(v, V_CPUSET_EFF) && n->cpuset_eff.data &&
		       parse_cpu_list(n->cpuset_eff.data, n->cpuset_eff.len, ret) == 0;
	case PS_MEM_CURRENT:
		return val(v, V_MEM_CURRENT, ret);
	case PS_MEM_MAX:
		return limit(VALID(v, V_MEM_MAX), v->v[V_MEM_MAX], ret);
	case PS_MEM_EFF:
		return limit(n->mem_eff_valid, n->mem_eff, ret);
	case PS_MEM_HIGH:
		return limit(VALID(v, V_MEM_HIGH), v->v[V_MEM_HIGH], ret);
	case PS_MEM_HIGH_EFF:
		return limit(n->mem_high_eff_valid, n->mem_high_eff, ret);
	case PS_MEM_PEAK:
		return val(v, V_MEM_PEAK, ret);
	case PS_SWAP:
		return val(v, V_SWAP, ret);
	case PS_FAILCNT:
		if (val(v, V_FAILCNT, ret))
			return true;
		/* v2: memory.events max (v1 keeps memory.oom_control there, without "max") */
		return VALID(v, V_MEM_EVENTS) && n->src[CGF_MEM_OOMCTL_V1] < 0 && n->mem_events.data &&
		       parse_keyed_get(n->mem_events.data, n->mem_events.len, "max", ret) == 0;
	case PS_OOM_KILLS:
		return val(v, V_OOM_KILLS_LOCAL, ret);
	case PS_OOM_KILLS_SUBTREE:
		return val(v, V_OOM_KILLS_SUBTREE, ret);
	case PS_UNDER_OOM:
		return val(v, V_UNDER_OOM, ret);
	case PS_PIDS_CURRENT:
		return val(v, V_PIDS_CURRENT, ret);
	case PS_PIDS_MAX:
		return limit(VALID(v, V_PIDS_MAX), v->v[V_PIDS_MAX], ret);
	case PS_PIDS_EFF:
		return limit(n->pids_eff_valid, n->pids_eff, ret);
	case PS_PIDS_REJECTED:
		return val(v, V_PIDS_REJECTED, ret);
	case PS_IO_RBYTES:
		return val(v, V_IO_RBYTES, ret);
	case PS_IO_WBYTES:
		return val(v, V_IO_WBYTES, ret);
	case PS_IO_RIOS:
		return val(v, V_IO_RIOS, ret);
	case PS_IO_WIOS:
		return val(v, V_IO_WIOS, ret);
	case PS_PSI_CPU_SOME:
	case PS_PSI_CPU_FULL:
	case PS_PSI_MEM_SOME:
	case PS_PSI_MEM_FULL:
	case PS_PSI_IO_SOME:
	case PS_PSI_IO_FULL:
		*usec = true;
		return psi_total(n, (src - PS_PSI_CPU_SOME) / 2, (src - PS_PSI_CPU_SOME) % 2, ret);
	case PS_KMSG_OOM:
		if (!pi->kmsg_open || !(n->ev_base_valid & 1))
			return false;
		*ret = n->ev_oom_kmsg;
		return true;
	case PS_KMSG_FORK:
		if (!pi->kmsg_open || !(n->ev_base_valid & 2))
			return false;
		*ret = n->ev_pids_kmsg;
		return true;
	default:
		return false;
	}
}

static void sample_start(struct buf *b, const char *name, const char *cgroup)
{
	buf_puts(b, name);
	buf_append(b, "{cgroup=\"", 9);
	label_value(b, cgroup);
	buf_append(b, "\"", 1);
}

/* One group's sample of family m, if it has one (the family's header first). */
static void family_node(struct buf *b, const struct cg_node *n, const struct prom_metric *m,
			const struct prom_info *pi, bool *head)
{
	uint64_t x;
	bool usec;

	if (m->src == PS_CPUSET_INFO) {
		/* the kernel's lists as labels (digits, '-' and ',': nothing to escape) */
		if (!VALID(&n->cur, V_CPUSET_EFF) || !n->cpuset_eff.data)
			return;
		if (!*head)
			header(b, m);
		*head = true;
		sample_start(b, m->name, n->path);
		buf_puts(b, ",cpus=\"");
		if (VALID(&n->cur, V_CPUSET) && n->cpuset.data)
			buf_append(b, n->cpuset.data, n->cpuset.len);
		buf_puts(b, "\",effective_cpus=\"");
		buf_append(b, n->cpuset_eff.data, n->cpuset_eff.len);
		buf_puts(b, "\"} 1\n");
		return;
	}
	if (!node_value(n, m->src, pi, &x, &usec))
		return;
	if (!*head)
		header(b, m);
	*head = true;
	sample_start(b, m->name, n->path);
	buf_append(b, "} ", 2);
	if (usec)
		put_seconds(b, x);
	else
		buf_put_u64(b, x);
	buf_append(b, "\n", 1);
}

static void victims(struct buf *b, const struct sampler *s, const struct prom_metric *m,
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
			header(b, m);
		head = true;
		sample_start(b, m->name, n->path);
		buf_puts(b, ",pid=\"");
		buf_put_i64(b, v->pid);
		buf_puts(b, "\",task=\"");
		label_value(b, v->task);
		buf_puts(b, "\"} 1\n");
	}
}

static void global(struct buf *b, const struct sampler *s, const struct prom_metric *m,
		   const struct prom_info *pi)
{
	uint64_t x = 0;

	switch (m->src) {
	case PS_UP:
		x = 1;
		break;
	case PS_GROUPS:
		for (struct cg_node *n = s->tree->top; n; n = cg_tree_next(s->tree, n))
			x++;
		break;
	case PS_KMSG_READABLE:
		if (!pi->events)
			return; /* the events column is not selected */
		x = pi->kmsg_open;
		break;
	case PS_REFRESH_DURATION:
		header(b, m);
		buf_puts(b, m->name);
		buf_append(b, " ", 1);
		put_seconds(b, s->fake_clock ? 0 : pi->duration_usec);
		buf_append(b, "\n", 1);
		return;
	case PS_REFRESH_TIME: {
		char t[32];
		header(b, m);
		buf_puts(b, m->name);
		snprintf(t, sizeof(t), " %.3f\n", s->wall);
		buf_puts(b, t);
		return;
	}
	default:
		return;
	}
	header(b, m);
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
			if (!c->m->name)
				return true;
			global(b, s, c->m, pi);
			c->m++;
			continue;
		}
		if (!c->m) {
			if (c->col >= cfg->n_cols) {
				c->globals = true;
				c->m = prom_global;
				continue;
			}
			c->m = columns[cfg->col_order[c->col]].prom;
			if (!c->m) {
				c->col++;
				continue;
			}
			c->started = false;
		}
		if (!c->m->name) {
			c->col++;
			c->m = NULL;
			continue;
		}
		if (c->m->src == PS_LAST_VICTIM) {
			victims(b, s, c->m, pi); /* at most PROM_VICTIMS_MAX lines */
			c->m++;
			continue;
		}
		if (!c->started) {
			c->n = t->top;
			c->head = false;
			c->started = true;
		}
		while (c->n && b->len < want) {
			family_node(b, c->n, c->m, pi, &c->head);
			c->n = cg_tree_next(t, c->n);
		}
		if (!c->n) {
			c->m++;
			c->started = false;
		}
	}
	return c->globals && !c->m->name;
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
