/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kmsg-reader.h - where kernel messages come from: /dev/kmsg (live, one record
 * per read, non-blocking) or a saved log (a file or standard input, framing
 * detected line by line).  Messages are handed to a callback as kmsg_line.
 */
#ifndef CGTOP_KMSG_READER_H
#define CGTOP_KMSG_READER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "events/kmsg.h"
#include "events/kmsg-paste.h"

typedef void (*kmsg_line_cb)(const struct kmsg_line *l, void *userdata);

struct kmsg_reader {
	int fd;            /* /dev/kmsg or the file; -1 when closed */
	bool is_dev;       /* reading /dev/kmsg */
	bool eof;          /* file mode: end of file reached (until more is appended) */
	uint64_t next_seq; /* expected next sequence number (dev), UINT64_MAX unknown */
	uint64_t lost;     /* records overwritten before we read them (EPIPE, gaps) */
	uint64_t bad;      /* lines or records skipped as malformed */
	uint64_t records;  /* records or lines read */
	char *rbuf;        /* read buffer */
	size_t rbuf_size, rlen;
	char *out; /* decoded message buffer (dev) */
	size_t out_size;
	bool skipping;            /* file mode: inside an over-long line */
	struct kmsg_paste *paste; /* file mode: how the log was pasted, what is held back */
};

/* Open /dev/kmsg (dev_path, normally "/dev/kmsg") at its end, or at the oldest
 * record when since_boot.  Returns 0 or -errno (-EPERM/-EACCES: not allowed). */
int kmsg_reader_open_dev(struct kmsg_reader *r, const char *dev_path, bool since_boot);
/* Open a saved log; "-" is standard input.  Returns 0 or -errno. */
int kmsg_reader_open_file(struct kmsg_reader *r, const char *path);
void kmsg_reader_close(struct kmsg_reader *r);

/* Read what is available, at most max_records records or lines (a flood is
 * drained in bounded batches), handing each message to cb.  Returns the
 * number read (0: nothing available now, or end of file), or -errno. */
int kmsg_reader_read(struct kmsg_reader *r, unsigned max_records, kmsg_line_cb cb, void *userdata);

/* File mode, at the end of the input: hand over a last line without newline,
 * and a record held back for a line that might have continued it. */
void kmsg_reader_finish(struct kmsg_reader *r, kmsg_line_cb cb, void *userdata);

/* Why /dev/kmsg cannot be read, in words, for the notice. */
const char *kmsg_reader_denied_hint(int err);

#endif
