/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ttyprobe - helper of tests/security/launch-tty.sh: run as a launched
 * command, it tries every way back to the terminal it was started from and
 * writes what happened, one "key=result" line each, to OUT (its stdout may be
 * a pseudo-terminal, or /dev/null under --watch):
 *   tty0, tty1, tty2   isatty() of fds 0, 1, 2 (1 or 0)
 *   devtty             open("/dev/tty"): ok or the errno name (ENXIO: no
 *                      controlling terminal)
 *   sti_devtty         TIOCSTI of TEXT, byte by byte, on /dev/tty
 *   write_devtty       write(2) of TEXT to /dev/tty
 *   sti_fd0            TIOCSTI of TEXT on fd 0
 *   uid, capeff        who it runs as (getuid(), CapEff of /proc/self/status)
 * Usage: ttyprobe OUT TEXT ("\n" in TEXT is a newline).  Exits 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static const char *err_name(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "E?";
}

static const char *sti(int fd, const char *text)
{
	for (; *text; text++)
		if (ioctl(fd, TIOCSTI, text) < 0)
			return err_name(errno);
	return "ok";
}

int main(int argc, char **argv)
{
	char text[256], line[256];
	const char *s;
	size_t n = 0;
	FILE *o, *st;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: ttyprobe OUT TEXT\n");
		return 2;
	}
	for (s = argv[2]; *s && n + 1 < sizeof(text); s++) {
		if (s[0] == '\\' && s[1] == 'n') {
			text[n++] = '\n';
			s++;
		} else {
			text[n++] = *s;
		}
	}
	text[n] = '\0';
	o = fopen(argv[1], "we");
	if (!o)
		return 1;
	fprintf(o, "uid=%u\n", (unsigned)getuid());
	st = fopen("/proc/self/status", "re");
	while (st && fgets(line, sizeof(line), st))
		if (strncmp(line, "CapEff:", 7) == 0)
			fprintf(o, "capeff=%s", line + 7 + strspn(line + 7, " \t"));
	if (st)
		fclose(st);
	for (fd = 0; fd < 3; fd++)
		fprintf(o, "tty%d=%d\n", fd, isatty(fd));
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(o, "devtty=%s\n", err_name(errno));
	} else {
		ssize_t w;

		fprintf(o, "devtty=ok\n");
		fprintf(o, "sti_devtty=%s\n", sti(fd, text));
		w = write(fd, text, strlen(text));
		fprintf(o, "write_devtty=%s\n", w < 0 ? err_name(errno) : "ok");
		close(fd);
	}
	fprintf(o, "sti_fd0=%s\n", sti(0, text));
	fclose(o);
	return 0;
}
