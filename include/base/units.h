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

#endif
