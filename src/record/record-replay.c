/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record-replay.c - cgtop -b --replay FILE: the samples of a recording as
 * live batch mode prints them.  Each sample is rebuilt by record-load.c as
 * cgtop(1) says: the groups alive at its time, each with its last row at or
 * before it.  JSON is written here from the rows, with the live keys in the
 * live order; text and Prometheus go through the live writers, on the tree
 * of the sample's groups whose values column_value() reads from the rows
 * (node->rec).  The values of the events column are not recorded: null, "-"
 * or absent.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "record/sqlite-dl.h" /* SQLite, loaded when a recording is opened */

#include "base/json.h"
#include "base/macro.h"
#include "names/names.h"
#include "output/output.h"
#include "options.h"
#include "base/parse.h"
#include "record/record-load.h"
#include "record/record.h"
#include "record/record-psi.h"
#include "base/units.h"

/* One value of the samples row as live batch JSON prints it: the scalar
 * kinds through the live writer's spelling (a limit stored as the text
 * "max" is unlimited, CPUs are stored as a number of CPUs), an ancestor's
 * path with its hex twin, and the maps and PSI stored as their JSON. */
static void value(struct buf *b, sqlite3_stmt *st, int i, const struct col_field *f)
{
	int type = sqlite3_column_type(st, i);
	struct col_value x = { 0 };

	if (type == SQLITE_NULL) {
		buf_puts(b, "null");
		return;
	}
	switch (f->kind) {
	case CK_LIMIT:
	case CK_LIMIT_BYTES:
	case CK_CPUS:
		if (type == SQLITE_TEXT)
			x.u = CG_UNLIMITED;
		else if (f->kind == CK_CPUS)
			x.u = (uint64_t)(int64_t)units_round(sqlite3_column_double(st, i) * 1e6);
		else
			x.u = (uint64_t)sqlite3_column_int64(st, i);
		break;
	case CK_PERCENT:
	case CK_AVG:
	case CK_RATE:
		x.d = sqlite3_column_double(st, i);
		break;
	case CK_CPULIST:
	case CK_WORD:
	case CK_TEXT:
		x.s = (const char *)sqlite3_column_text(st, i);
		x.len = (size_t)sqlite3_column_bytes(st, i);
		break;
	default:
		x.u = (uint64_t)sqlite3_column_int64(st, i);
		break;
	}
	if (output_json_scalar(b, f->kind, &x))
		return;
	if (f->kind == CK_FROM) {
		const char *p = (const char *)sqlite3_column_text(st, i);
		json_str(b, p);
		json_hex_key(b, f->json, p);
		return;
	}
	if (f->kind == CK_PSI) { /* compact since schema 3 */
		rec_psi_json(b, (const char *)sqlite3_column_text(st, i),
			     (size_t)sqlite3_column_bytes(st, i));
		return;
	}
	/* CK_MAP, CK_INFO: stored as their JSON */
	buf_append(b, (const char *)sqlite3_column_text(st, i), sqlite3_column_bytes(st, i));
}

/* One recorded sample, loaded into the tree kept from sample to sample,
 * printed by the live text or Prometheus writer.  0 or -errno. */
static int sample_tree(const struct config *cfg, struct rec_load *l, struct cg_tree *tree, double time,
		       struct output *o)
{
	struct sampler s = { .tree = tree, .wall = time };
	int r = rec_load_tree(l, tree, time, false);

	if (r < 0)
		return r;
	if (cfg->format == FORMAT_PROM) {
		/* the kernel log's kills are not recorded as counters:
		 * their families are absent, as for a log not read */
		struct prom_info pi = { .events = cfg->col_sel[COL_EVENTS],
					.kmsg_open = l->kmsg_readable,
					.forks_overruns = -1 /* not recorded */ };
		output_prom_sample(o, &s, &pi);
	} else {
		output_text_sample(o, &s);
	}
	return 0;
}

int replay_main(const struct config *cfg)
{
	const char *file = cfg->replay_file;
	struct rec_load *l = NULL;
	struct cg_tree tree = { 0 };
	struct buf b = { 0 };
	double *ticks = NULL;
	size_t n_ticks = 0;
	int status = EXIT_OK, r;
	struct group_name gn;

	if (rec_load_open(file, cfg->path, "--replay", &l) < 0)
		return EXIT_RUNTIME;
	double from = -INFINITY, to = INFINITY;
	if (cfg->replay_from || cfg->replay_to) {
		/* relative times (-10m) count back from the last sample */
		double end;
		if (rec_load_end(l, &end) < 0) {
			status = EXIT_RUNTIME;
			goto out;
		}
		if (cfg->replay_from)
			parse_time(cfg->replay_from, end, (double)time(NULL), &from);
		if (cfg->replay_to)
			parse_time(cfg->replay_to, end, (double)time(NULL), &to);
	}
	if (rec_load_ticks(l, from, to, &ticks, &n_ticks) < 0) {
		status = EXIT_RUNTIME;
		goto out;
	}
	if (cfg->format != FORMAT_JSON && cg_tree_open_empty(&tree, l->top, cfg->depth) < 0) {
		fprintf(stderr, "cgtop: the path %s is too long\n", l->top);
		status = EXIT_RUNTIME;
		goto out;
	}
	buf_init(&b, 65536);
	struct output o = { .cfg = cfg, .out = stdout, .tty = isatty(fileno(stdout)), .forks_overruns = -1 };
	buf_init(&o.line, 65536);
	sqlite3_stmt *rows = l->rows;
	for (size_t k = 0; k < n_ticks && (cfg->count < 0 || (long long)k < cfg->count); k++) {
		double t = ticks[k];
		bool first = true;
		int rc;

		if (cfg->format != FORMAT_JSON) {
			r = sample_tree(cfg, l, &tree, t, &o);
			if (r < 0) {
				if (r == -EIO)
					rec_load_fail(l);
				status = EXIT_RUNTIME;
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
			continue;
		}

		b.len = 0;
		buf_printf(&b, "{\"time\":%.6f,\"mode\":\"%s\",\"cgroups\":[", t, l->mode);
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
			if (rec_load_name(l, rows, &gn))
				names_json(&b, &gn);
			for (unsigned i = 0; i < cfg->n_cols; i++) {
				enum col_id c = cfg->col_order[i];
				for (int j = 0; columns[c].fields[j].json || columns[c].fields[j].prom; j++) {
					const struct col_field *f = &columns[c].fields[j];
					if (!f->json)
						continue;
					buf_printf(&b, ",\"%s\":", f->json);
					if (l->at[c][j] < 0)
						buf_puts(&b, "null");
					else
						value(&b, rows, l->at[c][j], f);
				}
			}
			buf_puts(&b, "}");
		}
		sqlite3_reset(rows);
		if (rc != SQLITE_DONE) {
			rec_load_fail(l);
			status = EXIT_RUNTIME;
			break;
		}
		buf_puts(&b, "]}\n");
		if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0) {
			if (errno != EPIPE)
				fprintf(stderr, "cgtop: cannot write the output: %s\n", strerror(errno));
			status = EXIT_RUNTIME;
			break;
		}
	}
	buf_free(&o.line);
out:
	if (tree.root)
		cg_tree_close(&tree);
	free(ticks);
	rec_load_close(l);
	buf_free(&b);
	return status;
}
