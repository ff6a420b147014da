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

/*
 * Writing through a cursor: a writer that reserves room for the worst case once
 * (buf_cursor) fills it through a char pointer, with no bounds check or call per
 * piece, and commits the length at the end (buf_commit).
 */
/* The end of b's content, with room for n more bytes and the NUL. */
static inline char *buf_cursor(struct buf *b, size_t n)
{
	if (__builtin_expect(b->len + n + 1 > b->size, 0))
		buf_reserve(b, b->len + n);
	return b->data + b->len;
}
/* The content ends at o (a cursor of b's, within the room reserved). */
static inline void buf_commit(struct buf *b, char *o)
{
	*o = 0;
	b->len = (size_t)(o - b->data);
}
/* Room for n more bytes at the cursor o of b: o, or the same place after b grew. */
static inline char *buf_cursor_need(struct buf *b, char *o, size_t n)
{
	size_t len = (size_t)(o - b->data);

	if (__builtin_expect(len + n + 1 > b->size, 0)) {
		b->len = len;
		buf_reserve(b, len + n);
		return b->data + len;
	}
	return o;
}
/* The most bytes cursor_u64 and cursor_i64 write. */
#define CURSOR_NUM_MAX 20
char *cursor_u64_digits(char *o, uint64_t v);
/* v in decimal at o, no NUL; returns the end.  A digit alone (memory.stat and the task
 * tables are full of zeros) costs no call. */
static inline char *cursor_u64(char *o, uint64_t v)
{
	if (v < 10) {
		*o = (char)('0' + v);
		return o + 1;
	}
	return cursor_u64_digits(o, v);
}
static inline char *cursor_i64(char *o, int64_t v)
{
	if (v < 0) {
		*o++ = '-';
		return cursor_u64(o, (uint64_t)0 - (uint64_t)v);
	}
	return cursor_u64(o, (uint64_t)v);
}
/* A string literal at o; returns the end (its length is known: a store or two, no call). */
#define cursor_lit(o, s) ((char *)__builtin_memcpy((o), "" s, sizeof(s) - 1) + sizeof(s) - 1)

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
