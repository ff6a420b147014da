/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * launch.c - the parent side of `cgtop --launch`: create the group with its
 * limits (cg-libcgroup.c), start the child already inside it
 * (clone3(CLONE_INTO_CGROUP) into the v2 group where there is one, else
 * clone; then write the pid into every other hierarchy's cgroup.procs and
 * the user namespace's id maps, and only then release the child through a
 * pipe), relay its pseudo-terminal (launch-pty.c), forward SIGINT, SIGTERM,
 * SIGHUP and SIGQUIT, wait, and tell what happened to it:
 * exit status or signal, OOM kills (memory.events / memory.oom_control, the
 * victim from the kernel log through the events pipeline, the one whose group
 * is this group or below it), peak memory against the limit, failcnt, rejected
 * forks (pids.events), CPU and wall time; as text on stderr and as one JSON
 * object with --report.  Then kill leftovers and remove the group.
 * launch_start and launch_finish are the two halves, so that with --watch
 * the dashboard (ui_main) runs between them on the group, woken by a pidfd.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/sched.h>

#include "events/events.h"
#include "base/json.h"
#include "names/names.h"
#include "launch/launch.h"
#include "launch/launch-priv.h"
#include "base/macro.h"
#include "options.h"
#include "base/parse.h"
#include "base/safefile.h"
#include "base/units.h"
#include "base/clock.h"
#include "ui/dashboard.h"
#include "base/fileio.h"
#include "base/signals.h"

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* clone3's argument, spelled out: old <linux/sched.h> lack the cgroup field. */
struct clone_args_v2 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
		set_tid_size, cgroup;
};

struct fate {
	int wstatus;
	int exit_code; /* cgtop's exit status */
	int sig;
	int64_t oom_kills, peak, failcnt, pids_rejected, cpu_usec;
	uint64_t mem_max;
	bool mem_max_known;
	uint64_t wall_usec;
	pid_t victim;
	char victim_name[EV_TASK_MAX];
	struct launch_status st; /* st.step != 0: setup failed */
};

static unsigned long ns_flags(unsigned ns)
{
	unsigned long f = 0;

	if (ns & NS_PID)
		f |= CLONE_NEWPID;
	if (ns & NS_NET)
		f |= CLONE_NEWNET;
	if (ns & NS_MNT)
		f |= CLONE_NEWNS;
	if (ns & NS_IPC)
		f |= CLONE_NEWIPC;
	if (ns & NS_UTS)
		f |= CLONE_NEWUTS;
	if (ns & NS_USER)
		f |= CLONE_NEWUSER;
	if (ns & NS_CGROUP)
		f |= CLONE_NEWCGROUP;
	if (ns & NS_TIME)
		f |= CLONE_NEWTIME;
	return f;
}

/* The caller becomes root inside; setgroups denied first, as the kernel wants for
 * an unprivileged gid_map (user_namespaces(7)). */
static int write_id_maps(pid_t pid)
{
	char p[64], m[64];
	int r;

	snprintf(p, sizeof(p), "/proc/%d/setgroups", (int)pid);
	fileio_write_at(AT_FDCWD, p, "deny");
	snprintf(p, sizeof(p), "/proc/%d/uid_map", (int)pid);
	snprintf(m, sizeof(m), "0 %u 1", (unsigned)getuid());
	r = fileio_write_at(AT_FDCWD, p, m);
	if (r < 0)
		return r;
	snprintf(p, sizeof(p), "/proc/%d/gid_map", (int)pid);
	snprintf(m, sizeof(m), "0 %u 1", (unsigned)getgid());
	return fileio_write_at(AT_FDCWD, p, m);
}

static int64_t keyed(const struct lcg *g, const char *file, const char *key)
{
	char buf[4096];
	uint64_t v;
	int n = lcg_read(g, file, buf, sizeof(buf));

	if (n < 0 || parse_keyed_get(buf, (size_t)n, key, &v) < 0)
		return -1;
	return (int64_t)v;
}

static int64_t number(const struct lcg *g, const char *file)
{
	char buf[64];
	uint64_t v;
	int n = lcg_read(g, file, buf, sizeof(buf));

	if (n < 0 || parse_u64_or_max(buf, (size_t)n, &v) < 0)
		return -1;
	return v == CG_UNLIMITED ? INT64_MAX : (int64_t)v;
}

#define FILE_OF(f) (cg_files[f].name)

