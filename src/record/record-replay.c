/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record-replay.c - cgtop -b --replay FILE: the samples of a recording as
 * live batch mode prints them.  Each sample is rebuilt as cgtop(1) says: the
 * groups alive at its time, each with its last row at or before it.  JSON is
 * written here from the rows, with the live keys in the live order; text and
 * Prometheus go through the live writers, on a tree of the sample's groups
 * whose values column_value() reads from the rows (node->rec).  The values of
 * the events column are not recorded: null, "-" or absent.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/json.h"
#include "base/macro.h"
#include "output/output.h"
#include "options.h"
#include "base/parse.h"
#include "record/record.h"
#include "base/units.h"

/* fields of one column at most (column.c has 6) */
#define MAX_FIELDS 16

static int db_fail(sqlite3 *db, const char *file)
{
	fprintf(stderr, "cgtop: cannot read the recording %s: %s\n", file, sqlite3_errmsg(db));
	return EXIT_RUNTIME;
}

/* One value of the samples row as the JSON writer prints it by kind. */
static void value(struct buf *b, sqlite3_stmt *st, int i, const struct col_field *f)
{
	char t[32];
	int type = sqlite3_column_type(st, i);

	if (type == SQLITE_NULL) {
		buf_puts(b, "null");
		return;
	}
	switch (f->kind) {
	case CK_COUNT:
	case CK_BYTES:
	case CK_USEC:
		buf_put_i64(b, sqlite3_column_int64(st, i));
		break;
	case CK_LIMIT:
	case CK_LIMIT_BYTES:
	case CK_CPUS:
		if (type == SQLITE_TEXT)
			buf_puts(b, "\"max\"");
		else if (f->kind == CK_CPUS)
			buf_puts(b,
				 units_format_micro(t, sizeof(t),
						    (uint64_t)llround(sqlite3_column_double(st, i) * 1e6)));
		else
			buf_put_i64(b, sqlite3_column_int64(st, i));
		break;
	case CK_PERCENT:
	case CK_AVG:
		buf_printf(b, "%.2f", sqlite3_column_double(st, i));
		break;
	case CK_RATE:
		buf_printf(b, "%.1f", sqlite3_column_double(st, i));
		break;
	case CK_CPULIST:
	case CK_WORD:
	case CK_TEXT:
		json_strn(b, (const char *)sqlite3_column_text(st, i), sqlite3_column_bytes(st, i));
		break;
	case CK_FROM: {
		const char *p = (const char *)sqlite3_column_text(st, i);
		json_str(b, p);
		json_hex_key(b, f->json, p);
		break;
	}
	case CK_MAP:
	case CK_PSI:
	case CK_INFO:
		buf_append(b, (const char *)sqlite3_column_text(st, i), sqlite3_column_bytes(st, i));
		break;
	}
}

static const char *const psi_names[] = { "cpu", "memory", "io" };

static void set(struct col_recorded *r, unsigned val)
{
	r->valid[val / 64] |= 1ULL << (val % 64);
}

static bool has(const struct col_recorded *r, unsigned val)
{
	return (r->valid[val / 64] >> (val % 64)) & 1;
}

/* the values of one group, with their text */
struct rec_node {
	struct col_recorded rec;
	struct buf text;
};
struct rec_nodes {
	struct rec_node **v;
	size_t n, size;
};

/* The values of one samples row into n->rec, as column_value() gives them
 * live: the stored JSON values by their value id, and what text and
 * Prometheus derive from them (user+system, memory.events max, pressure). */
