/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * procs-gate.h - when a v1 group's process list need not be read again.
 *
 * v1 cgroup.procs cannot be kept open (cg-files.c): every refresh opened,
 * read and closed it for every group, three system calls and a list the
 * kernel builds and sorts, for a count that changes only when
 *   - a process of the group forks or exits (the proc connector says so:
 *     procconn.h; the group is found among the lists read before), or
 *   - a cgroup.procs or tasks file of the hierarchy is written (a move: its
 *     destination's directory watch raises IN_MODIFY, cg-tree.c; its source
 *     is not said, so every list of the hierarchy is read anew).
 * CLONE_INTO_CGROUP is cgroup2's only.  So with both watched, a list is read
 * at a group's first sample, then only at the two samples after such an event
 * (the connector's fork event comes before the child is linked into its
 * groups, kernel/fork.c: the second read sees it), after an overrun of either
 * (every list, twice) and at least every PROCS_MAX_USEC, staggered: the moves
 * the kernel makes itself (a cpuset emptied by CPU hot-unplug) raise nothing.
 *
 * The gate is on only where nothing unwatched can take a process away: the
 * running kernel's v1 hierarchies on cgroupfs, mounted at their root, in the
 * initial cgroup namespace, shown from "/" with no group below --depth
 * (tree->procs_blind), a group whose directory is watched, and the connector
 * open (root: CAP_NET_ADMIN).  Elsewhere every list is read every refresh.
 * v1 pids.current of an empty subtree is gated the same way (below).
 * CGTOP_NO_PROCS_GATE=1 turns it off (the tests compare both).
 */
#ifndef CGTOP_PROCS_GATE_H
#define CGTOP_PROCS_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup/cgroup.h"

struct sampler;

/* A list is read at least this often, whatever the events said. */
#define PROCS_MAX_USEC 10000000ULL

/* Open the gate for sampler s if it can be on (see above): called before
 * the tree's second update, which then adds the watches it needs. */
void procs_gate_open(struct sampler *s);
void procs_gate_close(struct sampler *s);
/* At the start of a sample, after the tree's update: what the connector and
 * the watches said since the last one. */
void procs_gate_begin(struct sampler *s);
/* Whether this sample reads n's process list (CGF_PROCS); when it does not,
 * the list kept is given to s->on_procs as a read would. */
bool procs_gate_reads(struct sampler *s, struct cg_node *n);
/* n's list was read (text, len), or could not be (text NULL). */
void procs_gate_keep(struct sampler *s, struct cg_node *n, const char *text, size_t len);

/* The same for v1 pids.current, which counts the tasks of the subtree: while
 * it is 0 no task is there to fork, so only a write to a process list of the
 * hierarchy can change it (the kernel charges a zombie until it is reaped,
 * which no event says, so a count above 0 is read every sample). */
bool procs_gate_reads_pids(struct sampler *s, struct cg_node *n);
/* n's pids.current was read: 0 (empty), more, or not at all (!ok). */
void procs_gate_keep_pids(struct sampler *s, struct cg_node *n, bool ok, bool empty);

#endif
