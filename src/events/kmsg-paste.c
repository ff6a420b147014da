/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kmsg-paste.c - turns the physical lines of a saved kernel log, as people paste it, back into
 * the kernel's records: CRLF line ends, e-mail quote markers ("> ", ">> ", "> > "), a
 * Markdown code block's indentation (blanks or a tab, also inside a quote), and records that a
 * wrap at a fixed width cut into several lines.
 *
 * The shape of a paste is learned once from its first lines (kmsg_paste_sniff): the framing of
 * its records, the indentation they share, and whether lines were cut at one width (in bytes, as
 * fold and terminals count, or in characters, as mailers do).  A log that is none of that (the
 * usual case, and a huge file) takes the fast path in kmsg-paste.h: one lazy parse per line, a
 * record that ends in a group path held back for one line.  Otherwise every line goes through
 * general_line(), which holds each record back until the next line shows whether that line
 * continues it.
 *
 * Which line continues a record: under a framing with a time stamp or header (everything but
 * dmesg --notime), a line that starts no record of that framing; without one, a line after a line
 * at the wrap width, unless it starts a message the OOM parser knows.  How it is joined: directly
 * when the wrap cut a word (the line reaches the wrap width, as fold -w and terminals cut) or kept
 * the blank at the end of the line (fold -s, format=flowed); with one blank when the wrap dropped
 * it (a mailer: seen in the paste as lines shorter than the width, without a trailing blank,
 * whose next line's first word would not have fit on them).  A line quoted or indented otherwise
 * than the record before is the paste's own text unless that record reaches the wrap width.  A
 * record that may have been cut and cannot be made whole (the log ends right after a line at the
 * wrap width; text follows a path that ends the record where that text may be the rest) is
 * dropped and counted, never handed on: the cut prefix of a group path is often another real
 * group ("/x/ci/" of "/x/ci/build-42").
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include <errno.h>
#include <string.h>

#include "events/kmsg-paste.h"

#define LIT(s) (s), (sizeof(s) - 1)

/* The sniff looks at this many lines at most (and KMSG_PASTE_SNIFF_BYTES * 4 bytes). */
#define SNIFF_LINES 2048
/* A log without time stamps counts as wrapped only at a width people wrap at, and only when at
 * least this many lines reach it: a few lines of the same longest length happen in any log. */
#define WRAP_MIN 40
#define WRAP_MAX 160
#define WRAP_MIN_LINES 3
/* With time stamps, a wrap is seen in its pieces: a few lines of text after a record (a record
 * of 1024 bytes wrapped at 72 columns leaves 14 of them); a longer run of text is a block of
 * something else (dmesg --notime output after a dmesg, a program's output in a console). */
#define WRAP_MAX_PIECES 16
#define WRAP_MAX_FRAMED 1024

static inline bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static inline bool starts(const char *m, size_t n, const char *lit, size_t len)
{
	return n >= len && memcmp(m, lit, len) == 0;
}

/* A framing with a time stamp or header: a line in it starts a record. */
static bool is_framed(enum kmsg_framing f)
{
	return f == KF_KMSG || f == KF_DMESG || f == KF_DMESG_RAW || f == KF_DMESG_DECODE ||
	       f == KF_DMESG_CTIME || f == KF_SYSLOG;
}

/*
 * A message that oom.c acts on (oom_parser_feed): it starts a record, never continues one.  In a
 * log without time stamps this is all that tells a record's start from the rest of a cut line.
 */
static bool known_start(const char *m, size_t n)
{
	size_t lim;

	if (n < 5)
		return false;
	switch (m[0]) {
	case 'o':
		if (starts(m, n, LIT("oom-kill:")) || starts(m, n, LIT("oom_reaper: ")) ||
		    starts(m, n, LIT("oom_kill_process: ")))
			return true;
		break;
	case 'M':
		if (starts(m, n, LIT("Memory cgroup out of memory")))
			return true;
		break;
	case 'O':
		if (starts(m, n, LIT("Out of memory")))
			return true;
		break;
	case 'K':
		if (starts(m, n, LIT("Killed process ")))
			return true;
		break;
	case 'T':
		if (starts(m, n, LIT("Task in ")) || starts(m, n, LIT("Tasks in ")))
			return true;
		break;
	case 'm':
		if (starts(m, n, LIT("memory: usage ")))
			return true;
		break;
	case 'c':
		if (starts(m, n, LIT("cgroup: fork rejected by pids controller in ")))
			return true;
		break;
	case 'C':
		if (starts(m, n, LIT("CPU: ")))
			return true;
		break;
	case 'P':
		if (starts(m, n, LIT("Pid: ")))
			return true;
		break;
	default:
		break;
	}
	/* "NAME invoked oom-killer: " (a task name has at most 64 bytes; NAME may start with
	 * any of the letters above) */
	lim = n < 64 + 21 ? n : 64 + 21;
	return memmem(m, lim, " invoked oom-killer: ", 21) != NULL;
}

/* "[  20004]     0 20004 ..." or "[  pid  ]   uid  tgid ...": a row of an OOM report's task
 * table, or its header. */
static bool task_row(const char *m, size_t n)
{
	size_t i = 1;

	if (n < 4 || m[0] != '[')
		return false;
	while (i < n && m[i] == ' ')
		i++;
	if (n - i >= 3 && memcmp(m + i, "pid", 3) == 0) {
		for (i += 3; i < n && m[i] == ' ';)
			i++;
		return i < n && m[i] == ']';
	}
	if (i >= n || m[i] < '0' || m[i] > '9')
		return false;
	while (i < n && m[i] >= '0' && m[i] <= '9')
		i++;
	return i < n && m[i] == ']';
}

/* "Memory cgroup stats for /a/b:" and then "cache 0": the start of an OOM report's memory.stat
 * dump (4.19+, one record per line since 6.4), whose header a line at the wrap width may end. */
static bool stat_dump_starts(const char *held, size_t hn, const char *m, size_t n)
{
	size_t i = 0;

	if (!starts(held, hn, LIT("Memory cgroup stats for ")) || held[hn - 1] != ':')
		return false;
	while (i < n && ((m[i] >= 'a' && m[i] <= 'z') || (m[i] >= '0' && m[i] <= '9') || m[i] == '_'))
		i++;
	if (!i || i + 1 >= n || m[i] != ' ')
		return false;
	for (i++; i < n; i++)
		if (m[i] < '0' || m[i] > '9')
			return false;
	return true;
}

/* A message that ends in a group path: a cut there leaves another path that looks whole. */
static bool ends_in_path(const char *m, size_t n)
{
	if (n < 8)
		return false;
	if (m[0] == 'c')
		return starts(m, n, LIT("cgroup: fork rejected by pids controller in "));
	return m[0] == 'T' && starts(m, n, LIT("Task in ")) && memmem(m, n, LIT(" as a result of limit of "));
}

/* Columns of a physical line as a wrap counts them: a tab to the next multiple of 8, then each
 * byte (fold) or each UTF-8 character (mail clients). */
static unsigned width_of(const char *s, size_t n, bool bytes)
{
	unsigned w = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\t')
			w = (w / 8 + 1) * 8;
		else if (bytes || (c & 0xc0) != 0x80)
			w++;
	}
	return w;
}

