/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dl.h - a library loaded with dlopen when an option needs it, not at start.
 * cgtop is not linked against libmicrohttpd (--listen, which brings GnuTLS
 * and eight more libraries) nor libsqlite3 (recordings): a run that uses
 * neither does not map them or pay the loader for them, and a host without
 * them runs everything else.  Each such library has a small file in the
 * layer that uses it (output/microhttpd-dl.h, record/sqlite-dl.h) with the
 * list of its functions, a pointer of each one's own type (typeof), and the
 * struct dl_lib below, resolved once by dl_load().
 */
#ifndef CGTOP_DL_H
#define CGTOP_DL_H

#include <stddef.h>

struct dl_sym {
	const char *name;
	void **ptr; /* the typed pointer the call sites go through */
};

struct dl_lib {
	const char *soname; /* from configure: the DT_SONAME of the library built against */
	const struct dl_sym *syms;
	size_t n_syms;
	void *handle;    /* once every symbol is resolved; never closed */
	char error[256]; /* dlerror() of the last attempt that failed */
};

/* Load lib->soname and resolve each of lib->syms, once: 0 when loaded (now
 * or before).  Else -ELIBACC (no such library, or it does not load) or
 * -ELIBBAD (a symbol missing: an older library), lib->error says what
 * dlerror() said, the pointers stay NULL, and unless option is NULL one line
 * on stderr names the library and option (the one that needs it). */
int dl_load(struct dl_lib *lib, const char *option);

#endif
