/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui.c - the dashboard loop
 * STUB: to be written.
 */
#include <errno.h>
#include "ui.h"
int ui_main(const struct config *cfg, struct ui_watch *watch) { (void)cfg; (void)watch; return 1; }
