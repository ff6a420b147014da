/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui.c - the dashboard's loop: settings (cgtoprc, then the command line), the
 * tree, sampler and events tracker, curses set-up and teardown, and one poll()
 * over the keyboard, /dev/kmsg, a signalfd, a watched command's pidfd and the
 * refresh timer.  Each turn drains signals, drains the kernel log (bounded),
 * reads every pending key (answering at once), samples when due and redraws
 * once if anything changed.  What it draws with (the status line, the
 * prompt, colours, bars, cells) is the toolkit of ui-draw.c.
 */
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "names/names.h"
#include "record/record-load.h"
#include "record/record.h"
#include "sample/forks.h"
#include "base/macro.h"
#include "base/parse.h"
#include "ui/rc.h"
#include "ui/ui-curses.h"
#include "ui/ui.h"
#include "base/units.h"
#include "base/utf8.h"
#include "base/clock.h"

#define KMSG_BATCH 256

/* the dashboard's default columns (--columns and cgtoprc change them) */
static const enum col_id dash_default_cols[] = {
	COL_TASKS, COL_CPU,  COL_THROTTLE,   COL_MEMORY,        COL_MEM_LIMIT, COL_MEM_PCT,  COL_FAILCNT,
	COL_OOM,   COL_PIDS, COL_PIDS_LIMIT, COL_PIDS_REJECTED, COL_IO_READ,   COL_IO_WRITE, COL_PSI,
};

static bool curses_on;

/* ---- views ------------------------------------------------------------------ */

void ui_switch_view(struct ui *ui, const struct view_ops *v)
{
	if (!v || v == ui->view)
		return;
	if (ui->view && ui->view->leave)
		ui->view->leave(ui);
	ui->prev_view = ui->view;
	ui->view = v;
	if (v->enter)
		v->enter(ui);
	ui->dirty |= UI_REDRAW;
}

void ui_sampling_plan(struct ui *ui)
{
	unsigned hot = 0;

	if (!ui->s.tree || ui->replay)
		return; /* settings before the sampler exists; a recording has every value */
	if (ui->recorder) {
		/* what is recorded is every value of every group, each sample */
		ui->s.needs |= record_needs();
		ui->s.lazy_needs = ui->s.rr_needs = 0;
		return;
	}
	if (ui->sort_col >= 0 && ui->sort_col < _COL_MAX) {
		unsigned sn = column_cell_needs((enum col_id)ui->sort_col);
		if (sn & NEED_PSI)
			sn = (sn & ~NEED_PSI) | NEED_PSI_MEM;
		if ((sn & ui->s.lazy_needs) || (sn & ~ui->s.needs))
			ui->s.full_next = true; /* off-screen groups' sort values are old */
		ui->s.needs |= sn;
		hot |= sn;
	}
	if (!ui->ev.kmsg_open)
		hot |= NEED_EVENTS; /* the counters are all there is */
	/* a row's subtree count needs the own count of every group below it */
	unsigned sub = 0;
	if (!ui->tasks_own && ui->col_sel[COL_TASKS])
		sub |= NEED_TASKS;
	if (!ui->tasks_own && ui->col_sel[COL_THREADS])
		sub |= NEED_THREADS;
	if ((sub & ui->s.lazy_needs) || (sub & ~ui->s.needs))
		ui->s.full_next = true;
	ui->s.needs |= sub;
	hot |= sub;
	ui->s.lazy_needs = NEED_ALL & ~hot;
	/* the round robin keeps the OOM and fork-rejection counters of groups
	 * off the screen reconciled (kills the rate-limited kernel log left out) */
	ui->s.rr_needs = NEED_EVENTS;
	uint64_t period = 30000000 / (ui->interval_usec ? ui->interval_usec : 1);
	ui->s.lazy_period = period > 1 ? (unsigned)period : 1;
	if (ui->s.full_next)
		ui->dirty |= UI_RESAMPLE;
}

/* The detail view's group and everything below it: its subtree counts are
 * summed from them. */
