/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * options.c - command-line parsing, usage text and --version: all the text of
 * the command line in one place.  A bad value gets one line naming it.
 */
#include <errno.h>
#include <getopt.h>
#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "base/parse.h"

#define DEFAULT_FD_BUDGET 15000

enum {
	OPT_DEPTH = 0x100,
	OPT_FORMAT,
	OPT_RAW,
	OPT_COLUMNS,
	OPT_SYSROOT,
	OPT_FD_BUDGET,
	OPT_EVENTS,
	OPT_FOLLOW,
	OPT_SINCE,
	OPT_KMSG_FILE,
	OPT_SORT,
	OPT_READONLY,
	OPT_NO_COLOR,
	OPT_FLAT,
	OPT_TREE,
	OPT_LISTEN,
	OPT_TEXTFILE,
	OPT_HEADER,
	OPT_NO_HEADER,
	OPT_RECURSIVE,
	OPT_RECORD,
	OPT_REPLAY,
	OPT_RETAIN,
	OPT_FROM,
	OPT_TO,
	OPT_AT,
	OPT_HISTORY_FILE,
	OPT_FORK_STORM,
	OPT_EXPLAIN,
};

static const struct option long_options[] = {
	{ "batch", no_argument, NULL, 'b' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "delay", required_argument, NULL, 'd' },
	{ "depth", required_argument, NULL, OPT_DEPTH },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "raw", no_argument, NULL, OPT_RAW },
	{ "header", no_argument, NULL, OPT_HEADER },
	{ "no-header", no_argument, NULL, OPT_NO_HEADER },
	{ "columns", required_argument, NULL, OPT_COLUMNS },
	{ "recursive", required_argument, NULL, OPT_RECURSIVE },
	{ "sysroot", required_argument, NULL, OPT_SYSROOT },
	{ "fd-budget", required_argument, NULL, OPT_FD_BUDGET },
	{ "events", no_argument, NULL, OPT_EVENTS },
	{ "follow", no_argument, NULL, OPT_FOLLOW },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "kmsg-file", required_argument, NULL, OPT_KMSG_FILE },
	{ "fork-storm", required_argument, NULL, OPT_FORK_STORM },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "readonly", no_argument, NULL, OPT_READONLY },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "flat", no_argument, NULL, OPT_FLAT },
	{ "tree", no_argument, NULL, OPT_TREE },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "textfile", required_argument, NULL, OPT_TEXTFILE },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "retain", required_argument, NULL, OPT_RETAIN },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "at", required_argument, NULL, OPT_AT },
	{ "history-file", required_argument, NULL, OPT_HISTORY_FILE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ 0 },
};