static int fill(struct cg_tree *t, struct cg_node *n, sqlite3_stmt *st, int at[_COL_MAX][MAX_FIELDS],
		int x_failcnt, int x_psi, struct rec_node *rn)
{
	struct col_recorded *r = &rn->rec;

	n->rec = r;
	n->from_proc = sqlite3_column_int(st, 2);
	for (int c = 0; c < _COL_MAX; c++)
		for (int j = 0; columns[c].fields[j].json || columns[c].fields[j].prom; j++) {
			const struct col_field *f = &columns[c].fields[j];
			int i = at[c][j];
			int type = i < 0 ? SQLITE_NULL : sqlite3_column_type(st, i);
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
					x->u = (uint64_t)llround(sqlite3_column_double(st, i) * 1e6);
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
			case CK_FROM:
				x->from = cg_tree_add(t, (const char *)sqlite3_column_text(st, i));
				if (!x->from)
					continue;
				break;
			default:
				continue; /* maps and pressure: JSON text, which only JSON shows */
			}
			set(r, f->val);
		}
	for (int c = 0; c < _COL_MAX; c++)
		for (int j = 0; columns[c].fields[j].json || columns[c].fields[j].prom; j++) {
			const struct col_field *f = &columns[c].fields[j];
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
	} else if (sqlite3_column_type(st, x_failcnt) == SQLITE_INTEGER) {
		r->v[CV_FAILCNT].u = (uint64_t)sqlite3_column_int64(st, x_failcnt);
		set(r, CV_FAILCNT);
	}
	if (sqlite3_column_type(st, x_psi) != SQLITE_NULL) {
		r->v[CV_PSI_MEM_AVG10].d = sqlite3_column_double(st, x_psi);
		set(r, CV_PSI_MEM_AVG10);
	}
	for (int i = 0; i < 6; i++)
		if (sqlite3_column_type(st, x_psi + 1 + i) != SQLITE_NULL) {
			r->v[CV_PSI_CPU_SOME + i].u = (uint64_t)sqlite3_column_int64(st, x_psi + 1 + i);
			set(r, CV_PSI_CPU_SOME + i);
		}
	if (has(r, CV_CPUSET_EFF)) {
		r->v[CV_CPUSET_INFO] = r->v[CV_CPUSET_EFF];
		set(r, CV_CPUSET_INFO);
	}
	/* the cpuset info metric's label reads the group's own list */
	if (has(r, CV_CPUSET)) {
		n->cpuset.len = 0;
		buf_append(&n->cpuset, r->v[CV_CPUSET].s, r->v[CV_CPUSET].len);
		n->cur.valid |= 1ULL << V_CPUSET;
	}
	return 0;
}

/* One recorded sample as a tree of groups, printed by the live text or
 * Prometheus writer.  Returns SQLITE_DONE, or the failing SQLite code. */
static int sample_tree(const struct config *cfg, const char *top, bool kmsg_readable, sqlite3_stmt *rows,
		       int at[_COL_MAX][MAX_FIELDS], int x_failcnt, int x_psi, double time, struct output *o,
		       struct rec_nodes *rn)
{
	struct cg_tree tree;
	struct sampler s = { .tree = &tree, .wall = time };
	size_t used = 0;
	int rc;

	if (cg_tree_open_empty(&tree, top, cfg->depth) < 0) {
		cg_tree_close(&tree);
		fprintf(stderr, "cgtop: the path %s is too long\n", top);
		return SQLITE_NOMEM;
	}
	while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
		struct cg_node *n = cg_tree_add(&tree, (const char *)sqlite3_column_text(rows, 0));
		if (!n)
			continue;
		if (used == rn->n) {
			if (rn->n == rn->size) {
				rn->size = rn->size ? rn->size * 2 : 256;
				rn->v = xrealloc(rn->v, rn->size * sizeof(*rn->v));
			}
			rn->v[rn->n] = xcalloc(1, sizeof(**rn->v));
			buf_init(&rn->v[rn->n]->text, 256);
			rn->n++;
		}
		struct rec_node *r = rn->v[used++];
		memset(&r->rec, 0, sizeof(r->rec));
		r->text.len = 0;
		fill(&tree, n, rows, at, x_failcnt, x_psi, r);
	}
	if (rc == SQLITE_DONE) {
		if (cfg->format == FORMAT_PROM) {
			/* the kernel log's kills are not recorded as counters:
			 * their families are absent, as for a log not read */
			struct prom_info pi = { .events = cfg->col_sel[COL_EVENTS],
						.kmsg_open = kmsg_readable,
						.forks_overruns = -1 /* not recorded */ };
			output_prom_sample(o, &s, &pi);
		} else {
			output_text_sample(o, &s);
		}
	}
	cg_tree_close(&tree);
	return rc;
}

