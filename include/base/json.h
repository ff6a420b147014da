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

#endif
