/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-parse.c - unit tests of the cgroupfs parsers in src/base/parse.c (numbers, "max", flat keyed
 * files, line counts, io.stat, v1 blkio, PSI, CPU limits and lists) against real text captured
 * from kernels 6.1 (pure
 * v1, pure v2) and 6.18 (hybrid) under tests/data/, plus edge cases: empty, no newline, no NUL
 * after the buffer, garbage, overflow and key prefixes.
 */
#include <errno.h>

#include "base/parse.h"
#include "../tap.h"
#include "testdata.h"

#define V2 "cgroup2/6.1/"
#define V1 "cgroup1/6.1/"
#define HY "hybrid/6.18/"

static const uint64_t SENTINEL = 0xdeadbeefULL;

/* parse_u64 of a file */
static void u64_file(const char *rel, uint64_t want)
{
	uint64_t v = SENTINEL;
	size_t len;
	const char *b = load(rel, &len);

	is_int(parse_u64(b, len, &v), 0, "parse_u64 %s", rel);
	is_u64(v, want, "parse_u64 %s value", rel);
}

static void u64_str(const char *s, int want_r, uint64_t want)
{
	uint64_t v = SENTINEL;
	size_t len;
	const char *b = exact(s, &len);
	int r = parse_u64(b, len, &v);

	is_int(r, want_r, "parse_u64 \"%s\" returns %d", esc(s), want_r);
	is_u64(v, want_r == 0 ? want : SENTINEL, "parse_u64 \"%s\" value%s", esc(s),
	       want_r == 0 ? "" : " untouched");
}

static void u64_or_max_str(const char *s, int want_r, uint64_t want)
{
	uint64_t v = SENTINEL;
	size_t len;
	const char *b = exact(s, &len);
	int r = parse_u64_or_max(b, len, &v);

	is_int(r, want_r, "parse_u64_or_max \"%s\" returns %d", esc(s), want_r);
	is_u64(v, want_r == 0 ? want : SENTINEL, "parse_u64_or_max \"%s\" value", esc(s));
}

static void test_u64(void)
{
	uint64_t v;
	size_t len;
	const char *b;
	char garbage[] = "123456";

	u64_file(V2 "lab/memory.max", 33554432);
	u64_file(V2 "lab/memory.current", 90112);
	u64_file(V2 "lab/memory.peak", 33554432);
	u64_file(V2 "lab/memory.swap.max", 0);
	u64_file(V2 "lab/pids.max", 16);
	u64_file(V2 "lab/pids.current", 0);
	u64_file(V1 "memory/lab/memory.limit_in_bytes", 33554432);
	u64_file(V1 "memory/lab/memory.failcnt", 59);
	u64_file(V1 "memory/lab/memory.usage_in_bytes", 98304);
	u64_file(V1 "memory/root/memory.limit_in_bytes", 9223372036854771712ULL);
	u64_file(V1 "memory/lab/memory.memsw.limit_in_bytes", 9223372036854771712ULL);
	u64_file(V1 "cpu,cpuacct/lab/cpuacct.usage", 1176439449);
	u64_file(HY "memory/memory.limit_in_bytes", 67108864);
	u64_file(HY "memory/memory.max_usage_in_bytes", 67108864);
	u64_file(HY "memory/memory.failcnt", 72);
	u64_file(HY "memory/memory.usage_in_bytes", 1679360);
	u64_file(HY "memory/root-memory.limit_in_bytes", 9223372036854771712ULL);
	u64_file(HY "pids/pids.max", 4);
	u64_file(HY "pids/pids.current", 3);

	b = load(V1 "memory/root/memory.limit_in_bytes", &len);
	ok(parse_u64(b, len, &v) == 0 && v >= CG_V1_UNLIMITED_MIN,
	   "v1 root limit 9223372036854771712 counts as unlimited");
	b = load(V1 "memory/lab/memory.limit_in_bytes", &len);
	ok(parse_u64(b, len, &v) == 0 && v < CG_V1_UNLIMITED_MIN, "v1 limit 32M is a real limit");

	u64_str("42", 0, 42);
	u64_str("42\n", 0, 42);
	u64_str("  42 \t\n", 0, 42);
	u64_str("0", 0, 0);
	u64_str("18446744073709551615", 0, UINT64_MAX);
	u64_str("18446744073709551616", -ERANGE, 0);
	u64_str("99999999999999999999999\n", -ERANGE, 0);
	u64_str("", -EINVAL, 0);
	u64_str("\n", -EINVAL, 0);
	u64_str(" ", -EINVAL, 0);
	u64_str("-1", -EINVAL, 0);
	u64_str("+1", -EINVAL, 0);
	u64_str("12a", -EINVAL, 0);
	u64_str("1 2", -EINVAL, 0);
	u64_str("1\n2\n", -EINVAL, 0);
	u64_str("0x10", -EINVAL, 0);
	u64_str("max", -EINVAL, 0);
	u64_str("99999999999999999999999x", -EINVAL, 0);

	/* the byte after the buffer is a digit: it must not be read */
	is_int(parse_u64(garbage, 3, &v), 0, "parse_u64 of 3 bytes of \"123456\"");
	is_u64(v, 123, "parse_u64 stops at len");
	is_int(parse_u64(garbage, 0, &v), -EINVAL, "parse_u64 of 0 bytes");

	b = load(V2 "lab/memory.high", &len);
	v = 0;
	is_int(parse_u64_or_max(b, len, &v), 0, "parse_u64_or_max memory.high (\"max\")");
	is_u64(v, CG_UNLIMITED, "memory.high max is CG_UNLIMITED");
	b = load(V2 "lab/memory.max", &len);
	is_int(parse_u64_or_max(b, len, &v), 0, "parse_u64_or_max memory.max");
	is_u64(v, 33554432, "memory.max is 32M");
	u64_or_max_str("max", 0, CG_UNLIMITED);
	u64_or_max_str(" max \n", 0, CG_UNLIMITED);
	u64_or_max_str("16\n", 0, 16);
	u64_or_max_str("ma", -EINVAL, 0);
	u64_or_max_str("maxx", -EINVAL, 0);
	u64_or_max_str("max 1", -EINVAL, 0);
	u64_or_max_str("MAX", -EINVAL, 0);
	u64_or_max_str("", -EINVAL, 0);
	u64_or_max_str("18446744073709551616", -ERANGE, 0);
	memcpy(garbage, "maxine", 6);
	is_int(parse_u64_or_max(garbage, 3, &v), 0, "parse_u64_or_max of 3 bytes of \"maxine\"");
	is_u64(v, CG_UNLIMITED, "\"max\" followed by garbage past len");
}