void kmsg_paste_init(struct kmsg_paste *p)
{
	memset(p, 0, offsetof(struct kmsg_paste, out));
	p->framing = KF_NONE;
	p->out[0][0] = p->out[1][0] = '\0';
}

/* ---- learning the shape ---- */

enum { SL_BLANK, SL_BAD, SL_FRAMED, SL_TEXT, SL_OTHER };

struct sniff_line {
	uint16_t bw, cw;   /* width in bytes and in characters (tabs expanded) */
	uint16_t fwb, fwc; /* width of its first word */
	uint16_t run;      /* lines of text in the run of text this one is part of */
	uint8_t ws;        /* leading blanks after the quote markers */
	uint8_t kind;      /* SL_* */
	bool blank_end;
};

static uint16_t cap16(unsigned v)
{
	return v > 65535 ? 65535 : (uint16_t)v;
}

/* Width of the first word of [s, s + n). */
static unsigned first_word(const char *s, size_t n, bool bytes)
{
	const char *b = memchr(s, ' ', n);

	return width_of(s, b ? (size_t)(b - s) : n, bytes);
}

void kmsg_paste_sniff(struct kmsg_paste *p, const char *buf, size_t len, bool at_eof)
{
	struct sniff_line info[SNIFF_LINES];
	unsigned n = 0, nonblank = 0, nquoted = 0, nframed = 0, ntext = 0;
	const char *indent_at[9] = { NULL }, *indent_all_at[9] = { NULL };
	unsigned fcount[KF_PLAIN + 1] = { 0 }, wshist[9] = { 0 }, wshist_all[9] = { 0 };
	unsigned maxb = 0, maxc = 0, cntb = 0, cntc = 0;
	const size_t most = 4 * KMSG_PASTE_SNIFF_BYTES;
	const char *s = buf, *end = buf + (len > most ? most : len);

	p->sniffed = true;
	while (s < end && n < SNIFF_LINES) {
		const char *e = memchr(s, '\n', (size_t)(end - s)), *q, *qe;
		struct sniff_line *x = &info[n++];
		struct kmsg_line l;
		size_t ln;
		unsigned ws = 0;

		if (!e && !at_eof) {
			n--;
			break;
		}
		ln = (size_t)((e ? e : end) - s);
		q = s;
		s = e ? e + 1 : end;
		if (ln && q[ln - 1] == '\r')
			ln--;
		memset(x, 0, sizeof(*x));
		if (ln > KMSG_LINE_MAX || !kmsg_is_text(q, ln)) {
			x->kind = SL_BAD;
			continue;
		}
		x->bw = cap16(width_of(q, ln, true));
		x->cw = cap16(width_of(q, ln, false));
		qe = q + ln;
		if (q < qe && *q == '>')
			nquoted++;
		while (q < qe && *q == '>')
			if (++q < qe && *q == ' ')
				q++;
		while (q + ws < qe && is_blank(q[ws]))
			ws++;
		if (q + ws == qe) {
			x->kind = SL_BLANK;
			continue;
		}
		nonblank++;
		x->ws = ws > 255 ? 255 : (uint8_t)ws;
		x->blank_end = is_blank(qe[-1]);
		x->fwb = cap16(first_word(q + ws, (size_t)(qe - q - ws), true));
		x->fwc = cap16(first_word(q + ws, (size_t)(qe - q - ws), false));
		kmsg_parse_line(q + ws, (size_t)(qe - q - ws), p->out[0], sizeof(p->out[0]), &l);
		if (is_framed(l.framing)) {
			x->kind = SL_FRAMED;
			fcount[l.framing]++;
			if (!wshist[ws > 8 ? 8 : ws]++)
				indent_at[ws > 8 ? 8 : ws] = q;
			nframed++;
		} else {
			x->kind = l.framing == KF_NONE ? SL_OTHER : SL_TEXT;
		}
		if (!wshist_all[ws > 8 ? 8 : ws]++)
			indent_all_at[ws > 8 ? 8 : ws] = q;
		if (x->bw > maxb)
			maxb = x->bw, cntb = 0;
		if (x->bw == maxb)
			cntb++;
		if (x->cw > maxc)
			maxc = x->cw, cntc = 0;
		if (x->cw == maxc)
			cntc++;
	}
	p->out[0][0] = '\0';

	/* quoted: a log never starts a line with '>'; a wrap after quoting leaves pieces unquoted */
	p->quoted = nquoted > 0 && nquoted * 4 >= nonblank;
	/* the indentation of the records, and the lines of text not indented more (the log's
	 * own continuation lines are: a memory.stat dump, a journal's multi-line message) */
	p->indent = 0;
	for (unsigned w = 1; w < 9; w++)
		if (wshist[w] > wshist[p->indent])
			p->indent = w;
	for (unsigned i = 0; i < n; i++)
		/* cppcheck-suppress uninitvar ; info[0..n) were each cleared when counted */
		ntext += info[i].kind == SL_TEXT && info[i].ws <= p->indent;
	/* a few lines of a log without time stamps may look framed ("[drm] ...") */
	p->notime = !nframed || nframed * 4 < nframed + ntext;
	if (!p->notime) {
		unsigned best = 0;

		for (unsigned f = 0; f <= KF_PLAIN; f++)
			if (fcount[f] > fcount[best])
				best = f;
		p->framing = (enum kmsg_framing)best;
		if (p->indent)
			memcpy(p->indent_str, indent_at[p->indent], p->indent);
	} else {
		/* the indentation most lines have: the log's own lines (a call trace) have more,
		 * the rest of a line a wrap cut after indenting has none */
		unsigned best = 0;

		for (unsigned w = 0; w < 9; w++)
			if (wshist_all[w] > wshist_all[best])
				best = w;
		p->framing = KF_PLAIN;
		p->indent = best;
		if (best)
			memcpy(p->indent_str, indent_all_at[best], best);
	}

	if (!p->notime) {
		/*
		 * A short run of text lines (no framing, not indented more than the records) right
		 * after a record is its rest when the line before each could not hold more: it
		 * reaches the widest width (a cut), or the next line's first word would not have
		 * fit after it (a word wrap, which kept the blank at the end or dropped it).
		 */
		unsigned conts = 0, hb = 0, hc = 0, sb = 0, eb = 0, good = 0;
		int prev = -1;

		for (unsigned i = 0, start = 0; i <= n; i++) {
			bool text = i < n && info[i].kind == SL_TEXT && info[i].ws <= p->indent;

			if (text && (i == 0 || !(info[i - 1].kind == SL_TEXT && info[i - 1].ws <= p->indent)))
				start = i;
			if (!text && i > 0 && info[i - 1].kind == SL_TEXT && info[i - 1].ws <= p->indent)
				for (unsigned j = start; j < i; j++)
					info[j].run = cap16(i - start);
		}
		for (unsigned i = 0; i < n; i++) {
			const struct sniff_line *x = &info[i];

			if (x->kind == SL_BLANK || x->kind == SL_BAD) {
				prev = -1;
				continue;
			}
			if (x->kind == SL_TEXT && x->ws <= p->indent && x->run <= WRAP_MAX_PIECES &&
			    prev >= 0 && info[prev].kind != SL_OTHER) {
				const struct sniff_line *b = &info[prev];
				bool cut_b = b->bw == maxb && maxb >= WRAP_MIN && maxb <= WRAP_MAX_FRAMED;
				bool cut_c = b->cw == maxc && maxc >= WRAP_MIN && maxc <= WRAP_MAX_FRAMED;
				bool full = b->bw + 1u + x->fwb > maxb || b->cw + 1u + x->fwc > maxc;

				conts++;
				hb += cut_b;
				hc += cut_c;
				if (cut_b || cut_c)
					good++;
				else if (b->blank_end && full)
					sb++, good++;
				else if (!b->blank_end && full)
					eb++, good++;
			}
			prev = (int)i;
		}
		if (good && good * 2 >= conts) {
			p->wrapped = true;
			p->wrap_sure = good >= 2;
			/* a width that a line cut was seen at, unless it is one no wrap uses */
			p->wrap_b = hb || !hc ? maxb : 0;
			p->wrap_c = hc || !hb ? maxc : 0;
			p->wrap_eats_blank = eb >= 2 && eb >= sb;
		}
	} else {
		bool okb = maxb >= WRAP_MIN && maxb <= WRAP_MAX && cntb >= WRAP_MIN_LINES;
		bool okc = maxc >= WRAP_MIN && maxc <= WRAP_MAX && cntc >= WRAP_MIN_LINES;

		if (okb || okc) {
			p->wrapped = true;
			p->wrap_sure = true;
			p->wrap_b = okb ? maxb : 0;
			p->wrap_c = okc ? maxc : 0;
		}
	}
	p->general = p->quoted || p->indent || p->wrapped;
}

