/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-parse-user.c - unit tests of src/base/parse-user.c: sizes people type ("32M", "1.5GiB",
 * "max") and refresh intervals ("0.5"), with the inputs that must be refused: empty, signs,
 * blanks, exponents, unknown suffixes, fractions of a byte, values over 2^63 or a day.
 */
#include <errno.h>

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

int main(void)
{
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

	return tap_done();
}
