/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui.c - the dashboard's loop: settings (cgtoprc, then the command line), the
 * tree, sampler and events tracker, curses set-up and teardown, and one poll()
 * over the keyboard, /dev/kmsg, a signalfd, a watched command's pidfd and the
 * refresh timer.  Each turn drains signals, drains the kernel log (bounded),
 * reads every pending key (answering at once), samples when due and redraws
 * once if anything changed.  Also the status line, the prompt, colours, bars
 * and the formatting of one cell, shared by the views.
 */
#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "forks.h"
#include "macro.h"
#include "parse.h"
#include "rc.h"
#include "ui-curses.h"
#include "ui.h"
#include "units.h"
#include "utf8.h"

#define STATUS_USEC (5 * 1000000ull)
#define KMSG_BATCH 256

/* the dashboard's default columns (--columns and cgtoprc change them) */
static const enum col_id dash_default_cols[] = {
	COL_TASKS, COL_CPU,  COL_THROTTLE,   COL_MEMORY,        COL_MEM_LIMIT, COL_MEM_PCT,  COL_FAILCNT,
	COL_OOM,   COL_PIDS, COL_PIDS_LIMIT, COL_PIDS_REJECTED, COL_IO_READ,   COL_IO_WRITE, COL_PSI,
};

static bool curses_on;

uint64_t ui_now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- status line and prompt ------------------------------------------------ */

void ui_set_status(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof(ui->status), fmt, ap);
	va_end(ap);
	ui->status_error = error;
	ui->status_until_usec = ui_now_usec() + STATUS_USEC;
	ui->dirty |= UI_REDRAW;
}

void ui_prompt(struct ui *ui, const char *label, const char *initial, ui_prompt_cb done, void *data)
{
	snprintf(ui->prompt.label, sizeof(ui->prompt.label), "%s", label ? label : "");
	snprintf(ui->prompt.text, sizeof(ui->prompt.text), "%s", initial ? initial : "");
	ui->prompt.len = strlen(ui->prompt.text);
	ui->prompt.done = done;
	ui->prompt.data = data;
	ui->prompt.confirm = false;
	ui->prompt.active = true;
	ui->dirty |= UI_REDRAW;
}

void ui_confirm(struct ui *ui, const char *question, ui_prompt_cb done, void *data)
{
	ui_prompt(ui, question, "", done, data);
	ui->prompt.confirm = true;
}

static void prompt_finish(struct ui *ui, bool ok)
{
	char text[sizeof(ui->prompt.text)];
	ui_prompt_cb done = ui->prompt.done;
	void *data = ui->prompt.data;

	memcpy(text, ui->prompt.text, sizeof(text));
	ui->prompt.active = false;
	ui->dirty |= UI_REDRAW;
	if (done)
		done(ui, ok ? text : NULL, data); /* may open the next prompt */
}

static int prompt_key(struct ui *ui, int key)
{
	if (key == KEY_RESIZE || key == KEY_MOUSE)
		return UI_REDRAW;
	if (ui->prompt.confirm) {
		bool yes = key == 'y' || key == 'Y';
		snprintf(ui->prompt.text, sizeof(ui->prompt.text), "%s", yes ? "y" : "");
		prompt_finish(ui, yes);
		return UI_HANDLED | UI_REDRAW;
	}
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		prompt_finish(ui, true);
		break;
	case 27: /* Esc */
	case 7:  /* ^G */
		prompt_finish(ui, false);
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		/* a whole UTF-8 character */
		while (ui->prompt.len > 0 &&
		       ((unsigned char)ui->prompt.text[--ui->prompt.len] & 0xc0) == 0x80)
			;
		ui->prompt.text[ui->prompt.len] = 0;
		break;
	case 21: /* ^U */
		ui->prompt.len = 0;
		ui->prompt.text[0] = 0;
		break;
	default:
		if (key >= 32 && key < 256 && key != 127 && ui->prompt.len + 1 < sizeof(ui->prompt.text)) {
			ui->prompt.text[ui->prompt.len++] = (char)key;
			ui->prompt.text[ui->prompt.len] = 0;
		}
		break;
	}
	return UI_HANDLED | UI_REDRAW;
}

/* ---- views, colours, bars, cells ----------------------------------------------- */

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