/* ---- records ---- */

static void count(struct kmsg_paste *p, enum kmsg_framing f)
{
	p->records += f != KF_CONTINUATION;
	p->plain += f == KF_PLAIN;
}

/* The held record's last line reaches the width the paste was wrapped at: a wrap may have cut
 * it there. */
static bool at_wrap(const struct kmsg_paste *p)
{
	return (p->wrap_b && p->held_bw == p->wrap_b) || (p->wrap_c && p->held_cw == p->wrap_c);
}

/* The first word of [t, t + n) would not have fit after the held record's last line (nor the
 * blank after it: fold -s wants room for that too), so a word wrap would have broken there. */
static bool would_overflow(const struct kmsg_paste *p, const char *t, size_t n)
{
	return (p->wrap_b && p->held_bw + first_word(t, n, true) + 1 > p->wrap_b) ||
	       (p->wrap_c && p->held_cw + first_word(t, n, false) + 1 > p->wrap_c);
}

/* Hands the held record on, or drops it when it may be cut (at_break: no line of the log
 * follows it, so nothing shows it was whole). */
static void finish_held(struct kmsg_paste *p, bool at_break, kmsg_paste_cb cb, void *ud)
{
	bool relevant;

	if (!p->held)
		return;
	p->held = false;
	if (p->hl.framing == KF_NONE)
		return;
	relevant = p->hl.msg_len && known_start(p->hl.msg, p->hl.msg_len);
	if (relevant && (p->held_suspect || (at_break && at_wrap(p)))) {
		if (!p->dropped++)
			p->first_dropped = p->held_line_no;
		return;
	}
	count(p, p->hl.framing);
	cb(&p->hl, ud);
}

