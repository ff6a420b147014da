/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * procconn.h - the kernel's proc connector (netlink NETLINK_CONNECTOR,
 * CN_IDX_PROC, CONFIG_PROC_EVENTS): fork, exec and exit events as they
 * happen, counted per forking parent in a fixed table.  The parser of a
 * datagram (parse-procconn.c) is apart from the socket (procconn.c).
 */
#ifndef CGTOP_PROCCONN_H
#define CGTOP_PROCCONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pc_kind {
	PC_FORK,
	PC_EXEC,
	PC_EXIT,
	PC_ACK,   /* PROC_EVENT_NONE: the answer to a listen request */
	PC_OTHER, /* uid/gid/sid/ptrace/comm/coredump changes: not counted */
};

struct pc_event {
	enum pc_kind kind;
	int32_t pid, tgid;               /* fork: the child; exec, exit: the process */
	int32_t parent_pid, parent_tgid; /* fork, exit (4.18+) */
	uint32_t err;                    /* PC_ACK: 0 or the errno of the listen request */
	uint64_t timestamp_ns;           /* since boot */
};

/* Parse one datagram of the proc connector: calls cb for each event in it.
 * Returns the number of events, or -EINVAL when the datagram is malformed
 * (cb has then seen the events before the bad one). */
int procconn_parse(const void *buf, size_t len, void (*cb)(const struct pc_event *ev, void *userdata),
		   void *userdata);

/* Forking parents of one interval, by tgid: a fixed open-addressing table,
 * allocated once when the connector is opened to count them (a reader that
 * only follows the events, as the process-list gate, has none), so a fork
 * storm costs no allocation; forks of parents that find it full are counted
 * in overflow. */
#define PC_PARENTS 4096
struct pc_parent {
	int32_t tgid; /* 0: free */
	uint32_t forks;
	int32_t last_child; /* its last child's tgid: the parent's group and command when
			     * the parent is gone by the time it is looked up */
};

struct procconn {
	int fd;                       /* -1: off */
	int err;                      /* why it is off (procconn_off_reason) */
	void *nl;                     /* struct mnl_socket */
	uint64_t forks, execs, exits; /* since open */
	uint64_t dropped;             /* receive buffer overruns (ENOBUFS): events lost */
	uint64_t overflow;            /* forks of parents the table had no room for */
	struct pc_parent *parents;    /* [PC_PARENTS], NULL: forks not counted by parent */
	unsigned n_parents;
	/* the slots (indexes into parents) taken since the reader last looked, so it can
	 * look up a new parent's group while the parent still lives: [PC_PARENTS], in
	 * parents' allocation */
	uint16_t *fresh;
	unsigned n_fresh;
	char buf[16384];
};

/* Open the socket and listen (needs CAP_NET_ADMIN and CONFIG_PROC_EVENTS),
 * with the table of forking parents when by_parent (procconn_count_parents).
 * Returns 0 or -errno; pc->fd is -1 and pc->err set on failure (no table). */
int procconn_open(struct procconn *pc, bool by_parent);
/* Allocate the table of forking parents (empty), if not yet: procconn_count()
 * then counts each fork by parent.  procconn_close() frees it. */
void procconn_count_parents(struct procconn *pc);
void procconn_close(struct procconn *pc);
/* Read what the socket holds without blocking, at most max datagrams.
 * Returns the datagrams read. */
int procconn_drain(struct procconn *pc, unsigned max);
/* The same, each event given to cb instead of counted. */
int procconn_drain_cb(struct procconn *pc, unsigned max,
		      void (*cb)(const struct pc_event *ev, void *userdata), void *userdata);
/* Count one event (what procconn_drain() does with each; tests call it). */
void procconn_count(struct procconn *pc, const struct pc_event *ev);
/* Empty the table of forking parents (after it was attributed). */
void procconn_reset(struct procconn *pc);
/* One line saying why the connector is off. */
const char *procconn_off_reason(int err);

#endif
