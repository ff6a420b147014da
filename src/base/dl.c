/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dl.c - loading an optional library when an option needs it (see dl.h).
 * RTLD_NOW: a missing symbol of the library's own dependencies shows here,
 * in the one line below, not as a crash at the first call of it.  The
 * handle is never closed: the pointers stay valid until exit.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>

#include "base/dl.h"

static void set_error(struct dl_lib *lib)
{
	const char *e = dlerror();

	snprintf(lib->error, sizeof(lib->error), "%s", e ? e : "unknown error");
}

int dl_load(struct dl_lib *lib, const char *option)
{
	void *h;
	int r = 0;

	if (lib->handle)
		return 0;
	h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		set_error(lib);
		r = -ELIBACC;
	}
	for (size_t i = 0; h && i < lib->n_syms; i++) {
		*lib->syms[i].ptr = dlsym(h, lib->syms[i].name);
		if (!*lib->syms[i].ptr) {
			set_error(lib);
			r = -ELIBBAD;
			break;
		}
	}
	if (r < 0) {
		for (size_t i = 0; i < lib->n_syms; i++)
			*lib->syms[i].ptr = NULL;
		if (h)
			dlclose(h);
		if (option)
			fprintf(stderr, "cgtop: %s needs %s, which cannot be loaded: %s\n", option,
				lib->soname, lib->error);
		return r;
	}
	lib->handle = h;
	return 0;
}
