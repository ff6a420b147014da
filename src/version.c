/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * version.c - what --version prints: cgtop's version and the libraries it
 * was built with.  The build-time versions come from pkg-config at configure
 * time; ncurses, SQLite and libmicrohttpd also say which version runs (a
 * shared library upgraded since the build), the others have no call that
 * tells.  SQLite and libmicrohttpd are loaded here as --record and --listen
 * would load them (base/dl.h), so a missing one shows here first.
 */
#include <stdio.h>
#include <string.h>

#include "options.h"
#include "base/dl.h"
#include "output/microhttpd-dl.h"
#include "record/sqlite-dl.h"
#include "ui/ui-curses.h"

/* "(running: VERSION)", or why the library does not load and what needs it */
static void print_loaded(FILE *f, const char *name, const char *built, struct dl_lib *lib,
			 const char *(*version)(void), const char *needs)
{
	if (dl_load(lib, NULL) == 0)
		fprintf(f, "  %-14s %s (running: %s)\n", name, built, version());
	else
		fprintf(f, "  %-14s %s (cannot be loaded: %s; no %s)\n", name, built, lib->error, needs);
}

static const char *sqlite_version(void)
{
	return sqlite3_libversion();
}

#ifdef HAVE_MICROHTTPD
static const char *mhd_version(void)
{
	return MHD_get_version();
}
#endif

void print_version(FILE *f)
{
	fprintf(f, "cgtop %s\n", PACKAGE_VERSION);
	fprintf(f, "built with:\n");
	/* curses_version() is "ncurses 6.4.20221231": the patch date is what may differ */
	const char *run = curses_version();

	if (strncmp(run, "ncurses ", 8) == 0)
		run += 8;
	fprintf(f, "  ncurses        %s (running: %s)\n", CURSES_BUILD_VERSION, run);
	fprintf(f, "  libcgroup      %s\n", LIBCGROUP_BUILD_VERSION);
	fprintf(f, "  libcap         %s\n", LIBCAP_BUILD_VERSION);
	fprintf(f, "  libmnl         %s\n", LIBMNL_BUILD_VERSION);
	print_loaded(f, "sqlite", SQLITE_BUILD_VERSION, &sqlite_dl, sqlite_version,
		     "--record, --replay, --history-file");
#ifdef HAVE_MICROHTTPD
	print_loaded(f, "libmicrohttpd", MICROHTTPD_BUILD_VERSION, &microhttpd_dl, mhd_version, "--listen");
#else
	fprintf(f, "  libmicrohttpd  no (built --without-microhttpd: no --listen)\n");
#endif
}
