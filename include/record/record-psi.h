/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record-psi.h - the pressure of a recorded row (schema 3): the psi column
 * holds a compact JSON array, [cpu, memory, io], each null (not read) or
 * [some, full], each null or [avg10, avg60, avg300, total], the averages
 * with at most two decimals (as JSON output prints them) and no trailing
 * zeros.  The object live JSON prints is about three times as long, and
 * pressure was most of a row's bytes.  Rows of schema 1 and 2 hold that
 * object; a replay prints either as live JSON does.
 */
#ifndef CGTOP_RECORD_PSI_H
#define CGTOP_RECORD_PSI_H

#include <stddef.h>

#include "base/fileio.h"
#include "base/parse.h"

/* Append the compact array of p ([3]; valid: bit i when file i was read). */
void rec_psi_compact(struct buf *b, const struct psi *p, unsigned valid);
/* Parse a compact array into p[3] and *valid: 0, or -EINVAL. */
int rec_psi_parse(const char *s, size_t len, struct psi *p, unsigned *valid);
/* Append the psi value of a stored row as live JSON prints it: a compact
 * array expanded, an object (schema 1, 2) as it is. */
void rec_psi_json(struct buf *b, const char *s, size_t len);

#endif
