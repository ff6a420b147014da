/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * view-events.c - the OOM kills and fork rejections of the dashboard: the ring
 * the events tracker's emit callback fills (ui_events_add: counts, and marks
 * the group so the table highlights it for a while), the pane under the table
 * with the latest ones, and the full event log (e), newest first, where Enter
 * jumps to the event's group.  The ring holds UI_EVENTS_MAX events and is
 * allocated with the first one; the oldest is overwritten after that.  Only
 * the events of the shown root and its descendants are kept (and system-wide
 * OOM kills): the kernel log speaks of the whole system.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "macro.h"
#include "ui-curses.h"
#include "ui.h"
#include "units.h"

#define FLASH_USEC (10ULL * 1000000) /* how long a group stays highlighted */
#define PANE_MAX 5                   /* lines of the pane: a title and 4 events */

static bool is_kill(enum cg_event_kind k)
{
	return k == EV_OOM_KILL || k == EV_GLOBAL_OOM;
}

/* The group an event belongs to: the pids group of a rejection, the victim's
 * own group of a kill (its limit may be an ancestor's). */
static const char *event_group(const struct cg_event *ev)
{
	if (ev->kind == EV_PIDS_FORK_REJECTED)
		return ev->cgroup[0] ? ev->cgroup : ev->task_cgroup;
	return ev->task_cgroup[0] ? ev->task_cgroup : ev->cgroup;
}

const char *ui_event_group(const struct ui_event *e)
{
	return event_group(&e->ev);
}

const struct ui_event *ui_event_nth(const struct ui *ui, unsigned i)
{
	if (!ui->events || i >= ui->ev_n)
		return NULL;
	return &ui->events[(ui->ev_head + UI_EVENTS_MAX - 1 - i) % UI_EVENTS_MAX];
}

static struct ui_event *nth(struct ui *ui, unsigned i)
{
	if (!ui->events || i >= ui->ev_n)
		return NULL;
	return &ui->events[(ui->ev_head + UI_EVENTS_MAX - 1 - i) % UI_EVENTS_MAX];
}

/* A kernel-log record of a kill the counters already reported: give the
 * newest counter event of that group its details instead of a second line. */
static bool merge_update(struct ui *ui, const struct cg_event *ev, double time)
{
	const char *g = event_group(ev);

	for (unsigned i = 0; i < ui->ev_n && i < 64; i++) {
		struct ui_event *e = nth(ui, i);

		if (!e || e->ev.source != EV_SRC_COUNTER || e->ev.kind != ev->kind ||
		    e->ev.pid >= 0 || strcmp(event_group(&e->ev), g) != 0)
			continue;
		uint64_t count = e->ev.count;

		cg_event_copy(&e->ev, ev);
		e->ev.count = count;
		if (e->time < 0)
			e->time = time;
		return true;
	}
	return false;
}

static void mark_group(struct ui *ui, struct cg_node *n, uint64_t count)
{
	struct ui_node *un = ui_node_get(n);

	if (!un)
		return;
	un->flash_until_usec = ui_now_usec() + FLASH_USEC;
	un->n_events += (uint32_t)count;
}

/* Is group path g the shown root or below it? */
static bool under_top(const struct ui *ui, const char *g)
{
	const char *top = ui->tree.top ? ui->tree.top->path : "/";
	size_t l = strlen(top);

	if (strcmp(top, "/") == 0)
		return true;
	return strncmp(g, top, l) == 0 && (g[l] == '\0' || g[l] == '/');
}

