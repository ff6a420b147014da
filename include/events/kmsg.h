/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kmsg.h - kernel log messages and the OOM / pids events cgtop extracts from
 * them.  Pure parsing: nothing here reads a file (kmsg-reader.c does).
 *
 * A message reaches cgtop in one of several framings: a record read from
 * /dev/kmsg ("6,409,6313558,-;text" plus " KEY=value" dictionary lines), or a
 * line of a saved log as printed by dmesg (plain "[  123.456789] text", -r
 * "<6>[...] text", -x "kern  :info  : [...] text", -T "[Sun Nov 29 05:42:19
 * 2026] text", --time-format iso, reltime "[Nov29 05:42]" / "[  +0.000012]"
 * and delta "[<    0.000012>]"), by syslog ("Nov 29 05:42:19 host kernel: [ts] text", the
 * [ts] optional, or an RFC 3339 time stamp first) or by journalctl -k (the
 * syslog shape, with indented continuation lines).  Each is normalised to a
 * struct kmsg_line; the OOM parser then merges the lines of one kill.  A log as
 * people paste it (CRLF, quoted, indented, wrapped) is undone line by line in
 * kmsg-paste.h before these parsers see it.
 */
#ifndef CGTOP_KMSG_H
#define CGTOP_KMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample/forker.h"

#define KMSG_LINE_MAX 8192 /* longer lines are skipped and counted as bad */

enum kmsg_framing {
	KF_NONE,         /* not a kernel log line at all */
	KF_KMSG,         /* raw /dev/kmsg record */
	KF_DMESG,        /* "[  ts] msg", also reltime and delta (ts unknown) */
	KF_DMESG_RAW,    /* "<prio>[  ts] msg" (dmesg -r) */
	KF_DMESG_DECODE, /* "kern  :info  : [  ts] msg" (dmesg -x) */
	KF_DMESG_CTIME,  /* "[Sun Nov 29 05:42:19 2026] msg" (dmesg -T) */
	KF_SYSLOG,       /* "Mon DD HH:MM:SS host kernel: [ts] msg" or RFC 3339, or journalctl -k */
	KF_CONTINUATION, /* an indented continuation line (journalctl) or a kmsg dictionary line */
	KF_PLAIN,        /* a bare message with no framing (dmesg --notime) */
};

struct kmsg_line {
	enum kmsg_framing framing;
	int level;        /* 0..7 (prio & 7), -1 when the framing has none */
	int facility;     /* prio >> 3, -1 when unknown */
	uint64_t seq;     /* /dev/kmsg sequence number, UINT64_MAX when unknown */
	int64_t ts_usec;  /* microseconds since boot, -1 when unknown */
	int64_t wall_sec; /* wall-clock seconds (syslog, dmesg -T), -1 when unknown;
			     * syslog lines lack the year: the current year is assumed */
	const char *msg;  /* the message, \xNN escapes decoded, NUL-terminated */
	size_t msg_len;
	const char *subsystem, *device; /* kmsg dictionary values, or NULL */
	/* kmsg_parse_line_lazy: the message is one "key value" line of a memory.stat dump
	 * (digits to its end) with a key of this length, found while judging it; 0 not known */
	unsigned stat_key_len;
};

/* Parse one record as returned by one read() of /dev/kmsg (the text ends in a
 * newline, dictionary lines may follow).  Strings point into out, which needs
 * at least len + 1 bytes.  Returns 0, or -EINVAL for a malformed record
 * (-ENOBUFS when out_size < len + 1, a caller bug). */
int kmsg_parse_record(const char *buf, size_t len, char *out, size_t out_size, struct kmsg_line *ret);

/* Parse one line of a saved log (without its newline), detecting its framing
 * line by line.  A line that is no kernel message (another program's syslog
 * line, a note of journalctl's such as "-- No entries --") gives framing
 * KF_NONE; an empty line KF_NONE too.  Strings point into
 * out (len + 1 bytes).  Returns 0, or -EINVAL for a line that cannot be a
 * kernel log line at all (binary garbage, NUL bytes, over KMSG_LINE_MAX;
 * -ENOBUFS when out_size < len + 1).  One trailing "\n" or "\r\n" is ignored.
 * A kmsg record of a facility other than 0 (written by a program) keeps
 * framing KF_KMSG with its facility; the OOM parser ignores it. */
