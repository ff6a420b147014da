/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-draw.c - the dashboard's drawing toolkit, shared by the loop (ui.c) and
 * the views: the status line and the prompt in it, the colour scheme (and
 * its monochrome twin for --no-color / NO_COLOR), bars, one table cell, and
 * text drawn by display width (multibyte aware, invalid bytes as '?',
 * shortened in the middle).  No state of its own: what it draws is in
 * struct ui.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "base/clock.h"
#include "base/macro.h"
#include "ui/ui-curses.h"
#include "ui/ui.h"
#include "base/utf8.h"

/* how long a message stays in the status line */
#define STATUS_USEC (5 * 1000000ull)

/* ---- status line and prompt ------------------------------------------------ */

void ui_set_status(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof(ui->status), fmt, ap);
	va_end(ap);
	ui->status_error = error;
	ui->status_until_usec = clock_mono_usec() + STATUS_USEC;
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

int ui_prompt_key(struct ui *ui, int key)
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

/* ---- colours, bars, cells, text ----------------------------------------------- */

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

void ui_colors_init(struct ui *ui)
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

/* ---- the status line ---------------------------------------------------------- */

void ui_draw_status(struct ui *ui, int y)
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
	else if (ui->replay)
		snprintf(
			hint, sizeof(hint),
			"h:help q:quit [ ]:sample { }:minute ( ):hour , .:event T:time Enter:detail e:events "
			"/:filter <>:sort");
	else
		snprintf(
			hint, sizeof(hint),
			"h:help q:quit /:filter F3:search t:tree/flat <>:sort I:invert Enter:detail e:events d:delay%s",
			ui->readonly ? "" : " m/p:limit f:freeze K:kill");
	attron(ui_color(ui, UC_DIM));
	mvaddnstr(y, 0, hint, COLS);
	attroff(ui_color(ui, UC_DIM));
}