/* First counter that exists: v1 files first (a hybrid host limits there). */
static void read_counters(const struct lcg *g, struct fate *f)
{
	char buf[64];
	uint64_t v;
	int n;

	f->oom_kills = keyed(g, FILE_OF(CGF_MEM_OOMCTL_V1), "oom_kill");
	if (f->oom_kills < 0)
		f->oom_kills = keyed(g, FILE_OF(CGF_MEM_EVENTS_V2), "oom_kill");
	f->peak = number(g, FILE_OF(CGF_MEM_MAXUSAGE_V1));
	if (f->peak < 0)
		f->peak = number(g, FILE_OF(CGF_MEM_PEAK_V2));
	f->failcnt = number(g, FILE_OF(CGF_MEM_FAILCNT_V1));
	if (f->failcnt < 0)
		f->failcnt = keyed(g, FILE_OF(CGF_MEM_EVENTS_V2), "max");
	f->pids_rejected = keyed(g, FILE_OF(CGF_PIDS_EVENTS), "max");
	f->cpu_usec = number(g, FILE_OF(CGF_CPUACCT_USAGE));
	if (f->cpu_usec >= 0)
		f->cpu_usec /= 1000;
	else
		f->cpu_usec = keyed(g, FILE_OF(CGF_CPU_STAT_V2), "usage_usec");
	n = lcg_read(g, FILE_OF(CGF_MEM_LIMIT_V1), buf, sizeof(buf));
	if (n < 0)
		n = lcg_read(g, FILE_OF(CGF_MEM_MAX_V2), buf, sizeof(buf));
	if (n >= 0 && parse_u64_or_max(buf, (size_t)n, &v) == 0) {
		f->mem_max_known = true;
		f->mem_max = v >= CG_V1_UNLIMITED_MIN ? CG_UNLIMITED : v;
	}
}

static const char *sig_name(int sig)
{
	const char *s = sigabbrev_np(sig);

	return s ? s : "?";
}

static void print_fate(const struct launch_spec *spec, const struct lcg *g, const struct fate *f)
{
	char a[32], b[32];

	if (f->sig)
		fprintf(stderr, "cgtop: %s was killed by signal %d (SIG%s), exit status %d\n", spec->argv[0],
			f->sig, sig_name(f->sig), f->exit_code);
	else
		fprintf(stderr, "cgtop: %s exited with status %d\n", spec->argv[0], f->exit_code);
	if (f->oom_kills > 0) {
		fprintf(stderr, "cgtop:   OOM-killed: yes, %" PRId64 " OOM kill%s in the group", f->oom_kills,
			f->oom_kills == 1 ? "" : "s");
		if (f->victim)
			fprintf(stderr, "; victim pid %d (%s)", (int)f->victim, f->victim_name);
		fputc('\n', stderr);
	} else {
		fprintf(stderr, "cgtop:   OOM-killed: %s\n", f->oom_kills == 0 ? "no" : "unknown");
	}
	if (f->peak >= 0)
		fprintf(stderr, "cgtop:   memory: peak %s of limit %s",
			units_format_size(a, sizeof(a), (uint64_t)f->peak),
			f->mem_max_known ? units_format_size(b, sizeof(b), f->mem_max) : "?");
	else
		fprintf(stderr, "cgtop:   memory: peak unknown");
	if (f->failcnt >= 0)
		fprintf(stderr, ", hit the limit %" PRId64 " time%s", f->failcnt, f->failcnt == 1 ? "" : "s");
	fputc('\n', stderr);
	if (f->pids_rejected >= 0)
		fprintf(stderr, "cgtop:   forks rejected by the pids limit: %" PRId64 "\n", f->pids_rejected);
	fprintf(stderr, "cgtop:   cpu time %.3fs, wall time %.3fs, group %s\n",
		f->cpu_usec >= 0 ? (double)f->cpu_usec / 1e6 : 0.0, (double)f->wall_usec / 1e6, lcg_path(g));
}

static void report_i64(struct buf *b, const char *key, int64_t v)
{
	buf_printf(b, "\"%s\":", key);
	if (v < 0)
		buf_puts(b, "null,");
	else
		buf_printf(b, "%" PRId64 ",", v);
}

/* Everything between the start and the end of CMD: launch_start allocates it,
 * launch_end (or a failed start) lets it go.  The child gets its copy with
 * the clone. */
struct launch_run {
	struct launch_spec *spec;
	struct launch_child c;
	struct lcg *g;
	struct fate f;
	char name[64], host_if[16];
	struct signals sig;
	struct events *ev; /* the kernel log from just before the start */
	uint64_t t0;
	pid_t pid;
	bool reaped;
	struct safefile report; /* --report FILE, made before anything else (report_open) */
};

static void run_free(struct launch_run *run)
{
	if (run->spec->name == run->name)
		run->spec->name = NULL; /* the name made up for it */
	free(run);
}

/* --report FILE: the target is checked and the new file made (unnamed, see
 * safefile.h) before anything is made, so a report that cannot be written is
 * refused up front instead of after the command ran; it gets its name only
 * when the report is written, so a launch that fails before the command runs
 * leaves no new file and an old one as it was. */
