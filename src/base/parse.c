/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * parse.c - pure parsers for the text of cgroupfs files: single numbers ("max" included), flat
 * keyed files (memory.stat, cpu.stat, memory.events, ...), line counts of cgroup.procs, v2
 * io.stat, v1 blkio.throttle.*, PSI pressure files, CPU limits (cpu.max, cpu.cfs_quota_us)
 * and CPU lists (cpuset.cpus).  They run for every group on every
 * refresh, so they are hand-written loops over (buf, len) that never read past len (the
 * buffer need not be NUL-terminated), never allocate and do not depend on the locale.
 */
#include <errno.h>
#include <stdlib.h>

#include "base/parse.h"

const uint64_t cg_pow10[20] = { 1ULL,
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

static inline bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static inline bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Decimal digits at *pp, up to end.  Consumes every digit even past an overflow, so callers can
 * tell "not a number" (-EINVAL, no digit at all) from "too big" (-ERANGE) by what follows.
 */
static int scan_u64(const char **pp, const char *end, uint64_t *ret)
{
	const char *p = *pp;
	uint64_t v = 0;
	bool overflow = false;

	if (p >= end || !is_digit(*p))
		return -EINVAL;
	for (; p < end && is_digit(*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			overflow = true;
		else
			v = v * 10 + d;
	}
	*pp = p;
	if (overflow)
		return -ERANGE;
	*ret = v;
	return 0;
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p;
}

/* End of the line starting at p: the '\n' or end. */
static const char *line_end(const char *p, const char *end)
{
	while (p < end && *p != '\n')
		p++;
	return p;
}

/* Trims surrounding whitespace (blanks and newlines) of [*b, *e). */
static void trim(const char **b, const char **e)
{
	while (*b < *e && is_space(**b))
		(*b)++;
	while (*e > *b && is_space((*e)[-1]))
		(*e)--;
}

/* The whole of [p, end) is one number, blanks around it allowed. */
static int parse_u64_span(const char *p, const char *end, uint64_t *ret)
{
	uint64_t v;
	int r;

	p = skip_blanks(p, end);
	r = scan_u64(&p, end, &v);
	if (r == -EINVAL)
		return r;
	p = skip_blanks(p, end);
	if (p != end)
		return -EINVAL;
	if (r < 0)
		return r;
	*ret = v;
	return 0;
}

int parse_u64(const char *buf, size_t len, uint64_t *ret)
{
	const char *b = buf, *e = buf + len;

	trim(&b, &e);
	if (b == e)
		return -EINVAL;
	return parse_u64_span(b, e, ret);
}

int parse_u64_or_max(const char *buf, size_t len, uint64_t *ret)
{
	const char *b = buf, *e = buf + len;

	trim(&b, &e);
	if (e - b == 3 && b[0] == 'm' && b[1] == 'a' && b[2] == 'x') {
		*ret = CG_UNLIMITED;
		return 0;
	}
	if (b == e)
		return -EINVAL;
	return parse_u64_span(b, e, ret);
}

/* "max", or the whole of [b, e) is one number. */
static int u64_or_max_span(const char *b, const char *e, uint64_t *ret)
{
	if (e - b == 3 && b[0] == 'm' && b[1] == 'a' && b[2] == 'x') {
		*ret = CG_UNLIMITED;
		return 0;
	}
	if (b == e)
		return -EINVAL;
	return parse_u64_span(b, e, ret);
}

int parse_cpu_max(const char *buf, size_t len, uint64_t *ret_quota_usec, uint64_t *ret_period_usec)
{
	const char *b = buf, *e = buf + len, *sp;
	uint64_t quota, period;
	int r;

	trim(&b, &e);
	for (sp = b; sp < e && !is_blank(*sp); sp++)
		;
	if (sp == e)
		return -EINVAL;
	r = u64_or_max_span(b, sp, &quota);
	if (r < 0)
		return r;
	r = parse_u64_span(sp, e, &period);
	if (r < 0)
		return r;
	if (period == 0)
		return -EINVAL;
	*ret_quota_usec = quota;
	*ret_period_usec = period;
	return 0;
}

int parse_cfs_quota(const char *buf, size_t len, uint64_t *ret_quota_usec)
{
	const char *b = buf, *e = buf + len;

	trim(&b, &e);
	/* any negative value is "no limit"; the kernel writes -1 */
	if (b < e && *b == '-') {
		uint64_t v;
		int r = parse_u64_span(b + 1, e, &v);
		if (r < 0)
			return r;
		*ret_quota_usec = CG_UNLIMITED;
		return 0;
	}
	return parse_u64(b, (size_t)(e - b), ret_quota_usec);
}

bool parse_pid_next(const char **s, long *ret_pid)
{
	char *e;
	long pid;

	if (!*s || !**s)
		return false;
	pid = strtol(*s, &e, 10);
	if (e == *s)
		return false;
	while (*e == '\n')
		e++;
	*s = e;
	*ret_pid = pid;
	return true;
}

int parse_cpu_list(const char *buf, size_t len, uint64_t *ret_count)
{
	const char *p = buf, *e = buf + len;
	uint64_t n = 0;

	trim(&p, &e);
	while (p < e) {
		uint64_t lo, hi;
		int r = scan_u64(&p, e, &lo);

		if (r < 0)
			return r;
		hi = lo;
		if (p < e && *p == '-') {
			p++;
			r = scan_u64(&p, e, &hi);
			if (r < 0)
				return r;
			if (hi < lo)
				return -EINVAL;
		}
		n += hi - lo + 1;
		if (p < e) {
			if (*p != ',' || p + 1 == e)
				return -EINVAL;
			p++;
		}
	}
	*ret_count = n;
	return 0;
}

/*
 * One line of a flat keyed file, [p, eol) without the newline: the key runs up to the first
 * blank, the value follows after blanks.  Returns 1 for an empty line, 0 or -errno.
 */
static int keyed_line(const char *p, const char *eol, const char **key, size_t *key_len, uint64_t *value)
{
	const char *k;

	if (eol > p && eol[-1] == '\r')
		eol--;
	p = skip_blanks(p, eol);
	if (p == eol)
		return 1;
	k = p;
	while (p < eol && !is_blank(*p))
		p++;
	*key = k;
	*key_len = (size_t)(p - k);
	if (p == eol)
		return -EINVAL;
	return parse_u64_span(p, eol, value);
}

int parse_keyed(const char *buf, size_t len, parse_keyed_cb cb, void *userdata)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *eol = line_end(p, end), *key;
		size_t key_len;
		uint64_t value;
		int r;

		r = keyed_line(p, eol, &key, &key_len, &value);
		if (r == 0) {
			r = cb(key, key_len, value, userdata);
			if (r != 0)
				return r;
		}
		p = eol + 1;
	}
	return 0;
}

