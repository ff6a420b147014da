/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * limits.c - the limit strings of --launch and --attach (--mem, --mem-high,
 * --swap, --pids, --cpu, --cpuset) turned into numbers, and those numbers
 * into the knobs the kernel has in v1 or v2 (their file names: cg_knobs in
 * cg-files.c): v2 has a swap-only limit and a quota/period pair in one file,
 * v1 limits memory + swap together and wants a new cpuset group's cpus and mems.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "launch.h"
#include "parse.h"

#define CPU_PERIOD_US 100000ULL

void limits_init(struct cg_limits *l)
{
	l->mem_max = LIMIT_UNSET;
	l->mem_high = LIMIT_UNSET;
	l->swap_max = LIMIT_UNSET;
	l->pids_max = LIMIT_UNSET;
	l->cpu_quota_us = LIMIT_UNSET;
	l->cpu_period_us = LIMIT_UNSET;
	l->cpuset = NULL;
}

bool limits_any(const struct cg_limits *l)
{
	return l->mem_max != LIMIT_UNSET || l->mem_high != LIMIT_UNSET || l->swap_max != LIMIT_UNSET ||
	       l->pids_max != LIMIT_UNSET || l->cpu_quota_us != LIMIT_UNSET || l->cpuset;
}

int limits_parse_size(const char *s, uint64_t *ret)
{
	uint64_t v;

	if (!s || !*s)
		return -EINVAL;
	if (parse_size(s, &v) < 0)
		return -EINVAL;
	*ret = v;
	return 0;
}

