/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * events-main.c - `cgtop --events`: one line per OOM kill or fork rejection.
 *
 * From a saved log (--kmsg-file) it reads to the end of the file (or follows
 * it), and prints the events in time order: a log's events come out of the
 * parser in the order of the lines that completed them, and a kill whose report
 * was cut short is only known to be over at the next report, after events that
 * came later.  A window of ORDER_WINDOW events, kept sorted, is enough for
 * that: memory stays bounded however long the log is (an event further out of
 * place than that is printed where it stands).  Live, one poll() loop waits on
 * /dev/kmsg, a signalfd and the refresh timer: the kernel log is drained in
 * bounded batches as it comes, and every interval the groups' counters are read
 * and reconciled with it.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "events/events.h"
#include "base/macro.h"
#include "names/names.h"
#include "base/clock.h"
#include "base/signals.h"

#define ORDER_WINDOW 8
/* how far back an event may be put: further than that, it starts a new part of the log */
#define ORDER_TS_HORIZON_USEC (600 * 1000000LL)
#define ORDER_SEQ_HORIZON 100000
#define FLUSH_BYTES (1 << 18)
/* the groups of a saved log whose names are kept (a lookup costs a few open()s under --sysroot,
 * and a log comes back to the same groups): slots of a hash table, at most NAMED_MAX in use,
 * all dropped when that many were named */
#define NAMED_SLOTS 512
#define NAMED_MAX 384

/* An event still in the window: when it happened, and where its text starts in sink.line. */
struct order_key {
	uint64_t seq;
	int64_t wall_sec, ts_usec;
	size_t off;
};

/* A group of a saved log and its name (event_names_path()). */
struct named {
	bool has;
	struct group_name name;
	size_t len;  /* of path */
	char path[]; /* the kernel's path of the group */
};

struct sink {
	const struct config *cfg;
	struct buf line; /* events formatted, not yet written */
	struct buf move; /* the text of an event on its way to its place */
	bool live;       /* write each event at once */
	bool ordered;    /* a saved log: the last events in line may still change places */
	bool write_failed;
	struct order_key keys[ORDER_WINDOW]; /* those events, earliest first, from keys[head] on */
	unsigned head, n;
	const struct cg_tree *tree; /* live: the groups, whose names events carry */
	/* from a saved log: the paths named, and their names (event_names_path()) */
	struct named **named; /* NAMED_SLOTS of them, allocated at the first event */
	unsigned named_n;
};

#define KEY(k, i) (&(k)->keys[((k)->head + (i)) % ORDER_WINDOW])

/* Writes out line up to byte upto (what can no longer move). */
static void sink_write(struct sink *k, size_t upto)
{
	if (upto && fwrite(k->line.data, 1, upto, stdout) != upto)
		k->write_failed = true;
	memmove(k->line.data, k->line.data + upto, k->line.len - upto);
	k->line.len -= upto;
	for (unsigned i = 0; i < k->n; i++)
		KEY(k, i)->off -= upto;
}

static void sink_flush(struct sink *k)
{
	k->n = 0;
	sink_write(k, k->line.len);
	if (fflush(stdout) != 0)
		k->write_failed = true;
}

/*
 * Whether a happened before b, by what both carry: the kernel's sequence number (the order
 * it logged them), else the wall-clock time (a log of several boots restarts the kernel's time
 * stamps), else the time since boot.  Neither: not before, so the log's order stands.
 */
static bool before(const struct order_key *a, const struct order_key *b)
{
	if (a->seq != UINT64_MAX && b->seq != UINT64_MAX)
		return a->seq < b->seq;
	if (a->wall_sec >= 0 && b->wall_sec >= 0 && a->wall_sec != b->wall_sec)
		return a->wall_sec < b->wall_sec;
	if (a->ts_usec >= 0 && b->ts_usec >= 0)
		return a->ts_usec < b->ts_usec;
	return false;
}

/*
 * Whether a comes from a later part of a log than b although it is far earlier: a log of two
 * boots, or two logs one after the other, without wall-clock time.  Events are not reordered
 * across that: the kernel's time stamps and sequence numbers start again at each boot.
 */
static bool far_before(const struct order_key *a, const struct order_key *b)
{
	if (a->seq != UINT64_MAX && b->seq != UINT64_MAX)
		return a->seq + ORDER_SEQ_HORIZON < b->seq;
	if (a->wall_sec >= 0 && b->wall_sec >= 0)
		return false;
	return a->ts_usec >= 0 && b->ts_usec >= 0 && a->ts_usec + ORDER_TS_HORIZON_USEC < b->ts_usec;
}

