/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-units.c - unit tests of src/base/units.c: IEC byte sizes with one decimal, rounding across a
 * unit boundary, the largest value, and buffers too small for the text; millionths as exact
 * decimals (CPU limits); sizes with "max", and the one byte formatter shared by the table's cells
 * and the dashboard's status line (m 48M says 48.0M in both).  And the writers' decimal numbers
 * (buf_put_u64 and buf_put_i64 of fileio.c, which count digits from the highest bit) against
 * printf at every power of ten and of two and their neighbours.  units_round and units_floor,
 * which spare cgtop libm, against libm's round and floor, bit for bit.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sample/column.h"
#include "base/digits.h"
#include "base/fileio.h"
#include "base/units.h"
#include "../tap.h"

static void bytes(uint64_t v, const char *want)
{
	char buf[32];

	memset(buf, 'x', sizeof(buf));
	is_str(units_format_bytes(buf, sizeof(buf), v), want, "%" PRIu64 " -> %s", v, want);
}

static void micro(uint64_t v, const char *want)
{
	char buf[32];

	is_str(units_format_micro(buf, sizeof(buf), v), want, "%" PRIu64 " millionths -> %s", v, want);
}

static void size(uint64_t v, const char *want)
{
	char buf[32];

	is_str(units_format_size(buf, sizeof(buf), v), want, "size %" PRIu64 " -> %s", v, want);
}

/* The cell of a limit column shows a size as the status line and the
 * launcher's reports do. */
static void cell_agrees(enum col_id c, enum cg_val id, uint64_t v)
{
	struct cg_node n;
	char cell[32], said[32];

	memset(&n, 0, sizeof(n));
	n.src = cg_files_no_src;
	cg_val_set(&n.cur, id, v);
	column_format(&n, c, 0, cell, sizeof(cell));
	cg_values_free(&n.cur);
	is_str(cell, units_format_size(said, sizeof(said), v),
	       "%s cell of %" PRIu64 " is %s as the status line says", columns[c].key, v, cell);
}

static void numbers(void)
{
	uint64_t tens = 1;
	unsigned bad = 0, n = 0;
	struct buf b;
	char want[32];

	buf_init(&b, 4);
	for (int i = 0; i < 64; i++) {
		for (int d = -2; d <= 2; d++) {
			uint64_t u[2] = { (1ULL << i) + (uint64_t)d, i < 20 ? tens + (uint64_t)d : 0 };

			for (int k = 0; k < 2; k++) {
				int64_t s = (int64_t)u[k];

				b.len = 0;
				buf_put_u64(&b, u[k]);
				snprintf(want, sizeof(want), "%" PRIu64, u[k]);
				bad += strcmp(b.data, want) != 0;
				b.len = 0;
				buf_put_i64(&b, s);
				snprintf(want, sizeof(want), "%" PRId64, s);
				bad += strcmp(b.data, want) != 0;
				n += 2;
			}
		}
		if (i < 19)
			tens *= 10;
	}
	b.len = 0;
	buf_put_u64(&b, UINT64_MAX);
	buf_put_i64(&b, INT64_MIN);
	buf_put_i64(&b, INT64_MAX);
	is_str(b.data, "18446744073709551615-92233720368547758089223372036854775807", "the largest numbers");
	is_int((int)bad, 0, "%u numbers at powers of ten and two as printf writes them", n);
	/* through a cursor: CURSOR_NUM_MAX bytes hold any of them, and nothing past its digits is
	 * written */
	bad = 0;
	for (int i = 0; i < 64; i++) {
		/* in unsigned arithmetic: -2^63 and 1 - 2^63 without an overflow */
		int64_t v[4] = { (int64_t)(1ULL << i), (int64_t)((1ULL << i) - 1), (int64_t)(0 - (1ULL << i)),
				 (int64_t)(1 - (1ULL << i)) };

		for (int k = 0; k < 4; k++) {
			char room[CURSOR_NUM_MAX + 8], *e;

			memset(room, 'x', sizeof(room));
			e = cursor_i64(room, v[k]);
			snprintf(want, sizeof(want), "%" PRId64, v[k]);
			bad += e - room != (ptrdiff_t)strlen(want) || memcmp(room, want, strlen(want)) != 0 ||
			       e - room > CURSOR_NUM_MAX || *e != 'x';
			memset(room, 'x', sizeof(room));
			e = cursor_u64(room, (uint64_t)v[k]);
			snprintf(want, sizeof(want), "%" PRIu64, (uint64_t)v[k]);
			bad += e - room != (ptrdiff_t)strlen(want) || memcmp(room, want, strlen(want)) != 0 ||
			       e - room > CURSOR_NUM_MAX || *e != 'x';
		}
	}
	is_int((int)bad, 0, "512 numbers through a cursor as printf writes them, in CURSOR_NUM_MAX bytes");
	buf_free(&b);
}

/* digits.h against a loop a byte: how many digits start eight bytes and their value, on
 * every byte value after a run of 0 .. 8 digits and on random digit strings. */
static void digits8(void)
{
#if DIGITS_SWAR
	unsigned bad = 0, n = 0;

	srand(4242);
	for (int i = 0; i < 200000; i++) {
		char p[8];
		unsigned want = 0, run = (unsigned)i % 9;
		uint64_t want_v = 0;

		for (unsigned j = 0; j < 8; j++)
			p[j] = j < run ? (char)('0' + rand() % 10) : (char)(rand() % 256);
		if (run < 8 && i % 3 == 0)
			p[run] = (char)(i / 9 % 256); /* every byte value right after the run */
		while (want < 8 && p[want] >= '0' && p[want] <= '9')
			want_v = want_v * 10 + (uint64_t)(p[want++] - '0');
		n++;
		bad += digits_count8(digits_load8(p)) != want ||
		       (want && digits_value8(digits_load8(p), want) != want_v);
	}
	is_int((int)bad, 0, "%u words: digits_count8 and digits_value8 as a loop a byte", n);
#else
	ok(1, "digits.h: not little-endian, byte loops");
#endif
}

