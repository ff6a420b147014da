/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output.c - the batch loop: open the tree, sample every interval, hand each
 * sample to the chosen writer.  Samples are taken on a fixed monotonic
 * schedule, so a slow refresh does not stretch the interval.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "events/events.h"
#include "sample/forks.h"
#include "base/macro.h"
#include "output/output.h"
#include "base/clock.h"

/* Wait for the next sample while reading the proc connector: its receive
 * buffer holds seconds of a storm, not a whole interval. */
static void wait_forks(struct forks *f, uint64_t deadline_usec)
{
	for (uint64_t now; (now = clock_mono_usec()) < deadline_usec;) {
		uint64_t ms = (deadline_usec - now + 999) / 1000;

		if (poll(&(struct pollfd){ .fd = forks_fd(f), .events = POLLIN }, 1,
			 ms > 1000 ? 1000 : (int)ms) > 0)
			forks_poll(f);
	}
}

int output_open_tree(const struct config *cfg, struct cg_tree *tree)
{
	int r = cg_tree_open(tree, cfg->sysroot, cfg->path, cfg->depth, cfg->fd_budget);

	if (r == -ENOENT) {
		fprintf(stderr,
			"cgtop: no cgroup filesystem is mounted%s%s (looked in %s/proc/self/mountinfo)\n",
			cfg->sysroot ? " under " : "", cfg->sysroot ? cfg->sysroot : "",
			cfg->sysroot ? cfg->sysroot : "");
		cg_tree_close(tree);
		return EXIT_RUNTIME;
	}
	if (r == -ESRCH || r == -ENAMETOOLONG) {
		fprintf(stderr, "cgtop: invalid group path: '%s' is not a control group\n", cfg->path);
		cg_tree_close(tree);
		return EXIT_USAGE;
	}
	if (r < 0) {
		fprintf(stderr, "cgtop: cannot read the cgroup hierarchies: %s\n", strerror(-r));
		cg_tree_close(tree);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

int output_batch(const struct config *cfg)
{
	struct cg_tree tree;
	struct sampler s;
	struct output o = { .cfg = cfg, .out = stdout, .forks_overruns = -1 };
	unsigned needs = cfg->format != FORMAT_TEXT ? columns_needs(cfg->col_sel)
			 : cfg->count == 1          ? columns_needs_text_once(cfg->col_sel)
						    : columns_needs_text(cfg->col_sel);
	int status;

	status = output_open_tree(cfg, &tree);
	if (status != EXIT_OK)
		return status;

	o.tty = isatty(fileno(stdout));
	buf_init(&o.line, 65536);
	sampler_init(&s, &tree, needs, cfg->interval_usec);
	/* the events column: counters since start, and the kernel log if we may
	 * read it (quietly null otherwise: batch output is for scripts) */
	struct events ev;
	bool with_events = needs & NEED_EVENTS;
	if (with_events) {
		events_init(&ev, &tree, cfg->sysroot, NULL, false);
		events_attach(&ev, &s);
		o.kmsg_open = ev.kmsg_open;
	}
	struct forks *fk = xmalloc(sizeof(*fk));
	forks_init(fk, needs, cfg->sysroot, false);
	if (cfg->format == FORMAT_PROM) {
		o.prom = prom_state_new();
		if (with_events) {
			ev.emit = prom_on_event;
			ev.userdata = o.prom;
		}
	}

	uint64_t next = clock_mono_usec();
	for (long long i = 0; cfg->count < 0 || i < cfg->count; i++) {
		if (i > 0) {
			next += cfg->interval_usec;
			uint64_t now = clock_mono_usec();
			if (next < now)
				next = now; /* fell behind: do not burst */
			if (forks_fd(fk) >= 0)
				wait_forks(fk, next);
			while (clock_sleep_until(next) == -EINTR)
				;
		}
		if (with_events)
			while (events_poll_kmsg(&ev, 1024) > 0)
				;
		uint64_t t0 = clock_mono_usec();
		sampler_tick(&s);
		forks_attribute(fk, &s);
		o.forks_overruns = forks_fd(fk) >= 0 ? (int64_t)fk->pc.dropped : -1;
		if (with_events) {
			events_settle(&ev, s.mono_usec);
			events_reconcile(&ev, &s);
		}
		if (cfg->format == FORMAT_PROM) {
			struct prom_info pi = { .state = o.prom,
						.events = with_events,
						.kmsg_open = o.kmsg_open,
						.forks_overruns = o.forks_overruns,
						.duration_usec = clock_mono_usec() - t0 };
			output_prom_sample(&o, &s, &pi);
		} else if (cfg->format == FORMAT_JSON)
			output_json_sample(&o, &s);
		else
			output_text_sample(&o, &s);
		o.samples++;
		if (fflush(o.out) != 0 || ferror(o.out)) {
			if (errno != EPIPE)
				fprintf(stderr, "cgtop: cannot write the output: %s\n", strerror(errno));
			status = EXIT_RUNTIME;
			break;
		}
	}

	if (with_events)
		events_done(&ev);
	forks_done(fk);
	free(fk);
	prom_state_free(o.prom);
	sampler_done(&s);
	buf_free(&o.line);
	cg_tree_close(&tree);
	return status;
}
