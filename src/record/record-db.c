/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record-db.c - the recording file: checks that an existing file is a
 * recording this cgtop may append to (without writing to it otherwise),
 * creates the schema (cgtop(1), THE RECORDING FILE) and stores samples.
 *
 * The samples table has one column per JSON field of the column table, named
 * by its JSON key, generated here from the table, so a column added to
 * column.c is recorded without a change in this file (a new column in an
 * existing recording is added with ALTER TABLE).  A value not available is
 * NULL; a limit that is not set is the text 'max', as in JSON.  memory.stat
 * has a table of its own (schema 2), a row when the sampler's map tier read
 * it and it changed; a recording of schema 1 (memory_stat a column of
 * samples) is given that table when a recorder appends to it, its old rows
 * left as they are (record-load.c reads both).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/sqlite-dl.h" /* SQLite, loaded when a recording is opened */

#include "events/events.h"
#include "base/fileio.h"
#include "base/units.h"
#include "base/macro.h"
#include "names/names.h"
#include "output/output.h"
#include "record/record.h"
#include "record/record-psi.h"

enum {
	ST_TICK,
	ST_GROUP_NEW,
	ST_GROUP_GONE,
	ST_SAMPLE,
	ST_MEMSTAT,
	ST_META,
	ST_EVENT,
	ST_RET_GROUPS,
	ST_RET_SAMPLES,
	ST_RET_GONE_SAMPLES,
	ST_RET_GONE_GROUP,
	ST_RET_MEMSTAT,
	ST_RET_GONE_MEMSTAT,
	ST_RET_TICKS,
	ST_RET_EVENTS,
	ST_RET_STEP,
	_ST_MAX,
};

struct rec_db {
	sqlite3 *db;
	const char *file;
	sqlite3_stmt *st[_ST_MAX];
	struct buf text; /* a map or pressure value as JSON text */
	/* retention (rec_db_retain) */
	double cut;      /* no point in time before it is kept; 0: not read yet */
	int64_t cursor;  /* the pass over the groups: the last id visited */
	bool pass_done;  /* every group visited since cut last moved */
	int64_t n_ticks; /* sample times kept */
};

static int fail(struct rec_db *d, const char *what)
{
	fprintf(stderr, "cgtop: cannot %s in the recording %s: %s\n", what, d->file, sqlite3_errmsg(d->db));
	return -EIO;
}

