/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-parse-user.c - unit tests of src/base/parse-user.c: sizes people type ("32M", "1.5GiB",
 * "max") and refresh intervals ("0.5"), with the inputs that must be refused: empty, signs,
 * blanks, exponents, unknown suffixes, fractions of a byte, values over 2^63 or a day.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "base/parse.h"
#include "../tap.h"
#include "testdata.h"

static const uint64_t SENTINEL = 0xdeadbeefULL;

static void size(const char *s, int want_r, uint64_t want)
{
	uint64_t v = SENTINEL;

	is_int(parse_size(s, &v), want_r, "parse_size \"%s\" returns %d", esc(s), want_r);
	is_u64(v, want_r ? SENTINEL : want, "parse_size \"%s\" value", esc(s));
}

static void interval(const char *s, int want_r, uint64_t want)
{
	uint64_t v = SENTINEL;

	is_int(parse_interval_usec(s, &v), want_r, "parse_interval_usec \"%s\" returns %d", esc(s),
	       want_r);
	is_u64(v, want_r ? SENTINEL : want, "parse_interval_usec \"%s\" value", esc(s));
}

static void cgpath(const char *s, int want_r)
{
	is_int(parse_cgroup_path(s), want_r, "parse_cgroup_path \"%s\" returns %d", s ? s : "(null)", want_r);
}

static void retain(const char *s, int want_r, uint64_t want_age, uint64_t want_bytes)
{
	uint64_t age = 7, bytes = 9;

	is_int(parse_retain(s, &age, &bytes), want_r, "parse_retain \"%s\" returns %d", esc(s), want_r);
	if (want_r == 0)
		ok(age == want_age && bytes == want_bytes, "parse_retain \"%s\": %llu s, %llu bytes (want %llu, %llu)",
		   esc(s), (unsigned long long)age, (unsigned long long)bytes, (unsigned long long)want_age,
		   (unsigned long long)want_bytes);
	else
		ok(age == 7 && bytes == 9, "parse_retain \"%s\" leaves the values", esc(s));
}

/* now: Sat 2026-12-05 21:30:00 UTC; ref (the end of a recording) an hour before */
#define NOW 1796506200.0
#define REF 1796502600.0