void kmsg_paste_pin(struct kmsg_paste *p)
{
	if (p->held && !p->held_in_join) {
		memcpy(p->join, p->held_text, p->held_len);
		p->held_text = p->join;
		p->held_in_join = true;
	}
}

/* Holds x, whose strings are in out[buf]. */
static void hold(struct kmsg_paste *p, const struct kmsg_line *x, unsigned buf, const char *text, size_t len,
		 unsigned bw, unsigned cw, unsigned block)
{
	p->hl = *x;
	p->cur = buf;
	p->held = true;
	p->held_suspect = false;
	p->held_in_join = false;
	p->held_text = text;
	p->held_len = len;
	p->held_bw = bw;
	p->held_cw = cw;
	p->held_blank_end = len && is_blank(text[len - 1]);
	p->held_piece_blank = memchr(text, ' ', len) != NULL;
	p->held_line_no = p->lines;
	p->held_block = block;
}

enum next_line {
	NEXT_RECORD, /* the line starts a record of its own: the held one was whole */
	NEXT_JOIN,   /* the line is the rest of the held record */
	NEXT_UNSURE, /* a record of its own, but the held one may have been cut: drop it */
};

/*
 * What is x, the next line after the held record?  text is x's text (tlen bytes), indented
 * extra blanks more than the paste; block tells its quote depth and whether it had the paste's
 * indentation.  *sep is set to what the wrap took out between them.
 */