static int exec(struct rec_db *d, const char *sql, const char *what)
{
	if (sqlite3_exec(d->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fail(d, what);
	return 0;
}

static const char *sql_type(enum col_kind k)
{
	switch (k) {
	case CK_COUNT:
	case CK_BYTES:
	case CK_USEC:
		return "INTEGER";
	case CK_LIMIT:
	case CK_LIMIT_BYTES:
	case CK_CPUS:
		return "NUMERIC"; /* a number (CPUs: a decimal one) or 'max' */
	case CK_PERCENT:
	case CK_RATE:
	case CK_AVG:
		return "REAL";
	default:
		return "TEXT"; /* lists, words, paths, JSON objects */
	}
}

/* ---- checking an existing file, read-only ---- */

static int64_t query_int(sqlite3 *db, const char *sql, int *rc)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	*rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (*rc != SQLITE_OK)
		return -1;
	*rc = sqlite3_step(st);
	if (*rc == SQLITE_ROW) {
		v = sqlite3_column_int64(st, 0);
		*rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return v;
}

/* The database header (https://sqlite.org/fileformat.html): the magic
 * string, user_version at 60 and application_id at 68, big-endian. */
static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* 0: a recording of this schema or older, 1: an empty file (a new
 * recording), or -errno after one line.  Read from the header with read(2):
 * an SQLite connection, even a read-only one, creates the -wal and -shm
 * files of a WAL database.  When a -wal file is there (a recorder was
 * killed), the header may be older than the last commit: SQLite reads it. */
#define SQLITE_HEADER 100
static int check_existing(const char *file, const struct stat *st)
{
	unsigned char h[SQLITE_HEADER + 1];
	char wal[PATH_MAX];
	uint32_t app, ver;
	int rc;

	if (st->st_size == 0)
		return 1;
	snprintf(wal, sizeof(wal), "%s-wal", file);
	if (access(wal, F_OK) == 0) {
		sqlite3 *db = NULL;
		rc = sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL);
		/* another connection may hold the file's lock a moment (a reader
		 * recovering the -wal after a killed recorder): wait for it, as
		 * the recorder's own connection does */
		if (rc == SQLITE_OK)
			sqlite3_busy_timeout(db, 5000);
		int64_t a = rc == SQLITE_OK ? query_int(db, "PRAGMA application_id", &rc) : -1;
		int64_t v = rc == SQLITE_OK ? query_int(db, "PRAGMA user_version", &rc) : -1;
		sqlite3_close(db);
		if (rc != SQLITE_OK && rc != SQLITE_NOTADB) {
			fprintf(stderr, "cgtop: cannot read the recording %s: %s\n", file,
				sqlite3_errstr(rc));
			return -EIO;
		}
		if (rc == SQLITE_NOTADB)
			goto not_sqlite;
		app = (uint32_t)a;
		ver = (uint32_t)v;
	} else {
		/* the 100 bytes of the header (and a NUL fileio adds) */
		int n = fileio_read_str_at(AT_FDCWD, file, (char *)h, sizeof(h));
		if (n < 0) {
			fprintf(stderr, "cgtop: cannot read the recording %s: %s\n", file, strerror(-n));
			return n;
		}
		if (n < SQLITE_HEADER || memcmp(h, "SQLite format 3", 16) != 0)
			goto not_sqlite;
		ver = be32(h + 60);
		app = be32(h + 68);
	}
	if (app != RECORD_APPLICATION_ID) {
		fprintf(stderr,
			"cgtop: %s is not a cgtop recording (an SQLite database of another program)\n", file);
		return -EINVAL;
	}
	if (ver > RECORD_SCHEMA_VERSION) {
		fprintf(stderr,
			"cgtop: %s is a recording of a newer cgtop (schema %u, this cgtop writes %d)\n", file,
			ver, RECORD_SCHEMA_VERSION);
		return -EINVAL;
	}
	return 0;
not_sqlite:
	fprintf(stderr, "cgtop: %s is not a cgtop recording (not an SQLite database)\n", file);
	return -EINVAL;
}

int rec_db_check_file(const char *file)
{
	struct stat st;
	int r;

	if (stat(file, &st) < 0) {
		int e = errno;
		fprintf(stderr, "cgtop: cannot open the recording %s: %s\n", file, strerror(e));
		return -e;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "cgtop: %s is not a cgtop recording (not a regular file)\n", file);
		return -EINVAL;
	}
	r = check_existing(file, &st);
	if (r == 1) {
		fprintf(stderr, "cgtop: %s is not a cgtop recording (an empty file)\n", file);
		return -EINVAL;
	}
	return r;
}

int rec_db_open_read(const char *file, const char *option, sqlite3 **ret)
{
	sqlite3 *db = NULL;
	int rc;

	if (sqlite_dl_load(option) < 0)
		return -ELIBACC;
	if (rec_db_check_file(file) < 0)
		return -EINVAL;
	/* one thread: no mutex around each column read of a replay */
	rc = sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		fprintf(stderr, "cgtop: cannot open the recording %s: %s\n", file, sqlite3_errstr(rc));
		sqlite3_close(db);
		return -EIO;
	}
	sqlite3_busy_timeout(db, 5000);
	/* pages read in place instead of copied by pread: a replay's step seeks
	 * every group's last row (measured: 67 -> 47 ms CPU a step at 5000
	 * groups).  The mapping follows the file's size at each read
	 * transaction, and in WAL mode a checkpoint does not shrink the file
	 * under a reader's snapshot; a build without mmap ignores it. */
	sqlite3_exec(db, "PRAGMA mmap_size = 2147418112", NULL, NULL, NULL);
	*ret = db;
	return 0;
}

/* Root may write a file whose mode says read-only; the recorder does not. */
static bool read_only(const char *file)
{
	struct stat st;

	if (stat(file, &st) < 0)
		return false;
	return !(st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) ||
	       faccessat(AT_FDCWD, file, W_OK, AT_EACCESS) < 0;
}

/* ---- the schema ---- */

/* The steps from an older schema, each from version N to N + 1, run in
 * order in the transaction that opens the file, after the tables of the
 * current schema are made where missing (CREATE TABLE IF NOT EXISTS) and
 * the columns added since are added; then user_version is set.  A file made
 * now (user_version 0) needs none. */

/* 1 -> 2: the memory_stat table, made above; the samples.memory_stat
 * column stays with its rows (NULL in new ones), which a replay reads where
 * memory_stat has no row at or before its time (record-load.c). */
static int step_1_to_2(struct rec_db *d)
{
	(void)d;
	return 0;
}

/* 2 -> 3: psi as a compact array (record-psi.h); the rows stored before
 * keep their object, which a replay prints as it is (rec_psi_json) and
 * record-load.c reads by its type: nothing to rewrite. */
