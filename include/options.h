/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * options.h - the command line, parsed into struct config.
 */
#ifndef CGTOP_OPTIONS_H
#define CGTOP_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include "sample/column.h"

/* Exit statuses (documented in cgtop(1)). */
enum {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1, /* no cgroup filesystem, I/O failure */
	EXIT_USAGE = 2,   /* bad option or value */
};

enum output_format {
	FORMAT_TEXT,
	FORMAT_JSON,
	FORMAT_PROM, /* Prometheus text exposition */
};

enum run_mode {
	MODE_BATCH,
	MODE_EVENTS,
	MODE_DASHBOARD, /* no -b and stdout is a terminal */
	MODE_EXPORTER,  /* --listen / --textfile: Prometheus, headless */
	MODE_RECORD,    /* --record FILE: the flight recorder, headless */
};

/* The default fork storm threshold (--fork-storm): forks a second by one group's own
 * processes.  A parallel build starts a few hundred processes a second; a shell fork
 * bomb thousands in its first second. */
#define FORKS_STORM_DEFAULT 1000

/* The recording the systemd unit (data/cgtop-record.service) writes: the
 * live dashboard's detail view reads the history before start from it. */
#define CGTOP_HISTORY_DEFAULT "/var/lib/cgtop/record.db"

/* Sort keys beyond the column table: the group's path (name), the default. */
#define SORT_NAME (-1)

struct config {
	enum run_mode mode;
	bool batch;
	bool follow;           /* --follow (events from a file) */
	bool since_boot;       /* --since boot */
	const char *kmsg_file; /* --kmsg-file */
	bool explain;          /* --explain: a report of several lines per incident */
	double fork_storm;     /* --fork-storm: forks a second of a group's own processes, 0 off */
	bool count_given;
	long long count;        /* -n; -1 = forever */
	uint64_t interval_usec; /* -d */
	int depth;              /* --depth; -1 = unlimited */
	enum output_format format;
	bool raw;
	int header;     /* text: --header 1, --no-header 0, -1 on a terminal only */
	bool tasks_own; /* --recursive=no: Tasks and Threads of the group itself */
	bool recursive_given;
	bool columns_given;
	bool col_sel[_COL_MAX];
	unsigned col_order[_COL_MAX], n_cols;
	const char *sysroot;
	unsigned fd_budget;
	const char *path;
	/* dashboard */
	bool sort_given;
	int sort_col;     /* --sort: enum col_id, or SORT_NAME */
	bool readonly;    /* --readonly: no limit, kill, freeze or attach keys */
	bool no_color;    /* --no-color or NO_COLOR set */
	bool delay_given; /* -d given: overrides the cgtoprc delay */
	bool tree_given;  /* --tree / --flat given */
	bool flat;        /* --flat */
	/* exporter (--listen, --textfile) */
	bool listen;          /* --listen given */
	char listen_host[64]; /* numeric IPv4 or IPv6 address */
	unsigned listen_port;
	const char *textfile_dir; /* --textfile */
	/* flight recorder */
	const char *record_file; /* --record */
	const char *replay_file; /* --replay */
	uint64_t retain_sec;     /* --retain: keep this many seconds... */
	uint64_t retain_bytes;   /* ...and at most this many bytes of pages in use */
	bool retain_given;
	const char *replay_from, *replay_to; /* --from, --to (parse_time) */
	const char *replay_at;               /* --at: where the dashboard's replay opens */
	const char *history_file;            /* --history-file: the live detail view's past */
};

/* Parse argv.  Returns 0 to run, 1 when --help/--version was handled (exit 0),
 * or -EINVAL after printing one line to stderr (exit 2). */
int options_parse(int argc, char **argv, struct config *cfg);
/* The defaults options_parse starts from (text columns), for a dashboard run
 * without a command line of its own (cgtop --launch ... --watch). */
void options_defaults(struct config *cfg);
/* --version: cgtop's version and the libraries it was built with (version.c) */
void print_version(FILE *f);

#endif