int kmsg_parse_line(const char *line, size_t len, char *out, size_t out_size, struct kmsg_line *ret);

/* As kmsg_parse_line, for bulk reading: the message of a line the OOM parser
 * cannot care about is left empty (msg_len 0) instead of being copied, and
 * the caller has already checked that the line is text (no control bytes
 * but tab, no DEL). */
int kmsg_parse_line_lazy(const char *line, size_t len, char *out, size_t out_size, struct kmsg_line *ret);

/* True when [s, s + n) holds only text: no control byte other than a tab, no DEL. */
bool kmsg_is_text(const char *s, size_t n);

/* ---- events ---- */

enum cg_event_kind {
	EV_OOM_KILL,           /* memory-cgroup OOM victim */
	EV_GLOBAL_OOM,         /* victim of a system-wide OOM */
	EV_OOM_INVOKED,        /* "NAME invoked oom-killer": who triggered it */
	EV_PIDS_FORK_REJECTED, /* "cgroup: fork rejected by pids controller in /a/b" */
	EV_OOM_SUPPRESSED,     /* "oom_kill_process: N callbacks suppressed": N OOM reports the
				* kernel's rate limit left out (each kill still has its
				* "Killed process" line) */
	EV_FORK_STORM,         /* a group's own processes fork faster than the storm threshold
				* (the proc connector's forks, forks.h) */
	EV_FORKS_DROPPED,      /* the proc connector's receive buffer overran: fork, exec and
				* exit events were lost (count: overruns; how many events
				* the kernel does not say) */
	_EV_KIND_MAX,
};
const char *cg_event_kind_name(enum cg_event_kind k); /* "oom_kill", "global_oom", ... */

enum cg_event_source {
	EV_SRC_KMSG,
	EV_SRC_COUNTER,
	EV_SRC_PROCCONN, /* the proc connector's fork events */
};
const char *cg_event_source_name(enum cg_event_source s); /* "kmsg", "counter", "proc_connector" */

#define EV_PATH_MAX 4096
#define EV_TASK_MAX 256
#define EV_TASKS_MAX                                                                                         \
	16             /* rows of the report's task table kept (the kernel's likeliest
			      * victims: a system-wide report lists every process) */
#define EV_STAT_MAX 96 /* memory.stat keys kept (6.18 v2 prints about 70) */
#define EV_STAT_KEY 32

/* One row of the task table of an OOM report ("[  pid  ]   uid  tgid total_vm      rss ...").
 * Memory values are in the kernel's pages, as printed (converted to kB for output with the
 * event's page_kb); a column the kernel's generation does not print is -1. */
struct oom_task {
	int64_t pid, uid, tgid;
	int64_t total_vm, rss, rss_anon, rss_file, rss_shmem, swapents; /* pages */
	int64_t pgtables_bytes;                                         /* 4.15+ */
	int64_t nr_ptes, nr_pmds; /* page-table pages, 3.5 .. 4.14 (nr_pmds 4.1+) */
	int64_t oom_score_adj;    /* INT64_MIN when not printed (before 2.6.36) */
	int64_t oom_adj;          /* INT64_MIN when not printed (2.6 .. 3.4 only) */
	char name[64];
};

/* The usage, limit and failcnt of one of the group's counters in an OOM report. */
struct oom_counter {
	int64_t usage_kb, limit_kb, failcnt; /* -1 unknown */
};

struct oom_stat {
	char key[EV_STAT_KEY];
	int64_t value; /* bytes for memory sizes (the old one-line form's KB
				       * converted), else as printed (event counters) */
};

/* The kernel's own evidence printed with a kill's report (6.5 KiB: allocated apart, only for
 * the kills that have a report; the kernel's rate limit leaves most of a burst's out).  A part
 * the report did not hold is absent: n_stat 0, have_table false, counters -1. */
struct oom_evidence {
	struct oom_counter memsw, swap, kmem; /* "memory+swap:" / "kmem:" (v1), "swap:" (v2) */
	bool have_table;                      /* a task table was printed */
	unsigned tasks_total;                 /* its rows */
	unsigned n_tasks;                     /* rows kept in tasks[], largest first (rss + swap) */
	struct oom_task tasks[EV_TASKS_MAX];
	struct oom_task largest; /* by rss + swapents over every row; pid -1 none */
	int page_kb;             /* the page size the table is converted with, 0 no table */
	bool page_kb_inferred;   /* from the victim's row and its "Killed process" kB,
				       * else assumed (4 kB) */
	int victim_is_largest;   /* 1, 0, -1 unknown (no table) */
	unsigned n_stat;         /* memory.stat of the group at the kill */
	/* last: an event holds its evidence up to stat[n_stat] (oom_evidence_size) */
	struct oom_stat stat[EV_STAT_MAX];
};

