/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * units.h - formatting of numbers for people: IEC byte sizes, decimals.
 * Shared by the text output, the dashboard, its messages and the launcher's
 * reports: one byte formatter.
 */
#ifndef CGTOP_UNITS_H
#define CGTOP_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* IEC size with one decimal where useful: 0 -> "0B", 1023 -> "1023B",
 * 1536 -> "1.5K", 50331648 -> "48.0M", 1<<40 -> "1.0T".  Writes at most size
 * bytes including the NUL; returns buf. */
char *units_format_bytes(char *buf, size_t size, uint64_t bytes);

/* A size or a limit: "max" for no limit (UINT64_MAX, which is CG_UNLIMITED),
 * else as units_format_bytes ("48.0M").  Every place that shows a size to
 * people - cells, the status line, messages, reports - says it this way. */
char *units_format_size(char *buf, size_t size, uint64_t bytes);

/* Millionths as an exact decimal without trailing zeros: 200000 -> "0.2",
 * 1500000 -> "1.5", 2000000 -> "2", 7 -> "0.000007" (CPU limits in CPUs). */
char *units_format_micro(char *buf, size_t size, uint64_t millionths);

/* round(3) and floor(3) without libm, whose mapping cost the dashboard 330 KB
 * of RSS for these alone: halves away from zero, -0.0 kept for a negative
 * that rounds to zero, NaN, infinities and values from 2^52 up (integers
 * already) returned as they are. */
static inline double units_round(double x)
{
	if (!(x > -4503599627370496.0 && x < 4503599627370496.0))
		return x;
	int64_t i = (int64_t)x; /* toward zero; exact, and so is x - i */
	double f = x - (double)i;

	if (f >= 0.5)
		i++;
	else if (f <= -0.5)
		i--;
	return i ? (double)i : __builtin_copysign(0.0, x);
}

static inline double units_floor(double x)
{
	if (!(x > -4503599627370496.0 && x < 4503599627370496.0))
		return x;
	int64_t i = (int64_t)x;

	if ((double)i > x)
		i--;
	return i ? (double)i : __builtin_copysign(0.0, x);
}

#endif