void ui_events_add(struct ui *ui, const struct cg_event *ev, double time)
{
	struct ui_event *e;
	struct cg_node *n;
	uint64_t count = ev->source == EV_SRC_COUNTER && ev->count ? ev->count : 1;
	const char *g = event_group(ev);

	if (!ui->events) {
		/* calloc: pages of the path buffers are touched only as used */
		ui->events = xcalloc(UI_EVENTS_MAX, sizeof(*ui->events));
		ui->ev_head = ui->ev_n = 0;
	}
	if (time < 0) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		time = ts.tv_sec + ts.tv_nsec / 1e9;
	}
	/* the kernel log is the whole system's: a dashboard on PATH shows the
	 * events of PATH and below (and system-wide OOM kills) */
	if (ev->kind != EV_GLOBAL_OOM && g[0] && !under_top(ui, g))
		return;
	n = g[0] ? cg_tree_find(&ui->tree, g) : NULL;

	if (ev->update) {
		/* already counted and shown from the counters */
		if (n) {
			struct ui_node *un = ui_node_get(n);

			if (un)
				un->flash_until_usec = ui_now_usec() + FLASH_USEC;
		}
		if (merge_update(ui, ev, time)) {
			ui->dirty |= UI_REDRAW;
			return;
		}
	} else if (is_kill(ev->kind)) {
		ui->oom_kills += count;
		if (n)
			mark_group(ui, n, count);
	} else if (ev->kind == EV_PIDS_FORK_REJECTED) {
		ui->fork_rejections += count;
		if (n)
			mark_group(ui, n, count);
	}

	e = &ui->events[ui->ev_head];
	cg_event_copy(&e->ev, ev);
	e->time = time;
	e->node = n;
	ui->ev_head = (ui->ev_head + 1) % UI_EVENTS_MAX;
	if (ui->ev_n < UI_EVENTS_MAX)
		ui->ev_n++;
	/* the log keeps its selection on the same event */
	if (ui->view == &view_events && ui->ev_sel > 0 && ui->ev_sel + 1 < ui->ev_n)
		ui->ev_sel++;
	ui->dirty |= UI_REDRAW;
}

void ui_events_node_freed(struct ui *ui, struct cg_node *n)
{
	if (!ui->events)
		return;
	for (unsigned i = 0; i < UI_EVENTS_MAX; i++)
		if (ui->events[i].node == n)
			ui->events[i].node = NULL;
}

void ui_events_free(struct ui *ui)
{
	free(ui->events);
	ui->events = NULL;
	ui->ev_n = ui->ev_head = 0;
}

/* ---- formatting ---- */

static const char *kind_label(enum cg_event_kind k)
{
	switch (k) {
	case EV_OOM_KILL:
		return "OOM kill";
	case EV_GLOBAL_OOM:
		return "global OOM";
	case EV_OOM_INVOKED:
		return "OOM invoked";
	case EV_PIDS_FORK_REJECTED:
		return "fork rejected";
	default:
		return "event";
	}
}

