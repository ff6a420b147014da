/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dashboard.h - the dashboard's entry, all that the rest of cgtop sees of it:
 * main.c runs it on the options, the launcher (--launch --watch) on the
 * launched command's group, with a struct ui_watch that tells the dashboard
 * when the command ended and lets the launcher reap it and clean up.  The
 * dashboard's own state and views are in ui.h, for ui*.c and view-*.c only.
 */
#ifndef CGTOP_DASHBOARD_H
#define CGTOP_DASHBOARD_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"

/* A launched command the dashboard watches (cgtop --launch ... --watch). */
struct ui_watch {
	int pidfd;         /* becomes readable when the command ends */
	const char *group; /* its group, the dashboard's root */
	/* called once when pidfd is readable: reap, gather the fate, clean up;
	 * writes the one-line fate into msg.  Returns the exit status for cgtop. */
	int (*finish)(struct ui_watch *w, char *msg, size_t size);
	void *data;
	bool done;
	int status;
	bool failed; /* set by ui_main: the dashboard could not start or go on */
};

/* Run the dashboard; returns the exit status.  watch may be NULL. */
int ui_main(const struct config *cfg, struct ui_watch *watch);

#endif
