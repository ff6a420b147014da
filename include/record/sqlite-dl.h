/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sqlite-dl.h - SQLite, loaded when a recording is opened (--record,
 * --replay, --history-file), not at start (base/dl.h).  Every file that
 * calls SQLite includes this instead of <sqlite3.h>: each function cgtop
 * calls is listed once below, has a pointer of its own type, and the call
 * sites, written as plain SQLite calls, go through it.  A function called
 * but not listed does not link (cgtop is not linked against libsqlite3).
 */
#ifndef CGTOP_SQLITE_DL_H
#define CGTOP_SQLITE_DL_H

#include <sqlite3.h>

#include "base/dl.h"

#define SQLITE_DL_SYMBOLS(X)                                                                                 \
	X(sqlite3_bind_double)                                                                               \
	X(sqlite3_bind_int)                                                                                  \
	X(sqlite3_bind_int64)                                                                                \
	X(sqlite3_bind_text)                                                                                 \
	X(sqlite3_busy_timeout)                                                                              \
	X(sqlite3_changes)                                                                                   \
	X(sqlite3_clear_bindings)                                                                            \
	X(sqlite3_close)                                                                                     \
	X(sqlite3_column_bytes)                                                                              \
	X(sqlite3_column_double)                                                                             \
	X(sqlite3_column_int)                                                                                \
	X(sqlite3_column_int64)                                                                              \
	X(sqlite3_column_text)                                                                               \
	X(sqlite3_column_type)                                                                               \
	X(sqlite3_errcode)                                                                                   \
	X(sqlite3_errmsg)                                                                                    \
	X(sqlite3_errstr)                                                                                    \
	X(sqlite3_exec)                                                                                      \
	X(sqlite3_finalize)                                                                                  \
	X(sqlite3_last_insert_rowid)                                                                         \
	X(sqlite3_libversion)                                                                                \
	X(sqlite3_open_v2)                                                                                   \
	X(sqlite3_prepare_v2)                                                                                \
	X(sqlite3_prepare_v3)                                                                                \
	X(sqlite3_reset)                                                                                     \
	X(sqlite3_step)

#define SQLITE_DL_DECLARE(f) extern typeof(f) *sym_##f;
SQLITE_DL_SYMBOLS(SQLITE_DL_DECLARE)
#undef SQLITE_DL_DECLARE

/* the library: sqlite_dl.error says why it did not load */
extern struct dl_lib sqlite_dl;

/* Load SQLite before the first call (once: later calls return 0 at once):
 * 0, or -errno after one line naming the library and option (NULL: no
 * line). */
static inline int sqlite_dl_load(const char *option)
{
	return dl_load(&sqlite_dl, option);
}

/* the calls, through the pointers (a function-like macro: typeof(f) and &f
 * above still name SQLite's own declarations) */
#define sqlite3_bind_double(...) sym_sqlite3_bind_double(__VA_ARGS__)
#define sqlite3_bind_int(...) sym_sqlite3_bind_int(__VA_ARGS__)
#define sqlite3_bind_int64(...) sym_sqlite3_bind_int64(__VA_ARGS__)
#define sqlite3_bind_text(...) sym_sqlite3_bind_text(__VA_ARGS__)
#define sqlite3_busy_timeout(...) sym_sqlite3_busy_timeout(__VA_ARGS__)
#define sqlite3_changes(...) sym_sqlite3_changes(__VA_ARGS__)
#define sqlite3_clear_bindings(...) sym_sqlite3_clear_bindings(__VA_ARGS__)
#define sqlite3_close(...) sym_sqlite3_close(__VA_ARGS__)
#define sqlite3_column_bytes(...) sym_sqlite3_column_bytes(__VA_ARGS__)
#define sqlite3_column_double(...) sym_sqlite3_column_double(__VA_ARGS__)
#define sqlite3_column_int(...) sym_sqlite3_column_int(__VA_ARGS__)
#define sqlite3_column_int64(...) sym_sqlite3_column_int64(__VA_ARGS__)
#define sqlite3_column_text(...) sym_sqlite3_column_text(__VA_ARGS__)
#define sqlite3_column_type(...) sym_sqlite3_column_type(__VA_ARGS__)
#define sqlite3_errcode(...) sym_sqlite3_errcode(__VA_ARGS__)
#define sqlite3_errmsg(...) sym_sqlite3_errmsg(__VA_ARGS__)
#define sqlite3_errstr(...) sym_sqlite3_errstr(__VA_ARGS__)
#define sqlite3_exec(...) sym_sqlite3_exec(__VA_ARGS__)
#define sqlite3_finalize(...) sym_sqlite3_finalize(__VA_ARGS__)
#define sqlite3_last_insert_rowid(...) sym_sqlite3_last_insert_rowid(__VA_ARGS__)
#define sqlite3_libversion(...) sym_sqlite3_libversion(__VA_ARGS__)
#define sqlite3_open_v2(...) sym_sqlite3_open_v2(__VA_ARGS__)
#define sqlite3_prepare_v2(...) sym_sqlite3_prepare_v2(__VA_ARGS__)
#define sqlite3_prepare_v3(...) sym_sqlite3_prepare_v3(__VA_ARGS__)
#define sqlite3_reset(...) sym_sqlite3_reset(__VA_ARGS__)
#define sqlite3_step(...) sym_sqlite3_step(__VA_ARGS__)

#endif
