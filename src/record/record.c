/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record.c - cgtop --record FILE: sample every group every -d seconds and
 * store each sample, with the events since the one before (the tracker of
 * --events), in one transaction (record-db.c), so a recorder killed
 * at any point leaves every sample but the one in flight.  SIGTERM, SIGINT
 * and SIGHUP end the loop after the sample being taken is committed.
 *
 * Which group of the tree is which row of the groups table is kept here by
 * path: a group seen in the last sample keeps its id, a group seen again
 * after it was gone gets a new one (a new group under an old name).  A new
 * row gets the group's name, kind and runtime fields (src/names) as they
 * are then.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "base/clock.h"
#include "base/json.h"
#include "base/macro.h"
#include "base/signals.h"
#include "events/events.h"
#include "names/names.h"
#include "output/output.h"
#include "record/record.h"
#include "sample/sampler.h"

/* a group of the recording: its row id, the sample it was last seen in and
 * the hashes of its last stored row and memory.stat */
struct rec_group {
	char *path;
	int64_t id;
	uint64_t seen;
	uint64_t row_hash;
	uint64_t stat_hash;
};

struct rec_groups {
	struct rec_group *g;
	size_t n, size; /* size: a power of two */
};

static uint64_t path_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static struct rec_group *groups_find(struct rec_groups *gs, const char *path)
{
	if (gs->n * 2 >= gs->size) { /* grow: keep it at most half full */
		struct rec_groups ng = { .size = gs->size ? gs->size * 2 : 1024 };
		ng.g = calloc(ng.size, sizeof(*ng.g));
		if (!ng.g)
			return NULL;
		for (size_t i = 0; i < gs->size; i++) {
			if (!gs->g[i].path)
				continue;
			size_t j = path_hash(gs->g[i].path) & (ng.size - 1);
			while (ng.g[j].path)
				j = (j + 1) & (ng.size - 1);
			ng.g[j] = gs->g[i];
		}
		free(gs->g);
		gs->g = ng.g;
		gs->size = ng.size;
	}
	size_t j = path_hash(path) & (gs->size - 1);
	while (gs->g[j].path) {
		if (strcmp(gs->g[j].path, path) == 0)
			return &gs->g[j];
		j = (j + 1) & (gs->size - 1);
	}
	gs->g[j].path = strdup(path);
	if (!gs->g[j].path)
		return NULL;
	gs->n++;
	return &gs->g[j];
}

static void groups_free(struct rec_groups *gs)
{
	for (size_t i = 0; i < gs->size; i++)
		free(gs->g[i].path);
	free(gs->g);
}

static int write_meta(struct rec_db *d, const struct config *cfg, const struct cg_tree *t, bool kmsg_open)
{
	struct utsname u;
	char v[64];
	int r;

	if (uname(&u) < 0)
		memset(&u, 0, sizeof(u));
	r = rec_db_meta(d, "host", u.nodename);
	if (r == 0)
		r = rec_db_meta(d, "kernel", u.release);
	if (r == 0)
		r = rec_db_meta(d, "cgroup_mode", cg_mode_name(t->hs.mode));
	if (r == 0)
		r = rec_db_meta(d, "version", PACKAGE_VERSION);
	snprintf(v, sizeof(v), "%g", cfg->interval_usec / 1e6);
	if (r == 0)
		r = rec_db_meta(d, "interval", v);
	snprintf(v, sizeof(v), "%d", RECORD_SCHEMA_VERSION);
	if (r == 0)
		r = rec_db_meta(d, "schema_version", v);
	if (r == 0)
		r = rec_db_meta(d, "path", cfg->path);
	if (r == 0)
		r = rec_db_meta(d, "kmsg_readable", kmsg_open ? "1" : "0");
	return r;
}

/* A recording being written from a sampler's loop (record.h): the file, the
 * groups' ids by path, the sample count. */
struct recorder {
	const struct config *cfg;
	const struct cg_tree *tree; /* the sampler's: the events' group names */
	struct rec_db *d;
	struct rec_groups gs;
	struct buf ctl;
	uint64_t gen;     /* samples stored by this run */
	double prev_time; /* of the last one */
	bool in_tx;       /* recorder_begin's transaction is open */
	int r;            /* the first failure to store an event */
	bool failed;      /* a write failed (and said so): nothing more is tried */
};

int recorder_open(const struct config *cfg, const char *file, struct recorder **ret)
{
	struct recorder *rc = xcalloc(1, sizeof(*rc));
	int r = rec_db_open(file, &rc->d);

	if (r < 0) {
		free(rc);
		return r;
	}
	rc->cfg = cfg;
	buf_init(&rc->ctl, 256);
	*ret = rc;
	return 0;
}

