/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * column.h - the one table of columns: the name users select with --columns,
 * the text title, the files it needs (scan flags), and the values it emits,
 * each with where it comes from (a value id), its kind, its JSON key and its
 * Prometheus family.  Text output, JSON, Prometheus and the dashboard's cells
 * and sorting read every value through column_value() and format it by kind.
 */
#ifndef CGTOP_COLUMN_H
#define CGTOP_COLUMN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup/cgroup.h"

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
	COL_HUGETLB,
	COL_PIDS,
	COL_PIDS_MAX,
	COL_PIDS_LIMIT,
	COL_PIDS_REJECTED,
	COL_IO_READ,
	COL_IO_WRITE,
	COL_PSI,
	COL_EVENTS,
	COL_FORKS,
	COL_NAME,
	_COL_MAX,
};

/* What a value is, which says how every writer shows it: text cells, JSON,
 * Prometheus and the dashboard's sort all follow the kind. */
enum col_kind {
	CK_COUNT,       /* a number of things: as it is */
	CK_BYTES,       /* IEC units in text unless --raw */
	CK_LIMIT,       /* a count or "max" (CG_UNLIMITED); no Prometheus sample when max */
	CK_LIMIT_BYTES, /* bytes or "max" */
	CK_USEC,        /* microseconds: "1.5s" in text, seconds in Prometheus */
	CK_CPUS,        /* millionths of a CPU or "max": an exact decimal number of CPUs */
	CK_PERCENT,     /* a double: "%.1f" in text, "%.2f" in JSON */
	CK_RATE,        /* a double per second: IEC bytes in text, "%.1f" in JSON */
	CK_AVG,         /* a double with two decimals (a PSI average) */
	CK_CPULIST,     /* the kernel's CPU list: a string; as a number, its CPUs */
	CK_WORD,        /* a fixed word: a JSON string */
	CK_MAP,         /* keyed file text: a JSON object of its numbers */
	CK_FROM,        /* the group that sets an effective limit: its path */
	CK_PSI,         /* the three pressure files: a JSON object */
	CK_INFO,        /* a Prometheus info metric (output-prom.c writes its labels) */
	CK_TEXT,        /* a string for people (a group's name): escaped, left-aligned in text */
};

/* Where a value comes from: a value of the sample (enum cg_val, read by the
 * sampler) or one derived from the sample by the sampler or by column-value.c. */
enum col_val {
	CV_CPU_PERCENT = _V_MAX,
	CV_CPU_TIME, /* user + system */
	CV_THROTTLED_PERCENT,
	CV_CPU_EFF,
	CV_CPU_EFF_FROM,
	CV_MEM_EFF,
	CV_MEM_EFF_FROM,
	CV_MEM_HIGH_EFF,
	CV_MEM_HIGH_EFF_FROM,
	CV_MEM_PCT,     /* column_mem_pct() */
	CV_MEM_PCT_OF,  /* "high" or "max" */
	CV_FAILCNT,     /* v1 memory.failcnt, or v2 memory.events max */
	CV_MEM_EVENTS,  /* v2 memory.events */
	CV_OOM_CONTROL, /* v1 memory.oom_control */
	CV_MEM_STAT,
	CV_PIDS_EFF,
	CV_PIDS_EFF_FROM,
	CV_IO_RBPS,
	CV_IO_RIOPS,
	CV_IO_WBPS,
	CV_IO_WIOPS,
	CV_CPUSET, /* the lists as text */
	CV_CPUSET_EFF,
	CV_CPUSET_INFO,
	CV_PSI,
	CV_PSI_MEM_AVG10, /* memory some avg10 */
	CV_PSI_CPU_SOME,  /* PSI totals, usec: cpu, memory, io; some, full */
	CV_PSI_CPU_FULL,
	CV_PSI_MEM_SOME,
	CV_PSI_MEM_FULL,
	CV_PSI_IO_SOME,
	CV_PSI_IO_FULL,
	CV_OOM_SINCE_START, /* events.c: counters since the first sample */
	CV_PIDS_REJECTED_SINCE_START,
	CV_KMSG_OOM, /* kills the kernel log reported (needs the log read) */
	CV_KMSG_FORK,
	CV_LAST_VICTIM,   /* output-prom.c keeps them */
	CV_FORKS_PER_SEC, /* forks.c: the proc connector */
	CV_FORKS_TOTAL,
	CV_NAME, /* names.h: the name people use, else the last component (once looked up) */
	_CV_MAX,
};

/* One value of a group. */
struct col_value {
	uint64_t u;    /* the integer kinds */
	double d;      /* CK_PERCENT, CK_RATE, CK_AVG */
	const char *s; /* CK_CPULIST, CK_MAP, CK_WORD */
	size_t len;
	const struct cg_node *from; /* CK_FROM */
};