/* units_round and units_floor against libm, bit for bit (the sign of a zero too): halves and
 * their neighbours, the largest doubles below 2^52 and above, NaN, infinities, and random
 * doubles of every magnitude. */
static int same(double a, double b)
{
	return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof(a)) == 0;
}

static void rounding(void)
{
	static const double edge[] = { 0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5,
				       0.49999999999999994, -0.49999999999999994,
				       0.50000000000000011, -0.50000000000000011, 0.3, -0.3, 0.7, -0.7,
				       1e-300, -1e-300, 4503599627370495.5, -4503599627370495.5,
				       4503599627370496.0, -4503599627370496.0, 4503599627370497.0,
				       9007199254740993.0, 1e300, -1e300, 12.345, 99.95, 1712345678.999999 };
	unsigned bad_r = 0, bad_f = 0, n = 0;

	for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++, n++) {
		bad_r += !same(units_round(edge[i]), round(edge[i]));
		bad_f += !same(units_floor(edge[i]), floor(edge[i]));
		if (!same(units_round(edge[i]), round(edge[i])) || !same(units_floor(edge[i]), floor(edge[i])))
			printf("# %.17g: units_round %.17g (round %.17g), units_floor %.17g (floor %.17g)\n",
			       edge[i], units_round(edge[i]), round(edge[i]), units_floor(edge[i]),
			       floor(edge[i]));
	}
	double special[] = { NAN, -NAN, INFINITY, -INFINITY };
	for (size_t i = 0; i < 4; i++, n++) {
		bad_r += !same(units_round(special[i]), round(special[i]));
		bad_f += !same(units_floor(special[i]), floor(special[i]));
	}
	srand(77);
	for (int i = 0; i < 400000; i++, n++) {
		uint64_t bits = ((uint64_t)rand() << 42) ^ ((uint64_t)rand() << 21) ^ (uint64_t)rand();
		double x;
		if (i % 2) {
			/* k/8 + a little: the halves and their neighbours at every size up to 2^60 */
			x = ldexp((double)(bits % 4096) / 8.0, i % 61) * (i % 4 == 1 ? 1 : -1);
			x = i % 3 ? x : nextafter(x, i % 6 ? INFINITY : -INFINITY);
		} else {
			memcpy(&x, &bits, sizeof(x)); /* any double: every exponent */
			if (i % 4 == 0)
				x = ldexp((double)(bits % 1000003) / 1000.0, 0) - 500.0;
		}
		bad_r += !same(units_round(x), round(x));
		bad_f += !same(units_floor(x), floor(x));
	}
	is_int((int)bad_r, 0, "units_round as round(3) on %u doubles", n);
	is_int((int)bad_f, 0, "units_floor as floor(3) on %u doubles", n);
}

int main(void)
{
	char buf[8];

	numbers();
	digits8();
	rounding();
	bytes(0, "0B");
	bytes(1, "1B");
	bytes(1023, "1023B");
	bytes(1024, "1.0K");
	bytes(1075, "1.0K");
	bytes(1076, "1.1K");
	bytes(1126, "1.1K");
	bytes(1536, "1.5K");
	bytes(1047552, "1023.0K");
	bytes(1048524, "1023.9K");
	bytes(1048575, "1.0M");
	bytes(1048576, "1.0M");
	bytes(33554432, "32.0M");
	bytes(50331648, "48.0M");
	bytes(67108864, "64.0M");
	bytes(1073741824, "1.0G");
	bytes(1610612736, "1.5G");
	bytes(24684096ULL * 1024, "23.5G");
	bytes(1ULL << 40, "1.0T");
	bytes(1ULL << 50, "1.0P");
	bytes(9223372036854771712ULL, "8.0E");
	bytes(UINT64_MAX, "16.0E");

	size(50331648, "48.0M");
	size(33554432, "32.0M");
	size(512, "512B");
	size(1ULL << 40, "1.0T");
	size((1ULL << 30) - 1, "1.0G");
	size(UINT64_MAX, "max");
	cell_agrees(COL_MEM_MAX, V_MEM_MAX, 50331648);
	cell_agrees(COL_MEM_MAX, V_MEM_MAX, UINT64_MAX);
	cell_agrees(COL_MEM_HIGH, V_MEM_HIGH, 1536);
	cell_agrees(COL_MEMORY, V_MEM_CURRENT, 1075);

	micro(0, "0");
	micro(200000, "0.2");
	micro(333330, "0.33333");
	micro(1500000, "1.5");
	micro(2000000, "2");
	micro(7, "0.000007");
	micro(12000010, "12.00001");

	ok(units_format_bytes(buf, 4, 1536) == buf, "returns buf");
	is_str(buf, "1.5", "truncated to the buffer, NUL-terminated");
	memset(buf, 'x', sizeof(buf));
	units_format_bytes(buf, 1, 1536);
	is_int(buf[0], '\0', "size 1 gives an empty string");
	memset(buf, 'x', sizeof(buf));
	units_format_bytes(buf, 0, 1536);
	is_int(buf[0], 'x', "size 0 writes nothing");

	return tap_done();
}
