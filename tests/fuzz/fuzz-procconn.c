/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-procconn.c - libFuzzer target for the proc connector's datagram parser
 * (src/parse-procconn.c), the input taken as one datagram of netlink messages.
 * Beyond "no crash": the parser either refuses the datagram (-EINVAL) or
 * returns the number of events it handed over, each of a known kind; the
 * forks among them, fed to the list of the parents that forked most
 * (src/forks-top.c), keep it sorted and bounded.
 */
/* fuzz.sh links: src/parse-procconn.c src/forks-top.c */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sample/forks.h"
#include "sample/procconn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool cond)
{
	if (!cond)
		__builtin_trap();
}

struct seen {
	int n;
	struct ev_forker top[EV_FORKERS_MAX];
	unsigned n_top;
};

static void on_event(const struct pc_event *ev, void *userdata)
{
	struct seen *s = userdata;

	check(ev->kind >= PC_FORK && ev->kind <= PC_OTHER);
	s->n++;
	if (ev->kind == PC_FORK) {
		struct ev_forker x = { .pid = ev->parent_tgid, .forks = (uint64_t)(ev->pid & 0xff) };

		forks_top_add(s->top, &s->n_top, &x);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a heap block of the exact size: a read past the datagram is caught */
	void *b = malloc(size ? size : 1);
	struct seen s = { 0 };
	int r;

	if (!b)
		abort();
	memcpy(b, data, size);
	r = procconn_parse(b, size, on_event, &s);
	check(r == -EINVAL || r == s.n);
	check(r != -EINVAL || s.n >= 0);
	check(s.n_top <= EV_FORKERS_MAX);
	for (unsigned i = 1; i < s.n_top; i++)
		check(s.top[i - 1].forks >= s.top[i].forks && s.top[i].forks > 0);
	free(b);
	return 0;
}