/* The values of a group in a recorded sample (record-replay.c), by enum
 * cg_val / col_val: a node whose rec is set answers column_value() from it. */
struct col_recorded {
	uint64_t valid[(_CV_MAX + 63) / 64];
	struct col_value v[_CV_MAX];
};

struct cg_node;
/* The value val of group n; false when it is not available (null, "-", no
 * sample).  kmsg_open: the kernel log is read (the CV_KMSG_ values). */
bool column_value(const struct cg_node *n, unsigned val, bool kmsg_open, struct col_value *ret);

/* Prometheus families.  Each is a field of a column (none for a value
 * Prometheus derives itself, such as %CPU), so JSON keys, text titles and
 * Prometheus HELP text live in one table; output-prom.c writes them. */
enum prom_type {
	PROM_GAUGE,
	PROM_COUNTER, /* the name ends in _total */
};

/* One value a column emits: its JSON key, its Prometheus family, or both. */
struct col_field {
	const char *json; /* JSON key; NULL: not in JSON */
	unsigned val;     /* enum cg_val or enum col_val */
	enum col_kind kind;
	const char *prom; /* family name, units in the name; NULL: not in Prometheus */
	enum prom_type type;
	const char *help; /* # HELP text */
};

/* The text cell of a column, which the dashboard also sorts by. */
struct col_cell {
	unsigned val; /* enum cg_val or enum col_val */
	unsigned own; /* with --recursive=no (the group itself), if not val */
	enum col_kind kind;
};

struct column {
	const char *key;   /* for --columns */
	const char *title; /* text header; NULL: JSON only */
	int width;         /* text width */
	unsigned needs;    /* enum cg_need */
	struct col_cell cell;
	char sort_key; /* the dashboard's key that sorts by it, 0: none */
	int priority;  /* the dashboard keeps higher ones on a narrow terminal */
	const char *help;
	const struct col_field *fields; /* in output order, ended by one without json and prom */
};
extern const struct column columns[_COL_MAX];

/* Families that describe the exposition itself, not a group (written last). */
enum prom_global {
	PG_UP,
	PG_GROUPS,
	PG_KMSG_READABLE,
	PG_REFRESH_DURATION,
	PG_REFRESH_TIME,
	PG_FORKS_OVERRUNS,
};
struct prom_metric {
	const char *name;
	enum prom_type type;
	enum prom_global src;
	const char *help;
};
extern const struct prom_metric prom_global[];

/* Columns shown by default in text output, and emitted by default in JSON. */
extern const enum col_id columns_text_default[];
extern const unsigned columns_text_default_n;

/* Parse a comma-separated list of column keys.  Returns 0 or -EINVAL with
 * *ret_bad pointing at the first unknown name (into a static copy). */
int columns_parse(const char *list, bool ret_sel[_COL_MAX], unsigned *ret_order, unsigned *ret_n,
		  const char **ret_bad);
unsigned columns_needs(const bool sel[_COL_MAX]);
/* The same for text output and the dashboard's table: what their cells show
 * (bytes, not the I/O operations that JSON emits beside them). */
unsigned columns_needs_text(const bool sel[_COL_MAX]);
/* The same for text output of a single sample (-n 1): what its cells show,
 * leaving out the files of rates, which need two samples. */
unsigned columns_needs_text_once(const bool sel[_COL_MAX]);
/* What one column's text cell needs (its needs without the I/O operations
 * unless the cell shows them): also what sorting by it needs. */
unsigned column_cell_needs(enum col_id c);
/* Whether a column has Prometheus families. */
bool column_has_prom(enum col_id c);

/* One cell as text (column-format.c): "-" when the value is not valid, "max"
 * for no limit, IEC units unless COLFMT_RAW. */
enum {
	COLFMT_RAW = 1 << 0, /* exact numbers */
	COLFMT_OWN = 1 << 2, /* Tasks and Threads of the group itself, not its subtree */
};
void column_format(const struct cg_node *n, enum col_id c, unsigned flags, char *b, size_t size);
/* The cell's value as a number to sort by ("max" sorts above every number);
 * false when it is not available. */
bool column_sort_value(const struct cg_node *n, enum col_id c, unsigned flags, double *ret);

/* Mem%: memory in use in % of the limit it meets first, the smaller of the
 * effective memory.max and memory.high (above memory.high the kernel throttles
 * and reclaims, so a group lives under the smaller one).  False when memory is
 * not known or neither limits; *ret_of_high tells which one it is. */
bool column_mem_pct(const struct cg_node *n, double *ret_pct, uint64_t *ret_limit, bool *ret_of_high);

#endif