/* A field added here is one the dashboard's ring of events keeps too: struct event_rec
 * (events/event-log.h), its rec_set and event_log_event (tests/unit/test-event-log.c's
 * full_event checks they give back every field). */
struct cg_event {
	enum cg_event_kind kind;
	enum cg_event_source source;
	int64_t pid;                   /* -1 unknown */
	int64_t uid;                   /* -1 unknown */
	char task[EV_TASK_MAX];        /* "" unknown; may hold spaces, commas, parentheses, UTF-8 */
	char cgroup[EV_PATH_MAX];      /* the group whose limit was hit: oom_memcg, "limit of"; for a
				       * fork rejection the group whose pids.max was reached, which
				       * the kernel's line does not name ("" unknown) */
	char task_cgroup[EV_PATH_MAX]; /* the victim's own group; the forking group of a rejection */
	char constraint[32];           /* "CONSTRAINT_MEMCG", "CONSTRAINT_NONE", ... or "" */
	int64_t anon_rss_kb, file_rss_kb, shmem_rss_kb, total_vm_kb; /* -1 unknown */
	int64_t mem_usage_kb, mem_limit_kb, mem_failcnt; /* from "memory: usage ..." lines, -1 unknown */
	int64_t oom_score_adj;                           /* -1001 unknown */
	char gfp_mask[64];                               /* oom_invoked: as printed, "" unknown */
	int order;                                       /* oom_invoked: -1 unknown */
	bool reaped;                                     /* an oom_reaper line followed */
	int64_t kernel_ts_usec; /* of the line that completed the event; -1 unknown */
	int64_t wall_sec;       /* from the framing, -1 unknown */
	uint64_t seq;           /* of that line, UINT64_MAX unknown */
	uint64_t count;         /* counter events: how many kills or rejections;
				       * oom_reports_suppressed: how many reports */
	bool update;            /* set by events.c: details a kill already reported
				       * (from the counters, or from the log without its group),
				       * not a new one */
	bool group_kill;        /* killed with its whole group (memory.oom.group) */
	bool repeat;            /* a second "Killed process" line for the victim of a
				       * memory.oom.group kill, which the kernel kills (and counts)
				       * once more with the group: not another kill */
	int64_t invoked_by_pid; /* the process whose allocation invoked the OOM killer in
				       * the same report, -1 unknown */
	char invoked_by_task[EV_TASK_MAX];
	char oom_group[EV_PATH_MAX]; /* group_kill: the group killed as a whole */
	/* fork_storm, pids_fork_rejected: the parents that forked most in the group (or below
	 * it), over the last forkers_span_usec before the event; n_top_forkers 0 unknown */
	unsigned n_top_forkers;
	struct ev_forker top_forkers[EV_FORKERS_MAX];
	int64_t forkers_span_usec;     /* -1 unknown */
	double forks_per_sec;          /* fork_storm: the group's rate; -1 unknown */
	struct oom_evidence *evidence; /* oom_kill, global_oom: from the kill's report, NULL none;
				       * owned by the event (cg_event_copy copies it,
				       * cg_event_release frees it) */
	enum cg_event_from {
		EV_FROM_NONE,      /* not known */
		EV_FROM_KERNEL,    /* named by the kernel's line */
		EV_FROM_PROCESS,   /* the victim's /proc/PID/cgroup, or the group's
				       * cgroup.procs that listed it at a recent refresh */
		EV_FROM_COUNTER,   /* the one group whose kill counter rose then */
		EV_FROM_OOM_GROUP, /* the group killed as a whole (the member is in it
				       * or below it) */
		EV_FROM_LIMITS,    /* judged from pids.current and pids.max on the path */
	} task_cgroup_from,
		cgroup_from;
};
const char *cg_event_from_name(enum cg_event_from f); /* "kernel", "process", ... */

