/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * units.c - formats numbers for people: byte counts as IEC sizes with one decimal ("1.5K",
 * "48.0M"), millionths as exact decimals ("0.2").  Integer arithmetic only, so the output does not depend on the locale or on
 * floating-point rounding.
 */
#include <inttypes.h>
#include <stdio.h>

#include "base/units.h"

char *units_format_bytes(char *buf, size_t size, uint64_t bytes)
{
	static const char suffix[] = "KMGTPE";
	unsigned i, shift;
	uint64_t tenths;

	if (size == 0)
		return buf;
	if (bytes < 1024) {
		snprintf(buf, size, "%" PRIu64 "B", bytes);
		return buf;
	}
	for (i = 0, shift = 10;; i++, shift += 10) {
		uint64_t q = bytes >> shift, r = bytes & ((1ULL << shift) - 1);

		/* tenths of the unit, rounded half up; r * 10 cannot overflow since r < 2^60 */
		tenths = q * 10 + ((r * 10 + (1ULL << (shift - 1))) >> shift);
		/* 1023.95K rounds to 1024.0K: say 1.0M instead */
		if (tenths < 10240 || i == sizeof(suffix) - 2)
			break;
	}
	snprintf(buf, size, "%" PRIu64 ".%" PRIu64 "%c", tenths / 10, tenths % 10, suffix[i]);
	return buf;
}

char *units_format_size(char *buf, size_t size, uint64_t bytes)
{
	if (bytes == UINT64_MAX) {
		snprintf(buf, size, "max");
		return buf;
	}
	return units_format_bytes(buf, size, bytes);
}

char *units_format_micro(char *buf, size_t size, uint64_t millionths)
{
	unsigned f = (unsigned)(millionths % 1000000);
	int digits = 6;

	if (size == 0)
		return buf;
	if (!f) {
		snprintf(buf, size, "%" PRIu64, millionths / 1000000);
		return buf;
	}
	while (f % 10 == 0) {
		f /= 10;
		digits--;
	}
	snprintf(buf, size, "%" PRIu64 ".%0*u", millionths / 1000000, digits, f);
	return buf;
}
