/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json.h - JSON strings for every JSON writer (batch, events, the launch
 * report): always well-formed UTF-8, whatever bytes a name holds.
 */
#ifndef CGTOP_JSON_H
#define CGTOP_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "base/fileio.h"

/*
 * Append s (len bytes, or up to a NUL) as a JSON string with quotes:
 * '"' and '\' escaped, control characters (C0, DEL, C1) and U+2028, U+2029 as
 * \uXXXX, other well-formed UTF-8 as it is, and each byte that is not part of
 * well-formed UTF-8 as U+FFFD.  The result is exact whenever s is UTF-8; when
 * it is not, the writer adds the exact bytes with json_hex_key().
 */
void json_strn(struct buf *b, const char *s, size_t len);
void json_str(struct buf *b, const char *s);

/* json_str, then json_hex_key(b, key, s), in one pass over s.  Returns whether s was
 * well-formed UTF-8 (no hex key). */
bool json_str_hex(struct buf *b, const char *key, const char *s);

/* When s is not well-formed UTF-8, append ,"KEY_hex":"HEX" (the exact bytes,
 * two lowercase hex digits each), to follow the value of "KEY"; else nothing.
 * Distinct names thus stay distinct in JSON. */
void json_hex_key(struct buf *b, const char *key, const char *s);

/*
 * The same through a cursor (fileio.h), for a writer that reserves room once: JSON_STR_MAX(len)
 * bytes hold the string of any len bytes (a byte takes at most 6, as \u00XX; two or three
 * bytes at most 6 too, as \u009b or \u2028, or 3 a byte as U+FFFD).  json_cursor_strn writes
 * at o what json_strn appends, without a NUL, sets *valid to whether s was well-formed UTF-8 and
 * returns the end.  json_cursor_hex writes ,"KEY_hex":"HEX" for the first len bytes of s (up
 * to a NUL): JSON_HEX_MAX(klen, len) bytes.
 */
#define JSON_STR_MAX(len) (6 * (size_t)(len) + 2)
#define JSON_HEX_MAX(klen, len) ((size_t)(klen) + 10 + 2 * (size_t)(len))
char *json_cursor_strn(char *o, const char *s, size_t len, bool *valid);
char *json_cursor_hex(char *o, const char *key, size_t klen, const char *s, size_t len);

#endif