static void usage(FILE *f)
{
	fputs("Usage: cgtop [OPTIONS] [PATH]              the dashboard (on a terminal)\n"
	      "       cgtop -b [OPTIONS] [PATH]           samples as text or JSON\n"
	      "       cgtop -b --format prometheus [OPTIONS] [PATH]   one Prometheus exposition\n"
	      "       cgtop [--listen [ADDR:]PORT] [--textfile DIR] [-d SECONDS] [PATH]\n"
	      "                                          Prometheus exporter (/metrics, node_exporter)\n"
	      "       cgtop --record FILE [-d SECONDS] [--retain SPEC] [-n N] [PATH]   the flight recorder\n"
	      "       cgtop --replay FILE [--at T] [PATH]           the dashboard on a recording\n"
	      "       cgtop -b --replay FILE [--from T] [--to T] [--format F] [-n N] [PATH]\n"
	      "       cgtop --events [--format text|json] [--explain] [--follow] [--since boot]\n"
	      "                      [--kmsg-file FILE|--replay FILE] [--fork-storm RATE] [PATH]\n"
	      "       cgtop --launch [--mem SIZE] [--mem-high SIZE] [--swap SIZE] [--pids N] [--cpu CPUS]\n"
	      "                      [--cpuset LIST] [--ns LIST] [--name NAME] [--parent PATH|self] [--keep]\n"
	      "                      [--report FILE|-] [--hostname NAME] [--veth ADDR/PREFIX] [--drop-caps]\n"
	      "                      [--caps LIST] [--user UID[:GID]] [--init] [--watch] [--pty|--no-pty]\n"
	      "                      [--] CMD [ARGS...]\n"
	      "       cgtop --attach PID [LIMITS] [--name NAME] [--parent PATH|self] [--group PATH] [--tree]\n"
	      "                      [--force]      (prints the group in each hierarchy: ID:CONTROLLERS:PATH)\n"
	      "Show the control groups of this host as one tree, with usage and limits,\n"
	      "and the OOM kills and rejected forks that happen in them.\n"
	      "\n"
	      "Options:\n"
	      "  -b, --batch            print samples as text or JSON instead of the dashboard\n"
	      "      --events           print OOM kills and fork rejections as they happen, one per line\n"
	      "      --kmsg-file=FILE   with --events: read a saved kernel log (- for stdin): /dev/kmsg\n"
	      "                         records, dmesg (-r, -T, -x), syslog or journalctl -k lines,\n"
	      "                         also pasted: CRLF, indented, quoted (> ), wrapped\n"
	      "      --follow           with --kmsg-file: keep reading as the file grows\n"
	      "      --since=boot       with --events: start from the oldest message in the kernel log\n"
	      "      --explain          with --events --format text: a report of several lines per\n"
	      "                         incident (victim, limit chain, the kernel's task table,\n"
	      "                         memory.stat at the kill; for forks the top parents)\n"
	      "      --fork-storm=RATE  with --events and the dashboard: a group whose own processes\n"
	      "                         fork RATE times a second or more is a fork_storm event\n"
	      "                         (default 1000; 0: none)\n"
	      "  -n, --iterations=N     take N samples, then exit (default: until interrupted)\n"
	      "  -d, --delay=SECONDS    interval between samples, fractions allowed (default 1)\n"
	      "      --depth=N          show groups at most N levels below PATH (0: PATH only)\n"
	      "      --format=FORMAT    text (default), json (one object per sample per line) or\n"
	      "                         prometheus (text exposition; -n defaults to 1)\n"
	      "      --listen=[ADDR:]PORT  serve /metrics over HTTP: the tree is refreshed every\n"
	      "                         -d seconds (15 by default), scrapes are answered from the\n"
	      "                         last refresh; ADDR defaults to 127.0.0.1 (0.0.0.0 or [::])\n"
	      "      --textfile=DIR     write DIR/cgtop.prom atomically every -d seconds, for\n"
	      "                         node_exporter's textfile collector (-n: that many times)\n"
	      "      --record=FILE      headless: store every group's values every -d seconds\n"
	      "                         (default 5; memory.stat once a minute and at an OOM\n"
	      "                         kill) in the SQLite file FILE (created, or appended\n"
	      "                         to); SIGTERM, SIGINT or SIGHUP stop it after the sample\n"
	      "                         in hand; on a terminal: the dashboard, which stores\n"
	      "                         every refresh\n"
	      "      --history-file=FILE  the dashboard's detail view: the history before cgtop\n"
	      "                         started from this recording (default: the recorder's\n"
	      "                         " CGTOP_HISTORY_DEFAULT ", when there)\n"
	      "      --retain=SPEC      with --record: keep this much history, a duration (s, m,\n"
	      "                         h, d, w) and a size (B, K, M, G, T), default 7d,1G\n"
	      "      --replay=FILE      the dashboard on a recording (time stands still: [ ] step,\n"
	      "                         { } a minute, ( ) an hour, , . events, T a time); with -b:\n"
	      "                         print its samples as live batch mode printed them (text,\n"
	      "                         json or prometheus); with --events: its OOM kills and\n"
	      "                         fork rejections\n"
	      "      --from=TIME, --to=TIME  with --replay: the samples from, to TIME: 12:03,\n"
	      "                         -10m (before the last sample), 2026-12-05T12:03, @EPOCH\n"
	      "      --at=TIME          the dashboard on a recording (--replay without -b) opens\n"
	      "                         at the last sample at or before TIME (default: the last)\n"
	      "      --raw              exact numbers instead of K, M, G units (text)\n"
	      "      --header, --no-header  text: the column titles before each sample, or not\n"
	      "                         (default: only on a terminal)\n"
	      "      --columns=LIST     read and show only these columns, comma-separated:\n"
	      "                         ",
	      f);
	for (int c = 0; c < _COL_MAX; c++)
		fprintf(f, "%s%s", columns[c].key,
			c + 1 < _COL_MAX ? (c % 7 == 6 ? ",\n                         " : ",") : "\n");
	fputs("      --recursive=yes|no the Tasks and Threads columns count the group and its\n"
	      "                         descendants (yes, the default) or the group itself (no)\n"
	      "      --sort=KEY         dashboard: sort by KEY, a column name above or name (default)\n"
	      "      --tree, --flat     dashboard: show groups as a tree (default) or a flat list\n"
	      "      --readonly         dashboard: no keys that change limits, freeze, kill or attach\n"
	      "      --no-color         dashboard: monochrome (also when NO_COLOR is set)\n"
	      "      --sysroot=DIR      read /sys/fs/cgroup and /proc under DIR (a captured tree)\n"
	      "      --fd-budget=N      keep at most N file descriptors open between samples\n"
	      "                         (default 15000; 0 reopens every file each sample)\n"
	      "  -h, --help             show this help and exit\n"
	      "  -V, --version          show the version and exit\n"
	      "\n"
	      "PATH is a group as the kernel names it, e.g. /system.slice (default /), without\n"
	      "'.', '..' or empty components (also for --parent and --group).\n"
	      "--launch gives CMD a pseudo-terminal of its own when stdin is the terminal\n"
	      "(--pty: always, --no-pty: never); cgtop's terminal is never CMD's controlling one.\n"
	      "Exit status: 0 ok, 1 runtime failure (no cgroup filesystem), 2 bad usage.\n"
	      "Groups that are systemd units, containers (docker, podman, CRI-O, containerd) or\n"
	      "Kubernetes pods also get their name and kind (JSON name, kind; Prometheus labels;\n"
	      "the dashboard's n key), from the runtimes' files on disk.\n"
	      "See cgtop(1) for the JSON keys, the Prometheus metrics and NAMES.\n",
	      f);
}