/* parse_keyed collector */
struct kc {
	unsigned n, stop_at;
	char keys[64][40];
	uint64_t vals[64];
};

static int kc_cb(const char *key, size_t key_len, uint64_t value, void *userdata)
{
	struct kc *c = userdata;

	if (c->n < 64) {
		size_t l = key_len < 39 ? key_len : 39;

		memcpy(c->keys[c->n], key, l);
		c->keys[c->n][l] = '\0';
		c->vals[c->n] = value;
	}
	c->n++;
	if (c->stop_at && c->n == c->stop_at)
		return 7;
	return 0;
}

static uint64_t kc_get(const struct kc *c, const char *key)
{
	for (unsigned i = 0; i < c->n && i < 64; i++)
		if (strcmp(c->keys[i], key) == 0)
			return c->vals[i];
	return SENTINEL;
}

static void keyed_get(const char *rel, const char *key, int want_r, uint64_t want)
{
	uint64_t v = SENTINEL;
	size_t len;
	const char *b = load(rel, &len);

	is_int(parse_keyed_get(b, len, key, &v), want_r, "parse_keyed_get %s %s returns %d", rel,
	       key, want_r);
	is_u64(v, want_r == 0 ? want : SENTINEL, "parse_keyed_get %s %s value", rel, key);
}

static void keyed_get_str(const char *s, const char *key, int want_r, uint64_t want)
{
	uint64_t v = SENTINEL;
	size_t len;
	const char *b = exact(s, &len);

	is_int(parse_keyed_get(b, len, key, &v), want_r, "parse_keyed_get \"%s\" %s returns %d",
	       esc(s), key, want_r);
	is_u64(v, want_r == 0 ? want : SENTINEL, "parse_keyed_get \"%s\" %s value", esc(s), key);
}

