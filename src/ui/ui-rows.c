/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-rows.c - the row model of the table: after each sample (and after a key
 * that changes sort, filter or collapse) the rows are rebuilt from the tree,
 * as a tree (siblings sorted) or flat (all groups sorted), keeping only the
 * groups the filter matches and the children of expanded groups.  The state
 * that must survive a rebuild (collapsed, selection) lives on the groups, so
 * the selection follows its group.  Nothing is allocated in steady state: the
 * rows array and the sort scratch only grow, the sort keys are computed once
 * per group before qsort.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"
#include "names/names.h"
#include "ui/ui.h"

/* 16 bytes a group (a flag beside the value took 24): a group without the
 * value has NAN, which no column gives */
struct ui_sortent {
	struct cg_node *n;
	double v;
};

/* How a segment is sorted (qsort_r's context): the direction, and whether
 * names are whole paths (the flat list) or last components (the tree). */
struct sort_how {
	bool desc;
	bool by_path;
};

int ui_sort_letter(int c)
{
	if (c == SORT_NAME)
		return 'N';
	if (c < 0 || c >= _COL_MAX)
		return 0;
	return columns[c].sort_key;
}

int ui_sort_col_of_key(int key)
{
	if (key == 'N')
		return SORT_NAME;
	for (int c = 0; c < _COL_MAX; c++)
		if (columns[c].sort_key && columns[c].sort_key == key)
			return c;
	return -2;
}

void ui_set_sort(struct ui *ui, int c)
{
	ui->sort_col = c;
	ui->sort_desc = c != SORT_NAME;
	ui_sampling_plan(ui); /* the sort column is read for every group */
}

struct ui_node *ui_node_get(struct cg_node *n)
{
	if (!n->ui)
		n->ui = xcalloc(1, sizeof(struct ui_node));
	return n->ui;
}

void ui_node_free(struct cg_node *n, void *userdata)
{
	struct ui *ui = userdata;
	struct ui_node *u = n->ui;

	if (u) {
		free(u->hist);
		free(u);
		n->ui = NULL;
	}
	if (!ui)
		return;
	ui_events_node_freed(ui, n);
	if (ui->replay)
		ui->replay->nodes_freed++; /* the events' groups are to be found again */
	/* children go first: the selection moves up to the nearest group left */
	if (ui->sel == n)
		ui->sel = n->parent && !n->parent->hidden ? n->parent : NULL;
	if (ui->detail == n)
		ui->detail = NULL;
	ui->rows_stale = true;
	ui->n_rows = 0;
}

bool ui_sort_value(const struct ui *ui, const struct cg_node *n, int c, double *ret)
{
	if (c < 0 || c >= _COL_MAX)
		return false;
	return column_sort_value(n, (enum col_id)c, ui->tasks_own ? COLFMT_OWN : 0, ret);
}

static int cmp_path(const struct ui_sortent *a, const struct ui_sortent *b, const struct sort_how *how)
{
	return strcmp(how->by_path ? a->n->path : cg_node_name(a->n),
		      how->by_path ? b->n->path : cg_node_name(b->n));
}

static int cmp_ent(const void *a_, const void *b_, void *how_)
{
	const struct ui_sortent *a = a_, *b = b_;
	const struct sort_how *how = how_;
	bool av = !isnan(a->v), bv = !isnan(b->v);

	/* groups without the value go last in either direction */
	if (av != bv)
		return av ? -1 : 1;
	if (av && a->v != b->v) {
		int r = a->v < b->v ? -1 : 1;
		return how->desc ? -r : r;
	}
	return cmp_path(a, b, how);
}

static int cmp_name(const void *a_, const void *b_, void *how_)
{
	const struct sort_how *how = how_;
	int r = cmp_path(a_, b_, how);

	return how->desc ? -r : r;
}

static void sort_segment(struct ui *ui, struct ui_sortent *e, unsigned n, bool by_path)
{
	struct sort_how how = { .desc = ui->sort_desc, .by_path = by_path };

	if (n < 2)
		return;
	if (ui->sort_col == SORT_NAME) {
		/* siblings come in name order from the tree */
		if (!by_path && !ui->sort_desc)
			return;
		qsort_r(e, n, sizeof(*e), cmp_name, &how);
		return;
	}
	for (unsigned i = 0; i < n; i++)
		if (!ui_sort_value(ui, e[i].n, ui->sort_col, &e[i].v) || isnan(e[i].v))
			e[i].v = NAN;
	qsort_r(e, n, sizeof(*e), cmp_ent, &how);
}

