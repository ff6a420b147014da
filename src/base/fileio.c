/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fileio.c - small-file I/O into grow-only buffers (see fileio.h).
 */
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>

#include "base/fileio.h"
#include "base/parse.h"
#include "base/macro.h"

void buf_init(struct buf *b, size_t size)
{
	b->size = size ? size : 64;
	b->data = xmalloc(b->size);
	b->data[0] = 0;
	b->len = 0;
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->size = 0;
}

void buf_reserve(struct buf *b, size_t size)
{
	if (size + 1 <= b->size)
		return;
	size_t n = b->size ? b->size : 64;
	while (n < size + 1)
		n *= 2;
	b->data = xrealloc(b->data, n);
	b->size = n;
}

void buf_append_slow(struct buf *b, const char *s, size_t n)
{
	buf_reserve(b, b->len + n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = 0;
}

void buf_set(struct buf *b, const char *s, size_t n)
{
	b->len = 0;
	buf_append(b, s, n);
}

char *cursor_u64_digits(char *o, uint64_t v)
{
	/* two digits a division, written in place from the end: the writers put numbers by the
	 * million; the count of digits from the highest bit and one comparison, not a division a
	 * digit, and no copy of a variable length (a call to memcpy) */
	static const char pairs[201] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	/* bits * log10(2), rounded down: the count, or one less */
	unsigned n = (unsigned)(64 - __builtin_clzll(v | 1)) * 1233 >> 12;
	char *p, *end;

	n += n < 20 && v >= cg_pow10[n];
	n += !n;
	p = end = o + n;
	while (v >= 100) {
		unsigned i = (unsigned)(v % 100) * 2;

		v /= 100;
		*--p = pairs[i + 1];
		*--p = pairs[i];
	}
	if (v >= 10) {
		*--p = pairs[v * 2 + 1];
		*--p = pairs[v * 2];
	} else {
		*--p = (char)('0' + v);
	}
	return end;
}

void buf_put_u64_digits(struct buf *b, uint64_t v)
{
	buf_commit(b, cursor_u64_digits(buf_cursor(b, CURSOR_NUM_MAX), v));
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	size_t avail;
	int n;

	buf_reserve(b, b->len + 64);
	avail = b->size - b->len;
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, avail, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= avail) {
		buf_reserve(b, b->len + n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, b->size - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += n;
}

int fileio_pread_all(int fd, struct buf *b)
{
	size_t off = 0;

	if (b->size < 64)
		buf_reserve(b, 4096);
	for (;;) {
		size_t room = b->size - 1 - off;
		ssize_t n = pread(fd, b->data + off, room, off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		off += n;
		/* A short read of a seq_file is the whole file: stop without the
		 * extra read() that would return 0. */
		if ((size_t)n < room)
			break;
		buf_reserve(b, b->size * 2);
	}
	b->len = off;
	b->data[off] = 0;
	return 0;
}

int fileio_read_at(int dfd, const char *path, struct buf *b)
{
	_cleanup_close_ int fd = openat(dfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	return fileio_pread_all(fd, b);
}

int fileio_read_str_at(int dfd, const char *path, char *buf, size_t size)
{
	_cleanup_close_ int fd = openat(dfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	size_t off = 0;

	if (fd < 0)
		return -errno;
	while (off + 1 < size) {
		ssize_t n = read(fd, buf + off, size - 1 - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		off += (size_t)n;
	}
	buf[off] = 0;
	return (int)off;
}

int fileio_write_fd(int fd, const char *s)
{
	size_t len = strlen(s);
	ssize_t n = write(fd, s, len);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int fileio_write_at(int dfd, const char *path, const char *s)
{
	_cleanup_close_ int fd = openat(dfd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	return fileio_write_fd(fd, s);
}
