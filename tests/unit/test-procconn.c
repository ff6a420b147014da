/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-procconn.c - unit tests of src/sample/parse-procconn.c and the fork table of
 * src/sample/procconn.c, on datagrams captured from kernel 6.18's proc connector
 * (tests/data/procconn/capture.py: the listen answer, then the fork, exec and
 * exit of a child of pid 26289), plus truncated and concatenated datagrams;
 * and the rules of src/forks-top.c: the list of the parents that forked most,
 * the fork storm threshold.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sample/procconn.h"
#include "sample/forks.h"
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

static struct procconn pc; /* 16 KiB: not on the stack */

static struct ev_forker forker(int64_t pid, uint64_t forks, const char *comm)
{
	struct ev_forker x = { .pid = pid, .forks = forks };

	snprintf(x.comm, sizeof(x.comm), "%s", comm);
	return x;
}

/* the list of the parents that forked most: sorted, bounded, summed per pid */
static void test_top(void)
{
	struct ev_forker top[EV_FORKERS_MAX], x;
	unsigned n = 0;

	x = forker(10, 3, "make");
	ok(forks_top_add(top, &n, &x), "a first parent enters");
	x = forker(11, 0, "idle");
	ok(!forks_top_add(top, &n, &x) && n == 1, "a parent without forks does not");
	x = forker(12, 7, "bash");
	forks_top_add(top, &n, &x);
	is_int(top[0].pid, 12, "the parent that forked most comes first");
	is_int(top[1].pid, 10, "... then the next");
	x = forker(10, 5, "");
	forks_top_add(top, &n, &x);
	ok(n == 2 && top[0].pid == 10 && top[0].forks == 8,
	   "the same parent again: its forks summed, moved up");
	is_str(top[0].comm, "make", "... its command kept");
	for (int i = 0; i < 3; i++) {
		x = forker(20 + i, 2, "cc");
		forks_top_add(top, &n, &x);
	}
	is_int(n, EV_FORKERS_MAX, "the list is full");
	ok(!forks_top_enters(top, n, 2), "a parent with no more forks than the last would not enter");
	ok(forks_top_enters(top, n, 3), "a parent with more would");
	x = forker(30, 2, "late");
	ok(!forks_top_add(top, &n, &x), "... a tie does not push the last out");
	x = forker(31, 100, "forkbomb-with-a-long-name");
	ok(forks_top_add(top, &n, &x) && top[0].pid == 31 && n == EV_FORKERS_MAX,
	   "a storm's parent enters first, the smallest leaves");
	is_str(top[0].comm, "forkbomb-with-a", "the command is cut to the kernel's 15 bytes");
	uint64_t prev = UINT64_MAX;
	bool sorted = true;
	for (unsigned i = 0; i < n; i++) {
		sorted = sorted && top[i].forks <= prev;
		prev = top[i].forks;
	}
	ok(sorted, "the list stays sorted, largest first");
}

/* the storm threshold: one start, over after FORKS_STORM_QUIET_USEC below half of it */
static void test_storm(void)
{
	struct storm_state st = { 0 };
	const uint64_t s = 1000000, q = FORKS_STORM_QUIET_USEC;

	ok(!forks_storm_step(&st, 999, 1000, 1 * s) && !st.on, "below the threshold: no storm");
	ok(forks_storm_step(&st, 1000, 1000, 2 * s) && st.on, "at the threshold: a storm starts");
	ok(!forks_storm_step(&st, 5000, 1000, 3 * s) && st.on, "still above: the same storm, no new event");
	ok(!forks_storm_step(&st, 600, 1000, 4 * s) && st.on,
	   "wavering under it, above half: the same storm");
	ok(!forks_storm_step(&st, 499, 1000, 5 * s) && st.on,
	   "below half for one sample: still the same storm");
	ok(!forks_storm_step(&st, 3000, 1000, 6 * s) && st.on,
	   "back above after a missed sample: no new event");
	ok(!forks_storm_step(&st, 10, 1000, 7 * s) && st.on, "below half again: quiet from now");
	ok(!forks_storm_step(&st, 10, 1000, 7 * s + q - 1) && st.on, "... not yet quiet long enough");
	ok(!forks_storm_step(&st, 10, 1000, 7 * s + q) && !st.on, "below half for the quiet time: over");
	ok(forks_storm_step(&st, 2000, 1000, 8 * s + q), "above again: a new storm");
	st = (struct storm_state){ 0 };
	ok(!forks_storm_step(&st, 1e9, 0, s) && !st.on, "threshold 0: never a storm");
	ok(!forks_storm_step(&st, -1, 10, s) && !st.on, "an unknown rate: no storm");
}

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
	/* without the table a fork is counted, never by parent */
	procconn_count(&pc, &evs[1]);
	ok(pc.forks == 1 && pc.n_parents == 0 && pc.overflow == 0, "no table: the fork counted, not by parent");
	pc.forks = 0;
	procconn_count_parents(&pc);
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
	int32_t last_child = 0;
	for (unsigned i = 0; i < PC_PARENTS; i++)
		if (pc.parents[i].tgid == PARENT) {
			found = pc.parents[i].forks;
			last_child = pc.parents[i].last_child;
		}
	is_int(found, 2, "both forks under the parent");
	is_int(last_child, CHILD, "the parent's last child is kept (its group when the parent is gone)");
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
	procconn_close(&pc);
	ok(!pc.parents, "close frees the table");
	test_top();
	test_storm();
	return tap_done();
}