static void add_row(struct ui *ui, struct cg_node *n, unsigned depth, bool last, bool kids)
{
	struct ui_row *r;

	if (ui->n_rows == ui->rows_size) {
		/* by half: a row per group, and thousands of groups */
		ui->rows_size = ui->rows_size ? ui->rows_size + ui->rows_size / 2 : 256;
		ui->rows = xrealloc(ui->rows, ui->rows_size * sizeof(*ui->rows));
	}
	r = &ui->rows[ui->n_rows++];
	r->node = n;
	r->depth = depth > UINT16_MAX ? UINT16_MAX : depth;
	r->has_children = kids;
	r->last = last;
}

uint64_t ui_row_last_mask(const struct ui *ui, unsigned idx, bool from_above, uint64_t above)
{
	const struct ui_row *r = &ui->rows[idx];
	unsigned d = r->depth;
	uint64_t below = d < 64 ? (1ull << d) - 1 : ~0ull, mask;

	if (idx && from_above) {
		/* the row before is the parent or in an earlier sibling's
		 * subtree: its bits below this depth are this row's ancestors' */
		mask = above & below;
	} else {
		/* rows are in preorder: going back, each row shallower than
		 * all after it is the next ancestor up */
		mask = 0;
		for (unsigned j = idx, want = d; j-- > 0 && want > 0;)
			if (ui->rows[j].depth < want) {
				want = ui->rows[j].depth;
				if (want < 64 && ui->rows[j].last)
					mask |= 1ull << want;
			}
	}
	if (d < 64 && r->last)
		mask |= 1ull << d;
	return mask;
}

static bool children_shown(const struct ui *ui, const struct cg_node *n)
{
	const struct cg_tree *t = &ui->tree;

	return t->max_depth < 0 || cg_node_depth_below_top(t, n) < (unsigned)t->max_depth;
}

static bool child_shown(const struct ui *ui, const struct cg_node *c)
{
	return !ui->filter[0] || ((struct ui_node *)c->ui)->matched;
}

/* Rows for n and, when expanded, its (matching) children from sortbuf[top..]. */
static void build_tree(struct ui *ui, struct cg_node *n, unsigned depth, bool last, unsigned top)
{
	struct ui_node *u = n->ui;
	bool filtering = ui->filter[0] != 0;
	unsigned cnt = 0;

	if (children_shown(ui, n))
		for (struct cg_node *c = n->children; c; c = c->next) {
			if (!child_shown(ui, c))
				continue;
			if (top + cnt >= ui->sortbuf_size)
				break; /* cannot happen: the scratch holds every node */
			ui->sortbuf[top + cnt++].n = c;
		}
	/* a filter shows the path to every match, collapsed or not */
	add_row(ui, n, depth, last, cnt > 0);
	if (!cnt || (u && u->collapsed && !filtering))
		return;
	sort_segment(ui, ui->sortbuf + top, cnt, false);
	for (unsigned i = 0; i < cnt; i++)
		build_tree(ui, ui->sortbuf[top + i].n, depth + 1, i + 1 == cnt, top + cnt);
}

/* The same in name order, the tree's own order of siblings: no scratch */
static void build_tree_named(struct ui *ui, struct cg_node *n, unsigned depth, bool last)
{
	struct ui_node *u = n->ui;
	struct cg_node *c = NULL;

	if (children_shown(ui, n))
		for (c = n->children; c && !child_shown(ui, c); c = c->next)
			;
	add_row(ui, n, depth, last, c != NULL);
	if (u && u->collapsed && !ui->filter[0])
		return;
	while (c) {
		struct cg_node *next = c->next;
		while (next && !child_shown(ui, next))
			next = next->next;
		build_tree_named(ui, c, depth + 1, !next);
		c = next;
	}
}

