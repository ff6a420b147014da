/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-actions.c - m p a f K in the dashboard
 * STUB: to be written.
 */
#include <errno.h>
#include "ui.h"
int ui_action_key(struct ui *ui, int key) { (void)ui; (void)key; return UI_UNHANDLED; }
