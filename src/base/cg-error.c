/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cg-error.c - struct cg_error: the sentence that goes with a -errno return
 * (see cg-error.h for the contract).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/cg-error.h"

int cg_error_set(struct cg_error *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	errnum = abs(errnum);
	if (err && !err->err) {
		err->err = errnum;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -errnum;
}

void cg_error_clear(struct cg_error *err)
{
	err->err = 0;
	err->msg[0] = '\0';
}
