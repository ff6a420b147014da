/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rc.c - the dashboard's settings file, $XDG_CONFIG_HOME/cgtop/cgtoprc (else
 * ~/.config/cgtop/cgtoprc): "key = value" lines and # comments, parsed from
 * text (so the parser is tested without files), read, and written back
 * atomically on quit (safefile.h), only in a directory no one but the user
 * cgtop runs as (and root) can change: with another user's HOME (sudo -E)
 * that user could otherwise choose what root reads and where it writes.
 * Keys: columns, sort, sort_order, delay, view, color, events_pane, recursive
 * (data/cgtoprc documents each).  An error names file:line.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "base/parse.h"
#include "ui/rc.h"
#include "base/safefile.h"

const char *rc_path(char *buf, size_t size)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int r;

	/* the XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored */
	if (x && x[0] == '/')
		r = snprintf(buf, size, "%s/cgtop/cgtoprc", x);
	else if (home && *home)
		r = snprintf(buf, size, "%s/.config/cgtop/cgtoprc", home);
	else
		return NULL;
	return r < 0 || (size_t)r >= size ? NULL : buf;
}

static int parse_bool(const char *v, bool *ret)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (strcmp(v, yes[i]) == 0) {
			*ret = true;
			return 0;
		}
		if (strcmp(v, no[i]) == 0) {
			*ret = false;
			return 0;
		}
	}
	return -EINVAL;
}

static int parse_sort(const char *v, int *ret)
{
	if (strcmp(v, "name") == 0 || strcmp(v, "path") == 0) {
		*ret = SORT_NAME;
		return 0;
	}
	for (int c = 0; c < _COL_MAX; c++) {
		if (columns[c].title && strcmp(columns[c].key, v) == 0) {
			*ret = c;
			return 0;
		}
	}
	return -EINVAL;
}