static void want_subtree(struct ui *ui, struct cg_node *n)
{
	for (struct cg_node *c = n->children; c; c = c->next) {
		c->want_gen = cg_count32(ui->s.want_gen);
		if (c->full_iter != cg_count32(ui->s.iteration))
			ui->want_stale = true;
		want_subtree(ui, c);
	}
}

void ui_want_node(struct ui *ui, struct cg_node *n)
{
	uint32_t g = cg_count32(ui->s.want_gen);

	for (; n && n->want_gen != g; n = n->parent) {
		n->want_gen = g;
		if (n->full_iter != cg_count32(ui->s.iteration))
			ui->want_stale = true;
	}
}

static void redraw_once(struct ui *ui);

static void redraw(struct ui *ui)
{
	ui->s.want_gen++;
	ui->want_stale = false;
	if (ui->detail)
		ui_want_node(ui, ui->detail);
	if (ui->detail && ui->view == &view_detail)
		want_subtree(ui, ui->detail);
	redraw_once(ui);
	/* rows that came into view: read what the last sample skipped for them,
	 * then draw again (only on scrolling, never in the steady state) */
	if (ui->want_stale && ui->s.lazy_needs && !ui->replay && sampler_refresh_wanted(&ui->s)) {
		ui->want_stale = false;
		redraw_once(ui);
	}
}