static enum next_line classify(const struct kmsg_paste *p, const struct kmsg_line *x, const char *text,
			       size_t tlen, unsigned extra, unsigned block, const char **sep)
{
	bool cut = at_wrap(p);
	/* a line quoted or indented otherwise than the record is the paste's own text (the
	 * reply after a quote, the prose after a code block), unless a wrap that came after
	 * the quoting or indenting cut the record there */
	bool same_block = block == p->held_block;
	bool path = ends_in_path(p->hl.msg, p->hl.msg_len);
	const char *t = text + extra;
	/* a word wrap breaks a line only where the next word would not fit: with the blank kept
	 * at the end of the line (fold -s, format=flowed; fold wants room for the blank after
	 * the word too), or dropped */
	bool full = p->wrapped && would_overflow(p, t, (size_t)(text + tlen - t));
	bool flowed = full && p->held_blank_end;
	bool broken = full && !p->held_blank_end;

	*sep = "";
	switch (x->framing) {
	case KF_NONE:
		return NEXT_RECORD; /* another program's line, a journal note */
	case KF_CONTINUATION:
		/* indented: a continuation line of the log's own, a dictionary line, or a hard
		 * wrap that cut just before a blank; a row of an OOM report's task table has
		 * runs of blanks between its columns, and no continuation line of its own */
		if (!cut || (extra > 3 && !task_row(p->hl.msg, p->hl.msg_len)) || x->subsystem || x->device)
			return NEXT_RECORD;
		break;
	case KF_PLAIN:
		if (p->notime) {
			/* no time stamps: only the wrap width and the messages oom.c knows tell a
			 * record from the rest of one; a wrap that broke a path at a blank in it
			 * leaves a shorter line, so a path followed by text is unsure too */
			if (!p->wrapped ||
			    (x->msg_len && (known_start(x->msg, x->msg_len) || task_row(x->msg, x->msg_len) ||
					    stat_dump_starts(p->hl.msg, p->hl.msg_len, x->msg, x->msg_len))))
				return NEXT_RECORD;
			if (!cut && !flowed)
				return path && same_block ? NEXT_UNSURE : NEXT_RECORD;
			break;
		}
		if (path && !p->wrap_sure && memchr(t, ' ', (size_t)(text + tlen - t)))
			/* one line that looks cut is no proof of a wrap: words after a path are
			 * the paste's own ("Thanks"), the rest of a path seldom has a blank */
			return NEXT_RECORD;
		if (flowed)
			return NEXT_JOIN;
		if (cut) {
			/* a line filled to the width: a word cut (fold, a terminal) or, where the
			 * wrap drops blanks and the line has one, a blank that fell at the end */
			if (p->wrap_eats_blank && p->held_piece_blank)
				*sep = " ";
			return NEXT_JOIN;
		}
		if (!same_block)
			return NEXT_RECORD;
		if (p->wrap_eats_blank && broken) {
			*sep = " ";
			return NEXT_JOIN;
		}
		/* text after a record in a log not known to be wrapped: a comment in the paste, an
		 * unframed block (dmesg --notime after a dmesg), or the rest of a path a wrap cut,
		 * which seldom holds a blank */
		return path && !memchr(t, ' ', (size_t)(text + tlen - t)) ? NEXT_UNSURE : NEXT_RECORD;
	default:
		/* a record of another framing than the paste's: the rest of a cut line that
		 * happens to start like one, when the line before may have been cut */
		if (x->framing == KF_KMSG || p->notime || x->framing == p->framing || !(cut || flowed))
			return NEXT_RECORD;
		return NEXT_JOIN;
	}
	/* Without time stamps, a path at the wrap width followed by text is whole or cut; the rest
	 * of a path seldom holds a blank, a kernel message nearly always does. */
	if (p->notime && path && memchr(t, ' ', (size_t)(text + tlen - t)))
		return NEXT_UNSURE;
	return NEXT_JOIN;
}

