/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * exporter.h - cgtop as a Prometheus exporter: /metrics over HTTP (--listen)
 * and node_exporter's textfile collector (--textfile).
 */
#ifndef CGTOP_EXPORTER_H
#define CGTOP_EXPORTER_H

#include "options.h"

/* Refresh interval of --listen and --textfile without -d: a common Prometheus
 * scrape interval.  Each refresh reads every file of every group. */
#define EXPORTER_DEFAULT_DELAY_USEC (15 * 1000000ull)

/* Run until SIGTERM or SIGINT (or -n textfile writes).  Returns an exit
 * status: 1 with one line on stderr when the address cannot be bound, the
 * directory cannot be written, or this build has no HTTP support. */
int exporter_main(const struct config *cfg);

#endif
