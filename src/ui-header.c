/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-header.c - the header
 * STUB: to be written.
 */
#include <errno.h>
#include "ui.h"
int ui_header_height(const struct ui *ui) { (void)ui; return 0; }
void ui_header_draw(struct ui *ui, int y, int h) { (void)ui; (void)y; (void)h; }
void ui_header_sample(struct ui *ui) { (void)ui; }