int recorder_start(struct recorder *rc, const struct cg_tree *t, bool kmsg_open)
{
	int r = rec_db_begin(rc->d);

	rc->tree = t;
	if (r == 0)
		r = write_meta(rc->d, rc->cfg, t, kmsg_open);
	if (r == 0)
		r = rec_db_close_open_groups(rc->d);
	if (r == 0)
		r = rec_db_commit(rc->d);
	rc->failed = r < 0;
	return r;
}

int recorder_begin(struct recorder *rc)
{
	if (rc->failed)
		return -EIO; /* said once */
	int r = rc->in_tx ? 0 : rec_db_begin(rc->d);

	if (r == 0)
		rc->in_tx = true;
	else
		rc->failed = true;
	return r;
}

void recorder_event(const struct cg_event *ev, double time, void *userdata)
{
	struct recorder *rc = userdata;
	const char *path = ev->task_cgroup[0] ? ev->task_cgroup : ev->cgroup;

	/* named as live --events names it, so --events --replay prints the
	 * JSON live --events printed (a container gone since keeps its name) */
	if (rc->r == 0)
		rc->r = rec_db_event(rc->d, ev, time, rc->tree ? names_of_path(rc->tree, path) : NULL);
}

int recorder_sample(struct recorder *rc, const struct sampler *s)
{
	const struct cg_tree *t = s->tree;
	int r = recorder_begin(rc);

	rc->gen++;
	if (r == 0)
		r = rc->r;
	if (r == 0)
		r = rec_db_tick(rc->d, s->wall);
	for (struct cg_node *n = t->top; n && r == 0; n = cg_tree_next(t, n)) {
		struct rec_group *g = groups_find(&rc->gs, n->path);
		if (!g) {
			r = -ENOMEM;
			break;
		}
		if (g->seen + 1 != rc->gen || !g->id) { /* new, or back after it was gone */
			/* its name is looked up once, and kept by the node */
			const struct group_name *gn = names_of(t, n);
			rc->ctl.len = 0;
			output_json_controllers(&rc->ctl, t, n);
			r = rec_db_group_new(rc->d, n->path, s->wall, rc->ctl.data, n->from_proc, gn, &g->id);
			g->row_hash = g->stat_hash = 0;
		}
		g->seen = rc->gen;
		/* pruned in this sample and the one before (the sampler's quiet
		 * prune): every value as in the last row hashed, no need to
		 * hash it again */
		if (r == 0 && g->row_hash && sampler_unchanged(s, n))
			continue;
		if (r == 0) {
			r = rec_db_sample(rc->d, s->wall, g->id, n, &g->row_hash);
			if (r > 0)
				r = 0; /* stored; 0: unchanged */
		}
		/* memory.stat when the sampler's map tier read it (record_map_usec) */
		if (r == 0 && sampler_map_fresh(s, n)) {
			r = rec_db_memory_stat(rc->d, s->wall, g->id, n, &g->stat_hash);
			if (r > 0)
				r = 0;
		}
	}
	for (size_t i = 0; i < rc->gs.size && r == 0; i++)
		if (rc->gs.g[i].path && rc->gs.g[i].id && rc->gs.g[i].seen + 1 == rc->gen) {
			r = rec_db_group_gone(rc->d, rc->gs.g[i].id, rc->prev_time);
			rc->gs.g[i].id = 0;
		}
	if (r == 0)
		r = rec_db_retain(rc->d, s->wall, rc->cfg->retain_sec, rc->cfg->retain_bytes);
	if (r == 0)
		r = rec_db_commit(rc->d);
	rc->in_tx = false;
	rc->prev_time = s->wall;
	if (r < 0)
		rc->failed = true;
	return r;
}

/* At the end: the kills the events tracker still holds back for their group
 * (it waits two samples for a counter to join) are stored as they are, and
 * the groups still there get the last sample as their last. */
int recorder_close(struct recorder *rc, struct events *ev)
{
	int r = 0;

	if (!rc)
		return 0;
	if (rc->in_tx && !rc->failed)
		rec_db_commit(rc->d);
	if (rc->gen > 0 && !rc->failed) {
		r = rec_db_begin(rc->d);
		if (r == 0 && ev) {
			while (events_poll_kmsg(ev, 1024) > 0)
				;
			events_end(ev);
			r = rc->r;
		}
		for (size_t i = 0; i < rc->gs.size && r == 0; i++)
			if (rc->gs.g[i].path && rc->gs.g[i].id && rc->gs.g[i].seen == rc->gen)
				r = rec_db_group_gone(rc->d, rc->gs.g[i].id, rc->prev_time);
		if (r == 0)
			r = rec_db_commit(rc->d);
	}
	rec_db_close(rc->d);
	groups_free(&rc->gs);
	buf_free(&rc->ctl);
	free(rc);
	return r;
}

