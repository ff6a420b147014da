/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sqlite-dl.c - the pointers to SQLite's functions and their table, filled
 * by sqlite_dl_load() (sqlite-dl.h).
 */
#include "base/macro.h"
#include "record/sqlite-dl.h"

#define SQLITE_DL_DEFINE(f) typeof(f) *sym_##f;
SQLITE_DL_SYMBOLS(SQLITE_DL_DEFINE)

#define SQLITE_DL_ENTRY(f) { #f, (void **)&sym_##f },
static const struct dl_sym syms[] = { SQLITE_DL_SYMBOLS(SQLITE_DL_ENTRY) };

struct dl_lib sqlite_dl = { .soname = SQLITE_SONAME, .syms = syms, .n_syms = ARRAY_SIZE(syms) };