int limits_parse_pids(const char *s, uint64_t *ret)
{
	uint64_t v;

	if (!s || !*s)
		return -EINVAL;
	if (strcmp(s, "max") == 0) {
		*ret = CG_UNLIMITED;
		return 0;
	}
	/* digits only, and no more than the kernel takes: pids.max is at most
	 * PID_MAX_LIMIT (4194304), and a larger value would fail only after
	 * the group was made */
	for (const char *q = s; *q; q++)
		if (*q < '0' || *q > '9')
			return -EINVAL;
	if (parse_u64(s, strlen(s), &v) < 0 || v == 0 || v > 4194304)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* "0.5", "2", "1.25" (CPUs) or "50%" (of one CPU): quota in microseconds per 100 ms. */
int limits_parse_cpu(const char *s, uint64_t *ret_quota_us, uint64_t *ret_period_us)
{
	uint64_t whole = 0, frac = 0, scale = 1, quota;
	bool percent = false, digits = false;
	const char *p = s;
	size_t len;

	if (!s || !*s)
		return -EINVAL;
	if (strcmp(s, "max") == 0) {
		*ret_quota_us = CG_UNLIMITED;
		*ret_period_us = CPU_PERIOD_US;
		return 0;
	}
	len = strlen(s);
	if (s[len - 1] == '%') {
		percent = true;
		len--;
	}
	for (; p < s + len && *p >= '0' && *p <= '9'; p++) {
		digits = true;
		if (whole > 1000000)
			return -EINVAL;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (p < s + len && *p == '.') {
		for (p++; p < s + len && *p >= '0' && *p <= '9'; p++) {
			digits = true;
			if (scale >= 1000000)
				continue; /* finer than a microsecond of quota: ignored */
			frac = frac * 10 + (uint64_t)(*p - '0');
			scale *= 10;
		}
	}
	if (!digits || p != s + len)
		return -EINVAL;
	/* CPUs * period; percent is of one CPU */
	quota = whole * CPU_PERIOD_US + frac * CPU_PERIOD_US / scale;
	if (percent)
		quota /= 100;
	/* the kernel's minimum quota is 1 ms; a limit above 4096 CPUs is nonsense */
	if (quota < 1000 || quota > 4096 * CPU_PERIOD_US)
		return -EINVAL;
	*ret_quota_us = quota;
	*ret_period_us = CPU_PERIOD_US;
	return 0;
}

int limits_check_cpuset(const char *s)
{
	const char *p = s;
	bool num = false;

	if (!s || !*s)
		return -EINVAL;
	bool in_range = false; /* "N-M": one dash per item */

	for (; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			num = true;
		} else if (*p == ',' && num) {
			num = in_range = false;
		} else if (*p == '-' && num && !in_range) {
			num = false;
			in_range = true;
		} else {
			return -EINVAL;
		}
	}
	return num ? 0 : -EINVAL;
}

/* One more knob, while out has room (callers give LIMITS_MAX_KNOBS); a value
 * too long turns *n into -E2BIG, and that stays. */
static void knob(struct cg_knob *out, int max, int *n, enum cg_knob_id k, bool v1, const char *value)
{
	if (*n < 0 || *n >= max)
		return;
	if (strlen(value) >= sizeof(out[*n].value)) {
		*n = -E2BIG;
		return;
	}
	out[*n].ctrl = cg_knobs[k].ctrl;
	out[*n].controller = cg_ctrl_name(cg_knobs[k].ctrl);
	out[*n].file = cg_knob_name(k, !v1);
	strcpy(out[*n].value, value);
	(*n)++;
}

static const char *num(uint64_t v, bool v1, char *buf, size_t size)
{
	if (v == CG_UNLIMITED)
		snprintf(buf, size, "%s", v1 ? "-1" : "max");
	else
		snprintf(buf, size, "%" PRIu64, v);
	return buf;
}

int limits_knobs(const struct cg_limits *l, bool v1, bool has_memsw, const char *parent_cpus,
		 const char *parent_mems, struct cg_knob *out, int max)
{
	char b[64];
	int n = 0;

	if (!v1) {
		if (l->mem_max != LIMIT_UNSET)
			knob(out, max, &n, KNOB_MEM_MAX, false, num(l->mem_max, false, b, sizeof(b)));
		if (l->mem_high != LIMIT_UNSET)
			knob(out, max, &n, KNOB_MEM_HIGH, false, num(l->mem_high, false, b, sizeof(b)));
		if (l->swap_max != LIMIT_UNSET)
			knob(out, max, &n, KNOB_SWAP_MAX, false, num(l->swap_max, false, b, sizeof(b)));
		if (l->pids_max != LIMIT_UNSET)
			knob(out, max, &n, KNOB_PIDS_MAX, false, num(l->pids_max, false, b, sizeof(b)));
		if (l->cpu_quota_us != LIMIT_UNSET) {
			if (l->cpu_quota_us == CG_UNLIMITED)
				snprintf(b, sizeof(b), "max %" PRIu64, l->cpu_period_us);
			else
				snprintf(b, sizeof(b), "%" PRIu64 " %" PRIu64, l->cpu_quota_us,
					 l->cpu_period_us);
			knob(out, max, &n, KNOB_CPU_MAX, false, b);
		}
		if (l->cpuset)
			knob(out, max, &n, KNOB_CPUSET_CPUS, false, l->cpuset);
		return n;
	}
	if (l->mem_max != LIMIT_UNSET)
		knob(out, max, &n, KNOB_MEM_MAX, true, num(l->mem_max, true, b, sizeof(b)));
	if (l->mem_high != LIMIT_UNSET)
		knob(out, max, &n, KNOB_MEM_HIGH, true, num(l->mem_high, true, b, sizeof(b)));
	if (l->swap_max != LIMIT_UNSET) {
		/* v1 has no swap-only limit: memsw limits memory + swap together */
		if (has_memsw) {
			uint64_t mem = l->mem_max, sum;

			if (mem == LIMIT_UNSET || mem == CG_UNLIMITED || l->swap_max == CG_UNLIMITED)
				sum = CG_UNLIMITED;
			else
				sum = mem + l->swap_max;
			knob(out, max, &n, KNOB_MEMSW_MAX, true, num(sum, true, b, sizeof(b)));
		}
		/* with no swap allowed, reclaim must not swap: hit the limit, get the OOM kill */
		if (l->swap_max == 0)
			knob(out, max, &n, KNOB_SWAPPINESS, true, "0");
	}
	if (l->pids_max != LIMIT_UNSET)
		knob(out, max, &n, KNOB_PIDS_MAX, true, num(l->pids_max, false, b, sizeof(b)));
	if (l->cpu_quota_us != LIMIT_UNSET) {
		snprintf(b, sizeof(b), "%" PRIu64, l->cpu_period_us);
		knob(out, max, &n, KNOB_CPU_PERIOD, true, b);
		knob(out, max, &n, KNOB_CPU_QUOTA, true, num(l->cpu_quota_us, true, b, sizeof(b)));
	}
	if (l->cpuset || parent_cpus) {
		knob(out, max, &n, KNOB_CPUSET_CPUS, true, l->cpuset ? l->cpuset : parent_cpus);
		if (parent_mems)
			knob(out, max, &n, KNOB_CPUSET_MEMS, true, parent_mems);
	}
	return n;
}
