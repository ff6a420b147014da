/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * launch-pty.c - the launched command's own terminal.  The command runs in a
 * session of its own (setsid in launch-child.c), so it has no way back to
 * cgtop's terminal: neither /dev/tty nor TIOCSTI reaches it.  An interactive
 * command gets a pseudo-terminal instead, as `systemd-run -t`, `su --pty` and
 * `machinectl shell` do: its slave is the command's controlling terminal
 * (on each of fds 0, 1 and 2 that was a terminal for cgtop, or all three with
 * --pty), and cgtop copies its own stdin to the master and the master's
 * output to its stdout (else stderr, else /dev/tty), with its terminal in
 * raw mode meanwhile so that every key, ^C and ^Z included, goes to the
 * command's terminal.  The modes are restored on every way out: the end of
 * the command, a signal that ends cgtop (forwarded and waited for), and a
 * crash (a handler restores them and dies the same way).  Window size
 * changes (SIGWINCH) are passed on; the end of stdin becomes the pty's
 * end-of-file character.  Nothing here busy-waits: the master is
 * non-blocking and the wait loop (launch.c) polls it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "launch/launch.h"

/* for the crash handler: the terminal to restore and its modes */
static volatile sig_atomic_t crash_restore;
static struct termios crash_saved;
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS };

static void crash_handler(int sig)
{
	if (crash_restore)
		tcsetattr(STDIN_FILENO, TCSANOW, &crash_saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void crash_handlers(bool on)
{
	size_t i;

	crash_restore = on;
	for (i = 0; i < sizeof(crash_signals) / sizeof(crash_signals[0]); i++)
		signal(crash_signals[i], on ? crash_handler : SIG_DFL);
}

static int first_tty(void)
{
	int fd;

	for (fd = 0; fd < 3; fd++)
		if (isatty(fd))
			return fd;
	return -1;
}

int launch_pty_open(struct launch_pty *p, int mode)
{
	char name[64];
	struct termios t;
	struct winsize ws;
	int r, fd, tty = first_tty();

	memset(p, 0, sizeof(*p));
	p->master = p->slave = p->in_fd = p->out_fd = -1;
	p->veof = 4; /* ^D */
	if (mode == LAUNCH_PTY_NO)
		return 0;
	/* by default only for cgtop's terminal while it is in the foreground: in
	 * the background, raw mode would stop cgtop (SIGTTOU) */
	if (mode == LAUNCH_PTY_AUTO && (!isatty(STDIN_FILENO) || tcgetpgrp(STDIN_FILENO) != getpgrp()))
		return 0;

	p->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->master < 0)
		return -errno;
	if (grantpt(p->master) < 0 || unlockpt(p->master) < 0 ||
	    ptsname_r(p->master, name, sizeof(name)) != 0)
		goto fail;
	p->slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->slave < 0)
		goto fail;
	/* (it stays cgtop's, mode 0620 from grantpt: not chowned to --user, whose
	 * uid other processes may share; the command has it open already) */
	if (tty >= 0 && tcgetattr(tty, &t) == 0) {
		tcsetattr(p->slave, TCSANOW, &t);
		p->veof = (char)t.c_cc[VEOF];
	}
	if (tty >= 0 && ioctl(tty, TIOCGWINSZ, &ws) == 0)
		ioctl(p->master, TIOCSWINSZ, &ws);
	if (fcntl(p->master, F_SETFL, O_NONBLOCK) < 0)
		goto fail;

	for (fd = 0; fd < 3; fd++)
		if (mode == LAUNCH_PTY_YES || isatty(fd))
			p->fds |= 1u << fd;
	p->in_fd = STDIN_FILENO;
	if (p->fds & 2u)
		p->out_fd = STDOUT_FILENO;
	else if (p->fds & 4u)
		p->out_fd = STDERR_FILENO;
	else {
		/* output redirected: the echo of what is typed still shows */
		p->out_fd = open("/dev/tty", O_WRONLY | O_NOCTTY | O_CLOEXEC);
		p->own_out = p->out_fd >= 0;
	}
	p->master_open = true;
	return 0;

fail:
	r = -errno;
	launch_pty_close(p);
	return r;
}

int launch_pty_child_fds(const struct launch_pty *p)
{
	int fd;

	if (p->master < 0)
		return 0;
	for (fd = 0; fd < 3; fd++)
		if ((p->fds & (1u << fd)) && dup2(p->slave, fd) < 0)
			return -errno;
	return 0;
}

