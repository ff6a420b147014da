/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * testdata.h - loads the captured kernel text under tests/data/ for the unit tests.  Every buffer
 * is a heap block of exactly the text's length with no NUL after it, so a parser that reads
 * past len is caught by AddressSanitizer (and, without it, reads unrelated bytes).  The data
 * directory is "$top_srcdir/tests/data" (set by the test harness), else the compile-time
 * TOP_SRCDIR.
 */
#ifndef CGTOP_TESTDATA_H
#define CGTOP_TESTDATA_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

static char *td_bufs[256];
static unsigned td_nbufs;

static char *td_keep(char *p)
{
	if (td_nbufs == sizeof(td_bufs) / sizeof(td_bufs[0])) {
		printf("Bail out! too many test buffers\n");
		exit(1);
	}
	td_bufs[td_nbufs++] = p;
	return p;
}

/* A copy of the string s without its NUL, in a block of exactly strlen(s) bytes. */
__attribute__((unused)) static const char *exact(const char *s, size_t *len)
{
	size_t n = strlen(s);
	char *p = malloc(n ? n : 1);

	if (!p) {
		printf("Bail out! out of memory\n");
		exit(1);
	}
	memcpy(p, s, n);
	*len = n;
	return td_keep(p);
}

/* tests/data/REL, whole, in a block of exactly its size; bails out when it cannot be read. */
__attribute__((unused)) static const char *load(const char *rel, size_t *len)
{
	const char *top = getenv("top_srcdir");
	char path[4096], tmp[65536];
	size_t n = 0;
	char *p;
	int fd;

	if (!top || !*top)
		top = TOP_SRCDIR;
	snprintf(path, sizeof(path), "%s/tests/data/%s", top, rel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("Bail out! cannot open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	for (;;) {
		ssize_t r = read(fd, tmp + n, sizeof(tmp) - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			printf("Bail out! cannot read %s: %s\n", path, strerror(errno));
			exit(1);
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n == sizeof(tmp)) {
			printf("Bail out! %s is too big for a test\n", path);
			exit(1);
		}
	}
	close(fd);
	p = malloc(n ? n : 1);
	if (!p) {
		printf("Bail out! out of memory\n");
		exit(1);
	}
	memcpy(p, tmp, n);
	*len = n;
	return td_keep(p);
}

/* The file at PATH, whole, in a block of exactly its size (the caller frees
 * it); NULL when it cannot be read.  For files found by listing directories. */
__attribute__((unused)) static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		p = malloc(n ? (size_t)n : 1);
		if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
			free(p);
			p = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return p;
}

/* Line number idx (0-based) of buf, without its newline; NULL when there are fewer lines. */
__attribute__((unused)) static const char *nth_line(const char *buf, size_t len, unsigned idx,
						    size_t *line_len)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));

		if (!e)
			e = end;
		if (idx-- == 0) {
			*line_len = (size_t)(e - p);
			return p;
		}
		p = e + 1;
	}
	return NULL;
}

/* s for a TAP description: newlines, tabs and control bytes as escapes, cut at 80 bytes. */
__attribute__((unused)) static const char *esc(const char *s)
{
	static char ring[8][100];
	static unsigned next;
	char *o = ring[next++ % 8], *d = o;

	for (; *s && d - o < 80; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n' || c == '\t') {
			*d++ = '\\';
			*d++ = c == '\n' ? 'n' : 't';
		} else if (c < 0x20 || c >= 0x7f || c == '#') {
			d += snprintf(d, 5, "\\x%02x", c);
		} else {
			*d++ = (char)c;
		}
	}
	if (*s)
		d += snprintf(d, 4, "...");
	*d = '\0';
	return o;
}

__attribute__((unused)) static void td_free_all(void)
{
	while (td_nbufs)
		free(td_bufs[--td_nbufs]);
}

#endif
