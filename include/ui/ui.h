/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui.h - the dashboard: one poll loop (ui.c) over the keyboard, /dev/kmsg, a
 * signalfd and the refresh timer; views as ops tables (view-*.c); the rows of
 * the table rebuilt from the tree each refresh while expanded, selected and
 * highlighted state stays on the groups (struct ui_node on cg_node->ui).
 *
 * Views never open files: numbers come from the sampler, events from the
 * events tracker, processes from proclist.c, actions from actions.c.
 *
 * Who writes what:
 *   ui.c          init/teardown, the loop, signals, key dispatch
 *   ui-draw.c     the drawing toolkit (struct draw): status line, prompt, colours, bars, text
 *   ui-status.c   the status line: messages, prompts and their callbacks, key hints
 *   ui-header.c   the header (host, kernel, mode, controllers, bars, events, kmsg state)
 *   ui-rows.c     the row model: tree/flat, collapse, filter, sort, selection
 *   view-tree.c   the table, its keys and mouse
 *   view-help.c   the help screen
 *   view-detail.c one group: limits, memory.stat bars, sparklines, processes, its events
 *   view-events.c the events pane under the table and the full event log (e)
 *   ui-history.c  per-group CPU and memory history for the sparklines
 *   ui-replay.c   the dashboard on a recording: the cursor, its keys, the loading
 *   ui-actions.c  m p a f K: prompts and confirmations around actions.c
 *   rc.c          $XDG_CONFIG_HOME/cgtop/cgtoprc
 */
#ifndef CGTOP_UI_H
#define CGTOP_UI_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "events/events.h"
#include "events/event-log.h"
#include "options.h"
#include "sample/sampler.h"
#include "ui/dashboard.h"
#include "base/signals.h"
#include "ui/ui-draw.h"

/* What a key handler did (htop HandlerResult). */
enum ui_result {
	UI_UNHANDLED = 0,
	UI_HANDLED = 1 << 0,
	UI_REDRAW = 1 << 1,   /* draw again */
	UI_REBUILD = 1 << 2,  /* rebuild the rows (sort, filter, collapse changed) */
	UI_RESAMPLE = 1 << 3, /* sample now (a limit was changed) */
	UI_QUIT = 1 << 4,
};

struct ui;
/* A prompt's answer: the text, or NULL when cancelled (Esc; any key but y to
 * a question). */
typedef void (*ui_prompt_cb)(struct ui *ui, const char *text, void *data);

#define UI_HIST_LEN 180 /* samples of history per group (3 minutes at 1 s) */

/* Per-group history (ui-history.c): a ring of samples, no allocation once made. */
struct ui_history {
	uint16_t cpu_centi[UI_HIST_LEN]; /* CPU % * 100 (capped), UINT16_MAX none */
	uint32_t mem_kib[UI_HIST_LEN];   /* memory.current in KiB, UINT32_MAX none */
	uint16_t head, n;
	bool backfilled; /* the samples before start were looked for in a recording */
};

/* Dashboard state of one group, on cg_node->ui. */
struct ui_node {
	bool collapsed;            /* tree: children hidden */
	bool matched;              /* filter: the group or a descendant matches */
	uint64_t flash_until_usec; /* monotonic: highlight until then.  view-events.c sets it
				      * to now + 10 s on an OOM kill or fork rejection of the
				      * group; the table (view-tree.c) draws such a row in
				      * UC_FLASH and with a visible '!' marker (monochrome too) */
	uint32_t n_events;         /* OOM kills and rejections seen since start */
	uint32_t n_events_before;  /* ... and in the kernel log from before start */
	struct ui_history *hist;   /* allocated on first sample; NULL before (ui_node_free frees it) */
};

/* 16 bytes a row, a row per group shown (a mask of the ancestors that are
 * last children took 24: ui_row_last_mask() gives it for a drawn row) */
struct ui_row {
	struct cg_node *node;
	uint16_t depth; /* below the shown root, for indentation */
	bool has_children;
	bool last; /* the last of its shown siblings (tree lines) */
};

struct ui;