static int step_2_to_3(struct rec_db *d)
{
	(void)d;
	return 0;
}

static int (*const schema_steps[])(struct rec_db *) = {
	[1] = step_1_to_2,
	[2] = step_2_to_3,
};

static int migrate(struct rec_db *d, int64_t from)
{
	char sql[64];
	int r = 0;

	for (int64_t v = from > 0 ? from : RECORD_SCHEMA_VERSION; v < RECORD_SCHEMA_VERSION && r == 0; v++)
		if (v < (int64_t)ARRAY_SIZE(schema_steps) && schema_steps[v])
			r = schema_steps[v](d);
	if (r < 0)
		return r;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", RECORD_SCHEMA_VERSION);
	return exec(d, sql, "set the schema version");
}

static int create_schema(struct rec_db *d)
{
	struct buf b;
	int r, vrc;
	int64_t from = query_int(d->db, "PRAGMA user_version", &vrc);

	if (vrc != SQLITE_OK)
		return fail(d, "read the schema version");
	buf_init(&b, 4096);
	buf_printf(&b,
		   "PRAGMA application_id = %d;"
		   "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
		   "CREATE TABLE IF NOT EXISTS groups(id INTEGER PRIMARY KEY, path TEXT NOT NULL,"
		   " first_seen REAL NOT NULL, last_seen REAL, controllers TEXT, from_proc INTEGER,"
		   " name TEXT, kind TEXT, container_id TEXT, pod TEXT, pod_uid TEXT, namespace TEXT,"
		   " qos TEXT, unit TEXT);"
		   "CREATE INDEX IF NOT EXISTS groups_path ON groups(path);"
		   "CREATE TABLE IF NOT EXISTS ticks(time REAL PRIMARY KEY);"
		   "CREATE TABLE IF NOT EXISTS events(time REAL, kind TEXT NOT NULL, source TEXT,"
		   " pid INTEGER, task TEXT, cgroup TEXT, json TEXT, text TEXT);"
		   "CREATE INDEX IF NOT EXISTS events_time ON events(time);"
		   "CREATE TABLE IF NOT EXISTS memory_stat(time REAL NOT NULL,"
		   " group_id INTEGER NOT NULL REFERENCES groups(id), json TEXT);"
		   "CREATE INDEX IF NOT EXISTS memory_stat_group_time ON memory_stat(group_id, time);"
		   "CREATE TABLE IF NOT EXISTS samples(time REAL NOT NULL,"
		   " group_id INTEGER NOT NULL REFERENCES groups(id)",
		   RECORD_APPLICATION_ID);
	for (int c = 0; c < _COL_MAX; c++)
		for (const struct col_field *f = columns[c].fields; f->json || f->prom; f++)
			if (record_field_in_samples(c, f))
				buf_printf(&b, ", %s %s", f->json, sql_type(f->kind));
	buf_puts(&b, ");"
		     "CREATE INDEX IF NOT EXISTS samples_group_time ON samples(group_id, time);");
	r = exec(d, b.data, "create the tables");
	buf_free(&b);
	if (r < 0)
		return r;

	/* a recording of an older cgtop: the columns added since (nullable: a
	 * reader that does not know them reads the file).  One of schema 1 is
	 * now 2: the memory_stat table made above, in this transaction, its
	 * samples.memory_stat column kept with its rows (NULL in new ones). */
	{
		static const char *const added[][2] = {
			{ "events", "text" },         { "groups", "name" }, { "groups", "kind" },
			{ "groups", "container_id" }, { "groups", "pod" },  { "groups", "pod_uid" },
			{ "groups", "namespace" },    { "groups", "qos" },  { "groups", "unit" },
		};
		for (size_t i = 0; i < ARRAY_SIZE(added) && r == 0; i++) {
			char sql[160];
			int rc;
			snprintf(sql, sizeof(sql), "SELECT 1 FROM pragma_table_info('%s') WHERE name = '%s'",
				 added[i][0], added[i][1]);
			if (query_int(d->db, sql, &rc) == 1)
				continue;
			snprintf(sql, sizeof(sql), "ALTER TABLE %s ADD COLUMN %s TEXT", added[i][0],
				 added[i][1]);
			r = exec(d, sql, "add a column");
		}
	}
	for (int c = 0; c < _COL_MAX && r == 0; c++)
		for (const struct col_field *f = columns[c].fields; (f->json || f->prom) && r == 0; f++) {
			if (!record_field_in_samples(c, f))
				continue;
			char sql[256];
			snprintf(sql, sizeof(sql),
				 "SELECT 1 FROM pragma_table_info('samples') WHERE name = '%s'", f->json);
			int rc;
			if (query_int(d->db, sql, &rc) == 1)
				continue;
			snprintf(sql, sizeof(sql), "ALTER TABLE samples ADD COLUMN %s %s", f->json,
				 sql_type(f->kind));
			r = exec(d, sql, "add a column");
		}
	if (r == 0)
		r = migrate(d, from);
	return r;
}

