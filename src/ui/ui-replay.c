/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-replay.c - the dashboard on a recording (cgtop --replay FILE): the data
 * source is the recording instead of the sampler.  The sample times are read
 * once; a cursor points at one of them, and each move loads that sample into
 * the tree kept from step to step (record-load.c: groups gone are removed,
 * the rest keep their dashboard state), the events at or before it into the
 * log (those since the sample before are new, the older ones before it), and
 * the history of the detail view's group up to it.  Time stands still: the
 * keys move the cursor (as atop -r).  Nothing of the live host is read (no
 * sampler tick, no kernel log, no proc connector) and nothing is changed:
 * the actions are refused.
 */
#include <errno.h>
#include <math.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/macro.h"
#include "base/parse.h"
#include "base/units.h"
#include "record/record-load.h"
#include "ui/ui-curses.h"
#include "ui/ui.h"

void ui_replay_when(const struct ui *ui, double t, char *buf, size_t size)
{
	time_t s = (time_t)units_floor(t);
	struct tm tm;

	(void)ui;
	localtime_r(&s, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
}

/* The last sample at or before t (the first when t is before them all). */
static size_t tick_at(const struct ui_replay *rp, double t)
{
	size_t lo = 0, hi = rp->n; /* the first tick > t is in [lo, hi] */

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rp->ticks[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : 0;
}

/* The first sample at or after t (the last when t is after them all). */
static size_t tick_from(const struct ui_replay *rp, double t)
{
	size_t i = tick_at(rp, t);

	if (rp->ticks[i] < t && i + 1 < rp->n)
		i++;
	return i;
}

int ui_replay_open(struct ui *ui)
{
	const struct config *cfg = ui->cfg;
	struct ui_replay *rp = xcalloc(1, sizeof(*rp));

	ui->replay = rp;
	if (rec_load_open(cfg->replay_file, cfg->path, "--replay", &rp->l) < 0)
		return EXIT_RUNTIME;
	if (rec_load_ticks(rp->l, -INFINITY, INFINITY, &rp->ticks, &rp->n) < 0)
		return EXIT_RUNTIME;
	if (!rp->n) {
		fprintf(stderr, "cgtop: the recording %s has no samples\n", cfg->replay_file);
		return EXIT_RUNTIME;
	}
	rp->cur = rp->n - 1;
	if (cfg->replay_at) {
		double t;
		/* as the T prompt: relative to the last sample, a clock time
		 * the last one at or before it */
		if (parse_time(cfg->replay_at, rp->ticks[rp->n - 1], rp->ticks[rp->n - 1], &t) < 0) {
			fprintf(stderr, "cgtop: invalid time (--at): '%s'\n", cfg->replay_at);
			return EXIT_USAGE;
		}
		rp->cur = tick_at(rp, t);
	}
	if (cg_tree_open_empty(&ui->tree, rp->l->top, cfg->depth) < 0) {
		fprintf(stderr, "cgtop: the path %s is too long\n", rp->l->top);
		return EXIT_RUNTIME;
	}
	snprintf(ui->hostname, sizeof(ui->hostname), "%s", rp->l->host[0] ? rp->l->host : "?");
	snprintf(ui->kernel, sizeof(ui->kernel), "%s", rp->l->kernel[0] ? rp->l->kernel : "?");
	snprintf(rp->mode, sizeof(rp->mode), "%s", rp->l->mode);
	ui->host_cpu_pct = -1;
	if (rp->l->interval > 0)
		ui->interval_usec = (uint64_t)(rp->l->interval * 1e6);
	return 0;
}

void ui_replay_close(struct ui *ui)
{
	if (!ui->replay)
		return;
	rec_load_close(ui->replay->l);
	free(ui->replay->ticks);
	free(ui->replay);
	ui->replay = NULL;
}

/* ---- loading ---- */

struct ev_load {
	struct ui *ui;
	double before; /* events at or before it are from before this step */
};

static void on_event(const struct cg_event *ev, double time, void *data)
{
	struct ev_load *el = data;

	el->ui->loading_backlog = time <= el->before;
	ui_events_add(el->ui, ev, time);
	el->ui->loading_backlog = false;
}

/* the rows of one group, in time order: the last UI_HIST_LEN + 1 */
struct hist_row {
	double time, last_seen, cpu;
	uint64_t mem;
	bool has_cpu, has_mem;
};
struct hist_load {
	struct hist_row rows[UI_HIST_LEN + 1];
	unsigned n;
};

static void on_row(double time, const double *cpu, const uint64_t *mem, double last_seen, void *data)
{
	struct hist_load *hl = data;
	struct hist_row *r;

	if (hl->n == ARRAY_SIZE(hl->rows)) {
		memmove(hl->rows, hl->rows + 1, sizeof(hl->rows) - sizeof(hl->rows[0]));
		hl->n--;
	}
	r = &hl->rows[hl->n++];
	r->time = time;
	r->last_seen = last_seen;
	r->has_cpu = cpu != NULL;
	r->cpu = cpu ? *cpu : 0;
	r->has_mem = mem != NULL;
	r->mem = mem ? *mem : 0;
}

/* Push the values of group n at the sample times ticks[0..n_ticks) of
 * recording l on h, from its rows (a group's row holds until its next one,
 * while the group is there).  0 or -EIO. */
static int push_recorded(struct rec_load *l, const struct cg_node *n, const double *ticks, size_t n_ticks,
			 struct ui_history *h)
{
	struct hist_load *hl;
	int r;

	if (!n_ticks)
		return 0;
	hl = xcalloc(1, sizeof(*hl));
	r = rec_load_history(l, n->path, ticks[0], ticks[n_ticks - 1], on_row, hl);
	for (size_t i = 0, k = 0; r == 0 && i < n_ticks; i++) {
		double t = ticks[i];
		while (k + 1 < hl->n && hl->rows[k + 1].time <= t)
			k++;
		const struct hist_row *row = k < hl->n && hl->rows[k].time <= t ? &hl->rows[k] : NULL;
		if (row && row->last_seen >= 0 && row->last_seen < t)
			row = NULL; /* the group was gone then */
		ui_history_push(h, row && row->has_cpu ? &row->cpu : NULL,
				row && row->has_mem ? &row->mem : NULL);
	}
	free(hl);
	return r;
}

/* The sparklines of the detail view's group: its values at the last
 * UI_HIST_LEN samples up to the cursor. */
static void history(struct ui *ui, struct cg_node *n)
{
	struct ui_replay *rp = ui->replay;
	size_t first = rp->cur + 1 > UI_HIST_LEN ? rp->cur + 1 - UI_HIST_LEN : 0;

	if (push_recorded(rp->l, n, rp->ticks + first, rp->cur + 1 - first, ui_history_reset(n)) < 0)
		ui_set_status(ui, true, "cannot read the history of %.200s", n->path);
}

int ui_history_file_open(struct ui *ui)
{
	const char *file = ui->cfg->history_file;

	if (!file) {
		/* the recorder's file, when it runs here and cgtop may read it */
		if (access(CGTOP_HISTORY_DEFAULT, R_OK) < 0)
			return 0;
		file = CGTOP_HISTORY_DEFAULT;
	}
	if (rec_load_open(file, "/", "--history-file", &ui->history) < 0) {
		ui->history = NULL;
		return ui->cfg->history_file ? EXIT_RUNTIME : 0; /* the default's line said why */
	}
	return 0;
}

void ui_history_backfill(struct ui *ui, struct cg_node *n)
{
	struct ui_node *un = ui_node_get(n);
	struct ui_history *h, live;
	double *ticks = NULL, oldest;
	size_t n_ticks = 0, room;

	if (!ui->history || ui->replay || (un->hist && un->hist->backfilled))
		return;
	h = un->hist ? un->hist : ui_history_reset(n);
	h->backfilled = true;
	room = UI_HIST_LEN - h->n;
	if (!room)
		return;
	/* the recorded samples before the oldest one of the live history */
	oldest = ui->s.wall - (double)(h->n ? h->n - 1 : 0) * (double)ui->interval_usec / 1e6;
	if (rec_load_ticks_last(ui->history, oldest - 1e-3, room, &ticks, &n_ticks) < 0 || !n_ticks) {
		free(ticks);
		return;
	}
	live = *h;
	ui_history_reset(n);
	if (push_recorded(ui->history, n, ticks, n_ticks, h) < 0)
		ui_set_status(ui, true, "cannot read the history of %.200s", n->path);
	for (unsigned i = 0; i < live.n; i++) {
		unsigned idx = (live.head + UI_HIST_LEN - live.n + i) % UI_HIST_LEN;
		double cpu = live.cpu_centi[idx] / 100.0;
		uint64_t mem = (uint64_t)live.mem_kib[idx] * 1024;
		ui_history_push(h, live.cpu_centi[idx] == UINT16_MAX ? NULL : &cpu,
				live.mem_kib[idx] == UINT32_MAX ? NULL : &mem);
	}
	h->backfilled = true;
	free(ticks);
}

void ui_replay_load(struct ui *ui)
{
	struct ui_replay *rp = ui->replay;
	double t = rp->ticks[rp->cur];
	int r;

	ui->s.wall = t;
	ui->s.iteration++;
	r = rec_load_tree(rp->l, &ui->tree, t, true);
	if (r < 0) {
		ui_set_status(ui, true, "cannot read the recording at %.0f: %s", t,
			      r == -EIO ? "an SQLite error" : strerror(-r));
		return;
	}
	/* the events up to the cursor, as if the dashboard had run until then;
	 * the same as loaded when none is new and none is in this sample (their
	 * evidence is read from JSON: not again at each step) */
	double prev = rp->cur ? rp->ticks[rp->cur - 1] : -INFINITY, newest = -INFINITY;
	int64_t rowid = -1;
	r = rec_load_event_newest(rp->l, t, &newest, &rowid);
	if (r >= 0 && rp->ev_kept && newest <= prev && newest == rp->ev_time && rowid == rp->ev_rowid &&
	    rp->ev_nodes == ui->tree.n_nodes && rp->ev_nodes_freed == rp->nodes_freed)
		goto events_done;
	rp->ev_kept = r >= 0 && newest <= prev;
	rp->ev_time = newest;
	rp->ev_rowid = rowid;
	rp->ev_nodes = ui->tree.n_nodes;
	rp->ev_nodes_freed = rp->nodes_freed;
	event_log_free(&ui->log);
	ui->log.oom_kills = ui->log.fork_rejections = 0;
	ui->log.oom_kills_before = ui->log.fork_rejections_before = 0;
	for (struct cg_node *n = ui->tree.root; n; n = cg_tree_next(&ui->tree, n)) {
		struct ui_node *un = n->ui;
		if (un) {
			un->n_events = un->n_events_before = 0;
			un->flash_until_usec = 0;
		}
	}
	struct ev_load el = { .ui = ui, .before = prev };
	if (rec_load_events(rp->l, t, UI_EVENTS_MAX, on_event, &el) < 0) {
		rp->ev_kept = false;
		ui_set_status(ui, true, "cannot read the events of the recording");
	}
events_done:
	if (ui->ev_sel >= ui->log.n)
		ui->ev_sel = ui->log.n ? ui->log.n - 1 : 0;
	if (ui->detail)
		history(ui, ui->detail);
}

/* ---- keys ---- */

static int move_to(struct ui *ui, size_t i, const char *what)
{
	struct ui_replay *rp = ui->replay;
	char when[32];

	if (i == rp->cur) {
		ui_set_status(ui, false, "%s: no sample %s", what,
			      i == 0           ? "before the first"
			      : i + 1 == rp->n ? "after the last"
					       : "there");
		return UI_HANDLED | UI_REDRAW;
	}
	rp->cur = i;
	ui_replay_when(ui, rp->ticks[i], when, sizeof(when));
	ui_set_status(ui, false, "%s: %s (sample %zu of %zu)", what, when, i + 1, rp->n);
	return UI_HANDLED | UI_RESAMPLE | UI_REDRAW;
}

/* by seconds: to the last sample at or before the cursor + by (forward: the
 * first at or after it), at least one sample */
static int jump(struct ui *ui, double by, const char *what)
{
	struct ui_replay *rp = ui->replay;
	double t = rp->ticks[rp->cur] + by;
	size_t i = by < 0 ? tick_at(rp, t) : tick_from(rp, t);

	if (by < 0 && i == rp->cur && i > 0)
		i--;
	if (by > 0 && i == rp->cur && i + 1 < rp->n)
		i++;
	return move_to(ui, i, what);
}

static int event(struct ui *ui, bool next)
{
	struct ui_replay *rp = ui->replay;
	/* the sample shows what happened since the one before: the previous
	 * event is one before that interval, the next one after the sample */
	double from = next ? rp->ticks[rp->cur] : rp->cur ? rp->ticks[rp->cur - 1] : -INFINITY, t;
	int r = isinf(from) ? 0 : rec_load_event_near(rp->l, from, next, &t);

	if (r < 0) {
		ui_set_status(ui, true, "cannot read the events of the recording");
		return UI_HANDLED | UI_REDRAW;
	}
	if (r == 0) {
		ui_set_status(ui, false, "no %s OOM kill or fork rejection in the recording",
			      next ? "later" : "earlier");
		return UI_HANDLED | UI_REDRAW;
	}
	/* the event's sample: the first at or after it */
	return move_to(ui, tick_from(rp, t), next ? "next event" : "previous event");
}

static void time_done(struct ui *ui, const char *text, void *data)
{
	struct ui_replay *rp = ui->replay;
	double t;

	(void)data;
	if (!text || !text[0]) {
		ui_set_status(ui, false, "cancelled");
		return;
	}
	/* relative times from the cursor; a clock time on the day of the last
	 * sample (or the day before, when that is after it) */
	if (parse_time(text, rp->ticks[rp->cur], rp->ticks[rp->n - 1], &t) < 0) {
		ui_set_status(ui, true, "invalid time '%.100s': want 12:03, -10m, 2026-12-05T12:03 or @EPOCH",
			      text);
		return;
	}
	ui->dirty |= move_to(ui, tick_at(rp, t), "time");
}

int ui_replay_key(struct ui *ui, int key)
{
	switch (key) {
	case '[':
		return move_to(ui, ui->replay->cur ? ui->replay->cur - 1 : 0, "back a sample");
	case ']':
		return move_to(ui,
			       ui->replay->cur + 1 < ui->replay->n ? ui->replay->cur + 1 : ui->replay->cur,
			       "forward a sample");
	case '{':
		return jump(ui, -60, "back a minute");
	case '}':
		return jump(ui, 60, "forward a minute");
	case '(':
		return jump(ui, -3600, "back an hour");
	case ')':
		return jump(ui, 3600, "forward an hour");
	case ',':
		return event(ui, false);
	case '.':
		return event(ui, true);
	case 'T':
		ui_prompt(ui, "go to TIME (12:03, -10m from the cursor, 2026-12-05T12:03, @EPOCH): ", "",
			  time_done, NULL);
		return UI_HANDLED | UI_REDRAW;
	case 'd':
		ui_set_status(ui, false,
			      "replay: time stands still ([ ] a sample, { } a minute, ( ) an hour)");
		return UI_HANDLED | UI_REDRAW;
	case 'm':
	case 'p':
	case 'a':
	case 'f':
	case 'K':
	case KEY_F(9):
		ui_set_status(ui, true, "replay: actions that change the kernel are off on a recording");
		return UI_HANDLED | UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
}