int launch_pty_child_ctty(const struct launch_pty *p)
{
	if (p->master < 0)
		return 0;
	return ioctl(p->slave, TIOCSCTTY, 0) < 0 ? -errno : 0;
}

static void make_raw(struct launch_pty *p)
{
	struct termios t = p->saved;

	cfmakeraw(&t);
	tcsetattr(STDIN_FILENO, TCSADRAIN, &t);
}

void launch_pty_start(struct launch_pty *p)
{
	if (p->master < 0)
		return;
	close(p->slave);
	p->slave = -1;
	if ((p->fds & 1u) && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &p->saved) == 0) {
		crash_saved = p->saved;
		crash_handlers(true);
		p->raw = true;
		make_raw(p);
	}
}

void launch_pty_resume(struct launch_pty *p)
{
	/* a shell that stopped cgtop put its own modes back */
	if (p->raw)
		make_raw(p);
	launch_pty_winch(p);
}

void launch_pty_winch(struct launch_pty *p)
{
	struct winsize ws;
	int tty = first_tty();

	if (p->master >= 0 && tty >= 0 && ioctl(tty, TIOCGWINSZ, &ws) == 0)
		ioctl(p->master, TIOCSWINSZ, &ws); /* the kernel sends SIGWINCH to the command */
}

void launch_pty_poll_fds(const struct launch_pty *p, struct pollfd *pfd, int *n, int *ret_first)
{
	*ret_first = *n;
	if (p->master < 0)
		return;
	/* input waits while the master has no room for what is pending */
	pfd[(*n)++] = (struct pollfd){ .fd = p->master_open ? p->master : -1,
				       .events = (short)(POLLIN | (p->in_len ? POLLOUT : 0)) };
	pfd[(*n)++] = (struct pollfd){ .fd = p->in_len ? -1 : p->in_fd, .events = POLLIN };
}

static void out_all(struct launch_pty *p, const char *buf, size_t len)
{
	while (len > 0 && p->out_fd >= 0) {
		ssize_t w = write(p->out_fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			p->out_fd = -1; /* a closed pipe: the rest goes nowhere */
			return;
		}
		buf += w;
		len -= (size_t)w;
	}
}

/* the master's output to out_fd; false when there is no more (the slave is
 * closed everywhere: EIO) */
static bool from_master(struct launch_pty *p)
{
	char buf[4096];
	ssize_t n;

	for (;;) {
		n = read(p->master, buf, sizeof(buf));
		if (n > 0) {
			out_all(p, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 && errno == EAGAIN;
	}
}

static void to_master(struct launch_pty *p)
{
	while (p->in_len > 0) {
		ssize_t w = write(p->master, p->in_buf + p->in_off, p->in_len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			return; /* the command reads nothing now: wait for room */
		if (w <= 0) {
			p->in_len = 0; /* the terminal is gone */
			return;
		}
		p->in_off += (size_t)w;
		p->in_len -= (size_t)w;
	}
	p->in_off = 0;
}

void launch_pty_relay(struct launch_pty *p, const struct pollfd *pfd, int first)
{
	const struct pollfd *m = &pfd[first], *in = &pfd[first + 1];

	if (p->master < 0)
		return;
	if (p->master_open && (m->revents & (POLLIN | POLLHUP | POLLERR)))
		p->master_open = from_master(p);
	if (p->in_fd >= 0 && !p->in_len && (in->revents & (POLLIN | POLLHUP | POLLERR))) {
		ssize_t n = read(p->in_fd, p->in_buf, sizeof(p->in_buf));

		if (n > 0) {
			p->in_len = (size_t)n;
		} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
			/* the end of stdin is the end of the command's input */
			p->in_fd = -1;
			p->in_buf[0] = p->veof;
			p->in_len = 1;
		}
		p->in_off = 0;
	}
	if (p->in_len && p->master_open)
		to_master(p);
}

void launch_pty_drain(struct launch_pty *p)
{
	if (p->master >= 0 && p->master_open)
		p->master_open = from_master(p);
}

void launch_pty_close(struct launch_pty *p)
{
	if (p->raw) {
		tcsetattr(STDIN_FILENO, TCSADRAIN, &p->saved);
		crash_handlers(false);
		p->raw = false;
	}
	if (p->master >= 0)
		close(p->master);
	if (p->slave >= 0)
		close(p->slave);
	if (p->own_out && p->out_fd >= 0)
		close(p->out_fd);
	p->master = p->slave = p->out_fd = -1;
	p->own_out = false;
}
