/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-rows.c - the row model
 * STUB: to be written.
 */
#include <errno.h>
#include "ui.h"
