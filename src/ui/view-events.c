/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * view-events.c - the OOM kills and fork rejections of the dashboard: the ring
 * the events tracker's emit callback fills (ui_events_add: counts, and marks
 * the group, and the group whose limit was hit, so the table highlights them
 * for a while), the pane under the table with the latest ones (i opens the
 * newest as an incident), and the full event log (e), newest first, where
 * Enter opens the event as an incident (view-incident.c) and g jumps to its
 * group.  The
 * ring holds UI_EVENTS_MAX events and is allocated with the first one; the
 * oldest is overwritten after that.  Only the events of the shown root and its
 * descendants are kept (and system-wide OOM kills): the kernel log speaks of
 * the whole system.  What the kernel log still held at start comes first,
 * marked before start: dimmed, below a separator line, counted apart.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/macro.h"
#include "ui/ui-curses.h"
#include "ui/ui.h"
#include "base/units.h"
#include "base/clock.h"

#define FLASH_USEC (10ULL * 1000000) /* how long a group stays highlighted */
#define PANE_MAX 5                   /* lines of the pane: a title and 4 events */

static bool is_kill(enum cg_event_kind k)
{
	return k == EV_OOM_KILL || k == EV_GLOBAL_OOM;
}

/* the event's group and the group whose limit was hit (event-log.h) */
#define event_group event_log_group
#define limit_group event_log_limit_group

/* An event of group n (before start: counted apart, not highlighted). */
static void mark_group(struct ui *ui, struct cg_node *n, uint64_t count)
{
	struct ui_node *un = n ? ui_node_get(n) : NULL;

	if (!un)
		return;
	if (ui->loading_backlog) {
		un->n_events_before += (uint32_t)count;
		return;
	}
	un->flash_until_usec = clock_mono_usec() + FLASH_USEC;
	un->n_events += (uint32_t)count;
}

static void flash_group(struct ui *ui, struct cg_node *n)
{
	struct ui_node *un = n && !ui->loading_backlog ? ui_node_get(n) : NULL;

	if (un)
		un->flash_until_usec = clock_mono_usec() + FLASH_USEC;
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

/* a counter gave a group to a kill the log reported without it */
static void counted(struct cg_node *n, void *data)
{
	struct ui_node *un = ui_node_get(n);

	(void)data;
	if (un)
		un->n_events++;
}

void ui_events_add(struct ui *ui, const struct cg_event *ev, double time)
{
	struct event_log *l = &ui->log;
	struct cg_node *n, *ln;
	uint64_t count = ev->source == EV_SRC_COUNTER && ev->count ? ev->count : 1;
	const char *g = event_group(ev), *lg = limit_group(ev);
	bool before = ui->loading_backlog;

	if (time < 0)
		time = clock_wall_sec();
	/* the kernel log is the whole system's: a dashboard on PATH shows the
	 * events of PATH and below (and system-wide OOM kills) */
	if (ev->kind != EV_GLOBAL_OOM && g[0] && !under_top(ui, g) && !(lg[0] && under_top(ui, lg)))
		return;
	/* a kill of a group not known (its report left out, its process gone):
	 * only a dashboard of the whole tree can say it is one of its own */
	if (!g[0] && ui->tree.top && strcmp(ui->tree.top->path, "/") != 0)
		return;
	n = g[0] ? cg_tree_find(&ui->tree, g) : NULL;
	ln = lg[0] ? cg_tree_find(&ui->tree, lg) : NULL;

	if (ev->update) {
		/* already counted and shown from the counters */
		flash_group(ui, n);
		flash_group(ui, ln);
		if (event_log_merge(l, ev, time, n, counted, ui)) {
			ui->dirty |= UI_REDRAW;
			return;
		}
	} else if (is_kill(ev->kind) || ev->kind == EV_PIDS_FORK_REJECTED) {
		uint64_t *c = is_kill(ev->kind) ? before ? &l->oom_kills_before : &l->oom_kills
			      : before          ? &l->fork_rejections_before
						: &l->fork_rejections;

		*c += count;
		mark_group(ui, n, count);
		mark_group(ui, ln, count); /* the group whose limit was hit */
	}
	event_log_push(l, ev, time, n, before);
	/* the log keeps its selection on the same event */
	if (ui->view == &view_events && ui->ev_sel > 0 && ui->ev_sel + 1 < l->n)
		ui->ev_sel++;
	ui->dirty |= UI_REDRAW;
}

void ui_events_node_freed(struct ui *ui, struct cg_node *n)
{
	event_log_node_freed(&ui->log, n);
}

void ui_events_free(struct ui *ui)
{
	event_log_free(&ui->log);
	ui_incident_free(ui);
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
	case EV_OOM_SUPPRESSED:
		return "rate limit";
	case EV_FORK_STORM:
		return "fork storm";
	case EV_FORKS_DROPPED:
		return "forks lost";
	default:
		return "event";
	}
}