static int report_open(struct launch_run *run, const char *path, struct cg_error *err)
{
	const char *name = NULL, *what = NULL;
	int dfd, r;

	dfd = safefile_open_parent(path, &name);
	if (dfd < 0)
		return cg_error_set(err, dfd, "cannot write the report '%s': %s", path,
				    dfd == -EISDIR ? "not a file name" : strerror(-dfd));
	r = safefile_check_target(dfd, name, &what);
	if (r == -EINVAL) {
		cg_error_set(err, r, "will not write the report '%s': it is %s, not a regular file", path,
			     what);
	} else if (r == 0) {
		r = safefile_begin(&run->report, dfd, name, 0644, 0);
		if (r < 0)
			cg_error_set(err, r, "cannot write the report '%s': %s", path, strerror(-r));
	} else {
		cg_error_set(err, r, "cannot write the report '%s': %s", path, strerror(-r));
	}
	if (r < 0) {
		close(dfd);
		run->report.dfd = -1;
	}
	return r;
}

/* Drop the report not written (nothing ran): nothing at its name changes.
 * After a commit, only its directory is let go. */
static void report_drop(struct launch_run *run)
{
	safefile_abort(&run->report);
	closep(&run->report.dfd);
}

static int write_report(struct launch_run *run)
{
	const struct launch_spec *spec = run->spec;
	const struct lcg *g = run->g;
	const struct fate *f = &run->f;
	pid_t pid = run->pid;
	struct buf b;
	int r = 0;

	buf_init(&b, 1024);
	buf_printf(&b, "{\"exit_code\":%d,", f->exit_code);
	if (f->sig)
		buf_printf(&b, "\"signal\":%d,", f->sig);
	else
		buf_puts(&b, "\"signal\":null,");
	buf_printf(&b, "\"oom_killed\":%s,", f->oom_kills > 0 ? "true" : "false");
	report_i64(&b, "oom_kills", f->oom_kills);
	report_i64(&b, "memory_peak_bytes", f->peak);
	if (!f->mem_max_known)
		buf_puts(&b, "\"memory_max_bytes\":null,");
	else if (f->mem_max == CG_UNLIMITED)
		buf_puts(&b, "\"memory_max_bytes\":\"max\",");
	else
		buf_printf(&b, "\"memory_max_bytes\":%" PRIu64 ",", f->mem_max);
	report_i64(&b, "memory_failcnt", f->failcnt);
	report_i64(&b, "pids_rejected", f->pids_rejected);
	report_i64(&b, "cpu_usage_usec", f->cpu_usec);
	report_i64(&b, "wall_usec", (int64_t)f->wall_usec);
	buf_printf(&b, "\"pid\":%d,", (int)pid);
	if (f->victim) {
		buf_printf(&b, "\"oom_victim_pid\":%d,\"oom_victim_name\":", (int)f->victim);
		json_str(&b, f->victim_name);
		json_hex_key(&b, "oom_victim_name", f->victim_name);
		buf_puts(&b, ",");
	} else {
		buf_puts(&b, "\"oom_victim_pid\":null,\"oom_victim_name\":null,");
	}
	buf_puts(&b, "\"cgroup\":");
	json_str(&b, lcg_path(g));
	json_hex_key(&b, "cgroup", lcg_path(g));
	/* the group's name, when it is one people use (--name web.scope: a unit) */
	struct group_name gn;
	if (names_lookup("", lcg_path(g), &gn))
		names_json_object(&b, "group_name", &gn);
	buf_puts(&b, "}\n");
	if (strcmp(spec->report, "-") == 0) {
		if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0)
			r = -EIO;
	} else if (run->report.fd >= 0) {
		r = safefile_write(&run->report, b.data, b.len);
		if (r == 0)
			r = safefile_commit(&run->report);
		if (r < 0)
			fprintf(stderr, "cgtop: cannot write the report '%s': %s\n", spec->report,
				strerror(-r));
		report_drop(run);
	} else {
		r = -EBADF;
	}
	buf_free(&b);
	return r;
}

/* Why the child never ran CMD, in one line (no "cgtop: " and no newline). */
static void explain_status_line(const struct launch_spec *spec, const struct launch_status *st, char *out,
				size_t size)
{
	const char *hint = "";

	if (st->step == STEP_EXEC) {
		if (st->err == ENOENT)
			snprintf(out, size, "%s: command not found", spec->argv[0]);
		else
			snprintf(out, size, "%s: cannot execute: %s", spec->argv[0], strerror(st->err));
		return;
	}
	if ((st->err == EPERM || st->err == EINVAL) && (spec->ns & NS_USER) && spec->have_user &&
	    (spec->uid != 0 || spec->gid != 0) &&
	    (st->step == STEP_SETGROUPS || st->step == STEP_SETGID || st->step == STEP_SETUID))
		hint = " (a new user namespace maps only your own uid, as 0: --user 0, or leave out "
		       "--ns user to switch to another user)";
	else if ((st->err == EPERM || st->err == EINVAL) && (spec->ns & NS_USER))
		hint = " (user namespaces disabled?)";
	else if (st->err == ENOSPC)
		hint = " (namespace limit reached?)";
	else if (st->step == STEP_READONLY && st->err == ENOSYS)
		hint = " (mount_setattr needs Linux 5.12: run the command with --user instead)";
	snprintf(out, size, "launch failed while %s: %s%s", launch_step_name(st->step), strerror(st->err),
		 hint);
}

