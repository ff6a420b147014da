/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * safefile.c - creating the files cgtop writes without following anyone
 * else's link (see safefile.h).  O_TMPFILE (Linux 3.11; ext4, xfs, btrfs,
 * tmpfs and more) gives a file that has no name until it is linked in; where
 * the filesystem lacks it, a random name is created with O_EXCL, which fails
 * on anything already there, link or not (open(2)).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/macro.h"
#include "base/safefile.h"

int safefile_open_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd >= 0)
		return fd;
	/* a link gives ENOTDIR (O_DIRECTORY checks first) or ELOOP: say which */
	if ((errno == ENOTDIR || errno == ELOOP) && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return -ELOOP;
	return -errno;
}

int safefile_open_parent(const char *path, const char **ret_name)
{
	const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
	char dir[PATH_MAX];
	int fd;

	if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EISDIR;
	if (strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else if ((size_t)(slash - path) >= sizeof(dir))
		return -ENAMETOOLONG;
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	fd = safefile_open_dir(dir);
	if (fd >= 0)
		*ret_name = name;
	return fd;
}

/* ---- directories only the effective user can change ---- */

/* The rule of safefile_open_private_dir for one directory, opened as fd. */
static int check_dir(int fd, const char *shown, bool last, char *err, size_t errsize)
{
	uid_t euid = geteuid();
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (last && st.st_uid != euid) {
		snprintf(err, errsize, "%s is owned by uid %u, not by uid %u (the user cgtop runs as)", shown,
			 (unsigned)st.st_uid, (unsigned)euid);
		return -EPERM;
	}
	if (!last && st.st_uid != euid && st.st_uid != 0) {
		snprintf(err, errsize,
			 "%s is owned by uid %u, not by root or uid %u (the user cgtop runs as)", shown,
			 (unsigned)st.st_uid, (unsigned)euid);
		return -EPERM;
	}
	/* a sticky directory (/tmp) lets others add names, not move ours */
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && (last || !(st.st_mode & S_ISVTX))) {
		snprintf(err, errsize, "%s is writable by %s", shown,
			 st.st_mode & S_IWOTH ? "everyone" : "its group");
		return -EPERM;
	}
	return 0;
}

/* Append "/comp" to the path shown in messages. */
static void shown_add(char *shown, size_t size, const char *comp, size_t len)
{
	size_t n = strlen(shown);

	if (n == 1 && shown[0] == '/')
		n = 0;
	snprintf(shown + n, size - n, "/%.*s", (int)len, comp);
}

int safefile_open_private_dir(const char *path, bool create, char *err, size_t errsize)
{
	char prefix[PATH_MAX], real[PATH_MAX], shown[PATH_MAX] = "/";
	size_t existing, plen = strlen(path);
	_cleanup_close_ int fd = -1;
	const char *p;
	int r;

	if (errsize)
		err[0] = '\0';
	if (path[0] != '/' || plen >= sizeof(prefix))
		return -EINVAL;
	/* the longest prefix that exists, with its links resolved: the walk
	 * below then refuses any link that appears meanwhile */
	memcpy(prefix, path, plen + 1);
	existing = plen;
	while (!realpath(prefix, real)) {
		char *s;

		if (errno != ENOENT || !create)
			return -errno;
		s = strrchr(prefix, '/');
		existing = (size_t)(s - prefix);
		s[s == prefix] = '\0'; /* "/a" -> "/", which resolves */
	}

	fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* components: those of real, then those of path after the existing prefix */
	for (int part = 0; part < 2; part++) {
		p = part == 0 ? real : path + existing;
		while (*p) {
			const char *e;
			char comp[NAME_MAX + 1];
			size_t len;
			int nfd;

			while (*p == '/')
				p++;
			if (!*p)
				break;
			e = strchrnul(p, '/');
			len = (size_t)(e - p);
			if (len > NAME_MAX)
				return -ENAMETOOLONG;
			memcpy(comp, p, len);
			comp[len] = '\0';
			r = check_dir(fd, shown, false, err, errsize);
			if (r < 0)
				return r;
			if (part == 1) {
				if (strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0)
					return -EINVAL;
				if (mkdirat(fd, comp, 0700) < 0 && errno != EEXIST)
					return -errno;
			}
			nfd = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (nfd < 0)
				return -errno;
			close(fd);
			fd = nfd;
			shown_add(shown, sizeof(shown), comp, len);
			p = e;
		}
	}
	r = check_dir(fd, shown, true, err, errsize);
	if (r < 0)
		return r;
	r = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return r < 0 ? -errno : r;
}

