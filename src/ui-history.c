/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-history.c - per-group history for sparklines
 * STUB: to be written.
 */
#include <errno.h>
#include "ui.h"
