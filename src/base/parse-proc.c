/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * parse-proc.c - pure parsers for the /proc text cgtop needs besides cgroupfs: one line of
 * /proc/PID/mountinfo (proc(5): octal escapes, optional fields up to the "-" separator), one
 * line of /proc/PID/cgroup, a hierarchy's count in /proc/cgroups, a key of /proc/meminfo and the
 * aggregate "cpu" line of /proc/stat.
 * Buffers need not be NUL-terminated; strings are decoded into a caller buffer; no allocation.
 */
#include <errno.h>
#include <string.h>

#include "base/parse.h"

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* Unsigned int of [p, e) exactly, "0" to UINT_MAX. */
static int span_uint(const char *p, const char *e, unsigned *ret)
{
	uint64_t v = 0;

	if (p == e)
		return -EINVAL;
	for (; p < e; p++) {
		if (!is_digit(*p))
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > 0xffffffffu)
			return -ERANGE;
	}
	*ret = (unsigned)v;
	return 0;
}

/* Strips one trailing "\n" (and a "\r" before it). */
static size_t chomp(const char *line, size_t len)
{
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	return len;
}

/*
 * Copies [p, e) to *o, decoding the kernel's mangle() escapes "\ooo" (space \040, tab \011,
 * newline \012, backslash \134), and NUL-terminates it.  A backslash not followed by three
 * octal digits is kept as it is.
 */
static int unescape(const char *p, const char *e, char **o)
{
	char *d = *o;

	while (p < e) {
		if (*p == '\\' && e - p >= 4 && is_octal(p[1]) && is_octal(p[2]) && is_octal(p[3])) {
			unsigned v = (unsigned)(p[1] - '0') * 64 + (unsigned)(p[2] - '0') * 8 +
				     (unsigned)(p[3] - '0');

			/* "\000" would cut the string short; "\400" and up is not a byte */
			if (v == 0 || v > 255)
				return -EINVAL;
			*d++ = (char)v;
			p += 4;
		} else {
			*d++ = *p++;
		}
	}
	*d++ = '\0';
	*o = d;
	return 0;
}

int parse_mountinfo_line(const char *line, size_t len, char *out, size_t out_size,
			 struct mountinfo_entry *ret)
{
	/* field boundaries, split on single spaces: an empty source shows as two spaces */
	const char *fb[64], *fe[64];
	const char *p, *end, *colon;
	struct mountinfo_entry m;
	size_t nf = 0, i, sep;
	char *o = out;
	int r;

	len = chomp(line, len);
	if (out_size < len + 1)
		return -ENOBUFS;
	end = line + len;
	p = line;
	for (;;) {
		const char *s = p;

		while (p < end && *p != ' ')
			p++;
		if (nf == 64)
			return -EINVAL;
		fb[nf] = s;
		fe[nf] = p;
		nf++;
		if (p == end)
			break;
		p++;
	}
	/* id parent maj:min root mount-point options [optional...] - fstype source super-options */
	for (sep = 6; sep < nf; sep++)
		if (fe[sep] - fb[sep] == 1 && fb[sep][0] == '-')
			break;
	if (sep >= nf || nf != sep + 4)
		return -EINVAL;

	r = span_uint(fb[0], fe[0], &m.mount_id);
	if (r < 0)
		return r;
	r = span_uint(fb[1], fe[1], &m.parent_id);
	if (r < 0)
		return r;
	for (colon = fb[2]; colon < fe[2] && *colon != ':'; colon++)
		;
	if (colon == fe[2])
		return -EINVAL;
	r = span_uint(fb[2], colon, &m.major);
	if (r < 0)
		return r;
	r = span_uint(colon + 1, fe[2], &m.minor);
	if (r < 0)
		return r;
	for (i = 3; i < 5; i++)
		if (fb[i] == fe[i])
			return -EINVAL;
	if (fb[sep + 1] == fe[sep + 1])
		return -EINVAL;

