/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output-text.c - the batch text table: one row per group, the path first,
 * then the selected columns right-aligned; IEC units unless --raw; "-" where
 * a value is not available.  The column titles on a terminal, or as --header
 * and --no-header say; a blank line between samples (as systemd-cgtop -b does).
 * Paths are escaped as utf8.h says.
 */
#include <string.h>
#include <sys/ioctl.h>

#include "sample/column.h"
#include "output/output.h"
#include "base/units.h"
#include "base/utf8.h"
#include "names/names.h"

/* The group's path as the table shows it, escaped (utf8.h): a name cannot
 * reach the terminal, nor look like more columns or rows. */
static const char *path_text(struct output *o, const struct cg_node *n)
{
	o->line.len = 0;
	utf8_escape_text(&o->line, n->path, strlen(n->path), false);
	return o->line.data;
}

/* Where to start showing the last want bytes of an escaped path: not inside
 * an escape or a UTF-8 character. */
static size_t tail_start(const char *s, size_t len, size_t want)
{
	size_t i = 0;

	while (i < len && len - i > want) {
		size_t n = 1;

		if (s[i] == '\\')
			n = s[i + 1] == 'x' ? 4 : 2;
		else
			while (i + n < len && ((unsigned char)s[i + n] & 0xc0) == 0x80)
				n++;
		i += n;
	}
	return i;
}

/* One cell; "-" where the value is not available. */
static void cell(const struct output *o, const struct cg_node *n, enum col_id c, char *b, size_t sz)
{
	column_format(n, c, (o->cfg->raw ? COLFMT_RAW : 0) | (o->cfg->tasks_own ? COLFMT_OWN : 0), b, sz);
}

void output_text_sample(struct output *o, const struct sampler *s)
{
	const struct cg_tree *t = s->tree;
	const struct config *cfg = o->cfg;
	size_t pathw = strlen("Control Group"), cols_w = 0;
	bool left[_COL_MAX];
	int width[_COL_MAX];
	char b[1100]; /* a name, escaped (names.h: up to 255 bytes) */

	/* Column widths: the title's or the table's, whichever is wider, so
	 * --raw numbers stay aligned (a first pass formats every cell). */
	if (cfg->col_sel[COL_NAME])
		names_tree(t); /* the groups that appeared since the last sample */
	for (unsigned i = 0; i < cfg->n_cols; i++) {
		enum col_id c = cfg->col_order[i];
		left[c] = columns[c].cell.kind == CK_TEXT;
		width[c] = columns[c].title ? columns[c].width : 0;
		if (columns[c].title && (int)strlen(columns[c].title) > width[c])
			width[c] = strlen(columns[c].title);
	}
	for (struct cg_node *n = t->top; n; n = cg_tree_next(t, n)) {
		size_t l = strlen(path_text(o, n));
		if (l > pathw)
			pathw = l;
		for (unsigned i = 0; i < cfg->n_cols; i++) {
			enum col_id c = cfg->col_order[i];
			if (!columns[c].title)
				continue;
			cell(o, n, c, b, sizeof(b));
			if ((int)strlen(b) > width[c])
				width[c] = strlen(b);
		}
	}
	for (unsigned i = 0; i < cfg->n_cols; i++)
		if (columns[cfg->col_order[i]].title)
			cols_w += width[cfg->col_order[i]] + 1;
	if (o->tty) {
		struct winsize ws;
		if (ioctl(fileno(o->out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > cols_w + 16 &&
		    pathw > ws.ws_col - cols_w)
			pathw = ws.ws_col - cols_w;
	}

	if (o->samples > 0)
		fputc('\n', o->out);
	if (cfg->header < 0 ? o->tty : cfg->header) {
		fprintf(o->out, "%-*s", (int)pathw, "Control Group");
		for (unsigned i = 0; i < cfg->n_cols; i++) {
			enum col_id c = cfg->col_order[i];
			if (columns[c].title)
				fprintf(o->out, left[c] ? " %-*s" : " %*s", width[c], columns[c].title);
		}
		fputc('\n', o->out);
	}
	for (struct cg_node *n = t->top; n; n = cg_tree_next(t, n)) {
		const char *path = path_text(o, n);
		size_t l = o->line.len;
		if (l > pathw) /* on a narrow terminal, keep the end of the path */
			fprintf(o->out, "...%-*s", (int)pathw - 3, path + tail_start(path, l, pathw - 3));
		else
			fprintf(o->out, "%-*s", (int)pathw, path);
		for (unsigned i = 0; i < cfg->n_cols; i++) {
			enum col_id c = cfg->col_order[i];
			if (!columns[c].title)
				continue;
			cell(o, n, c, b, sizeof(b));
			fprintf(o->out, left[c] ? " %-*s" : " %*s", width[c], b);
		}
		fputc('\n', o->out);
	}
}
