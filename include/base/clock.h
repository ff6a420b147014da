/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * clock.h - the clocks cgtop reads: CLOCK_MONOTONIC in microseconds for every
 * interval, deadline and timeout (it does not jump when the wall clock is
 * set), and CLOCK_REALTIME in seconds only where a time is shown or stored.
 */
#ifndef CGTOP_CLOCK_H
#define CGTOP_CLOCK_H

#include <stdint.h>

/* CLOCK_MONOTONIC, in microseconds. */
uint64_t clock_mono_usec(void);
/* CLOCK_REALTIME, in seconds since the epoch with the fraction. */
double clock_wall_sec(void);
/* CLOCK_REALTIME at CLOCK_MONOTONIC's zero, in seconds: from the closest of
 * a few pairs of readings, so that a preemption between two reads does not
 * shift it (milliseconds in a loaded VM, where two processes then disagree
 * on an event's time). */
double clock_mono_epoch(void);
/* Sleep until CLOCK_MONOTONIC reaches deadline_usec.  Returns 0 at the
 * deadline, -EINTR when a signal handler ran first. */
int clock_sleep_until(uint64_t deadline_usec);

#endif