/* One line: 0, or -EINVAL with "NAME:LINE: why" in err. */
static int parse_line(char *line, unsigned lineno, const char *name, struct rc_settings *s, char *err,
		      size_t errsize)
{
	char *key, *val, *eq, *end;
	bool b;

	/* comments: a line starting with #, or " #" after a value */
	for (end = line; *end; end++)
		if (*end == '#' && (end == line || end[-1] == ' ' || end[-1] == '\t'))
			break;
	*end = '\0';
	while (end > line && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	key = line;
	while (*key == ' ' || *key == '\t')
		key++;
	if (!*key)
		return 0;
	eq = strchr(key, '=');
	if (!eq) {
		snprintf(err, errsize, "%s:%u: expected 'key = value', got '%s'", name, lineno, key);
		return -EINVAL;
	}
	val = eq + 1;
	while (eq > key && (eq[-1] == ' ' || eq[-1] == '\t'))
		eq--;
	*eq = '\0';
	while (*val == ' ' || *val == '\t')
		val++;
	if (!*key) {
		snprintf(err, errsize, "%s:%u: a value without a key", name, lineno);
		return -EINVAL;
	}

	if (strcmp(key, "columns") == 0) {
		const char *bad = NULL;
		char list[512];
		size_t n = 0;

		/* "a, b" as well as "a,b" */
		for (const char *p = val; *p && n + 1 < sizeof(list); p++)
			if (*p != ' ' && *p != '\t')
				list[n++] = *p;
		list[n] = '\0';
		if (!*list || columns_parse(list, s->col_sel, s->col_order, &s->n_cols, &bad) < 0) {
			snprintf(err, errsize, "%s:%u: columns: unknown column '%s'", name, lineno,
				 bad ? bad : val);
			s->have_columns = false;
			return -EINVAL;
		}
		s->have_columns = true;
	} else if (strcmp(key, "sort") == 0) {
		if (parse_sort(val, &s->sort_col) < 0) {
			snprintf(err, errsize, "%s:%u: sort: unknown key '%s' (name or a column)", name,
				 lineno, val);
			return -EINVAL;
		}
		s->have_sort = true;
	} else if (strcmp(key, "sort_order") == 0) {
		if (strcmp(val, "descending") == 0 || strcmp(val, "desc") == 0)
			s->sort_desc = true;
		else if (strcmp(val, "ascending") == 0 || strcmp(val, "asc") == 0)
			s->sort_desc = false;
		else {
			snprintf(err, errsize, "%s:%u: sort_order: want ascending or descending, got '%s'",
				 name, lineno, val);
			return -EINVAL;
		}
		s->have_sort = true;
	} else if (strcmp(key, "delay") == 0) {
		if (parse_interval_usec(val, &s->interval_usec) < 0) {
			snprintf(err, errsize, "%s:%u: delay: want positive seconds such as 0.5, got '%s'",
				 name, lineno, val);
			return -EINVAL;
		}
		s->have_delay = true;
	} else if (strcmp(key, "view") == 0) {
		if (strcmp(val, "tree") == 0)
			s->flat = false;
		else if (strcmp(val, "flat") == 0)
			s->flat = true;
		else {
			snprintf(err, errsize, "%s:%u: view: want tree or flat, got '%s'", name, lineno, val);
			return -EINVAL;
		}
		s->have_flat = true;
	} else if (strcmp(key, "color") == 0) {
		if (parse_bool(val, &b) < 0) {
			snprintf(err, errsize, "%s:%u: color: want yes or no, got '%s'", name, lineno, val);
			return -EINVAL;
		}
		s->color = b;
		s->have_color = true;
	} else if (strcmp(key, "events_pane") == 0) {
		if (parse_bool(val, &b) < 0) {
			snprintf(err, errsize, "%s:%u: events_pane: want yes or no, got '%s'", name, lineno,
				 val);
			return -EINVAL;
		}
		s->events_pane = b;
		s->have_events_pane = true;
	} else if (strcmp(key, "recursive") == 0) {
		if (parse_bool(val, &b) < 0) {
			snprintf(err, errsize, "%s:%u: recursive: want yes or no, got '%s'", name, lineno,
				 val);
			return -EINVAL;
		}
		s->recursive = b;
		s->have_recursive = true;
	} else {
		snprintf(err, errsize, "%s:%u: unknown key '%s'", name, lineno, key);
		return -EINVAL;
	}
	return 0;
}

static int parse_named(const char *text, size_t len, const char *name, struct rc_settings *ret, char *err,
		       size_t errsize)
{
	size_t i = 0;
	unsigned lineno = 0;

	memset(ret, 0, sizeof(*ret));
	if (errsize)
		err[0] = '\0';
	while (i < len) {
		char line[1024];
		size_t e = i, n;
		int r;

		while (e < len && text[e] != '\n')
			e++;
		lineno++;
		n = e - i;
		if (memchr(text + i, '\0', n)) {
			snprintf(err, errsize, "%s:%u: a NUL byte: not a text file", name, lineno);
			return -EINVAL;
		}
		if (n >= sizeof(line)) {
			snprintf(err, errsize, "%s:%u: line too long", name, lineno);
			return -EINVAL;
		}
		memcpy(line, text + i, n);
		line[n] = '\0';
		r = parse_line(line, lineno, name, ret, err, errsize);
		if (r < 0)
			return r;
		i = e + 1;
	}
	return 0;
}

int rc_parse(const char *text, size_t len, struct rc_settings *ret, char *err, size_t errsize)
{
	return parse_named(text, len, "cgtoprc", ret, err, errsize);
}

/* The directory of path, as a place only this user can change, and the
 * file's name in it.  -ENOENT when the directory does not exist (and not
 * create). */
static int open_dir(const char *path, bool create, const char **ret_name, char *err, size_t errsize)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX], why[PATH_MAX + 128];
	int r;

	if (!slash || slash == path || !slash[1] || (size_t)(slash - path) >= sizeof(dir)) {
		snprintf(err, errsize, "%s: not a file in a directory", path);
		return -EINVAL;
	}
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	r = safefile_open_private_dir(dir, create, why, sizeof(why));
	if (r == -EPERM)
		snprintf(err, errsize, "%s: %s, so others could change it", path, why);
	else if (r < 0 && r != -ENOENT)
		snprintf(err, errsize, "%s: %s", dir, strerror(-r));
	if (r >= 0)
		*ret_name = slash + 1;
	return r;
}

