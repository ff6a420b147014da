/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-utf8.c - libFuzzer target for the UTF-8 validator (src/base/utf8.c): at every offset of the
 * input, utf8_char_len() must agree with a reference decoder written the other way round
 * (take the length from the lead byte's bits, decode, then refuse by value: overlong forms,
 * surrogates, beyond U+10FFFF) on the length and the code point, and utf8_valid() on the whole
 * must agree with the walk.  And the JSON string through a cursor must stay within its bound
 * and match the buffer writer's.  Any disagreement traps.  The input is in a heap block of its exact
 * size, so AddressSanitizer sees a read past the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Length of the well-formed character at p, or 0 (the reference). */
static size_t ref_len(const uint8_t *p, size_t len, uint32_t *ret_cp)
{
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n;
	uint32_t cp;

	if (len == 0)
		return 0;
	if ((p[0] & 0x80) == 0)
		n = 1, cp = p[0];
	else if ((p[0] & 0xe0) == 0xc0)
		n = 2, cp = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		n = 3, cp = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min[n] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	*ret_cp = cp;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);
	bool all = true;

	if (!s)
		return 0;
	memcpy(s, data, size);
	for (size_t i = 0; i < size; i++) {
		uint32_t cp = 0, want_cp = 0;
		size_t n = utf8_char_len(s + i, size - i, &cp);
		size_t want = ref_len(data + i, size - i, &want_cp);

		if (n != want || (n && cp != want_cp))
			__builtin_trap();
		if (n && utf8_is_control(cp) != (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)))
			__builtin_trap();
	}
	for (size_t i = 0; i < size;) {
		uint32_t cp;
		size_t n = ref_len(data + i, size - i, &cp);

		if (!n) {
			all = false;
			break;
		}
		i += n;
	}
	if (utf8_valid(s, size) != all)
		__builtin_trap();
	/* the JSON string through a cursor, into a heap block of exactly the room its bound
	 * promises (AddressSanitizer sees a byte written past it), as json_str_hex writes it */
	size_t room = JSON_STR_MAX(size) + JSON_HEX_MAX(1, size);
	char *o = malloc(room), *e, *z = malloc(size + 1);
	struct buf b;
	bool valid;

	if (!o || !z) {
		free(o);
		free(z);
		free(s);
		return 0;
	}
	memcpy(z, data, size);
	z[size] = '\0';
	e = json_cursor_strn(o, s, size, &valid);
	if (!valid)
		e = json_cursor_hex(e, "k", 1, s, size);
	buf_init(&b, 16);
	if (json_str_hex(&b, "k", z) != valid && strlen(z) == size)
		__builtin_trap();
	/* up to a NUL, as json_str_hex stops at one */
	if (strlen(z) == size && ((size_t)(e - o) != b.len || memcmp(o, b.data, b.len) != 0))
		__builtin_trap();
	buf_free(&b);
	free(o);
	free(z);
	free(s);
	return 0;
}
