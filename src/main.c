/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * main.c - entry point: parse the command line and dispatch to a mode.  The
 * only place that decides the exit status.
 */
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include "options.h"
#include "events.h"
#include "output.h"

int main(int argc, char **argv)
{
	struct config cfg;
	int r;

	setlocale(LC_CTYPE, "");
	r = options_parse(argc, argv, &cfg);
	if (r < 0)
		return EXIT_USAGE;
	if (r > 0)
		return EXIT_OK;
	if (cfg.mode == MODE_EVENTS)
		return events_main(&cfg);
	/* The dashboard comes with issue #5; until then every other run is a batch run. */
	return output_batch(&cfg);
}
