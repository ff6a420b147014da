/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-limits.c - unit tests of what `cgtop --launch` and `cgtop --attach` do
 * with their command line before anything is created: the
 * SIZE, --pids, --cpu and --cpuset parsers of src/cgroup/limits.c, the knobs they turn
 * into (v1 and v2), and launch_options_parse() of src/launch/launch-options.c (limits,
 * --ns, CMD and `--`, options after CMD, --attach PID, --user, --name, --parent).
 * launch_options_parse() prints one line on stderr for bad input; TAP ignores it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "launch/launch.h"
#include "base/parse.h"
#include "../tap.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAXARGS 32

/* s with blanks and control characters made visible, for test names (TAP is one line each). */
static const char *vis(const char *s)
{
	static char bufs[4][128];
	static int next;
	char *b = bufs[next++ % 4];
	size_t o = 0;

	if (!s)
		return "(null)";
	for (; *s && o + 6 < sizeof(bufs[0]); s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '\n')
			o += (size_t)snprintf(b + o, 3, "\\n");
		else if (ch == '\t')
			o += (size_t)snprintf(b + o, 3, "\\t");
		else if (ch < 0x20 || ch >= 0x7f || ch == '#')
			o += (size_t)snprintf(b + o, 5, "\\x%02x", ch);
		else
			b[o++] = (char)ch;
	}
	b[o] = '\0';
	return b;
}

/* ---- SIZE ---- */

static void size_good(const char *s, uint64_t want)
{
	uint64_t v = 12345;
	int r = limits_parse_size(s, &v);

	is_int(r, 0, "SIZE '%s' accepted", s);
	is_u64(v, want, "SIZE '%s' = %" PRIu64, s, want);
}

static void size_bad(const char *s)
{
	uint64_t v = 12345;
	int r = limits_parse_size(s, &v);

	ok(r < 0 && v == 12345, "SIZE '%s' rejected, result untouched (r=%d)", vis(s), r);
}

static void test_size(void)
{
	static const char *const bad[] = {
		"32Q", "-1", "1e99", "", "9223372036854775809", /* 2^63 + 1 */
		"18446744073709551615", "18446744073709551616", "99999999999999999999999",
		"8388609T", /* 2^63 + 2^40 */ "8388608.5T", "9007199254740993K",
		" 32M", "32M ", "+32M", "0x10", "MAX", "Max", "max ", "32 M", "32M\n",
		"1.", ".5K", "1.3K", /* not a whole number of bytes */ "0.5", "32MM", "32Mi B",
		"K", "M", "32P", "32E", "1,5K", "1e3", "inf", "nan", "-0",
	};
	size_t i;

	size_good("32M", 33554432);
	size_good("0", 0);
	size_good("1", 1);
	size_good("4096", 4096);
	size_good("123456789", 123456789);
	size_good("1K", 1024);
	size_good("1k", 1024);
	size_good("64K", 65536);
	size_good("32m", 33554432);
	size_good("32MiB", 33554432);
	size_good("32MB", 33554432);
	size_good("1G", 1073741824);
	size_good("2G", 2147483648ULL);
	size_good("1T", 1099511627776ULL);
	size_good("1.5K", 1536);
	size_good("1.5G", 1610612736ULL);
	size_good("0.5K", 512);
	size_good("max", CG_UNLIMITED);
	/* 2^63 itself is the largest (a SIZE above 2^63 is refused) */
	size_good("9223372036854775808", 1ULL << 63);
	size_good("8388608T", 1ULL << 63);
	size_good("9223372036854775807", (1ULL << 63) - 1);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		size_bad(bad[i]);
	ok(limits_parse_size(NULL, &(uint64_t){ 0 }) < 0, "SIZE NULL rejected");
}

/* ---- --pids ---- */

static void pids_good(const char *s, uint64_t want)
{
	uint64_t v = 12345;

	is_int(limits_parse_pids(s, &v), 0, "--pids '%s' accepted", s);
	is_u64(v, want, "--pids '%s' = %" PRIu64, s, want);
}

