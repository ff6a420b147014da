/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * parse-user.c - parsers for values people type on the command line or in the dashboard:
 * sizes ("512M", "1.5GiB", "max"), refresh intervals in seconds ("0.5") and group paths
 * ("/system.slice/foo"), retention limits ("7d,1G") and points in time ("12:03",
 * "-10m", an ISO date, epoch seconds).  Strict on purpose:
 * no sign, no blanks, no exponent, no locale, so a typo is an error and never a surprise limit.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "base/parse.h"

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Digits at *pp into *ret; -EINVAL without a digit, -ERANGE past UINT64_MAX. */
static int digits_u64(const char **pp, uint64_t *ret, unsigned *ndigits)
{
	const char *p = *pp;
	uint64_t v = 0;
	bool overflow = false;

	if (!is_digit(*p))
		return -EINVAL;
	for (; is_digit(*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			overflow = true;
		else
			v = v * 10 + d;
	}
	if (ndigits)
		*ndigits = (unsigned)(p - *pp);
	*pp = p;
	if (overflow)
		return -ERANGE;
	*ret = v;
	return 0;
}

int parse_size(const char *str, uint64_t *ret)
{
	const char *p = str, *fs = NULL;
	uint64_t whole, frac = 0, total;
	unsigned shift = 0, nfrac = 0;
	int r, range = 0;

	if (!str)
		return -EINVAL;
	if (p[0] == 'm' && p[1] == 'a' && p[2] == 'x' && p[3] == '\0') {
		*ret = CG_UNLIMITED;
		return 0;
	}
	r = digits_u64(&p, &whole, NULL);
	if (r == -EINVAL)
		return r;
	range = r;
	if (*p == '.') {
		p++;
		fs = p;
		if (!is_digit(*p))
			return -EINVAL;
		while (is_digit(*p))
			p++;
	}
	switch (*p) {
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	case 't':
	case 'T':
		shift = 40;
		break;
	default:
		break;
	}
	if (shift) {
		p++;
		if (*p == 'i')
			p++;
	}
	if (*p == 'B')
		p++;
	if (*p != '\0')
		return -EINVAL;
	if (range < 0)
		return range;

	if (fs) {
		const char *fe = fs;

		while (is_digit(*fe))
			fe++;
		/* trailing zeros say nothing: "1.50G" is "1.5G" */
		while (fe > fs && fe[-1] == '0')
			fe--;
		nfrac = (unsigned)(fe - fs);
		/* more digits than 10^19 holds cannot be a whole number of bytes of these units */
		if (nfrac > 19)
			return -EINVAL;
		for (const char *q = fs; q < fe; q++)
			frac = frac * 10 + (uint64_t)(*q - '0');
	}
	if (whole > (1ULL << 63) >> shift)
		return -ERANGE;
	total = whole << shift;
	if (nfrac) {
		/* frac / 10^nfrac * 2^shift must be whole: split 10^n = 2^n * 5^n */
		uint64_t five = cg_pow10[nfrac] >> nfrac, part;

		if (nfrac > shift || frac % five != 0)
			return -EINVAL;
		part = (frac / five) << (shift - nfrac);
		if (part > (1ULL << 63) - total)
			return -ERANGE;
		total += part;
	}
	*ret = total;
	return 0;
}

int parse_interval_usec(const char *str, uint64_t *ret)
{
	const char *p = str;
	uint64_t sec, usec = 0;
	unsigned nfrac = 0;
	int r;

	if (!str)
		return -EINVAL;
	r = digits_u64(&p, &sec, NULL);
	if (r == -EINVAL)
		return r;
	if (*p == '.') {
		uint64_t frac = 0;

		p++;
		if (!is_digit(*p))
			return -EINVAL;
		for (; is_digit(*p); p++, nfrac++) {
			if (nfrac == 6)
				return -EINVAL;
			frac = frac * 10 + (uint64_t)(*p - '0');
		}
		for (unsigned i = nfrac; i < 6; i++)
			frac *= 10;
		usec = frac;
	}
	if (*p != '\0')
		return -EINVAL;
	if (r < 0 || sec > 86400 || (sec == 86400 && usec > 0))
		return -ERANGE;
	if (sec == 0 && usec == 0)
		return -EINVAL;
	*ret = sec * 1000000 + usec;
	return 0;
}

int parse_cgroup_path(const char *str)
{
	const char *p, *e;

	if (!str || str[0] != '/')
		return -EINVAL;
	if (!str[1])
		return 0; /* the root */
	for (p = str + 1;; p = e + 1) {
		size_t len;

		for (e = p; *e && *e != '/'; e++)
			;
		len = (size_t)(e - p);
		/* "a//b", a trailing "/", "." and ".." */
		if (len == 0 || (p[0] == '.' && (len == 1 || (len == 2 && p[1] == '.'))))
			return -EINVAL;
		if (!*e)
			return 0;
	}
}

/* One "NUMBER UNIT" item of --retain: s, m, h, d, w a duration, K, M, G, T
 * (IEC, "KiB" and "KB" too) or B a size.  The cases are the units apart:
 * "10m" is ten minutes and "10M" ten mebibytes. */
static int retain_item(const char *p, const char *end, uint64_t *age, uint64_t *bytes)
{
	static const struct {
		char c;
		uint64_t sec;
	} durations[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 604800 } };
	uint64_t v;
	int r = digits_u64(&p, &v, NULL);

	if (r < 0 || p >= end)
		return r < 0 ? r : -EINVAL; /* no unit: neither a duration nor a size */
	for (size_t i = 0; i < sizeof(durations) / sizeof(durations[0]); i++)
		if (*p == durations[i].c && p + 1 == end) {
			if (v == 0 || v > UINT64_MAX / durations[i].sec / 1000000)
				return v == 0 ? -EINVAL : -ERANGE;
			*age = v * durations[i].sec;
			return 0;
		}
	unsigned shift = 0;
	switch (*p) {
	case 'K':
		shift = 10;
		break;
	case 'M':
		shift = 20;
		break;
	case 'G':
		shift = 30;
		break;
	case 'T':
		shift = 40;
		break;
	case 'B':
		break;
	default:
		return -EINVAL;
	}
	p++;
	if (shift && p < end && *p == 'i')
		p++;
	if (shift && p < end && *p == 'B')
		p++;
	if (p != end || v == 0)
		return -EINVAL;
	if (v > (1ULL << 62) >> shift)
		return -ERANGE;
	*bytes = v << shift;
	return 0;
}