/* The text of the newest event (at key.off, the end of line) goes before the event at place j
 * of the window (n < ORDER_WINDOW): the texts and keys from there on move up to make room
 * (seldom: a log is nearly in order). */
static void order_move(struct sink *k, struct order_key *key, unsigned j)
{
	size_t at = KEY(k, j)->off, len = k->line.len - key->off;

	buf_set(&k->move, k->line.data + key->off, len);
	memmove(k->line.data + at + len, k->line.data + at, key->off - at);
	memcpy(k->line.data + at, k->move.data, len);
	for (unsigned i = k->n; i > j; i--) {
		*KEY(k, i) = *KEY(k, i - 1);
		KEY(k, i)->off += len;
	}
	key->off = at;
}

/* The name of an event's group as its JSON's last member (g NULL: none). */
static void append_name(struct sink *k, const struct group_name *g)
{
	if (!g || k->line.len < 2 || memcmp(k->line.data + k->line.len - 2, "}\n", 2))
		return;
	k->line.len -= 2;
	names_json_object(&k->line, "group_name", g);
	buf_append(&k->line, "}\n", 2);
}

static void named_clear(struct sink *k)
{
	for (unsigned i = 0; k->named && i < NAMED_SLOTS; i++) {
		free(k->named[i]);
		k->named[i] = NULL;
	}
	k->named_n = 0;
}

/* From a saved log (--kmsg-file) there is no tree: the path alone, with the
 * runtimes' files under --sysroot (or this host's), names the group or its
 * nearest named ancestor, as names_lookup() would name a live group (the
 * group itself need not exist).  The answer for each path is kept. */
static void event_names_path(struct sink *k, const struct cg_event *ev)
{
	const char *path = ev->task_cgroup[0] ? ev->task_cgroup : ev->cgroup;
	const char *root = k->cfg->sysroot && strcmp(k->cfg->sysroot, "/") ? k->cfg->sysroot : "";
	size_t len = strlen(path), j;
	uint64_t h = 14695981039346656037ULL; /* FNV-1a, eight bytes a step: paths are long */
	struct named *c;
	unsigned i;

	if (!path[0] || len >= 4096)
		return;
	if (!k->named)
		k->named = xcalloc(NAMED_SLOTS, sizeof(*k->named));
	for (j = 0; j + 8 <= len; j += 8) {
		uint64_t w;

		memcpy(&w, path + j, 8);
		h = (h ^ w) * 1099511628211ULL;
	}
	for (; j < len; j++)
		h = (h ^ (unsigned char)path[j]) * 1099511628211ULL;
	h ^= h >> 32;
	for (i = (unsigned)(h % NAMED_SLOTS); k->named[i]; i = (i + 1) % NAMED_SLOTS) {
		c = k->named[i];
		if (c->len == len && !memcmp(path, c->path, len)) {
			append_name(k, c->has ? &c->name : NULL);
			return;
		}
	}
	if (k->named_n == NAMED_MAX) {
		named_clear(k);
		i = (unsigned)(h % NAMED_SLOTS);
	}
	c = xmalloc(sizeof(*c) + len + 1);
	c->len = len;
	memcpy(c->path, path, len + 1);
	c->has = false;
	k->named[i] = c;
	k->named_n++;

	char p[4096];
	memcpy(p, path, len + 1);
	for (char *slash; !c->has && p[0] == '/' && p[1];) {
		c->has = names_lookup(root, p, &c->name);
		slash = strrchr(p, '/');
		if (slash)
			slash[slash == p] = 0;
	}
	append_name(k, c->has ? &c->name : NULL);
}

/* Live, a JSON event also says which container, pod or unit it happened in:
 * the name (names.h) of the victim's own group (the forking group), or of the
 * nearest of its ancestors that has one, as the event's last member "group_name".
 * Looked up when the groups appeared (live()), so a container removed right
 * after its kill is still named.  A group that came and went between two
 * samples (a container killed as it started, its init with it) was never in
 * the tree: it is named from the runtimes' files by its path, as from a saved
 * log, while they still hold it. */
