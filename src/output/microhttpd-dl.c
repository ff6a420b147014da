/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * microhttpd-dl.c - the pointers to libmicrohttpd's functions and their
 * table, filled by microhttpd_dl_load() (microhttpd-dl.h).  Empty in a build
 * without libmicrohttpd.
 */
#include "base/macro.h"
#include "output/microhttpd-dl.h"

#ifdef HAVE_MICROHTTPD
#define MICROHTTPD_DL_DEFINE(f) typeof(f) *sym_##f;
MICROHTTPD_DL_SYMBOLS(MICROHTTPD_DL_DEFINE)

#define MICROHTTPD_DL_ENTRY(f) { #f, (void **)&sym_##f },
static const struct dl_sym syms[] = { MICROHTTPD_DL_SYMBOLS(MICROHTTPD_DL_ENTRY) };

struct dl_lib microhttpd_dl = { .soname = MICROHTTPD_SONAME, .syms = syms, .n_syms = ARRAY_SIZE(syms) };
#endif