static void test_keyed(void)
{
	struct kc c;
	size_t len;
	const char *b;
	char buf[] = "max 357";
	uint64_t v;

	memset(&c, 0, sizeof(c));
	b = load(V2 "lab/memory.stat", &len);
	is_int(parse_keyed(b, len, kc_cb, &c), 0, "parse_keyed v2 memory.stat");
	is_int(c.n, 51, "v2 memory.stat has 51 keys");
	is_str(c.keys[0], "anon", "first key anon");
	is_u64(kc_get(&c, "anon"), 0, "anon 0");
	is_u64(kc_get(&c, "file"), 8192, "file 8192");
	is_u64(kc_get(&c, "kernel"), 12288, "kernel 12288");
	is_u64(kc_get(&c, "slab"), 4512, "slab 4512");
	is_u64(kc_get(&c, "pgfault"), 8779, "pgfault 8779");
	is_str(c.keys[50], "thp_collapse_alloc", "last key thp_collapse_alloc");

	memset(&c, 0, sizeof(c));
	b = load(HY "memory/memory.stat", &len);
	is_int(parse_keyed(b, len, kc_cb, &c), 0, "parse_keyed hybrid v1 memory.stat");
	is_int(c.n, 42, "hybrid memory.stat has 42 keys");
	is_u64(kc_get(&c, "rss"), 630784, "rss 630784");
	is_u64(kc_get(&c, "cache"), 24576, "cache 24576");
	is_u64(kc_get(&c, "hierarchical_memory_limit"), 67108864, "hierarchical_memory_limit 64M");
	is_u64(kc_get(&c, "hierarchical_memsw_limit"), 9223372036854771712ULL,
	       "hierarchical_memsw_limit unlimited");
	is_u64(kc_get(&c, "total_pgfault"), 25855, "total_pgfault 25855");

	memset(&c, 0, sizeof(c));
	b = load(V1 "memory/lab/memory.oom_control", &len);
	is_int(parse_keyed(b, len, kc_cb, &c), 0, "parse_keyed v1 memory.oom_control");
	is_int(c.n, 3, "oom_control has 3 keys");
	is_u64(kc_get(&c, "oom_kill"), 1, "oom_control oom_kill 1");

	memset(&c, 0, sizeof(c));
	c.stop_at = 3;
	b = load(V2 "lab/memory.events", &len);
	is_int(parse_keyed(b, len, kc_cb, &c), 7, "parse_keyed returns the callback's stop value");
	is_int(c.n, 3, "callback not called after it stopped the walk");

	memset(&c, 0, sizeof(c));
	b = exact("a 1\nb x\nc 18446744073709551616\n\n  d\t4  \nnovalue\ne 5", &len);
	is_int(parse_keyed(b, len, kc_cb, &c), 0, "parse_keyed skips lines without a u64");
	is_int(c.n, 3, "three good lines");
	is_str(c.keys[0], "a", "key a");
	is_str(c.keys[1], "d", "key d (blanks around)");
	is_u64(c.vals[1], 4, "d 4");
	is_str(c.keys[2], "e", "key e without trailing newline");
	is_u64(c.vals[2], 5, "e 5");

	memset(&c, 0, sizeof(c));
	b = exact("", &len);
	is_int(parse_keyed(b, len, kc_cb, &c), 0, "parse_keyed of an empty buffer");
	is_int(c.n, 0, "no callback for an empty buffer");

	keyed_get(V2 "lab/memory.events", "max", 0, 35);
	keyed_get(V2 "lab/memory.events", "oom", 0, 1);
	keyed_get(V2 "lab/memory.events", "oom_kill", 0, 1);
	keyed_get(V2 "lab/memory.events", "oom_group_kill", 0, 0);
	keyed_get(V2 "lab/memory.events", "low", 0, 0);
	keyed_get(V2 "lab/memory.events", "oom_group", -ENXIO, 0);
	keyed_get(V2 "lab/memory.events", "ma", -ENXIO, 0);
	keyed_get(V2 "lab/memory.events", "ax", -ENXIO, 0);
	keyed_get(V2 "lab/memory.events.local", "max", 0, 35);
	/* "oom_kill_disable 0" comes first: "oom_kill" must not take its value */
	keyed_get(V1 "memory/lab/memory.oom_control", "oom_kill", 0, 1);
	keyed_get(V1 "memory/lab/memory.oom_control", "under_oom", 0, 0);
	keyed_get(V1 "memory/lab/memory.oom_control", "oom", -ENXIO, 0);
	keyed_get(HY "memory/memory.oom_control", "oom_kill", 0, 1);
	keyed_get(V2 "lab/cpu.stat", "usage_usec", 0, 1149475);
	keyed_get(V2 "lab/cpu.stat", "user_usec", 0, 903754);
	keyed_get(V2 "lab/cpu.stat", "system_usec", 0, 245721);
	keyed_get(V2 "lab/cpu.stat", "nr_throttled", 0, 19);
	keyed_get(V2 "lab/cpu.stat", "throttled_usec", 0, 892304);
	keyed_get(V2 "root/cpu.stat", "usage_usec", 0, 4224000);
	keyed_get(V1 "cpu,cpuacct/lab/cpu.stat", "throttled_time", 0, 938241389);
	keyed_get(V1 "cpu,cpuacct/lab/cpu.stat", "nr_throttled", 0, 20);
	keyed_get(V1 "cpu,cpuacct/lab/cpuacct.stat", "user", 0, 89);
	keyed_get(V1 "cpu,cpuacct/lab/cpuacct.stat", "system", 0, 28);
	keyed_get(V1 "unified/lab/cpu.stat", "usage_usec", 0, 1158864);
	keyed_get(HY "cpuacct/cpuacct.stat", "user", 0, 5738);
	keyed_get(HY "cpuacct/cpuacct.stat", "system", 0, 5633);
	keyed_get(HY "cpu/cpu.stat", "throttled_time", 0, 0);
	keyed_get(HY "unified/cpu.stat", "usage_usec", 0, 111013649);
	keyed_get(HY "unified/cpu.stat", "system_usec", 0, 54998138);
	keyed_get(HY "unified/cpu.stat", "nice_usec", 0, 0);
	keyed_get(V2 "lab/pids.events", "max", 0, 1);
	keyed_get(V1 "pids/lab/pids.events", "max", 0, 1);
	keyed_get(HY "pids/pids.events", "max", 0, 4);
	keyed_get(V2 "lab/memory.stat", "anon", 0, 0);
	keyed_get(V2 "lab/memory.stat", "active_anon", 0, 8192);
	keyed_get(V2 "lab/memory.stat", "thp_collapse_alloc", 0, 0);
	keyed_get(HY "memory/memory.stat", "rss", 0, 630784);
	keyed_get(HY "memory/memory.stat", "total_rss", 0, 630784);
	keyed_get(HY "memory/memory.stat", "swap", 0, 0);

	keyed_get_str("max_usage 9\nmax 3\n", "max", 0, 3);
	keyed_get_str("oom_kill 5\noom 2\n", "oom", 0, 2);
	keyed_get_str("max_usage_in_bytes 5\n", "max_usage_in", -ENXIO, 0);
	keyed_get_str("max 35", "max", 0, 35);
	keyed_get_str("max", "max", -ENXIO, 0);
	keyed_get_str("max ", "max", -EINVAL, 0);
	keyed_get_str("max x\n", "max", -EINVAL, 0);
	keyed_get_str("max 18446744073709551616\n", "max", -ERANGE, 0);
	keyed_get_str("", "max", -ENXIO, 0);
	keyed_get_str("\n\n", "max", -ENXIO, 0);
	keyed_get_str("garbage\x01\xff\n", "max", -ENXIO, 0);

	is_int(parse_keyed_get(buf, 6, "max", &v), 0, "parse_keyed_get of 6 bytes of \"max 357\"");
	is_u64(v, 35, "value stops at len");
}

