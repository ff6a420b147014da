/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cg-values.c - the slots of a group's values (struct cg_values): one per
 * value id the group has had, in id order, so a value is found by counting
 * the ids below it.  A slot is added when a value is first set and never
 * taken away, so the steady state allocates nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "cgroup/cgroup.h"
#include "base/macro.h"

uint64_t *cg_val_ref(struct cg_values *vals, enum cg_val id)
{
	uint64_t bit = 1ULL << id;
	unsigned at = (unsigned)__builtin_popcountll(vals->have & (bit - 1));

	if (!(vals->have & bit)) {
		unsigned n = (unsigned)__builtin_popcountll(vals->have);

		vals->v = xrealloc(vals->v, (n + 1) * sizeof(*vals->v));
		memmove(vals->v + at + 1, vals->v + at, (n - at) * sizeof(*vals->v));
		vals->v[at] = 0;
		vals->have |= bit;
	}
	return &vals->v[at];
}

void cg_values_free(struct cg_values *vals)
{
	free(vals->v);
	vals->v = NULL;
	vals->have = vals->valid = 0;
}
