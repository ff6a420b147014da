/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * actions-run.c - test helper: run one dashboard action (src/ui/actions.c) on a
 * group without the dashboard, for tests/live/actions.sh.  Prints the return
 * value and the status-line message on one line; exits 0 when it returned 0.
 *   actions-run PATH mem SIZE | pids N | attach PID | freeze | thaw | frozen | kill
 */
#include <stdio.h>
#include <string.h>

#include "ui/actions.h"

int main(int argc, char **argv)
{
	struct cg_tree t;
	struct cg_node *n;
	char msg[512] = "";
	struct cg_error err = { 0 };
	const char *what, *val;
	bool fz;
	int r;

	if (argc < 3) {
		fprintf(stderr, "usage: actions-run PATH ACTION [VALUE]\n");
		return 2;
	}
	what = argv[2];
	val = argc > 3 ? argv[3] : "";
	r = cg_tree_open(&t, "", argv[1], 0, 0);
	if (r < 0) {
		printf("%d no such group %s\n", r, argv[1]);
		return 1;
	}
	n = cg_tree_find(&t, argv[1]);
	if (strcmp(what, "mem") == 0)
		r = action_set_mem_max(&t, n, val, msg, sizeof(msg), &err);
	else if (strcmp(what, "pids") == 0)
		r = action_set_pids_max(&t, n, val, msg, sizeof(msg), &err);
	else if (strcmp(what, "attach") == 0)
		r = action_attach(&t, n, val, msg, sizeof(msg), &err);
	else if (strcmp(what, "freeze") == 0 || strcmp(what, "thaw") == 0)
		r = action_freeze(&t, n, strcmp(what, "freeze") == 0, msg, sizeof(msg), &err);
	else if (strcmp(what, "frozen") == 0) {
		r = action_frozen(&t, n, &fz);
		snprintf(msg, sizeof(msg), "%s", fz ? "frozen" : "thawed");
	} else if (strcmp(what, "kill") == 0)
		r = action_kill(&t, n, msg, sizeof(msg), &err);
	else {
		fprintf(stderr, "actions-run: unknown action %s\n", what);
		return 2;
	}
	printf("%d %s\n", r, r < 0 && err.err ? err.msg : msg);
	cg_tree_close(&t);
	return r == 0 ? 0 : 1;
}