/* The OOM parser: feed it lines in order; it calls emit once per event, the
 * victim being the process actually killed ("Killed process"), the lines of
 * one kill merged into one event.  It allocates only the evidence of a kill
 * whose report the kernel printed, freed once the kill is emitted; the event
 * given to emit, evidence included, is valid during the call only. */
typedef void (*cg_event_cb)(const struct cg_event *ev, void *userdata);
/* An event with every field unknown (kind oom_kill, source kmsg, count 1, no evidence), from
 * memory that holds no event (an event that may own evidence: cg_event_release first). */
void cg_event_init(struct cg_event *ev);
/* Copy an event (its strings by their text, not the whole buffers) into dst, an event made
 * by cg_event_init or zeroed: the evidence is copied into dst's own (its block reused), or
 * dst's freed when src has none; without memory for it dst has none. */
void cg_event_copy(struct cg_event *dst, const struct cg_event *src);
/* Frees the evidence the event owns (the event stays usable, without evidence). */
void cg_event_release(struct cg_event *ev);
/* Evidence *dst made a copy of src, as cg_event_copy copies an event's: *dst's block reused
 * when src fits, else grown (allocated when NULL; without memory for it NULL), freed when
 * src is NULL. */
void oom_evidence_assign(struct oom_evidence **dst, const struct oom_evidence *src);
/* The bytes of x up to its last memory.stat key: an event's evidence is held at that size
 * (stat[] is the struct's last member), 3 KiB a kill without a dump instead of 7. */
size_t oom_evidence_size(const struct oom_evidence *x);

struct oom_parser {
	cg_event_cb emit;
	void *userdata;
	/* pending state of the kill being reported */
	bool have_summary, have_task_in, have_usage, have_kill_line;
	struct cg_event pending;
	uint64_t lines, events;
	/* added by oom.c: */
	int64_t summary_pid;     /* pid= of the pending "oom-kill:" summary, -1 none */
	int64_t kill_pid;        /* pid of the pending old-style "Kill process N", -1 none */
	int scope;               /* evidence for the pending kill: 0 none, 1 memcg, 2 global */
	bool have_invoked;       /* an "invoked oom-killer" event waits in invoked */
	bool group_kill;         /* after "Tasks in X are going to be killed due to
				  * memory.oom.group set": members reuse last's groups */
	bool last_unfinished;    /* last was flushed before its "Killed process" line came:
				  * that line, if it comes, is not a second event */
	struct cg_event invoked; /* pending EV_OOM_INVOKED, emitted just before its kill */
	struct cg_event last;    /* the last kill emitted (without its evidence) */
	/* a finished kill is held until the next OOM line (or oom_parser_idle): a
	 * "Tasks in X are going to be killed due to memory.oom.group set" line that
	 * follows makes it the first of a group kill */
	bool have_held;
	struct cg_event held;
	char oom_group[EV_PATH_MAX]; /* the group of the group kill under way */
	/* the evidence of the report under way (from "invoked oom-killer" or "memory: usage"
	 * on), given to the kill that its summary, "Kill process" or "Killed process" line
	 * names */
	bool stage_open;
	enum { OOM_SEC_NONE, OOM_SEC_STAT, OOM_SEC_TASKS } section;
	bool stat_done;           /* the first group's stats are in (older kernels print a
				      * line for each group below the one at its limit) */
	int64_t stage_rank_pages; /* the memory cgroup's limit in pages, for ranking rows as
				      * the kernel's badness does; -1 unknown */
	unsigned ncols;
	unsigned char cols[24]; /* the task table's columns, from its header */
	struct oom_evidence stage;
	int64_t group_victim_pid; /* its first victim, -1 none */
	int64_t group_ts_usec;    /* kernel time of its "Tasks in" line, -1 unknown */
};

void oom_parser_init(struct oom_parser *p, cg_event_cb emit, void *userdata);
/* Frees what a kill not emitted yet holds (oom_parser_flush emits it instead). */
void oom_parser_done(struct oom_parser *p);
void oom_parser_feed(struct oom_parser *p, const struct kmsg_line *l);
/* End of input, or a pause in a live stream: emit what is pending. */
void oom_parser_flush(struct oom_parser *p);
/* The live log is drained for now: emit a finished kill held back for a
 * memory.oom.group line (the kernel prints that line right after the first
 * victim's, so it is read in the same batch). */
void oom_parser_idle(struct oom_parser *p);

#endif