static void event_names(struct sink *k, const struct cg_event *ev)
{
	const char *path = ev->task_cgroup[0] ? ev->task_cgroup : ev->cgroup;

	if (path[0] && !cg_tree_find(k->tree, path))
		event_names_path(k, ev);
	else
		append_name(k, names_of_path(k->tree, path));
}

/* Events are gathered in one buffer and written in large blocks (no copy through stdio's
 * buffer); live, each event is written at once; from a saved log, the last ORDER_WINDOW
 * events stay in the buffer, where a late one can still be put before them. */
static void emit(const struct cg_event *ev, double time, void *userdata)
{
	struct sink *k = userdata;
	struct order_key key = { ev->seq, ev->wall_sec, ev->kernel_ts_usec, k->line.len };
	unsigned j;

	if (!events_in_path(ev->cgroup, ev->task_cgroup, k->cfg->path))
		return;
	if (k->cfg->format == FORMAT_JSON) {
		events_format_json(&k->line, ev, time);
		if (k->tree)
			event_names(k, ev);
		else
			event_names_path(k, ev);
	} else if (k->cfg->explain)
		events_format_explain(&k->line, ev, time);
	else
		events_format_text(&k->line, ev, time);
	if (k->live) {
		sink_flush(k);
		return;
	}
	if (k->ordered) {
		if (k->n && far_before(&key, KEY(k, k->n - 1)))
			k->n = 0; /* a new part of the log: what came before stays before */
		if (k->n == ORDER_WINDOW) {
			/* the earliest can no longer move */
			k->head = (k->head + 1) % ORDER_WINDOW;
			k->n--;
		}
		for (j = k->n; j > 0 && before(&key, KEY(k, j - 1)); j--)
			;
		if (j < k->n)
			order_move(k, &key, j);
		*KEY(k, j) = key;
		k->n++;
	}
	if (k->line.len >= FLUSH_BYTES)
		sink_write(k, k->n ? KEY(k, 0)->off : k->line.len);
}

