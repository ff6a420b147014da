/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kmsg-record.c - turns one kernel log message, in whatever framing it arrived, into a struct
 * kmsg_line: a raw /dev/kmsg record (header, \xNN-escaped text, " KEY=value" dictionary lines),
 * or one line of a saved log as dmesg (plain, -r, -x, -T, --time-format iso), syslog or
 * journalctl print it.  The framing is detected line by line.  This runs for every line of a
 * possibly huge file, so it is a hand-written scan over (buf, len): no allocation, no regex, no
 * sscanf, never a read past len, and the common line costs one word-at-a-time control-byte
 * check, a handful of byte compares and one memcpy.
 */
#include <errno.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <time.h>

#include "events/kmsg.h"
#include "base/digits.h"
#include "base/parse.h"

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

/* The first byte at or after p that is no blank or tab.  A journal's continuation lines are
 * indented by some thirty blanks: eight at a time. */
static inline const char *skip_blanks(const char *p, const char *end)
{
	static const uint64_t blanks = 0x2020202020202020ULL;
	uint64_t w;

	while (end - p >= 8 && (memcpy(&w, p, 8), w == blanks))
		p += 8;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/*
 * True when [s, s + n) holds a byte that no kernel log line can hold: a control byte other than
 * a tab (NUL included) or DEL.  Eight bytes at a time: a word with no byte below 0x20 and none
 * equal to 0x7f (the usual case) costs a few operations; only a word that may hold one is looked
 * at byte by byte, so tabs stay cheap.
 */
static bool has_bad_bytes(const char *s, size_t n)
{
	size_t i = 0;

#ifdef __SSE2__
	/* 16 bytes at a time: a byte below 0x20 other than tab, or DEL */
	const __m128i lim = _mm_set1_epi8(0x1f), tab = _mm_set1_epi8('\t'), del = _mm_set1_epi8(0x7f);
	for (; i + 16 <= n; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(x, lim), x);
		ctl = _mm_andnot_si128(_mm_cmpeq_epi8(x, tab), ctl);
		ctl = _mm_or_si128(ctl, _mm_cmpeq_epi8(x, del));
		if (_mm_movemask_epi8(ctl))
			return true;
	}
#endif
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return true;
	}
	return false;
}

bool kmsg_is_text(const char *s, size_t n)
{
	return !has_bad_bytes(s, n);
}

/* memchr(p, c, end - p), inline: the messages searched are short, and a call to memchr costs
 * more than its search there */
static inline const char *find_byte(const char *p, const char *end, char c)
{
#ifdef __SSE2__
	for (; end - p >= 16; p += 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), _mm_set1_epi8(c)));

		if (m)
			return p + __builtin_ctz(m);
	}
#endif
	for (; p < end; p++)
		if (*p == c)
			return p;
	return NULL;
}