static void pids_bad(const char *s)
{
	uint64_t v = 12345;
	int r = limits_parse_pids(s, &v);

	ok(r < 0 && v == 12345, "--pids '%s' rejected, result untouched (r=%d)", vis(s), r);
}

static void test_pids(void)
{
	static const char *const bad[] = {
		"0", "-1", "abc", "", "1k", "8K", "+5", "5 ", " 5", "5\n", "1.5", "0x10", "1e3",
		"9223372036854775809", "18446744073709551616", "MAX", "max ", "5,6",
	};
	uint64_t v = 0;
	size_t i;

	pids_good("1", 1);
	pids_good("8", 8);
	pids_good("05", 5);
	pids_good("4194304", 4194304); /* PID_MAX_LIMIT */
	pids_good("max", CG_UNLIMITED);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		pids_bad(bad[i]);
	ok(limits_parse_pids(NULL, &v) < 0, "--pids NULL rejected");

	/* the kernel's pids.max takes 0..4194304 only (PID_MAX_LIMIT): a larger value
	 * must be refused here, not after the group was made (exit 2, not 1); and
	 * only digits, so "5<TAB>" is refused like "5 " */
	v = 12345;
	ok(limits_parse_pids("4194305", &v) < 0, "--pids 4194305 (above the kernel's PID_MAX_LIMIT) rejected");
	ok(limits_parse_pids("9223372036854775808", &v) < 0, "--pids 2^63 rejected");
	ok(limits_parse_pids("5\t", &v) < 0, "--pids '5<TAB>' rejected");
	ok(limits_parse_pids("\t5", &v) < 0, "--pids '<TAB>5' rejected");
}

/* ---- --cpu ---- */

static void cpu_good(const char *s, uint64_t quota)
{
	uint64_t q = 12345, p = 12345;

	is_int(limits_parse_cpu(s, &q, &p), 0, "--cpu '%s' accepted", s);
	ok(q == quota && p == 100000, "--cpu '%s' = quota %" PRIu64 " per 100000 us (got %" PRIu64
	   " %" PRIu64 ")", s, quota, q, p);
}

static void cpu_bad(const char *s)
{
	uint64_t q = 12345, p = 12345;
	int r = limits_parse_cpu(s, &q, &p);

	ok(r < 0 && q == 12345 && p == 12345, "--cpu '%s' rejected, result untouched (r=%d)",
	   vis(s), r);
}

static void test_cpu(void)
{
	static const char *const bad[] = {
		"0", "0.0", "0%", "-1", "-0.5", "abc", "", ".", "%", "%50", "50%%", "1e3", "0x1",
		" 1", "1 ", "1,5", "1.5.", "0.009",  /* 900 us: under the kernel's 1 ms minimum */
		"0.5%", /* 500 us */ "0.0000001", "4097", /* more than 4096 CPUs */ "409700%",
		"99999999999999999999", "MAX", "max%", "1/2", "+1",
	};
	size_t i;

	cpu_good("0.5", 50000);
	cpu_good(".5", 50000);
	cpu_good("50%", 50000);
	cpu_good("2", 200000);
	cpu_good("2.0", 200000);
	cpu_good("1.", 100000);
	cpu_good("1.25", 125000);
	cpu_good("150%", 150000);  /* percent is of one CPU: 1.5 CPUs */
	cpu_good("200%", 200000);
	cpu_good("1%", 1000);      /* the 1 ms minimum */
	cpu_good("0.01", 1000);
	cpu_good("1.5%", 1500);
	cpu_good("4096", 409600000);
	cpu_good("409600%", 409600000);
	cpu_good("1.0000009", 100000); /* finer than a microsecond: ignored */
	cpu_good("max", CG_UNLIMITED);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		cpu_bad(bad[i]);
	ok(limits_parse_cpu(NULL, &(uint64_t){ 0 }, &(uint64_t){ 0 }) < 0, "--cpu NULL rejected");
}