static void join(struct kmsg_paste *p, const char *sep, const char *text, size_t len, unsigned bw,
		 unsigned cw, kmsg_paste_cb cb, void *ud)
{
	size_t sl = strlen(sep);

	if (p->held_len + sl + len > KMSG_LINE_MAX) {
		/* longer than any record: it was not one; what is held may be cut */
		p->held_suspect = true;
		finish_held(p, true, cb, ud);
		return;
	}
	kmsg_paste_pin(p);
	memcpy(p->join + p->held_len, sep, sl);
	memcpy(p->join + p->held_len + sl, text, len);
	p->held_len += sl + len;
	kmsg_parse_line_lazy(p->join, p->held_len, p->out[p->cur], sizeof(p->out[0]), &p->hl);
	p->held_bw = bw;
	p->held_cw = cw;
	p->held_blank_end = is_blank(text[len - 1]);
	p->held_piece_blank = memchr(text, ' ', len) != NULL;
	p->joined++;
}

static int general_line(struct kmsg_paste *p, const char *line, size_t len, kmsg_paste_cb cb, void *ud)
{
	const char *s = line, *end = line + len, *text, *sep;
	unsigned ws = 0, strip, extra, bw = 0, cw = 0, depth = 0;
	unsigned nxt = 1 - p->cur;
	struct kmsg_line x;
	size_t tlen;

	if (p->wrapped) {
		bw = width_of(line, len, true);
		cw = width_of(line, len, false);
	}
	if (p->quoted)
		for (; s < end && *s == '>'; depth++)
			if (++s < end && *s == ' ')
				s++;
	while (s + ws < end && is_blank(s[ws]))
		ws++;
	if (s + ws == end) {
		/* a blank line: nothing continues across it */
		finish_held(p, true, cb, ud);
		return 0;
	}
	/* a line not indented as the paste is not indented at all: a wrap that came after the
	 * indentation starts the rest of a line at column 0, maybe with a blank of the text */
	strip = ws >= p->indent && memcmp(s, p->indent_str, p->indent) == 0 ? p->indent : 0;
	text = s + strip;
	tlen = (size_t)(end - text);
	extra = ws - strip;
	kmsg_parse_line_lazy(text, tlen, p->out[nxt], sizeof(p->out[0]), &x);
	if (extra && x.framing == KF_CONTINUATION && !x.subsystem && !x.device) {
		/* more indented than the rest: the paste's records are not all indented alike */
		struct kmsg_line y;

		kmsg_parse_line_lazy(text + extra, tlen - extra, p->out[nxt], sizeof(p->out[0]), &y);
		if (is_framed(y.framing) && (y.framing == p->framing || p->notime)) {
			x = y;
			text += extra;
			tlen -= extra;
			extra = 0;
		} else {
			kmsg_parse_line_lazy(text, tlen, p->out[nxt], sizeof(p->out[0]), &x);
		}
	}
	if (p->held) {
		switch (classify(p, &x, text, tlen, extra, depth * 2 + !!strip, &sep)) {
		case NEXT_JOIN:
			join(p, sep, text, tlen, bw, cw, cb, ud);
			if (p->held)
				return 0;
			break; /* too long to be one record: x starts anew */
		case NEXT_UNSURE:
			p->held_suspect = true;
			break;
		case NEXT_RECORD:
			break;
		}
	}
	finish_held(p, false, cb, ud);
	if (!p->general && !(x.msg_len && !p->notime && ends_in_path(x.msg, x.msg_len))) {
		/* a log as it was saved: back to the fast path */
		if (x.framing != KF_NONE) {
			count(p, x.framing);
			cb(&x, ud);
		}
		return 0;
	}
	hold(p, &x, nxt, text, tlen, bw, cw, depth * 2 + !!strip);
	return 0;
}

