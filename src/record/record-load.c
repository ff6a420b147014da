/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record-load.c - a recording open for reading (record-load.h): the meta
 * facts, the statement that rebuilds one sample (the groups alive at T, each
 * with its last row at or before T, through samples_group_time, and its
 * last memory_stat row at or before T, through memory_stat_group_time), and the
 * loading of that sample into a tree of groups that is kept from one sample to
 * the next: a group still there keeps its node (and the dashboard's state on
 * it), a group gone is removed, and column_value() answers from the rows
 * (node->rec).  The values of the events column are not recorded.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/sqlite-dl.h" /* SQLite, loaded when a recording is opened */

#include "base/macro.h"
#include "base/parse.h"
#include "base/units.h"
#include "events/events.h"
#include "names/names.h"
#include "options.h"
#include "record/record-load.h"
#include "record/record-psi.h"
#include "record/record.h"

/* the values of one group, with their text, and the rows they are from */
struct rec_node {
	struct col_recorded rec;
	struct buf text;
	int64_t row, stat;       /* rowid in samples, in memory_stat (-1: none) */
	bool node_fields;        /* the node's fields were set from them, too */
	struct cg_node *from[8]; /* the groups its limits name (CK_FROM) */
	unsigned n_from;
};

/* The values a node's rec points at: ours, allocated by rn_take(). */
static struct rec_node *rn_of(const struct col_recorded *rec)
{
	return rec ? (struct rec_node *)(uintptr_t)((const char *)rec - offsetof(struct rec_node, rec))
		   : NULL;
}

static const char *const psi_names[] = { "cpu", "memory", "io" };

/* the groups table's name columns (record-db.c), in this order */
static const char *const name_cols[] = { "name",    "kind",      "container_id", "pod",
					 "pod_uid", "namespace", "qos",          "unit" };

int rec_load_fail(struct rec_load *l)
{
	fprintf(stderr, "cgtop: cannot read the recording %s: %s\n", l->file, sqlite3_errmsg(l->db));
	return -EIO;
}

static void meta_text(sqlite3_stmt *st, int i, char *out, size_t size)
{
	if (sqlite3_column_text(st, i))
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, i));
}

/* Does the recording have this column of table (1), or not (0)? */
static bool has_column(struct rec_load *l, const char *table, const char *column)
{
	sqlite3_stmt *st = NULL;
	char q[200];
	bool has = false;

	snprintf(q, sizeof(q), "SELECT 1 FROM pragma_table_info('%s') WHERE name = '%s'", table, column);
	if (sqlite3_prepare_v2(l->db, q, -1, &st, NULL) == SQLITE_OK)
		has = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return has;
}

/* the JSON key of the stored field of value val, NULL none */
static const char *stored_key(unsigned val)
{
	for (int c = 0; c < _COL_MAX; c++)
		for (const struct col_field *f = columns[c].fields; f->json || f->prom; f++)
			if (f->val == val && record_field_stored(c, f))
				return f->json;
	return NULL;
}