static int prepare(struct rec_db *d)
{
	static const char *const sql[_ST_MAX] = {
		[ST_TICK] = "INSERT OR REPLACE INTO ticks(time) VALUES (?)",
		[ST_GROUP_NEW] = "INSERT INTO groups(path, first_seen, controllers, from_proc, name, kind,"
				 " container_id, pod, pod_uid, namespace, qos, unit)"
				 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		[ST_GROUP_GONE] = "UPDATE groups SET last_seen = ? WHERE id = ?",
		[ST_META] = "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
		[ST_EVENT] =
			"INSERT INTO events(time, kind, source, pid, task, cgroup, json, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		[ST_RET_GROUPS] = "SELECT id, last_seen FROM groups WHERE id > ? ORDER BY id LIMIT ?",
		/* a group's rows before its last one at or before the cut: that
		 * one is what a point after the cut is rebuilt from */
		[ST_RET_SAMPLES] =
			"DELETE FROM samples WHERE rowid IN (SELECT rowid FROM samples WHERE group_id = ?1 AND"
			" time < (SELECT max(time) FROM samples WHERE group_id = ?1 AND time <= ?2)"
			" ORDER BY time LIMIT ?3)",
		[ST_RET_GONE_SAMPLES] = "DELETE FROM samples WHERE rowid IN"
					" (SELECT rowid FROM samples WHERE group_id = ?1 LIMIT ?2)",
		[ST_RET_GONE_GROUP] = "DELETE FROM groups WHERE id = ?",
		[ST_MEMSTAT] = "INSERT INTO memory_stat(time, group_id, json) VALUES (?, ?, ?)",
		/* the same rule as samples: the last row at or before the cut
		 * stays, the memory.stat of every point after it */
		[ST_RET_MEMSTAT] =
			"DELETE FROM memory_stat WHERE rowid IN (SELECT rowid FROM memory_stat WHERE group_id = ?1 AND"
			" time < (SELECT max(time) FROM memory_stat WHERE group_id = ?1 AND time <= ?2)"
			" ORDER BY time LIMIT ?3)",
		[ST_RET_GONE_MEMSTAT] = "DELETE FROM memory_stat WHERE rowid IN"
					" (SELECT rowid FROM memory_stat WHERE group_id = ?1 LIMIT ?2)",
		[ST_RET_TICKS] = "DELETE FROM ticks WHERE time < ?",
		[ST_RET_EVENTS] =
			"DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE time < ?1 OR"
			" (time IS NULL AND rowid < (SELECT min(rowid) FROM events WHERE time >= ?1)) LIMIT ?2)",
		/* the cut that drops the oldest ?2 sample times */
		[ST_RET_STEP] = "SELECT time FROM ticks WHERE time > ?1 ORDER BY time LIMIT 1 OFFSET ?2",
	};
	struct buf b;

	buf_init(&b, 4096);
	buf_puts(&b, "INSERT INTO samples(time, group_id");
	unsigned n = 2;
	for (int c = 0; c < _COL_MAX; c++)
		for (const struct col_field *f = columns[c].fields; f->json || f->prom; f++)
			if (record_field_in_samples(c, f)) {
				buf_printf(&b, ", %s", f->json);
				n++;
			}
	buf_puts(&b, ") VALUES (?");
	for (unsigned i = 1; i < n; i++)
		buf_puts(&b, ", ?");
	buf_puts(&b, ")");
	for (int i = 0; i < _ST_MAX; i++) {
		const char *s = i == ST_SAMPLE ? b.data : sql[i];
		if (sqlite3_prepare_v3(d->db, s, -1, SQLITE_PREPARE_PERSISTENT, &d->st[i], NULL) !=
		    SQLITE_OK) {
			buf_free(&b);
			return fail(d, "prepare a statement");
		}
	}
	buf_free(&b);
	return 0;
}

static void remove_new(const char *file)
{
	char p[PATH_MAX];

	unlink(file);
	snprintf(p, sizeof(p), "%s-wal", file);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", file);
	unlink(p);
	snprintf(p, sizeof(p), "%s-journal", file);
	unlink(p);
}