/* Everything but a plain line of a log as it was saved. */
static int slow_line(struct kmsg_paste *p, const char *line, size_t len, bool not_text, kmsg_paste_cb cb,
		     void *ud)
{
	struct kmsg_line l;

	if (len && line[len - 1] == '\r') {
		len--;
		if (not_text)
			not_text = !kmsg_is_text(line, len);
	}
	if (not_text || len > KMSG_LINE_MAX) {
		finish_held(p, true, cb, ud);
		return -EINVAL;
	}
	if (p->general || p->held)
		return general_line(p, line, len, cb, ud);
	kmsg_parse_line_lazy(line, len, p->out[p->cur], sizeof(p->out[0]), &l);
	if (l.framing == KF_NONE)
		return 0;
	if (l.msg_len && kmsg_paste_hold_path(p, &l, line, len))
		return 0;
	count(p, l.framing);
	cb(&l, ud);
	return 0;
}

int kmsg_paste_slow_line(struct kmsg_paste *p, const char *line, size_t len, bool not_text, kmsg_paste_cb cb,
			 void *userdata)
{
	return slow_line(p, line, len, not_text, cb, userdata);
}

bool kmsg_paste_hold_path(struct kmsg_paste *p, const struct kmsg_line *l, const char *line, size_t len)
{
	if (p->notime || !ends_in_path(l->msg, l->msg_len))
		return false;
	/* held until the next line shows that no wrap cut its path */
	hold(p, l, p->cur, line, len, 0, 0, 0);
	return true;
}

void kmsg_paste_finish(struct kmsg_paste *p, kmsg_paste_cb cb, void *userdata)
{
	finish_held(p, true, cb, userdata);
}