static int prepare(struct rec_load *l, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v3(l->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return rec_load_fail(l);
	return 0;
}

int rec_load_open(const char *file, const char *path, const char *option, struct rec_load **ret)
{
	struct rec_load *l = xcalloc(1, sizeof(*l));
	sqlite3_stmt *meta = NULL;
	struct buf sql;
	int rc, n_at = 3, r = 0;

	l->file = file;
	l->path = path;
	l->all = strcmp(path, "/") == 0;
	snprintf(l->top, sizeof(l->top), "%s", path);
	snprintf(l->mode, sizeof(l->mode), "unknown");
	if (rec_db_open_read(file, option, &l->db) < 0) {
		free(l);
		return -EINVAL;
	}
	rc = sqlite3_prepare_v2(l->db,
				"SELECT (SELECT value FROM meta WHERE key = 'cgroup_mode'),"
				" (SELECT value FROM meta WHERE key = 'path'),"
				" (SELECT value FROM meta WHERE key = 'kmsg_readable'),"
				" (SELECT value FROM meta WHERE key = 'host'),"
				" (SELECT value FROM meta WHERE key = 'kernel'),"
				" (SELECT value FROM meta WHERE key = 'interval')",
				-1, &meta, NULL);
	if (rc != SQLITE_OK || sqlite3_step(meta) != SQLITE_ROW) {
		if (sqlite3_errcode(l->db) == SQLITE_NOTADB || sqlite3_errcode(l->db) == SQLITE_ERROR) {
			fprintf(stderr, "cgtop: %s is not a cgtop recording\n", file);
			r = -EINVAL;
		} else {
			r = rec_load_fail(l);
		}
		sqlite3_finalize(meta);
		rec_load_close(l);
		return r;
	}
	meta_text(meta, 0, l->mode, sizeof(l->mode));
	l->kmsg_readable = sqlite3_column_int(meta, 2) == 1;
	/* no PATH: the group recorded is the top, as it was live */
	if (l->all && sqlite3_column_text(meta, 1) &&
	    parse_cgroup_path((const char *)sqlite3_column_text(meta, 1)) == 0)
		meta_text(meta, 1, l->top, sizeof(l->top));
	meta_text(meta, 3, l->host, sizeof(l->host));
	meta_text(meta, 4, l->kernel, sizeof(l->kernel));
	l->interval = sqlite3_column_double(meta, 5);
	sqlite3_finalize(meta);

	/* memory.stat at T: the group's last memory_stat row at or before T
	 * (schema 2), else, in a recording of schema 1 or the rows it had when
	 * a recorder of schema 2 took it on, the samples row's */
	bool stat_table = has_column(l, "memory_stat", "json"),
	     stat_col = has_column(l, "samples", "memory_stat");
	const char *stat_sql = stat_table && stat_col
				       ? ", coalesce((SELECT json FROM memory_stat WHERE group_id = g.id AND"
					 " time <= ?1 ORDER BY time DESC LIMIT 1), s.memory_stat)"
			       : stat_table ? ", (SELECT json FROM memory_stat WHERE group_id = g.id AND"
					      " time <= ?1 ORDER BY time DESC LIMIT 1)"
			       : stat_col   ? ", s.memory_stat"
					    : ", NULL";

	buf_init(&sql, 4096);
	buf_puts(&sql, "SELECT g.path, g.controllers, g.from_proc");
	for (int c = 0; c < _COL_MAX; c++)
		for (int j = 0; columns[c].fields[j].json || columns[c].fields[j].prom; j++) {
			const struct col_field *f = &columns[c].fields[j];
			if (j >= REC_MAX_FIELDS) {
				fprintf(stderr, "cgtop: internal error: column %s has too many fields\n",
					columns[c].key);
				buf_free(&sql);
				rec_load_close(l);
				return -EINVAL;
			}
			l->at[c][j] = -1;
			if (f->val == CV_MEM_STAT && record_field_stored(c, f)) {
				buf_puts(&sql, stat_sql);
				l->at[c][j] = n_at++;
			} else if (record_field_stored(c, f)) {
				buf_printf(&sql, ", s.%s", f->json);
				l->at[c][j] = n_at++;
			}
			if (l->at[c][j] >= 0)
				l->fl[l->n_fl++] = (struct rec_field){ f, l->at[c][j] };
		}
	/* what text and Prometheus derive from the JSON values */
	l->x_failcnt = n_at;
	l->x_psi = n_at + 1;
	/* psi: a compact array since schema 3 (record-psi.h), parsed here
	 * (x_psi + 7: SQLite's json_extract parsed it once a value, a third of
	 * a replay step's SQL); an object before, its values extracted */
	buf_puts(&sql, ", json_extract(s.memory_events, '$.max'), CASE WHEN substr(s.psi, 1, 1) = '['"
		       " THEN NULL ELSE json_extract(s.psi, '$.memory.some.avg10') END");
	for (int i = 0; i < 6; i++)
		buf_printf(&sql,
			   ", CASE WHEN substr(s.psi, 1, 1) = '[' THEN NULL"
			   " ELSE json_extract(s.psi, '$.%s.%s.total') END",
			   psi_names[i / 2], i % 2 ? "full" : "some");
	buf_puts(&sql, ", CASE WHEN substr(s.psi, 1, 1) = '[' THEN s.psi END");
	/* the group's name, NULL in a recording made before its column */
	l->x_name = n_at + 9; /* after the failcnt, the avg10, the 6 totals, the array */
	for (size_t i = 0; i < ARRAY_SIZE(name_cols); i++)
		buf_printf(&sql, has_column(l, "groups", name_cols[i]) ? ", g.%s" : ", NULL", name_cols[i]);
	size_t list = sql.len; /* the values' columns, for the two statements */
	buf_puts(&sql, " FROM groups g JOIN samples s ON s.rowid = ?3 WHERE g.id = ?4");
	r = prepare(l, sql.data, &l->row);
	/* all groups of a sample (batch JSON writes its rows from them): the
	 * groups first (CROSS JOIN keeps that order), each with one seek in
	 * samples_group_time and one by rowid: joined on the time instead, the
	 * planner scans the whole index of samples (EXPLAIN QUERY PLAN) */
	sql.len = list;
	buf_printf(
		&sql,
		" FROM groups g CROSS JOIN samples s ON s.rowid ="
		" (SELECT rowid FROM samples WHERE group_id = g.id AND time <= ?1 ORDER BY time DESC LIMIT 1)"
		" WHERE g.first_seen <= ?1 AND (g.last_seen IS NULL OR g.last_seen >= ?1)%s"
		" ORDER BY g.id",
		l->all ? "" : " AND (g.path = ?2 OR substr(g.path, 1, length(?2) + 1) = ?2 || '/')");
	if (r == 0)
		r = prepare(l, sql.data, &l->rows);
	/* which rows hold each group's values at ?1, as rows finds them, which
	 * the indexes answer alone: a step of the dashboard reads the values
	 * (row) only of the groups whose rows are not those loaded, a few of
	 * thousands */
	sql.len = 0;
	buf_printf(&sql,
		   "SELECT g.path, (SELECT rowid FROM samples WHERE group_id = g.id AND time <= ?1"
		   " ORDER BY time DESC LIMIT 1), %s, g.id FROM groups g"
		   " WHERE g.first_seen <= ?1 AND (g.last_seen IS NULL OR g.last_seen >= ?1)%s"
		   " ORDER BY g.id",
		   stat_table ? "(SELECT rowid FROM memory_stat WHERE group_id = g.id AND time <= ?1"
				" ORDER BY time DESC LIMIT 1)"
			      : "NULL",
		   l->all ? "" : " AND (g.path = ?2 OR substr(g.path, 1, length(?2) + 1) = ?2 || '/')");
	if (r == 0)
		r = prepare(l, sql.data, &l->ids);
	buf_free(&sql);
	if (r < 0) {
		rec_load_close(l);
		return r;
	}
	if (!l->all) {
		sqlite3_bind_text(l->rows, 2, path, -1, SQLITE_STATIC);
		sqlite3_bind_text(l->ids, 2, path, -1, SQLITE_STATIC);
	}
	*ret = l;
	return 0;
}

void rec_load_close(struct rec_load *l)
{
	if (!l)
		return;
	sqlite3_finalize(l->rows);
	sqlite3_finalize(l->ids);
	sqlite3_finalize(l->row);
	sqlite3_finalize(l->st_events);
	sqlite3_finalize(l->st_hist);
	sqlite3_finalize(l->st_prev);
	sqlite3_finalize(l->st_next);
	sqlite3_finalize(l->st_newest);
	for (int i = 0; i < 4; i++)
		sqlite3_finalize(l->st_ev[i]);
	sqlite3_close(l->db);
	for (size_t i = 0; i < l->n_rn; i++) {
		buf_free(&l->rn[i]->text);
		free(l->rn[i]);
	}
	free(l->rn);
	free(l->fr);
	free(l);
}

int rec_load_ticks(struct rec_load *l, double from, double to, double **ret, size_t *ret_n)
{
	sqlite3_stmt *st;
	double *v = NULL;
	size_t n = 0, size = 0;
	int rc;

	if (sqlite3_prepare_v2(l->db, "SELECT time FROM ticks WHERE time >= ?1 AND time <= ?2 ORDER BY time",
			       -1, &st, NULL) != SQLITE_OK)
		return rec_load_fail(l);
	sqlite3_bind_double(st, 1, from);
	sqlite3_bind_double(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == size) {
			size = size ? size * 2 : 1024;
			v = xrealloc(v, size * sizeof(*v));
		}
		v[n++] = sqlite3_column_double(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return rec_load_fail(l);
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

int rec_load_ticks_last(struct rec_load *l, double before, size_t max, double **ret, size_t *ret_n)
{
	sqlite3_stmt *st;
	double *v = xmalloc((max ? max : 1) * sizeof(*v));
	size_t n = 0;
	int rc;

	if (sqlite3_prepare_v2(l->db, "SELECT time FROM ticks WHERE time < ?1 ORDER BY time DESC LIMIT ?2",
			       -1, &st, NULL) != SQLITE_OK) {
		free(v);
		return -EIO;
	}
	sqlite3_bind_double(st, 1, before);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max)
		v[n++] = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		free(v);
		return -EIO;
	}
	for (size_t i = 0; i < n / 2; i++) { /* oldest first */
		double t = v[i];
		v[i] = v[n - 1 - i];
		v[n - 1 - i] = t;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

int rec_load_end(struct rec_load *l, double *ret)
{
	sqlite3_stmt *st;

	*ret = 0;
	if (sqlite3_prepare_v2(l->db, "SELECT coalesce(max(time), 0) FROM ticks", -1, &st, NULL) != SQLITE_OK)
		return rec_load_fail(l);
	if (sqlite3_step(st) == SQLITE_ROW)
		*ret = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* ---- one sample into a tree ---- */

static void set(struct col_recorded *r, unsigned val)
{
	r->valid[val / 64] |= 1ULL << (val % 64);
}

static bool has(const struct col_recorded *r, unsigned val)
{
	return (r->valid[val / 64] >> (val % 64)) & 1;
}

/* A map value as JSON text ({"anon":1,...}, as recorded) back into the
 * kernel's keyed lines ("anon 1\n"), which the detail view reads. */
static bool map_text(struct buf *b, const char *json)
{
	b->len = 0;
	if (!json || *json != '{')
		return false;
	for (const char *p = json + 1; *p && *p != '}';) {
		if (*p == ',' || *p == ' ') {
			p++;
			continue;
		}
		if (*p != '"')
			return false;
		const char *k = ++p, *e = strchr(k, '"');
		if (!e || e[1] != ':')
			return false;
		buf_append(b, k, (size_t)(e - k));
		buf_puts(b, " ");
		p = e + 2;
		size_t n = strcspn(p, ",}");
		buf_append(b, p, n);
		buf_puts(b, "\n");
		p += n;
	}
	return true;
}

/* The recorded values as the sampler leaves them on a node, for the views
 * that read the node's fields rather than column_value(). */
static void node_fields_set(struct rec_load *l, struct cg_node *n, sqlite3_stmt *st)
{
	const struct col_recorded *r = cg_node_rec(n);
	const struct col_value *v = r->v;

	/* the controllers, recorded as a JSON list of their names */
	const char *ctl = (const char *)sqlite3_column_text(st, 1);
	if (!ctl || !l->ctl_known || strcmp(ctl, l->ctl_text) != 0) {
		unsigned mask = 0;
		for (int c = 0; ctl && c < _CTRL_MAX; c++) {
			char q[40];
			snprintf(q, sizeof(q), "\"%s\"", cg_ctrl_name(c));
			if (strstr(ctl, q))
				mask |= 1u << c;
		}
		l->ctl_mask = mask;
		/* a text too long to keep is parsed each time */
		l->ctl_known = ctl && strlen(ctl) < sizeof(l->ctl_text);
		if (l->ctl_known)
			strcpy(l->ctl_text, ctl);
	}
	n->ctrl_mask = ctl ? l->ctl_mask : 0;
	n->cur.valid = 0;
	/* the kernel's values (below _V_MAX) come from stored fields only */
	for (size_t k = 0; k < l->n_fl; k++) {
		const struct col_field *f = l->fl[k].f;
		if (f->val >= _V_MAX || !has(r, f->val))
			continue;
		switch (f->kind) {
		case CK_COUNT:
		case CK_BYTES:
		case CK_USEC:
		case CK_LIMIT:
		case CK_LIMIT_BYTES:
		case CK_CPUS:
			*cg_val_ref(&n->cur, f->val) = v[f->val].u;
			n->cur.valid |= 1ULL << f->val;
			break;
		default:
			break;
		}
	}
	/* a group's rates and effective limits are made the first time it has one */
	if (n->rates || has(r, CV_CPU_PERCENT) || has(r, CV_THROTTLED_PERCENT) || has(r, CV_IO_RBPS)) {
		struct cg_node_rates *rt = cg_rates_mut(n);
		rt->cpu_percent_valid = has(r, CV_CPU_PERCENT);
		rt->cpu_percent = v[CV_CPU_PERCENT].d;
		rt->throttled_percent_valid = has(r, CV_THROTTLED_PERCENT);
		rt->throttled_percent = v[CV_THROTTLED_PERCENT].d;
		rt->io_rate_valid = has(r, CV_IO_RBPS);
		rt->io_rbps = v[CV_IO_RBPS].d;
		rt->io_wbps = v[CV_IO_WBPS].d;
		rt->io_riops = v[CV_IO_RIOPS].d;
		rt->io_wiops = v[CV_IO_WIOPS].d;
	}
	static const struct {
		enum cg_eff_kind k;
		unsigned val, from;
	} effs[] = {
		{ CG_EFF_MEM, CV_MEM_EFF, CV_MEM_EFF_FROM },
		{ CG_EFF_MEM_HIGH, CV_MEM_HIGH_EFF, CV_MEM_HIGH_EFF_FROM },
		{ CG_EFF_PIDS, CV_PIDS_EFF, CV_PIDS_EFF_FROM },
		{ CG_EFF_CPU, CV_CPU_EFF, CV_CPU_EFF_FROM },
	};
	for (size_t i = 0; i < ARRAY_SIZE(effs); i++) {
		unsigned bit = 1u << effs[i].k;
		if (n->eff)
			n->eff->valid &= (uint8_t)~bit;
		if (!has(r, effs[i].val) && !(n->eff && (n->eff->have & bit)))
			continue;
		struct cg_eff_limit *e = cg_eff_slot(n, effs[i].k);
		e->v = v[effs[i].val].u;
		e->from = has(r, effs[i].from) ? v[effs[i].from].from : NULL;
		if (has(r, effs[i].val))
			n->eff->valid |= (uint8_t)bit;
	}
	if (has(r, CV_CPUSET)) {
		cg_text_mut(n)->cpuset.len = 0;
		buf_append(&n->text->cpuset, v[CV_CPUSET].s, v[CV_CPUSET].len);
		n->cur.valid |= 1ULL << V_CPUSET;
	}
	if (has(r, CV_CPUSET_EFF)) {
		cg_text_mut(n)->cpuset_eff.len = 0;
		buf_append(&n->text->cpuset_eff, v[CV_CPUSET_EFF].s, v[CV_CPUSET_EFF].len);
		n->cur.valid |= 1ULL << V_CPUSET_EFF;
	}
	/* the maps the detail view draws: memory.stat, memory.events */
	for (size_t k = 0; k < l->n_fl; k++) {
		const struct col_field *f = l->fl[k].f;
		int i = l->fl[k].i;
		if (f->kind != CK_MAP || sqlite3_column_type(st, i) == SQLITE_NULL)
			continue;
		const char *json = (const char *)sqlite3_column_text(st, i);
		if (f->val == CV_MEM_STAT && map_text(&cg_text_mut(n)->mem_stat, json))
			n->cur.valid |= 1ULL << V_MEM_STAT;
		else if ((f->val == CV_MEM_EVENTS || f->val == CV_OOM_CONTROL) &&
			 map_text(&cg_text_mut(n)->mem_events, json))
			n->cur.valid |= 1ULL << V_MEM_EVENTS;
	}
}

/* The values of one samples row into rn and n->rec, as column_value() gives
 * them live: the stored JSON values by their value id, and what text and
 * Prometheus derive from them (user+system, memory.events max, pressure). */
static void fill(struct rec_load *l, struct cg_tree *t, struct cg_node *n, sqlite3_stmt *st,
		 struct rec_node *rn)
{
	struct col_recorded *r = &rn->rec;

	cg_node_more(n)->rec = r;
	n->from_proc = sqlite3_column_int(st, 2);
	for (size_t k = 0; k < l->n_fl; k++) {
		const struct col_field *f = l->fl[k].f;
		int i = l->fl[k].i;
		int type = sqlite3_column_type(st, i);
		struct col_value *x = &r->v[f->val];

		if (type == SQLITE_NULL)
			continue;
		switch (f->kind) {
		case CK_COUNT:
		case CK_BYTES:
		case CK_USEC:
			x->u = (uint64_t)sqlite3_column_int64(st, i);
			break;
		case CK_LIMIT:
		case CK_LIMIT_BYTES:
		case CK_CPUS:
			if (type == SQLITE_TEXT)
				x->u = CG_UNLIMITED;
			else if (f->kind == CK_CPUS)
				x->u = (uint64_t)(int64_t)units_round(sqlite3_column_double(st, i) * 1e6);
			else
				x->u = (uint64_t)sqlite3_column_int64(st, i);
			break;
		case CK_PERCENT:
		case CK_AVG:
		case CK_RATE:
			x->d = sqlite3_column_double(st, i);
			break;
		case CK_CPULIST:
		case CK_WORD:
			x->u = rn->text.len; /* its offset until the text stops moving */
			x->len = (size_t)sqlite3_column_bytes(st, i);
			buf_append(&rn->text, (const char *)sqlite3_column_text(st, i), x->len);
			buf_append(&rn->text, "", 1);
			break;
		case CK_FROM: {
			struct cg_node *from = cg_tree_add(t, (const char *)sqlite3_column_text(st, i));
			if (!from)
				continue;
			from->walk_mark = l->gen; /* kept while pointed at */
			x->from = from;
			if (rn->n_from < ARRAY_SIZE(rn->from))
				rn->from[rn->n_from++] = from;
			else
				rn->row = -1; /* cannot keep it: read again next time */
			break;
		}
		default:
			continue; /* maps and pressure: JSON text, which only JSON shows */
		}
		set(r, f->val);
	}
	for (size_t k = 0; k < l->n_fl; k++) {
		const struct col_field *f = l->fl[k].f;
		if ((f->kind == CK_CPULIST || f->kind == CK_WORD) && has(r, f->val))
			r->v[f->val].s = rn->text.data + r->v[f->val].u;
	}
	if (has(r, V_CPU_USER) && has(r, V_CPU_SYSTEM)) {
		r->v[CV_CPU_TIME].u = r->v[V_CPU_USER].u + r->v[V_CPU_SYSTEM].u;
		set(r, CV_CPU_TIME);
	}
	if (has(r, V_FAILCNT)) {
		r->v[CV_FAILCNT].u = r->v[V_FAILCNT].u;
		set(r, CV_FAILCNT);
	} else if (sqlite3_column_type(st, l->x_failcnt) == SQLITE_INTEGER) {
		r->v[CV_FAILCNT].u = (uint64_t)sqlite3_column_int64(st, l->x_failcnt);
		set(r, CV_FAILCNT);
	}
	if (sqlite3_column_type(st, l->x_psi) != SQLITE_NULL) {
		r->v[CV_PSI_MEM_AVG10].d = sqlite3_column_double(st, l->x_psi);
		set(r, CV_PSI_MEM_AVG10);
	}
	for (int i = 0; i < 6; i++)
		if (sqlite3_column_type(st, l->x_psi + 1 + i) != SQLITE_NULL) {
			r->v[CV_PSI_CPU_SOME + i].u = (uint64_t)sqlite3_column_int64(st, l->x_psi + 1 + i);
			set(r, CV_PSI_CPU_SOME + i);
		}
	if (sqlite3_column_type(st, l->x_psi + 7) == SQLITE_TEXT) {
		struct psi p[3];
		unsigned valid;
		const char *a = (const char *)sqlite3_column_text(st, l->x_psi + 7);
		if (rec_psi_parse(a, (size_t)sqlite3_column_bytes(st, l->x_psi + 7), p, &valid) == 0) {
			if ((valid & 2) && p[1].has_some) {
				r->v[CV_PSI_MEM_AVG10].d = p[1].some.avg10;
				set(r, CV_PSI_MEM_AVG10);
			}
			for (int i = 0; i < 6; i++) {
				const struct psi *f = &p[i / 2];
				if (!(valid & (1u << (i / 2))) || !(i % 2 ? f->has_full : f->has_some))
					continue;
				r->v[CV_PSI_CPU_SOME + i].u = i % 2 ? f->full.total : f->some.total;
				set(r, CV_PSI_CPU_SOME + i);
			}
		}
	}
	if (has(r, CV_CPUSET_EFF)) {
		r->v[CV_CPUSET_INFO] = r->v[CV_CPUSET_EFF];
		set(r, CV_CPUSET_INFO);
	}
	/* the cpuset info metric's label reads the group's own list */
	if (has(r, CV_CPUSET)) {
		cg_text_mut(n)->cpuset.len = 0;
		buf_append(&n->text->cpuset, r->v[CV_CPUSET].s, r->v[CV_CPUSET].len);
		n->cur.valid |= 1ULL << V_CPUSET;
	}
}

static void name_field(char *dst, size_t size, sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);

	snprintf(dst, size, "%s", v ? v : "");
}

bool rec_load_name(const struct rec_load *l, sqlite3_stmt *st, struct group_name *out)
{
	int i = l->x_name;
	bool any = false;

	memset(out, 0, sizeof(*out));
	for (size_t j = 0; j < ARRAY_SIZE(name_cols); j++)
		any |= sqlite3_column_type(st, i + (int)j) != SQLITE_NULL;
	if (!any)
		return false;
	name_field(out->name, sizeof(out->name), st, i);
	out->kind = names_kind_from((const char *)sqlite3_column_text(st, i + 1));
	name_field(out->container_id, sizeof(out->container_id), st, i + 2);
	name_field(out->pod, sizeof(out->pod), st, i + 3);
	name_field(out->pod_uid, sizeof(out->pod_uid), st, i + 4);
	name_field(out->namespace, sizeof(out->namespace), st, i + 5);
	name_field(out->qos, sizeof(out->qos), st, i + 6);
	name_field(out->unit, sizeof(out->unit), st, i + 7);
	return true;
}

/* The node's name is the recorded one, kept with the node as names_of()
 * keeps a looked-up one (the allocation too, from one sample to the next). */
static void name_set(struct rec_load *l, struct cg_node *n, sqlite3_stmt *st)
{
	struct group_name g;

	n->gname_known = true;
	if (!rec_load_name(l, st, &g)) {
		free(n->gname);
		n->gname = NULL;
		return;
	}
	if (!n->gname)
		n->gname = xmalloc(sizeof(*n->gname));
	memcpy(n->gname, &g, sizeof(g));
}

/* Children first: a node of no row this sample (iteration) loses its
 * values, and goes when nothing below it is left and no value points at it
 * (walk_mark; the root, the top and its ancestors stay). */
static void prune(struct rec_load *l, struct cg_tree *t, struct cg_node *n)
{
	for (struct cg_node *c = n->children, *next; c; c = next) {
		next = c->next;
		prune(l, t, c);
	}
	if (n->iteration != cg_count32(l->gen)) {
		if (cg_node_rec(n)) { /* its values go back to the pool */
			l->fr[l->n_fr++] = rn_of(cg_node_rec(n));
			n->more->rec = NULL;
		}
		n->cur.valid = 0;
	}
	/* a node of no row yet (an ancestor, a limit's group): no name, not
	 * one looked up on this host */
	n->gname_known = true;
	if (n->walk_mark == cg_count32(l->gen))
		return;
	if (!n->children && n != t->root && n != t->top && !n->hidden)
		cg_tree_remove(t, n);
}

static struct rec_node *rn_take(struct rec_load *l)
{
	if (l->n_fr)
		return l->fr[--l->n_fr];
	if (l->n_rn == l->size_rn) {
		l->size_rn = l->size_rn ? l->size_rn * 2 : 256;
		l->rn = xrealloc(l->rn, l->size_rn * sizeof(*l->rn));
		l->fr = xrealloc(l->fr, l->size_rn * sizeof(*l->fr));
	}
	struct rec_node *r = xcalloc(1, sizeof(*r));
	buf_init(&r->text, 256);
	l->rn[l->n_rn++] = r;
	return r;
}

/* Each group's rows at the time (ids); the values of those not loaded
 * from the same rows before (row), into the node's rec_node.  The groups
 * an unchanged row's limits name stay in the tree, as fill() keeps them. */
int rec_load_tree(struct rec_load *l, struct cg_tree *t, double time, bool node_fields)
{
	int rc;

	l->gen++;
	sqlite3_bind_double(l->ids, 1, time);
	while ((rc = sqlite3_step(l->ids)) == SQLITE_ROW) {
		if (sqlite3_column_type(l->ids, 1) == SQLITE_NULL)
			continue; /* no row at or before the time */
		struct cg_node *n = cg_tree_add(t, (const char *)sqlite3_column_text(l->ids, 0));
		if (!n)
			continue;
		int64_t row = sqlite3_column_int64(l->ids, 1);
		int64_t stat = sqlite3_column_type(l->ids, 2) == SQLITE_NULL
				       ? -1
				       : sqlite3_column_int64(l->ids, 2);
		struct rec_node *r = rn_of(cg_node_rec(n));
		n->walk_mark = n->iteration = l->gen;
		n->fresh = false;
		if (r && r->row == row && r->stat == stat && (r->node_fields || !node_fields)) {
			for (unsigned i = 0; i < r->n_from; i++)
				r->from[i]->walk_mark = l->gen;
			continue; /* the same rows: the values loaded stand */
		}
		sqlite3_bind_double(l->row, 1, time);
		sqlite3_bind_int64(l->row, 3, row);
		sqlite3_bind_int64(l->row, 4, sqlite3_column_int64(l->ids, 3));
		rc = sqlite3_step(l->row);
		if (rc != SQLITE_ROW) {
			sqlite3_reset(l->row);
			if (rc == SQLITE_DONE)
				continue; /* gone since: a recorder's retention between the two statements */
			break;
		}
		if (!r)
			r = rn_take(l);
		memset(&r->rec, 0, sizeof(r->rec));
		r->text.len = 0;
		r->n_from = 0;
		r->row = row;
		r->stat = stat;
		r->node_fields = node_fields;
		fill(l, t, n, l->row, r);
		name_set(l, n, l->row);
		if (node_fields)
			node_fields_set(l, n, l->row);
		sqlite3_reset(l->row);
	}
	sqlite3_reset(l->ids);
	if (rc != SQLITE_DONE)
		return -EIO;
	prune(l, t, t->root);
	return 0;
}

/* ---- events, history ---- */

static void text_to(char *dst, size_t size, sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	snprintf(dst, size, "%s", s ? s : "");
}

static int64_t int_or(sqlite3_stmt *st, int i, int64_t none)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? none : sqlite3_column_int64(st, i);
}

/* A task row of the evidence (json_task: kB back to the kernel's pages). */
static void task_from(sqlite3_stmt *st, int page_kb, struct oom_task *t)
{
	int64_t *pages[] = { &t->total_vm, &t->rss, &t->rss_anon, &t->rss_file, &t->rss_shmem, &t->swapents };

	t->pid = int_or(st, 0, -1);
	t->uid = int_or(st, 1, -1);
	t->tgid = int_or(st, 2, -1);
	for (unsigned i = 0; i < ARRAY_SIZE(pages); i++) {
		int64_t kb = int_or(st, 3 + (int)i, -1);
		*pages[i] = kb < 0 || page_kb <= 0 ? -1 : kb / page_kb;
	}
	t->pgtables_bytes = int_or(st, 9, -1);
	t->nr_ptes = int_or(st, 10, -1);
	t->nr_pmds = int_or(st, 11, -1);
	t->oom_score_adj = int_or(st, 12, INT64_MIN);
	t->oom_adj = int_or(st, 13, INT64_MIN);
	text_to(t->name, sizeof(t->name), st, 14);
}

#define TASK_COLS                                                                                            \
	"json_extract(value, '$.pid'), json_extract(value, '$.uid'), json_extract(value, '$.tgid'),"         \
	" json_extract(value, '$.total_vm_kb'), json_extract(value, '$.rss_kb'),"                            \
	" json_extract(value, '$.rss_anon_kb'), json_extract(value, '$.rss_file_kb'),"                       \
	" json_extract(value, '$.rss_shmem_kb'), json_extract(value, '$.swap_kb'),"                          \
	" json_extract(value, '$.pgtables_bytes'), json_extract(value, '$.nr_ptes'),"                        \
	" json_extract(value, '$.nr_pmds'), json_extract(value, '$.oom_score_adj'),"                         \
	" json_extract(value, '$.oom_adj'), json_extract(value, '$.name')"

/* The kernel's evidence of a kill, as --events JSON wrote it (json_evidence
 * in events.c), back into a struct: NULL when the JSON has none. */
static struct oom_evidence *evidence_from(struct rec_load *l, const char *json)
{
	struct oom_evidence *x;
	sqlite3_stmt *st;

	if (!l->st_ev[0] &&
	    (prepare(l,
		     "SELECT json_extract(?1, '$.memory_swap.usage_kb'), json_extract(?1, '$.memory_swap.limit_kb'),"
		     " json_extract(?1, '$.memory_swap.failcnt'), json_extract(?1, '$.swap.usage_kb'),"
		     " json_extract(?1, '$.swap.limit_kb'), json_extract(?1, '$.swap.failcnt'),"
		     " json_extract(?1, '$.kmem.usage_kb'), json_extract(?1, '$.kmem.limit_kb'),"
		     " json_extract(?1, '$.kmem.failcnt'), json_type(?1, '$.tasks'),"
		     " json_extract(?1, '$.tasks_total'), json_extract(?1, '$.page_kb'),"
		     " json_extract(?1, '$.page_kb_from'), json_extract(?1, '$.victim_is_largest'),"
		     " json_type(?1, '$.memory_stat')",
		     &l->st_ev[0]) < 0 ||
	     prepare(l, "SELECT key, value FROM json_each(?1, '$.memory_stat')", &l->st_ev[1]) < 0 ||
	     prepare(l, "SELECT " TASK_COLS " FROM json_each(?1, '$.tasks')", &l->st_ev[2]) < 0 ||
	     prepare(l,
		     "SELECT " TASK_COLS
		     " FROM json_each(json_array(json(json_extract(?1, '$.largest_task'))))"
		     " WHERE json_type(?1, '$.largest_task') = 'object'",
		     &l->st_ev[3]) < 0))
		return NULL;
	st = l->st_ev[0];
	sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return NULL;
	}
	bool table = sqlite3_column_type(st, 9) == SQLITE_TEXT &&
		     strcmp((const char *)sqlite3_column_text(st, 9), "array") == 0;
	bool stat = sqlite3_column_type(st, 14) == SQLITE_TEXT &&
		    strcmp((const char *)sqlite3_column_text(st, 14), "object") == 0;
	if (!table && !stat && sqlite3_column_type(st, 0) == SQLITE_NULL &&
	    sqlite3_column_type(st, 3) == SQLITE_NULL && sqlite3_column_type(st, 6) == SQLITE_NULL) {
		sqlite3_reset(st);
		return NULL; /* no report printed: no evidence */
	}
	x = xcalloc(1, sizeof(*x));
	struct oom_counter *c[] = { &x->memsw, &x->swap, &x->kmem };
	for (int i = 0; i < 3; i++) {
		c[i]->usage_kb = int_or(st, 3 * i, -1);
		c[i]->limit_kb = int_or(st, 3 * i + 1, -1);
		c[i]->failcnt = int_or(st, 3 * i + 2, -1);
	}
	x->have_table = table;
	x->tasks_total = (unsigned)int_or(st, 10, 0);
	x->page_kb = table ? (int)int_or(st, 11, 4) : 0;
	x->page_kb_inferred = sqlite3_column_text(st, 12) &&
			      strcmp((const char *)sqlite3_column_text(st, 12), "victim") == 0;
	x->victim_is_largest = (int)int_or(st, 13, -1);
	x->largest.pid = -1;
	sqlite3_reset(st);
	if (stat) {
		st = l->st_ev[1];
		sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
		while (x->n_stat < EV_STAT_MAX && sqlite3_step(st) == SQLITE_ROW) {
			text_to(x->stat[x->n_stat].key, sizeof(x->stat[x->n_stat].key), st, 0);
			x->stat[x->n_stat++].value = sqlite3_column_int64(st, 1);
		}
		sqlite3_reset(st);
	}
	if (table) {
		st = l->st_ev[2];
		sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
		while (x->n_tasks < EV_TASKS_MAX && sqlite3_step(st) == SQLITE_ROW)
			task_from(st, x->page_kb, &x->tasks[x->n_tasks++]);
		sqlite3_reset(st);
		st = l->st_ev[3];
		sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			task_from(st, x->page_kb, &x->largest);
		sqlite3_reset(st);
	}
	return x;
}

int rec_load_events(struct rec_load *l, double time, unsigned max,
		    void (*cb)(const struct cg_event *ev, double time, void *data), void *data)
{
	struct cg_event *ev;
	int rc;

	if (!l->st_events &&
	    prepare(l,
		    "SELECT * FROM (SELECT rowid AS r, time, kind, source, pid, task, cgroup,"
		    " json_extract(json, '$.task_cgroup'), json_extract(json, '$.uid'),"
		    " json_extract(json, '$.anon_rss_kb'), json_extract(json, '$.file_rss_kb'),"
		    " json_extract(json, '$.shmem_rss_kb'), json_extract(json, '$.total_vm_kb'),"
		    " json_extract(json, '$.constraint'), json_extract(json, '$.memory_usage_kb'),"
		    " json_extract(json, '$.memory_limit_kb'), json_extract(json, '$.memory_failcnt'),"
		    " json_extract(json, '$.oom_score_adj'), json_extract(json, '$.count'),"
		    " json_extract(json, '$.update'), json_extract(json, '$.group_kill'),"
		    " json_extract(json, '$.oom_group'), json_extract(json, '$.reaped'), json"
		    " FROM events WHERE time <= ?1 ORDER BY time DESC, rowid DESC LIMIT ?2) ORDER BY time, r",
		    &l->st_events) < 0)
		return -EIO;
	sqlite3_stmt *st = l->st_events;
	ev = xcalloc(1, sizeof(*ev));
	cg_event_init(ev);
	sqlite3_bind_double(st, 1, time);
	sqlite3_bind_int(st, 2, (int)max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 2);
		const char *src = (const char *)sqlite3_column_text(st, 3);
		int k;

		cg_event_release(ev);
		cg_event_init(ev);
		for (k = 0; k < _EV_KIND_MAX; k++)
			if (kind && strcmp(kind, cg_event_kind_name(k)) == 0)
				break;
		if (k == _EV_KIND_MAX)
			continue; /* a kind of a newer cgtop */
		ev->kind = k;
		ev->source = src && strcmp(src, "counter") == 0          ? EV_SRC_COUNTER
			     : src && strcmp(src, "proc_connector") == 0 ? EV_SRC_PROCCONN
									 : EV_SRC_KMSG;
		ev->pid = int_or(st, 4, -1);
		text_to(ev->task, sizeof(ev->task), st, 5);
		text_to(ev->cgroup, sizeof(ev->cgroup), st, 6);
		text_to(ev->task_cgroup, sizeof(ev->task_cgroup), st, 7);
		ev->uid = int_or(st, 8, -1);
		ev->anon_rss_kb = int_or(st, 9, -1);
		ev->file_rss_kb = int_or(st, 10, -1);
		ev->shmem_rss_kb = int_or(st, 11, -1);
		ev->total_vm_kb = int_or(st, 12, -1);
		text_to(ev->constraint, sizeof(ev->constraint), st, 13);
		ev->mem_usage_kb = int_or(st, 14, -1);
		ev->mem_limit_kb = int_or(st, 15, -1);
		ev->mem_failcnt = int_or(st, 16, -1);
		ev->oom_score_adj = int_or(st, 17, -1001);
		ev->count = (uint64_t)int_or(st, 18, 1);
		ev->update = int_or(st, 19, 0) != 0;
		ev->group_kill = int_or(st, 20, 0) != 0;
		text_to(ev->oom_group, sizeof(ev->oom_group), st, 21);
		ev->reaped = int_or(st, 22, 0) != 0;
		if (ev->kind == EV_OOM_KILL || ev->kind == EV_GLOBAL_OOM)
			ev->evidence = evidence_from(l, (const char *)sqlite3_column_text(st, 23));
		cb(ev, sqlite3_column_double(st, 1), data);
	}
	sqlite3_reset(st);
	cg_event_release(ev);
	free(ev);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

int rec_load_event_newest(struct rec_load *l, double time, double *ret_time, int64_t *ret_rowid)
{
	int rc;

	if (!l->st_newest &&
	    prepare(l,
		    "SELECT time, rowid FROM events WHERE time <= ?1 ORDER BY time DESC, rowid DESC LIMIT 1",
		    &l->st_newest) < 0)
		return -EIO;
	sqlite3_bind_double(l->st_newest, 1, time);
	rc = sqlite3_step(l->st_newest);
	if (rc == SQLITE_ROW) {
		*ret_time = sqlite3_column_double(l->st_newest, 0);
		*ret_rowid = sqlite3_column_int64(l->st_newest, 1);
	}
	sqlite3_reset(l->st_newest);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -EIO;
}

int rec_load_event_near(struct rec_load *l, double time, bool next, double *ret)
{
	sqlite3_stmt **st = next ? &l->st_next : &l->st_prev;
	int rc;

	if (!*st &&
	    prepare(l,
		    next ? "SELECT time FROM events WHERE time > ?1 AND kind IN"
			   " ('oom_kill', 'global_oom', 'pids_fork_rejected')"
			   " AND coalesce(json_extract(json, '$.update'), 0) = 0 ORDER BY time LIMIT 1"
			 : "SELECT time FROM events WHERE time <= ?1 AND kind IN"
			   " ('oom_kill', 'global_oom', 'pids_fork_rejected')"
			   " AND coalesce(json_extract(json, '$.update'), 0) = 0 ORDER BY time DESC LIMIT 1",
		    st) < 0)
		return -EIO;
	sqlite3_bind_double(*st, 1, time);
	rc = sqlite3_step(*st);
	if (rc == SQLITE_ROW)
		*ret = sqlite3_column_double(*st, 0);
	sqlite3_reset(*st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -EIO;
}

int rec_load_history(struct rec_load *l, const char *path, double from, double to,
		     void (*cb)(double time, const double *cpu, const uint64_t *mem, double last_seen,
				void *data),
		     void *data)
{
	int rc;

	if (!l->st_hist) {
		const char *cpu = stored_key(CV_CPU_PERCENT), *mem = stored_key(V_MEM_CURRENT);
		char sql[1024];
		if (!cpu || !mem)
			return 0;
		snprintf(sql, sizeof(sql),
			 "SELECT s.time, s.%s, s.%s, coalesce(g.last_seen, -1) FROM groups g JOIN samples s"
			 " ON s.group_id = g.id WHERE g.path = ?1 AND s.time <= ?3 AND s.time >="
			 " coalesce((SELECT max(time) FROM samples WHERE group_id = g.id AND time <= ?2), ?2)"
			 " ORDER BY s.time",
			 cpu, mem);
		if (prepare(l, sql, &l->st_hist) < 0)
			return -EIO;
	}
	sqlite3_stmt *st = l->st_hist;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
	sqlite3_bind_double(st, 2, from);
	sqlite3_bind_double(st, 3, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		double c = sqlite3_column_double(st, 1);
		uint64_t m = (uint64_t)sqlite3_column_int64(st, 2);
		cb(sqlite3_column_double(st, 0), sqlite3_column_type(st, 1) == SQLITE_NULL ? NULL : &c,
		   sqlite3_column_type(st, 2) == SQLITE_NULL ? NULL : &m, sqlite3_column_double(st, 3), data);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}