/* ---- --cpuset ---- */

static void test_cpuset(void)
{
	static const char *const good[] = { "0", "0-3", "0-3,5", "1,3,5", "10-11" };
	static const char *const bad[] = { "", "-1", "1-", "1,,2", ",1", "1,", "a", "0-3,a",
					   " 1", "1 ", "1--2", "0x1" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		is_int(limits_check_cpuset(good[i]), 0, "--cpuset '%s' accepted", good[i]);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		ok(limits_check_cpuset(bad[i]) < 0, "--cpuset '%s' rejected", bad[i]);
	ok(limits_check_cpuset(NULL) < 0, "--cpuset NULL rejected");
	/* refused here, not by the kernel after the group exists */
	ok(limits_check_cpuset("1-2-3") < 0, "--cpuset '1-2-3' rejected");
}

/* ---- limits_init, limits_any ---- */

static void test_misc(void)
{
	struct cg_limits l;

	limits_init(&l);
	ok(l.mem_max == LIMIT_UNSET && l.mem_high == LIMIT_UNSET && l.swap_max == LIMIT_UNSET &&
	   l.pids_max == LIMIT_UNSET && l.cpu_quota_us == LIMIT_UNSET && !l.cpuset,
	   "limits_init leaves every limit unset");
	ok(LIMIT_UNSET != CG_UNLIMITED, "LIMIT_UNSET differs from CG_UNLIMITED (max)");
	ok(!limits_any(&l), "limits_any: none given");
	l.pids_max = 8;
	ok(limits_any(&l), "limits_any: --pids given");
	limits_init(&l);
	l.cpuset = "0";
	ok(limits_any(&l), "limits_any: --cpuset given");
	limits_init(&l);
	l.mem_max = CG_UNLIMITED;
	ok(limits_any(&l), "limits_any: --mem max counts as given");
}

/* ---- limits_knobs ---- */

static const char *knob(const struct cg_knob *k, int n, const char *file)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(k[i].file, file) == 0)
			return k[i].value;
	return NULL;
}

static int knob_index(const struct cg_knob *k, int n, const char *file)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(k[i].file, file) == 0)
			return i;
	return -1;
}

