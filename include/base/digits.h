/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * digits.h - decimal digits read eight at a time: the kernel log's numbers (time stamps,
 * memory.stat values, task table columns) go by the million through the events parsers, and
 * a loop a digit mispredicts where each number ends.  Eight bytes loaded as one word (the
 * first byte lowest) tell how many digits start them with a few masks, and give their value
 * with three multiplications.  Little-endian only; elsewhere DIGITS_SWAR is 0 and callers
 * keep their byte loops.
 */
#ifndef CGTOP_DIGITS_H
#define CGTOP_DIGITS_H

#include <stdint.h>
#include <string.h>

#include "base/parse.h" /* cg_pow10 */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define DIGITS_SWAR 1
#else
#define DIGITS_SWAR 0
#endif

/* The eight bytes at p as a word, the first the lowest. */
static inline uint64_t digits_load8(const char *p)
{
	uint64_t x;

	memcpy(&x, p, 8);
	return x;
}

/* How many of the bytes of x, from the first, are digits (0 .. 8).  A byte is a digit when its
 * high nibble is 3 and adding 6 leaves it 3 (0x30 .. 0x39); the carry of a byte from 0xfa up
 * reaches only bytes after it, which come after a non-digit. */
static inline unsigned digits_count8(uint64_t x)
{
	const uint64_t hi = 0xf0f0f0f0f0f0f0f0ULL;
	uint64_t t = ((x & hi) | (((x + 0x0606060606060606ULL) & hi) >> 4)) ^ 0x3333333333333333ULL;

	return t ? (unsigned)__builtin_ctzll(t) / 8 : 8;
}

/* The value of the first n (1 .. 8) bytes of x, all digits. */
static inline uint64_t digits_value8(uint64_t x, unsigned n)
{
	/* the digits to the top, zeros (leading zero digits) below them */
	uint64_t y = (x & 0x0f0f0f0f0f0f0f0fULL) << (8 * (8 - n));

	y = (y * 10 + (y >> 8)) & 0x00ff00ff00ff00ffULL;
	y = (y * 100 + (y >> 16)) & 0x0000ffff0000ffffULL;
	return (y * 10000 + (y >> 32)) & 0xffffffffULL;
}

/* The value of the digits that start at *pp, up to sixteen (no overflow), eight a step while
 * eight bytes are left before end; *pp advances past them.  The caller's byte loop reads on
 * from *pp (all of the number when fewer than eight bytes were left). */
static inline uint64_t digits_lead16(const char **pp, const char *end)
{
	const char *p = *pp;
	uint64_t v = 0;

	for (unsigned k = 0; k < 2 && end - p >= 8; k++) {
		uint64_t x = digits_load8(p);
		unsigned n = digits_count8(x);

		if (!n)
			break;
		v = v * cg_pow10[n] + digits_value8(x, n);
		p += n;
		if (n < 8)
			break;
	}
	*pp = p;
	return v;
}

#endif
