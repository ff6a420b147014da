/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-events-settle.c - unit tests of events_settle (src/events/events.c), the
 * end of a refresh in every live loop (recorder, batch, exporter, dashboard,
 * --events).  The kernel writes an OOM report line by line; a refresh that
 * falls between its "oom-kill:" summary and its "Killed process" line must
 * not cut the kill: the kill comes out once, whole, with the sizes of its
 * last line.  Only a report the log left unfinished for EV_SETTLE_USEC goes
 * out as far as it got.  The lines are a real kill of a 6.1 kernel
 * (tests/data/kmsg/qemu-v2-6.1/kmsg.raw, /dev/kmsg's own records), fed
 * through a file that grows between refreshes as the kernel log would.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "events/events.h"
#include "../tap.h"
#include "testdata.h"

static struct {
	unsigned n;
	int64_t pid;
	int64_t anon_rss_kb;
	int64_t mem_limit_kb;
	char cgroup[EV_PATH_MAX];
} got;

static void on_event(const struct cg_event *ev, double time, void *ud)
{
	(void)time;
	(void)ud;
	if (ev->kind != EV_OOM_KILL)
		return;
	got.n++;
	got.pid = ev->pid;
	got.anon_rss_kb = ev->anon_rss_kb;
	got.mem_limit_kb = ev->mem_limit_kb;
	snprintf(got.cgroup, sizeof(got.cgroup), "%s", ev->cgroup);
}

/* Line number first..last (from 1) of text, appended to fd. */
static void append_lines(int fd, const char *text, size_t len, unsigned first, unsigned last)
{
	const char *p = text, *end = text + len;

	for (unsigned ln = 1; p < end && ln <= last; ln++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

		if (ln >= first && write(fd, p, l) != (ssize_t)l) {
			printf("Bail out! cannot write the log file: %s\n", strerror(errno));
			exit(1);
		}
		p += l;
	}
}

/* The number of the first line of text that holds s, 0 none. */
static unsigned line_of(const char *text, size_t len, const char *s)
{
	const char *p = text, *end = text + len;

	for (unsigned ln = 1; p < end; ln++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (memmem(p, l, s, strlen(s)))
			return ln;
		p += l + 1;
	}
	return 0;
}

static void drain(struct events *e)
{
	while (events_poll_kmsg(e, 4096) > 0)
		;
}

int main(void)
{
	size_t len;
	const char *raw = load("kmsg/qemu-v2-6.1/kmsg.raw", &len);
	/* the first kill: its report from the "invoked oom-killer" line to the
	 * "Killed process" line, then the start of the second one */
	unsigned invoked = line_of(raw, len, "a b,c(d) invoked oom-killer");
	unsigned summary = line_of(raw, len, "task=a b,c(d),pid=197,uid=0");
	unsigned killed = line_of(raw, len, "Killed process 197 ");
	unsigned summary2 = line_of(raw, len, "task=x)y (z,pid=204,uid=0");
	char path[] = "/tmp/cgtop-test-settle.XXXXXX";
	int fd = mkstemp(path);
	struct events e;

	if (!invoked || summary <= invoked || killed != summary + 1 || summary2 <= killed) {
		printf("Bail out! kmsg/qemu-v2-6.1/kmsg.raw is not the capture this test knows\n");
		return 1;
	}
	if (fd < 0 || events_init(&e, NULL, NULL, path, false) < 0) {
		printf("Bail out! cannot make or read %s\n", path);
		return 1;
	}
	e.emit = on_event;

	/* the report up to its summary line: a refresh comes */
	append_lines(fd, raw, len, 1, summary);
	drain(&e);
	events_settle(&e, clock_mono_usec());
	is_int(got.n, 0, "a refresh between the summary and the \"Killed process\" line: the kill waits");
	events_settle(&e, e.last_line_usec + EV_SETTLE_USEC - 1);
	is_int(got.n, 0, "it still waits just short of EV_SETTLE_USEC of a quiet log");

	/* the kernel writes the rest */
	append_lines(fd, raw, len, killed, killed);
	drain(&e);
	events_settle(&e, clock_mono_usec());
	is_int(got.n, 1, "the kill comes out at the refresh that read its last line");
	is_int(got.pid, 197, "its victim");
	is_int(got.anon_rss_kb, 32508, "its anon-rss, from the \"Killed process\" line");
	is_int(got.mem_limit_kb, 32768, "its limit, from the report's usage line");
	is_str(got.cgroup, "/kmsgcap-131/oom32", "its group");
	events_settle(&e, e.last_line_usec + EV_SETTLE_USEC);
	is_int(got.n, 1, "and only once");

	/* the second report, cut after its summary: it goes out as it is, once the
	 * log has been quiet for EV_SETTLE_USEC */
	memset(&got, 0, sizeof(got));
	append_lines(fd, raw, len, killed + 1, summary2);
	drain(&e);
	events_settle(&e, clock_mono_usec());
	is_int(got.n, 0, "a second report up to its summary: nothing yet");
	events_settle(&e, e.last_line_usec + EV_SETTLE_USEC);
	is_int(got.n, 1, "after EV_SETTLE_USEC without a line: the cut kill goes out");
	is_int(got.pid, 204, "with its victim, from the summary");
	is_int(got.anon_rss_kb, -1, "without the sizes its missing line would have given");
	events_settle(&e, e.last_line_usec + 2 * EV_SETTLE_USEC);
	is_int(got.n, 1, "and only once");

	events_end(&e);
	events_done(&e);
	close(fd);
	unlink(path);
	return tap_done();
}
