/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proclist.h - the processes of one group for the detail view: pid, command,
 * RSS and state from /proc/PID/stat and /proc/PID/statm (parsing apart from I/O).
 * STUB: to be written.
 */
#ifndef CGTOP_PROCLIST_H
#define CGTOP_PROCLIST_H
#endif
