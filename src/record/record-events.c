/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record-events.c - cgtop --events --replay FILE: the OOM kills and fork
 * rejections of a recording as --events printed them, one per line, in the
 * order they were stored: JSON as it was, text with its time written by the
 * reader's clock (local time, as live).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "record/sqlite-dl.h" /* SQLite, loaded when a recording is opened */

#include "events/events.h"
#include "base/fileio.h"
#include "options.h"
#include "base/parse.h"
#include "record/record.h"

static int fail(sqlite3 *db, const char *file)
{
	fprintf(stderr, "cgtop: cannot read the recording %s: %s\n", file, sqlite3_errmsg(db));
	return EXIT_RUNTIME;
}

int replay_events_main(const struct config *cfg)
{
	const char *file = cfg->replay_file;
	bool ranged = cfg->replay_from || cfg->replay_to;
	double from = -INFINITY, to = INFINITY;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	struct buf b;
	int status = EXIT_OK, rc;

	if (rec_db_open_read(file, "--replay", &db) < 0)
		return EXIT_RUNTIME;
	if (ranged) {
		double end = 0;
		if (sqlite3_prepare_v2(db, "SELECT coalesce(max(time), 0) FROM ticks", -1, &st, NULL) !=
		    SQLITE_OK)
			goto not_ours;
		if (sqlite3_step(st) == SQLITE_ROW)
			end = sqlite3_column_double(st, 0);
		sqlite3_finalize(st);
		st = NULL;
		if (cfg->replay_from)
			parse_time(cfg->replay_from, end, (double)time(NULL), &from);
		if (cfg->replay_to)
			parse_time(cfg->replay_to, end, (double)time(NULL), &to);
	}
	/* a recording of the first schema 1 files has no text column: kind and
	 * the names stand in */
	rc = sqlite3_prepare_v2(
		db,
		"SELECT time, coalesce(text, kind || coalesce(' cgroup=' || cgroup, '') || coalesce(' pid=' || pid, '')"
		" || coalesce(' task=\"' || task || '\"', '')), json, cgroup, json_extract(json, '$.task_cgroup')"
		" FROM events WHERE (?1 = 0 AND time IS NULL) OR (time >= ?2 AND time <= ?3) ORDER BY rowid",
		-1, &st, NULL);
	if (rc != SQLITE_OK) {
		/* a table or a column missing: not a recording */
		if (sqlite3_errcode(db) == SQLITE_ERROR || sqlite3_errcode(db) == SQLITE_NOTADB)
			goto not_ours;
		status = fail(db, file);
		sqlite3_close(db);
		return status;
	}
	sqlite3_bind_int(st, 1, ranged);
	sqlite3_bind_double(st, 2, from);
	sqlite3_bind_double(st, 3, to);
	buf_init(&b, 4096);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cg = (const char *)sqlite3_column_text(st, 3);
		const char *task_cg = (const char *)sqlite3_column_text(st, 4);

		if (!events_in_path(cg, task_cg, cfg->path))
			continue;
		b.len = 0;
		if (cfg->format == FORMAT_JSON) {
			buf_append(&b, (const char *)sqlite3_column_text(st, 2), sqlite3_column_bytes(st, 2));
			if (!b.len || b.data[b.len - 1] != '\n')
				buf_puts(&b, "\n");
		} else {
			if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
				buf_puts(&b, "-");
			} else {
				time_t t = (time_t)sqlite3_column_double(st, 0);
				struct tm tm;
				char s[64];
				localtime_r(&t, &tm);
				strftime(s, sizeof(s), "%Y-%m-%d %H:%M:%S", &tm);
				buf_puts(&b, s);
			}
			buf_puts(&b, " ");
			buf_append(&b, (const char *)sqlite3_column_text(st, 1), sqlite3_column_bytes(st, 1));
			buf_puts(&b, "\n");
		}
		if (fwrite(b.data, 1, b.len, stdout) != b.len) {
			if (errno != EPIPE)
				fprintf(stderr, "cgtop: cannot write the output: %s\n", strerror(errno));
			status = EXIT_RUNTIME;
			break;
		}
	}
	if (status == EXIT_OK && rc != SQLITE_DONE)
		status = fail(db, file);
	if (status == EXIT_OK && fflush(stdout) != 0) {
		if (errno != EPIPE)
			fprintf(stderr, "cgtop: cannot write the output: %s\n", strerror(errno));
		status = EXIT_RUNTIME;
	}
	buf_free(&b);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return status;
not_ours:
	fprintf(stderr, "cgtop: %s is not a cgtop recording\n", file);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return EXIT_RUNTIME;
}