static void when(const char *s, int want_r, double want)
{
	double v = -1;

	is_int(parse_time(s, REF, NOW, &v), want_r, "parse_time \"%s\" returns %d", esc(s), want_r);
	if (want_r == 0)
		ok(v == want, "parse_time \"%s\" = %.3f (want %.3f)", esc(s), v, want);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	/* plain bytes and suffixes */
	size("0", 0, 0);
	size("1", 0, 1);
	size("33554432", 0, 33554432);
	size("100B", 0, 100);
	size("32M", 0, 33554432);
	size("32m", 0, 33554432);
	size("32MiB", 0, 33554432);
	size("32Mi", 0, 33554432);
	size("32MB", 0, 33554432);
	size("1K", 0, 1024);
	size("1k", 0, 1024);
	size("4KiB", 0, 4096);
	size("1G", 0, 1073741824);
	size("1gib", -EINVAL, 0);
	size("2G", 0, 2147483648ULL);
	size("1T", 0, 1099511627776ULL);
	size("1t", 0, 1099511627776ULL);
	size("max", 0, CG_UNLIMITED);
	/* fractions that give whole bytes */
	size("1.5G", 0, 1610612736ULL);
	size("1.5K", 0, 1536);
	size("0.5K", 0, 512);
	size("1.50G", 0, 1610612736ULL);
	size("0.25M", 0, 262144);
	size("1.0", 0, 1);
	size("1.000B", 0, 1);
	size("0.0009765625K", 0, 1);
	size("1.1K", -EINVAL, 0);
	size("0.1K", -EINVAL, 0);
	size("1.5", -EINVAL, 0);
	size("0.0001K", -EINVAL, 0);
	size("1.", -EINVAL, 0);
	size(".5K", -EINVAL, 0);
	size("1..5K", -EINVAL, 0);
	/* limits: 2^63 is the largest accepted */
	size("9223372036854775808", 0, 9223372036854775808ULL);
	size("9223372036854775809", -ERANGE, 0);
	size("8388608T", 0, 9223372036854775808ULL);
	size("8388608.5T", -ERANGE, 0);
	size("8388609T", -ERANGE, 0);
	size("18446744073709551615", -ERANGE, 0);
	size("18446744073709551616", -ERANGE, 0);
	size("99999999999999999999999K", -ERANGE, 0);
	/* refused */
	size("", -EINVAL, 0);
	size("-1", -EINVAL, 0);
	size("+1", -EINVAL, 0);
	size(" 5", -EINVAL, 0);
	size("5 ", -EINVAL, 0);
	size("5\n", -EINVAL, 0);
	size("32Q", -EINVAL, 0);
	size("1e99", -EINVAL, 0);
	size("1E3", -EINVAL, 0);
	size("0x10", -EINVAL, 0);
	size("K", -EINVAL, 0);
	size("M32", -EINVAL, 0);
	size("32MM", -EINVAL, 0);
	size("32Mb", -EINVAL, 0);
	size("32iB", -EINVAL, 0);
	size("32 M", -EINVAL, 0);
	size("MAX", -EINVAL, 0);
	size("max ", -EINVAL, 0);
	size("maximum", -EINVAL, 0);
	size("inf", -EINVAL, 0);
	size("1,5G", -EINVAL, 0);
	size("nan", -EINVAL, 0);
	ok(parse_size(NULL, &(uint64_t){ 0 }) == -EINVAL, "parse_size NULL");

	interval("0.5", 0, 500000);
	interval("2", 0, 2000000);
	interval("1", 0, 1000000);
	interval("0.000001", 0, 1);
	interval("1.25", 0, 1250000);
	interval("0.100000", 0, 100000);
	interval("10.5", 0, 10500000);
	interval("86400", 0, 86400000000ULL);
	interval("86400.000000", 0, 86400000000ULL);
	interval("00.5", 0, 500000);
	interval("86400.000001", -ERANGE, 0);
	interval("86401", -ERANGE, 0);
	interval("99999999999999999999999", -ERANGE, 0);
	interval("0", -EINVAL, 0);
	interval("0.0", -EINVAL, 0);
	interval("0.000000", -EINVAL, 0);
	interval("0.0000001", -EINVAL, 0);
	interval("1.5000000", -EINVAL, 0);
	interval("", -EINVAL, 0);
	interval("-1", -EINVAL, 0);
	interval("-0.5", -EINVAL, 0);
	interval("+1", -EINVAL, 0);
	interval(" 1", -EINVAL, 0);
	interval("1 ", -EINVAL, 0);
	interval("abc", -EINVAL, 0);
	interval("1e3", -EINVAL, 0);
	interval("1.", -EINVAL, 0);
	interval(".5", -EINVAL, 0);
	interval("1s", -EINVAL, 0);
	interval("0,5", -EINVAL, 0);
	interval("1.2.3", -EINVAL, 0);
	ok(parse_interval_usec(NULL, &(uint64_t){ 0 }) == -EINVAL, "parse_interval_usec NULL");

	cgpath("/", 0);
	cgpath("/system.slice", 0);
	cgpath("/a/b/c", 0);
	cgpath("/.hidden", 0);
	cgpath("/a/..b/c..", 0);
	cgpath("/a/.../b", 0);
	cgpath("/a b/c:d", 0);
	cgpath(NULL, -EINVAL);
	cgpath("", -EINVAL);
	cgpath("a", -EINVAL);
	cgpath("self", -EINVAL);
	cgpath("//", -EINVAL);
	cgpath("/a//b", -EINVAL);
	cgpath("/a/", -EINVAL);
	cgpath("/.", -EINVAL);
	cgpath("/..", -EINVAL);
	cgpath("/../../../../x", -EINVAL);
	cgpath("/a/./b", -EINVAL);
	cgpath("/a/../b", -EINVAL);
	cgpath("/a/..", -EINVAL);
	cgpath("/a/.", -EINVAL);


	retain("7d", 0, 604800, 9);
	retain("1G", 0, 7, 1073741824);
	retain("7d,1G", 0, 604800, 1073741824);
	retain("1G,7d", 0, 604800, 1073741824);
	retain("10m", 0, 600, 9);
	retain("10M", 0, 7, 10485760);
	retain("10MiB", 0, 7, 10485760);
	retain("10MB", 0, 7, 10485760);
	retain("500K", 0, 7, 512000);
	retain("4096B", 0, 7, 4096);
	retain("30s", 0, 30, 9);
	retain("2h", 0, 7200, 9);
	retain("2w", 0, 1209600, 9);
	retain("1T", 0, 7, 1099511627776ULL);
	retain("2s,1d", 0, 86400, 9); /* the last of a kind counts */
	retain("", -EINVAL, 0, 0);
	retain("7", -EINVAL, 0, 0);
	retain("0d", -EINVAL, 0, 0);
	retain("0M", -EINVAL, 0, 0);
	retain("7D", -EINVAL, 0, 0);
	retain("1g", -EINVAL, 0, 0);
	retain("7d,", -EINVAL, 0, 0);
	retain(",7d", -EINVAL, 0, 0);
	retain("7d,,1G", -EINVAL, 0, 0);
	retain("7 d", -EINVAL, 0, 0);
	retain("-7d", -EINVAL, 0, 0);
	retain("1.5G", -EINVAL, 0, 0);
	retain("7dd", -EINVAL, 0, 0);
	retain("99999999999999999999d", -ERANGE, 0, 0);
	retain("99999999999T", -ERANGE, 0, 0);
	ok(parse_retain(NULL, &(uint64_t){ 0 }, &(uint64_t){ 0 }) == -EINVAL, "parse_retain NULL");

	/* times: local time is UTC here (TZ set below) */
	when("-10m", 0, REF - 600);
	when("-90", 0, REF - 90);
	when("-30s", 0, REF - 30);
	when("+30s", 0, REF + 30);
	when("-2h", 0, REF - 7200);
	when("-1d", 0, REF - 86400);
	when("-1w", 0, REF - 604800);
	when("12:03", 0, 1796472180.0);
	when("12:03:30", 0, 1796472210.0);
	when("21:30", 0, 1796506200.0);
	when("22:00", 0, 1796506200.0 + 1800 - 86400); /* later than now: yesterday */
	when("2026-12-05", 0, 1796428800.0);
	when("2026-12-05T12:03", 0, 1796472180.0);
	when("2026-12-05 12:03:30", 0, 1796472210.0);
	when("2026-12-05T12:03Z", 0, 1796472180.0);
	when("1796472180", 0, 1796472180.0);
	when("@1796472180", 0, 1796472180.0);
	when("@1796472180.25", 0, 1796472180.25);
	when("@0", 0, 0.0);
	when("", -EINVAL, 0);
	when("12", -EINVAL, 0);
	when("1234", -EINVAL, 0);
	when("12:3", -EINVAL, 0);
	when("24:00", -EINVAL, 0);
	when("12:60", -EINVAL, 0);
	when("12:03 ", -EINVAL, 0);
	when("-10x", -EINVAL, 0);
	when("-10mm", -EINVAL, 0);
	when("-", -EINVAL, 0);
	when("-m", -EINVAL, 0);
	when("2026-13-01", -EINVAL, 0);
	when("2026-02-31", -EINVAL, 0);
	when("2026-12-5", -EINVAL, 0);
	when("2026-12-05T", -EINVAL, 0);
	when("2026-12-05T12", -EINVAL, 0);
	when("2026-12-05X", -EINVAL, 0);
	when("@", -EINVAL, 0);
	when("@12x", -EINVAL, 0);
	when("yesterday", -EINVAL, 0);
	ok(parse_time(NULL, REF, NOW, &(double){ 0 }) == -EINVAL, "parse_time NULL");

	return tap_done();
}
