/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kmsg-reader.c - reading kernel messages from /dev/kmsg or a saved log.
 *
 * /dev/kmsg: each read() returns exactly one record; EAGAIN means drained;
 * EPIPE means the record we were about to read was overwritten (counted as
 * lost, never fatal: the next read continues with the oldest record left);
 * gaps in the sequence numbers are counted as lost too.  A saved log is read
 * in large chunks and split into lines; lines longer than KMSG_LINE_MAX are
 * skipped and counted.  Its lines go through kmsg-paste.c, which first looks at
 * the start of the log (at least KMSG_PASTE_SNIFF_BYTES of it, so a pipe is
 * read until then) to learn how it was pasted.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "events/kmsg-reader.h"
#include "base/macro.h"

#define DEV_RECORD_MAX (KMSG_LINE_MAX + 1024)
/* 128 KiB: what the kernel copies into the buffer is still in the core's cache when the line
 * splitter reads it (with 1 MiB reading a saved log took about 2 % more CPU) */
#define FILE_CHUNK (128 * 1024)

static void init(struct kmsg_reader *r)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->next_seq = UINT64_MAX;
}

int kmsg_reader_open_dev(struct kmsg_reader *r, const char *dev_path, bool since_boot)
{
	init(r);
	r->fd = open(dev_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (r->fd < 0)
		return -errno;
	/* SEEK_END: only what happens from now on; SEEK_DATA: the oldest record
	 * still in the ring buffer (what dmesg shows) */
	if (lseek(r->fd, 0, since_boot ? SEEK_DATA : SEEK_END) < 0 && since_boot)
		lseek(r->fd, 0, SEEK_SET);
	r->is_dev = true;
	r->rbuf_size = DEV_RECORD_MAX;
	r->rbuf = xmalloc(r->rbuf_size);
	r->out_size = DEV_RECORD_MAX + 1;
	r->out = xmalloc(r->out_size);
	return 0;
}

int kmsg_reader_open_file(struct kmsg_reader *r, const char *path)
{
	init(r);
	if (strcmp(path, "-") == 0) {
		r->fd = dup(STDIN_FILENO);
		if (r->fd >= 0)
			fcntl(r->fd, F_SETFD, FD_CLOEXEC);
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	}
	if (r->fd < 0)
		return -errno;
	r->rbuf_size = FILE_CHUNK + KMSG_LINE_MAX + 2;
	r->rbuf = xmalloc(r->rbuf_size);
	r->paste = xmalloc(sizeof(*r->paste));
	kmsg_paste_init(r->paste);
	return 0;
}

void kmsg_reader_close(struct kmsg_reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	free(r->rbuf);
	free(r->out);
	free(r->paste);
	init(r);
}

const char *kmsg_reader_denied_hint(int err)
{
	if (err == -EPERM || err == -EACCES)
		return "reading the kernel log needs root or CAP_SYSLOG while kernel.dmesg_restrict=1; "
		       "run cgtop as root, grant it CAP_SYSLOG, or set kernel.dmesg_restrict=0";
	if (err == -ENOENT)
		return "there is no /dev/kmsg on this system";
	return "the kernel log cannot be opened";
}

static int read_dev(struct kmsg_reader *r, unsigned max, kmsg_line_cb cb, void *ud)
{
	unsigned n = 0;

	while (n < max) {
		ssize_t len = read(r->fd, r->rbuf, r->rbuf_size);
		struct kmsg_line l;

		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			if (errno == EPIPE) {
				/* overwritten while we were behind; the sequence gap
				 * of the next record tells how many */
				if (r->next_seq == UINT64_MAX)
					r->lost++;
				continue;
			}
			if (errno == EINVAL) { /* a record larger than our buffer */
				r->bad++;
				continue;
			}
			return -errno;
		}
		if (len == 0)
			break;
		n++;
		r->records++;
		if (kmsg_parse_record(r->rbuf, len, r->out, r->out_size, &l) < 0) {
			r->bad++;
			continue;
		}
		if (l.seq != UINT64_MAX) {
			if (r->next_seq != UINT64_MAX && l.seq > r->next_seq)
				r->lost += l.seq - r->next_seq;
			r->next_seq = l.seq + 1;
		}
		cb(&l, ud);
	}
	return n;
}

