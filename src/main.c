/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * main.c - entry point: parse the command line and dispatch to a mode.  The
 * only place that decides the exit status.
 */
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include "options.h"
#include "launch/launch.h"
#include "events/events.h"
#include "output/exporter.h"
#include "output/output.h"
#include "record/record.h"
#include "ui/dashboard.h"

int main(int argc, char **argv)
{
	struct config cfg;
	int r;

	setlocale(LC_CTYPE, "");
	struct launch_spec ls;
	int lr = launch_options_parse(argc, argv, &ls);
	if (lr < 0)
		return 2;
	if (lr > 0)
		return ls.attach ? attach_main(&ls) : launch_main(&ls);
	r = options_parse(argc, argv, &cfg);
	if (r < 0)
		return EXIT_USAGE;
	if (r > 0)
		return EXIT_OK;
	if (cfg.replay_file)
		return cfg.mode == MODE_EVENTS      ? replay_events_main(&cfg)
		       : cfg.mode == MODE_DASHBOARD ? ui_main(&cfg, NULL)
						    : replay_main(&cfg);
	if (cfg.mode == MODE_EVENTS)
		return events_main(&cfg);
	if (cfg.mode == MODE_EXPORTER)
		return exporter_main(&cfg);
	if (cfg.mode == MODE_RECORD)
		return record_main(&cfg);
	if (cfg.mode == MODE_DASHBOARD)
		return ui_main(&cfg, NULL);
	return output_batch(&cfg);
}
