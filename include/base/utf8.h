/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * utf8.h - the one strict UTF-8 validator, and the escapes of names built on
 * it.  Group names are bytes (the kernel refuses only '/' and NUL in them)
 * and task names are bytes too: every writer decides what a name may print
 * through utf8_char_len(), so that no name can carry a terminal escape
 * sequence, forge a field, or make a strict parser reject a whole output.
 */
#ifndef CGTOP_UTF8_H
#define CGTOP_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/fileio.h"

/* The length (1 to 4) of the well-formed UTF-8 character at s[0..len), its
 * code point in *ret_cp (may be NULL); 0 when s does not start one: a lone
 * continuation byte, 0xC0, 0xC1, 0xF5 to 0xFF, an overlong form, a surrogate
 * (U+D800 to U+DFFF), a code point above U+10FFFF, or a sequence cut short by
 * len (RFC 3629, section 4; the Unicode Standard, table 3-7).  len 0 gives 0.
 * A NUL byte is a character of length 1. */
size_t utf8_char_len(const char *s, size_t len, uint32_t *ret_cp);

/* True when all len bytes are well-formed UTF-8. */
bool utf8_valid(const char *s, size_t len);

/* A C0 or C1 control character, or DEL: U+0000 to U+001F, U+007F to U+009F. */
static inline bool utf8_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/*
 * Append the first len bytes of s (up to a NUL) as one field of a text
 * output, so that a terminal shows it as it is and a reader can split the
 * line on blanks and '=':
 *   - a backslash is written as two;
 *   - each byte of a control character (C0, DEL, C1), each byte that is not
 *     part of well-formed UTF-8, and each blank, '=', '"' and '\'' is written
 *     as \xNN (two lowercase hex digits);
 *   - everything else (printable ASCII, well-formed UTF-8 above U+009F) as it is.
 * With quoted (the field is inside double quotes), blanks, '=' and '\'' are
 * kept.  The name is the text with each \\ made \ and each \xNN made byte NN.
 */
void utf8_escape_text(struct buf *b, const char *s, size_t len, bool quoted);

/* Append the first len bytes of s (up to a NUL) as lowercase hex, two digits
 * a byte: the exact name beside a value that had to replace some of it. */
void utf8_hex(struct buf *b, const char *s, size_t len);
/* The same at the cursor o (room for 2 * len bytes, no NUL written); returns the end. */
char *utf8_cursor_hex(char *o, const char *s, size_t len);

#endif
