/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-actions.c - the action keys of the dashboard on the selected group:
 * m (memory limit) and p (pids limit) and a (attach a pid) ask in the status
 * line, f freezes or thaws at once, K kills every process after a y/n
 * question.  The work is in actions.c; here are the refusals (--readonly,
 * the root group), the prompts, and the result in the status line.  The
 * group is remembered by path while a prompt is open: the tree may change
 * (and free the node) before the answer comes.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "ui/actions.h"
#include "cgroup/lcg.h"
#include "cgroup/limits.h"
#include "ui/ui.h"
#include "base/units.h"

static const char *action_name(int key)
{
	switch (key) {
	case 'm':
		return "setting the memory limit";
	case 'p':
		return "setting the pids limit";
	case 'a':
		return "attaching a process";
	case 'f':
		return "freezing and thawing";
	case 'K':
		return "killing the group's processes";
	default:
		return "this action";
	}
}

/* The answer to a prompt or the question: do it on the group, if still there. */
static void answered(struct ui *ui, const char *text, void *data)
{
	struct cg_node *n;
	struct cg_error err = { 0 };
	char msg[512];
	int r = 0;

	(void)data;
	if (!text) {
		ui_set_status(ui, false, "cancelled");
		ui->dirty |= UI_REDRAW;
		return;
	}
	n = cg_tree_find(&ui->tree, ui->action_path);
	if (!n) {
		ui_set_status(ui, true, "%s is gone", ui->action_path);
		ui->dirty |= UI_REDRAW;
		return;
	}
	switch (ui->action_key) {
	case 'm':
		r = action_set_mem_max(&ui->tree, n, text, msg, sizeof(msg), &err);
		break;
	case 'p':
		r = action_set_pids_max(&ui->tree, n, text, msg, sizeof(msg), &err);
		break;
	case 'a':
		r = action_attach(&ui->tree, n, text, msg, sizeof(msg), &err);
		break;
	case 'K':
		if (strcmp(text, "y") != 0 && strcmp(text, "Y") != 0) {
			ui_set_status(ui, false, "not killed");
			ui->dirty |= UI_REDRAW;
			return;
		}
		r = action_kill(&ui->tree, n, msg, sizeof(msg), &err);
		break;
	default:
		return;
	}
	ui_set_status(ui, r < 0, "%s", r < 0 ? err.msg : msg);
	ui->dirty |= UI_RESAMPLE | UI_REDRAW;
	ui->s.slow_next = true; /* the limits as written, not as read up to 10 s ago */
}

/* The current limit for the prompt's label: "64M", "max" or "?". */
static const char *current(const struct cg_node *n, enum cg_val id, bool bytes, char *buf, size_t size)
{
	if (!VALID(&n->cur, id)) {
		snprintf(buf, size, "?");
	} else if (cg_val(&n->cur, id) == CG_UNLIMITED) {
		snprintf(buf, size, "max");
	} else if (bytes) {
		units_format_size(buf, size, cg_val(&n->cur, id));
	} else {
		snprintf(buf, size, "%llu", (unsigned long long)cg_val(&n->cur, id));
	}
	return buf;
}

int ui_action_key(struct ui *ui, int key)
{
	struct cg_node *n = ui->sel;
	char label[sizeof(ui->draw.prompt.label)], now[32], msg[512];
	struct cg_error err = { 0 };
	bool frozen;
	int r;

	if (key != 'm' && key != 'p' && key != 'a' && key != 'f' && key != 'K')
		return UI_UNHANDLED;
	if (ui->readonly) {
		ui_set_status(ui, true, "read-only: %s is off (started with --readonly)", action_name(key));
		return UI_HANDLED | UI_REDRAW;
	}
	if (!n) {
		ui_set_status(ui, true, "no group selected");
		return UI_HANDLED | UI_REDRAW;
	}
	if (n == ui->tree.root || strcmp(n->path, "/") == 0) {
		ui_set_status(ui, true, "refusing %s on the root group /: select a group below it",
			      action_name(key));
		return UI_HANDLED | UI_REDRAW;
	}
	ui->action_key = key;
	snprintf(ui->action_path, sizeof(ui->action_path), "%s", n->path);
	switch (key) {
	case 'm':
		snprintf(label, sizeof(label),
			 "memory limit of %.80s (now %s; SIZE like 64M, or max): ", n->path,
			 current(n, V_MEM_MAX, true, now, sizeof(now)));
		ui_prompt(ui, label, "", answered, NULL);
		break;
	case 'p':
		snprintf(label, sizeof(label), "pids limit of %.80s (now %s; a number, or max): ", n->path,
			 current(n, V_PIDS_MAX, false, now, sizeof(now)));
		ui_prompt(ui, label, "", answered, NULL);
		break;
	case 'a':
		snprintf(label, sizeof(label), "move process (PID, all its threads) into %.100s: ", n->path);
		ui_prompt(ui, label, "", answered, NULL);
		break;
	case 'K':
		snprintf(label, sizeof(label), "kill every process of %.100s? (y/n) ", n->path);
		ui_confirm(ui, label, answered, NULL);
		break;
	case 'f':
		r = action_frozen(&ui->tree, n, &frozen);
		if (r < 0 && r != -ENODEV) {
			ui_set_status(ui, true, "%s: cannot read its freezer state: %s", n->path,
				      strerror(-r));
			return UI_HANDLED | UI_REDRAW;
		}
		r = action_freeze(&ui->tree, n, !frozen, msg, sizeof(msg), &err);
		ui_set_status(ui, r < 0, "%s", r < 0 ? err.msg : msg);
		return UI_HANDLED | UI_RESAMPLE | UI_REDRAW;
	}
	return UI_HANDLED | UI_REDRAW;
}