static void test_knobs(void)
{
	struct cg_knob k[16];
	struct cg_limits l;
	int n;

	limits_init(&l);
	is_int(limits_knobs(&l, false, false, NULL, NULL, k, 16), 0, "v2: no limits, no knobs");
	is_int(limits_knobs(&l, true, true, NULL, NULL, k, 16), 0, "v1: no limits, no knobs");

	limits_parse_size("32M", &l.mem_max);
	limits_parse_size("16M", &l.mem_high);
	limits_parse_size("0", &l.swap_max);
	limits_parse_pids("8", &l.pids_max);
	limits_parse_cpu("50%", &l.cpu_quota_us, &l.cpu_period_us);
	l.cpuset = "0-1";

	n = limits_knobs(&l, false, false, NULL, NULL, k, 16);
	is_int(n, 6, "v2: six knobs");
	is_str(knob(k, n, "memory.max"), "33554432", "v2 memory.max");
	is_str(knob(k, n, "memory.high"), "16777216", "v2 memory.high");
	is_str(knob(k, n, "memory.swap.max"), "0", "v2 memory.swap.max");
	is_str(knob(k, n, "pids.max"), "8", "v2 pids.max");
	is_str(knob(k, n, "cpu.max"), "50000 100000", "v2 cpu.max");
	is_str(knob(k, n, "cpuset.cpus"), "0-1", "v2 cpuset.cpus");
	ok(!knob(k, n, "memory.limit_in_bytes"), "v2: no v1 knob");

	n = limits_knobs(&l, true, true, "0-1", "0", k, 16);
	is_str(knob(k, n, "memory.limit_in_bytes"), "33554432", "v1 memory.limit_in_bytes");
	is_str(knob(k, n, "memory.soft_limit_in_bytes"), "16777216",
	       "v1 soft limit from --mem-high");
	is_str(knob(k, n, "memory.memsw.limit_in_bytes"), "33554432", "v1 memsw = mem + swap 0");
	ok(knob_index(k, n, "memory.limit_in_bytes") <
		   knob_index(k, n, "memory.memsw.limit_in_bytes"),
	   "v1: memory limit written before memsw");
	is_str(knob(k, n, "memory.swappiness"), "0", "v1 --swap 0 sets swappiness 0");
	is_str(knob(k, n, "pids.max"), "8", "v1 pids.max");
	is_str(knob(k, n, "cpu.cfs_period_us"), "100000", "v1 cfs_period_us");
	is_str(knob(k, n, "cpu.cfs_quota_us"), "50000", "v1 cfs_quota_us");
	is_str(knob(k, n, "cpuset.cpus"), "0-1", "v1 cpuset.cpus");
	is_str(knob(k, n, "cpuset.mems"), "0", "v1 cpuset.mems from the parent");

	n = limits_knobs(&l, true, false, NULL, NULL, k, 16);
	ok(!knob(k, n, "memory.memsw.limit_in_bytes"), "v1 without memsw: no memsw knob");
	is_str(knob(k, n, "memory.swappiness"), "0", "v1 without memsw: still swappiness 0");

	limits_init(&l);
	l.mem_max = CG_UNLIMITED;
	l.pids_max = CG_UNLIMITED;
	limits_parse_cpu("max", &l.cpu_quota_us, &l.cpu_period_us);
	limits_parse_size("1G", &l.swap_max);
	n = limits_knobs(&l, false, false, NULL, NULL, k, 16);
	is_str(knob(k, n, "memory.max"), "max", "v2 --mem max");
	is_str(knob(k, n, "pids.max"), "max", "v2 --pids max");
	is_str(knob(k, n, "cpu.max"), "max 100000", "v2 --cpu max");
	n = limits_knobs(&l, true, true, NULL, NULL, k, 16);
	is_str(knob(k, n, "memory.limit_in_bytes"), "-1", "v1 --mem max is -1");
	is_str(knob(k, n, "memory.memsw.limit_in_bytes"), "-1",
	       "v1 memsw unlimited with --mem max");
	ok(!knob(k, n, "memory.swappiness"), "v1 --swap 1G: swappiness untouched");
	is_str(knob(k, n, "pids.max"), "max", "v1 pids.max takes max");
	is_str(knob(k, n, "cpu.cfs_quota_us"), "-1", "v1 --cpu max is quota -1");

	limits_init(&l);
	limits_parse_size("32M", &l.mem_max);
	limits_parse_size("32M", &l.swap_max);
	n = limits_knobs(&l, true, true, NULL, NULL, k, 16);
	is_str(knob(k, n, "memory.memsw.limit_in_bytes"), "67108864", "v1 memsw = 32M + 32M");
	is_int(limits_knobs(&l, true, true, NULL, NULL, k, 1), 1, "limits_knobs stops at max");

	/* a CPU list as long as a big host's, whole; one longer than a page, refused */
	{
		static char list[CG_KNOB_VALUE_MAX + 16];
		size_t len = 0;

		for (int c = 0; len + 8 < 400; c += 2)
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%d", c ? "," : "", c);
		limits_init(&l);
		l.cpuset = list;
		n = limits_knobs(&l, false, false, NULL, NULL, k, LIMITS_MAX_KNOBS);
		is_str(knob(k, n, "cpuset.cpus"), list, "v2: a 400-character cpuset list is written whole");
		l.cpuset = NULL;
		n = limits_knobs(&l, true, false, list, "0", k, LIMITS_MAX_KNOBS);
		is_str(knob(k, n, "cpuset.cpus"), list, "v1: the parent's long cpuset list is copied whole");
		while (len < CG_KNOB_VALUE_MAX)
			len += (size_t)snprintf(list + len, sizeof(list) - len, ",1");
		l.cpuset = list;
		is_int(limits_knobs(&l, false, false, NULL, NULL, k, LIMITS_MAX_KNOBS), -E2BIG,
		       "a list longer than a page: -E2BIG, not cut short");
	}
	{
		struct cg_limits all;

		limits_init(&all);
		limits_parse_size("32M", &all.mem_max);
		limits_parse_size("16M", &all.mem_high);
		limits_parse_size("0", &all.swap_max);
		limits_parse_pids("8", &all.pids_max);
		limits_parse_cpu("50%", &all.cpu_quota_us, &all.cpu_period_us);
		all.cpuset = "0";
		is_int(limits_knobs(&all, true, true, "0", "0", k, 16), LIMITS_MAX_KNOBS,
		       "every limit on v1: LIMITS_MAX_KNOBS knobs");
	}
}