int replay_main(const struct config *cfg)
{
	const char *file = cfg->replay_file;
	sqlite3 *db = NULL;
	sqlite3_stmt *ticks = NULL, *rows = NULL, *meta = NULL;
	struct buf sql = { 0 }, b = { 0 };
	char mode[16] = "unknown", top[PATH_MAX] = "/";
	bool kmsg_readable;
	int status = EXIT_OK, rc;
	bool all = strcmp(cfg->path, "/") == 0;

	if (rec_db_open_read(file, &db) < 0)
		return EXIT_RUNTIME;
	rc = sqlite3_prepare_v2(db,
				"SELECT (SELECT value FROM meta WHERE key = 'cgroup_mode'),"
				" (SELECT value FROM meta WHERE key = 'path'),"
				" (SELECT value FROM meta WHERE key = 'kmsg_readable')",
				-1, &meta, NULL);
	if (rc != SQLITE_OK || sqlite3_step(meta) != SQLITE_ROW) {
		if (sqlite3_errcode(db) == SQLITE_NOTADB || sqlite3_errcode(db) == SQLITE_ERROR)
			fprintf(stderr, "cgtop: %s is not a cgtop recording\n", file);
		else
			db_fail(db, file);
		sqlite3_finalize(meta);
		sqlite3_close(db);
		return EXIT_RUNTIME;
	}
	if (sqlite3_column_text(meta, 0))
		snprintf(mode, sizeof(mode), "%s", (const char *)sqlite3_column_text(meta, 0));
	kmsg_readable = sqlite3_column_int(meta, 2) == 1;
	/* no PATH: the group recorded is the top, as it was live */
	if (all && sqlite3_column_text(meta, 1) &&
	    parse_cgroup_path((const char *)sqlite3_column_text(meta, 1)) == 0)
		snprintf(top, sizeof(top), "%s", (const char *)sqlite3_column_text(meta, 1));
	sqlite3_finalize(meta);

	buf_init(&sql, 4096);
	buf_init(&b, 65536);
	/* at[c][j]: the result column of field j of column c */
	int at[_COL_MAX][MAX_FIELDS], n_at = 3;
	buf_puts(&sql, "SELECT g.path, g.controllers, g.from_proc");
	for (int c = 0; c < _COL_MAX; c++)
		for (int j = 0; columns[c].fields[j].json || columns[c].fields[j].prom; j++) {
			const struct col_field *f = &columns[c].fields[j];
			if (j >= MAX_FIELDS) {
				fprintf(stderr, "cgtop: internal error: column %s has too many fields\n",
					columns[c].key);
				status = EXIT_RUNTIME;
				goto out;
			}
			at[c][j] = -1;
			if (record_field_stored(c, f)) {
				buf_printf(&sql, ", s.%s", f->json);
				at[c][j] = n_at++;
			}
		}
	/* what text and Prometheus derive from the JSON values */
	int x_failcnt = n_at, x_psi = n_at + 1;
	buf_puts(&sql,
		 ", json_extract(s.memory_events, '$.max'), json_extract(s.psi, '$.memory.some.avg10')");
	for (int i = 0; i < 6; i++)
		buf_printf(&sql, ", json_extract(s.psi, '$.%s.%s.total')", psi_names[i / 2],
			   i % 2 ? "full" : "some");
	buf_printf(&sql,
		   " FROM groups g JOIN samples s ON s.group_id = g.id AND s.time ="
		   " (SELECT max(time) FROM samples WHERE group_id = g.id AND time <= ?1)"
		   " WHERE g.first_seen <= ?1 AND (g.last_seen IS NULL OR g.last_seen >= ?1)%s"
		   " ORDER BY g.id",
		   all ? "" : " AND (g.path = ?2 OR substr(g.path, 1, length(?2) + 1) = ?2 || '/')");
	double from = -INFINITY, to = INFINITY;
	if (cfg->replay_from || cfg->replay_to) {
		/* relative times (-10m) count back from the last sample */
		double end = 0;
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, "SELECT coalesce(max(time), 0) FROM ticks", -1, &st, NULL) !=
		    SQLITE_OK) {
			status = db_fail(db, file);
			goto out;
		}
		if (sqlite3_step(st) == SQLITE_ROW)
			end = sqlite3_column_double(st, 0);
		sqlite3_finalize(st);
		if (cfg->replay_from)
			parse_time(cfg->replay_from, end, (double)time(NULL), &from);
		if (cfg->replay_to)
			parse_time(cfg->replay_to, end, (double)time(NULL), &to);
	}
	if (sqlite3_prepare_v2(db, "SELECT time FROM ticks WHERE time >= ?1 AND time <= ?2 ORDER BY time", -1,
			       &ticks, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, sql.data, -1, &rows, NULL) != SQLITE_OK) {
		status = db_fail(db, file);
		goto out;
	}
	if (!all)
		sqlite3_bind_text(rows, 2, cfg->path, -1, SQLITE_STATIC);
	sqlite3_bind_double(ticks, 1, from);
	sqlite3_bind_double(ticks, 2, to);
	long long printed = 0;
	struct output o = { .cfg = cfg, .out = stdout, .tty = isatty(fileno(stdout)), .forks_overruns = -1 };
	struct rec_nodes rn = { 0 };
	buf_init(&o.line, 65536);
	while ((rc = sqlite3_step(ticks)) == SQLITE_ROW && (cfg->count < 0 || printed < cfg->count)) {
		double t = sqlite3_column_double(ticks, 0);
		bool first = true;

		if (cfg->format != FORMAT_JSON) {
			sqlite3_bind_double(rows, 1, t);
			rc = sample_tree(cfg, top, kmsg_readable, rows, at, x_failcnt, x_psi, t, &o, &rn);
			sqlite3_reset(rows);
			if (rc != SQLITE_DONE) {
				status = rc == SQLITE_NOMEM ? EXIT_RUNTIME : db_fail(db, file);
				break;
			}
			o.samples++;
			if (fflush(stdout) != 0 || ferror(stdout)) {
				if (errno != EPIPE)
					fprintf(stderr, "cgtop: cannot write the output: %s\n",
						strerror(errno));
				status = EXIT_RUNTIME;
				break;
			}
			printed++;
			continue;
		}

		b.len = 0;
		buf_printf(&b, "{\"time\":%.6f,\"mode\":\"%s\",\"cgroups\":[", t, mode);
		sqlite3_bind_double(rows, 1, t);
		while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
			const char *path = (const char *)sqlite3_column_text(rows, 0);
			const char *ctl = (const char *)sqlite3_column_text(rows, 1);

			buf_puts(&b, first ? "{\"path\":" : ",{\"path\":");
			first = false;
			json_str(&b, path);
			json_hex_key(&b, "path", path);
			buf_puts(&b, ",\"controllers\":");
			buf_puts(&b, ctl ? ctl : "[]");
			buf_puts(&b, sqlite3_column_int(rows, 2) ? ",\"from_proc\":true"
								 : ",\"from_proc\":false");
			for (unsigned k = 0; k < cfg->n_cols; k++) {
				enum col_id c = cfg->col_order[k];
				for (int j = 0; columns[c].fields[j].json || columns[c].fields[j].prom; j++) {
					const struct col_field *f = &columns[c].fields[j];
					if (!f->json)
						continue;
					buf_printf(&b, ",\"%s\":", f->json);
					if (at[c][j] < 0)
						buf_puts(&b, "null");
					else
						value(&b, rows, at[c][j], f);
				}
			}
			buf_puts(&b, "}");
		}
		sqlite3_reset(rows);
		if (rc != SQLITE_DONE) {
			status = db_fail(db, file);
			goto out;
		}
		buf_puts(&b, "]}\n");
		if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0) {
			if (errno != EPIPE)
				fprintf(stderr, "cgtop: cannot write the output: %s\n", strerror(errno));
			status = EXIT_RUNTIME;
			goto out;
		}
		printed++;
	}
	if (status == EXIT_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		status = db_fail(db, file);
	buf_free(&o.line);
	for (size_t i = 0; i < rn.n; i++) {
		buf_free(&rn.v[i]->text);
		free(rn.v[i]);
	}
	free(rn.v);
out:
	sqlite3_finalize(ticks);
	sqlite3_finalize(rows);
	sqlite3_close(db);
	buf_free(&sql);
	buf_free(&b);
	return status;
}
