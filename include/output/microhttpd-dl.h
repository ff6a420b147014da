/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * microhttpd-dl.h - libmicrohttpd, loaded when the exporter starts to
 * listen (--listen), not at start (base/dl.h): with it come GnuTLS,
 * p11-kit, nettle, gmp and more, about 2.8 MB resident that no other mode
 * uses.  exporter.c includes this instead of <microhttpd.h>: each function
 * it calls is listed once below, has a pointer of its own type, and the
 * call sites, written as plain libmicrohttpd calls, go through it.  A
 * function called but not listed does not link (cgtop is not linked against
 * libmicrohttpd).
 */
#ifndef CGTOP_MICROHTTPD_DL_H
#define CGTOP_MICROHTTPD_DL_H

#ifdef HAVE_MICROHTTPD
#include <microhttpd.h>

#include "base/dl.h"

#define MICROHTTPD_DL_SYMBOLS(X)                                                                             \
	X(MHD_add_response_header)                                                                           \
	X(MHD_create_response_from_buffer)                                                                   \
	X(MHD_create_response_from_callback)                                                                 \
	X(MHD_destroy_response)                                                                              \
	X(MHD_get_daemon_info)                                                                               \
	X(MHD_get_timeout)                                                                                   \
	X(MHD_get_version)                                                                                   \
	X(MHD_queue_response)                                                                                \
	X(MHD_run)                                                                                           \
	X(MHD_start_daemon)                                                                                  \
	X(MHD_stop_daemon)

#define MICROHTTPD_DL_DECLARE(f) extern typeof(f) *sym_##f;
MICROHTTPD_DL_SYMBOLS(MICROHTTPD_DL_DECLARE)
#undef MICROHTTPD_DL_DECLARE

/* the library: microhttpd_dl.error says why it did not load */
extern struct dl_lib microhttpd_dl;

/* Load libmicrohttpd before the first call (once): 0, or -errno after one
 * line naming the library and option (NULL: no line). */
static inline int microhttpd_dl_load(const char *option)
{
	return dl_load(&microhttpd_dl, option);
}

/* the calls, through the pointers (a function-like macro: typeof(f) and &f
 * above still name libmicrohttpd's own declarations) */
#define MHD_add_response_header(...) sym_MHD_add_response_header(__VA_ARGS__)
#define MHD_create_response_from_buffer(...) sym_MHD_create_response_from_buffer(__VA_ARGS__)
#define MHD_create_response_from_callback(...) sym_MHD_create_response_from_callback(__VA_ARGS__)
#define MHD_destroy_response(...) sym_MHD_destroy_response(__VA_ARGS__)
#define MHD_get_daemon_info(...) sym_MHD_get_daemon_info(__VA_ARGS__)
#define MHD_get_timeout(...) sym_MHD_get_timeout(__VA_ARGS__)
#define MHD_get_version(...) sym_MHD_get_version(__VA_ARGS__)
#define MHD_queue_response(...) sym_MHD_queue_response(__VA_ARGS__)
#define MHD_run(...) sym_MHD_run(__VA_ARGS__)
#define MHD_start_daemon(...) sym_MHD_start_daemon(__VA_ARGS__)
#define MHD_stop_daemon(...) sym_MHD_stop_daemon(__VA_ARGS__)
#endif /* HAVE_MICROHTTPD */

#endif
