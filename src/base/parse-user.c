/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * parse-user.c - parsers for values people type on the command line or in the dashboard:
 * sizes ("512M", "1.5GiB", "max"), refresh intervals in seconds ("0.5") and group paths
 * ("/system.slice/foo").  Strict on purpose:
 * no sign, no blanks, no exponent, no locale, so a typo is an error and never a surprise limit.
 */
#include <errno.h>

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
	static const uint64_t pow10[] = { 1ULL,
					  10ULL,
					  100ULL,
					  1000ULL,
					  10000ULL,
					  100000ULL,
					  1000000ULL,
					  10000000ULL,
					  100000000ULL,
					  1000000000ULL,
					  10000000000ULL,
					  100000000000ULL,
					  1000000000000ULL,
					  10000000000000ULL,
					  100000000000000ULL,
					  1000000000000000ULL,
					  10000000000000000ULL,
					  100000000000000000ULL,
					  1000000000000000000ULL,
					  10000000000000000000ULL };
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
		uint64_t five = pow10[nfrac] >> nfrac, part;

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
