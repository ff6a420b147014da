/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rc.c - STUB */
#include "rc.h"
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
const char *rc_path(char *buf, size_t size) { (void)buf; (void)size; return NULL; }
int rc_parse(const char *text, size_t len, struct rc_settings *ret, char *err, size_t errsize)
{ (void)text; (void)len; memset(ret, 0, sizeof(*ret)); if (errsize) err[0] = 0; return 0; }
int rc_load(const char *path, struct rc_settings *ret, char *err, size_t errsize)
{ (void)path; return rc_parse("", 0, ret, err, errsize); }
int rc_save(const char *path, const struct rc_settings *s) { (void)path; (void)s; return -ENOSYS; }
