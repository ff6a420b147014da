/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json.c - JSON string escaping for the JSON writers: control characters and
 * stray bytes escaped, valid UTF-8 passed through.
 */
#include <string.h>

#include "json.h"

void json_strn(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	buf_append(b, "\"", 1);
	while (p < end && *p) {
		unsigned char c = *p;
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			buf_append(b, e, 2);
			p++;
		} else if (c < 0x20 || c == 0x7f) {
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			buf_append(b, e, 6);
			p++;
		} else if (c < 0x80) {
			buf_append(b, (const char *)p, 1);
			p++;
		} else {
			/* pass valid UTF-8 through; escape stray bytes as \u00XX */
			int n = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
			int ok = n > 0 && end - p >= n;
			for (int i = 1; ok && i < n; i++)
				ok = (p[i] & 0xc0) == 0x80;
			if (ok) {
				buf_append(b, (const char *)p, n);
				p += n;
			} else {
				char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
				buf_append(b, e, 6);
				p++;
			}
		}
	}
	buf_append(b, "\"", 1);
}

void json_str(struct buf *b, const char *s)
{
	json_strn(b, s, strlen(s));
}

