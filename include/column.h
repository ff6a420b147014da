/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * column.h - the one table of columns: the name users select with --columns,
 * the text title, the files it needs (scan flags), and the JSON keys it emits.
 * Text output, JSON, the man page and (later) the dashboard all follow it.
 */
#ifndef CGTOP_COLUMN_H
#define CGTOP_COLUMN_H

#include <stdbool.h>
#include <stddef.h>

enum col_id {
	COL_TASKS,
	COL_THREADS,
	COL_CPU,
	COL_CPU_TIME,
	COL_THROTTLE,
	COL_MEMORY,
	COL_MEM_MAX,
	COL_MEM_LIMIT,
	COL_MEM_PCT,
	COL_MEM_PEAK,
	COL_SWAP,
	COL_FAILCNT,
	COL_OOM,
	COL_MEM_STAT,
	COL_PIDS,
	COL_PIDS_MAX,
	COL_PIDS_LIMIT,
	COL_PIDS_REJECTED,
	COL_IO_READ,
	COL_IO_WRITE,
	COL_PSI,
	COL_EVENTS,
	_COL_MAX,
};

struct column {
	const char *key;    /* for --columns */
	const char *title;  /* text header; NULL: JSON only */
	int width;          /* text width */
	unsigned needs;     /* enum cg_need */
	const char *json;   /* JSON keys it emits, space separated (documentation) */
	const char *help;
};
extern const struct column columns[_COL_MAX];

/* Columns shown by default in text output, and emitted by default in JSON. */
extern const enum col_id columns_text_default[];
extern const unsigned columns_text_default_n;

/* Parse a comma-separated list of column keys.  Returns 0 or -EINVAL with
 * *ret_bad pointing at the first unknown name (into a static copy). */
int columns_parse(const char *list, bool ret_sel[_COL_MAX], unsigned *ret_order, unsigned *ret_n,
		  const char **ret_bad);
unsigned columns_needs(const bool sel[_COL_MAX]);

/* One cell as text (column-format.c): "-" when the value is not valid, "max"
 * for no limit, IEC units unless COLFMT_RAW. */
enum {
	COLFMT_RAW = 1 << 0,     /* exact numbers */
	COLFMT_PERCENT = 1 << 1, /* Mem% as a whole percent with its sign */
};
struct cg_node;
void column_format(const struct cg_node *n, enum col_id c, unsigned flags, char *b, size_t size);

#endif
