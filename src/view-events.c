/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * view-events.c - the events pane and the event log
 * STUB: to be written.
 */
#include <errno.h>
#include "ui.h"
