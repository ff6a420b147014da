/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * view-tree.c - the table view: the header, the column titles (the sort
 * column marked), the rows of the row model (tree lines in UTF-8 or ASCII,
 * "-" for values not available, memory in % of the limit as a bar), the
 * events pane and, below, the status line drawn by ui.c.  Columns that do not
 * fit are dropped by priority, not cut; the name column takes the width they
 * leave, and a name that still does not fit keeps both its ends around an
 * ellipsis (the status line then shows the selected group's whole path).
 * Only the visible rows are formatted.  Its keys move the selection,
 * collapse and expand, search, sort, filter, open the detail view and the
 * event log, count a group's tasks with or without its descendants; a mouse
 * click selects or sorts.
 */
#include <errno.h>
#include <string.h>
#include <wchar.h>

#include "base/macro.h"
#include "ui/ui-curses.h"
#include "names/names.h"
#include "ui/ui.h"

#define NAME_MIN 16
#define PCT_WIDTH 11 /* Mem% as a bar and a number */

/* Layout of the last draw, for the mouse. */
static struct {
	int title_y, rows_y, rows_h;
	int name_w;
	unsigned n;
	int col[_COL_MAX], x[_COL_MAX], w[_COL_MAX];
} L;

/* Which columns stay when the terminal is narrow: higher stays longer. */
static int priority(int c)
{
	return columns[c].priority;
}

static int col_width(int c)
{
	int w = columns[c].width, tl = (int)strlen(columns[c].title);

	if (c == COL_MEM_PCT)
		return PCT_WIDTH;
	return (tl + 1 > w ? tl + 1 : w); /* room for the sort marker */
}

static void layout(struct ui *ui, int cols)
{
	bool keep[_COL_MAX] = { 0 };
	int total = 0;

	for (unsigned i = 0; i < ui->n_cols; i++) {
		int c = ui->col_order[i];
		if (!columns[c].title)
			continue;
		keep[c] = true;
		total += col_width(c) + 1;
	}
	while (total > 0 && cols - total < NAME_MIN) {
		int drop = -1;
		for (unsigned i = 0; i < ui->n_cols; i++) {
			int c = ui->col_order[i];
			if (keep[c] && (drop < 0 || priority(c) <= priority(drop)))
				drop = c;
		}
		if (drop < 0)
			break;
		keep[drop] = false;
		total -= col_width(drop) + 1;
	}
	L.name_w = cols - total;
	if (L.name_w < 1)
		L.name_w = 1;
	L.n = 0;
	int x = L.name_w;
	for (unsigned i = 0; i < ui->n_cols; i++) {
		int c = ui->col_order[i];
		if (!keep[c])
			continue;
		L.col[L.n] = c;
		L.x[L.n] = x + 1;
		L.w[L.n] = col_width(c);
		x += L.w[L.n] + 1;
		L.n++;
	}
}

static void draw_title(struct ui *ui, int y)
{
	int t = ui_color(ui, UC_TITLE), srt = ui_color(ui, UC_SORTED);
	const char *down = ui->draw.utf8 ? "\u25bc" : "v", *up = ui->draw.utf8 ? "\u25b2" : "^";
	char b[64];

	attron(t);
	mvhline(y, 0, ' ', COLS);
	attroff(t);
	snprintf(b, sizeof(b), "%s%s", ui->show_names ? "Name" : "Control Group",
		 ui->sort_col == SORT_NAME ? (ui->sort_desc ? down : up) : "");
	attron(ui->sort_col == SORT_NAME ? srt : t);
	ui_put_w(y, 0, L.name_w, b);
	attroff(ui->sort_col == SORT_NAME ? srt : t);
	for (unsigned i = 0; i < L.n; i++) {
		int c = L.col[i], sorted = c == ui->sort_col;
		int tl = (int)strlen(columns[c].title) + (sorted ? 1 : 0);
		attron(sorted ? srt : t);
		move(y, L.x[i] - 1);
		addch(' ');
		for (int k = tl; k < L.w[i]; k++)
			addch(' ');
		if (sorted)
			addstr(ui->sort_desc ? down : up);
		addstr(columns[c].title);
		attroff(sorted ? srt : t);
	}
}

/* How much of the room a cut name keeps for its start: a name keeps both
 * ends alike (kubepods-bu...e7.slice), a path more of its end, where the
 * group's own name is. */
#define NAME_START_PCT 50
#define PATH_START_PCT 33

/* What the first column shows for a group: its path (flat list, the top
 * row) or last component, or with n the name people use (names.h) where it
 * has one. */
static const char *label(const struct ui *ui, const struct cg_node *n, bool path)
{
	if (ui->show_names) {
		const struct group_name *g = names_of(&ui->tree, n);
		if (g && g->name[0])
			return g->name;
	}
	return path ? n->path : cg_node_name(n);
}

/* The tree lines and name of one row into the name column (mask: bit d, the
 * row's ancestor at depth d, or the row at its own, is a last child:
 * ui_row_last_mask); whether the name had to be shortened. */
static bool draw_name(struct ui *ui, const struct ui_row *r, uint64_t mask, int y)
{
	const struct cg_node *n = r->node;
	const struct ui_node *u = n->ui;
	char b[512];
	size_t o = 0;
	const char *vert = ui->draw.utf8 ? "\u2502 " : "| ", *tee = ui->draw.utf8 ? "\u251c\u2500" : "|-",
		   *ell = ui->draw.utf8 ? "\u2514\u2500" : "`-";
	bool collapsed = u && u->collapsed && r->has_children && !ui->filter[0];
	/* a group that just had an OOM kill or a fork rejection: '!' also without colours */
	bool flash = u && u->flash_until_usec > ui->now_usec;
	int pw;

	if (ui->flat || r->depth == 0) {
		/* the markers stay in front of a path cut to fit */
		const char *mark = flash                    ? (collapsed && !ui->flat ? "!+ " : "!")
				   : collapsed && !ui->flat ? "+ "
							    : "";
		int mw = (int)strlen(mark) < L.name_w ? (int)strlen(mark) : 0;

		if (mw)
			mvaddstr(y, 0, mark);
		return ui_put_ellipsized(ui, y, mw, L.name_w - mw, label(ui, n, true), PATH_START_PCT);
	}
	/* deep trees: keep at least half the column for the name; each level
	 * and the tee take two columns, the marker one */
	unsigned maxd = L.name_w / 4;
	unsigned from = r->depth > maxd ? r->depth - maxd : 1;
	b[0] = 0;
	for (unsigned d = from; d < r->depth && o + 8 < sizeof(b); d++) {
		bool last = d < 64 && (mask >> d) & 1;
		o += snprintf(b + o, sizeof(b) - o, "%s", last ? "  " : vert);
	}
	if (o + 8 < sizeof(b))
		o += snprintf(b + o, sizeof(b) - o, "%s%s",
			      (r->depth < 64 && (mask >> r->depth) & 1) ? ell : tee,
			      flash       ? "!"
			      : collapsed ? "+"
					  : " ");
	pw = ui_str_width(b);
	if (pw >= L.name_w) {
		ui_put_w(y, 0, L.name_w, b);
		return true;
	}
	ui_put_w(y, 0, pw, b);
	return ui_put_ellipsized(ui, y, pw, L.name_w - pw, label(ui, n, false), NAME_START_PCT);
}

static void draw_row(struct ui *ui, const struct ui_row *r, uint64_t mask, int y, bool sel)
{
	const struct ui_node *u = r->node->ui;
	int attr = 0;
	char b[64];

	if (sel)
		attr = ui_color(ui, UC_SELECTED);
	else if (u && u->flash_until_usec > ui->now_usec)
		attr = ui_color(ui, UC_FLASH);
	attron(attr);
	if (attr)
		mvhline(y, 0, ' ', COLS);
	if (draw_name(ui, r, mask, y) && sel)
		ui->sel_name_cut = true; /* the status line shows the whole path */
	for (unsigned i = 0; i < L.n; i++) {
		int c = L.col[i], w = L.w[i];
		if (c == COL_MEM_PCT) {
			const struct cg_node *n = r->node;
			double f;
			if (ui_sort_value(ui, n, COL_MEM_PCT, &f)) {
				snprintf(b, sizeof(b), "%4.0f%%", f);
				move(y, L.x[i] - 1);
				addch(' ');
				attroff(attr);
				ui_draw_bar(ui, y, L.x[i], w - 6, f / 100);
				attron(attr);
				mvprintw(y, L.x[i] + w - 6, " %5s", b);
				continue;
			}
		}
		column_format(r->node, (enum col_id)c, ui->tasks_own ? COLFMT_OWN : 0, b, sizeof(b));
		bool dash = b[0] == '-' && !b[1];
		if (dash && !attr)
			attron(ui_color(ui, UC_DIM));
		mvprintw(y, L.x[i] - 1, " %*.*s", w, w, b);
		if (dash && !attr)
			attroff(ui_color(ui, UC_DIM));
	}
	attroff(attr);
}

static void tree_draw(struct ui *ui, int y, int h)
{
	int hh = ui_header_height(ui), ev_h;

	if (hh > h - 2)
		hh = h - 2 > 0 ? 1 : 0;
	ui_header_draw(ui, y, hh);
	y += hh;
	h -= hh;
	if (h <= 0)
		return;
	layout(ui, COLS);
	L.title_y = y;
	draw_title(ui, y);
	y++;
	h--;
	ev_h = ui->show_events_pane ? ui_events_pane_height(ui) : 0;
	if (ev_h > h / 2)
		ev_h = h / 2;
	if (ev_h > 0 && h - ev_h >= 2) {
		ui_events_pane_draw(ui, y + h - ev_h, ev_h);
		h -= ev_h;
	}
	L.rows_y = y;
	L.rows_h = h;
	ui->sel_name_cut = false;
	if (h <= 0)
		return;

	/* keep the selection in view */
	if (ui->sel_idx < ui->scroll)
		ui->scroll = ui->sel_idx;
	if (ui->sel_idx >= ui->scroll + (unsigned)h)
		ui->scroll = ui->sel_idx - h + 1;
	if (ui->n_rows <= (unsigned)h)
		ui->scroll = 0;
	else if (ui->scroll > ui->n_rows - h)
		ui->scroll = ui->n_rows - h;

	if (!ui->n_rows) {
		attron(ui_color(ui, UC_DIM));
		mvaddnstr(y, 0, ui->filter[0] ? "no group matches the filter" : "no groups", COLS);
		attroff(ui_color(ui, UC_DIM));
		return;
	}
	uint64_t mask = 0;
	for (int i = 0; i < h && ui->scroll + i < ui->n_rows; i++) {
		unsigned idx = ui->scroll + i;
		mask = ui_row_last_mask(ui, idx, i > 0, mask);
		ui_want_node(ui, ui->rows[idx].node);
		draw_row(ui, &ui->rows[idx], mask, y + i, idx == ui->sel_idx);
	}
}

static void select_idx(struct ui *ui, long idx)
{
	if (!ui->n_rows)
		return;
	if (idx < 0)
		idx = 0;
	if (idx >= (long)ui->n_rows)
		idx = ui->n_rows - 1;
	ui->sel_idx = (unsigned)idx;
	ui->sel = ui->rows[idx].node;
}

/* What the search looks at: the name as the row shows it. */
static const char *shown_name(const struct ui *ui, const struct ui_row *r)
{
	return label(ui, r->node, ui->flat || r->depth == 0);
}

void ui_search(struct ui *ui, bool next)
{
	bool found = false;

	if (ui->search[0] && ui->n_rows) {
		unsigned start = ui->sel_idx + (next ? 1 : 0);

		for (unsigned k = 0; k < ui->n_rows && !found; k++) {
			unsigned i = (start + k) % ui->n_rows;

			if (strcasestr(shown_name(ui, &ui->rows[i]), ui->search)) {
				select_idx(ui, i);
				found = true;
			}
		}
	}
	ui->search_failed = ui->search[0] && !found;
	if (ui->search_editing)
		snprintf(ui->draw.prompt.label, sizeof(ui->draw.prompt.label), "%s",
			 ui->search_failed ? "Search, no match (F3: next): " : "Search (F3: next): ");
	ui->dirty |= UI_REDRAW;
}

static void search_done(struct ui *ui, const char *text, void *data)
{
	(void)text;
	(void)data;
	ui->search_editing = false;
	if (ui->search_failed)
		ui_set_status(ui, true, "no group matches '%.200s'", ui->search);
	ui->dirty |= UI_REDRAW;
}

/* + and -, as in htop: expand or collapse the selected group, nothing else. */
static int fold(struct ui *ui, bool expand)
{
	struct ui_row *r;

	if (ui->flat) {
		ui_set_status(ui, false, "the flat list has no subtrees to %s: t shows the tree",
			      expand ? "expand" : "collapse");
		return UI_HANDLED | UI_REDRAW;
	}
	if (!ui->n_rows || ui->filter[0])
		return UI_HANDLED;
	r = &ui->rows[ui->sel_idx];
	if (!r->has_children)
		return UI_HANDLED;
	ui_node_get(r->node)->collapsed = !expand;
	return UI_HANDLED | UI_REBUILD | UI_REDRAW;
}

static void filter_done(struct ui *ui, const char *text, void *data)
{
	(void)data;
	ui->filter_editing = false;
	snprintf(ui->filter, sizeof(ui->filter), "%s", text ? text : "");
	ui->dirty |= UI_REBUILD | UI_REDRAW;
}

/* Sort columns in the order < and > walk them: the name, then the selected columns. */
static void sort_step(struct ui *ui, int dir)
{
	int list[_COL_MAX + 1], n = 0, cur = 0;

	list[n++] = SORT_NAME;
	for (unsigned i = 0; i < ui->n_cols; i++)
		if (columns[ui->col_order[i]].title)
			list[n++] = ui->col_order[i];
	for (int i = 0; i < n; i++)
		if (list[i] == ui->sort_col)
			cur = i;
	cur = (cur + dir + n) % n;
	ui_set_sort(ui, list[cur]);
}

static const char *sort_name(int c)
{
	return c == SORT_NAME ? "name" : columns[c].key;
}

static int toggle(struct ui *ui, int how) /* how: 0 toggle, 1 expand, -1 collapse */
{
	struct ui_row *r;
	struct ui_node *u;

	if (!ui->n_rows || ui->filter[0])
		return UI_HANDLED;
	r = &ui->rows[ui->sel_idx];
	u = ui_node_get(r->node);
	if (!r->has_children) {
		if (how < 0 && r->node != ui->tree.top && r->node->parent) {
			/* Left on a leaf: to the parent, as in a file manager */
			ui->sel = r->node->parent;
			return UI_HANDLED | UI_REBUILD | UI_REDRAW;
		}
		return UI_HANDLED;
	}
	if (how < 0 && u->collapsed && r->node != ui->tree.top && r->node->parent) {
		ui->sel = r->node->parent;
		return UI_HANDLED | UI_REBUILD | UI_REDRAW;
	}
	u->collapsed = how == 0 ? !u->collapsed : how < 0;
	return UI_HANDLED | UI_REBUILD | UI_REDRAW;
}

static int mouse(struct ui *ui)
{
	MEVENT me;

	if (getmouse(&me) != OK)
		return UI_HANDLED;
	if (me.bstate & BUTTON4_PRESSED) {
		select_idx(ui, (long)ui->sel_idx - 3);
		return UI_HANDLED | UI_REDRAW;
	}
	if (me.bstate & BUTTON5_PRESSED) {
		select_idx(ui, (long)ui->sel_idx + 3);
		return UI_HANDLED | UI_REDRAW;
	}
	if (!(me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)))
		return UI_HANDLED;
	if (me.y == L.title_y) {
		int c = -2;
		if (me.x < L.name_w)
			c = SORT_NAME;
		for (unsigned i = 0; i < L.n; i++)
			if (me.x >= L.x[i] - 1 && me.x < L.x[i] + L.w[i])
				c = L.col[i];
		if (c == -2)
			return UI_HANDLED;
		if (c == ui->sort_col)
			ui->sort_desc = !ui->sort_desc;
		else
			ui_set_sort(ui, c);
		return UI_HANDLED | UI_REBUILD | UI_REDRAW;
	}
	if (me.y >= L.rows_y && me.y < L.rows_y + L.rows_h) {
		long idx = (long)ui->scroll + (me.y - L.rows_y);
		if (idx < (long)ui->n_rows)
			select_idx(ui, idx);
		return UI_HANDLED | UI_REDRAW;
	}
	return UI_HANDLED;
}

