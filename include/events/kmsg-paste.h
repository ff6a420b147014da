/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kmsg-paste.h - a saved kernel log as people paste it: CRLF line ends, indented as a Markdown
 * code block (blanks or a tab), quoted in an e-mail reply ("> ", ">> ", "> > ", a quote plus
 * indentation) and wrapped at a fixed width, in any framing kmsg.h knows.  The physical lines
 * go in, one at a time; the kernel's records come out as struct kmsg_line, with the quote
 * markers and the indentation removed and a record that a wrap cut rejoined.  Pure text work,
 * no I/O and no allocation: the reader (kmsg-reader.c) feeds it, and so do the unit tests.
 */
#ifndef CGTOP_KMSG_PASTE_H
#define CGTOP_KMSG_PASTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "events/kmsg.h"

/* How much of the start of a log kmsg_paste_sniff looks at to learn its shape. */
#define KMSG_PASTE_SNIFF_BYTES (64 * 1024)

typedef void (*kmsg_paste_cb)(const struct kmsg_line *l, void *userdata);

struct kmsg_paste {
	/* the shape of the paste, learned by kmsg_paste_sniff from its first lines */
	bool sniffed;
	bool general;              /* lines need more than the plain parse (quoted, indented, wrapped) */
	bool quoted;               /* lines start with e-mail quote markers */
	bool notime;               /* no record with a time stamp or header: dmesg --notime */
	unsigned indent;           /* length of indent_str */
	char indent_str[16];       /* the blanks (or tab) before each line that are the paste's */
	enum kmsg_framing framing; /* of the paste's records (KF_PLAIN when notime) */
	bool wrapped;              /* lines were cut at one width (wrap_sure: more than one
				    * line shows it): */
	bool wrap_sure;
	unsigned wrap_b, wrap_c; /* that width in bytes (fold, a terminal) and in characters
				    * (mail); either is 0 when it does not fit what was seen */
	bool wrap_eats_blank;    /* the wrap dropped the blank where it broke a line */

	/* the record held back until the next line shows whether that line continues it */
	bool held;
	bool held_suspect;     /* text after a path that ends the record: it may be cut */
	bool held_in_join;     /* held_text is in join[], else in the caller's buffer */
	const char *held_text; /* its text, quote markers and indentation removed */
	size_t held_len;
	unsigned held_bw, held_cw; /* width of its last physical line, in bytes and characters */
	bool held_blank_end;       /* that line ends in a blank */
	bool held_piece_blank;     /* that line holds a blank */
	uint64_t held_line_no;     /* the line it started on */
	unsigned held_block;       /* quote depth * 2, + 1 when it had the paste's indentation */
	struct kmsg_line hl;       /* the held record, parsed (strings in out[cur]) */
	unsigned cur;

	/* counts */
	uint64_t lines;         /* physical lines given */
	uint64_t records;       /* kernel log records handed on (any framing, no continuation line) */
	uint64_t plain;         /* of which without a time stamp or header (dmesg --notime) */
	uint64_t joined;        /* lines joined to the record before them */
	uint64_t dropped;       /* records dropped: a wrap may have cut them */
	uint64_t first_dropped; /* the line the first of those started on */

	char out[2][KMSG_LINE_MAX + 2];
	char join[KMSG_LINE_MAX + 2];
};

/* A fresh state for one log. */
void kmsg_paste_init(struct kmsg_paste *p);

/* Learns the paste's shape (quote markers, indentation, framing, wrap width) from the start of
 * the log: buf holds its first len bytes (at least KMSG_PASTE_SNIFF_BYTES unless the log is
 * shorter); at_eof says whether a last line without newline is whole.  Without a sniff, lines
 * are taken as they come (no quote, no indentation, no wrap). */
void kmsg_paste_sniff(struct kmsg_paste *p, const char *buf, size_t len, bool at_eof);

int kmsg_paste_slow_line(struct kmsg_paste *p, const char *line, size_t len, bool not_text, kmsg_paste_cb cb,
			 void *userdata);
bool kmsg_paste_hold_path(struct kmsg_paste *p, const struct kmsg_line *l, const char *line, size_t len);

/*
 * One physical line (without its '\n'; a trailing '\r' is dropped).  not_text says whether the
 * caller found a byte in it that no log line holds (a control byte, DEL, a CR other than the
 * last byte); it is then checked again here, since a CR before the newline is fine.  Hands the
 * previous record to cb when this line starts a new one; a line may be held back until then.
 * The line must stay readable until the next call (or call kmsg_paste_pin first).  Returns 0,
 * or -EINVAL for a line that is skipped (not text, longer than KMSG_LINE_MAX).
 */
static inline int kmsg_paste_line(struct kmsg_paste *p, const char *line, size_t len, bool not_text,
				  kmsg_paste_cb cb, void *userdata)
{
	struct kmsg_line l;

	/* inline: this runs for every line of a log that may be gigabytes; a log as it was
	 * saved takes one lazy parse, as if there were no paste to undo */
	p->lines++;
	if (__builtin_expect(not_text || p->general || p->held || len > KMSG_LINE_MAX ||
				     (len && line[len - 1] == '\r'),
			     0))
		return kmsg_paste_slow_line(p, line, len, not_text, cb, userdata);
	kmsg_parse_line_lazy(line, len, p->out[p->cur], sizeof(p->out[0]), &l);
	if (l.framing == KF_NONE)
		return 0;
	/* a fork rejection, a pre-4.19 "Task in": a wrap may have cut the path at the end */
	if (l.msg_len && (l.msg[0] == 'c' || l.msg[0] == 'T') && kmsg_paste_hold_path(p, &l, line, len))
		return 0;
	p->records += l.framing != KF_CONTINUATION;
	p->plain += l.framing == KF_PLAIN;
	cb(&l, userdata);
	return 0;
}

/* The buffer of the last line is about to change: keep a copy of what is held. */
void kmsg_paste_pin(struct kmsg_paste *p);

/* End of the input (or a pause in a followed file): hand over the held record, or drop it when
 * it may have been cut by a wrap. */
void kmsg_paste_finish(struct kmsg_paste *p, kmsg_paste_cb cb, void *userdata);

#endif
