/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * events.h - OOM kills and fork rejections: the kernel log for the detail,
 * the cgroup counters for the truth, reconciled per group.
 */
#ifndef CGTOP_EVENTS_H
#define CGTOP_EVENTS_H

#include <stdio.h>

#include "fileio.h"
#include "kmsg-reader.h"
#include "options.h"
#include "sampler.h"

struct events {
	struct cg_tree *tree;        /* NULL when reading a saved log */
	struct kmsg_reader kr;
	bool kmsg_open;
	int kmsg_err;                /* why /dev/kmsg could not be opened */
	struct oom_parser parser;
	uint64_t lines_since_tick;
	double boot_wall;            /* wall-clock time of boot (live mode) */
	uint64_t reported_lost;
	/* where events go */
	void (*emit)(const struct cg_event *ev, double time, void *userdata);
	void *userdata;
	uint64_t n_events;
};

/* Live tracking over tree (may be NULL for a saved log).  Opens /dev/kmsg
 * under sysroot unless kmsg_file is given; never fails for lack of permission:
 * kmsg_open is then false and kmsg_err says why. */
int events_init(struct events *e, struct cg_tree *tree, const char *sysroot, const char *kmsg_file,
		bool since_boot);
void events_done(struct events *e);
/* Read what the kernel log has now (bounded batches).  Returns lines read. */
int events_poll_kmsg(struct events *e, unsigned max);
/* After a sample of the tree: compare the counters with what the log said,
 * report increases the log did not explain (source "counter"). */
void events_reconcile(struct events *e, const struct sampler *s);
/* End of a saved log: hand over a last line without newline. */
void events_finish(struct events *e);
/* End of input or of a quiet interval: emit a kill still pending. */
void events_flush(struct events *e);

/* Formatting of one event. */
void events_format_text(struct buf *b, const struct cg_event *ev, double time);
void events_format_json(struct buf *b, const struct cg_event *ev, double time);

/* `cgtop --events`: returns an exit status. */
int events_main(const struct config *cfg);

#endif