int parse_keyed_get(const char *buf, size_t len, const char *key, uint64_t *ret)
{
	const char *p = buf, *end = buf + len;
	size_t want = 0;

	while (key[want])
		want++;
	while (p < end) {
		const char *eol = line_end(p, end), *k = skip_blanks(p, eol);
		size_t i;

		/* compare the key in place, then insist on a blank right after it */
		for (i = 0; i < want && k + i < eol && k[i] == key[i]; i++)
			;
		if (i == want && k + i < eol && is_blank(k[i])) {
			const char *v = k + i, *ve = eol;

			if (ve > v && ve[-1] == '\r')
				ve--;
			return parse_u64_span(v, ve, ret);
		}
		p = eol + 1;
	}
	return -ENXIO;
}

size_t parse_count_lines(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	size_t n = 0;
	bool content = false;

	for (; p < end; p++) {
		if (*p == '\n') {
			n += content;
			content = false;
		} else if (!is_space(*p)) {
			content = true;
		}
	}
	return n + content;
}

/* "MAJ:MIN" at the start of a line; advances *pp past it. */
static int scan_devnum(const char **pp, const char *end)
{
	uint64_t v;
	int r;

	r = scan_u64(pp, end, &v);
	if (r < 0)
		return r;
	if (*pp >= end || **pp != ':')
		return -EINVAL;
	(*pp)++;
	return scan_u64(pp, end, &v);
}

static int add_u64(uint64_t *sum, uint64_t v)
{
	if (*sum > UINT64_MAX - v)
		return -ERANGE;
	*sum += v;
	return 0;
}

static bool token_is(const char *p, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lit[i] != p[i] || lit[i] == '\0')
			return false;
	return lit[n] == '\0';
}

int parse_io_stat(const char *buf, size_t len, struct io_totals *ret)
{
	struct io_totals t = { 0 };
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *eol = line_end(p, end);
		int r;

		p = skip_blanks(p, eol);
		if (p == eol || (eol - p == 1 && *p == '\r')) {
			p = eol + 1;
			continue;
		}
		r = scan_devnum(&p, eol);
		if (r < 0)
			return r;
		while (p < eol) {
			const char *k, *ve;
			uint64_t *dst = NULL, v;
			size_t kl;

			p = skip_blanks(p, eol);
			if (p == eol || (eol - p == 1 && *p == '\r'))
				break;
			k = p;
			while (p < eol && *p != '=' && !is_space(*p))
				p++;
			kl = (size_t)(p - k);
			if (p == eol || *p != '=')
				return -EINVAL;
			p++;
			ve = p;
			while (ve < eol && !is_space(*ve))
				ve++;
			if (token_is(k, kl, "rbytes"))
				dst = &t.rbytes;
			else if (token_is(k, kl, "wbytes"))
				dst = &t.wbytes;
			else if (token_is(k, kl, "rios"))
				dst = &t.rios;
			else if (token_is(k, kl, "wios"))
				dst = &t.wios;
			else if (token_is(k, kl, "dbytes"))
				dst = &t.dbytes;
			else if (token_is(k, kl, "dios"))
				dst = &t.dios;
			if (dst) {
				/* value must be exactly the token */
				r = scan_u64(&p, ve, &v);
				if (r == 0 && p != ve)
					r = -EINVAL;
				if (r < 0)
					return r;
				r = add_u64(dst, v);
				if (r < 0)
					return r;
			}
			p = ve;
		}
		p = eol + 1;
	}
	*ret = t;
	return 0;
}