/* ---- new files ---- */

int safefile_check_target(int dfd, const char *name, const char **ret_what)
{
	struct stat st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (S_ISREG(st.st_mode))
		return 0;
	*ret_what = S_ISLNK(st.st_mode)    ? "a symbolic link"
		    : S_ISDIR(st.st_mode)  ? "a directory"
		    : S_ISFIFO(st.st_mode) ? "a FIFO"
		    : S_ISSOCK(st.st_mode) ? "a socket"
					   : "a device";
	return -EINVAL;
}

/* A fresh temporary name: a dot (hidden), the target's name, random digits,
 * ".tmp" (never a name the textfile collector reads, *.prom). */
static void tmp_name(struct safefile *sf)
{
	static unsigned long long counter;
	unsigned long long x;

	if (getrandom(&x, sizeof(x), GRND_NONBLOCK) != (ssize_t)sizeof(x))
		x = ((unsigned long long)time(NULL) << 20) ^ ((unsigned long long)getpid() << 40) ^ ++counter;
	snprintf(sf->tmp, sizeof(sf->tmp), ".%.200s.%016llx.tmp", sf->name, x);
}

int safefile_begin(struct safefile *sf, int dfd, const char *name, mode_t mode, unsigned flags)
{
	sf->dfd = dfd;
	sf->fd = -1;
	sf->unnamed = false;
	sf->tmp[0] = '\0';
	if (strlen(name) > NAME_MAX || !*name)
		return -ENAMETOOLONG;
	snprintf(sf->name, sizeof(sf->name), "%s", name);
	if (!(flags & SAFEFILE_NAMED)) {
		sf->fd = openat(dfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
		if (sf->fd >= 0) {
			sf->unnamed = true;
			return 0;
		}
		/* EOPNOTSUPP: the filesystem has none; EISDIR: the kernel is older */
		if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
			return -errno;
	}
	for (int i = 0; i < 64; i++) {
		tmp_name(sf);
		sf->fd = openat(dfd, sf->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC,
				mode);
		if (sf->fd >= 0)
			return 0;
		if (errno != EEXIST)
			break;
	}
	sf->tmp[0] = '\0';
	return -errno;
}

int safefile_write(struct safefile *sf, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(sf->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Give the O_TMPFILE a fresh temporary name.  AT_EMPTY_PATH needs
 * CAP_DAC_READ_SEARCH; /proc/self/fd does not (open(2), O_TMPFILE). */
static int link_unnamed(struct safefile *sf)
{
	for (int i = 0; i < 64; i++) {
		char proc[64];

		tmp_name(sf);
		if (linkat(sf->fd, "", sf->dfd, sf->tmp, AT_EMPTY_PATH) == 0)
			return 0;
		if (errno == EEXIST)
			continue;
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", sf->fd);
		if (linkat(AT_FDCWD, proc, sf->dfd, sf->tmp, AT_SYMLINK_FOLLOW) == 0)
			return 0;
		if (errno != EEXIST)
			break;
	}
	sf->tmp[0] = '\0';
	return -errno;
}

int safefile_commit(struct safefile *sf)
{
	int r = 0;

	if (sf->fd < 0)
		return -EBADF;
	if (fsync(sf->fd) < 0)
		r = -errno;
	if (r == 0 && sf->unnamed)
		r = link_unnamed(sf);
	sf->unnamed = false; /* from here on it has a name, or is dropped */
	if (close(sf->fd) < 0 && r == 0)
		r = -errno;
	sf->fd = -1;
	if (r == 0 && renameat(sf->dfd, sf->tmp, sf->dfd, sf->name) < 0)
		r = -errno;
	if (r < 0) {
		safefile_abort(sf);
		return r;
	}
	sf->tmp[0] = '\0';
	fsync(sf->dfd); /* the rename itself survives a crash */
	return 0;
}

void safefile_abort(struct safefile *sf)
{
	if (sf->fd >= 0)
		close(sf->fd);
	sf->fd = -1;
	if (!sf->unnamed && sf->tmp[0])
		unlinkat(sf->dfd, sf->tmp, 0);
	sf->tmp[0] = '\0';
	sf->unnamed = false;
}