/* ---- launch_options_parse ---- */

struct cmdline {
	int argc;
	char *argv[MAXARGS + 1];
	char store[MAXARGS][64];
};

/* Split "cgtop --launch ..." on single blanks into argv; "<>" is an empty argument. */
static void split(struct cmdline *c, const char *line)
{
	const char *p = line;

	memset(c, 0, sizeof(*c));
	while (*p && c->argc < MAXARGS) {
		size_t len = strcspn(p, " ");

		snprintf(c->store[c->argc], sizeof(c->store[0]), "%.*s", (int)len, p);
		if (strcmp(c->store[c->argc], "<>") == 0)
			c->store[c->argc][0] = '\0';
		c->argv[c->argc] = c->store[c->argc];
		c->argc++;
		p += len;
		if (*p == ' ')
			p++;
	}
	c->argv[c->argc] = NULL;
}

static int parse(struct cmdline *c, const char *line, struct launch_spec *spec)
{
	split(c, line);
	memset(spec, 0xa5, sizeof(*spec));
	return launch_options_parse(c->argc, c->argv, spec);
}

static void opt_bad(const char *line)
{
	struct launch_spec spec;
	struct cmdline c;

	is_int(parse(&c, line, &spec), -EINVAL, "rejected: %s", line);
}

/* The argv of CMD joined by blanks. */
static const char *cmd_of(const struct launch_spec *spec, char *buf, size_t size)
{
	size_t off = 0;
	char **a;

	buf[0] = '\0';
	if (!spec->argv)
		return "(null)";
	for (a = spec->argv; *a && off < size; a++)
		off += (size_t)snprintf(buf + off, size - off, "%s%s", a == spec->argv ? "" : " ",
					*a);
	return buf;
}

static void opt_cmd(const char *line, const char *want)
{
	struct launch_spec spec;
	struct cmdline c;
	char buf[256];

	is_int(parse(&c, line, &spec), 1, "accepted: %s", line);
	is_str(cmd_of(&spec, buf, sizeof(buf)), want, "CMD of '%s' is '%s'", line, want);
}