static const struct {
	short fg, bg;
	int attr; /* with colours */
	int mono; /* without */
} scheme[_UC_MAX] = {
	[UC_DEFAULT] = { -1, -1, 0, 0 },
	[UC_HEADER] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[UC_TITLE] = { COLOR_BLACK, COLOR_GREEN, 0, A_REVERSE },
	[UC_SORTED] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD | A_UNDERLINE },
	[UC_SELECTED] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[UC_FLASH] = { COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD | A_UNDERLINE },
	[UC_BAR_LOW] = { COLOR_GREEN, -1, 0, 0 },
	[UC_BAR_MID] = { COLOR_YELLOW, -1, 0, 0 },
	[UC_BAR_HIGH] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[UC_STATUS] = { -1, -1, 0, 0 },
	[UC_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[UC_DIM] = { COLOR_BLUE, -1, A_BOLD, A_DIM },
};

int ui_color(const struct ui *ui, enum ui_color c)
{
	if (c < 0 || c >= _UC_MAX)
		return 0;
	if (!ui->color)
		return scheme[c].mono;
	return (c == UC_DEFAULT ? 0 : (int)COLOR_PAIR(c)) | scheme[c].attr;
}

static void colors_init(struct ui *ui)
{
	/* ui->color holds cgtoprc's wish (color = no) until here */
	ui->color = ui->color && !ui->cfg->no_color && has_colors();
	if (!ui->color)
		return;
	start_color();
	use_default_colors();
	for (int c = 1; c < _UC_MAX; c++)
		init_pair(c, scheme[c].fg, scheme[c].bg);
}

void ui_draw_bar(struct ui *ui, int y, int x, int w, double frac)
{
	static const wchar_t *eighths[] = { L"",       L"\u258f", L"\u258e", L"\u258d",
					    L"\u258c", L"\u258b", L"\u258a", L"\u2589" };
	enum ui_color c;
	int attr, full, part;

	if (w <= 0)
		return;
	if (!(frac >= 0))
		frac = 0;
	if (frac > 1)
		frac = 1;
	c = frac < 0.6 ? UC_BAR_LOW : frac < 0.85 ? UC_BAR_MID : UC_BAR_HIGH;
	attr = ui_color(ui, c);
	full = (int)(frac * w * 8 + 0.5);
	part = full % 8;
	full /= 8;
	move(y, x);
	attron(attr);
	for (int i = 0; i < w; i++) {
		if (i < full)
			ui->utf8 ? (void)addwstr(L"\u2588") : (void)addch('|');
		else if (i == full && part && ui->utf8)
			addwstr(eighths[part]);
		else if (i == full && part >= 4)
			addch('|');
		else
			addch(' ');
	}
	attroff(attr);
}

void ui_format_cell(const struct ui *ui, const struct cg_node *n, int c, char *b, size_t sz)
{
	column_format(n, (enum col_id)c, ui->tasks_own ? COLFMT_OWN : 0, b, sz);
}

/* One character of s as drawn, decoded by the validator every writer uses
 * (utf8.h): a byte that is not well-formed UTF-8, a control character, and
 * anything but ASCII on a terminal that is not UTF-8 draw as '?', as does a
 * character without a width.  Returns the bytes taken (0 at the end), *cw its
 * width.  (st is kept for the callers; UTF-8 needs no shift state.) */
static size_t next_wc(const char *s, size_t len, mbstate_t *st, wchar_t *wc, int *cw)
{
	uint32_t cp = 0;
	size_t k = utf8_char_len(s, len, &cp);

	(void)st;
	if (k == 1 && cp == 0)
		return 0;
	*wc = (wchar_t)cp;
	if (k == 0 || utf8_is_control(cp) || (cp >= 0x80 && MB_CUR_MAX == 1)) {
		*wc = L'?';
		k = k ? k : 1;
	}
	*cw = wcwidth(*wc);
	if (*cw < 0) {
		*wc = L'?';
		*cw = 1;
	}
	return k;
}

/* Draw s at y, x in at most w columns (multibyte aware), padding with blanks. */
const char *ui_put_w(int y, int x, int w, const char *s)
{
	wchar_t wb[256];
	mbstate_t st = { 0 };
	int used = 0, n = 0;
	size_t len = strlen(s);

	while (len && used < w && n < (int)ARRAY_SIZE(wb) - 1) {
		wchar_t wc;
		int cw;
		size_t k = next_wc(s, len, &st, &wc, &cw);

		if (!k || used + cw > w)
			break;
		wb[n++] = wc;
		used += cw;
		s += k;
		len -= k;
	}
	wb[n] = 0;
	mvaddnwstr(y, x, wb, n);
	for (; used < w; used++)
		addch(' ');
	return s;
}