int rc_load(const char *path, struct rc_settings *ret, char *err, size_t errsize)
{
	char buf[65536];
	ssize_t n;
	size_t len = 0;
	const char *name = NULL;
	_cleanup_close_ int dfd = -1, fd = -1;
	struct stat st;
	int r;

	memset(ret, 0, sizeof(*ret));
	if (errsize)
		err[0] = '\0';
	dfd = open_dir(path, false, &name, err, errsize);
	if (dfd == -ENOENT)
		return 0;
	if (dfd < 0)
		return dfd;
	/* O_NONBLOCK: a FIFO in its place does not hang the dashboard */
	fd = openat(dfd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		r = -errno;
		snprintf(err, errsize, "%s: %s", path, strerror(-r));
		return r;
	}
	if (fstat(fd, &st) < 0) {
		r = -errno;
		snprintf(err, errsize, "%s: %s", path, strerror(-r));
		return r;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errsize, "%s: not a regular file", path);
		return -EPERM;
	}
	if (st.st_uid != geteuid()) {
		snprintf(err, errsize, "%s: owned by uid %u, not by uid %u (the user cgtop runs as)", path,
			 (unsigned)st.st_uid, (unsigned)geteuid());
		return -EPERM;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, errsize, "%s: writable by %s", path,
			 st.st_mode & S_IWOTH ? "everyone" : "its group");
		return -EPERM;
	}
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	if (n < 0) {
		r = -errno;
		snprintf(err, errsize, "%s: %s", path, strerror(-r));
		return r;
	}
	if (len == sizeof(buf) - 1) {
		snprintf(err, errsize, "%s: too large for a settings file", path);
		return -EFBIG;
	}
	return parse_named(buf, len, path, ret, err, errsize);
}

void rc_format(struct buf *b, const struct rc_settings *s)
{
	buf_puts(b, "# cgtop settings, written by cgtop when it quits (see cgtop(1) and the\n"
		    "# commented example in the documentation's examples/cgtoprc).\n");
	if (s->have_columns && s->n_cols) {
		buf_puts(b, "columns = ");
		for (unsigned i = 0; i < s->n_cols; i++)
			buf_printf(b, "%s%s", i ? "," : "", columns[s->col_order[i]].key);
		buf_puts(b, "\n");
	}
	if (s->have_sort) {
		buf_printf(b, "sort = %s\n",
			   s->sort_col >= 0 && s->sort_col < _COL_MAX ? columns[s->sort_col].key : "name");
		buf_printf(b, "sort_order = %s\n", s->sort_desc ? "descending" : "ascending");
	}
	if (s->have_delay) {
		char d[48];
		size_t n;

		n = (size_t)snprintf(d, sizeof(d), "%" PRIu64 ".%06" PRIu64, s->interval_usec / 1000000,
				     s->interval_usec % 1000000);
		while (n && d[n - 1] == '0')
			d[--n] = '\0';
		if (n && d[n - 1] == '.')
			d[--n] = '\0';
		buf_printf(b, "delay = %s\n", d);
	}
	if (s->have_flat)
		buf_printf(b, "view = %s\n", s->flat ? "flat" : "tree");
	if (s->have_color)
		buf_printf(b, "color = %s\n", s->color ? "yes" : "no");
	if (s->have_events_pane)
		buf_printf(b, "events_pane = %s\n", s->events_pane ? "yes" : "no");
	if (s->have_recursive)
		buf_printf(b, "recursive = %s\n", s->recursive ? "yes" : "no");
}

int rc_save(const char *path, const struct rc_settings *s, char *err, size_t errsize)
{
	_cleanup_close_ int dfd = -1;
	struct safefile sf;
	const char *name = NULL;
	struct buf b;
	int r;

	if (errsize)
		err[0] = '\0';
	dfd = open_dir(path, true, &name, err, errsize);
	if (dfd < 0)
		return dfd;
	buf_init(&b, 1024);
	rc_format(&b, s);
	r = safefile_begin(&sf, dfd, name, 0644, 0);
	if (r == 0) {
		r = safefile_write(&sf, b.data, b.len);
		if (r == 0)
			r = safefile_commit(&sf);
		else
			safefile_abort(&sf);
	}
	buf_free(&b);
	if (r < 0)
		snprintf(err, errsize, "%s: %s", path, strerror(-r));
	return r;
}