static void explain_status(const struct launch_spec *spec, const struct launch_status *st)
{
	char line[512];

	explain_status_line(spec, st, line, sizeof(line));
	fprintf(stderr, "cgtop: %s\n", line);
}

/* The fate in one line, for the dashboard's status line (--watch). */
static void fate_line(const struct launch_spec *spec, const struct fate *f, char *out, size_t size)
{
	char a[32], b[32];
	size_t n;

	if (f->st.step) {
		explain_status_line(spec, &f->st, out, size);
		return;
	}
	if (f->sig)
		n = (size_t)snprintf(out, size, "%s killed by SIG%s (exit %d)", spec->argv[0],
				     sig_name(f->sig), f->exit_code);
	else
		n = (size_t)snprintf(out, size, "%s exited with status %d", spec->argv[0], f->exit_code);
#define APPEND(...)                                                                                          \
	do {                                                                                                 \
		if (n < size)                                                                                \
			n += (size_t)snprintf(out + n, size - n, __VA_ARGS__);                               \
	} while (0)
	if (f->oom_kills > 0) {
		APPEND("; OOM-killed: %" PRId64 " OOM kill%s", f->oom_kills, f->oom_kills == 1 ? "" : "s");
		if (f->victim)
			APPEND(" (victim %d %s)", (int)f->victim, f->victim_name);
	} else {
		APPEND("; OOM-killed: %s", f->oom_kills == 0 ? "no" : "unknown");
	}
	if (f->peak >= 0)
		APPEND("; peak %s of %s", units_format_size(a, sizeof(a), (uint64_t)f->peak),
		       f->mem_max_known ? units_format_size(b, sizeof(b), f->mem_max) : "?");
	if (f->failcnt > 0)
		APPEND(", hit the limit %" PRId64 " times", f->failcnt);
	if (f->pids_rejected >= 0)
		APPEND("; forks rejected %" PRId64, f->pids_rejected);
	APPEND("; wall %.1fs", (double)f->wall_usec / 1e6);
#undef APPEND
}

static pid_t start_child(struct launch_child *c, unsigned long flags, int cgfd, bool *into_cgroup)
{
	pid_t pid = -1;

	*into_cgroup = false;
#if HAVE_DECL_SYS_CLONE3
	if (cgfd >= 0) {
		struct clone_args_v2 ca;

		memset(&ca, 0, sizeof(ca));
		ca.flags = flags | CLONE_INTO_CGROUP;
		ca.exit_signal = SIGCHLD;
		ca.cgroup = (uint64_t)cgfd;
		pid = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
		if (pid == 0)
			launch_child_run(c);
		if (pid > 0) {
			*into_cgroup = true;
			return pid;
		}
		/* ENOSYS (before 5.7), E2BIG, or a v2 group the kernel refuses
		 * (EBUSY): fall back to clone and cgroup.procs */
	}
#else
	(void)cgfd;
#endif
	pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid == 0)
		launch_child_run(c);
	return pid;
}

/* with --watch, CMD's stdin, stdout and stderr are /dev/null: it must not
 * scribble over the dashboard.  Swapped in around the clone only, so the
 * child (async-signal-safe code in launch-child.c) needs no change. */
static pid_t start_child_quiet(struct launch_child *c, unsigned long flags, int cgfd, bool *into)
{
	int save[3], nul, i;
	pid_t pid;

	nul = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (nul < 0)
		return -1;
	for (i = 0; i < 3; i++)
		save[i] = fcntl(i, F_DUPFD_CLOEXEC, 3);
	for (i = 0; i < 3; i++)
		dup2(nul, i);
	pid = start_child(c, flags, cgfd, into);
	i = errno;
	for (int k = 0; k < 3; k++) {
		if (save[k] >= 0) {
			dup2(save[k], k);
			close(save[k]);
		}
	}
	close(nul);
	errno = i;
	return pid;
}

extern char **environ;

/* --user: HOME, USER, LOGNAME and SHELL of that user from the passwd database
 * and a PATH for it, the rest of cgtop's environment as it is, as `runuser -u`
 * does.  NULL (cgtop's environment) with --ns user, where the command keeps
 * the caller's identity. */