static int tree_key(struct ui *ui, int key)
{
	int page = L.rows_h > 1 ? L.rows_h - 1 : 1, c;

	switch (key) {
	case KEY_UP:
		select_idx(ui, (long)ui->sel_idx - 1);
		return UI_HANDLED | UI_REDRAW;
	case KEY_DOWN:
		select_idx(ui, (long)ui->sel_idx + 1);
		return UI_HANDLED | UI_REDRAW;
	case KEY_PPAGE:
		select_idx(ui, (long)ui->sel_idx - page);
		return UI_HANDLED | UI_REDRAW;
	case KEY_NPAGE:
		select_idx(ui, (long)ui->sel_idx + page);
		return UI_HANDLED | UI_REDRAW;
	case KEY_HOME:
		select_idx(ui, 0);
		return UI_HANDLED | UI_REDRAW;
	case KEY_END:
		select_idx(ui, (long)ui->n_rows - 1);
		return UI_HANDLED | UI_REDRAW;
	case KEY_LEFT:
		return toggle(ui, -1);
	case KEY_RIGHT:
		return toggle(ui, 1);
	case ' ':
		return toggle(ui, 0);
	case '+':
	case '-':
		return fold(ui, key == '+');
	case '<':
	case '>':
	case KEY_F(6):
		sort_step(ui, key == '<' ? -1 : 1);
		ui_set_status(ui, false, "sorted by %s", sort_name(ui->sort_col));
		return UI_HANDLED | UI_REBUILD | UI_REDRAW;
	case 'I':
		ui->sort_desc = !ui->sort_desc;
		return UI_HANDLED | UI_REBUILD | UI_REDRAW;
	case KEY_F(3): /* htop's search */
		/* a new search each time, as in htop */
		ui->search_editing = true;
		ui->search[0] = 0;
		ui->search_failed = false;
		ui_prompt(ui, "Search (F3: next): ", "", search_done, NULL);
		return UI_HANDLED | UI_REDRAW;
	case '/':
	case KEY_F(4): /* htop's filter */
		ui->filter_editing = true;
		ui_prompt(ui, "Filter (substring of the path or name): ", ui->filter, filter_done, NULL);
		return UI_HANDLED | UI_REDRAW;
	case 27: /* Esc */
		if (ui->filter[0]) {
			ui->filter[0] = 0;
			return UI_HANDLED | UI_REBUILD | UI_REDRAW;
		}
		return UI_HANDLED;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (ui->sel) {
			ui->detail = ui->sel;
			ui->detail_scroll = 0;
			ui_switch_view(ui, &view_detail);
		}
		return UI_HANDLED | UI_REDRAW;
	case 'e':
	case 'i':
	case '\t':
		return ui_events_key(ui, key);
	case 'n':
		ui->show_names = !ui->show_names;
		ui_set_status(ui, false, "first column: %s",
			      ui->show_names ? "names (units, containers, pods)" : "kernel paths");
		return UI_HANDLED | UI_REDRAW;
	case 'r':
		ui->tasks_own = !ui->tasks_own;
		ui_sampling_plan(ui); /* a subtree count reads every group */
		ui_set_status(ui, false, "Tasks and Threads: %s",
			      ui->tasks_own ? "the group itself" : "the group and its descendants");
		return UI_HANDLED | UI_REBUILD | UI_REDRAW;
	case KEY_MOUSE:
		return mouse(ui);
	default:
		break;
	}
	c = ui_sort_col_of_key(key);
	if (c != -2) {
		if (c != SORT_NAME && !ui->col_sel[c]) {
			ui_set_status(ui, true, "column %s is not shown (--columns)", columns[c].key);
			return UI_HANDLED | UI_REDRAW;
		}
		if (c == ui->sort_col)
			ui->sort_desc = !ui->sort_desc;
		else
			ui_set_sort(ui, c);
		ui_set_status(ui, false, "sorted by %s%s", sort_name(c), ui->sort_desc ? ", descending" : "");
		return UI_HANDLED | UI_REBUILD | UI_REDRAW;
	}
	return UI_UNHANDLED;
}

const struct view_ops view_tree = {
	.name = "tree",
	.draw = tree_draw,
	.key = tree_key,
};
