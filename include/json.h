/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json.h - JSON string escaping.
 */
#ifndef CGTOP_JSON_H
#define CGTOP_JSON_H

#include <stddef.h>

#include "fileio.h"

/* Append s (len bytes, or up to a NUL) as a JSON string with quotes. */
void json_strn(struct buf *b, const char *s, size_t len);
void json_str(struct buf *b, const char *s);

#endif