/* The end of the line at p (its '\n', or NULL when [p, end) holds none),
 * noting whether the line holds a byte that is no text (a control byte other
 * than tab, or DEL): one pass finds both, 16 bytes at a time. */
static const char *next_line(const char *p, const char *end, bool *bad)
{
	bool b = false;

#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n'), lim = _mm_set1_epi8(0x1f), tab = _mm_set1_epi8('\t'),
		      del = _mm_set1_epi8(0x7f);
	while (end - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i is_nl = _mm_cmpeq_epi8(x, nl);
		__m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(x, lim), x);
		ctl = _mm_andnot_si128(_mm_or_si128(is_nl, _mm_cmpeq_epi8(x, tab)), ctl);
		ctl = _mm_or_si128(ctl, _mm_cmpeq_epi8(x, del));
		unsigned m_nl = (unsigned)_mm_movemask_epi8(is_nl), m_bad = (unsigned)_mm_movemask_epi8(ctl);
		if (m_nl) {
			unsigned i = (unsigned)__builtin_ctz(m_nl);
			*bad = b || (m_bad & ((1u << i) - 1));
			return p + i;
		}
		b = b || m_bad;
		p += 16;
	}
#endif
	for (; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\n') {
			*bad = b;
			return p;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			b = true;
	}
	*bad = b;
	return NULL;
}

static void handle_file_line(struct kmsg_reader *r, const char *line, size_t len, bool bad, kmsg_line_cb cb,
			     void *ud)
{
	r->records++;
	if (kmsg_paste_line(r->paste, line, len, bad, cb, ud) < 0)
		r->bad++;
}

#ifdef __SSE2__
/* The newlines and the bytes that are no text (a control byte other than tab, or DEL) among the
 * 64 bytes at p, one bit a byte. */
static inline void block_masks(const char *p, uint64_t *nl_mask, uint64_t *bad_mask)
{
	const __m128i nl = _mm_set1_epi8('\n'), lim = _mm_set1_epi8(0x1f), tab = _mm_set1_epi8('\t'),
		      del = _mm_set1_epi8(0x7f);
	uint64_t m_nl = 0, m_bad = 0;

#pragma GCC unroll 4
	for (unsigned k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		__m128i is_nl = _mm_cmpeq_epi8(x, nl);
		__m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(x, lim), x);
		ctl = _mm_andnot_si128(_mm_or_si128(is_nl, _mm_cmpeq_epi8(x, tab)), ctl);
		ctl = _mm_or_si128(ctl, _mm_cmpeq_epi8(x, del));
		m_nl |= (uint64_t)(unsigned)_mm_movemask_epi8(is_nl) << (16 * k);
		m_bad |= (uint64_t)(unsigned)_mm_movemask_epi8(ctl) << (16 * k);
	}
	*nl_mask = m_nl;
	*bad_mask = m_bad;
}
#endif

/* A whole line [p, nl) found: hand it over, unless it is the tail of an over-long line. */
static inline void line_found(struct kmsg_reader *r, const char *p, const char *nl, bool bad, unsigned *n,
			      kmsg_line_cb cb, void *ud)
{
	if (r->skipping) {
		r->skipping = false; /* the tail of an over-long line */
		return;
	}
	handle_file_line(r, p, (size_t)(nl - p), bad, cb, ud);
	(*n)++;
}

/* Hands every whole line in the buffer over and keeps the rest (a line not yet ended) at its
 * start.  Returns the number of lines. */