static char **user_env(const struct launch_spec *spec)
{
	static const char *const reset[] = { "HOME=", "USER=", "LOGNAME=", "SHELL=", "PATH=" };
	struct passwd pw, *res = NULL;
	char buf[4096], **env;
	size_t n = 0, k, i;

	if (!spec->have_user || (spec->ns & NS_USER))
		return NULL;
	for (k = 0; environ[k]; k++)
		;
	env = xcalloc(k + ARRAY_SIZE(reset) + 1, sizeof(*env));
	for (k = 0; environ[k]; k++) {
		bool keep = true;

		for (i = 0; i < ARRAY_SIZE(reset); i++)
			if (strncmp(environ[k], reset[i], strlen(reset[i])) == 0)
				keep = false;
		if (keep)
			env[n++] = xstrdup(environ[k]);
	}
	if (getpwuid_r(spec->uid, &pw, buf, sizeof(buf), &res) == 0 && res) {
		env[n++] = xasprintf("HOME=%s", pw.pw_dir);
		env[n++] = xasprintf("USER=%s", pw.pw_name);
		env[n++] = xasprintf("LOGNAME=%s", pw.pw_name);
		env[n++] = xasprintf("SHELL=%s", *pw.pw_shell ? pw.pw_shell : "/bin/sh");
	} else {
		/* a uid without an entry: its number as its name */
		env[n++] = xstrdup("HOME=/");
		env[n++] = xasprintf("USER=%u", (unsigned)spec->uid);
		env[n++] = xasprintf("LOGNAME=%u", (unsigned)spec->uid);
		env[n++] = xstrdup("SHELL=/bin/sh");
	}
	env[n++] = xstrdup(spec->uid == 0
				   ? "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
				   : "PATH=/usr/local/bin:/usr/bin:/bin");
	env[n] = NULL;
	return env;
}