static int from_file(const struct config *cfg, struct sink *k)
{
	struct events e;
	struct signals sig = { .fd = -1 };
	int r, status = EXIT_OK;
	const struct kmsg_paste *ps;

	r = events_init(&e, NULL, NULL, cfg->kmsg_file, false);
	if (r < 0) {
		fprintf(stderr, "cgtop: cannot read the kernel log '%s': %s\n", cfg->kmsg_file, strerror(-r));
		return EXIT_RUNTIME;
	}
	e.emit = emit;
	e.userdata = k;
	k->ordered = true;
	if (cfg->follow)
		signals_open(&sig, NULL);
	for (;;) {
		int n = events_poll_kmsg(&e, 4096);
		if (n < 0) {
			fprintf(stderr, "cgtop: cannot read the kernel log '%s': %s\n", cfg->kmsg_file,
				strerror(-n));
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
		events_settle(&e, clock_mono_usec());
		sink_flush(k);
		struct pollfd p = { .fd = sig.fd, .events = POLLIN };
		if (poll(&p, 1, 250) > 0 && signals_stops(signals_next(&sig)))
			break; /* a signal: stop */
	}
	events_finish(&e);
	events_flush(&e);
	sink_flush(k);
	if (e.kr.bad)
		fprintf(stderr, "cgtop: %llu line%s of '%s' skipped (not text, or longer than %d bytes)\n",
			(unsigned long long)e.kr.bad, e.kr.bad == 1 ? "" : "s", cfg->kmsg_file,
			KMSG_LINE_MAX);
	ps = e.kr.paste;
	if (ps->dropped)
		fprintf(stderr,
			"cgtop: %llu kernel log record%s of '%s' skipped: a line wrap may have cut %s "
			"(the first at line %llu)\n",
			(unsigned long long)ps->dropped, ps->dropped == 1 ? "" : "s", cfg->kmsg_file,
			ps->dropped == 1 ? "it" : "them", (unsigned long long)ps->first_dropped);
	if (!e.n_events && !ps->dropped && ps->records == ps->plain && ps->plain <= e.kr.bad) {
		/* an empty input (journalctl -k without a journal prints only "-- No entries --"),
		 * no line in any framing, or fewer lines of plain text (a log without time stamps)
		 * than of binary: not a kernel log, and no news of no kills either */
		fprintf(stderr, "cgtop: no kernel log record in '%s' (%llu line%s read)\n", cfg->kmsg_file,
			(unsigned long long)e.kr.records, e.kr.records == 1 ? "" : "s");
		status = EXIT_RUNTIME;
	}
	events_done(&e);
	if (cfg->follow)
		signals_close(&sig, true);
	return k->write_failed ? EXIT_RUNTIME : status;
}

static int live(const struct config *cfg, struct sink *k)
{
	struct cg_tree tree;
	struct sampler s;
	struct events e;
	struct signals sig;
	int r, status = EXIT_OK;

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
	k->tree = &tree;
	e.emit = emit;
	e.userdata = k;
	k->live = true;
	if (!e.kmsg_open)
		fprintf(stderr,
			"cgtop: cannot read /dev/kmsg (%s): %s; reporting OOM kills and rejected forks "
			"from the cgroup counters only, without victims' names\n",
			strerror(-e.kmsg_err), kmsg_reader_denied_hint(e.kmsg_err));
	/* the counters, and the process lists that place a kill the kernel
	 * reported without its group (pids limits are read when a fork fails) */
	sampler_init(&s, &tree, NEED_EVENTS | NEED_TASKS, cfg->interval_usec);
	events_attach(&e, &s);
	/* the proc connector: who forked, for fork rejections and storms */
	struct forks *fk = xmalloc(sizeof(*fk));
	forks_init(fk, NEED_FORKS, cfg->sysroot, true);
	if (fk->pc.err)
		fprintf(stderr, "cgtop: %s (fork events name no parents, no fork_storm events)\n",
			procconn_off_reason(fk->pc.err));
	events_attach_forks(&e, fk, cfg->fork_storm);
	signals_open(&sig, NULL);

	/* the backlog (--since boot) first, then the counters' starting point */
	if (cfg->since_boot) {
		events_read_backlog(&e);
	} else {
		while (events_poll_kmsg(&e, 4096) > 0)
			;
		events_flush(&e);
	}
	sampler_tick(&s);
	names_tree(&tree);
	forks_attribute(fk, &s);
	events_reconcile(&e, &s);

	uint64_t next = clock_mono_usec() + cfg->interval_usec;
	for (long long ticks = 1; !cfg->count_given || ticks < cfg->count;) {
		uint64_t now = clock_mono_usec();
		int timeout = next > now ? (int)((next - now + 999) / 1000) : 0;
		struct pollfd p[3] = {
			{ .fd = sig.fd, .events = POLLIN },
			{ .fd = e.kmsg_open ? e.kr.fd : -1, .events = POLLIN },
			{ .fd = forks_fd(fk), .events = POLLIN },
		};
		r = poll(p, 3, timeout);
		if (r < 0 && errno != EINTR)
			break;
		if ((p[0].revents & POLLIN) && signals_stops(signals_next(&sig)))
			break; /* SIGINT, SIGTERM, SIGHUP: stop cleanly */
		/* the forks first: a fork rejection read from the log then finds
		 * the forks that led to it (its top forkers) */
		if (p[2].revents)
			forks_poll(fk); /* bounded */
		if (p[1].revents & (POLLIN | POLLERR))
			events_poll_kmsg(&e, 256); /* bounded too: a flood cannot starve the rest */
		if (k->write_failed) {
			status = EXIT_RUNTIME;
			break;
		}
		if (clock_mono_usec() < next)
			continue;
		/* the interval: drain the log, then read the counters */
		while (events_poll_kmsg(&e, 1024) > 0 && clock_mono_usec() < next + cfg->interval_usec / 2)
			;
		events_settle(&e, clock_mono_usec());
		sampler_tick(&s);
		names_tree(&tree);
		forks_attribute(fk, &s);
		events_reconcile(&e, &s);
		fflush(stdout);
		next += cfg->interval_usec;
		if (next < clock_mono_usec())
			next = clock_mono_usec() + cfg->interval_usec;
		ticks++;
	}
	events_end(&e);
	fflush(stdout);
	signals_close(&sig, true);
	sampler_done(&s);
	events_done(&e);
	k->tree = NULL;
	forks_done(fk);
	free(fk);
	cg_tree_close(&tree);
	return status;
}

int events_main(const struct config *cfg)
{
	struct sink k = { .cfg = cfg };
	int r;

	buf_init(&k.line, 16384);
	buf_init(&k.move, 4096);
	r = cfg->kmsg_file ? from_file(cfg, &k) : live(cfg, &k);
	buf_free(&k.line);
	buf_free(&k.move);
	named_clear(&k);
	free(k.named);
	return r;
}
