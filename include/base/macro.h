/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * macro.h - small language helpers: attributes, ARRAY_SIZE, cleanup attributes
 * (GNU C), ownership transfer, and the allocation wrappers that abort on
 * out-of-memory (a monitor that cannot allocate has nothing useful left to do).
 */
#ifndef CGTOP_MACRO_H
#define CGTOP_MACRO_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define _noreturn_ __attribute__((noreturn))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _always_inline_ inline __attribute__((always_inline))

static inline void freep(void *p)
{
	free(*(void **)p);
}
static inline void closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}
static inline void fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}
static inline void closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}
#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)
#define _cleanup_closedir_ _cleanup_(closedirp)

/* Take ownership of a pointer out of a cleanup variable. */
#define TAKE_PTR(p)                                                                                          \
	({                                                                                                   \
		__typeof__(p) t_ = (p);                                                                      \
		(p) = NULL;                                                                                  \
		t_;                                                                                          \
	})

/* xalloc.c */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
_printf_(1, 2) char *xasprintf(const char *fmt, ...);

#endif