static void count_file(const char *rel, size_t want)
{
	size_t len;
	const char *b = load(rel, &len);

	is_u64(parse_count_lines(b, len), want, "parse_count_lines %s", rel);
}

static void count_str(const char *s, size_t want)
{
	size_t len;
	const char *b = exact(s, &len);

	is_u64(parse_count_lines(b, len), want, "parse_count_lines \"%s\"", esc(s));
}

static void test_count(void)
{
	char buf[] = "1\n2\n3\n";

	count_file(V2 "lab/cgroup.procs", 0);
	count_file(V2 "lab/cgroup.threads", 0);
	count_file(V2 "root/cgroup.procs", 47);
	count_file(V1 "memory/root/cgroup.procs", 47);
	count_file(V1 "pids/lab/cgroup.procs", 0);
	count_file(HY "memory/cgroup.procs", 3);
	count_file(HY "memory/tasks", 3);
	count_file(HY "pids/cgroup.procs", 3);
	count_file(HY "unified/cgroup.procs", 75);
	count_str("", 0);
	count_str("\n", 0);
	count_str("\n\n", 0);
	count_str("1", 1);
	count_str("1\n2", 2);
	count_str("1\n\n2\n", 2);
	count_str("1\n \n2\n", 2);
	is_u64(parse_count_lines(buf, 3), 2, "parse_count_lines of 3 bytes of \"1\\n2\\n3\\n\"");
}

static void io_file(const char *rel, uint64_t rb, uint64_t wb, uint64_t ri, uint64_t wi)
{
	struct io_totals t;
	size_t len;
	const char *b = load(rel, &len);

	memset(&t, 0xff, sizeof(t));
	is_int(parse_io_stat(b, len, &t), 0, "parse_io_stat %s", rel);
	is_u64(t.rbytes, rb, "%s rbytes", rel);
	is_u64(t.wbytes, wb, "%s wbytes", rel);
	is_u64(t.rios, ri, "%s rios", rel);
	is_u64(t.wios, wi, "%s wios", rel);
	is_u64(t.dbytes, 0, "%s dbytes", rel);
	is_u64(t.dios, 0, "%s dios", rel);
}