int parse_retain(const char *str, uint64_t *ret_age_sec, uint64_t *ret_bytes)
{
	uint64_t age = *ret_age_sec, bytes = *ret_bytes;

	if (!str || !*str)
		return -EINVAL;
	for (const char *p = str;;) {
		const char *e = p;
		while (*e && *e != ',')
			e++;
		int r = retain_item(p, e, &age, &bytes);
		if (r < 0)
			return r;
		if (!*e)
			break;
		p = e + 1;
	}
	*ret_age_sec = age;
	*ret_bytes = bytes;
	return 0;
}

/* digits at *pp, exactly n of them */
static int digits_n(const char **pp, unsigned n, int *ret)
{
	int v = 0;

	for (unsigned i = 0; i < n; i++, (*pp)++) {
		if (!is_digit(**pp))
			return -EINVAL;
		v = v * 10 + (**pp - '0');
	}
	*ret = v;
	return 0;
}

/* "HH:MM" or "HH:MM:SS" at *pp into tm */
static int clock_time(const char **pp, struct tm *tm)
{
	const char *p = *pp;
	int h, m, s = 0;

	if (digits_n(&p, 2, &h) < 0 || *p++ != ':' || digits_n(&p, 2, &m) < 0)
		return -EINVAL;
	if (*p == ':') {
		p++;
		if (digits_n(&p, 2, &s) < 0)
			return -EINVAL;
	}
	if (h > 23 || m > 59 || s > 60)
		return -EINVAL;
	tm->tm_hour = h;
	tm->tm_min = m;
	tm->tm_sec = s;
	*pp = p;
	return 0;
}

