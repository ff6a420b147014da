/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cg-error.h - the one error contract below the *_main entry points: a
 * function that can fail returns -errno and, where the number alone would not
 * tell the user what went wrong, fills a struct cg_error with one sentence
 * (crun's libcrun_error_t, without the allocation).  Only the *_main entry
 * points print it ("cgtop: " + msg) or turn it into an exit status; library
 * code never prints and never exits.
 */
#ifndef CGTOP_CG_ERROR_H
#define CGTOP_CG_ERROR_H

#include <limits.h>

#include "base/macro.h"

struct cg_error {
	int err;                  /* errno of the failure, 0: none */
	char msg[PATH_MAX + 512]; /* one line: no "cgtop: ", no newline; "" none */
};

/* Fill err (may be NULL: the caller wants the number only) with errnum
 * (positive or negative) and the sentence; the first failure recorded is
 * kept, a later one (a clean-up failing after it) does not overwrite it.
 * Returns -errnum, so that `return cg_error_set(err, r, ...)` reads well. */
_printf_(3, 4) int cg_error_set(struct cg_error *err, int errnum, const char *fmt, ...);
/* Forget what err holds. */
void cg_error_clear(struct cg_error *err);

#endif
