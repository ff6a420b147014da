/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rc.h - the dashboard's settings file, $XDG_CONFIG_HOME/cgtop/cgtoprc
 * (~/.config/cgtop/cgtoprc): "key = value" lines, # comments.  Parsing is
 * apart from the file I/O so the parser is tested on text.
 */
#ifndef CGTOP_RC_H
#define CGTOP_RC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample/column.h"
#include "base/fileio.h"
#include "options.h"

struct rc_settings {
	bool have_columns;
	bool col_sel[_COL_MAX];
	unsigned col_order[_COL_MAX], n_cols;
	bool have_sort;
	int sort_col; /* enum col_id or SORT_NAME */
	bool sort_desc;
	bool have_delay;
	uint64_t interval_usec;
	bool have_flat;
	bool flat;
	bool have_color;
	bool color;
	bool have_events_pane;
	bool events_pane;
	bool have_recursive;
	bool recursive; /* Tasks and Threads count the subtree */
};

/* The file's path into buf: $XDG_CONFIG_HOME/cgtop/cgtoprc, else $HOME/.config/...;
 * NULL when neither is set. */
const char *rc_path(char *buf, size_t size);
/* Parse the text of a file.  Unknown keys and bad values are -EINVAL with
 * "cgtoprc:LINE: ..." in err; the settings before it are kept. */
int rc_parse(const char *text, size_t len, struct rc_settings *ret, char *err, size_t errsize);
/* Read path (missing file: 0, nothing set).  -EPERM, with the reason in
 * err, when the file or a directory above it could be changed by another
 * user than the effective one (safefile_open_private_dir) or is not a
 * regular file: nothing is read.  Other errors are -errno with err set. */
int rc_load(const char *path, struct rc_settings *ret, char *err, size_t errsize);
/* The text of a settings file that rc_parse() reads back as s. */
void rc_format(struct buf *b, const struct rc_settings *s);
/* Write settings atomically (safefile.h), making the directory (0700) where
 * it is missing; refused as rc_load refuses.  0 or -errno with err set. */
int rc_save(const char *path, const struct rc_settings *s, char *err, size_t errsize);

#endif