struct view_ops {
	const char *name;
	void (*enter)(struct ui *ui);
	void (*leave)(struct ui *ui);
	/* draw into lines [y, y + h) of the screen (ui.c draws the status line,
	 * the last line, itself: views get the lines above it) */
	void (*draw)(struct ui *ui, int y, int h);
	int (*key)(struct ui *ui, int key); /* enum ui_result bits */
};
/* Key order: the table gets the global keys first;
 * the detail view and the event log get a key BEFORE the global keys and the
 * actions (their q, Esc and Left go back to the table, they do not quit), and
 * only what they leave UI_UNHANDLED goes on (h, F10, d, t, ...); a key no one
 * takes gets "unknown key: h for help" in the status line. */

extern const struct view_ops view_tree, view_help, view_detail, view_events, view_incident;

/* The dashboard on a recording (cgtop --replay FILE, ui-replay.c): the
 * sample times and the cursor; the tree holds the sample at the cursor. */
struct rec_load;
struct ui_replay {
	struct rec_load *l;
	double *ticks; /* every sample time, in order */
	size_t n, cur;
	char mode[16]; /* the cgroup mode recorded */
	/* the events loaded, kept while the newest one up to the cursor is the
	 * same, all of them before the sample, and the tree kept its nodes */
	bool ev_kept;
	double ev_time;
	int64_t ev_rowid;
	unsigned ev_nodes;
	uint64_t nodes_freed, ev_nodes_freed;
};

struct ui {
	const struct config *cfg;
	struct ui_replay *replay;  /* NULL: live */
	struct recorder *recorder; /* live with --record: each sample stored (record.h) */
	struct rec_load *history;  /* live: a recording the detail view's past comes from */
	struct cg_tree tree;
	struct sampler s;
	struct events ev;
	bool events_on;
	struct forks *forks; /* the proc connector (forks.h), allocated at start */

	/* settings (cgtoprc, then the command line) */
	bool col_sel[_COL_MAX];
	unsigned col_order[_COL_MAX], n_cols;
	int sort_col; /* enum col_id or SORT_NAME */
	bool sort_desc;
	bool flat;
	bool tasks_own;  /* Tasks and Threads of the group itself (r), not its subtree */
	bool show_names; /* n: the first column shows names people use (names.h), not paths */
	uint64_t interval_usec;
	bool readonly;
	struct draw draw; /* the toolkit's: colours, UTF-8, the status line's message and prompt */

	/* the rows of the table */
	struct ui_row *rows;
	unsigned n_rows, rows_size;
	struct cg_node *sel;      /* the selection follows its group */
	unsigned sel_idx, scroll; /* index of sel in rows, first row shown */
	char filter[256];         /* substring of the path; "" none */
	bool filter_editing;
	char search[256];    /* F3: the text being searched for */
	bool search_editing; /* the search prompt is open */
	bool search_failed;  /* no row matches the search text */
	bool sel_name_cut;   /* the last draw shortened the selected row's name */

	/* views */
	const struct view_ops *view; /* the full-screen view */
	const struct view_ops *prev_view;
	struct cg_node *detail; /* the group of the detail view */
	int detail_scroll;
	bool show_events_pane; /* the events pane under the table; true at start (ui.c) */

	/* events (view-events.c feeds the model, event-log.h) */
	struct event_log log;
	unsigned ev_sel, ev_scroll; /* the event log's selection */
	/* the kernel log's backlog, loaded at start (ui.c): its events are marked
	 * before_start and counted apart */
	bool loading_backlog;
	struct ui_incident *incident; /* the event the incident view shows (view-incident.c) */

	/* the status line (ui-status.c; its message and prompt text in draw) */
	bool sticky_status;       /* the watched command's fate: stays until q */
	ui_prompt_cb prompt_done; /* what the open prompt is for */
	void *prompt_data;
	int action_key;             /* the action whose prompt is open (ui-actions.c) */
	char action_path[PATH_MAX]; /* and its group, found again by path when answered */

	/* the loop */
	struct signals sig;
	uint64_t next_sample_usec;
	uint64_t now_usec;
	unsigned dirty; /* enum ui_result bits pending */
	bool quit;
	int exit_status;
	char fatal[256]; /* why the dashboard cannot go on (ui_fatal); ui_main says it */
	int lines, cols;
	struct ui_watch *watch;

