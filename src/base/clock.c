/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * clock.c - the monotonic and the wall clock (see clock.h).
 */
#include <errno.h>
#include <time.h>

#include "base/clock.h"

uint64_t clock_mono_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

double clock_wall_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double clock_mono_epoch(void)
{
	double best = 0, gap = -1;

	for (int i = 0; i < 5; i++) {
		double w1 = clock_wall_sec();
		uint64_t m = clock_mono_usec();
		double w2 = clock_wall_sec();
		if (gap < 0 || w2 - w1 < gap) {
			gap = w2 - w1;
			best = (w1 + w2) / 2 - (double)m / 1e6;
		}
	}
	return best;
}

int clock_sleep_until(uint64_t deadline_usec)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline_usec / 1000000),
		.tv_nsec = (long)(deadline_usec % 1000000) * 1000,
	};

	/* clock_nanosleep returns the error number instead of setting errno */
	return -clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}