static void test_options_cmd(void)
{
	struct launch_spec spec;
	struct cmdline c;

	/* not ours: the other modes go on */
	is_int(parse(&c, "cgtop", &spec), 0, "no --launch/--attach: 0");
	is_int(parse(&c, "cgtop -b -n 1", &spec), 0, "batch command line: 0");
	is_int(parse(&c, "cgtop -- --launch true", &spec), 0, "--launch after -- is not ours");

	/* a simple command line, and the defaults */
	is_int(parse(&c, "cgtop --launch --mem 32M ls -l", &spec), 1,
	       "cgtop --launch --mem 32M ls -l");
	ok(!spec.attach, "launch, not attach");
	is_u64(spec.limits.mem_max, 33554432, "--mem 32M");
	ok(spec.limits.mem_high == LIMIT_UNSET && spec.limits.swap_max == LIMIT_UNSET &&
	   spec.limits.pids_max == LIMIT_UNSET && spec.limits.cpu_quota_us == LIMIT_UNSET &&
	   !spec.limits.cpuset, "other limits unset");
	is_int(spec.ns, NS_DEFAULT, "default namespaces pid,mnt,ipc,uts,cgroup");
	is_str(spec.parent, "/cgtop", "default parent /cgtop");
	ok(!spec.name && !spec.keep && !spec.report && !spec.hostname && !spec.veth &&
	   !spec.drop_caps && !spec.caps && !spec.have_user && !spec.init,
	   "other options off");
	ok(spec.argv && spec.argv == c.argv + 4, "argv points into the command line at CMD");
	ok(spec.argv && !spec.argv[2], "argv NULL-terminated");
	opt_cmd("cgtop --launch --mem 32M ls -l", "ls -l");

	/* everything from CMD on belongs to CMD */
	opt_cmd("cgtop --launch ls --mem 5", "ls --mem 5");
	is_u64(spec.limits.mem_max, 33554432, "(previous spec untouched)");
	parse(&c, "cgtop --launch ls --mem 5", &spec);
	ok(spec.limits.mem_max == LIMIT_UNSET, "--mem after CMD is CMD's, not a limit");
	opt_cmd("cgtop --launch --pids 8 sh -c --bogus", "sh -c --bogus");
	opt_cmd("cgtop --launch --ns none -- --weird-cmd -x", "--weird-cmd -x");
	opt_cmd("cgtop --launch -- true", "true");
	opt_cmd("cgtop --launch --mem 32M -- ls -- -l", "ls -- -l");
	opt_cmd("cgtop --launch --mem=32M true", "true");
	opt_cmd("cgtop --launch true --launch", "true --launch");
	opt_cmd("cgtop --launch -x", "-x"); /* one dash is not a cgtop option: it is CMD */
	opt_cmd("cgtop --launch --launch true", "true");
	parse(&c, "cgtop --launch --mem=32M true", &spec);
	is_u64(spec.limits.mem_max, 33554432, "--mem=32M form");

	/* missing CMD */
	opt_bad("cgtop --launch");
	opt_bad("cgtop --launch --mem 32M");
	opt_bad("cgtop --launch --mem 32M --");
	opt_bad("cgtop --launch --ns pid --keep");
	/* option missing its value */
	opt_bad("cgtop --launch --mem");
	opt_bad("cgtop --launch --ns");
	opt_cmd("cgtop --launch true --mem", "true --mem"); /* CMD's option, not a missing value */
}

static void test_options_limits(void)
{
	static const char *const bad[] = {
		"--mem 32Q", "--mem -1", "--mem 1e99", "--mem <>", "--mem 9223372036854775809",
		"--mem 18446744073709551616", "--mem=", "--mem-high 32Q", "--mem-high -1",
		"--swap 1e99", "--swap <>", "--pids 0", "--pids -1", "--pids abc", "--pids <>",
		"--pids 1.5", "--cpu 0", "--cpu -1", "--cpu abc", "--cpu <>", "--cpu 0.5%",
		"--cpu 50%%", "--cpuset a", "--cpuset <>", "--cpuset 1,,2", "--bogus",
		"--mem 32M --pids 0",
	};
	struct launch_spec spec;
	struct cmdline c;
	char line[160];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(line, sizeof(line), "cgtop --launch %s true", bad[i]);
		opt_bad(line);
	}

	is_int(parse(&c, "cgtop --launch --mem max --mem-high 1G --swap 0 --pids 8 --cpu 0.5 "
			 "--cpuset 0-1 true", &spec), 1, "every limit at once");
	is_u64(spec.limits.mem_max, CG_UNLIMITED, "--mem max");
	is_u64(spec.limits.mem_high, 1073741824, "--mem-high 1G");
	is_u64(spec.limits.swap_max, 0, "--swap 0");
	is_u64(spec.limits.pids_max, 8, "--pids 8");
	is_u64(spec.limits.cpu_quota_us, 50000, "--cpu 0.5 quota");
	is_u64(spec.limits.cpu_period_us, 100000, "--cpu 0.5 period");
	is_str(spec.limits.cpuset, "0-1", "--cpuset 0-1");

	parse(&c, "cgtop --launch --cpu 50% true", &spec);
	is_u64(spec.limits.cpu_quota_us, 50000, "--cpu 50%%");
	parse(&c, "cgtop --launch --cpu 2 true", &spec);
	is_u64(spec.limits.cpu_quota_us, 200000, "--cpu 2");
	is_int(parse(&c, "cgtop --launch --cpu 150% true", &spec), 1, "--cpu 150%% accepted");
	is_u64(spec.limits.cpu_quota_us, 150000, "--cpu 150%% = 1.5 CPUs");
	parse(&c, "cgtop --launch --pids max true", &spec);
	is_u64(spec.limits.pids_max, CG_UNLIMITED, "--pids max");
	parse(&c, "cgtop --launch --mem 1T --mem 8K true", &spec);
	is_u64(spec.limits.mem_max, 8192, "the last --mem wins");
	parse(&c, "cgtop --launch --swap=1G --pids=3 --cpu=1 true", &spec);
	ok(spec.limits.swap_max == 1073741824 && spec.limits.pids_max == 3 &&
	   spec.limits.cpu_quota_us == 100000, "--opt=value forms");
}