	m.root = o;
	r = unescape(fb[3], fe[3], &o);
	if (r < 0)
		return r;
	m.mount_point = o;
	r = unescape(fb[4], fe[4], &o);
	if (r < 0)
		return r;
	m.fstype = o;
	r = unescape(fb[sep + 1], fe[sep + 1], &o);
	if (r < 0)
		return r;
	m.source = o;
	r = unescape(fb[sep + 2], fe[sep + 2], &o);
	if (r < 0)
		return r;
	m.super_opts = o;
	r = unescape(fb[sep + 3], fe[sep + 3], &o);
	if (r < 0)
		return r;
	*ret = m;
	return 0;
}

int parse_proc_cgroup_line(const char *line, size_t len, char *out, size_t out_size,
			   struct proc_cgroup_entry *ret)
{
	const char *p = line, *end, *c1, *c2;
	struct proc_cgroup_entry e;
	size_t n;
	int r;

	len = chomp(line, len);
	if (out_size < len + 1)
		return -ENOBUFS;
	end = line + len;
	for (c1 = p; c1 < end && *c1 != ':'; c1++)
		;
	if (c1 == end)
		return -EINVAL;
	r = span_uint(p, c1, &e.hierarchy_id);
	if (r < 0)
		return r;
	/* the path itself may hold ':' */
	for (c2 = c1 + 1; c2 < end && *c2 != ':'; c2++)
		;
	if (c2 == end || c2 + 1 == end || c2[1] != '/')
		return -EINVAL;

	n = (size_t)(c2 - (c1 + 1));
	for (size_t i = 0; i < n; i++)
		out[i] = c1[1 + i];
	out[n] = '\0';
	e.controllers = out;
	out += n + 1;
	n = (size_t)(end - (c2 + 1));
	for (size_t i = 0; i < n; i++)
		out[i] = c2[1 + i];
	out[n] = '\0';
	e.path = out;
	*ret = e;
	return 0;
}

int parse_proc_cgroups_count(const char *buf, size_t len, unsigned hierarchy_id, uint64_t *ret)
{
	const char *p = buf, *end = buf + len;
	bool found = false;
	uint64_t best = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *f[4], *fe[4];
		unsigned nf = 0, id;

		if (!eol)
			eol = end;
		/* the fields: name, hierarchy, num_cgroups, enabled */
		for (const char *q = p; q < eol && nf < 4;) {
			while (q < eol && (*q == '\t' || *q == ' '))
				q++;
			if (q == eol)
				break;
			f[nf] = q;
			while (q < eol && *q != '\t' && *q != ' ')
				q++;
			fe[nf++] = q;
		}
		if (nf == 4 && *p != '#' && span_uint(f[1], fe[1], &id) == 0 && id == hierarchy_id) {
			unsigned n;
			if (span_uint(f[2], fe[2], &n) < 0)
				return -EINVAL;
			if (!found || n > best)
				best = n;
			found = true;
		}
		p = eol + 1;
	}
	if (!found)
		return -ENOENT;
	*ret = best;
	return 0;
}

