/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json.c - JSON string escaping for the JSON writers (see json.h).  Strict
 * parsers (Python's json on bytes, Go's encoding/json, jq) reject a document
 * with one byte that is not UTF-8, and group names are bytes: such a byte
 * becomes U+FFFD here, and the writer adds the name's exact bytes in hex
 * beside it, so that nothing is lost and two names never print the same.
 */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "base/json.h"
#include "base/utf8.h"

static const char hexdigit[] = "0123456789abcdef";

static char *put_u(char *o, uint32_t cp)
{
	o[0] = '\\';
	o[1] = 'u';
	o[2] = hexdigit[cp >> 12 & 15];
	o[3] = hexdigit[cp >> 8 & 15];
	o[4] = hexdigit[cp >> 4 & 15];
	o[5] = hexdigit[cp & 15];
	return o + 6;
}

/* A byte that goes into a JSON string as it is: printable ASCII but the quote and the backslash. */
static inline bool plain_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

char *json_cursor_strn(char *o, const char *s, size_t len, bool *valid)
{
	const char *end = s + len;
	bool ok = true;

	*o++ = '"';
	while (s < end && *s) {
		unsigned char c = (unsigned char)*s;
		uint32_t cp;
		size_t n;

		if (plain_byte(c)) {
#ifdef __SSE2__
			/* a run of bytes that need no escape, 16 bytes a step (group paths are
			 * long), each step stored whole: the room left (6 bytes a byte still to
			 * come) holds 16 bytes whenever 16 are left to read */
			const __m128i sp = _mm_set1_epi8(' '), qu = _mm_set1_epi8('"'),
				      bs = _mm_set1_epi8('\\'), del = _mm_set1_epi8(0x7f);

			while (end - s >= 16) {
				__m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
				/* signed: bytes from 0x80 up are below ' ' too */
				__m128i no = _mm_or_si128(_mm_cmplt_epi8(x, sp), _mm_cmpeq_epi8(x, del));
				unsigned m;

				no = _mm_or_si128(no,
						  _mm_or_si128(_mm_cmpeq_epi8(x, qu), _mm_cmpeq_epi8(x, bs)));
				m = (unsigned)_mm_movemask_epi8(no);
				_mm_storeu_si128((__m128i *)(void *)o, x);
				if (m) {
					unsigned k = (unsigned)__builtin_ctz(m);

					s += k;
					o += k;
					break;
				}
				s += 16;
				o += 16;
			}
#endif
			while (s < end && plain_byte((unsigned char)*s))
				*o++ = *s++;
			continue;
		}
		if (c == '"' || c == '\\') {
			o[0] = '\\';
			o[1] = (char)c;
			o += 2;
			s++;
			continue;
		}
		n = utf8_char_len(s, (size_t)(end - s), &cp);
		if (n == 0) {
			o = cursor_lit(o, "\xef\xbf\xbd"); /* U+FFFD */
			ok = false;
			s++;
		} else if (utf8_is_control(cp) || cp == 0x2028 || cp == 0x2029) {
			/* line and paragraph separators end a line in JavaScript */
			o = put_u(o, cp);
			s += n;
		} else {
			memcpy(o, s, n);
			o += n;
			s += n;
		}
	}
	*o++ = '"';
	*valid = ok;
	return o;
}

char *json_cursor_hex(char *o, const char *key, size_t klen, const char *s, size_t len)
{
	o = cursor_lit(o, ",\"");
	memcpy(o, key, klen);
	o = cursor_lit(o + klen, "_hex\":\"");
	o = utf8_cursor_hex(o, s, len);
	*o++ = '"';
	return o;
}

/* json_strn, telling whether s was well-formed UTF-8 (no byte made U+FFFD) */
static bool strn(struct buf *b, const char *s, size_t len)
{
	bool valid;

	buf_commit(b, json_cursor_strn(buf_cursor(b, JSON_STR_MAX(len)), s, len, &valid));
	return valid;
}

void json_strn(struct buf *b, const char *s, size_t len)
{
	strn(b, s, len);
}

void json_str(struct buf *b, const char *s)
{
	strn(b, s, strlen(s));
}

bool json_str_hex(struct buf *b, const char *key, const char *s)
{
	size_t len = strlen(s);

	/* the string's one pass tells whether the exact bytes must follow */
	if (strn(b, s, len))
		return true;
	buf_append(b, ",\"", 2);
	buf_puts(b, key);
	buf_append(b, "_hex\":\"", 7);
	utf8_hex(b, s, len);
	buf_append(b, "\"", 1);
	return false;
}

void json_hex_key(struct buf *b, const char *key, const char *s)
{
	size_t len = strlen(s);

	if (utf8_valid(s, len))
		return;
	buf_append(b, ",\"", 2);
	buf_puts(b, key);
	buf_append(b, "_hex\":\"", 7);
	utf8_hex(b, s, len);
	buf_append(b, "\"", 1);
}