static void io_bad(const char *s, int want_r)
{
	struct io_totals t;
	size_t len;
	const char *b = exact(s, &len);

	memset(&t, 0xab, sizeof(t));
	is_int(parse_io_stat(b, len, &t), want_r, "parse_io_stat \"%s\" returns %d", esc(s),
	       want_r);
	is_u64(t.rbytes, 0xababababababababULL, "parse_io_stat \"%s\" leaves output alone", esc(s));
}

static void test_io_stat(void)
{
	struct io_totals t;
	size_t len;
	const char *b;

	io_file(V2 "lab/io.stat", 2097152, 1048576, 32, 16);
	io_file(V2 "root/io.stat", 2109440, 1048576, 35, 16);

	/* two devices: the real line of the lab plus one more, with iocost's debug keys */
	b = exact("254:0 rbytes=2097152 wbytes=1048576 rios=32 wios=16 dbytes=0 dios=0\n"
		  "8:16 rbytes=100 wbytes=200 rios=3 wios=4 dbytes=4096 dios=1 cost.vrate=100.00 "
		  "cost.usage=5 cost.wait=0 cost.indebt=0 cost.indelay=0",
		  &len);
	is_int(parse_io_stat(b, len, &t), 0, "parse_io_stat two devices, no trailing newline");
	is_u64(t.rbytes, 2097252, "rbytes summed");
	is_u64(t.wbytes, 1048776, "wbytes summed");
	is_u64(t.rios, 35, "rios summed");
	is_u64(t.wios, 20, "wios summed");
	is_u64(t.dbytes, 4096, "dbytes summed");
	is_u64(t.dios, 1, "dios summed");

	b = exact("", &len);
	memset(&t, 0xff, sizeof(t));
	is_int(parse_io_stat(b, len, &t), 0, "parse_io_stat empty");
	ok(t.rbytes == 0 && t.wbytes == 0 && t.rios == 0 && t.wios == 0 && t.dbytes == 0 &&
		   t.dios == 0,
	   "empty io.stat gives zeros");
	b = exact("8:0 rbytes=1\n\n", &len);
	is_int(parse_io_stat(b, len, &t), 0, "parse_io_stat device with only some keys");
	is_u64(t.rbytes, 1, "rbytes 1");

	io_bad("garbage\n", -EINVAL);
	io_bad("8:0 rbytes=x\n", -EINVAL);
	io_bad("8:0 rbytes=12x\n", -EINVAL);
	io_bad("8:0 rbytes\n", -EINVAL);
	io_bad("8 rbytes=1\n", -EINVAL);
	io_bad("8:0 rbytes=18446744073709551616\n", -ERANGE);
	io_bad("8:0 rbytes=18446744073709551615\n8:16 rbytes=1\n", -ERANGE);
}

static void blkio_file(const char *rel, uint64_t want_r, uint64_t want_w)
{
	uint64_t r = SENTINEL, w = SENTINEL;
	size_t len;
	const char *b = load(rel, &len);

	is_int(parse_blkio_v1(b, len, &r, &w), 0, "parse_blkio_v1 %s", rel);
	is_u64(r, want_r, "%s read", rel);
	is_u64(w, want_w, "%s write", rel);
}

static void blkio_str(const char *s, int want_ret, uint64_t want_r, uint64_t want_w)
{
	uint64_t r = SENTINEL, w = SENTINEL;
	size_t len;
	const char *b = exact(s, &len);

	is_int(parse_blkio_v1(b, len, &r, &w), want_ret, "parse_blkio_v1 \"%s\" returns %d", esc(s),
	       want_ret);
	is_u64(r, want_ret ? SENTINEL : want_r, "\"%s\" read", esc(s));
	is_u64(w, want_ret ? SENTINEL : want_w, "\"%s\" write", esc(s));
}