static bool scan_u64(const char **pp, const char *end, uint64_t *ret)
{
	const char *p = *pp;
	uint64_t v = 0;

	if (p >= end || !is_digit(*p))
		return false;
	const char *s = p;

#if DIGITS_SWAR
	v = digits_lead16(&p, end);
#endif
	/* 19 digits cannot overflow: the check per digit (a division) only after them */
	const char *lim = end - s > 19 ? s + 19 : end;
	for (; p < lim && is_digit(*p); p++)
		v = v * 10 + (unsigned)(*p - '0');
	for (; p < end && is_digit(*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
	}
	*pp = p;
	*ret = v;
	return true;
}

/* Exactly n digits at p (p + n <= end checked by the caller). */
static bool fixed_digits(const char *p, unsigned n, int *ret)
{
	int v = 0;

	for (unsigned i = 0; i < n; i++) {
		if (!is_digit(p[i]))
			return false;
		v = v * 10 + (p[i] - '0');
	}
	*ret = v;
	return true;
}

/*
 * Copies n bytes of kmsg text to dst, decoding the kernel's \xNN escapes (anything else,
 * including a stray backslash, is copied as is), and NUL-terminates.  Returns the decoded length.
 */
static size_t unescape(char *dst, const char *src, size_t n)
{
	const char *p = src, *end = src + n;
	char *d = dst;

	while (p < end) {
		const char *bs = find_byte(p, end, '\\');
		int hi, lo;

		if (!bs) {
			memcpy(d, p, (size_t)(end - p));
			d += end - p;
			break;
		}
		memcpy(d, p, (size_t)(bs - p));
		d += bs - p;
		if (end - bs >= 4 && bs[1] == 'x' && (hi = parse_hex_digit(bs[2])) >= 0 &&
		    (lo = parse_hex_digit(bs[3])) >= 0) {
			*d++ = (char)(hi << 4 | lo);
			p = bs + 4;
		} else {
			*d++ = '\\';
			p = bs + 1;
		}
	}
	*d = '\0';
	return (size_t)(d - dst);
}

/*
 * rsyslog's imkmsg writes the /dev/kmsg text as it is, escapes and all, in the syslog shape, so
 * a syslog line may hold "user\x5cx2d1000.slice" for the group user\x2d1000.slice.  A systemd
 * unit name holds "\x2d" literally too, and dmesg, journalctl and imklog print those as they
 * are.  The kernel escapes only bytes below 0x20, from 0x7f up, and the backslash itself: a
 * message whose every backslash starts such an escape is taken as escaped and decoded in place,
 * any other is literal text.  Returns the new length.
 */
static size_t unescape_kernel_text(char *s, size_t n)
{
	const char *p = s, *end = s + n, *bs;
	char *d;
	int hi, lo;

	for (; (bs = memchr(p, '\\', (size_t)(end - p))); p = bs + 4) {
		unsigned char c;

		if (end - bs < 4 || bs[1] != 'x' || (hi = parse_hex_digit(bs[2])) < 0 ||
		    (lo = parse_hex_digit(bs[3])) < 0)
			return n;
		c = (unsigned char)(hi << 4 | lo);
		if (!(c < 0x20 || c >= 0x7f || c == '\\'))
			return n;
	}
	for (p = s, d = s; p < end;) {
		if (*p == '\\') {
			*d++ = (char)(parse_hex_digit(p[2]) << 4 | parse_hex_digit(p[3]));
			p += 4;
		} else {
			*d++ = *p++;
		}
	}
	*d = '\0';
	return (size_t)(d - s);
}

/* ---- time ---- */

static const char wdays[7][3] = { { 'S', 'u', 'n' }, { 'M', 'o', 'n' }, { 'T', 'u', 'e' }, { 'W', 'e', 'd' },
				  { 'T', 'h', 'u' }, { 'F', 'r', 'i' }, { 'S', 'a', 't' } };

/* The end of a month name of another locale at p, matched by its shape: 2 to 16 bytes of
 * letters, UTF-8 (bytes >= 0x80), digits and dots ("nov.", "Mär", "11月", "ноя"), ended by a
 * blank; NULL when it has no such shape. */
static const char *month_shape(const char *p, const char *end)
{
	const char *q = p;
	bool wide = false;

	if (p >= end)
		return NULL;
	while (q < end && q - p <= 16 && *q != ' ') {
		unsigned char c = (unsigned char)*q;

		if (!(c >= 0x80 || c == '.' || is_digit((char)c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')))
			return NULL;
		wide |= c >= 0x80;
		q++;
	}
	/* a leading digit only before a CJK month sign ("11月", "11월") */
	if (is_digit(*p) && !wide)
		return NULL;
	return q - p >= 2 && q - p <= 16 && q < end ? q : NULL;
}

/* 1..12 for "Jan".."Dec" at p (3 bytes available), else 0. */
static int month_of(const char *p)
{
#define M3(a, b, c)                                                                                          \
	((unsigned)(unsigned char)(a) << 16 | (unsigned)(unsigned char)(b) << 8 | (unsigned char)(c))
	/* one switch, not twelve comparisons: every line of a syslog file starts with one */
	switch (M3(p[0], p[1], p[2])) {
	case M3('J', 'a', 'n'):
		return 1;
	case M3('F', 'e', 'b'):
		return 2;
	case M3('M', 'a', 'r'):
		return 3;
	case M3('A', 'p', 'r'):
		return 4;
	case M3('M', 'a', 'y'):
		return 5;
	case M3('J', 'u', 'n'):
		return 6;
	case M3('J', 'u', 'l'):
		return 7;
	case M3('A', 'u', 'g'):
		return 8;
	case M3('S', 'e', 'p'):
		return 9;
	case M3('O', 'c', 't'):
		return 10;
	case M3('N', 'o', 'v'):
		return 11;
	case M3('D', 'e', 'c'):
		return 12;
	default:
		return 0;
	}
#undef M3
}

static bool is_wday(const char *p)
{
	for (int i = 0; i < 7; i++)
		if (p[0] == wdays[i][0] && p[1] == wdays[i][1] && p[2] == wdays[i][2])
			return true;
	return false;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool valid_date(int y, int mon, int d, int h, int mi, int s)
{
	return y >= 1970 && y <= 9999 && mon >= 1 && mon <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 &&
	       s <= 60;
}

/*
 * Local wall-clock time to Unix seconds.  mktime() reads the time zone and is slow, so it runs
 * once per distinct hour: a log's lines share the hour far more often than not.
 */
static int64_t local_to_unix(int y, int mon, int d, int h, int mi, int s)
{
	static _Thread_local int64_t key = -1, base;
	int64_t k = ((int64_t)y * 12 + mon) * 32 * 24 + d * 24 + h;

	if (k != key) {
		struct tm tm = {
			.tm_year = y - 1900, .tm_mon = mon - 1, .tm_mday = d, .tm_hour = h, .tm_isdst = -1
		};
		time_t t = mktime(&tm);

		if (t == (time_t)-1)
			return -1;
		key = k;
		base = (int64_t)t;
	}
	return base + mi * 60 + s;
}

/* The year a syslog time stamp without one belongs to: this year, or last year for a date that
 * would otherwise lie more than a day in the future (a December log read in January). */
static int syslog_year(int mon, int d)
{
	static _Thread_local int year, now_mon, now_day;

	if (!year) {
		time_t now = time(NULL);
		struct tm tm;

		if (!localtime_r(&now, &tm))
			return 1970;
		year = tm.tm_year + 1900;
		now_mon = tm.tm_mon + 1;
		now_day = tm.tm_mday;
	}
	if (mon > now_mon || (mon == now_mon && d > now_day + 1))
		return year - 1;
	return year;
}

/* The 8 bytes at a and at b are the same (a word each: a call to memcmp costs more). */
static inline bool same8(const char *a, const char *b)
{
	uint64_t x, y;

	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	return x == y;
}

/* "HH:MM:SS" at p (8 bytes available). */
static bool parse_hms(const char *p, int *h, int *mi, int *s)
{
	return p[2] == ':' && p[5] == ':' && fixed_digits(p, 2, h) && fixed_digits(p + 3, 2, mi) &&
	       fixed_digits(p + 6, 2, s);
}

/*
 * "Nov 29 05:42:19" at p (15 bytes available): the Unix seconds of that local time, this year
 * or last (syslog_year), in *wall (-1 when mktime cannot tell); false when p holds no such
 * stamp.  The last stamp read is kept with its answer: the lines of a report share their
 * second, and comparing 15 bytes costs less than reading them.
 */
static bool syslog_stamp(const char *p, int64_t *wall)
{
	static _Thread_local char last[15];
	static _Thread_local int64_t last_wall;
	static _Thread_local bool have;
	int mon, d, h, mi, s;

	if (have && same8(p, last) && same8(p + 7, last + 7)) {
		*wall = last_wall;
		return true;
	}
	if (!(mon = month_of(p)) || p[3] != ' ' ||
	    !(p[4] == ' ' ? fixed_digits(p + 5, 1, &d) : fixed_digits(p + 4, 2, &d)) || p[6] != ' ' ||
	    !parse_hms(p + 7, &h, &mi, &s) || !valid_date(2000, mon, d, h, mi, s))
		return false;
	*wall = local_to_unix(syslog_year(mon, d), mon, d, h, mi, s);
	memcpy(last, p, 15);
	last_wall = *wall;
	have = true;
	return true;
}

/*
 * "[  123.456789]" at p: the dmesg monotonic time stamp.  Returns the byte after ']' and the
 * time in microseconds, or NULL.  The fraction is required: printk always prints it, and
 * without it "[  20004]" of the OOM report's task table would look like a time stamp in a log
 * printed without them (dmesg --notime).
 */
static const char *parse_mono_ts(const char *p, const char *end, int64_t *usec)
{
	uint64_t sec, frac = 0;
	unsigned nfrac = 0;

	if (p >= end || *p != '[')
		return NULL;
	if (end - p >= 14 && p[6] == '.' && p[13] == ']') {
		/* printk's own "[%5lu.%06lu]" (the first 27 hours of an uptime), at fixed places:
		 * blanks, then digits up to the '.', six digits up to the ']' */
		const char *d = p + 1;
		unsigned i;

#if DIGITS_SWAR
		if (end - p >= 15) {
			/* the blanks, the digits after them up to the '.', the six after it: a few
			 * masks on two words */
			uint64_t x = digits_load8(p + 1), y = digits_load8(p + 7);
			unsigned b = (unsigned)__builtin_ctzll(x ^ 0x2020202020202020ULL) / 8;

			if (b < 5 && digits_count8(x >> (8 * b)) == 5 - b && digits_count8(y) == 6) {
				*usec = (int64_t)(digits_value8(x >> (8 * b), 5 - b) * 1000000 +
						  digits_value8(y, 6));
				return p + 14;
			}
		}
#endif
		while (d < p + 6 && *d == ' ')
			d++;
		for (sec = 0; d < p + 6 && is_digit(*d); d++)
			sec = sec * 10 + (uint64_t)(*d - '0');
		for (i = 7; i < 13 && is_digit(p[i]); i++)
			frac = frac * 10 + (uint64_t)(p[i] - '0');
		if (d == p + 6 && is_digit(p[5]) && i == 13) {
			*usec = (int64_t)(sec * 1000000 + frac);
			return p + 14;
		}
		frac = 0;
	}
	p++;
	while (p < end && *p == ' ')
		p++;
	if (!scan_u64(&p, end, &sec) || p >= end || *p != '.')
		return NULL;
	for (p++; p < end && is_digit(*p); p++, nfrac++)
		if (nfrac < 6)
			frac = frac * 10 + (uint64_t)(*p - '0');
	if (!nfrac)
		return NULL;
	for (unsigned i = nfrac; i < 6; i++)
		frac *= 10;
	if (p >= end || *p != ']' || sec > INT64_MAX / 1000000 - 1)
		return NULL;
	*usec = (int64_t)(sec * 1000000 + frac);
	return p + 1;
}

/*
 * The relative time stamps of dmesg --time-format reltime ("[Dec 5 18:58]" or "[Nov29 05:42]"
 * when the minute changes, "[  +0.000027]" between) and delta ("[<    0.000027>]"), util-linux
 * 2.38 print-time code (the reltime marker is strftime "%b%e %H:%M", so its month name is the
 * locale's: matched by shape).  They give no time since boot.  Returns the byte after ']', or
 * NULL.
 */
static const char *parse_rel_ts(const char *p, const char *end)
{
	const char *w;

	if (end - p < 5 || *p != '[')
		return NULL;
	p++;
	if (*p == '<') {
		/* delta */
		for (p++; p < end && *p == ' ';)
			p++;
		if (p >= end || !is_digit(*p))
			return NULL;
		while (p < end && is_digit(*p))
			p++;
		if (p >= end || *p != '.')
			return NULL;
		for (p++; p < end && is_digit(*p);)
			p++;
		return end - p >= 2 && p[0] == '>' && p[1] == ']' ? p + 2 : NULL;
	}
	while (p < end && *p == ' ')
		p++;
	if (p < end && *p == '+') {
		/* reltime between markers */
		if (++p >= end || !is_digit(*p))
			return NULL;
		while (p < end && is_digit(*p))
			p++;
		if (p >= end || *p != '.')
			return NULL;
		for (p++; p < end && is_digit(*p);)
			p++;
		return p < end && *p == ']' ? p + 1 : NULL;
	}
	/* the marker: a month name (any locale: "Dez", "déc.", "12月"), the day, HH:MM */
	for (w = p; p < end && !is_digit(*p) && *p != ' ' && *p != ']' && p - w < 16;)
		p++;
	if (p == w)
		return NULL;
	while (p < end && *p == ' ')
		p++;
	if (p >= end || !is_digit(*p))
		return NULL;
	p++;
	if (p < end && is_digit(*p))
		p++;
	if (end - p < 7 || p[0] != ' ' || !is_digit(p[1]) || !is_digit(p[2]) || p[3] != ':' ||
	    !is_digit(p[4]) || !is_digit(p[5]) || p[6] != ']')
		return NULL;
	return p + 7;
}

/* "[Sun Nov 29 05:42:19 2026]" at p (dmesg -T, local time, day space-padded).  Returns the
 * byte after ']' and Unix seconds, or NULL. */
static const char *parse_ctime_ts(const char *p, const char *end, int64_t *wall)
{
	int mon, d, h, mi, s, y;

	if (end - p < 26 || p[0] != '[' || !is_wday(p + 1) || p[4] != ' ' || !(mon = month_of(p + 5)) ||
	    p[8] != ' ' || p[11] != ' ' || p[25] != ']')
		return NULL;
	if (p[9] == ' ' ? !fixed_digits(p + 10, 1, &d) : !fixed_digits(p + 9, 2, &d))
		return NULL;
	if (!parse_hms(p + 12, &h, &mi, &s) || p[20] != ' ' || !fixed_digits(p + 21, 4, &y) ||
	    !valid_date(y, mon, d, h, mi, s))
		return NULL;
	*wall = local_to_unix(y, mon, d, h, mi, s);
	return p + 26;
}

/*
 * An ISO 8601 / RFC 3339 time at p: "2026-11-29T05:42:19" then an optional fraction (after '.'
 * or, as dmesg --time-format iso prints it, ','), then "Z", "+HH:MM", "+HHMM" or nothing (local
 * time).  *comma tells the dmesg shape.  Returns the byte after it, or NULL.
 */
static const char *parse_iso_ts(const char *p, const char *end, int64_t *wall, bool *comma)
{
	/* the date and time of the last stamp read, kept: a report's lines share their second */
	static _Thread_local char last[19];
	static _Thread_local int ly, lmon, ld, lh, lmi, ls;
	static _Thread_local bool have;
	int y, mon, d, h, mi, s, oh, om;
	int64_t t;

	if (end - p < 19 || p[4] != '-')
		return NULL;
	if (have && same8(p, last) && same8(p + 8, last + 8) && same8(p + 11, last + 11)) {
		y = ly, mon = lmon, d = ld, h = lh, mi = lmi, s = ls;
	} else {
		if (p[7] != '-' || (p[10] != 'T' && p[10] != ' ') || !fixed_digits(p, 4, &y) ||
		    !fixed_digits(p + 5, 2, &mon) || !fixed_digits(p + 8, 2, &d) ||
		    !parse_hms(p + 11, &h, &mi, &s) || !valid_date(y, mon, d, h, mi, s))
			return NULL;
		memcpy(last, p, 19);
		ly = y, lmon = mon, ld = d, lh = h, lmi = mi, ls = s;
		have = true;
	}
	p += 19;
	*comma = false;
	if (p < end && (*p == '.' || *p == ',')) {
		*comma = *p == ',';
		p++;
		if (p >= end || !is_digit(*p))
			return NULL;
		while (p < end && is_digit(*p))
			p++;
	}
	t = days_from_civil(y, mon, d) * 86400 + h * 3600 + mi * 60 + s;
	if (p < end && *p == 'Z') {
		p++;
	} else if (p < end && (*p == '+' || *p == '-')) {
		int sign = *p == '-' ? -1 : 1;

		if (end - p >= 6 && p[3] == ':' && fixed_digits(p + 1, 2, &oh) && fixed_digits(p + 4, 2, &om))
			p += 6;
		else if (end - p >= 5 && fixed_digits(p + 1, 2, &oh) && fixed_digits(p + 3, 2, &om))
			p += 5;
		else
			return NULL;
		t -= sign * (oh * 3600 + om * 60);
	} else {
		t = local_to_unix(y, mon, d, h, mi, s);
	}
	*wall = t;
	return p;
}

/* ---- framings ---- */

/*
 * The "<prio>,<seq>,<usec>,<flags>[,more];" header of a /dev/kmsg record.  Returns the byte
 * after ';', or NULL.
 */
static const char *parse_kmsg_header(const char *p, const char *end, struct kmsg_line *ret)
{
	const char *lim;
	uint64_t prio, seq, usec;

	if (!scan_u64(&p, end, &prio) || p >= end || *p++ != ',' || !scan_u64(&p, end, &seq) || p >= end ||
	    *p++ != ',' || !scan_u64(&p, end, &usec) || p >= end || *p++ != ',' || p >= end || *p == ';' ||
	    *p == ',')
		return NULL;
	if (prio > 1023 || usec > INT64_MAX || seq == UINT64_MAX)
		return NULL;
	/* flags, then optional ",key=value" fields (caller=T123): no blanks up to ';' */
	lim = end - p > 128 ? p + 128 : end;
	while (p < lim && *p != ';' && *p != ' ')
		p++;
	if (p >= lim || *p != ';')
		return NULL;
	ret->level = (int)(prio & 7);
	ret->facility = (int)(prio >> 3);
	ret->seq = seq;
	ret->ts_usec = (int64_t)usec;
	return p + 1;
}

/* "<N>" at p: the dmesg -r priority.  Returns the byte after '>', or NULL. */
static const char *parse_prio(const char *p, const char *end, struct kmsg_line *ret)
{
	uint64_t prio;

	p++;
	if (!scan_u64(&p, end, &prio) || p >= end || *p != '>' || prio > 1023)
		return NULL;
	ret->level = (int)(prio & 7);
	ret->facility = (int)(prio >> 3);
	return p + 1;
}

static const char *const facility_names[] = { "kern",   "user",   "mail",   "daemon", "auth",     "syslog",
					      "lpr",    "news",   "uucp",   "cron",   "authpriv", "ftp",
					      "res0",   "res1",   "res2",   "res3",   "local0",   "local1",
					      "local2", "local3", "local4", "local5", "local6",   "local7" };
static const char *const level_names[] = {
	"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"
};

static int name_index(const char *const *names, size_t count, const char *p, size_t n)
{
	if (!n)
		return -1;
	for (size_t i = 0; i < count; i++) {
		/* a byte loop: the names are a few bytes, and strlen and memcmp calls cost more */
		size_t j = 0;

		while (j < n && names[i][j] && names[i][j] == p[j])
			j++;
		if (j == n && !names[i][n])
			return (int)i;
	}
	return -1;
}

/*
 * "kern  :info  : " at p (dmesg -x: facility and level names, each padded to six columns and
 * followed by ':').  Returns the byte after the blank, or NULL.
 */
static const char *parse_decode_prefix(const char *p, const char *end, struct kmsg_line *ret)
{
	const char *w = p, *f;
	int fac, lev;

	while (p < end && p - w < 9 && (is_lower(*p) || is_digit(*p)))
		p++;
	if (p >= end || (*p != ' ' && *p != ':'))
		return NULL;
	f = p;
	while (p < end && *p == ' ')
		p++;
	/* the ':' first: most words followed by a blank are no facility name */
	if (p >= end || *p++ != ':')
		return NULL;
	fac = name_index(facility_names, sizeof(facility_names) / sizeof(facility_names[0]), w,
			 (size_t)(f - w));
	if (fac < 0)
		return NULL;
	w = p;
	while (p < end && p - w < 7 && is_lower(*p))
		p++;
	lev = name_index(level_names, 8, w, (size_t)(p - w));
	if (lev < 0)
		return NULL;
	while (p < end && *p == ' ')
		p++;
	if (end - p < 2 || p[0] != ':' || p[1] != ' ')
		return NULL;
	ret->facility = fac;
	ret->level = lev;
	return p + 2;
}

/* The first blank or ':' at or after p, else end (16 bytes a step: every syslog line has a
 * host name and a tag to pass). */
static inline const char *to_blank_or_colon(const char *p, const char *end)
{
#ifdef __SSE2__
	for (; end - p >= 16; p += 16) {
		const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')),
								      _mm_cmpeq_epi8(x, _mm_set1_epi8(':'))));

		if (m)
			return p + __builtin_ctz(m);
	}
#endif
	while (p < end && *p != ' ' && *p != ':')
		p++;
	return p;
}

/*
 * " HOST kernel: " after a syslog or journal time stamp (p at the blank).  Returns the byte after
 * "kernel: ", or NULL when the line is another program's (*other set) or not syslog-shaped.
 */
static const char *parse_syslog_tag(const char *p, const char *end, bool *other)
{
	const char *host, *tag;

	*other = false;
	if (p >= end || *p != ' ')
		return NULL;
	while (p < end && *p == ' ')
		p++;
	host = p;
	p = to_blank_or_colon(p, end);
	if (p < end && *p == ':' && p - host == 6 && memcmp(host, "kernel", 6) == 0) {
		/* no host field: a syslog daemon told not to write it (rsyslog's
		 * "%timestamp% %syslogtag%%msg%" templates, busybox syslogd -S) */
		p++;
		return p < end && *p == ' ' ? p + 1 : p;
	}
	if (p == host || p >= end || *p != ' ')
		return NULL;
	tag = ++p;
	if (end - p >= 7 && memcmp(p, "kernel:", 7) == 0)
		p += 6; /* the usual tag, without the search below (which stops at the same ':') */
	else
		p = to_blank_or_colon(p, end);
	if (p == tag || p >= end || *p != ':')
		return NULL;
	if (p - tag != 6 || memcmp(tag, "kernel", 6) != 0) {
		*other = true;
		return NULL;
	}
	p++;
	if (p < end && *p == ' ')
		p++;
	return p;
}

/* After a time stamp: one blank, an optional "[  123.456]" (syslog) and an optional printk
 * caller id "[T123]" / "[  C1]", each followed by one blank. */
static const char *skip_ts_and_caller(const char *p, const char *end, struct kmsg_line *ret, bool mono)
{
	const char *q;
	int64_t usec;

	if (mono && p < end && *p == '[' && (q = parse_mono_ts(p, end, &usec))) {
		ret->ts_usec = usec;
		p = q < end && *q == ' ' ? q + 1 : q;
	}
	if (end - p >= 4 && *p == '[') {
		q = p + 1;
		while (q < end && *q == ' ')
			q++;
		if (q < end && (*q == 'T' || *q == 'C')) {
			const char *dg = ++q;

			while (q < end && is_digit(*q))
				q++;
			if (q > dg && q < end && *q == ']')
				p = q + 1 < end && q[1] == ' ' ? q + 2 : q + 1;
		}
	}
	return p;
}

static void line_init(struct kmsg_line *ret)
{
	ret->framing = KF_NONE;
	ret->level = -1;
	ret->facility = -1;
	ret->seq = UINT64_MAX;
	ret->ts_usec = -1;
	ret->wall_sec = -1;
	ret->msg = NULL;
	ret->msg_len = 0;
	ret->subsystem = NULL;
	ret->device = NULL;
	ret->stat_key_len = 0;
}

/* " KEY=value" dictionary line of a record (p after the blank): stores SUBSYSTEM and DEVICE
 * (decoded, at *o, which advances). */
static void dict_line(const char *p, const char *end, char **o, struct kmsg_line *ret)
{
	const char *eq = memchr(p, '=', (size_t)(end - p));
	size_t klen;

	if (!eq)
		return;
	klen = (size_t)(eq - p);
	if (klen == 9 && memcmp(p, "SUBSYSTEM", 9) == 0) {
		ret->subsystem = *o;
		*o += unescape(*o, eq + 1, (size_t)(end - eq - 1)) + 1;
	} else if (klen == 6 && memcmp(p, "DEVICE", 6) == 0) {
		ret->device = *o;
		*o += unescape(*o, eq + 1, (size_t)(end - eq - 1)) + 1;
	}
}

static bool is_dict_key(const char *p, const char *end)
{
	const char *k = p;

	while (p < end && ((*p >= 'A' && *p <= 'Z') || is_digit(*p) || *p == '_'))
		p++;
	return p > k && p < end && *p == '=';
}

int kmsg_parse_record(const char *buf, size_t len, char *out, size_t out_size, struct kmsg_line *ret)
{
	const char *end = buf + len, *p, *nl;
	char *o = out;

	if (!ret)
		return -EINVAL;
	line_init(ret);
	if (!buf || !out)
		return -EINVAL;
	if (out_size < len + 1)
		return -ENOBUFS;
	if (len == 0 || len > KMSG_LINE_MAX + 4096 || memchr(buf, '\0', len))
		return -EINVAL;
	nl = memchr(buf, '\n', len);
	if (!nl) /* the kernel ends every record's text in a newline: this one was cut */
		return -EINVAL;
	if (has_bad_bytes(buf, (size_t)(nl - buf)))
		return -EINVAL;
	p = parse_kmsg_header(buf, nl, ret);
	if (!p)
		return -EINVAL;
	ret->framing = KF_KMSG;
	ret->msg = o;
	ret->msg_len = unescape(o, p, (size_t)(nl - p));
	o += ret->msg_len + 1;
	for (p = nl + 1; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return -EINVAL; /* a cut dictionary line */
		if (*p != ' ' || has_bad_bytes(p, (size_t)(nl - p)) || !is_dict_key(p + 1, nl))
			return -EINVAL;
		dict_line(p + 1, nl, &o, ret);
	}
	return 0;
}

/* [a-z0-9_]: the bytes of a memory.stat key */
static const bool key_byte[256] = {
	['0' ... '9'] = true,
	['a' ... 'z'] = true,
	['_'] = true,
};

#ifdef __SSE2__
/* One bit a byte of the 16 at p that is no memory.stat key byte ([a-z0-9_]), or (digits) no
 * digit. */
static inline unsigned stat_bytes_not(const char *p, bool digits)
{
	const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	const __m128i d = _mm_sub_epi8(x, _mm_set1_epi8('0'));
	__m128i in = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);

	if (!digits) {
		const __m128i l = _mm_sub_epi8(x, _mm_set1_epi8('a'));

		in = _mm_or_si128(in, _mm_cmpeq_epi8(_mm_min_epu8(l, _mm_set1_epi8(25)), l));
		in = _mm_or_si128(in, _mm_cmpeq_epi8(x, _mm_set1_epi8('_')));
	}
	return ~(unsigned)_mm_movemask_epi8(in) & 0xffff;
}

/* The first byte of [p, end) that is no key byte (or no digit), else end, 16 bytes a step; the
 * last bytes of a line through its own last 16 (line: where it starts), which a framing fills
 * up before a short message. */
static inline const char *stat_run_end(const char *line, const char *p, const char *end, bool digits)
{
	unsigned m;

	for (; end - p >= 16; p += 16)
		if ((m = stat_bytes_not(p, digits)))
			return p + __builtin_ctz(m);
	if (p == end)
		return end;
	m = stat_bytes_not(end - 16, digits) & ~((1u << (p - (end - 16))) - 1);
	return m ? end - 16 + __builtin_ctz(m) : end;
}
#endif

/* "key value" ([a-z0-9_]+, one blank, digits): a line of a memory.stat dump in an OOM
 * report, the message [p, end) of the line that starts at line.  Most messages fail at their
 * last byte, or at their first ':' or blank.  *key_len: the key's length when the message is
 * one such line (else 0). */
static bool stat_shaped(const char *line, const char *p, const char *end, unsigned *key_len)
{
	const char *k = p, *b;

	/* rsyslog's imkmsg keeps a multi-line record (a dump before 6.4) as one line, \x0a
	 * escaped */
	if (!is_digit(end[-1]) && end[-1] != 'a')
		return false;
#ifdef __SSE2__
	/* a third of a report's lines are these ("rss 16683008"), and byte loops mispredict
	 * where each run ends: the runs found as bit masks instead (a line shorter than 16
	 * bytes takes the loops below) */
	if (end - line >= 16) {
		b = p = stat_run_end(line, p, end, false);
		if (p == k || p >= end || *p != ' ' || ++p >= end)
			return false;
		p = stat_run_end(line, p, end, true);
	} else
#else
	(void)line;
#endif
	{
		while (p < end && key_byte[(unsigned char)*p])
			p++;
		b = p;
		if (p == k || p >= end || *p != ' ' || ++p >= end)
			return false;
		while (p < end && is_digit(*p))
			p++;
	}
	if (p == end) {
		*key_len = (unsigned)(b - k);
		return true;
	}
	return end - p >= 4 && memcmp(p, "\\x0a", 4) == 0;
}

/* Could the OOM parser care about this message?  It reacts only to messages
 * that start with one of a few words (oom.c: oom_parser_feed), to the rows of
 * a report's task table and memory.stat dump, and to those that hold
 * " invoked oom-killer: "; anything else need not be copied out. */
static bool maybe_relevant(const char *line, const char *p, const char *end, unsigned *stat_key)
{
	*stat_key = 0;
	if (p >= end)
		return false;
	switch (*p) {
	case 'o':
	case 'M':
	case 'O':
	case 'K':
	case 'T':
	case 'm':
	case 'c':
	case 'C':
	case 'P':
	case '[':
	case 'k':
		return true;
	case 's':
		/* "swap: usage " (v2) */
		if (end - p >= 12 && memcmp(p, "swap: usage ", 12) == 0)
			return true;
		/* fall through */
	default:
		if (stat_shaped(line, p, end, stat_key))
			return true;
		/* " invoked oom-killer: ", found from its rare 'v' with memchr,
		 * much faster than memmem on short lines; only where oom.c looks for
		 * it (find_invoked: after a task name of at most 64 bytes, which is
		 * what 15 bytes of TASK_COMM_LEN escaped as \xNN take) */
		const char *lim = end - p > 64 + 4 ? p + 64 + 4 : end;
		for (const char *q = p; (q = memchr(q, 'v', (size_t)(lim - q))); q++)
			if (q - p >= 3 && end - (q - 3) >= 21 &&
			    memcmp(q - 3, " invoked oom-killer: ", 21) == 0)
				return true;
		return false;
	}
}

static int parse_line(const char *line, size_t len, char *out, size_t out_size, struct kmsg_line *ret,
		      bool lazy);

/* ---- journalctl -o json ---- */

/* The end of the JSON string whose opening quote is at p (the byte after its closing quote),
 * or NULL. */
static const char *json_skip_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

/* The end of the JSON value at p (a string, an array of numbers or strings, a number, true,
 * false, null), or NULL. */
static const char *json_skip_value(const char *p, const char *end)
{
	if (p >= end)
		return NULL;
	if (*p == '"')
		return json_skip_string(p, end);
	if (*p == '[') {
		for (p++; p < end && *p != ']';) {
			if (*p != '"') {
				p++;
				continue;
			}
			if (!(p = json_skip_string(p, end)))
				return NULL;
		}
		return p < end ? p + 1 : NULL;
	}
	while (p < end && *p != ',' && *p != '}' && *p != ' ')
		p++;
	return p;
}

static void put_utf8(char **o, uint32_t cp)
{
	char *d = *o;

	if (cp < 0x80) {
		*d++ = (char)cp;
	} else if (cp < 0x800) {
		*d++ = (char)(0xc0 | cp >> 6);
		*d++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*d++ = (char)(0xe0 | cp >> 12);
		*d++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*d++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*d++ = (char)(0xf0 | cp >> 18);
		*d++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*d++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*d++ = (char)(0x80 | (cp & 0x3f));
	}
	*o = d;
}

static bool hex4(const char *p, const char *end, uint32_t *v)
{
	*v = 0;
	if (end - p < 4)
		return false;
	for (int i = 0; i < 4; i++) {
		int h = parse_hex_digit(p[i]);

		if (h < 0)
			return false;
		*v = *v << 4 | (uint32_t)h;
	}
	return true;
}

/* Decodes the JSON value [p, e) of MESSAGE into out: a string (its escapes undone; a \u0000 or
 * a lone surrogate becomes U+FFFD), or, for a message that is not UTF-8, the array of its bytes
 * journalctl prints instead.  Never longer than the value.  Returns the length, or -1. */
static long json_message(const char *p, const char *e, char *out)
{
	char *o = out;

	if (*p == '[') {
		for (p++; p < e && *p != ']';) {
			uint64_t b;

			while (p < e && (*p == ' ' || *p == ','))
				p++;
			if (p < e && *p == ']')
				break;
			if (!scan_u64(&p, e, &b) || b > 255)
				return -1;
			if (b) /* a NUL would end the message early */
				*o++ = (char)b;
		}
		*o = '\0';
		return o - out;
	}
	for (p++, e--; p < e; p++) {
		uint32_t cp, lo;

		if (*p != '\\') {
			*o++ = *p;
			continue;
		}
		if (++p >= e)
			return -1;
		switch (*p) {
		case 'n':
			*o++ = '\n';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'u':
			if (!hex4(p + 1, e, &cp))
				return -1;
			p += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && e - p >= 7 && p[1] == '\\' && p[2] == 'u' &&
			    hex4(p + 3, e, &lo) && lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				p += 6;
			} else if (cp == 0 || (cp >= 0xd800 && cp < 0xe000)) {
				cp = 0xfffd;
			}
			put_utf8(&o, cp);
			break;
		default:
			*o++ = *p;
			break; /* \" \\ \/ */
		}
	}
	*o = '\0';
	return o - out;
}

/* A decimal in a JSON string value ("123"), or -1. */
static int64_t json_num(const char *p, const char *e)
{
	uint64_t v;

	if (e - p < 3 || *p != '"')
		return -1;
	p++;
	if (!scan_u64(&p, e, &v) || p != e - 1 || v > INT64_MAX)
		return -1;
	return (int64_t)v;
}

/*
 * journalctl -o json: one object per line, "MESSAGE" the text, "_SOURCE_MONOTONIC_TIMESTAMP"
 * the kernel's time in microseconds, "__REALTIME_TIMESTAMP" journald's wall clock,
 * "PRIORITY", "SYSLOG_FACILITY", "_TRANSPORT" ("kernel" for the kernel's records; other
 * programs' records give KF_NONE).  The object's keys come in any order (systemd 252 prints
 * them in hash order).  The framing is KF_SYSLOG, the journal's.
 */
static int parse_journal_json(const char *p, const char *end, char *out, struct kmsg_line *ret, bool lazy)
{
	const char *msg = NULL, *msg_end = NULL;
	bool kernel = true;
	long n;

	for (p++;;) {
		const char *k, *ke, *v, *ve;

		while (p < end && (*p == ' ' || *p == ','))
			p++;
		if (p >= end || *p == '}')
			break;
		if (*p != '"' || !(ke = json_skip_string(p, end)))
			return 0;
		k = p + 1;
		p = ke;
		ke--;
		while (p < end && *p == ' ')
			p++;
		if (p >= end || *p != ':')
			return 0;
		for (p++; p < end && *p == ' ';)
			p++;
		v = p;
		if (!(ve = json_skip_value(v, end)))
			return 0;
		p = ve;
#define KEY(lit) ((size_t)(ke - k) == sizeof(lit) - 1 && memcmp(k, lit, sizeof(lit) - 1) == 0)
		if (KEY("MESSAGE")) {
			msg = v;
			msg_end = ve;
		} else if (KEY("_SOURCE_MONOTONIC_TIMESTAMP")) {
			ret->ts_usec = json_num(v, ve);
		} else if (KEY("__REALTIME_TIMESTAMP")) {
			int64_t t = json_num(v, ve);

			ret->wall_sec = t < 0 ? -1 : t / 1000000;
		} else if (KEY("PRIORITY")) {
			int64_t t = json_num(v, ve);

			ret->level = t >= 0 && t <= 7 ? (int)t : -1;
		} else if (KEY("SYSLOG_FACILITY")) {
			int64_t t = json_num(v, ve);

			ret->facility = t >= 0 && t < 1024 ? (int)t : -1;
		} else if (KEY("_TRANSPORT")) {
			kernel = ve - v == 8 && memcmp(v, "\"kernel\"", 8) == 0;
		}
#undef KEY
	}
	if (!msg || !kernel || (*msg != '"' && *msg != '[') || (n = json_message(msg, msg_end, out)) < 0) {
		ret->framing = KF_NONE;
		ret->ts_usec = ret->wall_sec = -1;
		ret->level = ret->facility = -1;
		out[0] = '\0';
		return 0;
	}
	ret->framing = KF_SYSLOG;
	ret->msg_len = (size_t)n;
	if (lazy && !maybe_relevant(out, out, out + n, &ret->stat_key_len)) {
		ret->msg_len = 0;
		out[0] = '\0';
	}
	return 0;
}

int kmsg_parse_line(const char *line, size_t len, char *out, size_t out_size, struct kmsg_line *ret)
{
	return parse_line(line, len, out, out_size, ret, false);
}

int kmsg_parse_line_lazy(const char *line, size_t len, char *out, size_t out_size, struct kmsg_line *ret)
{
	return parse_line(line, len, out, out_size, ret, true);
}

/* After the time stamp of a container runtime's log line (CRI format: "stdout F ", "stderr P "),
 * the line itself; else p. */
static const char *cri_fields(const char *p, const char *end)
{
	if (end - p >= 9 && (memcmp(p, "stdout ", 7) == 0 || memcmp(p, "stderr ", 7) == 0) &&
	    (p[7] == 'F' || p[7] == 'P') && p[8] == ' ')
		return p + 9;
	return p;
}

/* The end of a journal field name at p ("MESSAGE", "__MONOTONIC_TIMESTAMP": capitals, digits and
 * '_', 2 bytes or more, starting with no digit), else NULL. */
static const char *field_name(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && ((*q >= 'A' && *q <= 'Z') || *q == '_' || (q > p && is_digit(*q))))
		q++;
	return q - p >= 2 ? q : NULL;
}