static void select_after_build(struct ui *ui)
{
	if (!ui->n_rows) {
		ui->sel = NULL;
		ui->sel_idx = ui->scroll = 0;
		return;
	}
	for (struct cg_node *want = ui->sel; want; want = want->parent) {
		for (unsigned i = 0; i < ui->n_rows; i++)
			if (ui->rows[i].node == want) {
				ui->sel = want;
				ui->sel_idx = i;
				return;
			}
		if (want == ui->tree.top)
			break;
	}
	if (ui->sel_idx >= ui->n_rows)
		ui->sel_idx = ui->n_rows - 1;
	ui->sel = ui->rows[ui->sel_idx].node;
}

void ui_rows_build(struct ui *ui)
{
	struct cg_tree *t = &ui->tree;
	bool filtering = ui->filter[0] != 0;
	unsigned total = 0;

	ui->n_rows = 0;
	ui->rows_stale = false;
	if (!t->top) {
		select_after_build(ui);
		return;
	}
	/* name order is the tree's (siblings) and the walk's (paths): the sort
	 * scratch only for another order (16 bytes a group, 180 KB at 10,000) */
	bool named = ui->sort_col == SORT_NAME && !ui->sort_desc;
	if (!named && ui->sortbuf_size < t->n_nodes + 1) {
		/* room for an eighth more groups before it grows again (twice
		 * the groups took 1 MB at 20,000) */
		ui->sortbuf_size = t->n_nodes + 1 + t->n_nodes / 8;
		ui->sortbuf = xrealloc(ui->sortbuf, ui->sortbuf_size * sizeof(*ui->sortbuf));
	}

	/* one pass: the count, the filter marks (preorder: a group is reset
	 * before its descendants mark it).  A group gets its dashboard state
	 * only when it has some (collapsed, flashing, events, history, a
	 * filter's mark): 48 bytes a group otherwise, at thousands of groups */
	for (struct cg_node *n = t->top; n; n = cg_tree_next(t, n)) {
		total++;
		if (!filtering)
			continue;
		struct ui_node *u = ui_node_get(n);
		/* its path or the name people use (names.h), whichever the first column shows */
		const struct group_name *g = names_of(t, n);
		u->matched = strstr(n->path, ui->filter) || (g && strstr(g->name, ui->filter));
		if (u->matched)
			for (struct cg_node *a = n->parent; a && a != t->top->parent; a = a->parent) {
				struct ui_node *au = a->ui;
				if (!au || au->matched)
					break;
				au->matched = true;
			}
	}
	ui->n_groups = total;
	if (ui->rows_size < total) {
		/* a row per group shown at most, sized from the count, not grown
		 * by half row by row (a third too many at 10,000 groups, and the
		 * copies): room for an eighth more groups before it grows again */
		free(ui->rows); /* (no row yet) */
		ui->rows_size = total + total / 8;
		ui->rows = xmalloc(ui->rows_size * sizeof(*ui->rows));
	}

	if (ui->flat && named) {
		/* name order in flat mode: the paths, which the walk already gives */
		for (struct cg_node *n = t->top; n; n = cg_tree_next(t, n))
			if (!filtering || strstr(n->path, ui->filter))
				add_row(ui, n, 0, false, false);
	} else if (ui->flat) {
		unsigned cnt = 0;
		for (struct cg_node *n = t->top; n && cnt < ui->sortbuf_size; n = cg_tree_next(t, n)) {
			if (filtering && !strstr(n->path, ui->filter))
				continue;
			ui->sortbuf[cnt++].n = n;
		}
		sort_segment(ui, ui->sortbuf, cnt, true);
		for (unsigned i = 0; i < cnt; i++)
			add_row(ui, ui->sortbuf[i].n, 0, false, false);
	} else if (!filtering || ((struct ui_node *)t->top->ui)->matched) {
		if (named)
			build_tree_named(ui, t->top, 0, true);
		else
			build_tree(ui, t->top, 0, true, 0);
	}
	select_after_build(ui);
}

void ui_rows_free(struct ui *ui)
{
	free(ui->rows);
	ui->rows = NULL;
	ui->n_rows = ui->rows_size = 0;
	free(ui->sortbuf);
	ui->sortbuf = NULL;
	ui->sortbuf_size = 0;
}

void ui_select_node(struct ui *ui, struct cg_node *n)
{
	if (!n)
		return;
	for (struct cg_node *a = n->parent; a && !a->hidden; a = a->parent)
		ui_node_get(a)->collapsed = false;
	ui->sel = n;
	ui_rows_build(ui);
	ui->dirty |= UI_REDRAW;
}
