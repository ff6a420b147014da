/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * view-tree.c - the table
 * STUB: to be written.
 */
#include <errno.h>
#include "ui.h"
