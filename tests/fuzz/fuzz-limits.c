/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-limits.c - libFuzzer target for the limit strings of --launch, --attach and the
 * dashboard's limit prompts (src/limits.c: --mem and --swap sizes, --pids, --cpu, --cpuset),
 * each given the input as a NUL-ended string in a heap block of its exact size.  Beyond "no
 * crash": a size that parses is at most 2^63 or "max" and is shown by units_format_size() in a
 * form that parses back to it when the form is whole (no decimal point); pids are 1 to
 * 4194304 or max; a CPU quota is 1 ms to 4096 CPUs per 100 ms period.
 */
/* fuzz.sh links: src/limits.c src/parse-user.c src/parse.c src/units.c src/cg-files.c src/cg-mode.c src/cg-tree.c src/fileio.c src/xalloc.c src/parse-proc.c */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "launch.h"
#include "parse.h"
#include "units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool cond)
{
	if (!cond)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), shown[64];
	uint64_t v, w, quota, period;

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	if (limits_parse_size(s, &v) == 0) {
		check(v <= (1ULL << 63) || v == CG_UNLIMITED);
		units_format_size(shown, sizeof(shown), v);
		if (!strchr(shown, '.'))
			check(limits_parse_size(shown, &w) == 0 && w == v);
	}
	if (limits_parse_pids(s, &v) == 0)
		check((v >= 1 && v <= 4194304) || v == CG_UNLIMITED);
	if (limits_parse_cpu(s, &quota, &period) == 0)
		check(period == 100000 && (quota == CG_UNLIMITED || (quota >= 1000 && quota <= 4096 * period)));
	limits_check_cpuset(s);
	free(s);
	return 0;
}
