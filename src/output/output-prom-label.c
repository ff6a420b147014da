/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output-prom-label.c - one label of the Prometheus text exposition, name="value", for the
 * writer (output-prom.c) and its fuzzer: the value escaped as the format requires, always
 * UTF-8, and two groups never one series (see prom_label() in output.h).
 */
#include <string.h>

#include "output/output.h"
#include "base/utf8.h"

/* A label value: backslash, double quote and newline escaped as the format
 * requires.  Label values must be UTF-8 (promtool rejects the whole
 * exposition for one bad byte), and the format has no escape for a byte: a
 * byte that is not part of well-formed UTF-8, and a control character other
 * than the newline (it would reach the terminal of whoever reads the page),
 * become U+FFFD.  Returns false when it did so: the caller then adds the exact
 * name in hex as a second label, so that two such names never give one series. */
static bool label_value(struct buf *b, const char *s)
{
	const char *q = s;
	bool exact = true;

	/* fast path: printable ASCII with nothing to escape */
	while ((unsigned char)*q >= 0x20 && (unsigned char)*q < 0x7f && *q != '\\' && *q != '"')
		q++;
	if (!*q) {
		buf_append(b, s, (size_t)(q - s));
		return true;
	}
	for (const char *end = s + strlen(s); s < end;) {
		unsigned char c = (unsigned char)*s;
		uint32_t cp;
		size_t n;

		if (c == '\\' || c == '"') {
			char e[2] = { '\\', (char)c };
			buf_append(b, e, 2);
			s++;
		} else if (c == '\n') {
			buf_append(b, "\\n", 2);
			s++;
		} else if ((n = utf8_char_len(s, (size_t)(end - s), &cp)) == 0 || utf8_is_control(cp)) {
			buf_append(b, "\xef\xbf\xbd", 3);
			s += n ? n : 1;
			exact = false;
		} else {
			buf_append(b, s, n);
			s += n;
		}
	}
	return exact;
}

void prom_label(struct buf *b, const char *name, const char *value)
{
	buf_puts(b, name);
	buf_append(b, "=\"", 2);
	if (!label_value(b, value)) {
		buf_append(b, "\",", 2);
		buf_puts(b, name);
		buf_append(b, "_hex=\"", 6);
		utf8_hex(b, value, strlen(value));
	}
	buf_append(b, "\"", 1);
}