int rec_db_check_writable(const char *file)
{
	struct stat st;
	int r = sqlite_dl_load("--record");

	if (r < 0)
		return r;
	if (stat(file, &st) < 0)
		return 0; /* a new recording */
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "cgtop: %s is not a cgtop recording (not a regular file)\n", file);
		return -EINVAL;
	}
	r = check_existing(file, &st);
	if (r < 0)
		return r;
	if (read_only(file)) {
		fprintf(stderr, "cgtop: the recording %s is read-only\n", file);
		return -EROFS;
	}
	return 0;
}

int rec_db_open(const char *file, struct rec_db **ret)
{
	struct stat st;
	bool exists = stat(file, &st) == 0;
	int r = rec_db_check_writable(file);

	if (r < 0)
		return r;

	struct rec_db *d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->file = file;
	buf_init(&d->text, 4096);
	if (sqlite3_open_v2(file, &d->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		fprintf(stderr, "cgtop: cannot open the recording %s: %s\n", file,
			d->db ? sqlite3_errmsg(d->db) : "out of memory");
		rec_db_close(d);
		if (!exists)
			remove_new(file);
		return -EIO;
	}
	sqlite3_busy_timeout(d->db, 5000);
	/* WAL: readers (sqlite3, a replay) never block the recorder; NORMAL
	 * synchronous keeps every committed sample but the last few over a power
	 * cut, and the file consistent (https://sqlite.org/wal.html) */
	r = exec(d, "PRAGMA journal_mode = WAL", "switch to WAL mode");
	if (r == 0)
		r = exec(d, "PRAGMA synchronous = NORMAL", "set synchronous");
	/* the -wal file is cut back to 4 MiB after a checkpoint, else it stays
	 * at its largest size, out of --retain's count */
	if (r == 0)
		r = exec(d, "PRAGMA journal_size_limit = 4194304", "limit the -wal file");
	if (r == 0)
		r = exec(d, "BEGIN IMMEDIATE", "begin");
	if (r == 0)
		r = create_schema(d);
	if (r == 0)
		r = exec(d, "COMMIT", "commit the schema");
	if (r == 0)
		r = prepare(d);
	if (r < 0) {
		rec_db_close(d);
		if (!exists)
			remove_new(file); /* a file this run made and could not make a recording of */
		return r;
	}
	*ret = d;
	return 0;
}

void rec_db_close(struct rec_db *d)
{
	if (!d)
		return;
	for (int i = 0; i < _ST_MAX; i++)
		sqlite3_finalize(d->st[i]);
	sqlite3_close(d->db);
	buf_free(&d->text);
	free(d);
}

static int step(struct rec_db *d, int i, const char *what)
{
	sqlite3_stmt *st = d->st[i];
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return fail(d, what);
	return 0;
}

int rec_db_meta(struct rec_db *d, const char *key, const char *value)
{
	sqlite3_bind_text(d->st[ST_META], 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(d->st[ST_META], 2, value, -1, SQLITE_STATIC);
	return step(d, ST_META, "write meta");
}

int rec_db_begin(struct rec_db *d)
{
	return exec(d, "BEGIN IMMEDIATE", "begin a sample");
}

int rec_db_commit(struct rec_db *d)
{
	return exec(d, "COMMIT", "commit a sample");
}

int rec_db_tick(struct rec_db *d, double time)
{
	sqlite3_bind_double(d->st[ST_TICK], 1, time);
	return step(d, ST_TICK, "store a sample time");
}

/* a name's field, NULL when empty */
static void bind_name(sqlite3_stmt *st, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

int rec_db_group_new(struct rec_db *d, const char *path, double time, const char *controllers, bool from_proc,
		     const struct group_name *gn, int64_t *ret_id)
{
	sqlite3_stmt *st = d->st[ST_GROUP_NEW];

	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 2, time);
	sqlite3_bind_text(st, 3, controllers, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, from_proc);
	if (gn) {
		bind_name(st, 5, gn->name);
		bind_name(st, 6, names_kind_name(gn->kind));
		bind_name(st, 7, gn->container_id);
		bind_name(st, 8, gn->pod);
		bind_name(st, 9, gn->pod_uid);
		bind_name(st, 10, gn->namespace);
		bind_name(st, 11, gn->qos);
		bind_name(st, 12, gn->unit);
	}
	int r = step(d, ST_GROUP_NEW, "store a group");
	if (r == 0)
		*ret_id = sqlite3_last_insert_rowid(d->db);
	return r;
}

int rec_db_group_gone(struct rec_db *d, int64_t id, double last_seen)
{
	sqlite3_bind_double(d->st[ST_GROUP_GONE], 1, last_seen);
	sqlite3_bind_int64(d->st[ST_GROUP_GONE], 2, id);
	return step(d, ST_GROUP_GONE, "close a group");
}

int rec_db_close_open_groups(struct rec_db *d)
{
	return exec(
		d,
		"UPDATE groups SET last_seen = max(first_seen, coalesce((SELECT max(time) FROM ticks), first_seen))"
		" WHERE last_seen IS NULL",
		"close the groups of an earlier run");
}

int rec_db_event(struct rec_db *d, const struct cg_event *ev, double time, const struct group_name *gn)
{
	sqlite3_stmt *st = d->st[ST_EVENT];

	if (time >= 0)
		sqlite3_bind_double(st, 1, time);
	sqlite3_bind_text(st, 2, cg_event_kind_name(ev->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ev->source == EV_SRC_COUNTER ? "counter" : "kmsg", -1, SQLITE_STATIC);
	if (ev->pid >= 0)
		sqlite3_bind_int64(st, 4, ev->pid);
	if (ev->task[0])
		sqlite3_bind_text(st, 5, ev->task, -1, SQLITE_STATIC);
	if (ev->cgroup[0])
		sqlite3_bind_text(st, 6, ev->cgroup, -1, SQLITE_STATIC);
	d->text.len = 0;
	events_format_json(&d->text, ev, time);
	/* the group's name as live --events appends it, the object's last member */
	if (gn && d->text.len >= 2 && memcmp(d->text.data + d->text.len - 2, "}\n", 2) == 0) {
		d->text.len -= 2;
		names_json_object(&d->text, "group_name", gn);
		buf_append(&d->text, "}\n", 2);
	}
	size_t json_len = d->text.len;
	/* the text line of --events from the kind on: the time before it is
	 * written as the reader's clock shows it (--events --replay) */
	events_format_text(&d->text, ev, time);
	const char *line = d->text.data + json_len, *kind = cg_event_kind_name(ev->kind);
	const char *at = strstr(line, kind);
	size_t len = d->text.len - json_len;
	if (at && at > line && at[-1] == ' ') {
		len -= (size_t)(at - line);
		line = at;
	}
	while (len && line[len - 1] == '\n')
		len--;
	sqlite3_bind_text(st, 7, d->text.data, (int)json_len, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, line, (int)len, SQLITE_STATIC);
	return step(d, ST_EVENT, "store an event");
}

/* FNV-1a over the values bound, to tell an unchanged row without keeping it */
static uint64_t hash(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 0x100000001b3ULL;
	return h;
}

int rec_db_sample(struct rec_db *d, double time, int64_t id, const struct cg_node *n, uint64_t *row_hash)
{
	sqlite3_stmt *st = d->st[ST_SAMPLE];
	uint64_t h = 0xcbf29ce484222325ULL;
	int i = 3;

	sqlite3_bind_double(st, 1, time);
	sqlite3_bind_int64(st, 2, id);
	for (int c = 0; c < _COL_MAX; c++)
		for (const struct col_field *f = columns[c].fields; f->json || f->prom; f++) {
			if (!record_field_in_samples(c, f))
				continue;
			struct col_value x;
			h = hash(h, &i, sizeof(i));
			/* kmsg_open: no value stored reads the kernel log */
			if (!column_value(n, f->val, false, &x)) {
				h = hash(h, "N", 1);
				i++; /* NULL */
				continue;
			}
			switch (f->kind) {
			case CK_COUNT:
			case CK_BYTES:
			case CK_USEC:
				sqlite3_bind_int64(st, i, (int64_t)x.u);
				h = hash(h, &x.u, sizeof(x.u));
				break;
			case CK_LIMIT:
			case CK_LIMIT_BYTES:
			case CK_CPUS:
				if (x.u == CG_UNLIMITED)
					sqlite3_bind_text(st, i, "max", 3, SQLITE_STATIC);
				else if (f->kind == CK_CPUS)
					sqlite3_bind_double(st, i, x.u / 1e6);
				else
					sqlite3_bind_int64(st, i, (int64_t)x.u);
				h = hash(h, &x.u, sizeof(x.u));
				break;
			case CK_PERCENT:
			case CK_AVG:
			case CK_RATE: {
				/* stored as read, so a replay rounds it as live output
				 * does (text to one decimal, JSON to two); a change
				 * below JSON's rounding is no change */
				double rounded = f->kind == CK_RATE ? units_round(x.d * 10) / 10
								    : units_round(x.d * 100) / 100;
				sqlite3_bind_double(st, i, x.d);
				h = hash(h, &rounded, sizeof(rounded));
				break;
			}
			case CK_CPULIST:
			case CK_WORD:
			case CK_TEXT:
				sqlite3_bind_text(st, i, x.s, (int)x.len, SQLITE_TRANSIENT);
				h = hash(h, x.s, x.len);
				break;
			case CK_FROM:
				sqlite3_bind_text(st, i, x.from->path, -1, SQLITE_TRANSIENT);
				h = hash(h, x.from->path, strlen(x.from->path));
				break;
			case CK_PSI: {
				/* compact (schema 3, record-psi.h) */
				unsigned valid = 0;
				for (int k = 0; k < 3; k++)
					if (VALID(&n->cur, V_PSI_CPU + k))
						valid |= 1u << k;
				d->text.len = 0;
				rec_psi_compact(&d->text, n->psi, valid);
				sqlite3_bind_text(st, i, d->text.data, (int)d->text.len, SQLITE_TRANSIENT);
				h = hash(h, d->text.data, d->text.len);
				break;
			}
			case CK_MAP:
			case CK_INFO:
				d->text.len = 0;
				output_json_value(&d->text, n, f, false);
				sqlite3_bind_text(st, i, d->text.data, (int)d->text.len, SQLITE_TRANSIENT);
				h = hash(h, d->text.data, d->text.len);
				break;
			}
			i++;
		}
	if (h == *row_hash) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return 0;
	}
	int r = step(d, ST_SAMPLE, "store a sample");
	if (r < 0)
		return r;
	*row_hash = h;
	return 1;
}

int rec_db_memory_stat(struct rec_db *d, double time, int64_t id, const struct cg_node *n, uint64_t *last)
{
	static const struct col_field *field;
	sqlite3_stmt *st = d->st[ST_MEMSTAT];
	struct col_value x;
	uint64_t h = 0; /* null: as nothing stored yet */

	if (!field)
		for (const struct col_field *f = columns[COL_MEM_STAT].fields; f->json; f++)
			if (f->val == CV_MEM_STAT)
				field = f;
	d->text.len = 0;
	if (field && column_value(n, field->val, false, &x)) {
		output_json_value(&d->text, n, field, false);
		h = hash(0xcbf29ce484222325ULL, d->text.data, d->text.len);
		if (!h)
			h = 1;
	}
	if (h == *last)
		return 0;
	sqlite3_bind_double(st, 1, time);
	sqlite3_bind_int64(st, 2, id);
	if (h)
		sqlite3_bind_text(st, 3, d->text.data, (int)d->text.len, SQLITE_STATIC);
	int r = step(d, ST_MEMSTAT, "store a memory.stat");
	if (r < 0)
		return r;
	*last = h;
	return 1;
}

/* ---- retention ---- */

static int64_t pragma(struct rec_db *d, const char *sql)
{
	int rc;
	int64_t v = query_int(d->db, sql, &rc);

	return rc == SQLITE_OK ? v : -1;
}

/* The bytes of the pages in use: the file holds no more than that plus the
 * pages freed, which SQLite reuses before it grows the file. */
static int64_t bytes_used(struct rec_db *d)
{
	int64_t pages = pragma(d, "PRAGMA page_count"), free_pages = pragma(d, "PRAGMA freelist_count"),
		size = pragma(d, "PRAGMA page_size");

	return pages < 0 || free_pages < 0 || size < 0 ? -1 : (pages - free_pages) * size;
}

static int retain_init(struct rec_db *d)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(
		d->db,
		"SELECT coalesce((SELECT CAST(value AS REAL) FROM meta WHERE key = 'retained_from'),"
		" (SELECT min(time) FROM ticks), 0), (SELECT count(*) FROM ticks)",
		-1, &st, NULL);

	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		d->cut = sqlite3_column_double(st, 0);
		d->n_ticks = sqlite3_column_int64(st, 1);
		sqlite3_finalize(st);
		if (d->cut <= 0)
			d->cut = 1; /* read */
		return 0;
	}
	sqlite3_finalize(st);
	return fail(d, "read the retention state");
}

