/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rc.c - STUB */
#include "rc.h"