	/* header facts read once at start */
	char hostname[64];
	char kernel[64];
	uint64_t mem_total;        /* bytes, from /proc/meminfo */
	double host_cpu_pct;       /* whole host, from /proc/stat, -1 unknown */
	uint64_t host_mem_used;    /* MemTotal - MemAvailable */
	uint64_t host_cpu_prev[2]; /* busy, total jiffies */

	/* filled by ui.c and ui-rows.c */
	unsigned n_groups;          /* groups under the root, counted by ui_rows_build */
	char sticky_msg[512];       /* the watched command's fate, shown when no newer message is */
	struct ui_sortent *sortbuf; /* ui-rows.c scratch: children being sorted (grow-only) */
	unsigned sortbuf_size;
	bool rows_stale; /* a node was freed: rows hold dangling pointers until rebuilt */
	bool want_stale; /* a row came into view whose lazy files the last sample skipped */
};

/* ---- ui-status.c ---- */
/* A message in the status line for a few seconds (error: in the error colour). */
void ui_set_status(struct ui *ui, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void ui_prompt(struct ui *ui, const char *label, const char *initial, ui_prompt_cb done, void *data);
void ui_confirm(struct ui *ui, const char *question, ui_prompt_cb done, void *data); /* text "y" or NULL */
/* A key while the prompt is open: edits it, Enter or Esc ends it (done()
 * called).  Returns enum ui_result bits. */
int ui_prompt_key(struct ui *ui, int key);
/* The last line: the prompt, a message, the watched command's fate, the
 * selected group's whole name or the key hints. */
void ui_draw_status(struct ui *ui, int y);

/* The toolkit with the dashboard's drawing state. */
static inline int ui_color(const struct ui *ui, enum ui_color c)
{
	return draw_color(&ui->draw, c);
}
static inline void ui_draw_bar(const struct ui *ui, int y, int x, int w, double frac)
{
	draw_bar(&ui->draw, y, x, w, frac);
}
static inline bool ui_put_ellipsized(const struct ui *ui, int y, int x, int w, const char *s, int start_pct)
{
	return draw_put_ellipsized(&ui->draw, y, x, w, s, start_pct);
}

/* How the two groups of events are named: live, since cgtop started and from
 * the kernel log before; in a replay, since the sample before the cursor and
 * before that. */
#define UI_SINCE(ui) ((ui)->replay ? "in this sample" : "since start")
#define UI_BEFORE(ui) ((ui)->replay ? "before this sample" : "before start")

/* ---- ui.c ---- */
void ui_switch_view(struct ui *ui, const struct view_ops *v);

/* What is read for whom (sampler.h): the rows on the screen and the detail
 * view's group (with their ancestors) every file, every refresh; every group
 * the sort column (and, when the kernel log cannot be read, the OOM and
 * fork-rejection counters) every refresh, and those counters in a round
 * robin over 30 s.  A row that scrolls into view is read at once.  Call after
 * a change of sort, delay or view. */
void ui_sampling_plan(struct ui *ui);
/* Mark a group (and its ancestors) as on the screen for this redraw. */
void ui_want_node(struct ui *ui, struct cg_node *n);

/* ---- view-tree.c ---- */
/* F3, htop's search: select the first row from the selection (next: after
 * it), wrapping, whose shown name contains ui->search (any case). */
void ui_search(struct ui *ui, bool next);

/* ---- ui-header.c ---- */
int ui_header_height(const struct ui *ui);
void ui_header_draw(struct ui *ui, int y, int h);
void ui_header_sample(struct ui *ui); /* host CPU and memory, each refresh */

/* ---- ui-rows.c ---- */
void ui_rows_build(struct ui *ui); /* rows from the tree: filter, collapse, sort */
void ui_rows_free(struct ui *ui);
/* The tree lines' mask of row idx (bit d: its ancestor at depth d, or itself
 * at its depth, is a last child).  From above, the mask of row idx - 1, when
 * from_above (rows drawn top down), else by going back through the rows to
 * its ancestors. */
uint64_t ui_row_last_mask(const struct ui *ui, unsigned idx, bool from_above, uint64_t above);
struct ui_node *ui_node_get(struct cg_node *n);        /* creates the state on first use */
void ui_node_free(struct cg_node *n, void *userdata);  /* cg_tree.on_free */
void ui_select_node(struct ui *ui, struct cg_node *n); /* select, expanding its ancestors */
/* value of column c (or SORT_NAME) for sorting; false when not valid */
bool ui_sort_value(const struct ui *ui, const struct cg_node *n, int c, double *ret);
/* Sort keys: the letter that sorts by column c (or SORT_NAME), 0 none; the column a key sorts by, -2 none. */
int ui_sort_letter(int c);
int ui_sort_col_of_key(int key);
/* Sort by column c (SORT_NAME or enum col_id): numbers descending, the name ascending. */
void ui_set_sort(struct ui *ui, int c);

/* ---- ui-history.c ---- */
void ui_history_sample(struct ui *ui); /* after each sample: push CPU and memory of every group */
/* The history of n anew (replay: rebuilt from the recording at each step),
 * and one sample pushed on it (NULL: none). */
struct ui_history *ui_history_reset(struct cg_node *n);
void ui_history_push(struct ui_history *h, const double *cpu_percent, const uint64_t *mem_bytes);
/* Draw a sparkline of the last w samples at y, x; which: 0 CPU, 1 memory. */
void ui_history_draw(struct ui *ui, const struct cg_node *n, int which, int y, int x, int w);

/* ---- view-events.c ---- */
void ui_events_add(struct ui *ui, const struct cg_event *ev, double time); /* the events emit callback */
int ui_events_pane_height(const struct ui *ui);
void ui_events_pane_draw(struct ui *ui, int y, int h);
void ui_events_node_freed(struct ui *ui, struct cg_node *n);
/* The table's keys for events: 'e' opens the event log, i the newest event as an
 * incident, Tab toggles the pane.
 * view-tree.c calls it for those keys; UI_UNHANDLED for any other key. */
int ui_events_key(struct ui *ui, int key);
void ui_events_free(struct ui *ui); /* teardown: the ring */
/* The incident view of event e (a copy); Esc goes back to view back. */
void ui_incident_open(struct ui *ui, const struct ui_event *e, const struct view_ops *back);
void ui_incident_free(struct ui *ui);
/* One line: time, kind, source, pid, task, RSS at the kill[, group]; a group path
 * too long for width columns (0: no limit) is shortened from its start. */
void ui_event_format(const struct ui_event *e, bool with_group, int width, char *out, size_t size);
/* Since when the kernel log reaches back ("boot", or "HH:MM" of its oldest record), for
 * the counts of before start. */
const char *ui_events_log_start(const struct ui *ui, char *buf, size_t size);

/* ---- ui-replay.c ---- */
/* Open cfg->replay_file, the tree of its top and the cursor (--at, else the
 * last sample): 0, or an exit status after one line. */
int ui_replay_open(struct ui *ui);
void ui_replay_close(struct ui *ui);
/* The sample at the cursor into the tree, the events up to it into the log,
 * the detail view's group's history up to it. */
void ui_replay_load(struct ui *ui);
/* [ ] { } ( ) , . T: move the cursor; d and the actions: refused.
 * UI_UNHANDLED for other keys. */
int ui_replay_key(struct ui *ui, int key);
/* Live: open the recording the detail view's history before start comes
 * from, --history-file or the recorder's default file when there.  0, or an
 * exit status after one line (a --history-file that cannot be read). */
int ui_history_file_open(struct ui *ui);
/* Live: put the samples of group n recorded before start in front of its
 * history, once per group (the detail view, as it opens on n). */
void ui_history_backfill(struct ui *ui, struct cg_node *n);
/* The time of the sample at the cursor as "2026-12-05 12:03:00" (local). */
void ui_replay_when(const struct ui *ui, double t, char *buf, size_t size);

/* ---- ui-actions.c ---- */
int ui_action_key(struct ui *ui, int key); /* m p a f K on ui->sel; UI_UNHANDLED for other keys */

#endif
