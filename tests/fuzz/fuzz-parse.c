/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-parse.c - libFuzzer target for the pure parsers of the kernel's cgroupfs and /proc text
 * (include/base/parse.h: numbers, flat keyed files, io.stat, blkio, PSI, mountinfo and
 * /proc/PID/cgroup lines, meminfo, /proc/stat) and of what people type (sizes, intervals).
 * The whole input goes to the file parsers, each line to the line parsers, and a NUL-ended
 * copy to the string parsers, each in a heap block of its exact size (AddressSanitizer sees a
 * read past the end).  Checks beyond "no crash": keys and strings handed out lie inside the
 * input or the out buffer, NUL-terminated; a size that parses is at most 2^63 (or "max"); an
 * interval is within (0, 1 day]; a number that parses prints back to the same digits.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool cond)
{
	if (!cond)
		__builtin_trap();
}

static const char *in_start, *in_end;

static int keyed_cb(const char *key, size_t key_len, uint64_t value, void *userdata)
{
	(void)value;
	check(key >= in_start && key + key_len <= in_end && key_len > 0);
	++*(size_t *)userdata;
	return 0;
}

/* s lies in [out, out + size) and ends there */
static void in_out(const char *s, const char *out, size_t size)
{
	check(s >= out && s < out + size && memchr(s, '\0', (size_t)(out + size - s)) != NULL);
}

static void lines(const char *buf, size_t len)
{
	for (const char *p = buf, *end = buf + len; p < end;) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((e ? e : end) - p);
		char *line = malloc(n ? n : 1), *out = malloc(n + 1);
		struct mountinfo_entry mi;
		struct proc_cgroup_entry pc;

		if (!line || !out)
			abort();
		memcpy(line, p, n);
		if (parse_mountinfo_line(line, n, out, n + 1, &mi) == 0) {
			in_out(mi.root, out, n + 1);
			in_out(mi.mount_point, out, n + 1);
			in_out(mi.fstype, out, n + 1);
			in_out(mi.source, out, n + 1);
			in_out(mi.super_opts, out, n + 1);
		}
		if (parse_proc_cgroup_line(line, n, out, n + 1, &pc) == 0) {
			in_out(pc.controllers, out, n + 1);
			in_out(pc.path, out, n + 1);
		}
		free(line);
		free(out);
		p = e ? e + 1 : end;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1), *str = malloc(size + 1);
	uint64_t a, b;
	size_t n = 0;
	struct io_totals io;
	struct psi psi;
	struct proc_info pi;

	if (!buf || !str)
		abort();
	memcpy(buf, data, size);
	in_start = buf;
	in_end = buf + size;

	if (parse_u64(buf, size, &a) == 0) {
		char digits[24], *p = buf;
		size_t k;

		/* the digits, without blanks and leading zeros, print back */
		while (p < buf + size && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			p++;
		while (p + 1 < buf + size && *p == '0' && p[1] >= '0' && p[1] <= '9')
			p++;
		k = (size_t)snprintf(digits, sizeof(digits), "%" PRIu64, a);
		check((size_t)(buf + size - p) >= k && memcmp(p, digits, k) == 0);
	}
	if (parse_u64_or_max(buf, size, &a) == 0 && a != CG_UNLIMITED)
		check(parse_u64(buf, size, &b) == 0 && a == b);
	parse_keyed(buf, size, keyed_cb, &n);
	check(n <= size);
	parse_keyed_get(buf, size, "oom_kill", &a);
	check(parse_count_lines(buf, size) <= size);
	parse_io_stat(buf, size, &io);
	parse_blkio_v1(buf, size, &a, &b);
	parse_psi(buf, size, &psi);
	parse_meminfo_get(buf, size, "MemTotal", &a);
	parse_meminfo_get(buf, size, "HugePages_Total", &a);
	parse_proc_stat_cpu(buf, size, &a, &b);
	if (parse_proc_stat_cpu_busy(buf, size, &a, &b) == 0)
		check(a <= b);
	if (proc_parse_stat(buf, size, &pi) == 0)
		check(strlen(pi.comm) < sizeof(pi.comm));
	proc_parse_statm(buf, size, &a);
	proc_parse_status_rss(buf, size, &a);
	lines(buf, size);

	memcpy(str, data, size);
	str[size] = '\0';
	if (parse_size(str, &a) == 0)
		check(a <= (1ULL << 63) || a == CG_UNLIMITED);
	if (parse_interval_usec(str, &a) == 0)
		check(a > 0 && a <= 86400ULL * 1000000);
	free(buf);
	free(str);
	return 0;
}