/*
 * A line of journalctl -o export ("KEY=value", entries apart by a blank line) or -o json-pretty
 * (one key a line: '\t"KEY" : value,', the object's braces on lines of their own).  Their
 * MESSAGE line is the message, without the time stamps the entry's other lines hold (KF_PLAIN,
 * as dmesg --notime); every other field line is KF_NONE.  Returns false for a line of neither
 * shape.  (A binary MESSAGE of export, length-prefixed, is not read.)
 */
static bool journal_field(const char *p, const char *end, char *out, struct kmsg_line *ret)
{
	const char *k = p, *ke, *v, *ve;
	long n;

	if (end - p <= 2 && (*p == '{' || *p == '}') && (end - p == 1 || p[1] == ',')) {
		/* json-pretty: an object's brace on its own line (not a message: it would end
		 * the task table of a report) */
		ret->framing = KF_NONE;
		return true;
	}
	if ((*p >= 'A' && *p <= 'Z') || *p == '_') {
		/* export: "MESSAGE=text" */
		if (!(ke = field_name(k, end)) || ke >= end || *ke != '=')
			return false;
		if (ke - k == 7 && memcmp(k, "MESSAGE", 7) == 0) {
			ret->framing = KF_PLAIN;
			ret->msg_len = (size_t)(end - ke - 1);
			memcpy(out, ke + 1, ret->msg_len);
			out[ret->msg_len] = '\0';
		} else {
			ret->framing = KF_NONE;
		}
		return true;
	}
	p = skip_blanks(p, end);
	if (p >= end || *p != '"')
		return false;
	/* json-pretty: "KEY" : value[,] */
	k = p + 1;
	if (!(ke = field_name(k, end)) || ke + 4 > end || memcmp(ke, "\" : ", 4) != 0)
		return false;
	v = ke + 4;
	if (!(ve = json_skip_value(v, end)) || (ve < end && (*ve != ',' || ve + 1 != end)))
		return false;
	if (ke - k == 7 && memcmp(k, "MESSAGE", 7) == 0 && (*v == '"' || *v == '[') &&
	    (n = json_message(v, ve, out)) >= 0) {
		ret->framing = KF_PLAIN;
		ret->msg_len = (size_t)n;
	} else {
		ret->framing = KF_NONE;
		out[0] = '\0';
	}
	return true;
}

