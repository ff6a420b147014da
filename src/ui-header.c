/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-header.c - the header
 * STUB: to be written.
 */
#include <errno.h>
#include "ui.h"