/* Value of a "Key: value [kB]" line: [p, e) follows the colon. */
static int meminfo_value(const char *p, const char *e, uint64_t *ret)
{
	uint64_t v = 0;
	bool kb = false;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p == e || !is_digit(*p))
		return -EINVAL;
	for (; p < e && is_digit(*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (e - p >= 2 && p[0] == 'k' && p[1] == 'B') {
		kb = true;
		p += 2;
	}
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	if (p != e)
		return -EINVAL;
	if (kb) {
		if (v > UINT64_MAX / 1024)
			return -ERANGE;
		v *= 1024;
	}
	*ret = v;
	return 0;
}

int parse_meminfo_get(const char *buf, size_t len, const char *key, uint64_t *ret_bytes)
{
	const char *p = buf, *end = buf + len;
	size_t kl = 0;

	while (key[kl])
		kl++;
	if (kl == 0)
		return -EINVAL;
	while (p < end) {
		const char *eol = p;
		size_t i;

		while (eol < end && *eol != '\n')
			eol++;
		for (i = 0; i < kl && p + i < eol && p[i] == key[i]; i++)
			;
		if (i == kl && p + kl < eol && p[kl] == ':')
			return meminfo_value(p + kl + 1, eol, ret_bytes);
		p = eol + 1;
	}
	return -ENXIO;
}

/*
 * The numbers of the aggregate "cpu " line of /proc/stat (user nice system idle iowait irq
 * softirq steal guest guest_nice): up to max of them into f, the rest of the line unread;
 * *ret_n how many there were.  -EINVAL without such a line or with a field not a number.
 */
static int stat_cpu_fields(const char *buf, size_t len, uint64_t *f, unsigned max, unsigned *ret_n)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *eol = p;
		unsigned n = 0;

		while (eol < end && *eol != '\n')
			eol++;
		if (!(eol - p > 4 && p[0] == 'c' && p[1] == 'p' && p[2] == 'u' && p[3] == ' ')) {
			p = eol + 1;
			continue;
		}
		p += 4;
		while (n < max) {
			uint64_t v = 0;

			while (p < eol && *p == ' ')
				p++;
			if (p == eol || *p == '\r')
				break;
			if (!is_digit(*p))
				return -EINVAL;
			for (; p < eol && is_digit(*p); p++) {
				unsigned d = (unsigned)(*p - '0');

				if (v > (UINT64_MAX - d) / 10)
					return -ERANGE;
				v = v * 10 + d;
			}
			if (p < eol && *p != ' ' && *p != '\r')
				return -EINVAL;
			f[n++] = v;
		}
		*ret_n = n;
		return 0;
	}
	return -EINVAL;
}

int parse_proc_stat_cpu(const char *buf, size_t len, uint64_t *ret_user_ticks, uint64_t *ret_system_ticks)
{
	uint64_t f[7];
	unsigned n;
	int r = stat_cpu_fields(buf, len, f, 7, &n);

	if (r < 0)
		return r;
	if (n < 7)
		return -EINVAL;
	if (f[0] > UINT64_MAX - f[1] || f[2] > UINT64_MAX - f[5] || f[2] + f[5] > UINT64_MAX - f[6])
		return -ERANGE;
	*ret_user_ticks = f[0] + f[1];
	*ret_system_ticks = f[2] + f[5] + f[6];
	return 0;
}

int parse_proc_stat_cpu_busy(const char *buf, size_t len, uint64_t *ret_busy_ticks, uint64_t *ret_total_ticks)
{
	uint64_t f[8] = { 0 }, total = 0;
	unsigned n;
	int r = stat_cpu_fields(buf, len, f, 8, &n);

	if (r < 0)
		return r;
	if (n < 4)
		return -EINVAL;
	for (unsigned i = 0; i < 8; i++) {
		if (total > UINT64_MAX - f[i])
			return -ERANGE;
		total += f[i];
	}
	/* idle + iowait <= total: both are in it */
	*ret_busy_ticks = total - f[3] - f[4];
	*ret_total_ticks = total;
	return 0;
}

