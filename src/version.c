/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * version.c - what --version prints: cgtop's version and the libraries it
 * was built with.  The build-time versions come from pkg-config at configure
 * time; ncurses and libmicrohttpd also say which version runs (a shared
 * library upgraded since the build), the others have no call that tells.
 */
#include <stdio.h>
#include <string.h>
#ifdef HAVE_MICROHTTPD
#include <microhttpd.h>
#endif

#include "options.h"
#include "ui/ui-curses.h"

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
	fprintf(f, "  sqlite         %s\n", SQLITE_BUILD_VERSION);
#ifdef HAVE_MICROHTTPD
	fprintf(f, "  libmicrohttpd  %s (running: %s)\n", MICROHTTPD_BUILD_VERSION, MHD_get_version());
#else
	fprintf(f, "  libmicrohttpd  no (built --without-microhttpd: no --listen)\n");
#endif
}