int ui_str_width(const char *s)
{
	mbstate_t st = { 0 };
	size_t len = strlen(s), k;
	wchar_t wc;
	int cw, w = 0;

	while (len && (k = next_wc(s, len, &st, &wc, &cw))) {
		w += cw;
		s += k;
		len -= k;
	}
	return w;
}

/* As systemd's ellipsize(): the start and the end of s around an ellipsis,
 * start_pct of the room to the start.  Static buffers: a path is at most
 * PATH_MAX bytes, so at most that many characters. */
bool ui_put_ellipsized(const struct ui *ui, int y, int x, int w, const char *s, int start_pct)
{
	static wchar_t wc[PATH_MAX + 4];
	static signed char cw[PATH_MAX];
	const wchar_t *ell = ui->utf8 ? L"\u2026" : L"...";
	int ew = ui->utf8 ? 1 : 3, n = 0, total = 0, head = 0, tail, hw = 0, tw = 0, room;
	mbstate_t st = { 0 };
	size_t len = strlen(s), k;

	if (w <= 0)
		return false;
	while (len && n < PATH_MAX) {
		int c;

		if (!(k = next_wc(s, len, &st, &wc[n], &c)))
			break;
		cw[n++] = (signed char)c;
		total += c;
		s += k;
		len -= k;
	}
	if (total <= w || w <= ew) {
		/* fits, or no room for an ellipsis: cut at the end */
		int used = 0, m = 0;

		while (m < n && used + cw[m] <= w)
			used += cw[m++];
		mvaddnwstr(y, x, wc, m);
		for (; used < w; used++)
			addch(' ');
		return total > w;
	}
	room = w - ew;
	/* the end first, then the start takes what the end left (wide
	 * characters may leave a column on either side) */
	tail = n;
	while (tail > 0 && tw + cw[tail - 1] <= room - room * start_pct / 100)
		tw += cw[--tail];
	while (head < tail && hw + cw[head] + tw <= room)
		hw += cw[head++];
	mvaddnwstr(y, x, wc, head);
	addwstr(ell);
	if (tail < n)
		addnwstr(wc + tail, n - tail);
	for (int used = hw + ew + tw; used < w; used++)
		addch(' ');
	return true;
}

/* ---- drawing ----------------------------------------------------------------- */

static void draw_status(struct ui *ui, int y)
{
	const char *msg = NULL;
	int attr = ui_color(ui, UC_STATUS);

	move(y, 0);
	clrtoeol();
	if (ui->prompt.active) {
		attron(A_BOLD);
		mvaddnstr(y, 0, ui->prompt.label, COLS - 1);
		attroff(A_BOLD);
		int x = getcurx(stdscr);
		int room = COLS - 1 - x;
		const char *t = ui->prompt.text;
		size_t len = ui->prompt.len;
		/* keep the end of a long text in view */
		if (room > 0 && (int)len > room)
			t += len - room;
		if (room > 0)
			addnstr(t, room);
		curs_set(1);
		return;
	}
	curs_set(0);
	if (ui->status[0] && (ui->status_until_usec == 0 || ui->now_usec < ui->status_until_usec)) {
		msg = ui->status;
		if (ui->status_error)
			attr = ui_color(ui, UC_ERROR);
	} else if (ui->sticky_status && ui->sticky_msg[0]) {
		msg = ui->sticky_msg;
		attr = ui_color(ui, UC_HEADER);
	}
	if (msg) {
		/* messages name groups: drawn as the rows are */
		attron(attr);
		ui_put_w(y, 0, COLS, msg);
		attroff(attr);
		return;
	}
	if (ui->view == &view_tree && ui->sel_name_cut && ui->sel) {
		/* the selected group's name is shortened in the table: here it is
		 * whole (shortened in the middle only beyond the screen's width) */
		attron(ui_color(ui, UC_HEADER));
		ui_put_ellipsized(ui, y, 0, COLS, ui->sel->path, 33);
		attroff(ui_color(ui, UC_HEADER));
		return;
	}
	char hint[256];
	if (ui->filter[0])
		snprintf(hint, sizeof(hint), "filter: %.200s (Esc clears)  h:help q:quit", ui->filter);
	else
		snprintf(
			hint, sizeof(hint),
			"h:help q:quit /:filter F3:search t:tree/flat <>:sort I:invert Enter:detail e:events d:delay%s",
			ui->readonly ? "" : " m/p:limit f:freeze K:kill");
	attron(ui_color(ui, UC_DIM));
	mvaddnstr(y, 0, hint, COLS);
	attroff(ui_color(ui, UC_DIM));
}

