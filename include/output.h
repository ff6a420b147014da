/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output.h - batch output: the sampling loop and the text and JSON writers.
 */
#ifndef CGTOP_OUTPUT_H
#define CGTOP_OUTPUT_H

#include <stdio.h>

#include "fileio.h"
#include "options.h"
#include "sampler.h"

struct output {
	const struct config *cfg;
	FILE *out;
	bool tty;
	unsigned samples;
	struct buf line; /* reused for every line */
	bool kmsg_open;  /* the kernel log is read (events column) */
};

/* Run batch mode; returns an exit status. */
int output_batch(const struct config *cfg);

void output_text_sample(struct output *o, const struct sampler *s);
void output_json_sample(struct output *o, const struct sampler *s);

#endif
