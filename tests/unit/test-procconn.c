/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-procconn.c - unit tests of src/sample/parse-procconn.c and the fork table of
 * src/sample/procconn.c, on datagrams captured from kernel 6.18's proc connector
 * (tests/data/procconn/capture.py: the listen answer, then the fork, exec and
 * exit of a child of pid 26289), plus truncated and concatenated datagrams.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>

#include "sample/procconn.h"
#include "../tap.h"
#include "testdata.h"

#define PARENT 26289
#define CHILD 26542

static struct pc_event evs[16];
static unsigned nevs;

static void collect(const struct pc_event *ev, void *userdata)
{
	(void)userdata;
	if (nevs < 16)
		evs[nevs++] = *ev;
}

static int parse(const void *b, size_t len)
{
	nevs = 0;
	return procconn_parse(b, len, collect, NULL);
}

static struct procconn pc; /* 48 KiB: not on the stack */

int main(void)
{
	static const char *files[] = { "procconn/00-none.bin", "procconn/01-fork.bin", "procconn/02-exec.bin",
				       "procconn/03-exit.bin" };
	const char *d[4];
	size_t len[4], total = 0;
	char all[1024];

	for (int i = 0; i < 4; i++) {
		d[i] = load(files[i], &len[i]);
		memcpy(all + total, d[i], len[i]);
		total += len[i];
	}

	is_int(parse(d[0], len[0]), 1, "the listen answer is one event");
	is_int(evs[0].kind, PC_ACK, "... PROC_EVENT_NONE");
	is_int(evs[0].err, 0, "... without error");

	is_int(parse(d[1], len[1]), 1, "a fork is one event");
	is_int(evs[0].kind, PC_FORK, "... PC_FORK");
	is_int(evs[0].parent_tgid, PARENT, "... its parent");
	is_int(evs[0].parent_pid, PARENT, "... the parent's thread");
	is_int(evs[0].pid, CHILD, "... the child");
	is_int(evs[0].tgid, CHILD, "... a process, not a thread");
	ok(evs[0].timestamp_ns > 0, "... a time since boot");

	is_int(parse(d[2], len[2]), 1, "an exec is one event");
	is_int(evs[0].kind, PC_EXEC, "... PC_EXEC");
	is_int(evs[0].pid, CHILD, "... of the child");

	is_int(parse(d[3], len[3]), 1, "an exit is one event");
	is_int(evs[0].kind, PC_EXIT, "... PC_EXIT");
	is_int(evs[0].tgid, CHILD, "... of the child");
	is_int(evs[0].parent_tgid, PARENT, "... whose parent is known (4.18+)");

	is_int(parse(all, total), 4, "four messages in one datagram: four events");
	is_int(evs[3].kind, PC_EXIT, "... in order");

	/* malformed: every truncation of the fork is refused or yields nothing,
	 * never an event read past the end */
	int bad = 0;
	for (size_t l = 1; l < len[1]; l++) {
		char *t = malloc(l);
		memcpy(t, d[1], l);
		if (parse(t, l) > 0)
			bad++;
		free(t);
	}
	is_int(bad, 0, "no truncation of a fork parses as an event");
	{
		char t[128];
		memcpy(t, d[1], len[1]);
		t[0] = (char)(len[1] + 8); /* nlmsg_len past the end */
		is_int(parse(t, len[1]), -EINVAL, "a length past the datagram is refused");
		memcpy(t, d[1], len[1]);
		t[16 + 16] = 60; /* cn_msg len past the message */
		is_int(parse(t, len[1]), -EINVAL, "a connector length past the message is refused");
		memcpy(t, d[1], len[1]);
		t[16] = 5; /* another connector user (CN_IDX_...) */
		is_int(parse(t, len[1]), 0, "another connector user's message is no event");
	}

	/* the table: forks per parent; threads are not forks */
	memset(&pc, 0, sizeof(pc));
	pc.fd = -1;
	parse(all, total);
	for (unsigned i = 0; i < nevs; i++)
		procconn_count(&pc, &evs[i]);
	procconn_count(&pc, &evs[1]);
	struct pc_event thread = evs[1];
	thread.pid = CHILD + 1; /* a new thread of the child's group */
	procconn_count(&pc, &thread);
	is_u64(pc.forks, 2, "two forks counted, the thread not");
	is_u64(pc.execs, 1, "one exec");
	is_u64(pc.exits, 1, "one exit");
	unsigned found = 0;
	for (unsigned i = 0; i < PC_PARENTS; i++)
		if (pc.parents[i].tgid == PARENT)
			found = pc.parents[i].forks;
	is_int(found, 2, "both forks under the parent");
	/* a storm of parents fills three quarters of the table, then overflows */
	struct pc_event f = evs[1];
	for (int i = 1; i <= PC_PARENTS; i++) {
		f.parent_tgid = 100000 + i;
		procconn_count(&pc, &f);
	}
	is_u64(pc.n_parents, PC_PARENTS * 3 / 4, "the table keeps a quarter free");
	is_u64(pc.overflow, PC_PARENTS + 1 - PC_PARENTS * 3 / 4, "the rest is counted as overflow");
	procconn_reset(&pc);
	is_u64(pc.n_parents, 0, "reset empties the table");
	return tap_done();
}
