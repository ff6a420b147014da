/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * view-help.c - the help screen
 * STUB: to be written.
 */
#include <errno.h>
#include "ui.h"
const struct view_ops view_help = { .name = "help" };
