/* SPDX-License-Identifier: GPL-2.0-or-later */
/* actions.c - STUB */
#include "actions.h"