static void test_options_ns(void)
{
	static const struct {
		const char *list;
		unsigned want;
	} good[] = {
		{ "none", 0 },
		{ "pid", NS_PID | NS_MNT }, /* a fresh /proc needs a mount namespace */
		{ "pid,mnt", NS_PID | NS_MNT },
		{ "mount", NS_MNT },
		{ "pid,net,mnt,ipc,uts,user,cgroup,time",
		  NS_PID | NS_NET | NS_MNT | NS_IPC | NS_UTS | NS_USER | NS_CGROUP | NS_TIME },
		{ "net,net", NS_NET },
	};
	static const char *const bad[] = {
		"foo", "pid,foo", "foo,pid", "<>", ",pid", "pid,,mnt", "PID", "none,pid",
		"pid,none", "all", "network",
	};
	struct launch_spec spec;
	struct cmdline c;
	char line[160];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		snprintf(line, sizeof(line), "cgtop --launch --ns %s true", good[i].list);
		is_int(parse(&c, line, &spec), 1, "--ns %s accepted", good[i].list);
		is_int(spec.ns, good[i].want, "--ns %s bits", good[i].list);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(line, sizeof(line), "cgtop --launch --ns %s true", bad[i]);
		opt_bad(line);
	}
	ok(parse(&c, "cgtop --launch --ns pid, true", &spec) < 0, "--ns 'pid,' rejected");

	/* options that need a namespace */
	opt_bad("cgtop --launch --ns pid --hostname box true");
	is_int(parse(&c, "cgtop --launch --ns uts --hostname box true", &spec), 1,
	       "--hostname with uts");
	is_str(spec.hostname, "box", "--hostname box");
	opt_bad("cgtop --launch --ns uts --hostname <> true");
	opt_bad("cgtop --launch --ns pid --veth 10.200.0.1/24 true");
	is_int(parse(&c, "cgtop --launch --ns net --veth 10.200.0.1/24 true", &spec), 1,
	       "--veth with net");
	opt_bad("cgtop --launch --ns net --veth 10.200.0.300/24 true");
	opt_bad("cgtop --launch --ns net --veth nonsense true");
}