static void redraw_once(struct ui *ui)
{
	erase();
	ui->lines = LINES;
	ui->cols = COLS;
	if (LINES < 5 || COLS < 20) {
		static const char msg[] = "terminal too small";
		mvaddnstr(0, 0, msg, COLS);
		curs_set(0);
	} else {
		ui->view->draw(ui, 0, LINES - 1);
		ui_draw_status(ui, LINES - 1);
	}
	if (ui->draw.prompt.active && LINES >= 5 && COLS >= 20) {
		/* the cursor at the end of the prompt */
		int x = (int)strlen(ui->draw.prompt.label) + (int)ui->draw.prompt.len;
		move(LINES - 1, x < COLS - 1 ? x : COLS - 1);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

/* ---- fatal errors ------------------------------------------------------------ */

static void restore_terminal(void)
{
	if (curses_on) {
		endwin();
		curses_on = false;
	}
}

/* The dashboard cannot go on: the loop ends, and ui_main restores the
 * terminal, says why and returns EXIT_RUNTIME to its caller (with --watch
 * the launcher, which still has a command to end and a group to remove). */
static _printf_(2, 3) void ui_fatal(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->fatal, sizeof(ui->fatal), fmt, ap);
	va_end(ap);
	ui->quit = true;
}

/* ---- settings ------------------------------------------------------------------ */

static int settings_load(struct ui *ui, struct rc_settings *rc, char *path, size_t pathsize)
{
	const struct config *cfg = ui->cfg;
	char err[PATH_MAX + 256] = "";
	const char *p = rc_path(path, pathsize);
	int r;

	memset(rc, 0, sizeof(*rc));
	if (!p)
		path[0] = 0;
	else if (p != path)
		snprintf(path, pathsize, "%s", p);
	if (path[0]) {
		r = rc_load(path, rc, err, sizeof(err));
		if (r == -EPERM || r == -EACCES) {
			/* someone else's file, or a directory this user may not
			 * read (sudo -u keeps HOME; htop also starts with its
			 * defaults): ignored, not an error of the user's */
			fprintf(stderr, "cgtop: settings not read: %s; using the defaults\n", err);
			ui_set_status(ui, true, "settings not read (%s): using the defaults", path);
			memset(rc, 0, sizeof(*rc));
			path[0] = 0; /* nor written */
		} else if (r < 0) {
			/* "cgtoprc:LINE: what" -> the full name of the file */
			if (strncmp(err, "cgtoprc:", 8) == 0)
				fprintf(stderr, "cgtop: %s:%s\n", path, err + 8);
			else if (err[0])
				fprintf(stderr, "cgtop: %s\n", err);
			else
				fprintf(stderr, "cgtop: %s: %s\n", path, strerror(-r));
			return -EINVAL;
		}
	}

	/* columns: command line, then cgtoprc, then the dashboard's set */
	if (cfg->columns_given) {
		memcpy(ui->col_sel, cfg->col_sel, sizeof(ui->col_sel));
		memcpy(ui->col_order, cfg->col_order, sizeof(ui->col_order));
		ui->n_cols = cfg->n_cols;
	} else if (rc->have_columns && rc->n_cols) {
		memcpy(ui->col_sel, rc->col_sel, sizeof(ui->col_sel));
		memcpy(ui->col_order, rc->col_order, sizeof(ui->col_order));
		ui->n_cols = rc->n_cols;
	} else {
		memset(ui->col_sel, 0, sizeof(ui->col_sel));
		ui->n_cols = 0;
		for (unsigned i = 0; i < ARRAY_SIZE(dash_default_cols); i++) {
			ui->col_sel[dash_default_cols[i]] = true;
			ui->col_order[ui->n_cols++] = dash_default_cols[i];
		}
	}
	if (cfg->sort_given)
		ui_set_sort(ui, cfg->sort_col);
	else if (rc->have_sort) {
		ui->sort_col = rc->sort_col;
		ui->sort_desc = rc->sort_desc;
	} else
		ui_set_sort(ui, SORT_NAME);
	ui->interval_usec = cfg->delay_given || !rc->have_delay || !rc->interval_usec ? cfg->interval_usec
										      : rc->interval_usec;
	ui->flat = cfg->tree_given ? cfg->flat : rc->have_flat ? rc->flat : false;
	ui->tasks_own = cfg->recursive_given ? cfg->tasks_own : rc->have_recursive && !rc->recursive;
	ui->show_events_pane = true;
	if (rc->have_events_pane)
		ui->show_events_pane = rc->events_pane;
	ui->readonly = cfg->readonly;
	ui->draw.color = !rc->have_color || rc->color; /* NO_COLOR, --no-color and the terminal later */
	return 0;
}

struct settings_snap {
	int sort_col;
	bool sort_desc, flat, events_pane, tasks_own;
	uint64_t interval_usec;
	unsigned n_cols;
	unsigned col_order[_COL_MAX];
};

static void settings_snap(const struct ui *ui, struct settings_snap *s)
{
	memset(s, 0, sizeof(*s));
	s->sort_col = ui->sort_col;
	s->sort_desc = ui->sort_desc;
	s->flat = ui->flat;
	s->events_pane = ui->show_events_pane;
	s->tasks_own = ui->tasks_own;
	s->interval_usec = ui->interval_usec;
	s->n_cols = ui->n_cols;
	memcpy(s->col_order, ui->col_order, sizeof(s->col_order));
}

/* Save what the user changed during the run, as htop does. */
static void settings_save(struct ui *ui, const struct settings_snap *was, struct rc_settings *rc,
			  const char *path)
{
	bool changed = false;

	if (!path[0])
		return;
	if (ui->sort_col != was->sort_col || ui->sort_desc != was->sort_desc) {
		rc->have_sort = true;
		rc->sort_col = ui->sort_col;
		rc->sort_desc = ui->sort_desc;
		changed = true;
	}
	if (ui->interval_usec != was->interval_usec) {
		rc->have_delay = true;
		rc->interval_usec = ui->interval_usec;
		changed = true;
	}
	if (ui->flat != was->flat) {
		rc->have_flat = true;
		rc->flat = ui->flat;
		changed = true;
	}
	if (ui->tasks_own != was->tasks_own) {
		rc->have_recursive = true;
		rc->recursive = !ui->tasks_own;
		changed = true;
	}
	if (ui->show_events_pane != was->events_pane) {
		rc->have_events_pane = true;
		rc->events_pane = ui->show_events_pane;
		changed = true;
	}
	if (ui->n_cols != was->n_cols || memcmp(ui->col_order, was->col_order, sizeof(was->col_order))) {
		rc->have_columns = true;
		memcpy(rc->col_sel, ui->col_sel, sizeof(rc->col_sel));
		memcpy(rc->col_order, ui->col_order, sizeof(rc->col_order));
		rc->n_cols = ui->n_cols;
		changed = true;
	}
	if (changed) {
		char err[PATH_MAX + 256];
		int r = rc_save(path, rc, err, sizeof(err));
		if (r == -EPERM)
			fprintf(stderr, "cgtop: settings not saved: %s\n", err);
		else if (r < 0)
			fprintf(stderr, "cgtop: cannot save the settings: %s\n", err);
	}
}

/* ---- the loop ---------------------------------------------------------------------- */

static void on_event(const struct cg_event *ev, double time, void *userdata)
{
	struct ui *ui = userdata;

	ui_events_add(ui, ev, time);
	/* what the kernel log held at start is not this run's to record */
	if (ui->recorder && !ui->loading_backlog)
		recorder_event(ev, time, ui->recorder);
	ui->dirty |= UI_REDRAW;
}

/* The data source: the live sampler, or the recorded sample at the cursor. */
static void sample(struct ui *ui)
{
	if (ui->replay) {
		ui_replay_load(ui);
	} else {
		/* a failure said its line (on the terminal): the dashboard ends
		 * and says it again on the restored terminal */
		if (ui->recorder && recorder_begin(ui->recorder) < 0)
			ui_fatal(ui, "cannot go on recording to %s", ui->cfg->record_file);
		sampler_tick(&ui->s);
		if (ui->col_sel[COL_NAME])
			names_tree(&ui->tree); /* the name column: the groups that appeared */
		forks_attribute(ui->forks, &ui->s);
		if (ui->events_on) {
			events_settle(&ui->ev, ui->s.mono_usec);
			events_reconcile(&ui->ev, &ui->s);
		}
		if (ui->recorder && recorder_sample(ui->recorder, &ui->s) < 0)
			ui_fatal(ui, "cannot go on recording to %s", ui->cfg->record_file);
		ui_header_sample(ui);
		ui_history_sample(ui);
	}
	ui_rows_build(ui);
	if (ui->view == &view_detail && !ui->detail) {
		ui_switch_view(ui, &view_tree);
		ui_set_status(ui, false, "the group is gone");
	}
	ui->dirty |= UI_REDRAW;
}

/* The answer to d: a new refresh interval, as -d takes it. */
static void delay_done(struct ui *ui, const char *text, void *data)
{
	uint64_t d;

	(void)data;
	if (!text || !text[0]) {
		ui_set_status(ui, false, "refresh every %g s (unchanged)", ui->interval_usec / 1e6);
		return;
	}
	if (parse_interval_usec(text, &d) < 0) {
		ui_set_status(ui, true, "invalid refresh interval '%.100s': want seconds such as 2 or 0.5",
			      text);
		return;
	}
	ui->interval_usec = d;
	ui->s.interval_usec = d;
	ui_sampling_plan(ui);
	ui->next_sample_usec = clock_mono_usec() + d;
	ui_set_status(ui, false, "refresh every %g s", d / 1e6);
}

static int global_key(struct ui *ui, int key)
{
	switch (key) {
	case 'q':
	case KEY_F(10):
		ui->quit = true;
		return UI_HANDLED | UI_QUIT;
	case 'h':
	case '?':
	case KEY_F(1):
		ui_switch_view(ui, &view_help);
		return UI_HANDLED | UI_REDRAW;
	case 'd': {
		/* top's key for the delay; + and - expand and collapse, as in htop */
		char label[sizeof(ui->draw.prompt.label)];
		snprintf(label, sizeof(label), "refresh every SECONDS (now %g): ", ui->interval_usec / 1e6);
		ui_prompt(ui, label, "", delay_done, NULL);
		return UI_HANDLED | UI_REDRAW;
	}
	case 't':
	case KEY_F(5): /* htop's tree key */
		ui->flat = !ui->flat;
		ui_set_status(ui, false, "%s", ui->flat ? "flat list" : "tree");
		return UI_HANDLED | UI_REBUILD | UI_REDRAW;
	case KEY_RESIZE:
		return UI_HANDLED | UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
}

static void dispatch(struct ui *ui, int key)
{
	int r;

	if (ui->draw.prompt.active) {
		if (ui->search_editing && key == KEY_F(3)) {
			/* F3 again: the next match, as in htop */
			ui_search(ui, true);
			r = UI_HANDLED | UI_REDRAW;
		} else {
			r = ui_prompt_key(ui, key);
		}
		if (ui->filter_editing) {
			/* the filter follows the text as it is typed */
			if (ui->draw.prompt.active)
				snprintf(ui->filter, sizeof(ui->filter), "%s", ui->draw.prompt.text);
			r |= UI_REBUILD;
		}
		if (ui->search_editing && ui->draw.prompt.active && key != KEY_F(3)) {
			/* the selection follows the text as it is typed */
			snprintf(ui->search, sizeof(ui->search), "%s", ui->draw.prompt.text);
			ui_search(ui, false);
		}
		ui->dirty |= r;
		return;
	}
	if (key == KEY_F(9))
		key = 'K'; /* htop's kill key: cgtop's K, with its question */
	if (ui->view == &view_help) {
		/* any key leaves the help */
		r = ui->view->key ? ui->view->key(ui, key) : UI_UNHANDLED;
		if (!r)
			r = global_key(ui, key);
	} else if (ui->view != &view_tree) {
		/* the detail view and the event log first: their q and Esc go back */
		r = ui->view->key ? ui->view->key(ui, key) : UI_UNHANDLED;
		if (!r && ui->replay)
			r = ui_replay_key(ui, key);
		if (!r)
			r = global_key(ui, key);
		if (!r)
			r = ui_action_key(ui, key);
	} else {
		r = ui->replay ? ui_replay_key(ui, key) : UI_UNHANDLED;
		if (!r)
			r = global_key(ui, key);
		if (!r)
			r = ui_action_key(ui, key);
		if (!r && ui->view->key)
			r = ui->view->key(ui, key);
	}
	if (!r && key == KEY_MOUSE) {
		MEVENT me;
		getmouse(&me); /* a click where a view has no use for it */
		r = UI_HANDLED;
	} else if (!r) {
		ui_set_status(ui, false, "unknown key: h for help");
		r = UI_HANDLED | UI_REDRAW;
	}
	if (r & UI_QUIT)
		ui->quit = true;
	ui->dirty |= r;
}

static void drain_signals(struct ui *ui)
{
	int sig;

	/* SIGCHLD only wakes the loop: the watched command's pidfd tells */
	while ((sig = signals_next(&ui->sig)) > 0)
		if (signals_stops(sig))
			ui->quit = true;
}

static void check_watch(struct ui *ui)
{
	struct ui_watch *w = ui->watch;
	char msg[sizeof(ui->sticky_msg)] = "";

	if (!w || w->done)
		return;
	w->status = w->finish ? w->finish(w, msg, sizeof(msg)) : 0;
	w->done = true;
	ui->exit_status = w->status;
	snprintf(ui->sticky_msg, sizeof(ui->sticky_msg), "%s  (q quits)", msg[0] ? msg : "the command ended");
	ui->sticky_status = true;
	ui->draw.status[0] = 0;
	ui->dirty |= UI_REDRAW | UI_RESAMPLE;
}

static void ui_loop(struct ui *ui)
{
	const struct config *cfg = ui->cfg;
	long long samples = 0;

	ui->now_usec = clock_mono_usec();
	sample(ui);
	samples++;
	ui->next_sample_usec = ui->now_usec + (ui->replay ? 3600ULL * 1000000 : ui->interval_usec);
	redraw(ui);
	ui->dirty = 0;

	while (!ui->quit && !(cfg->count > 0 && samples >= cfg->count)) {
		struct pollfd pfd[5];
		int n = 0, ikmsg = -1, iwatch = -1, iforks = -1, timeout;
		uint64_t wake;

		pfd[n++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = ui->sig.fd, .events = POLLIN };
		if (ui->events_on && ui->ev.kmsg_open && ui->ev.kr.fd >= 0) {
			ikmsg = n;
			pfd[n++] = (struct pollfd){ .fd = ui->ev.kr.fd, .events = POLLIN };
		}
		if (forks_fd(ui->forks) >= 0) {
			iforks = n;
			pfd[n++] = (struct pollfd){ .fd = forks_fd(ui->forks), .events = POLLIN };
		}
		if (ui->watch && !ui->watch->done && ui->watch->pidfd >= 0) {
			iwatch = n;
			pfd[n++] = (struct pollfd){ .fd = ui->watch->pidfd, .events = POLLIN };
		}
		ui->now_usec = clock_mono_usec();
		wake = ui->next_sample_usec;
		if (ui->draw.status[0] && ui->draw.status_until_usec &&
		    ui->draw.status_until_usec > ui->now_usec && ui->draw.status_until_usec < wake)
			wake = ui->draw.status_until_usec;
		timeout = wake <= ui->now_usec ? 0 : (int)((wake - ui->now_usec + 999) / 1000);
		if (poll(pfd, n, timeout) < 0 && errno != EINTR) {
			ui_fatal(ui, "poll: %s", strerror(errno));
			break;
		}
		ui->now_usec = clock_mono_usec();

		/* 1. signals; a terminal that hung up without a SIGHUP reaching us
		 * (not our controlling terminal, a tracer that kept it) reads 0
		 * at every turn: quit as on SIGHUP rather than spin */
		drain_signals(ui);
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			ui->quit = true;
		if (ui->quit)
			break;
		/* 2. the proc connector and the kernel log, in bounded batches */
		if (iforks >= 0 && pfd[iforks].revents)
			forks_poll(ui->forks); /* first: a rejection then finds its forkers */
		if (ikmsg >= 0 && (pfd[ikmsg].revents & (POLLIN | POLLERR)))
			events_poll_kmsg(&ui->ev, KMSG_BATCH);
		if (iwatch >= 0 && pfd[iwatch].revents)
			check_watch(ui);
		/* 3. every key typed so far */
		for (int key; !ui->quit && (key = getch()) != ERR;)
			dispatch(ui, key);
		if (ui->quit)
			break;
		if (ui->dirty & UI_REBUILD)
			ui_rows_build(ui);
		/* 4. sample when due */
		ui->now_usec = clock_mono_usec();
		if (ui->replay) {
			/* time stands still: a key moves the cursor */
			ui->next_sample_usec = ui->now_usec + 3600ULL * 1000000;
			if (ui->dirty & UI_RESAMPLE)
				sample(ui);
		} else if (ui->now_usec >= ui->next_sample_usec) {
			sample(ui);
			samples++;
			ui->next_sample_usec += ui->interval_usec;
			if (ui->next_sample_usec < ui->now_usec)
				ui->next_sample_usec = ui->now_usec + ui->interval_usec; /* fell behind */
		} else if (ui->dirty & UI_RESAMPLE) {
			sample(ui); /* an action changed a limit: show it now, keep the schedule */
		}
		if (ui->rows_stale)
			ui_rows_build(ui);
		/* the status line expires */
		bool expired = false;
		draw_status_shown(&ui->draw, ui->now_usec, &expired);
		if (expired)
			ui->dirty |= UI_REDRAW;
		/* 5. one redraw */
		if (ui->dirty & (UI_REDRAW | UI_REBUILD | UI_RESAMPLE | UI_HANDLED))
			redraw(ui);
		ui->dirty = 0;
		if (cfg->count > 0 && samples >= cfg->count)
			break;
	}
}

int ui_main(const struct config *cfg, struct ui_watch *watch)
{
	struct ui *ui;
	struct rc_settings rc;
	struct settings_snap snap;
	char rcpath[PATH_MAX];
	int r, status;
	bool curses_started = false;

	ui = xcalloc(1, sizeof(*ui));
	ui->cfg = cfg;
	ui->watch = watch;
	ui->sig.fd = -1;
	if (settings_load(ui, &rc, rcpath, sizeof(rcpath)) < 0) {
		free(ui);
		if (watch)
			watch->failed = true;
		return EXIT_USAGE;
	}

	const char *root = watch && watch->group ? watch->group : cfg->path;
	if (cfg->replay_file) {
		/* the recording, not the host: nothing live is opened */
		status = ui_replay_open(ui);
		if (status != EXIT_OK) {
			ui_replay_close(ui);
			if (ui->tree.root) /* (a tree never opened has no fds, not fd 0) */
				cg_tree_close(&ui->tree);
			free(ui);
			return status;
		}
		r = 0;
	} else {
		r = cg_tree_open(&ui->tree, cfg->sysroot, root, cfg->depth, cfg->fd_budget);
	}
	if (r < 0) {
		if (r == -ENOENT)
			fprintf(stderr, "cgtop: no cgroup filesystem is mounted%s%s\n",
				cfg->sysroot ? " under " : "", cfg->sysroot ? cfg->sysroot : "");
		else if (r == -ESRCH || r == -ENAMETOOLONG)
			fprintf(stderr, "cgtop: invalid group path: '%s' is not a control group\n", root);
		else
			fprintf(stderr, "cgtop: cannot read the cgroup hierarchies: %s\n", strerror(-r));
		cg_tree_close(&ui->tree);
		free(ui);
		if (watch)
			watch->failed = true;
		return r == -ESRCH || r == -ENAMETOOLONG ? EXIT_USAGE : EXIT_RUNTIME;
	}
	ui->tree.on_free = ui_node_free;
	ui->tree.on_free_data = ui;
	if (!ui->replay) {
		/* the files first: a bad one is refused before the terminal is taken */
		status = ui_history_file_open(ui);
		if (status == EXIT_OK && cfg->record_file &&
		    recorder_open(cfg, cfg->record_file, &ui->recorder) < 0)
			status = EXIT_RUNTIME;
		if (status != EXIT_OK) {
			recorder_close(ui->recorder, NULL);
			rec_load_close(ui->history);
			cg_tree_close(&ui->tree);
			free(ui);
			if (watch)
				watch->failed = true;
			return status;
		}
	}

	unsigned needs = columns_needs_text(ui->col_sel) | NEED_EVENTS | NEED_MEM | NEED_MEM_LIMIT;
	if (ui->recorder)
		needs |= record_needs();
	if (ui->sort_col >= 0 && ui->sort_col < _COL_MAX)
		needs |= column_cell_needs((enum col_id)ui->sort_col);
	/* the table's pressure column is memory's some avg10: leave cpu.pressure
	 * and io.pressure to the detail view, which asks for NEED_PSI itself */
	if (needs & NEED_PSI)
		needs = (needs & ~NEED_PSI) | NEED_PSI_MEM;
	sampler_init(&ui->s, &ui->tree, needs, ui->interval_usec);
	if (ui->recorder)
		ui->s.map_usec = record_map_usec(); /* the rows on the screen read it every refresh */
	/* the proc connector, when the forks column is shown; why it is off goes
	 * to the status line (standard error is the terminal) */
	ui->forks = xmalloc(sizeof(*ui->forks));
	forks_init(ui->forks, ui->replay ? needs & ~NEED_FORKS : needs, cfg->sysroot, true);
	if ((needs & NEED_FORKS) && ui->forks->pc.err)
		ui_set_status(ui, false, "%s", procconn_off_reason(ui->forks->pc.err));
	/* from the oldest record: the dashboard starts with what the kernel log
	 * still holds, marked as before start */
	if (!ui->replay) {
		events_init(&ui->ev, &ui->tree, cfg->sysroot, NULL, true);
		events_attach(&ui->ev, &ui->s);
		events_attach_forks(&ui->ev, ui->forks, cfg->fork_storm);
		ui->ev.emit = on_event;
		ui->ev.userdata = ui;
		ui->events_on = true;
		ui->loading_backlog = true;
		events_read_backlog(&ui->ev); /* before the first sample: the counters start after it */
		ui->loading_backlog = false;
		if (ui->recorder && recorder_start(ui->recorder, &ui->tree, ui->ev.kmsg_open) < 0) {
			status = EXIT_RUNTIME;
			goto out;
		}
	}
	ui_sampling_plan(ui);
	/* the first screen reads what the sampling plan reads in the steady
	 * state: the hot needs of every group, the rest for the rows drawn
	 * (redraw() reads them for the rows that come into view) */
	ui->s.full_next = false;
	ui->s.want_gen = 1;
	ui->dirty = 0;

	r = signals_open(&ui->sig, (const int[]){ SIGCHLD, 0 });
	if (r < 0)
		fprintf(stderr, "cgtop: signalfd: %s\n", strerror(-r));
	signal(SIGPIPE, SIG_IGN);

	ui->draw.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	if (!ui->replay)
		ui_header_sample(ui); /* the host facts and a first CPU reading */

	if (!newterm(NULL, stdout, stdin)) {
		fprintf(stderr, "cgtop: cannot start the terminal (TERM=%s)\n", getenv("TERM") ?: "");
		status = EXIT_RUNTIME;
		goto out;
	}
	curses_on = true;
	curses_started = true;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	/* Home and End as tmux and some xterm variants send them, which the
	 * terminfo entry may not name */
	define_key("\033[1~", KEY_HOME);
	define_key("\033[4~", KEY_END);
	define_key("\033[H", KEY_HOME);
	define_key("\033[F", KEY_END);
	/* F1 to F4 in both forms terminals send them (xterm's SS3 P..S; rxvt,
	 * PuTTY and the Linux console's CSI 11~..14~), whichever the terminfo
	 * entry names, as htop does */
	define_key("\033OP", KEY_F(1));
	define_key("\033OQ", KEY_F(2));
	define_key("\033OR", KEY_F(3));
	define_key("\033OS", KEY_F(4));
	define_key("\033[11~", KEY_F(1));
	define_key("\033[12~", KEY_F(2));
	define_key("\033[13~", KEY_F(3));
	define_key("\033[14~", KEY_F(4));
	curs_set(0);
	draw_colors_init(&ui->draw, ui->draw.color && !cfg->no_color);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	ui->view = &view_tree;
	if (view_tree.enter)
		view_tree.enter(ui);
	settings_snap(ui, &snap);

	ui_loop(ui);

	restore_terminal();
	if (ui->fatal[0]) {
		fprintf(stderr, "cgtop: %s\n", ui->fatal);
		status = EXIT_RUNTIME;
		goto out;
	}
	settings_save(ui, &snap, &rc, rcpath);
	status = ui->watch && ui->watch->done ? ui->watch->status : ui->exit_status;
out:
	if (curses_on)
		restore_terminal();
	/* the signals stay blocked: one that came after the last drain must not
	 * kill cgtop now that the terminal is restored */
	signals_close(&ui->sig, false);
	if (ui->recorder && recorder_close(ui->recorder, ui->fatal[0] ? NULL : &ui->ev) < 0 &&
	    status == EXIT_OK)
		status = EXIT_RUNTIME;
	ui->recorder = NULL;
	rec_load_close(ui->history);
	if (!ui->replay)
		events_done(&ui->ev);
	forks_done(ui->forks);
	free(ui->forks);
	sampler_done(&ui->s);
	cg_tree_close(&ui->tree); /* the on_free hook still needs the events ring */
	ui_events_free(ui);
	ui_rows_free(ui);
	ui_replay_close(ui);
	if (watch && (ui->fatal[0] || !curses_started))
		watch->failed = true;
	free(ui);
	return status;
}
