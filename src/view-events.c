/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * view-events.c - the events pane and the event log
 * STUB: to be written.
 */
#include <errno.h>
#include "ui.h"
const struct view_ops view_events = { .name = "events" };
void ui_events_add(struct ui *ui, const struct cg_event *ev, double time) { (void)ui; (void)ev; (void)time; }
int ui_events_pane_height(const struct ui *ui) { (void)ui; return 0; }
void ui_events_pane_draw(struct ui *ui, int y, int h) { (void)ui; (void)y; (void)h; }
void ui_events_node_freed(struct ui *ui, struct cg_node *n) { (void)ui; (void)n; }
