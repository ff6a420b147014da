/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-history.c - per-group history for sparklines
 * STUB: to be written.
 */
#include <errno.h>
#include "ui.h"
void ui_history_sample(struct ui *ui) { (void)ui; }
void ui_history_draw(struct ui *ui, const struct cg_node *n, int which, int y, int x, int w)
{ (void)ui; (void)n; (void)which; (void)y; (void)x; (void)w; }