int parse_blkio_v1(const char *buf, size_t len, uint64_t *ret_read, uint64_t *ret_write)
{
	const char *p = buf, *end = buf + len;
	uint64_t rd = 0, wr = 0;

	while (p < end) {
		const char *eol = line_end(p, end), *op, *e = eol;
		uint64_t v;
		size_t opl;
		int r;

		if (e > p && e[-1] == '\r')
			e--;
		p = skip_blanks(p, e);
		if (p == e) {
			p = eol + 1;
			continue;
		}
		if (!is_digit(*p)) {
			/* the final "Total N" line, or a kernel's notice without a device */
			p = eol + 1;
			continue;
		}
		r = scan_devnum(&p, e);
		if (r < 0)
			return r;
		if (p == e || !is_blank(*p))
			return -EINVAL;
		p = skip_blanks(p, e);
		op = p;
		while (p < e && !is_blank(*p))
			p++;
		opl = (size_t)(p - op);
		if (opl == 0)
			return -EINVAL;
		r = parse_u64_span(p, e, &v);
		if (r < 0)
			return r;
		if (token_is(op, opl, "Read"))
			r = add_u64(&rd, v);
		else if (token_is(op, opl, "Write"))
			r = add_u64(&wr, v);
		if (r < 0)
			return r;
		p = eol + 1;
	}
	*ret_read = rd;
	*ret_write = wr;
	return 0;
}

/* "N", "N.NN": digits with an optional fraction, without the locale of strtod(). */
static int scan_decimal(const char *p, const char *end, double *ret)
{
	static const double pow10[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,
					1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19 };
	uint64_t mant = 0;
	unsigned digits = 0, frac = 0;
	bool dot = false;

	if (p == end)
		return -EINVAL;
	for (; p < end; p++) {
		if (*p == '.' && !dot && digits > 0) {
			dot = true;
			continue;
		}
		if (!is_digit(*p))
			return -EINVAL;
		/* more than 19 significant digits would not fit; PSI prints two decimals */
		if (++digits > 19)
			return -ERANGE;
		mant = mant * 10 + (uint64_t)(*p - '0');
		frac += dot;
	}
	if (dot && frac == 0)
		return -EINVAL;
	/* one correctly rounded division: "6.78" gives the same double as strtod */
	*ret = (double)mant / pow10[frac];
	return 0;
}

static int psi_line(const char *p, const char *eol, struct psi_line *ret)
{
	struct psi_line l = { 0 };
	unsigned seen = 0;

	while (p < eol) {
		const char *k, *v, *ve;
		size_t kl;
		int r = 0;

		p = skip_blanks(p, eol);
		if (p == eol)
			break;
		k = p;
		while (p < eol && *p != '=' && !is_blank(*p))
			p++;
		kl = (size_t)(p - k);
		if (p == eol || *p != '=')
			return -EINVAL;
		v = ++p;
		while (p < eol && !is_blank(*p))
			p++;
		ve = p;
		if (token_is(k, kl, "avg10")) {
			r = scan_decimal(v, ve, &l.avg10);
			seen |= 1;
		} else if (token_is(k, kl, "avg60")) {
			r = scan_decimal(v, ve, &l.avg60);
			seen |= 2;
		} else if (token_is(k, kl, "avg300")) {
			r = scan_decimal(v, ve, &l.avg300);
			seen |= 4;
		} else if (token_is(k, kl, "total")) {
			r = parse_u64_span(v, ve, &l.total);
			seen |= 8;
		}
		if (r < 0)
			return r;
	}
	if (seen != 15)
		return -EINVAL;
	*ret = l;
	return 0;
}

int parse_psi(const char *buf, size_t len, struct psi *ret)
{
	struct psi psi = { 0 };
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *eol = line_end(p, end), *e = eol, *w;
		struct psi_line *dst = NULL;
		size_t wl;
		int r;

		if (e > p && e[-1] == '\r')
			e--;
		p = skip_blanks(p, e);
		w = p;
		while (p < e && !is_blank(*p))
			p++;
		wl = (size_t)(p - w);
		if (wl == 0) {
			p = eol + 1;
			continue;
		}
		if (token_is(w, wl, "some")) {
			dst = &psi.some;
			psi.has_some = true;
		} else if (token_is(w, wl, "full")) {
			dst = &psi.full;
			psi.has_full = true;
		} else {
			return -EINVAL;
		}
		r = psi_line(p, e, dst);
		if (r < 0)
			return r;
		p = eol + 1;
	}
	if (!psi.has_some)
		return -EINVAL;
	*ret = psi;
	return 0;
}
