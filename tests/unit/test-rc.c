/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-rc.c - unit tests of the settings file (src/ui/rc.c): every key with good
 * and bad values, unknown keys, comments and blank lines, errors naming the
 * line, rc_path from XDG_CONFIG_HOME and HOME, rc_load of a missing file, and
 * a round trip through rc_save and rc_load in a temporary directory, files
 * and directories that others could change (group-writable, a FIFO, owned by
 * nobody as root) neither read nor written.  Also
 * checks that data/cgtoprc, the installed example, parses.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ui/rc.h"
#include "../tap.h"

static void f_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static int parse(const char *text, struct rc_settings *s, char *err, size_t size)
{
	return rc_parse(text, strlen(text), s, err, size);
}

/* text with newlines shown as \n, for test names (TAP is one line each) */
static const char *vis(const char *text)
{
	static char buf[128];
	size_t o = 0;

	for (; *text && o + 3 < sizeof(buf); text++) {
		if (*text == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
		} else {
			buf[o++] = *text;
		}
	}
	buf[o] = '\0';
	return buf;
}

static void bad(const char *text, const char *want_err)
{
	struct rc_settings s;
	char err[256];
	int r = parse(text, &s, err, sizeof(err));

	ok(r == -EINVAL, "rejects %s", vis(text));
	if (!ok(strstr(err, want_err) != NULL, "error for %s says '%s'", vis(text), want_err))
		printf("#   got '%s'\n", err);
}

