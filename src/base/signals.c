/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * signals.c - the blocked set and its signalfd (see signals.h).
 */
#include <errno.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "base/signals.h"

bool signals_stops(int sig)
{
	return sig == SIGINT || sig == SIGTERM || sig == SIGHUP;
}

int signals_open(struct signals *s, const int *extra)
{
	sigemptyset(&s->set);
	sigaddset(&s->set, SIGINT);
	sigaddset(&s->set, SIGTERM);
	sigaddset(&s->set, SIGHUP);
	for (; extra && *extra; extra++)
		sigaddset(&s->set, *extra);
	sigprocmask(SIG_BLOCK, &s->set, &s->old);
	s->fd = signalfd(-1, &s->set, SFD_NONBLOCK | SFD_CLOEXEC);
	return s->fd < 0 ? -errno : 0;
}

int signals_next(struct signals *s)
{
	static const struct timespec zero = { 0, 0 };
	struct signalfd_siginfo si;

	/* without a signalfd the caller polls on a timeout and takes them here */
	if (s->fd < 0) {
		int sig = sigtimedwait(&s->set, NULL, &zero);

		return sig > 0 ? sig : 0;
	}
	while (read(s->fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		if (si.ssi_signo > 0)
			return (int)si.ssi_signo;
	return 0;
}

void signals_close(struct signals *s, bool unblock)
{
	if (s->fd >= 0) {
		while (signals_next(s) > 0)
			;
		close(s->fd);
		s->fd = -1;
	}
	if (unblock)
		sigprocmask(SIG_SETMASK, &s->old, NULL);
}
