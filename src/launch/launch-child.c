/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * launch-child.c - the launched child between clone and exec: wait to be
 * released (the parent has put it into every hierarchy's group and written
 * its id maps by then), die with cgtop (PR_SET_PDEATHSIG), leave cgtop's
 * session and terminal (setsid; the command's own pseudo-terminal, if any,
 * becomes its controlling terminal), make mounts private and mount a fresh
 * /proc in a new pid namespace, make /sys, /proc/sys and the cgroup mounts
 * read-only for a command that will lack CAP_SYS_ADMIN, set the hostname,
 * bring the network up, optionally start the reaper as pid 1, switch user
 * (with that user's environment), drop capabilities and exec.
 * Async-signal-safe calls only: no malloc, no stdio.  A failing step writes
 * {step, errno} to the CLOEXEC status pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch/launch.h"
#include "launch/launch-priv.h"
#include "base/missing.h"

extern char **environ;

const char *launch_step_name(int step)
{
	switch (step) {
	case STEP_RELEASE:
		return "waiting for the parent";
	case STEP_MOUNT_PRIVATE:
		return "making mounts private";
	case STEP_MOUNT_PROC:
		return "mounting /proc";
	case STEP_HOSTNAME:
		return "setting the hostname";
	case STEP_NET:
		return "setting up the network";
	case STEP_FORK_INIT:
		return "starting the command under the reaper";
	case STEP_SETGROUPS:
		return "setgroups";
	case STEP_SETGID:
		return "setgid";
	case STEP_SETUID:
		return "setuid";
	case STEP_CAPS:
		return "dropping capabilities";
	case STEP_EXEC:
		return "exec";
	case STEP_SETSID:
		return "leaving cgtop's session";
	case STEP_PTY:
		return "setting up the command's terminal";
	case STEP_READONLY:
		return "making /sys, /proc/sys and the cgroup mounts read-only";
	default:
		return "setup";
	}
}

static _Noreturn void fail(struct launch_child *c, int step, int err, int code)
{
	struct launch_status st = { step, err };
	ssize_t n;

	n = write(c->status_fd, &st, sizeof(st));
	(void)n;
	_exit(code);
}

/* Bind path onto itself and make the bind, and every mount below it,
 * read-only (mount_setattr, Linux 5.12: a plain remount is not recursive).
 * The mounts are private to the child's mount namespace by now.  A path that
 * does not exist here has nothing to protect. */
static int bind_readonly(const char *path)
{
	struct {
		uint64_t attr_set, attr_clr, propagation, userns_fd;
	} attr = { MOUNT_ATTR_RDONLY, 0, 0, 0 };

	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (syscall(SYS_mount_setattr, AT_FDCWD, path, AT_RECURSIVE, &attr, sizeof(attr)) < 0)
		return -errno;
	return 0;
}

/* What uid 0 without capabilities could otherwise write: its own limits and
 * cgroup.procs (every cgroup mount; those below /sys with it), sysctls such as
 * kernel.core_pattern, and the kernel knobs of sysfs and procfs that runc
 * also makes read-only. */
static int make_readonly(const struct launch_child *c)
{
	static const char *const paths[] = {
		"/sys", "/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs",
	};
	size_t i;
	int r;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		r = bind_readonly(paths[i]);
		if (r < 0)
			return r;
	}
	for (i = 0; c->ro_paths && c->ro_paths[i]; i++) {
		r = bind_readonly(c->ro_paths[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

static void exec_cmd(struct launch_child *c, bool new_session)
{
	const struct launch_spec *s = c->spec;
	int r;

	/* under --init the command leaves the reaper's session too, so that its
	 * terminal's signals (^C, ^Z) reach it and not the reaper */
	if (new_session && setsid() < 0)
		fail(c, STEP_SETSID, errno, 126);
	r = launch_pty_child_ctty(&c->pty);
	if (r < 0)
		fail(c, STEP_PTY, -r, 126);
	if (s->have_user) {
		/* keep the permitted set over setuid so the caps step can still drop
		 * the bounding set (needs CAP_SETPCAP) */
		if (c->have_caps)
			prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
		if (setgroups(1, &s->gid) < 0)
			fail(c, STEP_SETGROUPS, errno, 126);
		if (setresgid(s->gid, s->gid, s->gid) < 0)
			fail(c, STEP_SETGID, errno, 126);
		if (setresuid(s->uid, s->uid, s->uid) < 0)
			fail(c, STEP_SETUID, errno, 126);
	}
	if (c->have_caps) {
		r = launch_caps_apply(&c->caps);
		if (r < 0)
			fail(c, STEP_CAPS, -r, 126);
	}
	sigprocmask(SIG_SETMASK, &c->old_mask, NULL);
	if (c->envp)
		environ = c->envp; /* execvp searches the user's PATH, too */
	execvp(s->argv[0], s->argv);
	fail(c, STEP_EXEC, errno,
	     errno == ENOENT || errno == ENOTDIR ? LAUNCH_EXIT_NOT_FOUND : LAUNCH_EXIT_CANNOT_EXEC);
}

_Noreturn void launch_child_run(struct launch_child *c)
{
	const struct launch_spec *s = c->spec;
	char go = 0;
	ssize_t n;
	int r;

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	/* the parent writes 'G' once we are in the groups; EOF means it gave up or
	 * died (getppid() says nothing useful in a new pid namespace) */
	do
		n = read(c->release_fd, &go, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1 || go != 'G')
		_exit(1);
	close(c->release_fd);

	/* no controlling terminal from here on: /dev/tty is ENXIO and TIOCSTI
	 * cannot reach cgtop's terminal (a new session, Linux 2.6+ semantics) */
	if (setsid() < 0)
		fail(c, STEP_SETSID, errno, 126);
	r = launch_pty_child_fds(&c->pty);
	if (r < 0)
		fail(c, STEP_PTY, -r, 126);

	if (s->ns & NS_MNT) {
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			fail(c, STEP_MOUNT_PRIVATE, errno, 126);
		if ((s->ns & NS_PID) &&
		    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
			fail(c, STEP_MOUNT_PROC, errno, 126);
		if (s->readonly) {
			r = make_readonly(c);
			if (r < 0)
				fail(c, STEP_READONLY, -r, 126);
		}
	}
	if ((s->ns & NS_UTS) && s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
		fail(c, STEP_HOSTNAME, errno, 126);
	if (s->ns & NS_NET) {
		r = c->have_veth ? launch_net_veth_child(c->peer_if, &c->veth) : launch_net_lo_up();
		if (r < 0)
			fail(c, STEP_NET, -r, 126);
	}
	if ((s->ns & NS_PID) && s->init) {
		pid_t pid = fork();
		int st;

		if (pid < 0)
			fail(c, STEP_FORK_INIT, errno, 126);
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
			exec_cmd(c, true);
		}
		close(c->status_fd); /* the command holds the pipe until its exec */
		st = launch_init_run(pid);
		if (WIFSIGNALED(st)) {
			/* die the same way, so cgtop reports the signal (pid 1 cannot
			 * be killed by its own signals: exit 128+N then) */
			_exit(128 + WTERMSIG(st));
		}
		_exit(WEXITSTATUS(st));
	}
	exec_cmd(c, false);
	_exit(126);
}
