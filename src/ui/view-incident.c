/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * view-incident.c - one event of the dashboard in full (Enter in the event
 * log, i for the newest): the report of `cgtop --events --explain` - who was
 * killed, the group and the limit chain, the kernel's task table by rss with
 * the victim marked, the largest task, memory.stat at the kill as bars, for a
 * fork rejection or storm the parents that forked most - scrolled with the
 * arrows; n and p step to the next older and newer incident (of the group, when
 * opened from its detail view), Enter or g goes to the event's group, Esc, q or
 * Left back.  The event is copied when the view opens: the ring may overwrite
 * it meanwhile, and its sequence number finds its place in the ring again.
 */
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"
#include "ui/ui-curses.h"
#include "ui/ui.h"

struct ui_incident {
	struct cg_event ev;
	double time;
	uint64_t seq;                /* its place in ui->log (event_log_find) */
	const struct view_ops *back; /* where Esc goes */
	struct buf text;             /* the report, lines ending in '\n' */
	unsigned scroll;
};

void ui_incident_open(struct ui *ui, const struct ui_event *e, const struct view_ops *back)
{
	struct ui_incident *in = ui->incident;

	if (!e) {
		ui_set_status(ui, false, "no event to show");
		return;
	}
	if (!in) {
		in = ui->incident = xcalloc(1, sizeof(*in));
		cg_event_init(&in->ev);
		buf_init(&in->text, 4096);
	}
	event_log_event(e, &in->ev);
	in->time = e->time;
	in->seq = e->seq;
	in->back = back;
	in->scroll = 0;
	in->text.len = 0;
	events_format_explain(&in->text, &in->ev, in->time);
	ui_switch_view(ui, &view_incident);
}

void ui_incident_free(struct ui *ui)
{
	struct ui_incident *in = ui->incident;

	if (!in)
		return;
	cg_event_release(&in->ev);
	buf_free(&in->text);
	free(in);
	ui->incident = NULL;
}

/* Line i of the report (without its newline) into out; false past the end. */
static bool report_line(const struct ui_incident *in, unsigned i, char *out, size_t size)
{
	const char *p = in->text.data, *end = p + in->text.len;

	for (; i && p < end; i--) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		p = nl ? nl + 1 : end;
	}
	if (p >= end)
		return false;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t len = (size_t)((nl ? nl : end) - p);

	if (len >= size)
		len = size - 1;
	memcpy(out, p, len);
	out[len] = '\0';
	return true;
}

static unsigned report_lines(const struct ui_incident *in)
{
	unsigned n = 0;

	for (size_t i = 0; i < in->text.len; i++)
		n += in->text.data[i] == '\n';
	return n;
}

static void incident_draw(struct ui *ui, int y, int h)
{
	struct ui_incident *in = ui->incident;
	char line[2048];
	unsigned n;
	int w = ui->cols;

	if (h <= 0 || !in)
		return;
	attron(ui_color(ui, UC_TITLE));
	ui_put_w(y, 0, w,
		 " Incident   Up/Down: scroll  n/p: older/newer  Enter or g: go to the group  Esc: back");
	attroff(ui_color(ui, UC_TITLE));
	n = report_lines(in);
	if (in->scroll + 1 > n)
		in->scroll = n ? n - 1 : 0;
	for (int r = 1; r < h; r++) {
		int attr = 0;

		line[0] = ' ';
		if (!report_line(in, in->scroll + (unsigned)(r - 1), line + 1, sizeof(line) - 1)) {
			ui_put_w(y + r, 0, w, "");
			continue;
		}
		/* the event's own line, and the victim's row of the task table */
		if (in->scroll + (unsigned)(r - 1) == 0)
			attr = ui_color(ui, UC_SELECTED);
		else if (strstr(line, "<- killed"))
			attr = ui_color(ui, UC_ERROR);
		if (attr)
			attron(attr);
		ui_put_w(y + r, 0, w, line);
		if (attr)
			attroff(attr);
	}
}

static void go_to_group(struct ui *ui)
{
	struct ui_incident *in = ui->incident;
	const char *g = in->ev.task_cgroup[0] ? in->ev.task_cgroup : in->ev.cgroup;
	struct cg_node *n = g[0] ? cg_tree_find(&ui->tree, g) : NULL;

	if (!n || n->hidden) {
		ui_set_status(ui, true, "%s is not in the tree (gone, or outside the shown root)",
			      g[0] ? g : "the group");
		return;
	}
	ui_switch_view(ui, &view_tree);
	ui_select_node(ui, n);
}

/* The next incident older (dir 1) or newer (-1) than the one shown, of the
 * detail view's group when opened from there, else of the whole log; says so
 * on the status line when there is none. */
static void step(struct ui *ui, int dir)
{
	struct ui_incident *in = ui->incident;
	const struct cg_node *g = in->back == &view_detail ? ui->detail : NULL;
	int i = event_log_find(&ui->log, in->seq);

	if (i < 0) {
		ui_set_status(ui, true, "this event has left the log (the last %d are kept)", UI_EVENTS_MAX);
		return;
	}
	for (i += dir; i >= 0 && (unsigned)i < ui->log.n; i += dir) {
		const struct ui_event *e = event_log_nth(&ui->log, (unsigned)i);

		if (e && event_log_incident(e) && (!g || event_log_of(e, g))) {
			ui_incident_open(ui, e, in->back);
			return;
		}
	}
	ui_set_status(ui, false, "no %s OOM kill or fork rejection%s", dir > 0 ? "older" : "newer",
		      g ? " in this group" : "");
}

static int incident_key(struct ui *ui, int key)
{
	struct ui_incident *in = ui->incident;
	unsigned page = ui->lines > 4 ? (unsigned)ui->lines - 4 : 1;

	if (!in)
		return UI_UNHANDLED;
	switch (key) {
	case KEY_UP:
	case 'k':
		if (in->scroll > 0)
			in->scroll--;
		break;
	case KEY_DOWN:
	case 'j':
		in->scroll++;
		break;
	case KEY_PPAGE:
		in->scroll = in->scroll > page ? in->scroll - page : 0;
		break;
	case KEY_NPAGE:
		in->scroll += page;
		break;
	case KEY_HOME:
		in->scroll = 0;
		break;
	case 'n':
		step(ui, 1);
		break;
	case 'p':
		step(ui, -1);
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
	case 'g':
		go_to_group(ui);
		return UI_HANDLED | UI_REDRAW | UI_REBUILD;
	case 27: /* Esc */
	case 'q':
	case KEY_LEFT:
	case KEY_BACKSPACE:
		/* back where it was opened; the table when that was the detail
		 * view of a group gone meanwhile */
		ui_switch_view(ui,
			       in->back && (in->back != &view_detail || ui->detail) ? in->back : &view_tree);
		break;
	default:
		return UI_UNHANDLED;
	}
	return UI_HANDLED | UI_REDRAW;
}

const struct view_ops view_incident = {
	.name = "incident",
	.draw = incident_draw,
	.key = incident_key,
};