static int bad(const char *what, const char *value)
{
	fprintf(stderr, "cgtop: invalid %s: '%s'\n", what, value);
	return -EINVAL;
}

static int parse_count(const char *s, long long *ret)
{
	char *end;
	long long v;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v <= 0)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* --listen [ADDR:]PORT, [IPV6]:PORT; ADDR numeric or localhost, default the
 * IPv4 loopback.  Returns 0 or -EINVAL (malformed). */
static int parse_listen(const char *arg, struct config *cfg)
{
	const char *colon = strrchr(arg, ':'), *port = arg;
	char host[64] = "127.0.0.1";
	unsigned char addr[16];
	long long p;

	if (arg[0] == '[') {
		const char *end = strchr(arg, ']');
		if (!end || end[1] != ':' || (size_t)(end - arg - 1) >= sizeof(host))
			return -EINVAL;
		snprintf(host, sizeof(host), "%.*s", (int)(end - arg - 1), arg + 1);
		if (inet_pton(AF_INET6, host, addr) != 1)
			return -EINVAL;
		port = end + 2;
	} else if (colon) {
		size_t len = colon - arg;
		if (len >= sizeof(host))
			return -EINVAL;
		if (len > 0)
			snprintf(host, sizeof(host), "%.*s", (int)len, arg);
		if (strcmp(host, "localhost") == 0)
			snprintf(host, sizeof(host), "127.0.0.1");
		if (inet_pton(AF_INET, host, addr) != 1)
			return -EINVAL; /* names other than localhost, or IPv6 without [] */
		port = colon + 1;
	}
	if (strspn(port, "0123456789") != strlen(port) || parse_count(port, &p) < 0 || p > 65535)
		return -EINVAL;
	snprintf(cfg->listen_host, sizeof(cfg->listen_host), "%s", host);
	cfg->listen_port = (unsigned)p;
	cfg->listen = true;
	return 0;
}

void options_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->count = -1;
	cfg->interval_usec = 1000000;
	cfg->depth = -1;
	cfg->fd_budget = DEFAULT_FD_BUDGET;
	cfg->path = "/";
	cfg->header = -1;
	cfg->sort_col = SORT_NAME;
	cfg->retain_sec = 7 * 86400;
	cfg->retain_bytes = 1ULL << 30;
	cfg->fork_storm = FORKS_STORM_DEFAULT;
	{
		const char *nc = getenv("NO_COLOR");
		cfg->no_color = nc && *nc; /* https://no-color.org: set and not empty */
	}
	for (unsigned i = 0; i < columns_text_default_n; i++) {
		cfg->col_sel[columns_text_default[i]] = true;
		cfg->col_order[i] = columns_text_default[i];
	}
	cfg->n_cols = columns_text_default_n;
}

