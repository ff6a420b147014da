/* SPDX-License-Identifier: GPL-2.0-or-later */
/* proclist.c - STUB */
#include "proclist.h"
