/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-safefile.c - unit tests of src/base/safefile.c in a temporary directory: a new file (unnamed
 * and named) gets its name only at the commit and leaves no temporary name behind; a symbolic
 * link or a FIFO at the target is replaced, never followed nor opened (an alarm turns a hang
 * into a failure); an aborted file changes nothing; targets that are not regular files are
 * named; directory paths that end in a link are refused; and, as root, the rule of private
 * directories (owner root or the effective user, no group or other write but on sticky
 * directories) on directories owned by nobody, world-writable, sticky, or reached by a link.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/safefile.h"
#include "../tap.h"

static char top[] = "/tmp/cgtop-test-safefile.XXXXXX";

static void at(char *out, const char *name)
{
	snprintf(out, PATH_MAX, "%s/%s", top, name);
}

static char *slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

/* Entries of dir whose name starts with '.' (other than . and ..): leftovers. */
static int hidden_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)))
		if (de->d_name[0] == '.' && strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	if (d)
		closedir(d);
	return n;
}

static int write_one(int dfd, const char *name, const char *text, unsigned flags)
{
	struct safefile sf;
	int r = safefile_begin(&sf, dfd, name, 0644, flags);

	if (r < 0)
		return r;
	r = safefile_write(&sf, text, strlen(text));
	if (r < 0) {
		safefile_abort(&sf);
		return r;
	}
	return safefile_commit(&sf);
}

static void on_alarm(int sig)
{
	(void)sig;
	printf("not ok - hung (a FIFO was opened?)\n");
	_exit(1);
}

static void files(unsigned flags, const char *mode)
{
	char p[PATH_MAX], q[PATH_MAX], buf[256];
	struct safefile sf;
	struct stat st;
	int dfd = safefile_open_dir(top), r;

	ok(dfd >= 0, "%s: open the directory", mode);

	/* a new file: no name until the commit */
	at(p, "new");
	unlink(p);
	r = safefile_begin(&sf, dfd, "new", 0600, flags);
	is_int(r, 0, "%s: begin", mode);
	safefile_write(&sf, "hello\n", 6);
	ok(access(p, F_OK) < 0, "%s: the target does not exist before the commit", mode);
	is_int(safefile_commit(&sf), 0, "%s: commit", mode);
	is_str(slurp(p, buf, sizeof(buf)), "hello\n", "%s: the target has the contents", mode);
	ok(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600, "%s: with the mode asked", mode);
	is_int(hidden_entries(top), 0, "%s: no temporary name left", mode);

	/* replacing a file */
	is_int(write_one(dfd, "new", "again\n", flags), 0, "%s: replace a file", mode);
	is_str(slurp(p, buf, sizeof(buf)), "again\n", "%s: the new contents", mode);

	/* an abort changes nothing */
	r = safefile_begin(&sf, dfd, "new", 0644, flags);
	safefile_write(&sf, "lost\n", 5);
	safefile_abort(&sf);
	safefile_abort(&sf);
	is_str(slurp(p, buf, sizeof(buf)), "again\n", "%s: abort leaves the old file as it was", mode);
	is_int(hidden_entries(top), 0, "%s: abort leaves no temporary name", mode);

	/* a symbolic link at the target: replaced, its target untouched */
	at(p, "victim");
	at(q, "link");
	unlink(q);
	FILE *f = fopen(p, "w");
	fputs("secret\n", f);
	fclose(f);
	ok(symlink("victim", q) == 0, "%s: plant a link", mode);
	is_int(write_one(dfd, "link", "report\n", flags), 0, "%s: write over a link", mode);
	is_str(slurp(p, buf, sizeof(buf)), "secret\n", "%s: the link's target is untouched", mode);
	ok(lstat(q, &st) == 0 && S_ISREG(st.st_mode), "%s: the link is now a regular file", mode);

	/* a FIFO at the target: replaced, never opened */
	at(p, "fifo");
	unlink(p);
	ok(mkfifo(p, 0666) == 0, "%s: plant a FIFO", mode);
	signal(SIGALRM, on_alarm);
	alarm(20);
	is_int(write_one(dfd, "fifo", "data\n", flags), 0, "%s: write over a FIFO without hanging", mode);
	alarm(0);
	ok(lstat(p, &st) == 0 && S_ISREG(st.st_mode), "%s: the FIFO is now a regular file", mode);
	close(dfd);
}

