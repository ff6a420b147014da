/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record.h - the flight recorder (cgtop --record FILE): every group's values
 * every -d seconds into one SQLite file, whose schema cgtop(1) documents.
 * record.c runs the loop; record-db.c owns the file, its schema and its
 * statements.
 */
#ifndef CGTOP_RECORD_H
#define CGTOP_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "sample/column.h"
#include "base/fileio.h"
#include "options.h"

/* PRAGMA user_version of the files this cgtop writes; a file with a larger
 * one is refused (its columns may mean something this cgtop does not know).
 * 2: memory.stat in its own table (memory_stat), at its own cadence; a
 * file of 1 (memory.stat in samples) is read, and appended to after the
 * table is added (record-db.c).  3: psi as a compact array (record-psi.h);
 * the objects of older rows are read as they are. */
#define RECORD_SCHEMA_VERSION 3
/* PRAGMA application_id: "cgtp", which tells a recording from any other
 * SQLite file (file(1) shows it too). */
#define RECORD_APPLICATION_ID 0x63677470

/* The columns of the samples table: every JSON field of the column table but
 * those of the events column (counters since the recorder started: the
 * events table and the absolute counters hold what they say). */
static inline bool record_field_stored(enum col_id c, const struct col_field *f)
{
	return c != COL_EVENTS && f->json && f->kind != CK_INFO;
}

/* Of those, the ones in the samples table: memory_stat has its own table
 * (schema 2), read on the sampler's map tier (sampler.h) at most once
 * every record_map_usec(). */
static inline bool record_field_in_samples(enum col_id c, const struct col_field *f)
{
	return record_field_stored(c, f) && f->val != CV_MEM_STAT;
}

/* The map tier's period of a recording's sampler: 60 s
 * (CGTOP_TEST_MEMORY_STAT_EVERY, seconds, for tests and benchmarks). */
uint64_t record_map_usec(void);

struct rec_db;

/* Open or create FILE as a recording.  An existing file is first checked
 * through a read-only connection, so a file refused is never written.
 * Returns 0, or -errno after printing one line naming FILE. */
int rec_db_open(const char *file, struct rec_db **ret);
void rec_db_close(struct rec_db *d);
/* The checks of rec_db_open on an existing FILE, without opening it for
 * writing (0 too when there is none): 0, or -errno after one line. */
int rec_db_check_writable(const char *file);
/* A file to replay: is it a recording this cgtop reads?  Checked from its
 * header without SQLite (which would leave -wal and -shm files beside a WAL
 * database of another program).  0, or -errno after one line naming file. */
int rec_db_check_file(const char *file);
/* SQLite loaded (option: the one that reads file, for the line when it is
 * missing), rec_db_check_file, then an SQLite connection to the recording
 * for reading (a busy timeout set) into *ret: 0, or -errno after one line. */
struct sqlite3;
int rec_db_open_read(const char *file, const char *option, struct sqlite3 **ret);
int rec_db_meta(struct rec_db *d, const char *key, const char *value);
int rec_db_begin(struct rec_db *d);
int rec_db_commit(struct rec_db *d);
/* One sample taken at time (Unix seconds). */
int rec_db_tick(struct rec_db *d, double time);
/* A group seen for the first time (or again after it was gone); its name
 * as names_of() gives it (NULL, or a field "": NULL in the file). */
struct group_name;
int rec_db_group_new(struct rec_db *d, const char *path, double time, const char *controllers, bool from_proc,
		     const struct group_name *gn, int64_t *ret_id);
/* A group gone: last_seen is the last sample it was in. */
int rec_db_group_gone(struct rec_db *d, int64_t id, double last_seen);
/* Close every group left open by an earlier run (stopped or killed) at the
 * last sample that run stored. */
int rec_db_close_open_groups(struct rec_db *d);
/* Store the values of n at time unless they equal those of the group's last
 * row (*row_hash, updated).  Returns 1 stored, 0 unchanged, or -errno. */
int rec_db_sample(struct rec_db *d, double time, int64_t id, const struct cg_node *n, uint64_t *row_hash);
/* Store n's memory.stat (read in this sample) at time unless it equals the
 * group's last one (*last, 0: none stored yet, which a null equals).
 * Returns 1 stored, 0 unchanged, or -errno. */
int rec_db_memory_stat(struct rec_db *d, double time, int64_t id, const struct cg_node *n, uint64_t *last);

/* Retention, a step per sample (in its transaction): the oldest sample
 * times go once older than age_sec or while the pages in use exceed
 * max_bytes (0: no limit of that kind); each group keeps its last row at or
 * before the cut, groups gone before it go.  Small batches: a recording far
 * over its limits comes down over many samples. */
int rec_db_retain(struct rec_db *d, double now, uint64_t age_sec, uint64_t max_bytes);

/* One event of the events tracker (time: Unix seconds, < 0 unknown), with
 * the name of its group (NULL: none) as the JSON's "group_name". */
struct cg_event;
int rec_db_event(struct rec_db *d, const struct cg_event *ev, double time, const struct group_name *gn);

/* A recording written from a sampler's loop: cgtop --record's (record.c),
 * or the dashboard's with --record.  Each sample is one transaction; the
 * events stored between recorder_begin and recorder_sample go in it, others
 * in their own.  The functions return 0 or -errno after one line. */
struct recorder;
struct sampler;
struct events;
/* The files a recording reads (enum cg_need): every column's but the events'. */
unsigned record_needs(void);
/* Open (or create) file: a bad one is refused untouched. */
int recorder_open(const struct config *cfg, const char *file, struct recorder **ret);
/* The meta facts of tree t, and the groups an earlier run left open closed. */
int recorder_start(struct recorder *rc, const struct cg_tree *t, bool kmsg_open);
/* The transaction of the next sample (before its events are emitted). */
int recorder_begin(struct recorder *rc);
/* The events tracker's emit callback (userdata: the recorder). */
void recorder_event(const struct cg_event *ev, double time, void *userdata);
/* The sample just taken (s->tree's groups), retention, commit. */
int recorder_sample(struct recorder *rc, const struct sampler *s);
/* The events ev still holds (NULL: none) and the groups still there closed at
 * the last sample; the file closed, rc freed.  NULL: nothing. */
int recorder_close(struct recorder *rc, struct events *ev);

/* cgtop --record: returns an exit status. */
int record_main(const struct config *cfg);
/* cgtop -b --replay FILE (record-replay.c): an exit status. */
int replay_main(const struct config *cfg);
/* cgtop --events --replay FILE (record-events.c): an exit status. */
int replay_events_main(const struct config *cfg);

#endif
