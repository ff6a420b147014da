/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * events-main.c - `cgtop --events`: one line per OOM kill or fork rejection.
 *
 * From a saved log (--kmsg-file) it reads to the end of the file (or follows
 * it).  Live, one poll() loop waits on /dev/kmsg, a signalfd and the refresh
 * timer: the kernel log is drained in bounded batches as it comes, and every
 * interval the groups' counters are read and reconciled with it.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "events.h"
#include "macro.h"

struct sink {
	const struct config *cfg;
	struct buf line;
	bool live;
	bool write_failed;
};

static void sink_flush(struct sink *k)
{
	if (k->line.len && fwrite(k->line.data, 1, k->line.len, stdout) != k->line.len)
		k->write_failed = true;
	k->line.len = 0;
	if (fflush(stdout) != 0)
		k->write_failed = true;
}

/* Events are gathered in one buffer and written in large blocks (no copy
 * through stdio's buffer); live, each event is written at once. */
static void emit(const struct cg_event *ev, double time, void *userdata)
{
	struct sink *k = userdata;

	if (k->cfg->format == FORMAT_JSON)
		events_format_json(&k->line, ev, time);
	else
		events_format_text(&k->line, ev, time);
	if (k->live || k->line.len >= 1 << 16)
		sink_flush(k);
}

static uint64_t mono_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int signal_fd(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, old);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* Take the pending signal off the signalfd, so that unblocking does not
 * deliver it again. */
static void consume_signal(int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		;
}

static int from_file(const struct config *cfg, struct sink *k)
{
	struct events e;
	sigset_t old;
	int r, sfd;

	r = events_init(&e, NULL, NULL, cfg->kmsg_file, false);
	if (r < 0) {
		fprintf(stderr, "cgtop: cannot read the kernel log '%s': %s\n", cfg->kmsg_file, strerror(-r));
		return EXIT_RUNTIME;
	}
	e.emit = emit;
	e.userdata = k;
	k->live = cfg->follow;
	sfd = cfg->follow ? signal_fd(&old) : -1;
	for (;;) {
		int n = events_poll_kmsg(&e, 4096);
		if (n < 0) {
			fprintf(stderr, "cgtop: cannot read the kernel log '%s': %s\n", cfg->kmsg_file, strerror(-n));
			events_done(&e);
			return EXIT_RUNTIME;
		}
		if (k->write_failed)
			break;
		if (n > 0 || !e.kr.eof)
			continue;
		if (!cfg->follow)
			break;
		/* --follow: wait for the file to grow, like tail -f */
		events_flush(&e);
		sink_flush(k);
		struct pollfd p = { .fd = sfd, .events = POLLIN };
		if (poll(&p, 1, 250) > 0) {
			consume_signal(sfd);
			break; /* a signal: stop */
		}
	}
	events_finish(&e);
	events_flush(&e);
	sink_flush(k);
	if (e.kr.bad)
		fprintf(stderr, "cgtop: %llu line%s of '%s' skipped (not text, or longer than %d bytes)\n",
			(unsigned long long)e.kr.bad, e.kr.bad == 1 ? "" : "s", cfg->kmsg_file, KMSG_LINE_MAX);
	events_done(&e);
	if (sfd >= 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(sfd);
	}
	return k->write_failed ? EXIT_RUNTIME : EXIT_OK;
}

static int live(const struct config *cfg, struct sink *k)
{
	struct cg_tree tree;
	struct sampler s;
	struct events e;
	sigset_t old;
	int r, sfd, status = EXIT_OK;

	r = cg_tree_open(&tree, cfg->sysroot, cfg->path, cfg->depth, cfg->fd_budget);
	if (r == -ENOENT) {
		fprintf(stderr, "cgtop: no cgroup filesystem is mounted; cannot watch OOM kills or forks\n");
		cg_tree_close(&tree);
		return EXIT_RUNTIME;
	}
	if (r < 0) {
		fprintf(stderr, "cgtop: invalid group path: '%s' is not a control group\n", cfg->path);
		cg_tree_close(&tree);
		return r == -ESRCH ? EXIT_USAGE : EXIT_RUNTIME;
	}
	events_init(&e, &tree, cfg->sysroot, NULL, cfg->since_boot);
	e.emit = emit;
	e.userdata = k;
	k->live = true;
	if (!e.kmsg_open)
		fprintf(stderr, "cgtop: cannot read /dev/kmsg (%s): %s; reporting OOM kills and rejected forks "
				"from the cgroup counters only, without victims' names\n",
			strerror(-e.kmsg_err), kmsg_reader_denied_hint(e.kmsg_err));
	/* the counters, and the process lists that place a kill the kernel
	 * reported without its group (pids limits are read when a fork fails) */
	sampler_init(&s, &tree, NEED_EVENTS | NEED_TASKS, cfg->interval_usec);
	events_attach(&e, &s);
	sfd = signal_fd(&old);

	/* the backlog (--since boot) first, then the counters' starting point */
	if (cfg->since_boot) {
		events_read_backlog(&e);
	} else {
		while (events_poll_kmsg(&e, 4096) > 0)
			;
		events_flush(&e);
	}
	sampler_tick(&s);
	events_reconcile(&e, &s);

	uint64_t next = mono_usec() + cfg->interval_usec;
	for (long long ticks = 1; !cfg->count_given || ticks < cfg->count;) {
		uint64_t now = mono_usec();
		int timeout = next > now ? (int)((next - now + 999) / 1000) : 0;
		struct pollfd p[2] = {
			{ .fd = sfd, .events = POLLIN },
			{ .fd = e.kmsg_open ? e.kr.fd : -1, .events = POLLIN },
		};
		r = poll(p, 2, timeout);
		if (r < 0 && errno != EINTR)
			break;
		if (p[0].revents & POLLIN) {
			consume_signal(sfd);
			break; /* SIGINT, SIGTERM, SIGHUP: stop cleanly */
		}
		if (p[1].revents & (POLLIN | POLLERR))
			events_poll_kmsg(&e, 256); /* bounded: a flood cannot starve the rest */
		if (k->write_failed) {
			status = EXIT_RUNTIME;
			break;
		}
		if (mono_usec() < next)
			continue;
		/* the interval: drain the log, then read the counters */
		while (events_poll_kmsg(&e, 1024) > 0 && mono_usec() < next + cfg->interval_usec / 2)
			;
		if (e.lines_since_tick == 0)
			events_flush(&e); /* a quiet interval: nothing more will join a pending kill */
		e.lines_since_tick = 0;
		sampler_tick(&s);
		events_reconcile(&e, &s);
		fflush(stdout);
		next += cfg->interval_usec;
		if (next < mono_usec())
			next = mono_usec() + cfg->interval_usec;
		ticks++;
	}
	events_end(&e);
	fflush(stdout);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(sfd);
	sampler_done(&s);
	events_done(&e);
	cg_tree_close(&tree);
	return status;
}

int events_main(const struct config *cfg)
{
	struct sink k = { .cfg = cfg };
	int r;

	buf_init(&k.line, 16384);
	r = cfg->kmsg_file ? from_file(cfg, &k) : live(cfg, &k);
	buf_free(&k.line);
	return r;
}