/* A stop signal pending (taken off), without waiting. */
static bool stop_pending(struct signals *sig)
{
	int s;

	while ((s = signals_next(sig)) > 0)
		if (signals_stops(s))
			return true;
	return false;
}

/* Sleep until the deadline; false when a stop signal came first. */
static bool sleep_until(struct signals *sig, uint64_t deadline_usec)
{
	for (uint64_t now; (now = clock_mono_usec()) < deadline_usec;) {
		uint64_t ms = (deadline_usec - now + 999) / 1000;
		struct pollfd p = { .fd = sig->fd, .events = POLLIN };

		/* without a signalfd, a signal is looked for every 100 ms */
		poll(&p, sig->fd >= 0 ? 1 : 0, ms > 100 && sig->fd < 0 ? 100 : (int)ms);
		if (stop_pending(sig))
			return false;
	}
	return true;
}

uint64_t record_map_usec(void)
{
	const char *e = getenv("CGTOP_TEST_MEMORY_STAT_EVERY");
	double sec = e && *e ? strtod(e, NULL) : 0;

	/* memory.stat is most of a sample's bytes and of its reads, and looked
	 * at when a group is examined, not second by second */
	return sec > 0 && sec < 1e6 ? (uint64_t)(sec * 1e6) : 60000000ULL;
}

unsigned record_needs(void)
{
	unsigned needs = NEED_EVENTS;

	for (int c = 0; c < _COL_MAX; c++)
		if (c != COL_EVENTS)
			needs |= columns[c].needs;
	return needs;
}

int record_main(const struct config *cfg)
{
	struct signals sig;
	struct cg_tree tree;
	struct sampler s;
	struct recorder *rc = NULL;
	unsigned needs = record_needs();
	struct events ev;
	int status, r;

	signals_open(&sig, NULL);

	/* the file first, checked without a write: a bad one is refused before
	 * anything else is done; then the groups, and only then the file opened
	 * for writing, so a bad PATH leaves no file made and none changed */
	if (rec_db_check_writable(cfg->record_file) < 0) {
		signals_close(&sig, true);
		return EXIT_RUNTIME;
	}
	status = output_open_tree(cfg, &tree);
	if (status != EXIT_OK) {
		signals_close(&sig, true);
		return status;
	}
	r = recorder_open(cfg, cfg->record_file, &rc);
	if (r < 0) {
		cg_tree_close(&tree);
		signals_close(&sig, true);
		return EXIT_RUNTIME;
	}
	sampler_init(&s, &tree, needs, cfg->interval_usec);
	s.map_usec = record_map_usec();
	/* a subtree where nothing ran is read on every 5th turn of the map
	 * tier only (5 minutes): at 60 s a 12th of an idle fleet was read in
	 * full at every sample of -d 5, most of the recorder's CPU */
	s.quiet_usec = 5 * s.map_usec;
	/* OOM kills and fork rejections as --events sees them: the kernel log
	 * when cgtop may read it, the groups' counters in any case */
	events_init(&ev, &tree, cfg->sysroot, NULL, false);
	events_attach(&ev, &s);
	ev.emit = recorder_event;
	ev.userdata = rc;

	r = recorder_start(rc, &tree, ev.kmsg_open);
	uint64_t next = clock_mono_usec();
	for (long long i = 0; r == 0 && (cfg->count < 0 || i < cfg->count); i++) {
		if (i > 0) {
			next += cfg->interval_usec;
			uint64_t now = clock_mono_usec();
			if (next < now)
				next = now; /* fell behind: do not burst */
			if (!sleep_until(&sig, next))
				break;
		} else if (stop_pending(&sig)) {
			break;
		}
		/* the sample and the events since the last one in one transaction */
		r = recorder_begin(rc);
		if (r < 0)
			break;
		while (events_poll_kmsg(&ev, 1024) > 0)
			;
		sampler_tick(&s);
		events_settle(&ev, s.mono_usec);
		events_reconcile(&ev, &s);
		r = recorder_sample(rc, &s);
	}
	if (recorder_close(rc, &ev) < 0)
		r = -EIO;
	if (r < 0)
		status = EXIT_RUNTIME;

	events_done(&ev);
	sampler_done(&s);
	cg_tree_close(&tree);
	signals_close(&sig, true);
	return status;
}