/* The next space-separated field of [*p, e) as a u64. */
static int next_u64(const char **p, const char *e, uint64_t *ret)
{
	const char *s = *p;
	uint64_t v = 0;

	while (s < e && *s == ' ')
		s++;
	if (s == e || !is_digit(*s))
		return -EINVAL;
	for (; s < e && is_digit(*s); s++) {
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (s < e && *s != ' ' && *s != '\n')
		return -EINVAL;
	*p = s;
	*ret = v;
	return 0;
}

/* Skip one space-separated field (it may be negative: priority, nice). */
static int skip_field(const char **p, const char *e)
{
	const char *s = *p;

	while (s < e && *s == ' ')
		s++;
	if (s == e || *s == '\n')
		return -EINVAL;
	while (s < e && *s != ' ' && *s != '\n')
		s++;
	*p = s;
	return 0;
}

int proc_parse_stat(const char *buf, size_t len, struct proc_info *ret)
{
	const char *e = buf + len, *p = buf, *open, *close;
	struct proc_info pi = { .state = '?', .rss_kib = UINT64_MAX };
	uint64_t v;
	size_t clen;
	int r;

	/* "PID (COMM) S PPID ...": comm is the task's name as set by exec or
	 * PR_SET_NAME and may hold ") " itself, so it ends at the last ')' */
	r = next_u64(&p, e, &v);
	if (r < 0)
		return r;
	if (v > INT64_MAX)
		return -ERANGE;
	pi.pid = (int64_t)v;
	open = memchr(p, '(', (size_t)(e - p));
	if (!open || open != p + 1)
		return -EINVAL;
	close = NULL;
	for (const char *q = e; q > open + 1; q--)
		if (q[-1] == ')') {
			close = q - 1;
			break;
		}
	if (!close)
		return -EINVAL;
	clen = (size_t)(close - open - 1);
	if (clen >= sizeof(pi.comm))
		clen = sizeof(pi.comm) - 1;
	memcpy(pi.comm, open + 1, clen);
	pi.comm[clen] = '\0';
	p = close + 1;
	if (e - p < 3 || p[0] != ' ' || p[2] != ' ')
		return -EINVAL;
	pi.state = p[1];
	p += 2;
	/* 4 ppid */
	r = next_u64(&p, e, &v);
	if (r < 0)
		return r;
	pi.ppid = (int64_t)v;
	/* 5 pgrp 6 session 7 tty_nr (signed) 8 tpgid (-1 without a terminal) */
	for (int i = 5; i <= 8; i++)
		if ((r = skip_field(&p, e)) < 0)
			return r;
	/* 9 flags (PF_*) */
	if ((r = next_u64(&p, e, &pi.flags)) < 0)
		return r;
	/* 10 minflt 11 cminflt 12 majflt 13 cmajflt */
	for (int i = 10; i <= 13; i++)
		if ((r = skip_field(&p, e)) < 0)
			return r;
	/* 14 utime 15 stime */
	if ((r = next_u64(&p, e, &pi.utime)) < 0 || (r = next_u64(&p, e, &pi.stime)) < 0)
		return r;
	/* 16 cutime 17 cstime 18 priority 19 nice (signed) */
	for (int i = 16; i <= 19; i++)
		if ((r = skip_field(&p, e)) < 0)
			return r;
	/* 20 num_threads */
	if ((r = next_u64(&p, e, &pi.threads)) < 0)
		return r;
	*ret = pi;
	return 0;
}

int proc_parse_statm(const char *buf, size_t len, uint64_t *ret_resident_pages)
{
	const char *p = buf, *e = buf + len;
	uint64_t size, resident;
	int r;

	if ((r = next_u64(&p, e, &size)) < 0 || (r = next_u64(&p, e, &resident)) < 0)
		return r;
	*ret_resident_pages = resident;
	return 0;
}

int proc_parse_status_rss(const char *buf, size_t len, uint64_t *ret_kib)
{
	const char *p = buf, *e = buf + len;

	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *le = nl ? nl : e;

		if (le - p > 6 && memcmp(p, "VmRSS:", 6) == 0) {
			const char *q = p + 6;
			uint64_t v;
			int r;

			while (q < le && (*q == ' ' || *q == '\t'))
				q++;
			/* the value, then " kB" */
			r = next_u64(&q, le, &v);
			if (r < 0)
				return r;
			if (le - q < 3 || memcmp(q, " kB", 3) != 0)
				return -EINVAL;
			*ret_kib = v;
			return 0;
		}
		p = le + 1;
	}
	return -ENXIO;
}