static unsigned split_lines(struct kmsg_reader *r, kmsg_line_cb cb, void *ud)
{
	const char *p = r->rbuf, *end = r->rbuf + r->rlen;
	unsigned n = 0;

#ifdef __SSE2__
	/* 64 bytes a step, a bit a byte: one pass finds the line ends and the bytes that are
	 * no text, and a line costs a count of trailing zeros, however short it is */
	const char *blk = p;
	bool b = false; /* the line under way holds a byte that is no text */

	for (; end - blk >= 64; blk += 64) {
		uint64_t m_nl, m_bad;

		block_masks(blk, &m_nl, &m_bad);
		while (m_nl) {
			unsigned i = (unsigned)__builtin_ctzll(m_nl);
			uint64_t before = (1ULL << i) - 1;

			line_found(r, p, blk + i, b || (m_bad & before), &n, cb, ud);
			p = blk + i + 1;
			b = false;
			m_bad &= ~before;
			m_nl &= m_nl - 1;
		}
		b = b || m_bad;
	}
	/* the rest, less than 64 bytes, byte by byte */
	for (const char *q = blk; q < end; q++) {
		unsigned char c = (unsigned char)*q;

		if (c == '\n') {
			line_found(r, p, q, b, &n, cb, ud);
			p = q + 1;
			b = false;
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			b = true;
		}
	}
#else
	for (;;) {
		bool bad;
		const char *nl = next_line(p, end, &bad);
		if (!nl)
			break;
		line_found(r, p, nl, bad, &n, cb, ud);
		p += nl - p + 1;
	}
#endif
	size_t rest = end - p;
	if (rest > KMSG_LINE_MAX) {
		/* an over-long line: count it once, drop what we have */
		if (!r->skipping) {
			r->bad++;
			r->records++;
		}
		r->skipping = true;
		rest = 0;
	}
	kmsg_paste_pin(r->paste); /* the line it may hold back is about to move */
	memmove(r->rbuf, p, rest);
	r->rlen = rest;
	return n;
}

static int read_file(struct kmsg_reader *r, unsigned max, kmsg_line_cb cb, void *ud)
{
	unsigned n = 0;

	r->eof = false;
	while (n < max) {
		ssize_t len = read(r->fd, r->rbuf + r->rlen, r->rbuf_size - 1 - r->rlen);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				return -errno;
			len = 0; /* nothing more for now: go on with what there is */
		} else if (len == 0) {
			/* end of file: a last line without newline counts only
			 * when we will not be told more (the caller decides) */
			r->eof = true;
		}
		r->rlen += len;
		if (!r->paste->sniffed) {
			/* the shape of a paste is learned from its start, not from what
			 * one read() of a pipe happened to return */
			if (len > 0 && r->rlen < KMSG_PASTE_SNIFF_BYTES)
				continue;
			kmsg_paste_sniff(r->paste, r->rbuf, r->rlen, r->eof);
		}
		n += split_lines(r, cb, ud);
		if (len == 0) {
			/* the end, or a pause of a followed file: a record held back for a
			 * line that may continue it goes now */
			if (r->eof && !r->rlen)
				kmsg_paste_finish(r->paste, cb, ud);
			break;
		}
	}
	return n;
}

/* At the end of a file, the last line may lack its newline. */
static void flush_tail(struct kmsg_reader *r, kmsg_line_cb cb, void *ud)
{
	if (r->rlen && !r->skipping) {
		bool bad;
		next_line(r->rbuf, r->rbuf + r->rlen, &bad);
		handle_file_line(r, r->rbuf, r->rlen, bad, cb, ud);
	}
	r->rlen = 0;
	r->skipping = false;
	kmsg_paste_finish(r->paste, cb, ud);
}

int kmsg_reader_read(struct kmsg_reader *r, unsigned max_records, kmsg_line_cb cb, void *userdata)
{
	int n;

	if (r->fd < 0)
		return -EBADF;
	if (r->is_dev)
		return read_dev(r, max_records, cb, userdata);
	n = read_file(r, max_records, cb, userdata);
	return n;
}

void kmsg_reader_finish(struct kmsg_reader *r, kmsg_line_cb cb, void *userdata)
{
	if (!r->is_dev)
		flush_tail(r, cb, userdata);
}
