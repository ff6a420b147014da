/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * view-detail.c - one group in detail
 * STUB: to be written.
 */
#include <errno.h>
#include "ui.h"
const struct view_ops view_detail = { .name = "detail" };
