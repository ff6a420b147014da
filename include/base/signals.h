/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * signals.h - how every long-running mode of cgtop (the dashboard, --events,
 * --launch, --record, the exporter) takes signals: SIGINT, SIGTERM and SIGHUP,
 * plus any the mode adds, are blocked and read from a signalfd in the mode's
 * own poll loop, so a signal ends the loop at a point where the mode can
 * still clean up (restore the terminal, commit a sample, close a socket,
 * remove a group) instead of killing cgtop in the middle of it.
 */
#ifndef CGTOP_SIGNALS_H
#define CGTOP_SIGNALS_H

#include <signal.h>
#include <stdbool.h>

struct signals {
	int fd;       /* signalfd (non-blocking, close-on-exec), -1 when none */
	sigset_t set; /* the blocked signals it reads */
	sigset_t old; /* the mask before signals_open() */
};

/* Block SIGINT, SIGTERM, SIGHUP and the signals of extra (a list ended by
 * 0, or NULL) and open a signalfd for them.  The signals are blocked even
 * when the signalfd cannot be made.  Returns 0 or -errno (s->fd is -1). */
int signals_open(struct signals *s, const int *extra);
/* The next pending signal of the set, or 0 when none is. */
int signals_next(struct signals *s);
/* SIGINT, SIGTERM or SIGHUP: the signals that stop a mode cleanly. */
bool signals_stops(int sig);
/* Take pending signals off (so that unblocking does not deliver them),
 * close the signalfd and, with unblock, restore the mask signals_open()
 * found. */
void signals_close(struct signals *s, bool unblock);
/* For _cleanup_: signals_close(s, true) once signals_open() was called. */
static inline void signals_closep(struct signals *s)
{
	signals_close(s, true);
}

#endif
