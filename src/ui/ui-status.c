/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-status.c - the dashboard's status line, on the drawing toolkit's
 * (ui-draw.c): messages, prompts with what each is for (a callback), and
 * what the line shows when it has neither: the watched command's fate, the
 * selected group's whole name when the table shortened it, or the key hints.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "ui/ui-curses.h"
#include "ui/ui.h"

void ui_set_status(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	draw_vstatus(&ui->draw, clock_mono_usec(), error, fmt, ap);
	va_end(ap);
	ui->dirty |= UI_REDRAW;
}

void ui_prompt(struct ui *ui, const char *label, const char *initial, ui_prompt_cb done, void *data)
{
	draw_prompt_open(&ui->draw, label, initial, false);
	ui->prompt_done = done;
	ui->prompt_data = data;
	ui->dirty |= UI_REDRAW;
}

void ui_confirm(struct ui *ui, const char *question, ui_prompt_cb done, void *data)
{
	ui_prompt(ui, question, "", done, data);
	ui->draw.prompt.confirm = true;
}

int ui_prompt_key(struct ui *ui, int key)
{
	enum draw_prompt_state st;
	char text[sizeof(ui->draw.prompt.text)];
	ui_prompt_cb done = ui->prompt_done;
	void *data = ui->prompt_data;

	if (key == KEY_RESIZE || key == KEY_MOUSE)
		return UI_REDRAW;
	st = draw_prompt_key(&ui->draw, key);
	if (st == DRAW_PROMPT_EDITING)
		return UI_HANDLED | UI_REDRAW;
	memcpy(text, ui->draw.prompt.text, sizeof(text));
	if (done)
		done(ui, st == DRAW_PROMPT_DONE ? text : NULL, data); /* may open the next prompt */
	return UI_HANDLED | UI_REDRAW;
}

void ui_draw_status(struct ui *ui, int y)
{
	if (draw_status_line(&ui->draw, y, ui->now_usec))
		return;
	if (ui->sticky_status && ui->sticky_msg[0]) {
		attron(ui_color(ui, UC_HEADER));
		ui_put_w(y, 0, COLS, ui->sticky_msg);
		attroff(ui_color(ui, UC_HEADER));
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