int options_parse(int argc, char **argv, struct config *cfg)
{
	bool format_given = false;
	int c;

	options_defaults(cfg);

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:bn:d:hV", long_options, NULL)) != -1) {
		long long v;
		uint64_t u;

		switch (c) {
		case 'b':
			cfg->batch = true;
			break;
		case 'n':
			if (parse_count(optarg, &cfg->count) < 0)
				return bad("sample count (-n), want a positive whole number", optarg);
			cfg->count_given = true;
			break;
		case 'd':
			if (parse_interval_usec(optarg, &cfg->interval_usec) < 0)
				return bad("delay (-d), want positive seconds such as 0.5", optarg);
			cfg->delay_given = true;
			break;
		case OPT_DEPTH:
			if (strcmp(optarg, "0") == 0)
				v = 0;
			else if (parse_count(optarg, &v) < 0 || v > 1000)
				return bad("depth (--depth), want 0 or a positive whole number", optarg);
			cfg->depth = (int)v;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "text") == 0)
				cfg->format = FORMAT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				cfg->format = FORMAT_JSON;
			else if (strcmp(optarg, "prometheus") == 0)
				cfg->format = FORMAT_PROM;
			else
				return bad("format (--format), want text, json or prometheus", optarg);
			format_given = true;
			break;
		case OPT_LISTEN:
			if (parse_listen(optarg, cfg) < 0)
				return bad("address (--listen), want [ADDR:]PORT such as 127.0.0.1:9617",
					   optarg);
			break;
		case OPT_TEXTFILE:
			if (!*optarg)
				return bad("directory (--textfile), want a directory name", optarg);
			cfg->textfile_dir = optarg;
			break;
		case OPT_RECORD:
			if (!*optarg)
				return bad("recording (--record), want a file name", optarg);
			cfg->record_file = optarg;
			break;
		case OPT_REPLAY:
			if (!*optarg)
				return bad("recording (--replay), want a file name", optarg);
			cfg->replay_file = optarg;
			break;
		case OPT_RETAIN:
			if (parse_retain(optarg, &cfg->retain_sec, &cfg->retain_bytes) < 0)
				return bad("retention (--retain), want durations and sizes such as 7d,1G",
					   optarg);
			cfg->retain_given = true;
			break;
		case OPT_FROM:
		case OPT_TO: {
			double t;
			if (parse_time(optarg, 0, 1e9, &t) < 0)
				return bad(
					c == OPT_FROM
						? "time (--from), want 12:03, -10m, 2026-12-05T12:03 or epoch seconds"
						: "time (--to), want 12:03, -10m, 2026-12-05T12:03 or epoch seconds",
					optarg);
			*(c == OPT_FROM ? &cfg->replay_from : &cfg->replay_to) = optarg;
			break;
		}
		case OPT_HISTORY_FILE:
			if (!*optarg)
				return bad("recording (--history-file), want a file name", optarg);
			cfg->history_file = optarg;
			break;
		case OPT_AT: {
			double t;
			if (parse_time(optarg, 0, 1e9, &t) < 0)
				return bad("time (--at), want 12:03, -10m, 2026-12-05T12:03 or epoch seconds",
					   optarg);
			cfg->replay_at = optarg;
			break;
		}
		case OPT_RAW:
			cfg->raw = true;
			break;
		case OPT_HEADER:
		case OPT_NO_HEADER:
			cfg->header = c == OPT_HEADER;
			break;
		case OPT_COLUMNS: {
			const char *which = NULL;
			if (columns_parse(optarg, cfg->col_sel, cfg->col_order, &cfg->n_cols, &which) < 0) {
				fprintf(stderr, "cgtop: invalid column '%s' in --columns '%s' (see --help)\n",
					which, optarg);
				return -EINVAL;
			}
			cfg->columns_given = true;
			break;
		}
		case OPT_RECURSIVE:
			if (strcmp(optarg, "yes") == 0)
				cfg->tasks_own = false;
			else if (strcmp(optarg, "no") == 0)
				cfg->tasks_own = true;
			else
				return bad("--recursive, want yes or no", optarg);
			cfg->recursive_given = true;
			break;
		case OPT_EVENTS:
			cfg->mode = MODE_EVENTS;
			break;
		case OPT_FOLLOW:
			cfg->follow = true;
			break;
		case OPT_SINCE:
			if (strcmp(optarg, "boot") != 0)
				return bad("--since, want boot", optarg);
			cfg->since_boot = true;
			break;
		case OPT_FORK_STORM:
			if (strcmp(optarg, "0") == 0)
				v = 0;
			else if (parse_count(optarg, &v) < 0)
				return bad("fork storm rate (--fork-storm), want forks a second, 0 for none",
					   optarg);
			cfg->fork_storm = (double)v;
			break;
		case OPT_EXPLAIN:
			cfg->explain = true;
			break;
		case OPT_KMSG_FILE:
			if (!*optarg)
				return bad("--kmsg-file, want a file name or -", optarg);
			cfg->kmsg_file = optarg;
			break;
		case OPT_SORT: {
			int found = strcmp(optarg, "name") == 0 || strcmp(optarg, "path") == 0 ? SORT_NAME
											       : -2;
			for (int k = 0; k < _COL_MAX && found == -2; k++)
				if (columns[k].title && strcmp(columns[k].key, optarg) == 0)
					found = k;
			if (found == -2)
				return bad("sort key (--sort), want name or a column of --columns", optarg);
			cfg->sort_col = found;
			cfg->sort_given = true;
			break;
		}
		case OPT_READONLY:
			cfg->readonly = true;
			break;
		case OPT_NO_COLOR:
			cfg->no_color = true;
			break;
		case OPT_FLAT:
		case OPT_TREE:
			cfg->flat = c == OPT_FLAT;
			cfg->tree_given = true;
			break;
		case OPT_SYSROOT:
			cfg->sysroot = optarg;
			break;
		case OPT_FD_BUDGET:
			if (strcmp(optarg, "0") == 0)
				u = 0;
			else if (parse_count(optarg, &v) < 0 || v > INT_MAX)
				return bad("fd budget (--fd-budget), want a whole number", optarg);
			else
				u = (uint64_t)v;
			cfg->fd_budget = (unsigned)u;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			print_version(stdout);
			return 1;
		case ':':
			fprintf(stderr, "cgtop: option '%s' needs a value (see --help)\n", argv[optind - 1]);
			return -EINVAL;
		case '?':
		default:
			if (optopt)
				fprintf(stderr, "cgtop: unknown option '-%c' (see --help)\n", optopt);
			else
				fprintf(stderr, "cgtop: unknown option '%s' (see --help)\n",
					argv[optind - 1]);
			return -EINVAL;
		}
	}
	if ((cfg->kmsg_file || cfg->follow || cfg->since_boot) && cfg->mode != MODE_EVENTS) {
		fprintf(stderr, "cgtop: --kmsg-file, --follow and --since go with --events\n");
		return -EINVAL;
	}
	if (cfg->explain && cfg->mode != MODE_EVENTS) {
		fprintf(stderr, "cgtop: --explain goes with --events\n");
		return -EINVAL;
	}
	if (cfg->follow && !cfg->kmsg_file) {
		fprintf(stderr, "cgtop: --follow goes with --kmsg-file (live --events always follows)\n");
		return -EINVAL;
	}
	if (cfg->retain_given && !cfg->record_file) {
		fprintf(stderr, "cgtop: --retain goes with --record\n");
		return -EINVAL;
	}
	if ((cfg->replay_from || cfg->replay_to) && !cfg->replay_file) {
		fprintf(stderr, "cgtop: --from and --to go with --replay\n");
		return -EINVAL;
	}
	if (cfg->replay_file) {
		if (cfg->record_file || cfg->listen || cfg->textfile_dir || cfg->kmsg_file ||
		    cfg->since_boot) {
			fprintf(stderr,
				"cgtop: --replay does not go with --record, --listen, --textfile, --kmsg-file or --since\n");
			return -EINVAL;
		}
		if (cfg->mode == MODE_EVENTS) {
			if (cfg->format == FORMAT_PROM) {
				fprintf(stderr, "cgtop: --events --replay prints text or json\n");
				return -EINVAL;
			}
		}
		if (cfg->format == FORMAT_PROM && !cfg->count_given)
			cfg->count = 1; /* one exposition, as live */
	} else if (cfg->record_file) {
		if (cfg->mode == MODE_EVENTS || cfg->listen || cfg->textfile_dir || cfg->batch ||
		    format_given) {
			fprintf(stderr,
				"cgtop: --record goes alone (not with -b, --format, --events, --listen or --textfile)\n");
			return -EINVAL;
		}
		if (isatty(STDOUT_FILENO)) {
			/* on a terminal, as top: the dashboard, which records each
			 * refresh; headless (systemd, a redirect) the recorder */
			cfg->mode = MODE_DASHBOARD;
		} else {
			cfg->mode = MODE_RECORD;
			if (!cfg->delay_given)
				cfg->interval_usec = 5000000;
		}
	} else if (cfg->listen || cfg->textfile_dir) {
		if (cfg->mode == MODE_EVENTS) {
			fprintf(stderr, "cgtop: --listen and --textfile do not go with --events\n");
			return -EINVAL;
		}
		if (format_given && cfg->format != FORMAT_PROM) {
			fprintf(stderr,
				"cgtop: --listen and --textfile write the prometheus format, not --format %s\n",
				cfg->format == FORMAT_JSON ? "json" : "text");
			return -EINVAL;
		}
		if (cfg->count_given && !cfg->textfile_dir) {
			fprintf(stderr, "cgtop: -n goes with --textfile (--listen serves until stopped)\n");
			return -EINVAL;
		}
		cfg->mode = MODE_EXPORTER;
		cfg->format = FORMAT_PROM;
	} else if (cfg->mode == MODE_BATCH && cfg->format == FORMAT_PROM && !cfg->count_given) {
		cfg->count = 1; /* one exposition */
	}
	if (cfg->mode == MODE_BATCH && !cfg->batch && isatty(STDOUT_FILENO))
		cfg->mode = MODE_DASHBOARD; /* as top: the dashboard on a terminal, batch into a pipe */
	if (cfg->replay_at && (!cfg->replay_file || cfg->mode != MODE_DASHBOARD)) {
		fprintf(stderr,
			"cgtop: --at goes with the dashboard's --replay (-b and --events take --from and --to)\n");
		return -EINVAL;
	}
	if (cfg->history_file && (cfg->mode != MODE_DASHBOARD || cfg->replay_file)) {
		fprintf(stderr, "cgtop: --history-file goes with the live dashboard\n");
		return -EINVAL;
	}
	if (cfg->replay_file && cfg->mode == MODE_DASHBOARD && (cfg->replay_from || cfg->replay_to)) {
		fprintf(stderr,
			"cgtop: --from and --to go with -b or --events (the dashboard opens at --at)\n");
		return -EINVAL;
	}
	if (cfg->header >= 0 &&
	    (cfg->mode == MODE_EVENTS || cfg->mode == MODE_EXPORTER || cfg->format != FORMAT_TEXT)) {
		fprintf(stderr,
			"cgtop: --header and --no-header go with the text samples (not --events, json or prometheus)\n");
		return -EINVAL;
	}
	if (cfg->mode == MODE_DASHBOARD && cfg->format != FORMAT_TEXT) {
		fprintf(stderr, "cgtop: --format goes with -b or --events (the dashboard is text)\n");
		return -EINVAL;
	}
	if (optind < argc)
		cfg->path = argv[optind++];
	if (optind < argc)
		return bad("extra argument", argv[optind]);
	if (cfg->path[0] != '/')
		return bad("group path, want an absolute path such as /system.slice", cfg->path);
	if (parse_cgroup_path(cfg->path) < 0)
		return bad("group path (no '.', '..' or empty components)", cfg->path);
	if (!cfg->columns_given) {
		if (cfg->format == FORMAT_JSON) {
			for (int i = 0; i < _COL_MAX; i++) {
				cfg->col_sel[i] = true;
				cfg->col_order[i] = i;
			}
			cfg->n_cols = _COL_MAX;
		} else if (cfg->format == FORMAT_PROM) {
			/* every column with Prometheus families: memory.stat,
			 * read for JSON alone, is not read at all */
			memset(cfg->col_sel, 0, sizeof(cfg->col_sel));
			cfg->n_cols = 0;
			for (int i = 0; i < _COL_MAX; i++)
				if (column_has_prom(i)) {
					cfg->col_sel[i] = true;
					cfg->col_order[cfg->n_cols++] = i;
				}
		} else {
			for (unsigned i = 0; i < columns_text_default_n; i++) {
				cfg->col_sel[columns_text_default[i]] = true;
				cfg->col_order[i] = columns_text_default[i];
			}
			cfg->n_cols = columns_text_default_n;
		}
	}
	return 0;
}