static void test_blkio(void)
{
	blkio_file(V1 "blkio/lab/blkio.throttle.io_service_bytes_recursive", 2097152, 0);
	blkio_file(V1 "blkio/lab/blkio.throttle.io_serviced_recursive", 32, 0);
	blkio_file(V1 "blkio/root/blkio.throttle.io_service_bytes", 0, 0);
	blkio_file(V1 "blkio/noiolimit/blkio.throttle.io_service_bytes_recursive", 0, 0);
	blkio_file(HY "blkio/blkio.throttle.io_service_bytes_recursive", 2117632, 2097152);
	blkio_file(HY "blkio/blkio.throttle.io_serviced_recursive", 7, 2);
	blkio_file(HY "blkio/root-blkio.throttle.io_service_bytes_recursive", 43761664, 2723840);
	blkio_file(HY "blkio/root-blkio.throttle.io_serviced_recursive", 669, 152);
	blkio_str("", 0, 0, 0);
	blkio_str("Total 0", 0, 0, 0);
	blkio_str("8:0 Read 10\n8:0 Write 20\n8:0 Total 30\n8:16 Read 1\n8:16 Write 2\n"
		  "8:16 Sync 3\nTotal 33",
		  0, 11, 22);
	blkio_str("8:0 Read x\n", -EINVAL, 0, 0);
	blkio_str("8:0 Read\n", -EINVAL, 0, 0);
	blkio_str("8:0\n", -EINVAL, 0, 0);
	blkio_str("8-0 Read 1\n", -EINVAL, 0, 0);
	blkio_str("8:0 Read 18446744073709551615\n8:1 Read 1\n", -ERANGE, 0, 0);
}

static void psi_file(const char *rel, double s10, double s60, double s300, uint64_t stotal,
		     bool full, double f10, uint64_t ftotal)
{
	struct psi p;
	size_t len;
	const char *b = load(rel, &len);

	memset(&p, 0, sizeof(p));
	is_int(parse_psi(b, len, &p), 0, "parse_psi %s", rel);
	ok(p.has_some, "%s has some", rel);
	ok(p.some.avg10 == s10, "%s some avg10 %.2f (got %.17g)", rel, s10, p.some.avg10);
	ok(p.some.avg60 == s60, "%s some avg60 %.2f (got %.17g)", rel, s60, p.some.avg60);
	ok(p.some.avg300 == s300, "%s some avg300 %.2f (got %.17g)", rel, s300, p.some.avg300);
	is_u64(p.some.total, stotal, "%s some total", rel);
	is_int(p.has_full, full, "%s has full", rel);
	if (full) {
		ok(p.full.avg10 == f10, "%s full avg10 %.2f (got %.17g)", rel, f10, p.full.avg10);
		is_u64(p.full.total, ftotal, "%s full total", rel);
	}
}

static void psi_bad(const char *s, int want_r)
{
	struct psi p;
	size_t len;
	const char *b = exact(s, &len);

	memset(&p, 0x5a, sizeof(p));
	is_int(parse_psi(b, len, &p), want_r, "parse_psi \"%s\" returns %d", esc(s), want_r);
	is_u64(p.some.total, 0x5a5a5a5a5a5a5a5aULL, "parse_psi \"%s\" leaves output alone", esc(s));
}

static void test_psi(void)
{
	struct psi p;
	size_t len;
	const char *b;

	psi_file(V2 "lab/cpu.pressure", 6.78, 1.40, 0.29, 935581, true, 6.60, 914117);
	psi_file(V2 "lab/memory.pressure", 0.54, 0.09, 0.02, 70793, true, 0.54, 70793);
	psi_file(V2 "lab/io.pressure", 3.57, 0.73, 0.15, 503124, true, 3.57, 503124);
	psi_file(V2 "proc/pressure-memory", 0.54, 0.09, 0.02, 70770, true, 0.54, 65228);
	psi_file(V1 "proc/pressure-cpu", 11.60, 2.75, 0.60, 1887867, true, 0.00, 0);
	psi_file(V1 "unified/lab/cpu.pressure", 6.64, 1.36, 0.29, 977386, true, 6.45, 954452);
	psi_file(HY "unified/cpu.pressure", 0.00, 0.21, 0.88, 8714267, true, 0.00, 0);
	psi_file(HY "unified/memory.pressure", 0.00, 0.00, 0.00, 2773, true, 0.00, 2219);
	psi_file(HY "unified/io.pressure", 0.11, 0.11, 0.58, 5840687, true, 0.11, 5524824);
	psi_file(HY "proc/pressure-cpu", 0.00, 0.21, 0.88, 8716809, true, 0.00, 0);

	/* kernels before 5.13 print only "some" in /proc/pressure/cpu */
	b = exact("some avg10=100.00 avg60=0.10 avg300=12.5 total=18446744073709551615", &len);
	memset(&p, 0xff, sizeof(p));
	is_int(parse_psi(b, len, &p), 0, "parse_psi some only, no newline");
	ok(p.has_some && !p.has_full, "some only: has_full false");
	ok(p.some.avg10 == 100.0 && p.some.avg300 == 12.5, "avg10 100.00, avg300 12.5");
	is_u64(p.some.total, UINT64_MAX, "total UINT64_MAX");

	psi_bad("", -EINVAL);
	psi_bad("\n", -EINVAL);
	psi_bad("full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", -EINVAL);
	psi_bad("some avg10=0.00 avg60=0.00 avg300=0.00\n", -EINVAL);
	psi_bad("some avg10=abc avg60=0.00 avg300=0.00 total=0\n", -EINVAL);
	psi_bad("some avg10=1. avg60=0.00 avg300=0.00 total=0\n", -EINVAL);
	psi_bad("some avg10=.5 avg60=0.00 avg300=0.00 total=0\n", -EINVAL);
	psi_bad("some avg10=-1.00 avg60=0.00 avg300=0.00 total=0\n", -EINVAL);
	psi_bad("some avg10=0,50 avg60=0.00 avg300=0.00 total=0\n", -EINVAL);
	psi_bad("some avg10=0.00 avg60=0.00 avg300=0.00 total=18446744073709551616\n", -ERANGE);
	psi_bad("some avg10 avg60=0.00 avg300=0.00 total=0\n", -EINVAL);
	psi_bad("other avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", -EINVAL);
	psi_bad("1\n", -EINVAL);
}