const char *ui_events_log_start(const struct ui *ui, char *buf, size_t size)
{
	const struct events *ev = &ui->ev;
	time_t t;
	struct tm tm;

	if (ev->first_seq == 0 || ev->first_seq == UINT64_MAX)
		return "boot"; /* nothing older was ever overwritten (or nothing read yet) */
	if (ev->first_ts_usec < 0 || ev->boot_wall <= 0)
		return "the log's start";
	t = (time_t)(ev->boot_wall + ev->first_ts_usec / 1e6);
	if (!localtime_r(&t, &tm) || !strftime(buf, size, "%H:%M", &tm))
		return "the log's start";
	return buf;
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
	const struct event_rec *ev = &e->ev;
	char tbuf[16] = "--:--:--", rss[16];
	size_t o = 0;
	int r;

#define PUT(...)                                                                                             \
	do {                                                                                                 \
		if (o < size) {                                                                              \
			r = snprintf(out + o, size - o, __VA_ARGS__);                                        \
			if (r > 0)                                                                           \
				o += (size_t)r;                                                              \
		}                                                                                            \
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
	PUT("%s %-13s %-7s", tbuf, kind_label(ev->kind), ev->source == EV_SRC_COUNTER ? "counter" : "kmsg");
	if (ev->pid >= 0)
		PUT(" pid %lld", (long long)ev->pid);
	if (ev->task[0])
		PUT(" %s", ev->task);
	if (ev->source == EV_SRC_COUNTER && ev->count > 1)
		PUT(" x%llu", (unsigned long long)ev->count);
	if (ev->kind == EV_OOM_SUPPRESSED)
		PUT(" %llu OOM reports left out by the kernel", (unsigned long long)ev->count);
	if (ev->group_kill)
		PUT(" group kill");
	if (ev->anon_rss_kb >= 0) {
		uint64_t kb = (uint64_t)ev->anon_rss_kb +
			      (uint64_t)(ev->file_rss_kb > 0 ? ev->file_rss_kb : 0) +
			      (uint64_t)(ev->shmem_rss_kb > 0 ? ev->shmem_rss_kb : 0);

		PUT(" rss %s", units_format_bytes(rss, sizeof(rss), kb * 1024));
	}
	/* the group whose limit was hit, when it is not the event's own: kept on the
	 * line, shortened to its last name if the line is too narrow for it */
	char lim[EV_PATH_MAX + 16] = "";
	if ((ev->kind == EV_OOM_KILL || ev->kind == EV_PIDS_FORK_REJECTED) && ui_event_limit_group(e)[0]) {
		const char *last = strrchr(ev->cgroup, '/');
		size_t need = o + 2 + (with_group ? strlen(ui_event_group(e)) : 0);

		snprintf(lim, sizeof(lim), " (limit of %s)", ev->cgroup);
		if (width > 0 && need + strlen(lim) > (size_t)width) {
			if (last && last[1])
				snprintf(lim, sizeof(lim), " (limit of ...%s)", last);
			if (o + 12 + strlen(lim) > (size_t)width)
				lim[0] = '\0';
		}
	}
	if (with_group) {
		const char *g = ui_event_group(e)[0] ? ui_event_group(e) : "?";
		size_t glen = strlen(g);
		int avail = width > 0 ? width - (int)o - 2 - (int)strlen(lim) : INT_MAX;

		/* a path too long for the line loses its start, not its last names */
		if ((int)glen <= avail)
			PUT("  %s", g);
		else if (avail > 8)
			PUT("  ...%s", g + glen - (size_t)(avail - 3));
	}
	if (lim[0])
		PUT("%s", lim);
#undef PUT
	clean(out);
}

/* ---- the pane ---- */

static const char *counters_only(const struct ui *ui)
{
	if (ui->events_on && !ui->ev.kmsg_open)
		return " (kernel log not readable: counters only)";
	return "";
}

/* The pane shows kills and rejections (not triggers, not the rate limit's counts). */
static bool in_pane(const struct ui_event *e)
{
	return e && e->ev.kind != EV_OOM_INVOKED && e->ev.kind != EV_OOM_SUPPRESSED;
}

static unsigned pane_events(const struct ui *ui)
{
	unsigned n = 0;

	for (unsigned i = 0; i < ui->log.n; i++)
		if (in_pane(event_log_nth(&ui->log, i)))
			n++;
	return n;
}

/* The line above the events from before start. */
static void separator(struct ui *ui, int y, int w)
{
	char line[256], when[32];

	if (ui->replay)
		snprintf(line, sizeof(line), " --- before this sample ---");
	else
		snprintf(line, sizeof(line), " --- before cgtop started: the kernel log since %s ---",
			 ui_events_log_start(ui, when, sizeof(when)));
	attron(ui_color(ui, UC_DIM));
	ui_put_w(y, 0, w, line);
	attroff(ui_color(ui, UC_DIM));
}

/* ", 3 OOM kills and 1 rejected fork before start" (nothing when none) */
static void before_counts(const struct ui *ui, char *out, size_t size)
{
	out[0] = '\0';
	if (ui->log.oom_kills_before || ui->log.fork_rejections_before)
		snprintf(out, size, "; %llu OOM kill%s, %llu rejected fork%s %s",
			 (unsigned long long)ui->log.oom_kills_before,
			 ui->log.oom_kills_before == 1 ? "" : "s",
			 (unsigned long long)ui->log.fork_rejections_before,
			 ui->log.fork_rejections_before == 1 ? "" : "s", UI_BEFORE(ui));
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
	if (ui->log.before_n)
		n++; /* the separator */
	return (int)(1 + (n < max - 1 ? n : max - 1));
}

void ui_events_pane_draw(struct ui *ui, int y, int h)
{
	char line[1024], before[160];
	int w = ui->cols, row = 1;
	bool sep = false;

	if (h <= 0 || w <= 0)
		return;
	if (ui->log.oom_kills == 0 && ui->log.fork_rejections == 0 && pane_events(ui) == 0) {
		snprintf(line, sizeof(line), " No OOM kills or fork rejections %s%s   (Tab hides, e: log)",
			 UI_SINCE(ui), counters_only(ui));
		attron(ui_color(ui, UC_DIM));
		ui_put_w(y, 0, w, line);
		attroff(ui_color(ui, UC_DIM));
		return;
	}
	before_counts(ui, before, sizeof(before));
	snprintf(line, sizeof(line),
		 " Events: %llu OOM kill%s, %llu rejected fork%s %s%s   (e: log, Tab hides)",
		 (unsigned long long)ui->log.oom_kills, ui->log.oom_kills == 1 ? "" : "s",
		 (unsigned long long)ui->log.fork_rejections, ui->log.fork_rejections == 1 ? "" : "s",
		 UI_SINCE(ui), before);
	attron(ui_color(ui, UC_TITLE));
	ui_put_w(y, 0, w, line);
	attroff(ui_color(ui, UC_TITLE));
	for (unsigned i = 0; i < ui->log.n && row < h; i++) {
		const struct ui_event *e = event_log_nth(&ui->log, i);
		const struct ui_node *un;
		int attr = 0;

		if (!in_pane(e))
			continue;
		if (e->before_start && !sep) {
			sep = true;
			separator(ui, y + row++, w);
			if (row >= h)
				break;
		}
		un = e->node ? e->node->ui : NULL;
		if (e->before_start)
			attr = ui_color(ui, UC_DIM);
		else if (i == 0 && un && un->flash_until_usec > clock_mono_usec())
			attr = ui_color(ui, UC_FLASH);
		line[0] = ' ';
		ui_event_format(e, true, w - 1, line + 1, sizeof(line) - 1);
		if (attr)
			attron(attr);
		ui_put_w(y + row, 0, w, line);
		if (attr)
			attroff(attr);
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
	case 'i': {
		/* the newest event of the pane */
		const struct ui_event *e = NULL;

		for (unsigned i = 0; i < ui->log.n && !e; i++)
			if (in_pane(event_log_nth(&ui->log, i)))
				e = event_log_nth(&ui->log, i);
		if (!e) {
			ui_set_status(ui, false, "no OOM kill or fork rejection to show");
			return UI_HANDLED | UI_REDRAW;
		}
		ui_incident_open(ui, e, ui->view);
		return UI_HANDLED | UI_REDRAW;
	}
	default:
		return UI_UNHANDLED;
	}
}

/* ---- the full log ---- */

/* The log's rows: the events newest first, and a separator row above the first
 * event from before start. */
static unsigned sep_row(const struct ui *ui)
{
	return ui->log.before_n ? ui->log.n - ui->log.before_n : UINT_MAX;
}

static void log_draw(struct ui *ui, int y, int h)
{
	char line[1024], before[160];
	int w = ui->cols, list_h;
	unsigned sep = sep_row(ui), rows, sel_row;

	if (h <= 0)
		return;
	before_counts(ui, before, sizeof(before));
	snprintf(line, sizeof(line),
		 " Event log: %u kept, %llu OOM kill%s, %llu rejected fork%s %s%s%s   "
		 "Enter: incident  g: go to group  Esc: back",
		 ui->log.n, (unsigned long long)ui->log.oom_kills, ui->log.oom_kills == 1 ? "" : "s",
		 (unsigned long long)ui->log.fork_rejections, ui->log.fork_rejections == 1 ? "" : "s",
		 UI_SINCE(ui), before, counters_only(ui));
	attron(ui_color(ui, UC_TITLE));
	ui_put_w(y, 0, w, line);
	attroff(ui_color(ui, UC_TITLE));
	list_h = h - 1;
	if (ui->log.n == 0) {
		attron(ui_color(ui, UC_DIM));
		if (list_h > 0)
			ui_put_w(y + 1, 0, w,
				 ui->replay ? " No events up to this sample." : " No events since start.");
		attroff(ui_color(ui, UC_DIM));
		return;
	}
	if (list_h <= 0)
		return;
	if (ui->ev_sel >= ui->log.n)
		ui->ev_sel = ui->log.n - 1;
	rows = ui->log.n + (sep != UINT_MAX);
	sel_row = ui->ev_sel + (ui->ev_sel >= sep);
	if (ui->ev_scroll >= rows)
		ui->ev_scroll = rows - 1;
	if (sel_row < ui->ev_scroll)
		ui->ev_scroll = sel_row;
	if (sel_row >= ui->ev_scroll + (unsigned)list_h)
		ui->ev_scroll = sel_row - (unsigned)list_h + 1;
	if (ui->ev_scroll == sel_row && sel_row == sep + 1 && list_h > 1)
		ui->ev_scroll = sep; /* keep the separator in view above the selection */
	for (int r = 0; r < list_h; r++) {
		unsigned vr = ui->ev_scroll + (unsigned)r;
		unsigned i = vr - (vr > sep);
		const struct ui_event *e = vr == sep ? NULL : event_log_nth(&ui->log, i);
		int attr;

		if (vr == sep) {
			separator(ui, y + 1 + r, w);
			continue;
		}
		if (!e) {
			ui_put_w(y + 1 + r, 0, w, "");
			continue;
		}
		line[0] = ' ';
		ui_event_format(e, true, w - 1, line + 1, sizeof(line) - 1);
		attr = i == ui->ev_sel ? ui_color(ui, UC_SELECTED)
		       : e->before_start || e->ev.kind == EV_OOM_INVOKED || e->ev.kind == EV_OOM_SUPPRESSED
			       ? ui_color(ui, UC_DIM)
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
	const struct ui_event *e = event_log_nth(&ui->log, ui->ev_sel);
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
		if (ui->ev_sel + 1 < ui->log.n)
			ui->ev_sel++;
		break;
	case KEY_PPAGE:
		ui->ev_sel = ui->ev_sel > (unsigned)page ? ui->ev_sel - (unsigned)page : 0;
		break;
	case KEY_NPAGE:
		ui->ev_sel += (unsigned)page;
		if (ui->ev_sel >= ui->log.n)
			ui->ev_sel = ui->log.n ? ui->log.n - 1 : 0;
		break;
	case KEY_HOME:
		ui->ev_sel = 0;
		break;
	case KEY_END:
		ui->ev_sel = ui->log.n ? ui->log.n - 1 : 0;
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
		ui_incident_open(ui, event_log_nth(&ui->log, ui->ev_sel), &view_events);
		return UI_HANDLED | UI_REDRAW;
	case 'g':
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