void ui_sampling_plan(struct ui *ui)
{
	unsigned hot = 0;

	if (!ui->s.tree)
		return; /* settings before the sampler exists */
	if (ui->sort_col >= 0 && ui->sort_col < _COL_MAX) {
		unsigned sn = columns[ui->sort_col].needs;
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
		c->want_gen = ui->s.want_gen;
		if (c->full_iter != ui->s.iteration)
			ui->want_stale = true;
		want_subtree(ui, c);
	}
}

void ui_want_node(struct ui *ui, struct cg_node *n)
{
	uint64_t g = ui->s.want_gen;

	for (; n && n->want_gen != g; n = n->parent) {
		n->want_gen = g;
		if (n->full_iter != ui->s.iteration)
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
	if (ui->want_stale && ui->s.lazy_needs && sampler_refresh_wanted(&ui->s)) {
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
		draw_status(ui, LINES - 1);
	}
	if (ui->prompt.active && LINES >= 5 && COLS >= 20) {
		/* the cursor at the end of the prompt */
		int x = (int)strlen(ui->prompt.label) + (int)ui->prompt.len;
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
		if (r == -EPERM) {
			/* someone else's file: ignored, not an error of the user's */
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
	ui->color = !rc->have_color || rc->color; /* NO_COLOR, --no-color and the terminal later */
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
	ui->dirty |= UI_REDRAW;
}

static void sample(struct ui *ui)
{
	sampler_tick(&ui->s);
	forks_attribute(ui->forks, &ui->s);
	if (ui->events_on) {
		events_flush(&ui->ev);
		events_reconcile(&ui->ev, &ui->s);
	}
	ui_header_sample(ui);
	ui_history_sample(ui);
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
	ui->next_sample_usec = ui_now_usec() + d;
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
		char label[sizeof(ui->prompt.label)];
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

	if (ui->prompt.active) {
		if (ui->search_editing && key == KEY_F(3)) {
			/* F3 again: the next match, as in htop */
			ui_search(ui, true);
			r = UI_HANDLED | UI_REDRAW;
		} else {
			r = prompt_key(ui, key);
		}
		if (ui->filter_editing) {
			/* the filter follows the text as it is typed */
			if (ui->prompt.active)
				snprintf(ui->filter, sizeof(ui->filter), "%s", ui->prompt.text);
			r |= UI_REBUILD;
		}
		if (ui->search_editing && ui->prompt.active && key != KEY_F(3)) {
			/* the selection follows the text as it is typed */
			snprintf(ui->search, sizeof(ui->search), "%s", ui->prompt.text);
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
		if (!r)
			r = global_key(ui, key);
		if (!r)
			r = ui_action_key(ui, key);
	} else {
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
	struct signalfd_siginfo si;

	while (read(ui->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
		case SIGHUP:
			ui->quit = true;
			break;
		default: /* SIGCHLD: the watched command's pidfd tells */
			break;
		}
	}
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
	ui->status[0] = 0;
	ui->dirty |= UI_REDRAW | UI_RESAMPLE;
}

static void ui_loop(struct ui *ui)
{
	const struct config *cfg = ui->cfg;
	long long samples = 0;

	ui->now_usec = ui_now_usec();
	sample(ui);
	samples++;
	ui->next_sample_usec = ui->now_usec + ui->interval_usec;
	redraw(ui);
	ui->dirty = 0;

	while (!ui->quit) {
		struct pollfd pfd[5];
		int n = 0, ikmsg = -1, iwatch = -1, iforks = -1, timeout;
		uint64_t wake;

		pfd[n++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = ui->sig_fd, .events = POLLIN };
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
		ui->now_usec = ui_now_usec();
		wake = ui->next_sample_usec;
		if (ui->status[0] && ui->status_until_usec && ui->status_until_usec > ui->now_usec &&
		    ui->status_until_usec < wake)
			wake = ui->status_until_usec;
		timeout = wake <= ui->now_usec ? 0 : (int)((wake - ui->now_usec + 999) / 1000);
		if (poll(pfd, n, timeout) < 0 && errno != EINTR) {
			ui_fatal(ui, "poll: %s", strerror(errno));
			break;
		}
		ui->now_usec = ui_now_usec();

		/* 1. signals */
		drain_signals(ui);
		if (ui->quit)
			break;
		/* 2. the kernel log, in bounded batches */
		if (ikmsg >= 0 && (pfd[ikmsg].revents & (POLLIN | POLLERR)))
			events_poll_kmsg(&ui->ev, KMSG_BATCH);
		if (iforks >= 0 && pfd[iforks].revents)
			forks_poll(ui->forks);
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
		ui->now_usec = ui_now_usec();
		if (ui->now_usec >= ui->next_sample_usec) {
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
		if (ui->status[0] && ui->status_until_usec && ui->now_usec >= ui->status_until_usec) {
			ui->status[0] = 0;
			ui->dirty |= UI_REDRAW;
		}
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
	sigset_t mask;
	int r, status;
	bool curses_started = false;

	ui = xcalloc(1, sizeof(*ui));
	ui->cfg = cfg;
	ui->watch = watch;
	ui->sig_fd = -1;
	if (settings_load(ui, &rc, rcpath, sizeof(rcpath)) < 0) {
		free(ui);
		if (watch)
			watch->failed = true;
		return EXIT_USAGE;
	}

	const char *root = watch && watch->group ? watch->group : cfg->path;
	r = cg_tree_open(&ui->tree, cfg->sysroot, root, cfg->depth, cfg->fd_budget);
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

	unsigned needs = columns_needs(ui->col_sel) | NEED_EVENTS | NEED_MEM | NEED_MEM_LIMIT;
	if (ui->sort_col >= 0 && ui->sort_col < _COL_MAX)
		needs |= columns[ui->sort_col].needs;
	/* the table's pressure column is memory's some avg10: leave cpu.pressure
	 * and io.pressure to the detail view, which asks for NEED_PSI itself */
	if (needs & NEED_PSI)
		needs = (needs & ~NEED_PSI) | NEED_PSI_MEM;
	sampler_init(&ui->s, &ui->tree, needs, ui->interval_usec);
	/* the proc connector, when the forks column is shown; why it is off goes
	 * to the status line (standard error is the terminal) */
	ui->forks = xmalloc(sizeof(*ui->forks));
	forks_init(ui->forks, needs, cfg->sysroot, true);
	if ((needs & NEED_FORKS) && ui->forks->pc.err)
		ui_set_status(ui, false, "%s", procconn_off_reason(ui->forks->pc.err));
	/* from the oldest record: the dashboard starts with what the kernel log
	 * still holds, marked as before start */
	events_init(&ui->ev, &ui->tree, cfg->sysroot, NULL, true);
	events_attach(&ui->ev, &ui->s);
	events_attach_forks(&ui->ev, ui->forks, cfg->fork_storm);
	ui->ev.emit = on_event;
	ui->ev.userdata = ui;
	ui->events_on = true;
	ui->loading_backlog = true;
	events_read_backlog(&ui->ev); /* before the first sample: the counters start after it */
	ui->loading_backlog = false;
	ui_sampling_plan(ui);
	ui->s.full_next = false; /* the first sample reads everything anyway */
	ui->dirty = 0;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	ui->sig_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (ui->sig_fd < 0)
		fprintf(stderr, "cgtop: signalfd: %s\n", strerror(errno));
	signal(SIGPIPE, SIG_IGN);

	ui->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
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
	colors_init(ui);
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
	if (ui->sig_fd >= 0)
		close(ui->sig_fd);
	/* the signals stay blocked: one that came after the last drain must not
	 * kill cgtop now that the terminal is restored */
	events_done(&ui->ev);
	forks_done(ui->forks);
	free(ui->forks);
	sampler_done(&ui->s);
	cg_tree_close(&ui->tree); /* the on_free hook still needs the events ring */
	ui_events_free(ui);
	ui_rows_free(ui);
	if (watch && (ui->fatal[0] || !curses_started))
		watch->failed = true;
	free(ui);
	return status;
}
