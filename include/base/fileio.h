/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fileio.h - reading small kernel files into reusable, grow-only buffers.
 *
 * cgroupfs and procfs files are seq_files: one pread() at offset 0 on a kept
 * fd returns fresh contents, and a read shorter than the buffer is the whole
 * file.  Nothing here allocates once a buffer has reached its working size.
 */
#ifndef CGTOP_FILEIO_H
#define CGTOP_FILEIO_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	char *data;
	size_t len;  /* bytes of content */
	size_t size; /* bytes allocated; data[len] is always a NUL */
};

void buf_init(struct buf *b, size_t size);
void buf_free(struct buf *b);
void buf_reserve(struct buf *b, size_t size);
void buf_append_slow(struct buf *b, const char *s, size_t n);
static inline void buf_append(struct buf *b, const char *s, size_t n)
{
	if (__builtin_expect(b->len + n + 1 <= b->size, 1)) {
		__builtin_memcpy(b->data + b->len, s, n);
		b->len += n;
		b->data[b->len] = 0;
	} else {
		buf_append_slow(b, s, n);
	}
}
/* inline: with a literal, the compiler knows its length */
static inline void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, __builtin_strlen(s));
}
__attribute__((format(printf, 2, 3))) void buf_printf(struct buf *b, const char *fmt, ...);
void buf_set(struct buf *b, const char *s, size_t n);
/* Decimal numbers without printf (hot paths of the writers). */
void buf_put_u64_digits(struct buf *b, uint64_t v);
/* inline: a digit alone (memory.stat and the task tables are full of zeros) costs no call */
static inline void buf_put_u64(struct buf *b, uint64_t v)
{
	if (v < 10) {
		char c = (char)('0' + v);

		buf_append(b, &c, 1);
	} else {
		buf_put_u64_digits(b, v);
	}
}
static inline void buf_put_i64(struct buf *b, int64_t v)
{
	if (v < 0) {
		buf_append(b, "-", 1);
		buf_put_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		buf_put_u64(b, (uint64_t)v);
	}
}

/* Read the whole file behind fd from offset 0 into b (growing it as needed).
 * Returns 0 or -errno (-ENODEV: the cgroup was removed). */
int fileio_pread_all(int fd, struct buf *b);
/* openat(dfd, path) + read + close.  Returns 0 or -errno. */
int fileio_read_at(int dfd, const char *path, struct buf *b);
/* The start of dfd/path (at most size - 1 bytes, all of a small file) into
 * buf, NUL-terminated: for a short text read once into a caller's array.
 * Returns the length or -errno. */
int fileio_read_str_at(int dfd, const char *path, char *buf, size_t size);
/* Write a string to dfd/path (O_WRONLY|O_TRUNC).  Returns 0 or -errno. */
int fileio_write_at(int dfd, const char *path, const char *s);
/* Write a string to fd in one write(2), as a kernel file takes it (a short
 * write is -EIO).  Returns 0 or -errno. */
int fileio_write_fd(int fd, const char *s);

#endif