/*
 * A syslog or journalctl line whose month is named in another locale ("nov. 29 05:42:19",
 * "Mär  3 ...", "11月 29 ..."): journalctl and syslog daemons print it with strftime %b, whose
 * names differ; matched by its shape, the date then unknown (the "[ts]" of a syslog line still
 * gives the time since boot).  Returns the byte after "kernel: ", else NULL (*other set for
 * another program's line).
 */
static const char *locale_syslog(const char *p, const char *end, bool *other)
{
	const char *q, *dd, *c = find_byte(p, end - p > 24 ? p + 24 : end, ':');
	int d, h, mi, s, dl;

	*other = false;
	/* the first ':' of such a line is the one after the hour, within 24 bytes (a month name
	 * holds none): most lines that reach here (dmesg --notime) fail that at once */
	if (!c || c - p < 5 || end - c < 6 || c[-3] != ' ' || !is_digit(c[-2]) || !is_digit(c[-1]) ||
	    c[3] != ':')
		return NULL;
	q = month_shape(p, end);
	if (!q)
		return NULL;
	dd = q + 1 < end && q[1] == ' ' ? q + 2 : q + 1;
	dl = dd < end && is_digit(*dd) ? dd + 1 < end && is_digit(dd[1]) ? 2 : 1 : 0;
	if (!dl || end - dd < dl + 9 || !fixed_digits(dd, (unsigned)dl, &d) || dd[dl] != ' ' ||
	    !parse_hms(dd + dl + 1, &h, &mi, &s) || !valid_date(2000, 1, d, h, mi, s))
		return NULL;
	q = dd + dl + 9;
	if (q < end && *q == '.') {
		q++;
		while (q < end && is_digit(*q))
			q++;
	}
	return parse_syslog_tag(q, end, other);
}