static void test_options_other(void)
{
	struct launch_spec spec;
	struct cmdline c;

	is_int(parse(&c, "cgtop --launch --name job1 --parent self --keep --report - --init true",
		     &spec), 1, "--name --parent self --keep --report - --init");
	is_str(spec.name, "job1", "--name job1");
	is_str(spec.parent, "self", "--parent self");
	ok(spec.keep && spec.init, "--keep --init");
	is_str(spec.report, "-", "--report -");
	parse(&c, "cgtop --launch --parent /a/b true", &spec);
	is_str(spec.parent, "/a/b", "--parent /a/b");
	opt_bad("cgtop --launch --parent a/b true");
	opt_bad("cgtop --launch --parent <> true");
	opt_bad("cgtop --launch --name a/b true");
	opt_bad("cgtop --launch --name .. true");
	opt_bad("cgtop --launch --name <> true");
	opt_bad("cgtop --launch --report <> true");

	is_int(parse(&c, "cgtop --launch --user 65534 true", &spec), 1, "--user 65534");
	ok(spec.have_user && spec.uid == 65534 && spec.gid == 65534, "--user 65534 = 65534:65534");
	is_int(parse(&c, "cgtop --launch --user 1000:100 true", &spec), 1, "--user 1000:100");
	ok(spec.have_user && spec.uid == 1000 && spec.gid == 100, "uid 1000 gid 100");
	opt_bad("cgtop --launch --user nobody true");
	opt_bad("cgtop --launch --user -1 true");
	opt_bad("cgtop --launch --user 1000: true");
	opt_bad("cgtop --launch --user 4294967295 true");

	is_int(parse(&c, "cgtop --launch --drop-caps true", &spec), 1, "--drop-caps");
	ok(spec.drop_caps, "drop_caps set");
	is_int(parse(&c, "cgtop --launch --caps cap_net_raw true", &spec), 1, "--caps cap_net_raw");
	opt_bad("cgtop --launch --caps cap_bogus true");

	/* attach-only options are unknown to --launch */
	opt_bad("cgtop --launch --tree true");
	opt_bad("cgtop --launch --group /g true");
	opt_bad("cgtop --launch --force true");
}

static void test_attach(void)
{
	static const char *const bad[] = {
		"cgtop --attach abc", "cgtop --attach 12x", "cgtop --attach x12",
		"cgtop --attach <>", "cgtop --attach -5", "cgtop --attach 0", "cgtop --attach 1.5",
		"cgtop --attach 0x10",
		"cgtop --attach 2147483648", "cgtop --attach 99999999999999999999",
		"cgtop --attach", "cgtop --attach= ", "cgtop --attach=abc",
		"cgtop --attach 123 sleep", "cgtop --attach 123 --mem 32Q",
		"cgtop --attach 123 --ns pid", "cgtop --attach 123 --keep",
		"cgtop --attach 123 --group rel/path", "cgtop --attach 123 --group /g --name n",
		"cgtop --attach 123 --pids 0", "cgtop --attach 123 --cpu abc",
	};
	struct launch_spec spec;
	struct cmdline c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		opt_bad(bad[i]);

	is_int(parse(&c, "cgtop --attach 123 --mem 32M --pids 8 --tree --force", &spec), 1,
	       "--attach 123 with limits");
	ok(spec.attach, "attach set");
	is_int(spec.pid, 123, "pid 123");
	is_u64(spec.limits.mem_max, 33554432, "attach --mem 32M");
	is_u64(spec.limits.pids_max, 8, "attach --pids 8");
	ok(spec.tree && spec.force, "--tree --force");
	ok(!spec.argv, "attach has no CMD");
	is_str(spec.parent, "/cgtop", "attach default parent /cgtop");
	is_int(parse(&c, "cgtop --attach=2147483647 --group /a/b", &spec), 1, "--attach=PID form");
	is_int(spec.pid, 2147483647, "pid INT_MAX");
	is_str(spec.group, "/a/b", "--group /a/b");
	is_int(parse(&c, "cgtop --attach 1 --parent self --name n", &spec), 1, "--attach 1");
	is_str(spec.name, "n", "attach --name");
	is_str(spec.parent, "self", "attach --parent self");
}

int main(void)
{
	test_size();
	test_pids();
	test_cpu();
	test_cpuset();
	test_misc();
	test_knobs();
	test_options_cmd();
	test_options_limits();
	test_options_ns();
	test_options_other();
	test_attach();
	return tap_done();
}
