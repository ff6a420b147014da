/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * view-help.c - the help screen: every key of the dashboard, grouped, flowed
 * into as many columns as the terminal is wide; the sort letters come from the
 * row model's table so the help cannot disagree with the keys.  Any key
 * returns to the view it was opened from.
 */
#include <string.h>

#include "base/macro.h"
#include "ui/ui-curses.h"
#include "ui/ui.h"

struct help_line {
	const char *key; /* NULL: a section title in desc */
	const char *desc;
};

static const struct help_line help[] = {
	{ NULL, "Moving" },
	{ "Up Down", "select a group" },
	{ "PgUp PgDn", "a page up or down" },
	{ "Home End", "first or last group" },
	{ "Left Right", "collapse/expand (Left: parent)" },
	{ "- +", "collapse or expand" },
	{ "Space", "collapse or expand" },
	{ "mouse", "click: select a row, sort" },
	{ NULL, "Views" },
	{ "Enter", "detail of the group" },
	{ "e", "event log (Enter: incident, g: group)" },
	{ "i", "the newest event as an incident (in the detail view: the group's)" },
	{ "n p", "in an incident: the next older / newer one (of the group, from its detail)" },
	{ "Tab", "events pane on or off" },
	{ "t F5", "tree or flat list" },
	{ "F3", "search a name (F3: next)" },
	{ "/ F4", "filter by path or name substring" },
	{ "n", "names (unit, container, pod) or paths" },
	{ "r", "Tasks: subtree or own only" },
	{ "Esc", "clear the filter, leave" },
	{ "h ? F1", "this help" },
	{ "q F10", "quit" },
	{ NULL, "Sorting" },
	{ "< > F6", "previous or next column" },
	{ "I", "invert the order" },
	{ "", NULL }, /* the letters, from the table */
	{ NULL, "Refresh" },
	{ "d", "refresh interval (-d)" },
	{ NULL, "Numbers" },
	{ "Mem bar", "used: total - available (free)" },
	{ "/ Memory", "in use: total - free (+cache)" },
	{ NULL, "Replay (--replay FILE)" },
	{ "[ ]", "a sample back or forward" },
	{ "{ }", "a minute back or forward" },
	{ "( )", "an hour back or forward" },
	{ ", .", "previous or next OOM kill, rejection" },
	{ "T", "go to a time: 12:03, -10m, ISO date" },
	{ NULL, "Actions on the selected group" },
	{ "m", "memory limit (64M, max)" },
	{ "p", "pids limit (N or max)" },
	{ "a", "attach a process (pid)" },
	{ "f", "freeze or thaw" },
	{ "K F9", "kill all processes (asks)" },
};

#define KEY_W 11

static int hy0, hh, hcolw;

static void emit(struct ui *ui, int *line, const char *key, const char *desc, int attr)
{
	int col = *line / hh, y = hy0 + *line % hh, x = col * hcolw;

	(*line)++;
	if (x + 4 > COLS)
		return;
	int w = hcolw - 1 < COLS - x ? hcolw - 1 : COLS - x;
	if (!key) {
		attron(attr);
		mvaddnstr(y, x, desc, w);
		attroff(attr);
		return;
	}
	attron(A_BOLD);
	mvaddnstr(y, x + 1, key, w - 1);
	attroff(A_BOLD);
	if (w > KEY_W + 1)
		mvaddnstr(y, x + KEY_W + 1, desc, w - KEY_W - 1);
}

static void help_draw(struct ui *ui, int y, int h)
{
	int hdr = ui_color(ui, UC_HEADER), line = 0;
	char b[256];

	if (h < 3)
		return;
	attron(hdr | A_BOLD);
	mvaddnstr(y, 0,
		  "cgtop " PACKAGE_VERSION " - control groups, their limits, OOM kills and rejected forks",
		  COLS);
	attroff(hdr | A_BOLD);
	attron(ui_color(ui, UC_DIM));
	mvaddnstr(y + h - 1, 0, "Press any key to return.", COLS);
	attroff(ui_color(ui, UC_DIM));
	hy0 = y + 2;
	hh = h - 3;
	hcolw = COLS >= 150 ? COLS / 3 : COLS >= 80 ? COLS / 2 : COLS;
	if (hcolw > 60)
		hcolw = 60;
	for (unsigned i = 0; i < ARRAY_SIZE(help); i++) {
		if (help[i].key && !help[i].desc) {
			/* the sort letters of the name and the shown columns, packed */
			size_t o = 0;
			int c = SORT_NAME,
			    room = hcolw - 2 < (int)sizeof(b) - 1 ? hcolw - 2 : (int)sizeof(b) - 1;
			b[0] = 0;
			for (; c < _COL_MAX; c++) {
				int letter = ui_sort_letter(c);
				char one[40];
				if (!letter || (c != SORT_NAME && (!columns[c].title || !ui->col_sel[c])))
					continue;
				snprintf(one, sizeof(one), "%c %s", letter,
					 c == SORT_NAME ? "name" : columns[c].key);
				if (o && (int)(o + 2 + strlen(one)) > room) {
					emit(ui, &line, NULL, b, 0);
					o = 0;
					b[0] = 0;
				}
				o += snprintf(b + o, sizeof(b) - o, "%s%s", o ? "  " : " ", one);
			}
			if (o)
				emit(ui, &line, NULL, b, 0);
			continue;
		}
		if (!help[i].key && line % hh == hh - 1)
			line++; /* no section title alone at the bottom of a column */
		if (!help[i].key && (ui->readonly || ui->replay) &&
		    strncmp(help[i].desc, "Actions", 7) == 0) {
			emit(ui, &line, NULL,
			     ui->replay ? "Actions: off (a recording)" : "Actions: off (--readonly)", hdr);
			break;
		}
		emit(ui, &line, help[i].key, help[i].desc, hdr);
	}
}

static int help_key(struct ui *ui, int key)
{
	if (key == KEY_RESIZE || key == KEY_MOUSE) {
		if (key == KEY_MOUSE) {
			MEVENT me;
			getmouse(&me);
		}
		return UI_HANDLED | UI_REDRAW;
	}
	ui_switch_view(ui, ui->prev_view && ui->prev_view != &view_help ? ui->prev_view : &view_tree);
	return UI_HANDLED | UI_REDRAW;
}

const struct view_ops view_help = {
	.name = "help",
	.draw = help_draw,
	.key = help_key,
};