/* Printable: control bytes of a task name become '?'. */
static void clean(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

void ui_event_format(const struct ui_event *e, bool with_group, int width, char *out, size_t size)
{
	const struct cg_event *ev = &e->ev;
	char tbuf[16] = "--:--:--", rss[16];
	size_t o = 0;
	int r;

#define PUT(...)                                                                                   \
	do {                                                                                       \
		if (o < size) {                                                                    \
			r = snprintf(out + o, size - o, __VA_ARGS__);                              \
			if (r > 0)                                                                 \
				o += (size_t)r;                                                    \
		}                                                                                  \
	} while (0)

	if (size == 0)
		return;
	out[0] = '\0';
	if (e->time >= 0) {
		time_t t = (time_t)e->time;
		struct tm tm;

		if (localtime_r(&t, &tm))
			strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
	}
	/* the group last: paths are long, the rest is short */
	PUT("%s %-13s %-7s", tbuf, kind_label(ev->kind),
	    ev->source == EV_SRC_COUNTER ? "counter" : "kmsg");
	if (ev->pid >= 0)
		PUT(" pid %lld", (long long)ev->pid);
	if (ev->task[0])
		PUT(" %s", ev->task);
	if (ev->source == EV_SRC_COUNTER && ev->count > 1)
		PUT(" x%llu", (unsigned long long)ev->count);
	if (ev->anon_rss_kb >= 0) {
		uint64_t kb = (uint64_t)ev->anon_rss_kb +
			      (uint64_t)(ev->file_rss_kb > 0 ? ev->file_rss_kb : 0) +
			      (uint64_t)(ev->shmem_rss_kb > 0 ? ev->shmem_rss_kb : 0);

		PUT(" rss %s", units_format_bytes(rss, sizeof(rss), kb * 1024));
	}
	if (with_group) {
		const char *g = event_group(ev)[0] ? event_group(ev) : "?";
		size_t glen = strlen(g);
		int avail = width > 0 ? width - (int)o - 2 : INT_MAX;

		/* a path too long for the line loses its start, not its last names */
		if ((int)glen <= avail)
			PUT("  %s", g);
		else if (avail > 8)
			PUT("  ...%s", g + glen - (size_t)(avail - 3));
	}
	if (ev->kind == EV_OOM_KILL && ev->cgroup[0] && ev->task_cgroup[0] &&
	    strcmp(ev->cgroup, ev->task_cgroup) != 0 &&
	    (width <= 0 || (int)(o + strlen(ev->cgroup) + 11) <= width))
		PUT(" (limit of %s)", ev->cgroup);
#undef PUT
	clean(out);
}

/* Draw s at y, x, cut to w columns (UTF-8 continuation bytes take none), and
 * pad with blanks to w. */
/* ---- the pane ---- */

static const char *counters_only(const struct ui *ui)
{
	if (ui->events_on && !ui->ev.kmsg_open)
		return " (kernel log not readable: counters only)";
	return "";
}

static unsigned pane_events(const struct ui *ui)
{
	unsigned n = 0;

	for (unsigned i = 0; i < ui->ev_n; i++) {
		const struct ui_event *e = ui_event_nth(ui, i);

		if (e && e->ev.kind != EV_OOM_INVOKED)
			n++;
	}
	return n;
}

int ui_events_pane_height(const struct ui *ui)
{
	unsigned n, max = PANE_MAX;

	if (!ui->show_events_pane || ui->lines < 12)
		return 0;
	if (ui->lines < 24)
		max = 3;
	n = pane_events(ui);
	if (n == 0)
		return 1;
	return (int)(1 + (n < max - 1 ? n : max - 1));
}

void ui_events_pane_draw(struct ui *ui, int y, int h)
{
	char line[1024];
	int w = ui->cols, row = 1;

	if (h <= 0 || w <= 0)
		return;
	if (ui->oom_kills == 0 && ui->fork_rejections == 0 && pane_events(ui) == 0) {
		snprintf(line, sizeof(line),
			 " No OOM kills or fork rejections since start%s   (Tab hides, e: log)",
			 counters_only(ui));
		attron(ui_color(ui, UC_DIM));
		ui_put_w(y, 0, w, line);
		attroff(ui_color(ui, UC_DIM));
		return;
	}
	snprintf(line, sizeof(line),
		 " Events: %llu OOM kill%s, %llu rejected fork%s   (e: log, Tab hides)",
		 (unsigned long long)ui->oom_kills, ui->oom_kills == 1 ? "" : "s",
		 (unsigned long long)ui->fork_rejections, ui->fork_rejections == 1 ? "" : "s");
	attron(ui_color(ui, UC_TITLE));
	ui_put_w(y, 0, w, line);
	attroff(ui_color(ui, UC_TITLE));
	for (unsigned i = 0; i < ui->ev_n && row < h; i++) {
		const struct ui_event *e = ui_event_nth(ui, i);
		const struct ui_node *un;
		bool recent;

		if (!e || e->ev.kind == EV_OOM_INVOKED)
			continue;
		un = e->node ? e->node->ui : NULL;
		recent = i == 0 && un && un->flash_until_usec > ui_now_usec();
		line[0] = ' ';
		ui_event_format(e, true, w - 1, line + 1, sizeof(line) - 1);
		if (recent)
			attron(ui_color(ui, UC_FLASH));
		ui_put_w(y + row, 0, w, line);
		if (recent)
			attroff(ui_color(ui, UC_FLASH));
		row++;
	}
	for (; row < h; row++)
		ui_put_w(y + row, 0, w, "");
}

int ui_events_key(struct ui *ui, int key)
{
	switch (key) {
	case 'e':
		ui->ev_sel = 0;
		ui->ev_scroll = 0;
		ui_switch_view(ui, &view_events);
		return UI_HANDLED | UI_REDRAW;
	case '\t':
		ui->show_events_pane = !ui->show_events_pane;
		return UI_HANDLED | UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
}

/* ---- the full log ---- */

static void log_draw(struct ui *ui, int y, int h)
{
	char line[1024];
	int w = ui->cols, list_h;

	if (h <= 0)
		return;
	snprintf(line, sizeof(line),
		 " Event log: %u kept, %llu OOM kill%s, %llu rejected fork%s since start%s   "
		 "Enter: go to group  Esc: back",
		 ui->ev_n, (unsigned long long)ui->oom_kills, ui->oom_kills == 1 ? "" : "s",
		 (unsigned long long)ui->fork_rejections, ui->fork_rejections == 1 ? "" : "s",
		 counters_only(ui));
	attron(ui_color(ui, UC_TITLE));
	ui_put_w(y, 0, w, line);
	attroff(ui_color(ui, UC_TITLE));
	list_h = h - 1;
	if (ui->ev_n == 0) {
		attron(ui_color(ui, UC_DIM));
		if (list_h > 0)
			ui_put_w(y + 1, 0, w, " No events since start.");
		attroff(ui_color(ui, UC_DIM));
		return;
	}
	if (list_h <= 0)
		return;
	if (ui->ev_sel >= ui->ev_n)
		ui->ev_sel = ui->ev_n - 1;
	if (ui->ev_sel < ui->ev_scroll)
		ui->ev_scroll = ui->ev_sel;
	if (ui->ev_sel >= ui->ev_scroll + (unsigned)list_h)
		ui->ev_scroll = ui->ev_sel - (unsigned)list_h + 1;
	for (int r = 0; r < list_h; r++) {
		unsigned i = ui->ev_scroll + (unsigned)r;
		const struct ui_event *e = ui_event_nth(ui, i);
		int attr;

		if (!e) {
			ui_put_w(y + 1 + r, 0, w, "");
			continue;
		}
		line[0] = ' ';
		ui_event_format(e, true, w - 1, line + 1, sizeof(line) - 1);
		attr = i == ui->ev_sel ? ui_color(ui, UC_SELECTED)
		       : e->ev.kind == EV_OOM_INVOKED ? ui_color(ui, UC_DIM)
						     : 0;
		if (attr)
			attron(attr);
		ui_put_w(y + 1 + r, 0, w, line);
		if (attr)
			attroff(attr);
	}
}

static void log_jump(struct ui *ui)
{
	const struct ui_event *e = ui_event_nth(ui, ui->ev_sel);
	struct cg_node *n;

	if (!e)
		return;
	n = e->node;
	if (!n && ui_event_group(e)[0])
		n = cg_tree_find(&ui->tree, ui_event_group(e)); /* made anew since */
	if (!n || n->hidden) {
		ui_set_status(ui, true, "%s is not in the tree (gone, or outside the shown root)",
			      ui_event_group(e)[0] ? ui_event_group(e) : "the group");
		return;
	}
	ui_switch_view(ui, &view_tree);
	ui_select_node(ui, n);
}

static int log_key(struct ui *ui, int key)
{
	int page = ui->lines > 4 ? ui->lines - 4 : 1;

	switch (key) {
	case KEY_UP:
	case 'k':
		if (ui->ev_sel > 0)
			ui->ev_sel--;
		break;
	case KEY_DOWN:
	case 'j':
		if (ui->ev_sel + 1 < ui->ev_n)
			ui->ev_sel++;
		break;
	case KEY_PPAGE:
		ui->ev_sel = ui->ev_sel > (unsigned)page ? ui->ev_sel - (unsigned)page : 0;
		break;
	case KEY_NPAGE:
		ui->ev_sel += (unsigned)page;
		if (ui->ev_sel >= ui->ev_n)
			ui->ev_sel = ui->ev_n ? ui->ev_n - 1 : 0;
		break;
	case KEY_HOME:
		ui->ev_sel = 0;
		break;
	case KEY_END:
		ui->ev_sel = ui->ev_n ? ui->ev_n - 1 : 0;
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
		log_jump(ui);
		return UI_HANDLED | UI_REDRAW | UI_REBUILD;
	case 27: /* Esc */
	case 'q':
	case 'e':
	case KEY_LEFT:
	case KEY_BACKSPACE:
		ui_switch_view(ui, &view_tree);
		return UI_HANDLED | UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
	return UI_HANDLED | UI_REDRAW;
}

const struct view_ops view_events = {
	.name = "events",
	.draw = log_draw,
	.key = log_key,
};
