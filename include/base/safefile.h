/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * safefile.h - how cgtop writes its files (the --report, cgtoprc, the
 * --textfile exposition): running as root, often in a directory that others
 * can write to (/tmp, a shared textfile directory, a home directory through
 * sudo -E), it never opens for writing a name someone else could have
 * planted: no symbolic link is followed, no FIFO or device is opened, and no
 * file someone else made is written into.
 *
 * The new contents go to a file that cannot have existed before (O_TMPFILE,
 * or a fresh random name created O_CREAT|O_EXCL, which never follows a
 * link), relative to a directory fd, and are given the target's name by
 * rename(): whatever was at that name (a file, a link, a FIFO) is replaced,
 * never opened, and a reader sees the old file or the new one, never a part.
 */
#ifndef CGTOP_SAFEFILE_H
#define CGTOP_SAFEFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct safefile {
	int dfd;                 /* the directory (borrowed, not closed here) */
	int fd;                  /* the new file; -1 when there is none */
	bool unnamed;            /* an O_TMPFILE: no name until the commit */
	char name[NAME_MAX + 1]; /* the target's name in dfd */
	char tmp[NAME_MAX + 1];  /* the new file's temporary name */
};

/* Use a named temporary file even where O_TMPFILE works (for tests). */
#define SAFEFILE_NAMED 1u

/* Open directory path for the functions below: O_DIRECTORY|O_NOFOLLOW, so a
 * path whose last component is a symbolic link is refused (-ELOOP).
 * Returns the fd or -errno. */
int safefile_open_dir(const char *path);

/* Open the directory of file path (as safefile_open_dir; "." when path has
 * no '/') and point *ret_name at its last component.  -EISDIR when path ends
 * in '/', ".", ".." or is empty.  Returns the fd or -errno. */
int safefile_open_parent(const char *path, const char **ret_name);

/*
 * Open directory path (absolute) as a place only the effective user can
 * change: every directory on the way, after symbolic links are resolved, is
 * owned by root or the effective user and writable by nobody else unless it
 * is sticky (as /tmp), and path itself is owned by the effective user and
 * writable by no group or other.  With create, missing directories are made
 * (mode 0700).  Returns the fd (O_RDONLY) or -errno: -EPERM when a directory
 * fails the rule, with one sentence in err naming it and its owner.
 */
int safefile_open_private_dir(const char *path, bool create, char *err, size_t errsize);

/* What is at name in dfd: 0 when nothing or a regular file; else -EINVAL and
 * *ret_what says what it is ("a symbolic link", "a FIFO", ...); or -errno. */
int safefile_check_target(int dfd, const char *name, const char **ret_what);

/* Start a new version of dfd/name, mode (less the umask).  Nothing at name
 * changes until safefile_commit().  Returns 0 or -errno. */
int safefile_begin(struct safefile *sf, int dfd, const char *name, mode_t mode, unsigned flags);
/* Append len bytes.  Returns 0 or -errno. */
int safefile_write(struct safefile *sf, const void *data, size_t len);
/* fsync the new file, rename it over name, fsync the directory.  The new
 * file is closed, committed or not.  Returns 0 or -errno. */
int safefile_commit(struct safefile *sf);
/* Drop the new version (nothing at name changed).  Safe to call twice. */
void safefile_abort(struct safefile *sf);

#endif
