/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * utf8.c - the strict UTF-8 validator and the text escape of names (see
 * utf8.h).  The validator follows the table of well-formed byte sequences of
 * the Unicode Standard (3-7): a decoder that accepts overlong forms lets "/"
 * or a control byte hide in a longer form, and one that accepts surrogates or
 * code points above U+10FFFF passes text that strict parsers (Python's json,
 * Go's, hence promtool) reject whole.
 */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "base/utf8.h"

size_t utf8_char_len(const char *s, size_t len, uint32_t *ret_cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xbf;
	uint32_t cp;
	size_t n;

	if (len == 0)
		return 0;
	if (p[0] < 0x80) {
		if (ret_cp)
			*ret_cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		cp = p[0] & 0x0f;
		if (p[0] == 0xe0)
			lo = 0xa0; /* below: overlong */
		else if (p[0] == 0xed)
			hi = 0x9f; /* above: surrogates */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		cp = p[0] & 0x07;
		if (p[0] == 0xf0)
			lo = 0x90; /* below: overlong */
		else if (p[0] == 0xf4)
			hi = 0x8f; /* above: beyond U+10FFFF */
	} else {
		return 0; /* continuation byte, 0xC0, 0xC1, 0xF5..0xFF */
	}
	if (len < n || p[1] < lo || p[1] > hi)
		return 0;
	cp = cp << 6 | (p[1] & 0x3f);
	for (size_t i = 2; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (ret_cp)
		*ret_cp = cp;
	return n;
}

bool utf8_valid(const char *s, size_t len)
{
	while (len > 0) {
		size_t n;
		uint64_t w;

		/* the common case: ASCII, eight bytes at a time */
		while (len >= 8 && (memcpy(&w, s, 8), !(w & 0x8080808080808080ULL))) {
			s += 8;
			len -= 8;
		}
		if (!len)
			break;
		if ((unsigned char)*s < 0x80) {
			s++;
			len--;
			continue;
		}
		n = utf8_char_len(s, len, NULL);
		if (!n)
			return false;
		s += n;
		len -= n;
	}
	return true;
}

static const char hexdigit[] = "0123456789abcdef";

static void put_hex_byte(struct buf *b, unsigned char c)
{
	char e[4] = { '\\', 'x', hexdigit[c >> 4], hexdigit[c & 15] };

	buf_append(b, e, 4);
}

void utf8_escape_text(struct buf *b, const char *s, size_t len, bool quoted)
{
	const char *end = s + len;

	while (s < end && *s) {
		unsigned char c = (unsigned char)*s;
		uint32_t cp;
		size_t n;

		if (c > 0x20 && c < 0x7f && c != '\\' && c != '"' && c != '=' && c != '\'') {
			/* a run of bytes that stand for themselves, in one copy (names are mostly
			 * that; a saved log's events are formatted by the hundred thousand) */
			const char *r = s;

#ifdef __SSE2__
			/* 16 bytes a step: group paths are long */
			while (end - s >= 16) {
				const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
				/* signed: bytes from 0x80 up are below '!' too */
				__m128i no = _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x21)),
							  _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f)));
				unsigned m;

				no = _mm_or_si128(no, _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\\')),
								   _mm_cmpeq_epi8(x, _mm_set1_epi8('"'))));
				no = _mm_or_si128(no, _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('=')),
								   _mm_cmpeq_epi8(x, _mm_set1_epi8('\''))));
				m = (unsigned)_mm_movemask_epi8(no);
				if (m) {
					s += __builtin_ctz(m);
					break;
				}
				s += 16;
			}
#endif
			while (s < end && (c = (unsigned char)*s) > 0x20 && c < 0x7f && c != '\\' &&
			       c != '"' && c != '=' && c != '\'')
				s++;
			buf_append(b, r, (size_t)(s - r));
			continue;
		}
		if (c == '\\') {
			buf_append(b, "\\\\", 2);
			s++;
			continue;
		}
		if (c == '"' || (!quoted && (c == ' ' || c == '=' || c == '\''))) {
			put_hex_byte(b, c);
			s++;
			continue;
		}
		n = utf8_char_len(s, (size_t)(end - s), &cp);
		if (n == 0) {
			put_hex_byte(b, c);
			s++;
		} else if (utf8_is_control(cp)) {
			for (size_t i = 0; i < n; i++)
				put_hex_byte(b, (unsigned char)s[i]);
			s += n;
		} else {
			buf_append(b, s, n);
			s += n;
		}
	}
}

char *utf8_cursor_hex(char *o, const char *s, size_t len)
{
	for (const char *end = s + len; s < end && *s; s++) {
		unsigned char c = (unsigned char)*s;

		o[0] = hexdigit[c >> 4];
		o[1] = hexdigit[c & 15];
		o += 2;
	}
	return o;
}

void utf8_hex(struct buf *b, const char *s, size_t len)
{
	buf_commit(b, utf8_cursor_hex(buf_cursor(b, 2 * len), s, len));
}