/* cpu.max, cpu.cfs_quota_us and CPU lists */
static void cpu_max_file(const char *rel, int want_r, uint64_t want_q, uint64_t want_p)
{
	uint64_t q = SENTINEL, p = SENTINEL;
	size_t len;
	const char *b = load(rel, &len);

	is_int(parse_cpu_max(b, len, &q, &p), want_r, "parse_cpu_max %s", rel);
	ok(q == want_q && p == want_p, "parse_cpu_max %s: quota %llu period %llu", rel, (unsigned long long)q,
	   (unsigned long long)p);
}

static void cpu_max_str(const char *s, int want_r)
{
	uint64_t q = SENTINEL, p = SENTINEL;
	size_t len;
	const char *b = exact(s, &len);

	is_int(parse_cpu_max(b, len, &q, &p), want_r, "parse_cpu_max \"%s\" returns %d", esc(s), want_r);
	if (want_r < 0)
		ok(q == SENTINEL && p == SENTINEL, "parse_cpu_max \"%s\" leaves the output alone", esc(s));
}

static void cfs_quota_file(const char *rel, uint64_t want)
{
	uint64_t v = SENTINEL;
	size_t len;
	const char *b = load(rel, &len);

	is_int(parse_cfs_quota(b, len, &v), 0, "parse_cfs_quota %s", rel);
	is_u64(v, want, "parse_cfs_quota %s value", rel);
}

static void cfs_quota_str(const char *s, int want_r, uint64_t want)
{
	uint64_t v = SENTINEL;
	size_t len;
	const char *b = exact(s, &len);

	is_int(parse_cfs_quota(b, len, &v), want_r, "parse_cfs_quota \"%s\" returns %d", esc(s), want_r);
	is_u64(v, want_r == 0 ? want : SENTINEL, "parse_cfs_quota \"%s\" value", esc(s));
}

static void cpu_list_file(const char *rel, uint64_t want)
{
	uint64_t v = SENTINEL;
	size_t len;
	const char *b = load(rel, &len);

	is_int(parse_cpu_list(b, len, &v), 0, "parse_cpu_list %s", rel);
	is_u64(v, want, "parse_cpu_list %s: %llu CPUs", rel, (unsigned long long)want);
}

static void cpu_list_str(const char *s, int want_r, uint64_t want)
{
	uint64_t v = SENTINEL;
	size_t len;
	const char *b = exact(s, &len);

	is_int(parse_cpu_list(b, len, &v), want_r, "parse_cpu_list \"%s\" returns %d", esc(s), want_r);
	is_u64(v, want_r == 0 ? want : SENTINEL, "parse_cpu_list \"%s\" value", esc(s));
}

/* A process list read whole: every pid in order, then the end (also at a line that is no
 * number: a list cut short must not yield part of one as a pid). */
static void pid_list(const char *text, const long *want, unsigned n, const char *what)
{
	const char *s = text;
	unsigned i = 0;
	long pid;

	while (parse_pid_next(&s, &pid)) {
		if (i < n)
			is_int((int)pid, (int)want[i], "parse_pid_next %s: pid %u", what, i);
		i++;
	}
	is_int((int)i, (int)n, "parse_pid_next %s: %u pids", what, n);
}

