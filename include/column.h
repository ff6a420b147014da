/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * column.h - the one table of columns: the name users select with --columns,
 * the text title, the files it needs (scan flags), the JSON keys it emits and
 * the Prometheus families.  Text output, JSON, Prometheus, the man page and
 * (later) the dashboard all follow it.
 */
#ifndef CGTOP_COLUMN_H
#define CGTOP_COLUMN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum col_id {
	COL_TASKS,
	COL_THREADS,
	COL_CPU,
	COL_CPU_TIME,
	COL_THROTTLE,
	COL_CPU_MAX,
	COL_CPU_LIMIT,
	COL_CPUSET,
	COL_MEMORY,
	COL_MEM_MAX,
	COL_MEM_LIMIT,
	COL_MEM_HIGH,
	COL_MEM_HIGH_LIMIT,
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

/* Prometheus families.  Each column names the families it emits (none for a
 * value Prometheus derives itself, such as %CPU), so JSON keys, text titles and
 * Prometheus HELP text live in one table; output-prom.c writes them. */
enum prom_type {
	PROM_GAUGE,
	PROM_COUNTER, /* the name ends in _total */
};

/* Where a family's value comes from (see output-prom.c). */
enum prom_src {
	PS_TASKS,
	PS_TASKS_SUBTREE,
	PS_THREADS,
	PS_THREADS_SUBTREE,
	PS_CPU_USAGE,       /* usec, written as seconds */
	PS_CPU_USER,
	PS_CPU_SYSTEM,
	PS_NR_PERIODS,
	PS_NR_THROTTLED,
	PS_THROTTLED,       /* usec, written as seconds */
	PS_CPU_MAX,         /* millionths of a CPU, written as CPUs; no sample when unlimited */
	PS_CPU_EFF,         /* the same, effective */
	PS_CPUSET_EFF_CPUS, /* CPUs in cpuset.cpus.effective */
	PS_CPUSET_INFO,     /* info metric: labels cpus and effective_cpus, value 1 */
	PS_MEM_CURRENT,
	PS_MEM_MAX,         /* no sample when unlimited */
	PS_MEM_EFF,         /* no sample when unlimited */
	PS_MEM_HIGH,        /* no sample when unlimited */
	PS_MEM_HIGH_EFF,    /* no sample when unlimited */
	PS_MEM_PEAK,
	PS_SWAP,
	PS_FAILCNT,         /* v1 memory.failcnt, or v2 memory.events max */
	PS_OOM_KILLS,
	PS_OOM_KILLS_SUBTREE,
	PS_UNDER_OOM,
	PS_PIDS_CURRENT,
	PS_PIDS_MAX,        /* no sample when unlimited */
	PS_PIDS_EFF,        /* no sample when unlimited */
	PS_PIDS_REJECTED,
	PS_IO_RBYTES,
	PS_IO_WBYTES,
	PS_IO_RIOS,
	PS_IO_WIOS,
	PS_PSI_CPU_SOME,    /* PSI totals, usec, written as seconds */
	PS_PSI_CPU_FULL,
	PS_PSI_MEM_SOME,
	PS_PSI_MEM_FULL,
	PS_PSI_IO_SOME,
	PS_PSI_IO_FULL,
	PS_KMSG_OOM,        /* OOM kills the kernel log reported since cgtop started */
	PS_KMSG_FORK,       /* fork rejections the kernel log reported since start */
	PS_LAST_VICTIM,     /* info metric: labels pid and task, value 1 */
	/* not per group (prom_global) */
	PS_UP,
	PS_GROUPS,
	PS_KMSG_READABLE,
	PS_REFRESH_DURATION,
	PS_REFRESH_TIME,
	_PS_MAX,
};

struct prom_metric {
	const char *name;   /* full name: cgtop_..., units in the name */
	enum prom_type type;
	enum prom_src src;
	const char *help;   /* # HELP text */
};

struct column {
	const char *key;    /* for --columns */
	const char *title;  /* text header; NULL: JSON only */
	int width;          /* text width */
	unsigned needs;     /* enum cg_need */
	const char *json;   /* JSON keys it emits, space separated (documentation) */
	const char *help;
	const struct prom_metric *prom; /* Prometheus families, ended by a NULL name; NULL: none */
};
extern const struct column columns[_COL_MAX];
/* Families that describe the exposition itself, not a group (written last). */
extern const struct prom_metric prom_global[];

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
	COLFMT_OWN = 1 << 2,     /* Tasks and Threads of the group itself, not its subtree */
};
struct cg_node;
void column_format(const struct cg_node *n, enum col_id c, unsigned flags, char *b, size_t size);

/* Mem%: memory in use in % of the limit it meets first, the smaller of the
 * effective memory.max and memory.high (above memory.high the kernel throttles
 * and reclaims, so a group lives under the smaller one).  False when memory is
 * not known or neither limits; *ret_of_high tells which one it is. */
bool column_mem_pct(const struct cg_node *n, double *ret_pct, uint64_t *ret_limit, bool *ret_of_high);

#endif
