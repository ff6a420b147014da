/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-kmsg.c - libFuzzer target for the kernel-log parsers: the input is fed whole to
 * kmsg_parse_record, line by line to kmsg_parse_line and the OOM parser (flushed at the end),
 * and as a saved log through the paste reader (kmsg_paste_sniff on the whole, then
 * kmsg_paste_line per line, pinned before each line's block is freed) into a second OOM parser;
 * each piece in a heap block of its exact length so AddressSanitizer sees a read past len.
 * Each line of text is parsed lazily too, as the bulk reader does: a message handed on must be
 * the full parse's, with its framing and time stamps.
 * Each event is written as JSON, which must be one line of well-formed UTF-8.
 * Linked with replay-main.c instead of libFuzzer it runs the committed corpus and crashes
 * (tests/fuzz/replay.sh).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events/events.h"
#include "events/kmsg.h"
#include "events/kmsg-paste.h"
#include "base/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sink(const struct cg_event *ev, void *userdata)
{
	size_t *n = userdata;

	/* touch every string: an unterminated one shows up under ASan */
	*n += strlen(ev->task) + strlen(ev->cgroup) + strlen(ev->task_cgroup) +
	      strlen(ev->constraint) + strlen(ev->gfp_mask) + strlen(cg_event_kind_name(ev->kind));
	if (ev->evidence) {
		const struct oom_evidence *x = ev->evidence;

		if (x->n_tasks > EV_TASKS_MAX || x->n_stat > EV_STAT_MAX || x->n_tasks > x->tasks_total)
			__builtin_trap();
		for (unsigned i = 0; i < x->n_tasks; i++)
			*n += strlen(x->tasks[i].name);
		for (unsigned i = 0; i < x->n_stat; i++)
			*n += strlen(x->stat[i].key);
		*n += strlen(x->largest.name);
	}
	/* the JSON writer fills room reserved for the event's worst case through a cursor: its
	 * event is one well-formed line whatever the fuzzed log made of the strings */
	static struct buf j;

	if (!j.data)
		buf_init(&j, 64);
	j.len = 0;
	events_format_json(&j, ev, 1.5);
	if (j.len < 3 || memcmp(j.data + j.len - 2, "}\n", 2) != 0 || strlen(j.data) != j.len ||
	    memchr(j.data, '\n', j.len - 1) || !utf8_valid(j.data, j.len))
		__builtin_trap();
}

/* The lazy parse of a text line against the full parse (the same rule as test-kmsg.c's). */
static void lazy_check(const char *s, size_t n, const struct kmsg_line *full)
{
	static char lout[KMSG_LINE_MAX + 16];
	struct kmsg_line l;

	if (kmsg_parse_line_lazy(s, n, lout, n + 1, &l) != 0)
		__builtin_trap();
	if (!l.msg_len) {
		if (!l.msg || l.msg[0] || (l.framing == KF_NONE) != (full->framing == KF_NONE) ||
		    (l.framing == KF_CONTINUATION) != (full->framing == KF_CONTINUATION))
			__builtin_trap();
		return;
	}
	if (l.framing != full->framing || l.level != full->level || l.facility != full->facility ||
	    l.seq != full->seq || l.ts_usec != full->ts_usec || l.wall_sec != full->wall_sec ||
	    l.msg_len != full->msg_len || memcmp(l.msg, full->msg, l.msg_len + 1) != 0)
		__builtin_trap();
}

static void paste_sink(const struct kmsg_line *l, void *userdata)
{
	if (l->msg_len > KMSG_LINE_MAX || (l->msg && strlen(l->msg) > l->msg_len))
		__builtin_trap();
	oom_parser_feed(userdata, l);
}

/* The input as a saved log, pasted or not, the way kmsg-reader.c reads one. */
static void paste(const uint8_t *data, size_t size, size_t *touched)
{
	static struct kmsg_paste ps;
	static struct oom_parser p;
	const char *s = (const char *)data, *end = s + size;
	char *all = malloc(size ? size : 1);

	if (!all)
		return;
	memcpy(all, data, size);
	kmsg_paste_init(&ps);
	kmsg_paste_sniff(&ps, all, size, true);
	free(all);
	oom_parser_init(&p, sink, touched);
	while (s < end) {
		const char *e = memchr(s, '\n', (size_t)(end - s));
		size_t n = (size_t)((e ? e : end) - s);
		char *copy = malloc(n ? n : 1);

		if (!copy)
			return;
		memcpy(copy, s, n);
		kmsg_paste_line(&ps, copy, n, !kmsg_is_text(copy, n), paste_sink, &p);
		kmsg_paste_pin(&ps);
		free(copy);
		s = e ? e + 1 : end;
	}
	kmsg_paste_finish(&ps, paste_sink, &p);
	oom_parser_flush(&p);
	if (ps.records > ps.lines || ps.dropped > ps.lines)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[2 * KMSG_LINE_MAX + 4096 + 16];
	static struct oom_parser p;
	const char *s = (const char *)data, *end = s + size;
	struct kmsg_line l;
	size_t touched = 0;
	char *copy;

	if (size <= sizeof(out) - 1) {
		copy = malloc(size ? size : 1);
		if (!copy)
			return 0;
		memcpy(copy, data, size);
		if (kmsg_parse_record(copy, size, out, size + 1, &l) == 0)
			touched += strlen(l.msg) + (l.subsystem ? strlen(l.subsystem) : 0) +
				   (l.device ? strlen(l.device) : 0);
		free(copy);
	}

	oom_parser_init(&p, sink, &touched);
	while (s < end) {
		const char *e = memchr(s, '\n', (size_t)(end - s));
		size_t n = (size_t)((e ? e : end) - s);

		copy = malloc(n ? n : 1);
		if (!copy)
			return 0;
		memcpy(copy, s, n);
		if (n <= KMSG_LINE_MAX && kmsg_parse_line(copy, n, out, n + 1, &l) == 0) {
			if (l.msg_len > n || strlen(l.msg) > l.msg_len)
				__builtin_trap();
			if (kmsg_is_text(copy, n))
				lazy_check(copy, n, &l);
			oom_parser_feed(&p, &l);
		}
		free(copy);
		s = e ? e + 1 : end;
	}
	oom_parser_flush(&p);
	paste(data, size, &touched);
	return (int)(touched & 0);
}
