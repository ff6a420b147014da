/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-rc.c - libFuzzer target for the settings file parser (rc_parse in src/ui/rc.c): any text
 * gives 0 or -EINVAL with a NUL-terminated message that names the line, never a crash; and
 * what parses is written back by rc_format() and read again to the same settings.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ui/rc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool cond)
{
	if (!cond)
		__builtin_trap();
}

static bool same(const struct rc_settings *a, const struct rc_settings *b)
{
	if (a->have_columns != b->have_columns || a->have_sort != b->have_sort ||
	    a->have_delay != b->have_delay || a->have_flat != b->have_flat || a->have_color != b->have_color ||
	    a->have_events_pane != b->have_events_pane || a->have_recursive != b->have_recursive)
		return false;
	if (a->have_columns && (a->n_cols != b->n_cols ||
				memcmp(a->col_order, b->col_order, a->n_cols * sizeof(a->col_order[0])) ||
				memcmp(a->col_sel, b->col_sel, sizeof(a->col_sel))))
		return false;
	if (a->have_sort && (a->sort_col != b->sort_col || a->sort_desc != b->sort_desc))
		return false;
	if (a->have_delay && a->interval_usec != b->interval_usec)
		return false;
	return (!a->have_flat || a->flat == b->flat) && (!a->have_color || a->color == b->color) &&
	       (!a->have_events_pane || a->events_pane == b->events_pane) &&
	       (!a->have_recursive || a->recursive == b->recursive);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rc_settings s, s2;
	char err[512], *text = malloc(size ? size : 1);
	struct buf b;
	int r;

	if (!text)
		return 0;
	memcpy(text, data, size);
	memset(err, 'x', sizeof(err));
	r = rc_parse(text, size, &s, err, sizeof(err));
	check(r == 0 || r == -EINVAL);
	check(memchr(err, '\0', sizeof(err)) != NULL);
	check(r == 0 || strncmp(err, "cgtoprc:", 8) == 0);
	if (r == 0) {
		buf_init(&b, 256);
		rc_format(&b, &s);
		r = rc_parse(b.data, b.len, &s2, err, sizeof(err));
		check(r == 0 && same(&s, &s2));
		buf_free(&b);
	}
	free(text);
	return 0;
}