static void targets(void)
{
	char p[PATH_MAX];
	const char *what = NULL, *name = NULL;
	int dfd = safefile_open_dir(top), fd;

	at(p, "absent");
	is_int(safefile_check_target(dfd, "absent", &what), 0, "check_target: nothing there is fine");
	is_int(safefile_check_target(dfd, "new", &what), 0, "check_target: a regular file is fine");
	is_int(safefile_check_target(dfd, "sub", &what), 0, "check_target: absent sub");
	what = NULL;
	at(p, "link2");
	symlink("/etc/passwd", p);
	is_int(safefile_check_target(dfd, "link2", &what), -EINVAL, "check_target: a link is refused");
	is_str(what, "a symbolic link", "check_target: named a symbolic link");
	at(p, "fifo2");
	mkfifo(p, 0600);
	is_int(safefile_check_target(dfd, "fifo2", &what), -EINVAL, "check_target: a FIFO is refused");
	is_str(what, "a FIFO", "check_target: named a FIFO");
	at(p, "dir2");
	mkdir(p, 0700);
	is_int(safefile_check_target(dfd, "dir2", &what), -EINVAL, "check_target: a directory is refused");
	is_str(what, "a directory", "check_target: named a directory");
	close(dfd);

	/* open_parent */
	at(p, "dir2/file");
	fd = safefile_open_parent(p, &name);
	ok(fd >= 0 && strcmp(name, "file") == 0, "open_parent: DIR/file gives DIR and 'file'");
	if (fd >= 0)
		close(fd);
	fd = safefile_open_parent("file-here", &name);
	ok(fd >= 0 && strcmp(name, "file-here") == 0, "open_parent: a bare name is in '.'");
	if (fd >= 0)
		close(fd);
	at(p, "dir2/");
	is_int(safefile_open_parent(p, &name), -EISDIR, "open_parent: a path ending in / is refused");
	at(p, "dir2/..");
	is_int(safefile_open_parent(p, &name), -EISDIR, "open_parent: .. is refused");
	is_int(safefile_open_parent("", &name), -EISDIR, "open_parent: the empty path is refused");
	at(p, "dirlink");
	symlink("dir2", p);
	ok(safefile_open_dir(p) < 0, "open_dir: a directory path that is a link is refused");
	at(p, "dirlink/file");
	ok(safefile_open_parent(p, &name) < 0, "open_parent: a directory that is a link is refused");
}

static void private_dirs(void)
{
	char p[PATH_MAX], err[PATH_MAX + 200];
	struct stat st;
	int fd;

	at(p, "home/.config/cgtop");
	fd = safefile_open_private_dir(p, false, err, sizeof(err));
	is_int(fd, -ENOENT, "private: missing and not create: -ENOENT");
	fd = safefile_open_private_dir(p, true, err, sizeof(err));
	ok(fd >= 0, "private: missing directories are made");
	if (fd >= 0)
		close(fd);
	ok(stat(p, &st) == 0 && (st.st_mode & 0777) == 0700, "private: made with mode 0700");
	fd = safefile_open_private_dir(p, false, err, sizeof(err));
	ok(fd >= 0, "private: then opened as it is");
	if (fd >= 0)
		close(fd);

	if (geteuid() != 0) {
		printf("ok - private: other owners # SKIP not root\n");
		return;
	}
	/* another user's home (sudo -E) */
	at(p, "bob");
	mkdir(p, 0755);
	chown(p, 65534, 65534);
	at(p, "bob/.config/cgtop");
	fd = safefile_open_private_dir(p, true, err, sizeof(err));
	is_int(fd, -EPERM, "private: below a directory owned by nobody: -EPERM");
	ok(strstr(err, "/bob is owned by uid 65534") != NULL, "private: the message names it: %s", err);
	at(p, "bob/.config");
	ok(access(p, F_OK) < 0, "private: and nothing is made in it");

	/* the last directory owned by nobody */
	at(p, "home/.config/nobody");
	mkdir(p, 0700);
	chown(p, 65534, 65534);
	fd = safefile_open_private_dir(p, false, err, sizeof(err));
	is_int(fd, -EPERM, "private: a directory owned by nobody: -EPERM");

	/* world-writable, not sticky, on the way */
	at(p, "open");
	mkdir(p, 0700);
	chmod(p, 0777);
	at(p, "open/cfg");
	mkdir(p, 0700);
	fd = safefile_open_private_dir(p, false, err, sizeof(err));
	is_int(fd, -EPERM, "private: below a world-writable directory: -EPERM");
	ok(strstr(err, "writable by everyone") != NULL, "private: says why: %s", err);
	/* sticky (as /tmp) is fine */
	at(p, "open");
	chmod(p, 01777);
	at(p, "open/cfg");
	fd = safefile_open_private_dir(p, false, err, sizeof(err));
	ok(fd >= 0, "private: below a sticky world-writable directory: fine");
	if (fd >= 0)
		close(fd);
	/* the last one group-writable */
	chmod(p, 0770);
	fd = safefile_open_private_dir(p, false, err, sizeof(err));
	is_int(fd, -EPERM, "private: a group-writable directory itself: -EPERM");

	/* reached through a link: the real path is checked */
	{
		char l[PATH_MAX];

		at(l, "tobob");
		at(p, "bob");
		symlink(p, l);
		at(p, "bob/cgtop");
		mkdir(p, 0700);
		at(l, "tobob/cgtop");
		fd = safefile_open_private_dir(l, false, err, sizeof(err));
		is_int(fd, -EPERM, "private: a link to a directory below nobody's: -EPERM");
		at(l, "tomine");
		at(p, "home/.config");
		symlink(p, l);
		at(l, "tomine/cgtop");
		fd = safefile_open_private_dir(l, false, err, sizeof(err));
		ok(fd >= 0, "private: a link to a directory of ours: fine");
		if (fd >= 0)
			close(fd);
	}
}

int main(void)
{
	char cmd[PATH_MAX + 16];

	if (!mkdtemp(top)) {
		printf("1..0 # SKIP mkdtemp failed\n");
		return 77;
	}
	chmod(top, 0700);
	files(0, "O_TMPFILE or named");
	files(SAFEFILE_NAMED, "named");
	targets();
	private_dirs();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", top);
	return tap_done();
}