/* Per sample: at most this many groups visited and rows removed, so a
 * recording that is far over its limits (a smaller --retain on an old file)
 * is brought down over many samples, never with a pause in recording. */
#define RETAIN_GROUPS 4096
#define RETAIN_ROWS 4096

int rec_db_retain(struct rec_db *d, double now, uint64_t age_sec, uint64_t max_bytes)
{
	double cut;
	int r, budget = RETAIN_ROWS;

	if (d->cut == 0 && (r = retain_init(d)) < 0)
		return r;
	cut = d->cut;
	/* by age: in steps of 1/1024 of it (10 minutes of 7 days), so the pass
	 * below runs that often, not every sample */
	if (age_sec && now - (double)age_sec - cut >= (double)age_sec / 1024)
		cut = now - (double)age_sec;
	/* over the size: drop the share of the oldest sample times the file is
	 * over by (at least 2: more than the one a sample adds), once the rows
	 * of the last cut are gone (else the cut would run ahead of the rows
	 * removed) */
	if (max_bytes && d->pass_done) {
		int64_t used = bytes_used(d);
		if (used < 0)
			return fail(d, "read the size of the file");
		if ((uint64_t)used > max_bytes) {
			sqlite3_stmt *st = d->st[ST_RET_STEP];
			sqlite3_bind_double(st, 1, cut);
			int64_t drop = (int64_t)((double)d->n_ticks * (double)(used - (int64_t)max_bytes) /
						 (double)used);
			sqlite3_bind_int64(st, 2, drop > 2 ? drop : 2);
			if (sqlite3_step(st) == SQLITE_ROW)
				cut = sqlite3_column_double(st, 0);
			sqlite3_reset(st);
		}
	}
	if (cut > now)
		cut = now; /* never past the sample just stored */
	if (cut > d->cut) {
		char v[32];
		d->cut = cut;
		d->pass_done = false;
		snprintf(v, sizeof(v), "%.6f", cut);
		r = rec_db_meta(d, "retained_from", v);
		if (r < 0)
			return r;
		sqlite3_bind_double(d->st[ST_RET_TICKS], 1, cut);
		r = step(d, ST_RET_TICKS, "remove old sample times");
		if (r < 0)
			return r;
		d->n_ticks -= sqlite3_changes(d->db);
	}
	d->n_ticks++; /* the one stored with this call */
	if (d->pass_done)
		return 0;

	sqlite3_stmt *ev = d->st[ST_RET_EVENTS];
	sqlite3_bind_double(ev, 1, d->cut);
	sqlite3_bind_int(ev, 2, budget);
	r = step(d, ST_RET_EVENTS, "remove old events");
	if (r < 0)
		return r;
	budget -= sqlite3_changes(d->db);

	/* the pass over the groups, from where the last sample left it */
	sqlite3_stmt *gs = d->st[ST_RET_GROUPS];
	int visited = 0, rc = SQLITE_DONE;
	sqlite3_bind_int64(gs, 1, d->cursor);
	sqlite3_bind_int(gs, 2, RETAIN_GROUPS);
	while (budget > 0 && (rc = sqlite3_step(gs)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(gs, 0);
		bool gone = sqlite3_column_type(gs, 1) != SQLITE_NULL &&
			    sqlite3_column_double(gs, 1) < d->cut;
		/* its samples, then its memory.stat rows, by the same rule */
		const int del[2] = { gone ? ST_RET_GONE_SAMPLES : ST_RET_SAMPLES,
				     gone ? ST_RET_GONE_MEMSTAT : ST_RET_MEMSTAT };
		int n = 0;

		visited++;
		for (int k = 0; k < 2 && budget > 0; k++) {
			int i = del[k];
			sqlite3_bind_int64(d->st[i], 1, id);
			if (gone) {
				sqlite3_bind_int(d->st[i], 2, budget);
			} else {
				sqlite3_bind_double(d->st[i], 2, d->cut);
				sqlite3_bind_int(d->st[i], 3, budget);
			}
			r = step(d, i, "remove old samples");
			if (r < 0)
				break;
			n += sqlite3_changes(d->db);
			budget -= sqlite3_changes(d->db);
		}
		if (r < 0)
			break;
		if (n > 0 && budget <= 0)
			break; /* this group may have more: the next sample goes on with it */
		if (gone) {
			sqlite3_bind_int64(d->st[ST_RET_GONE_GROUP], 1, id);
			r = step(d, ST_RET_GONE_GROUP, "remove a group gone");
			if (r < 0)
				break;
		}
		d->cursor = id;
	}
	sqlite3_reset(gs);
	if (r < 0)
		return r;
	if (budget > 0 && rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(d, "list the groups");
	if (budget > 0 && visited < RETAIN_GROUPS) {
		d->cursor = 0; /* the pass is over: nothing more to do until the cut moves */
		d->pass_done = true;
	}
	return 0;
}
