/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output.h - batch output: the sampling loop and the text, JSON and Prometheus
 * writers.
 */
#ifndef CGTOP_OUTPUT_H
#define CGTOP_OUTPUT_H

#include <stdio.h>

#include "base/fileio.h"
#include "options.h"
#include "sample/sampler.h"

struct output {
	const struct config *cfg;
	FILE *out;
	bool tty;
	unsigned samples;
	struct buf line;         /* reused for every line */
	bool kmsg_open;          /* the kernel log is read (events column) */
	struct prom_state *prom; /* --format prometheus: the last OOM victims */
	int64_t forks_overruns;  /* the proc connector's overruns (forks column), -1 off */
};

/* What the Prometheus writer needs besides the sample. */
struct prom_info {
	const struct prom_state *state; /* last OOM victims, or NULL */
	bool events;                    /* the events column is selected */
	bool kmsg_open;                 /* the kernel log is read */
	uint64_t duration_usec;         /* time the sample took */
	int64_t forks_overruns;         /* the proc connector's overruns, -1 off or not shown */
};

/* Run batch mode; returns an exit status. */
int output_batch(const struct config *cfg);

void output_text_sample(struct output *o, const struct sampler *s);
void output_json_sample(struct output *o, const struct sampler *s);
/* The JSON value of one field of the column table (null when not available):
 * the flight recorder stores maps and pressure as this text. */
struct col_field;
void output_json_value(struct buf *b, const struct cg_node *n, const struct col_field *f, bool kmsg_open);
/* A value of a scalar kind (counts, bytes, limits with "max", CPUs, percents,
 * rates, words): the one JSON spelling of each kind, for live values and for
 * recorded ones (record-replay.c).  false, writing nothing, for the other
 * kinds (maps, PSI, an ancestor's path, info). */
bool output_json_scalar(struct buf *b, enum col_kind kind, const struct col_value *x);
/* The JSON object of the psi key from the three pressure files (p: [3],
 * cpu, memory, io; valid: bit i set when file i was read). */
struct psi;
void output_json_psi(struct buf *b, const struct psi *p, unsigned valid);
/* Appends n's "controllers" array as batch JSON prints it (controllers, then
 * named hierarchies). */
void output_json_controllers(struct buf *b, const struct cg_tree *t, const struct cg_node *n);

/* Prometheus (output-prom.c). */
struct cg_event;
struct prom_state *prom_state_new(void);
void prom_state_free(struct prom_state *ps);
/* events.emit callback (userdata: the prom_state): remembers the last OOM
 * victim of each group the kernel log names. */
void prom_on_event(const struct cg_event *ev, double time, void *userdata);
/* Append name="value" (a label of a sample) to b: backslash, double quote and
 * newline escaped as the format requires; a byte that is not well-formed UTF-8
 * and a control character other than the newline become U+FFFD, and then
 * name_hex="..." follows with the exact bytes (two hex digits each), so that
 * two names never give one series (output-prom-label.c). */
void prom_label(struct buf *b, const char *name, const char *value);
/* Append one exposition of sample s to b. */
void prom_render(struct buf *b, const struct config *cfg, const struct sampler *s,
		 const struct prom_info *pi);
/* The exposition in parts, for streaming it: where the last part ended.  The
 * tree must not change between the parts (no sample). */
struct prom_cursor {
	unsigned col;                /* index into cfg->col_order */
	const struct col_field *f;   /* the family, NULL: column not started */
	const struct prom_metric *g; /* the global family */
	struct cg_node *n;           /* the next group of the family */
	bool started, head, globals;
};
void prom_cursor_init(struct prom_cursor *c);
/* Append to b until b->len reaches want or the exposition ends; true at the end. */
bool prom_render_step(struct buf *b, const struct config *cfg, const struct sampler *s,
		      const struct prom_info *pi, struct prom_cursor *c, size_t want);
void output_prom_sample(struct output *o, const struct sampler *s, const struct prom_info *pi);
/* Open the tree of cfg, saying why not in one line; returns an exit status. */
int output_open_tree(const struct config *cfg, struct cg_tree *tree);

#endif