int main(void)
{
	struct rc_settings s, s2;
	char err[256], path[4096], dir[] = "/tmp/cgtop-test-rc.XXXXXX";
	int r;

	/* every key */
	r = parse("columns = cpu,memory,mem_limit\n", &s, err, sizeof(err));
	ok(r == 0 && s.have_columns, "columns parsed");
	is_int(s.n_cols, 3, "three columns");
	ok(s.col_order[0] == COL_CPU && s.col_order[1] == COL_MEMORY && s.col_order[2] == COL_MEM_LIMIT,
	   "columns in the order given");
	ok(s.col_sel[COL_CPU] && !s.col_sel[COL_TASKS], "col_sel follows the list");
	r = parse("columns = tasks, cpu , memory\n", &s, err, sizeof(err));
	ok(r == 0 && s.n_cols == 3, "columns with blanks after commas");

	r = parse("sort = memory\n", &s, err, sizeof(err));
	ok(r == 0 && s.have_sort && s.sort_col == COL_MEMORY && !s.sort_desc, "sort = memory, ascending");
	r = parse("sort = name\nsort_order = descending\n", &s, err, sizeof(err));
	ok(r == 0 && s.sort_col == SORT_NAME && s.sort_desc, "sort = name, sort_order = descending");
	r = parse("sort = cpu\nsort_order = desc\n", &s, err, sizeof(err));
	ok(r == 0 && s.sort_col == COL_CPU && s.sort_desc, "sort_order = desc");
	r = parse("sort_order = ascending\n", &s, err, sizeof(err));
	ok(r == 0 && !s.sort_desc, "sort_order = ascending");

	r = parse("delay = 2.5\n", &s, err, sizeof(err));
	ok(r == 0 && s.have_delay, "delay parsed");
	is_u64(s.interval_usec, 2500000, "delay 2.5 s");

	r = parse("view = flat\n", &s, err, sizeof(err));
	ok(r == 0 && s.have_flat && s.flat, "view = flat");
	r = parse("view = tree\n", &s, err, sizeof(err));
	ok(r == 0 && s.have_flat && !s.flat, "view = tree");

	r = parse("color = no\n", &s, err, sizeof(err));
	ok(r == 0 && s.have_color && !s.color, "color = no");
	r = parse("color = yes\n", &s, err, sizeof(err));
	ok(r == 0 && s.color, "color = yes");
	r = parse("color = off\n", &s, err, sizeof(err));
	ok(r == 0 && !s.color, "color = off");

	r = parse("events_pane = true\n", &s, err, sizeof(err));
	ok(r == 0 && s.have_events_pane && s.events_pane, "events_pane = true");
	r = parse("events_pane = 0\n", &s, err, sizeof(err));
	ok(r == 0 && s.have_events_pane && !s.events_pane, "events_pane = 0");
	r = parse("recursive = no\n", &s, err, sizeof(err));
	ok(r == 0 && s.have_recursive && !s.recursive, "recursive = no");

	/* nothing given: nothing set */
	r = parse("", &s, err, sizeof(err));
	ok(r == 0 && !s.have_columns && !s.have_sort && !s.have_delay && !s.have_flat && !s.have_color &&
		   !s.have_events_pane,
	   "empty text sets nothing");

	/* comments and blanks */
	r = parse("# a comment\n\n   \t\n  # indented comment\nview = flat # trailing comment\r\n", &s, err,
		  sizeof(err));
	ok(r == 0 && s.flat, "comments, blank lines, trailing comment and CRLF");
	r = parse("view=flat", &s, err, sizeof(err));
	ok(r == 0 && s.flat, "no blanks around = and no final newline");

	/* bad values and unknown keys, naming the line */
	bad("columns = cpu,nosuch\n", "cgtoprc:1: columns: unknown column 'nosuch'");
	bad("columns =\n", "cgtoprc:1: columns");
	bad("sort = nosuch\n", "cgtoprc:1: sort: unknown key 'nosuch'");
	bad("sort = mem_stat\n", "sort: unknown key"); /* JSON-only column */
	bad("sort_order = up\n", "sort_order: want ascending or descending");
	bad("delay = 0\n", "delay: want positive seconds");
	bad("delay = -1\n", "delay: want positive seconds");
	bad("delay = soon\n", "delay");
	bad("view = round\n", "view: want tree or flat");
	bad("color = maybe\n", "color: want yes or no");
	bad("events_pane = 2\n", "events_pane: want yes or no");
	bad("recursive = maybe\n", "recursive: want yes or no");
	bad("# ok\nview = flat\n\nfrobnicate = 1\n", "cgtoprc:4: unknown key 'frobnicate'");
	bad("just words\n", "cgtoprc:1: expected 'key = value'");
	bad("= flat\n", "a value without a key");

	/* the settings before an error are kept */
	r = parse("view = flat\ncolor = purple\n", &s, err, sizeof(err));
	ok(r == -EINVAL && s.have_flat && s.flat && !s.have_color, "settings before the bad line kept");

	/* rc_path */
	setenv("XDG_CONFIG_HOME", "/x/conf", 1);
	is_str(rc_path(path, sizeof(path)), "/x/conf/cgtop/cgtoprc", "rc_path from XDG_CONFIG_HOME");
	setenv("XDG_CONFIG_HOME", "relative", 1);
	setenv("HOME", "/home/u", 1);
	is_str(rc_path(path, sizeof(path)), "/home/u/.config/cgtop/cgtoprc", "relative XDG_CONFIG_HOME ignored");
	unsetenv("XDG_CONFIG_HOME");
	is_str(rc_path(path, sizeof(path)), "/home/u/.config/cgtop/cgtoprc", "rc_path from HOME");
	unsetenv("HOME");
	ok(rc_path(path, sizeof(path)) == NULL, "rc_path NULL without XDG_CONFIG_HOME and HOME");
	ok(rc_path(path, 8) == NULL, "rc_path NULL when the buffer is too small");

	/* files */
	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return tap_done();
	}
	snprintf(path, sizeof(path), "%s/sub/cgtop/cgtoprc", dir);
	r = rc_load(path, &s, err, sizeof(err));
	ok(r == 0 && !s.have_columns && !s.have_delay, "missing file: 0, nothing set");

	memset(&s, 0, sizeof(s));
	s.have_columns = true;
	s.col_sel[COL_MEMORY] = s.col_sel[COL_CPU] = s.col_sel[COL_PIDS_REJECTED] = true;
	s.col_order[0] = COL_MEMORY;
	s.col_order[1] = COL_CPU;
	s.col_order[2] = COL_PIDS_REJECTED;
	s.n_cols = 3;
	s.have_sort = true;
	s.sort_col = COL_CPU;
	s.sort_desc = true;
	s.have_delay = true;
	s.interval_usec = 1250000;
	s.have_flat = true;
	s.flat = true;
	s.have_color = true;
	s.color = false;
	s.have_events_pane = true;
	s.events_pane = true;
	s.have_recursive = true;
	s.recursive = false;
	r = rc_save(path, &s, err, sizeof(err));
	is_int(r, 0, "rc_save makes the directories and writes");
	r = rc_load(path, &s2, err, sizeof(err));
	if (!ok(r == 0, "rc_load reads what rc_save wrote"))
		printf("#   %s\n", err);
	ok(s2.have_columns && s2.n_cols == 3 && s2.col_order[0] == COL_MEMORY && s2.col_order[1] == COL_CPU &&
		   s2.col_order[2] == COL_PIDS_REJECTED && s2.col_sel[COL_PIDS_REJECTED] && !s2.col_sel[COL_TASKS],
	   "round trip: columns");
	ok(s2.have_sort && s2.sort_col == COL_CPU && s2.sort_desc, "round trip: sort");
	ok(s2.have_delay && s2.interval_usec == 1250000, "round trip: delay");
	ok(s2.have_flat && s2.flat, "round trip: view");
	ok(s2.have_color && !s2.color, "round trip: color");
	ok(s2.have_events_pane && s2.events_pane, "round trip: events_pane");
	ok(s2.have_recursive && !s2.recursive, "round trip: recursive");

	/* a sort by name, and nothing else, round trips too */
	memset(&s, 0, sizeof(s));
	s.have_sort = true;
	s.sort_col = SORT_NAME;
	ok(rc_save(path, &s, err, sizeof(err)) == 0 && rc_load(path, &s2, err, sizeof(err)) == 0 && s2.have_sort &&
		   s2.sort_col == SORT_NAME && !s2.sort_desc && !s2.have_columns && !s2.have_delay,
	   "round trip: sort by name only");

	/* an error in a file names the file and the line */
	{
		FILE *f = fopen(path, "w");

		fputs("view = flat\n# comment\ndelay = never\n", f);
		fclose(f);
	}
	r = rc_load(path, &s, err, sizeof(err));
	ok(r == -EINVAL, "bad file: -EINVAL");
	{
		char want[4200];

		snprintf(want, sizeof(want), "%s:3: delay", path);
		if (!ok(strncmp(err, want, strlen(want)) == 0, "error names file:line"))
			printf("#   got '%s'\n", err);
	}

	/* files and directories others could change are neither read nor written */
	{
		struct rc_settings s3;

		f_write(path, "view = flat\n");
		chmod(path, 0664);
		r = rc_load(path, &s3, err, sizeof(err));
		ok(r == -EPERM && !s3.have_flat, "a group-writable cgtoprc is not read");
		if (!ok(strstr(err, "writable by its group") != NULL, "and the message says why"))
			printf("#   got '%s'\n", err);
		chmod(path, 0644);
		unlink(path);
		if (mkfifo(path, 0600) == 0) {
			alarm(20); /* a hang fails the test */
			r = rc_load(path, &s3, err, sizeof(err));
			alarm(0);
			ok(r == -EPERM && strstr(err, "not a regular file"), "a FIFO at cgtoprc: refused, not hung");
			unlink(path);
		}
		snprintf(path, sizeof(path), "%s/sub/cgtop", dir);
		chmod(path, 0770);
		snprintf(path, sizeof(path), "%s/sub/cgtop/cgtoprc", dir);
		r = rc_save(path, &s, err, sizeof(err));
		ok(r == -EPERM && access(path, F_OK) < 0, "not saved in a group-writable directory");
		if (!ok(strstr(err, "/sub/cgtop is writable by its group") != NULL, "and the message names it"))
			printf("#   got '%s'\n", err);
		r = rc_load(path, &s3, err, sizeof(err));
		is_int(r, -EPERM, "nor read from there");
		if (geteuid() == 0) {
			snprintf(path, sizeof(path), "%s/sub/cgtop", dir);
			chmod(path, 0700);
			snprintf(path, sizeof(path), "%s/sub/cgtop/cgtoprc", dir);
			f_write(path, "view = flat\n");
			if (chown(path, 65534, 65534) == 0) {
				r = rc_load(path, &s3, err, sizeof(err));
				ok(r == -EPERM && strstr(err, "owned by uid 65534"), "a cgtoprc owned by nobody is not read");
			}
			unlink(path);
		}
	}
	unlink(path);
	snprintf(path, sizeof(path), "%s/sub/cgtop", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/sub", dir);
	rmdir(path);
	rmdir(dir);

	/* the installed example parses and sets every key */
	{
		const char *top = getenv("top_srcdir");

		static char text[16384];
		size_t n = 0;
		FILE *f;

		/* parsed as text: the source tree may belong to another user */
		snprintf(path, sizeof(path), "%s/data/cgtoprc", top && *top ? top : TOP_SRCDIR);
		f = fopen(path, "r");
		if (f) {
			n = fread(text, 1, sizeof(text), f);
			fclose(f);
		}
		r = f ? rc_parse(text, n, &s, err, sizeof(err)) : -errno;
		if (!ok(r == 0, "data/cgtoprc parses"))
			printf("#   %s\n", err);
	}
	/* with its settings uncommented ("#key = ..." lines), every key is set */
	{
		static char text[16384];
		size_t n = 0;
		FILE *f = fopen(path, "r");
		char line[1024];

		while (f && fgets(line, sizeof(line), f)) {
			const char *l = line[0] == '#' && line[1] >= 'a' && line[1] <= 'z' ? line + 1 : line;

			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s", l);
		}
		if (f)
			fclose(f);
		r = rc_parse(text, n, &s, err, sizeof(err));
		if (!ok(r == 0, "data/cgtoprc uncommented parses"))
			printf("#   %s\n", err);
		ok(s.have_columns && s.have_sort && s.have_delay && s.have_flat && s.have_color &&
			   s.have_events_pane,
		   "data/cgtoprc lists every setting");
	}
	return tap_done();
}
