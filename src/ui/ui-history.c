/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-history.c - per-group CPU and memory history for the sparklines of the
 * detail view: after each sample, CPU% and memory.current of every group on
 * the screen go into a ring of UI_HIST_LEN samples on its struct ui_node
 * (allocated when the group is first on the screen, never again; a group off
 * the screen is not read and gets a gap), and ui_history_draw() draws the last
 * samples as a sparkline (UTF-8 blocks, or ASCII when the terminal has no
 * UTF-8).  A sample the kernel did not give stays "none" and draws as a blank.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"
#include "ui/ui-curses.h"
#include "ui/ui.h"

#define CPU_NONE UINT16_MAX
#define MEM_NONE UINT32_MAX

static struct ui_history *hist_new(void)
{
	struct ui_history *h = xmalloc(sizeof(*h));

	memset(h->cpu_centi, 0xff, sizeof(h->cpu_centi));
	memset(h->mem_kib, 0xff, sizeof(h->mem_kib));
	h->head = 0;
	h->n = 0;
	h->backfilled = false;
	return h;
}

static void push(struct ui_history *h, const struct cg_node *n)
{
	uint16_t cpu = CPU_NONE;
	uint32_t mem = MEM_NONE;

	if (cg_rates(n)->cpu_percent_valid) {
		double c = cg_rates(n)->cpu_percent * 100.0;

		cpu = c < 0 ? 0 : c >= CPU_NONE - 1 ? CPU_NONE - 1 : (uint16_t)(c + 0.5);
	}
	if (VALID(&n->cur, V_MEM_CURRENT)) {
		uint64_t k = cg_val(&n->cur, V_MEM_CURRENT) / 1024;

		mem = k >= MEM_NONE - 1 ? MEM_NONE - 1 : (uint32_t)k;
	}
	h->cpu_centi[h->head] = cpu;
	h->mem_kib[h->head] = mem;
	h->head = (uint16_t)((h->head + 1) % UI_HIST_LEN);
	if (h->n < UI_HIST_LEN)
		h->n++;
}

static void push_none(struct ui_history *h)
{
	h->cpu_centi[h->head] = CPU_NONE;
	h->mem_kib[h->head] = MEM_NONE;
	h->head = (uint16_t)((h->head + 1) % UI_HIST_LEN);
	if (h->n < UI_HIST_LEN)
		h->n++;
}

void ui_history_sample(struct ui *ui)
{
	struct cg_tree *t = &ui->tree;

	for (struct cg_node *n = t->top; n; n = cg_tree_next(t, n)) {
		struct ui_node *un = n->ui;

		if (n->hidden || n->iteration != cg_count32(ui->s.iteration))
			continue; /* not sampled this time */
		if (n->full_iter != cg_count32(ui->s.iteration)) {
			/* off the screen, not read: a gap in a history it has */
			if (un && un->hist)
				push_none(un->hist);
			continue;
		}
		if (!ui->s.want_gen || n->want_gen != cg_count32(ui->s.want_gen))
			continue; /* not on the screen (or nothing drawn yet): no history kept */
		un = ui_node_get(n);
		if (!un->hist)
			un->hist = hist_new();
		push(un->hist, n);
	}
}

struct ui_history *ui_history_reset(struct cg_node *n)
{
	struct ui_node *un = ui_node_get(n);

	if (!un->hist)
		un->hist = hist_new();
	memset(un->hist->cpu_centi, 0xff, sizeof(un->hist->cpu_centi));
	memset(un->hist->mem_kib, 0xff, sizeof(un->hist->mem_kib));
	un->hist->head = 0;
	un->hist->n = 0;
	un->hist->backfilled = false;
	return un->hist;
}

void ui_history_push(struct ui_history *h, const double *cpu_percent, const uint64_t *mem_bytes)
{
	struct cg_node n = { 0 };
	struct cg_node_rates rates = { 0 };
	uint64_t mem = 0;

	if (cpu_percent) {
		rates.cpu_percent = *cpu_percent;
		rates.cpu_percent_valid = true;
		n.rates = &rates;
	}
	if (mem_bytes) {
		/* the node's one slot, on the stack */
		mem = *mem_bytes;
		n.cur.v = &mem;
		n.cur.have = n.cur.valid = 1ULL << V_MEM_CURRENT;
	}
	push(h, &n);
}

/* Value i samples back from the newest (0 newest); false when none. */
static bool hist_at(const struct ui_history *h, int which, unsigned back, double *ret)
{
	unsigned idx;

	if (back >= h->n)
		return false;
	idx = (h->head + UI_HIST_LEN - 1 - back) % UI_HIST_LEN;
	if (which == 0) {
		if (h->cpu_centi[idx] == CPU_NONE)
			return false;
		*ret = h->cpu_centi[idx] / 100.0;
	} else {
		if (h->mem_kib[idx] == MEM_NONE)
			return false;
		*ret = h->mem_kib[idx];
	}
	return true;
}

void ui_history_draw(struct ui *ui, const struct cg_node *n, int which, int y, int x, int w)
{
	static const char *const blocks[8] = { "\u2581", "\u2582", "\u2583", "\u2584",
					       "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char ascii[8] = { '_', '.', '-', ':', '=', '+', '*', '#' };
	const struct ui_node *un = n ? n->ui : NULL;
	const struct ui_history *h = un ? un->hist : NULL;
	double max = 0, v;
	char line[8 * 4 * 64 + 1];
	size_t o = 0;

	if (w <= 0)
		return;
	if (w > 8 * 64)
		w = 8 * 64;
	if (!h || h->n == 0) {
		attron(ui_color(ui, UC_DIM));
		mvaddnstr(y, x, "(no history yet)", w);
		attroff(ui_color(ui, UC_DIM));
		return;
	}
	for (int i = 0; i < w; i++)
		if (hist_at(h, which, (unsigned)i, &v) && v > max)
			max = v;
	/* CPU: scaled to at least 1 % so an idle group stays flat; memory:
	 * to the largest value shown */
	if (which == 0 && max < 1.0)
		max = 1.0;
	if (max <= 0)
		max = 1;
	/* oldest on the left, newest at the right end */
	for (int i = w - 1; i >= 0 && o + 4 < sizeof(line); i--) {
		if (!hist_at(h, which, (unsigned)i, &v)) {
			line[o++] = ' ';
			continue;
		}
		int lvl = (int)(v / max * 7.0 + 0.5);

		if (lvl < 0)
			lvl = 0;
		if (lvl > 7)
			lvl = 7;
		if (ui->draw.utf8) {
			size_t l = strlen(blocks[lvl]);

			memcpy(line + o, blocks[lvl], l);
			o += l;
		} else {
			line[o++] = ascii[lvl];
		}
	}
	line[o] = '\0';
	attron(ui_color(ui, which == 0 ? UC_BAR_LOW : UC_BAR_MID));
	mvaddstr(y, x, line);
	attroff(ui_color(ui, which == 0 ? UC_BAR_LOW : UC_BAR_MID));
}