int parse_time(const char *str, double ref, double now, double *ret)
{
	const char *p = str;
	uint64_t v;
	struct tm tm;
	time_t t;

	if (!str || !*str)
		return -EINVAL;
	if (*p == '-' || *p == '+') {
		/* relative: -10m, +30s, -2h, -1d, -1w (a bare number: seconds) */
		int sign = *p++ == '-' ? -1 : 1;
		uint64_t unit = 1;
		if (digits_u64(&p, &v, NULL) < 0)
			return -EINVAL;
		switch (*p) {
		case '\0':
			break;
		case 's':
			break;
		case 'm':
			unit = 60;
			break;
		case 'h':
			unit = 3600;
			break;
		case 'd':
			unit = 86400;
			break;
		case 'w':
			unit = 604800;
			break;
		default:
			return -EINVAL;
		}
		if (*p && p[1])
			return -EINVAL;
		if (v > 100ULL * 365 * 86400 / unit)
			return -ERANGE;
		*ret = ref + sign * (double)(v * unit);
		return 0;
	}
	if (*p == '@' ||
	    (is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) && is_digit(p[4]))) {
		/* epoch seconds: @1765000000, or a number of 5 digits or more
		 * (a date has its '-' after 4) */
		const char *q = p + (*p == '@');
		uint64_t frac = 0, div = 1;
		if (digits_u64(&q, &v, NULL) < 0)
			return -EINVAL;
		if (*q == '.') {
			q++;
			if (!is_digit(*q))
				return -EINVAL;
			for (; is_digit(*q) && div < 1000000; q++, div *= 10)
				frac = frac * 10 + (uint64_t)(*q - '0');
		}
		if (*q || v > (1ULL << 40))
			return -EINVAL;
		*ret = (double)v + (double)frac / (double)div;
		return 0;
	}
	t = (time_t)now;
	if (!localtime_r(&t, &tm))
		return -EINVAL;
	if (is_digit(p[0]) && is_digit(p[1]) && p[2] == ':') {
		/* a clock time, local: today, or yesterday when that is later than now */
		if (clock_time(&p, &tm) < 0 || *p)
			return -EINVAL;
		tm.tm_isdst = -1;
		t = mktime(&tm);
		if (t == (time_t)-1)
			return -EINVAL;
		if ((double)t > now) {
			tm.tm_mday--;
			tm.tm_isdst = -1;
			t = mktime(&tm);
		}
		*ret = (double)t;
		return 0;
	}
	/* ISO 8601: YYYY-MM-DD, then optionally T or a blank and a clock time, then
	 * optionally Z (UTC); local time otherwise */
	int y, mo, d;
	memset(&tm, 0, sizeof(tm));
	if (digits_n(&p, 4, &y) < 0 || *p++ != '-' || digits_n(&p, 2, &mo) < 0 || *p++ != '-' ||
	    digits_n(&p, 2, &d) < 0)
		return -EINVAL;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1970)
		return -EINVAL;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (clock_time(&p, &tm) < 0)
			return -EINVAL;
	}
	bool utc = *p == 'Z';
	if (utc)
		p++;
	if (*p)
		return -EINVAL;
	struct tm check = tm;
	tm.tm_isdst = -1;
	t = utc ? timegm(&tm) : mktime(&tm);
	/* mktime carries 31 February into March: refuse it */
	if (t == (time_t)-1 || tm.tm_mday != check.tm_mday || tm.tm_mon != check.tm_mon)
		return -EINVAL;
	*ret = (double)t;
	return 0;
}