/* locale_syslog() as a framing: 1 a syslog line (*p moved to its message), -1 another
 * program's line (KF_NONE), 0 neither. */
static int locale_framing(const char **p, const char *end, struct kmsg_line *ret)
{
	bool other;
	const char *q = locale_syslog(*p, end, &other);

	if (q) {
		ret->framing = KF_SYSLOG;
		*p = skip_ts_and_caller(q, end, ret, true);
		return 1;
	}
	if (other) {
		ret->framing = KF_NONE;
		return -1;
	}
	return 0;
}

static int parse_line(const char *line, size_t len, char *out, size_t out_size, struct kmsg_line *ret,
		      bool lazy)
{
	/* relevant: a message maybe_relevant() already found relevant; mono_end, mono_usec:
	 * printk's time stamp, read before the lazy check */
	const char *p = line, *end, *q, *relevant = NULL, *mono_end = NULL;
	int64_t mono_usec = -1;
	bool other, comma;
	int64_t t;
	int h, mi, s, lf;

	if (!ret)
		return -EINVAL;
	line_init(ret);
	if (!line || !out)
		return -EINVAL;
	if (len > KMSG_LINE_MAX)
		return -EINVAL;
	if (out_size < len + 1)
		return -ENOBUFS;
	if (len && line[len - 1] == '\n')
		len--;
	if (len && line[len - 1] == '\r')
		len--;
	end = line + len;
	out[0] = '\0';
	ret->msg = out;
	if (len == 0)
		return 0;
	if (!lazy && has_bad_bytes(line, len)) /* lazy: the caller checked */
		return -EINVAL;
	if (journal_field(p, end, out, ret))
		return 0;

	switch (*p) {
	case ' ':
	case '\t':
		/* a journal or dmesg continuation line, or a kmsg dictionary line */
		ret->framing = KF_CONTINUATION;
		if (*p == ' ' && is_dict_key(p + 1, end)) {
			char *o = out + 1;

			dict_line(p + 1, end, &o, ret);
			return 0;
		}
		p = skip_blanks(p, end);
		goto copy;
	case '[':
		if (lazy) {
			/* bulk reading: a dmesg line whose message cannot matter is
			 * known from its text alone, without parsing the time stamp
			 * (not when a caller id "[T123]" or journalctl's "HOST kernel: "
			 * stands between the time and the message); printk's own stamp
			 * is read at once, where its ']' is, and not again below */
			size_t lim = (size_t)(end - p) < 48 ? (size_t)(end - p) : 48;
			const char *rb;

			mono_end = parse_mono_ts(p, end, &mono_usec);
			rb = mono_end && (size_t)(mono_end - p) <= lim ? mono_end - 1 : memchr(p, ']', lim);
			if (rb && end - rb > 2 && rb[1] == ' ' && rb[2] != '[' && rb[2] != ' ') {
				const char *m = rb + 2, *sp = find_byte(m, end, ' ');
				bool journal = sp && end - sp >= 9 && memcmp(sp, " kernel: ", 9) == 0;
				/* which of the two bracketed time stamps, from its shape
				 * alone: the paste reader tells records apart by framing;
				 * anything else in brackets ("[drm] ...") takes the long way */
				bool mono = p[1] == ' ' || is_digit(p[1]);
				bool ctime = rb - p == 25 && p[1] >= 'A' && p[1] <= 'Z';
				if (!journal && (mono || ctime)) {
					if (!maybe_relevant(line, m, end, &ret->stat_key_len)) {
						ret->framing = mono ? KF_DMESG : KF_DMESG_CTIME;
						ret->msg_len = 0;
						return 0;
					}
					relevant = m;
				}
			}
		}
		if (lazy ? (q = mono_end) != NULL : (q = parse_mono_ts(p, end, &ret->ts_usec)) != NULL) {
			if (lazy)
				ret->ts_usec = mono_usec;
			ret->framing = KF_DMESG;
		} else if ((q = parse_ctime_ts(p, end, &ret->wall_sec))) {
			ret->framing = KF_DMESG_CTIME;
		} else if ((q = parse_rel_ts(p, end))) {
			ret->framing = KF_DMESG;
		} else {
			ret->framing = KF_PLAIN;
			goto copy;
		}
		p = q < end && *q == ' ' ? q + 1 : q;
		if (ret->framing == KF_DMESG && p < end && *p != ' ' && p != relevant) {
			/* journalctl -o short-monotonic: "[  ts] HOST kernel: msg" (the lazy
			 * check above has told a relevant message from that already) */
			const char *sp = find_byte(p, end, ' ');

			if (sp && end - sp >= 9 && memcmp(sp, " kernel: ", 9) == 0) {
				ret->framing = KF_SYSLOG;
				p = sp + 9;
			}
		}
		p = skip_ts_and_caller(p, end, ret, ret->framing == KF_SYSLOG);
		goto copy;
	case '{':
		return parse_journal_json(p, end, out, ret, lazy);
	case '<':
		if (!(q = parse_prio(p, end, ret))) {
			ret->framing = KF_PLAIN;
			goto copy;
		}
		ret->framing = KF_DMESG_RAW;
		p = q;
		if ((q = parse_mono_ts(p, end, &ret->ts_usec)) ||
		    (q = parse_ctime_ts(p, end, &ret->wall_sec)) || (q = parse_rel_ts(p, end)))
			p = q < end && *q == ' ' ? q + 1 : q;
		p = skip_ts_and_caller(p, end, ret, false);
		goto copy;
	default:
		break;
	}

	if (is_digit(*p)) {
		/* a /dev/kmsg record as a line (never with a '-' at p[4], where an ISO date
		 * has one: its three numbers and commas take six bytes at least) */
		if ((end - p < 5 || p[4] != '-') && (q = parse_kmsg_header(p, end, ret))) {
			ret->framing = KF_KMSG;
			ret->msg_len = unescape(out, q, (size_t)(end - q));
			return 0;
		}
		/* RFC 3339 syslog, journalctl short-iso, or dmesg --time-format iso */
		if ((q = parse_iso_ts(p, end, &t, &comma))) {
			ret->wall_sec = t;
			if (comma) {
				ret->framing = KF_DMESG_CTIME;
				p = q < end && *q == ' ' ? q + 1 : q;
				p = skip_ts_and_caller(p, end, ret, false);
				goto copy;
			}
			if (q < end && *q == ' ' && p[10] == 'T' &&
			    ((q + 1 < end && (q[1] == '[' || q[1] == '<')) ||
			     (!parse_syslog_tag(q, end, &other) && !other))) {
				/* no "HOST kernel:" after it (a host name holds no '[' or '<': "[ts]
				 * oom-kill:..." is dmesg's line, not host "[ts]" and program
				 * "oom-kill"): a time stamp put in front of a whole
				 * line, by kubectl logs --timestamps or a container runtime's log
				 * file (CRI: "TIME stdout F line"); the line's own time wins */
				const char *r = cri_fields(q + 1, end);
				int rc = parse_line(r, (size_t)(end - r), out, out_size, ret, lazy);

				if (rc == 0 && ret->framing != KF_NONE && ret->wall_sec < 0)
					ret->wall_sec = t;
				return rc;
			}
			goto syslog_tag;
		}
		/* journalctl -o short-unix: "1764394939.123456 HOST kernel: msg" */
		{
			uint64_t sec;

			q = p;
			if (scan_u64(&q, end, &sec) && q < end && *q == '.' && sec < (1ULL << 40)) {
				const char *f = ++q;

				while (q < end && is_digit(*q))
					q++;
				if (q > f && q < end && *q == ' ') {
					ret->wall_sec = (int64_t)sec;
					goto syslog_tag;
				}
			}
		}
		/* "11月 29 05:42:19 ..." (a CJK month) */
		lf = locale_framing(&p, end, ret);
		if (lf > 0)
			goto copy;
		if (lf < 0)
			return 0;
		ret->framing = KF_PLAIN;
		goto copy;
	}

	/* dmesg -x: "kern  :info  : [  ts] msg".  Before the syslog shapes, which cannot take a line
	 * of this shape (theirs start with a capital, or a word, one or two blanks and a digit):
	 * a dmesg -x log then tries no syslog shape */
	if (is_lower(*p) && (q = parse_decode_prefix(p, end, ret))) {
		ret->framing = KF_DMESG_DECODE;
		p = q;
		if ((q = parse_mono_ts(p, end, &ret->ts_usec)) ||
		    (q = parse_ctime_ts(p, end, &ret->wall_sec)) || (q = parse_rel_ts(p, end)))
			p = q < end && *q == ' ' ? q + 1 : q;
		else if (p < end && is_digit(*p) && (q = parse_iso_ts(p, end, &t, &comma)) && comma) {
			/* dmesg -x --time-format iso */
			ret->wall_sec = t;
			p = q < end && *q == ' ' ? q + 1 : q;
		}
		p = skip_ts_and_caller(p, end, ret, false);
		goto copy;
	}
	/* "Nov 29 05:42:19" (syslog, journalctl short; ".123456" with short-precise) */
	if (end - p >= 15 && syslog_stamp(p, &ret->wall_sec)) {
		q = p + 15;
		if (q < end && *q == '.') {
			q++;
			while (q < end && is_digit(*q))
				q++;
		}
		goto syslog_tag;
	}
	/* the same in another locale */
	lf = locale_framing(&p, end, ret);
	if (lf > 0)
		goto copy;
	if (lf < 0)
		return 0;
	/* journalctl -o short-full: "Sun 2026-11-29 05:42:19 UTC HOST kernel: msg" */
	if (end - p >= 24 && is_wday(p) && p[3] == ' ' && (q = parse_iso_ts(p + 4, end, &t, &comma)) &&
	    !comma && q < end && *q == ' ') {
		const char *z = ++q;

		while (q < end && *q != ' ')
			q++;
		if (q - z == 3 && (memcmp(z, "UTC", 3) == 0 || memcmp(z, "GMT", 3) == 0)) {
			int y2, m2, d2;

			fixed_digits(p + 4, 4, &y2);
			fixed_digits(p + 9, 2, &m2);
			fixed_digits(p + 12, 2, &d2);
			parse_hms(p + 15, &h, &mi, &s);
			t = days_from_civil(y2, m2, d2) * 86400 + h * 3600 + mi * 60 + s;
		}
		ret->wall_sec = t;
		goto syslog_tag;
	}
	if (*p == '-' && end - p >= 6 && p[1] == '-' && p[2] == ' ' && end[-1] == '-' && end[-2] == '-' &&
	    end[-3] == ' ') {
		/* journalctl's own notes: "-- No entries --", "-- Boot 1a2b... --" */
		ret->framing = KF_NONE;
		return 0;
	}
	ret->framing = KF_PLAIN;
	goto copy;

syslog_tag:
	p = parse_syslog_tag(q, end, &other);
	if (!p) {
		/* another program's line, or a time stamp and no tag */
		ret->framing = KF_NONE;
		ret->wall_sec = -1;
		ret->ts_usec = -1;
		return 0;
	}
	ret->framing = KF_SYSLOG;
	p = skip_ts_and_caller(p, end, ret, true);

copy:
	if (lazy && p != relevant && !maybe_relevant(line, p, end, &ret->stat_key_len)) {
		ret->msg_len = 0; /* the framing is known; the text does not matter */
		return 0;
	}
	ret->msg_len = (size_t)(end - p);
	memcpy(out, p, ret->msg_len);
	out[ret->msg_len] = '\0';
	if (ret->framing == KF_SYSLOG && find_byte(out, out + ret->msg_len, '\\'))
		ret->msg_len = unescape_kernel_text(out, ret->msg_len);
	return 0;
}