static void test_pid_list(void)
{
	size_t len;
	const char *b = load(V2 "root/cgroup.procs", &len);
	char *text = strndup(b, len); /* a process list is read whole, NUL-terminated */
	const char *s = text;
	long pid, first = -1, last = -1;
	unsigned n = 0;

	while (parse_pid_next(&s, &pid)) {
		if (!n)
			first = pid;
		last = pid;
		n++;
	}
	is_int((int)n, 47, "parse_pid_next " V2 "root/cgroup.procs: 47 pids");
	is_int((int)first, 1, "parse_pid_next " V2 "root/cgroup.procs: the first is 1");
	is_int((int)last, 203, "parse_pid_next " V2 "root/cgroup.procs: the last");
	pid_list("", NULL, 0, "empty");
	pid_list("12\n34\n", (const long[]){ 12, 34 }, 2, "two");
	pid_list("12\n\n34", (const long[]){ 12, 34 }, 2, "a blank line, no final newline");
	pid_list("12\nx\n34\n", (const long[]){ 12 }, 1, "stops at no number");
	is_int(parse_pid_next(&(const char *){ NULL }, &pid), 0, "parse_pid_next: NULL is the end");
	free(text);
}

static void test_cpu_limits(void)
{
	cpu_max_file(V2 "quota/cpu.max", 0, 20000, 100000);
	cpu_max_file(V2 "quota/child-cpu.max", 0, CG_UNLIMITED, 100000);
	cpu_max_file(V2 "lab/cpu.max", 0, 50000, 100000);
	cpu_max_str("max 100000", 0);
	cpu_max_str("1000 1000\n", 0);
	cpu_max_str("", -EINVAL);
	cpu_max_str("max", -EINVAL);
	cpu_max_str("20000", -EINVAL);
	cpu_max_str("20000 0", -EINVAL);
	cpu_max_str("20000 100000 1", -EINVAL);
	cpu_max_str("-1 100000", -EINVAL);
	cpu_max_str("20000 99999999999999999999999", -ERANGE);

	cfs_quota_file(HY "cpu-quota/cpu.cfs_quota_us", 20000);
	cfs_quota_file(HY "cpu-quota/root-cpu.cfs_quota_us", CG_UNLIMITED);
	u64_file(HY "cpu-quota/cpu.cfs_period_us", 100000);
	cfs_quota_str("-1\n", 0, CG_UNLIMITED);
	cfs_quota_str("0", 0, 0);
	cfs_quota_str("-", -EINVAL, 0);
	cfs_quota_str("--1", -EINVAL, 0);
	cfs_quota_str("max", -EINVAL, 0);
	cfs_quota_str("", -EINVAL, 0);

	cpu_list_file(V2 "quota/cpuset.cpus", 1);
	cpu_list_file(V2 "quota/child-cpuset.cpus", 0); /* empty: the parent's */
	cpu_list_file(V2 "quota/cpuset.cpus.effective", 1);
	cpu_list_file(HY "cpuset/cpuset.cpus", 1);
	cpu_list_file(HY "cpuset/root-cpuset.effective_cpus", 2);
	cpu_list_str("0-3,8,10-11\n", 0, 7);
	cpu_list_str("5", 0, 1);
	cpu_list_str("0-255", 0, 256);
	cpu_list_str("\n", 0, 0);
	cpu_list_str("3-1", -EINVAL, 0);
	cpu_list_str("0,", -EINVAL, 0);
	cpu_list_str(",0", -EINVAL, 0);
	cpu_list_str("0-", -EINVAL, 0);
	cpu_list_str("0 1", -EINVAL, 0);
	cpu_list_str("a", -EINVAL, 0);

	/* memory.high of the v2 guest: a number and "max" */
	u64_or_max_str("33554432\n", 0, 33554432);
	{
		uint64_t v = SENTINEL;
		size_t len;
		const char *b = load(V2 "quota/memory.high", &len);

		is_int(parse_u64_or_max(b, len, &v), 0, "parse_u64_or_max quota/memory.high");
		is_u64(v, 33554432, "quota/memory.high is 32M");
		b = load(V2 "quota/child-memory.high", &len);
		is_int(parse_u64_or_max(b, len, &v), 0, "parse_u64_or_max quota/child-memory.high");
		is_u64(v, CG_UNLIMITED, "quota/child-memory.high is max");
	}
	keyed_get(V2 "quota/memory.events.local", "oom_kill", 0, 0);
}

int main(void)
{
	test_u64();
	test_keyed();
	test_count();
	test_io_stat();
	test_blkio();
	test_psi();
	test_cpu_limits();
	test_pid_list();
	td_free_all();
	return tap_done();
}