static void free_env(char **env)
{
	size_t i;

	for (i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}

/* The cgroup mounts that /sys does not cover, for spec->readonly. */
static char **readonly_paths(const struct lcg *g)
{
	char **p = xcalloc((size_t)g->hs.nmounts + 1, sizeof(*p));
	unsigned i, n = 0;

	for (i = 0; i < g->hs.nmounts; i++)
		if (strncmp(g->hs.mounts[i], "/sys/", 5) != 0)
			p[n++] = g->hs.mounts[i];
	p[n] = NULL;
	return p;
}

/* An OOM kill from the kernel log: the victim, when the kernel names its
 * group (the "oom-kill:" summary, 4.19+) and that is the launched group or
 * below it.  Another group's kill on the same host at the same time is not
 * the command's; a kill whose report the kernel's rate limit left out (a
 * "Killed process" line alone) names no group and is left unnamed. */
static void on_kill(const struct cg_event *ev, double time, void *userdata)
{
	struct launch_run *run = userdata;
	const char *where = ev->task_cgroup[0] ? ev->task_cgroup : ev->cgroup;

	(void)time;
	if (ev->source != EV_SRC_KMSG || (ev->kind != EV_OOM_KILL && ev->kind != EV_GLOBAL_OOM) ||
	    ev->pid <= 0 || !where[0] || !events_path_under(where, lcg_path(run->g)))
		return;
	run->f.victim = (pid_t)ev->pid;
	snprintf(run->f.victim_name, sizeof(run->f.victim_name), "%s", ev->task);
}

/* Read what the kernel log has now. */
static void read_kmsg(struct launch_run *run)
{
	if (!run->ev || !run->ev->kmsg_open)
		return;
	while (events_poll_kmsg(run->ev, 256) == 256)
		;
}

/* After the end: the victim of the OOM kills the counters saw.  The kernel
 * prints "Killed process" after it has sent SIGKILL (mm/oom_kill.c
 * __oom_kill_process), so the victim may be reaped before its line is in the
 * log: wait for it up to a second. */
static void find_victim(struct launch_run *run)
{
	uint64_t until = clock_mono_usec() + 1000000;

	if (!run->ev || !run->ev->kmsg_open)
		return;
	for (;;) {
		uint64_t t;

		read_kmsg(run);
		events_end(run->ev);
		t = clock_mono_usec();
		if (run->f.victim || run->f.oom_kills <= 0 || t >= until)
			return;
		poll(&(struct pollfd){ .fd = run->ev->kr.fd, .events = POLLIN }, 1,
		     (int)((until - t + 999) / 1000));
	}
}

static void kmsg_close(struct launch_run *run)
{
	if (run->ev) {
		events_done(run->ev);
		free(run->ev);
		run->ev = NULL;
	}
}

const char *launch_run_group(const struct launch_run *run)
{
	return lcg_path(run->g);
}

/* What launch_start has set up, taken down in reverse order when it fails part way (run
 * NULL once it succeeded: the fds alone are closed). */
struct start_state {
	struct launch_run *run;
	struct cg_error *err;
	bool masked, created; /* signals blocked; the group made */
	int rel[2], stp[2], cgfd;
};

static void start_undo(struct start_state *st)
{
	struct launch_run *run = st->run;

	if (run && run->pid > 0) {
		kill(run->pid, SIGKILL);
		waitpid(run->pid, NULL, 0);
	}
	if (run && st->created) {
		/* the pair goes with the child's namespace, but only when the kernel gets to
		 * it: remove the host end now (ENODEV when it is gone already) */
		if (run->host_if[0])
			launch_net_veth_del(run->host_if);
		lcg_destroy(run->g, st->err);
	}
	if (run && st->masked)
		signals_close(&run->sig, true);
	for (unsigned i = 0; i < 2; i++) {
		closep(&st->rel[i]);
		closep(&st->stp[i]);
	}
	closep(&st->cgfd);
	if (!run)
		return;
	kmsg_close(run);
	launch_pty_close(&run->c.pty);
	free_env(run->c.envp);
	free(run->c.ro_paths);
	lcg_free(run->g);
	report_drop(run); /* nothing ran: no report, an old one stays */
	run_free(run);
}

int launch_start(struct launch_spec *spec, struct launch_run **ret, struct cg_error *err)
{
	struct launch_run *run = xcalloc(1, sizeof(*run));
	struct launch_child *c = &run->c;
	struct lcg *g;
	int v2i, r;
	bool into = false;

	run->spec = spec;
	run->pid = -1;
	run->report.dfd = run->report.fd = -1;
	c->spec = spec;
	c->pty.master = c->pty.slave = c->pty.in_fd = c->pty.out_fd = -1;
	/* everything made from here on is undone when the start fails */
	_cleanup_(start_undo) struct start_state st = {
		.run = run, .err = err, .rel = { -1, -1 }, .stp = { -1, -1 }, .cgfd = -1
	};
	int *rel = st.rel, *stp = st.stp;

	if (spec->report && strcmp(spec->report, "-") != 0) {
		r = report_open(run, spec->report, err);
		if (r < 0)
			return r;
	}
	/* (--caps and --veth were checked by launch_options_parse) */
	if (spec->drop_caps || spec->caps) {
		if (spec->caps) {
			const char *bad = NULL;

			r = launch_caps_parse(spec->caps, &c->caps, &bad);
			if (r < 0)
				return cg_error_set(err, r, "--caps %s: invalid", spec->caps);
		}
		c->caps.drop_all = spec->drop_caps;
		c->have_caps = true;
	}
	if (spec->veth) {
		r = launch_net_parse_veth(spec->veth, &c->veth);
		if (r < 0)
			return cg_error_set(err, r, "--veth %s: invalid", spec->veth);
		c->have_veth = true;
		snprintf(run->host_if, sizeof(run->host_if), "cgl%dh", (int)getpid());
		snprintf(c->peer_if, sizeof(c->peer_if), "cgl%dc", (int)getpid());
	}
	if (!spec->name) {
		snprintf(run->name, sizeof(run->name), "launch-%d", (int)getpid());
		spec->name = run->name;
	}

	g = run->g = xcalloc(1, sizeof(*g));

	r = lcg_discover(g);
	if (r < 0)
		return cg_error_set(err, r, "no cgroup filesystem mounted: %s", strerror(-r));
	r = lcg_resolve(g, &spec->limits, spec->parent, spec->name, err);
	if (r < 0)
		return r;
	/* with --watch the command's stdio is /dev/null and the dashboard has the terminal */
	r = launch_pty_open(&c->pty, spec->watch ? LAUNCH_PTY_NO : spec->pty);
	if (r < 0)
		return cg_error_set(err, r, "cannot make a pseudo-terminal for the command: %s",
				    strerror(-r));
	c->envp = user_env(spec);
	if (spec->readonly)
		c->ro_paths = readonly_paths(g);

	/* signals are taken synchronously from here on (INT, TERM and HUP are
	 * forwarded to the command); the child restores the mask.  Without
	 * --watch also QUIT, the terminal's WINCH and CONT, and PIPE: a closed
	 * stdout ends the relay, not cgtop (the dashboard handles these itself:
	 * ncurses resizes on SIGWINCH). */
	static const int relay_sigs[] = { SIGCHLD, SIGQUIT, SIGWINCH, SIGCONT, SIGPIPE, 0 };
	static const int watch_sigs[] = { SIGCHLD, 0 };
	signals_open(&run->sig, spec->watch ? watch_sigs : relay_sigs);
	c->old_mask = run->sig.old;
	st.masked = true;

	r = lcg_create(g, &spec->limits, err);
	if (r < 0)
		return r;
	st.created = true;

	if (pipe2(rel, O_CLOEXEC) < 0 || pipe2(stp, O_CLOEXEC) < 0)
		return cg_error_set(err, errno ? errno : EIO, "pipe: %s", strerror(errno));
	c->release_fd = rel[0];
	c->status_fd = stp[1];
	v2i = lcg_v2(g);
	if (v2i >= 0 && g->h[v2i].used)
		st.cgfd = lcg_open_group(g, v2i);
	/* the kernel log from its end now: without it (no permission) the report
	 * names no victim */
	run->ev = xcalloc(1, sizeof(*run->ev));
	events_init(run->ev, NULL, NULL, NULL, false);
	run->ev->emit = on_kill;
	run->ev->userdata = run;

	fflush(NULL);
	run->t0 = clock_mono_usec();
	if (spec->watch)
		run->pid = start_child_quiet(c, ns_flags(spec->ns), st.cgfd, &into);
	else
		run->pid = start_child(c, ns_flags(spec->ns), st.cgfd, &into);
	if (run->pid < 0) {
		int e = errno;

		r = cg_error_set(err, e, "cannot start the child: %s%s", strerror(e),
				 e == ENOSPC ? " (namespace limit reached?)"
				 : e == EPERM || e == EINVAL
					 ? " (namespaces not permitted? user namespaces disabled?)"
					 : "");
		return r < 0 ? r : -EIO;
	}
	close(rel[0]);
	rel[0] = -1;
	close(stp[1]);
	stp[1] = -1;
	closep(&st.cgfd);
	st.cgfd = -1;

	/* into every other hierarchy before it runs a single instruction of CMD */
	r = lcg_attach(g, run->pid, into ? v2i : -1, err);
	if (r < 0)
		return r;
	if (spec->ns & NS_USER) {
		r = write_id_maps(run->pid);
		if (r < 0)
			return cg_error_set(err, r, "cannot write the user namespace's id maps: %s",
					    strerror(-r));
	}
	if (c->have_veth) {
		r = launch_net_veth_host(run->host_if, c->peer_if, run->pid, &c->veth);
		if (r < 0) {
			cg_error_set(err, r, "--veth %s: cannot create the veth pair: %s", spec->veth,
				     strerror(-r));
			run->host_if[0] = '\0';
			return r;
		}
	}
	if (write(rel[1], "G", 1) != 1)
		return cg_error_set(err, errno ? errno : EIO, "cannot release the child: %s",
				    strerror(errno));
	close(rel[1]);
	rel[1] = -1;

	/* EOF: the command was exec'd (the pipe is CLOEXEC); else a failed step */
	{
		ssize_t n;

		do
			n = read(stp[0], &run->f.st, sizeof(run->f.st));
		while (n < 0 && errno == EINTR);
		if (n != sizeof(run->f.st))
			run->f.st.step = 0;
		close(stp[0]);
		stp[0] = -1;
	}
	if (!run->f.st.step)
		launch_pty_start(&c->pty);
	st.run = NULL;
	*ret = run;
	return 0;
}

/* Gather the fate of the reaped CMD; the one-line summary into line. */
static int launch_reap(struct launch_run *run, int wstatus, char *line, size_t size)
{
	struct fate *f = &run->f;

	run->reaped = true;
	f->wstatus = wstatus;
	f->wall_usec = clock_mono_usec() - run->t0;
	if (WIFEXITED(f->wstatus)) {
		f->exit_code = WEXITSTATUS(f->wstatus);
	} else {
		f->sig = WTERMSIG(f->wstatus);
		f->exit_code = 128 + f->sig;
	}
	read_counters(run->g, f);
	find_victim(run);
	if (line && size)
		fate_line(run->spec, f, line, size);
	return f->exit_code;
}

/* Print the fate and the report, remove the group, let go of everything. */
static int launch_end(struct launch_run *run, bool print)
{
	struct launch_spec *spec = run->spec;
	int rc = run->f.exit_code;

	/* cgtop's terminal as it was, before a word is printed on it */
	launch_pty_close(&run->c.pty);
	if (run->f.st.step) {
		if (print)
			explain_status(spec, &run->f.st);
		report_drop(run); /* the command never ran */
	} else {
		if (print)
			print_fate(spec, run->g, &run->f);
		if (spec->report)
			write_report(run);
	}
	if (run->host_if[0])
		launch_net_veth_del(run->host_if);
	if (spec->keep) {
		fprintf(stderr, "cgtop: kept group %s\n", lcg_path(run->g));
	} else {
		struct cg_error err = { 0 };

		if (lcg_destroy(run->g, &err) < 0) {
			fprintf(stderr, "cgtop: %s\n", err.msg);
			if (rc == 0)
				rc = 1;
		}
	}
	signals_close(&run->sig, true);
	kmsg_close(run);
	free_env(run->c.envp);
	free(run->c.ro_paths);
	lcg_free(run->g);
	report_drop(run);
	run_free(run);
	return rc;
}

int launch_finish(struct launch_run *run, int wstatus, bool print, char *line, size_t size)
{
	launch_reap(run, wstatus, line, size);
	return launch_end(run, print);
}

/* Wait, relaying the pseudo-terminal and forwarding INT, TERM, HUP and QUIT
 * (and WINCH when the command has no terminal of its own: it is in another
 * session, the kernel tells cgtop only); after a TERM the group gets 2 s,
 * then SIGKILL (pid 1 of a pid namespace ignores signals it has no handler
 * for).  Sleeps in poll until something happens. */
static int wait_forwarding(struct launch_run *run)
{
	struct launch_pty *pty = &run->c.pty;
	int sfd = run->sig.fd;
	bool got_term = false, killed = false;
	uint64_t term_at = 0;

	for (;;) {
		struct pollfd pfd[4];
		int s, ws, n = 0, first, ik = -1, timeout = sfd >= 0 ? -1 : 200;
		pid_t w;

		w = waitpid(run->pid, &ws, WNOHANG);
		if (w == run->pid) {
			launch_pty_drain(pty);
			return ws;
		}
		if (got_term && !killed) {
			uint64_t left = clock_mono_usec() - term_at;

			left = left >= 2000000 ? 0 : 2000000 - left;
			timeout = (int)((left + 999) / 1000);
		}
		if (sfd >= 0)
			pfd[n++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		/* the kernel log as it comes, so that a long run loses none of it */
		if (run->ev && run->ev->kmsg_open) {
			ik = n;
			pfd[n++] = (struct pollfd){ .fd = run->ev->kr.fd, .events = POLLIN };
		}
		launch_pty_poll_fds(pty, pfd, &n, &first);
		poll(pfd, (nfds_t)n, timeout);
		if (ik >= 0 && pfd[ik].revents)
			read_kmsg(run);
		while ((s = signals_next(&run->sig)) > 0) {
			if (s == SIGINT || s == SIGTERM || s == SIGHUP || s == SIGQUIT) {
				kill(run->pid, s);
				if (s == SIGTERM && !got_term) {
					got_term = true;
					term_at = clock_mono_usec();
				}
			} else if (s == SIGWINCH) {
				if (pty->master >= 0)
					launch_pty_winch(pty);
				else
					kill(run->pid, s);
			} else if (s == SIGCONT) {
				launch_pty_resume(pty);
			}
		}
		launch_pty_relay(pty, pfd, first);
		if (got_term && !killed && clock_mono_usec() - term_at >= 2000000) {
			kill(run->pid, SIGKILL);
			killed = true; /* SIGCHLD wakes the poll */
		}
	}
}

/* ---- --watch: the dashboard on the group while CMD runs ---- */

static int watch_finish(struct ui_watch *w, char *msg, size_t size)
{
	struct launch_run *run = w->data;
	int ws = 0;
	pid_t p;

	do
		p = waitpid(run->pid, &ws, 0);
	while (p < 0 && errno == EINTR);
	if (p != run->pid)
		ws = W_EXITCODE(1, 0);
	w->done = true;
	w->status = launch_reap(run, ws, msg, size);
	return w->status;
}

static int pidfd_open_(pid_t pid)
{
#if HAVE_DECL_SYS_PIDFD_OPEN
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

static int launch_watch(struct launch_run *run)
{
	struct config cfg;
	struct ui_watch w;
	int ws, r;

	memset(&w, 0, sizeof(w));
	w.pidfd = pidfd_open_(run->pid);
	if (w.pidfd < 0) {
		/* before Linux 5.3: no dashboard, the plain launcher */
		fprintf(stderr,
			"cgtop: --watch needs pidfd_open (Linux 5.3): %s; waiting without the dashboard\n",
			strerror(errno));
		return launch_finish(run, wait_forwarding(run), true, NULL, 0);
	}
	fcntl(w.pidfd, F_SETFD, FD_CLOEXEC);
	w.group = launch_run_group(run);
	w.finish = watch_finish;
	w.data = run;
	options_defaults(&cfg);
	cfg.mode = MODE_DASHBOARD;
	cfg.path = w.group;
	/* a dashboard that fails comes back here too: the command and the
	 * group are still ours to end */
	ui_main(&cfg, &w);
	close(w.pidfd);
	if (!w.done) {
		/* q before CMD ended: it ends with the dashboard (TERM, 2 s, KILL) */
		uint64_t t = clock_mono_usec();
		pid_t p;

		kill(run->pid, SIGTERM);
		while ((p = waitpid(run->pid, &ws, WNOHANG)) == 0) {
			struct timespec ts = { 0, 20000000 };

			if (clock_mono_usec() - t > 2000000) {
				kill(run->pid, SIGKILL);
				p = waitpid(run->pid, &ws, 0);
				break;
			}
			nanosleep(&ts, NULL);
		}
		if (p != run->pid)
			ws = W_EXITCODE(1, 0);
		launch_reap(run, ws, NULL, 0);
	}
	/* the terminal is back: the full report, as without --watch */
	r = launch_end(run, true);
	return w.failed ? 1 : r;
}

int launch_main(struct launch_spec *spec)
{
	struct launch_run *run;
	struct cg_error err = { 0 };
	int r;

	r = launch_start(spec, &run, &err);
	if (r < 0) {
		if (err.msg[0])
			fprintf(stderr, "cgtop: %s\n", err.msg);
		return 1;
	}
	if (spec->watch)
		return launch_watch(run);
	return launch_finish(run, wait_forwarding(run), true, NULL, 0);
}
