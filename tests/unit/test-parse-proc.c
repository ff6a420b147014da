/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-parse-proc.c - unit tests of src/base/parse-proc.c: /proc/PID/mountinfo lines (pure v1 with
 * "cpu,cpuacct" co-mounted, pure v2, hybrid with "name=systemd", octal escapes, optional
 * fields), /proc/PID/cgroup lines, /proc/meminfo keys and the /proc/stat cpu line, against real
 * text captured on kernels 6.1 and 6.18 under tests/data/, plus malformed input.
 */
#include <errno.h>

#include "base/parse.h"
#include "../tap.h"
#include "testdata.h"

#define V2 "cgroup2/6.1/"
#define V1 "cgroup1/6.1/"
#define HY "hybrid/6.18/"

static char out[4096];

/* Every line of a mountinfo file parses; returns the number of lines. */
static unsigned mountinfo_all(const char *rel)
{
	struct mountinfo_entry m;
	size_t len, ll;
	const char *b = load(rel, &len), *l;
	unsigned i, bad = 0;

	for (i = 0; (l = nth_line(b, len, i, &ll)); i++)
		if (ll && parse_mountinfo_line(l, ll, out, ll + 1, &m) != 0)
			bad++;
	is_int(bad, 0, "every line of %s parses", rel);
	return i;
}

/* The line of rel whose mount point is mp. */
static int mountinfo_find(const char *rel, const char *mp, struct mountinfo_entry *m)
{
	size_t len, ll;
	const char *b = load(rel, &len), *l;

	for (unsigned i = 0; (l = nth_line(b, len, i, &ll)); i++)
		if (parse_mountinfo_line(l, ll, out, sizeof(out), m) == 0 &&
		    strcmp(m->mount_point, mp) == 0)
			return 0;
	return -ENOENT;
}

static void mountinfo_check(const char *rel, const char *mp, unsigned id, unsigned parent,
			    unsigned major, unsigned minor, const char *fstype, const char *source,
			    const char *super_opts)
{
	struct mountinfo_entry m;

	if (!ok(mountinfo_find(rel, mp, &m) == 0, "%s has %s", rel, mp)) {
		/* keep the plan stable */
		for (int i = 0; i < 7; i++)
			ok(0, "%s %s (missing)", rel, mp);
		return;
	}
	is_int(m.mount_id, id, "%s %s mount id", rel, mp);
	is_int(m.parent_id, parent, "%s %s parent id", rel, mp);
	ok(m.major == major && m.minor == minor, "%s %s dev %u:%u", rel, mp, major, minor);
	is_str(m.root, "/", "%s %s root", rel, mp);
	is_str(m.fstype, fstype, "%s %s fstype", rel, mp);
	is_str(m.source, source, "%s %s source", rel, mp);
	is_str(m.super_opts, super_opts, "%s %s super options", rel, mp);
}

static void mountinfo_bad(const char *s, size_t out_size, int want_r)
{
	struct mountinfo_entry m;
	size_t len;
	const char *b = exact(s, &len);

	memset(&m, 0, sizeof(m));
	is_int(parse_mountinfo_line(b, len, out, out_size ? out_size : len + 1, &m), want_r,
	       "parse_mountinfo_line \"%s\" returns %d", esc(s), want_r);
	ok(m.root == NULL && m.mount_id == 0, "parse_mountinfo_line \"%s\" leaves output alone",
	   esc(s));
}

static void test_mountinfo(void)
{
	struct mountinfo_entry m;
	size_t len;
	const char *b;
	char *small;
	unsigned n, cg;

	n = mountinfo_all(HY "proc/self-mountinfo");
	is_int(n, 20, "hybrid mountinfo has 20 lines");
	n = mountinfo_all(V1 "proc/self-mountinfo");
	is_int(n, 20, "v1 mountinfo has 20 lines");
	n = mountinfo_all(V2 "proc/self-mountinfo");
	is_int(n, 7, "v2 mountinfo has 7 lines");

	/* hybrid 6.18: separate v1 hierarchies, name=systemd and an empty cgroup2 */
	mountinfo_check(HY "proc/self-mountinfo", "/sys/fs/cgroup", 31, 23, 0, 28, "tmpfs",
			"tmpfs", "rw,mode=755");
	mountinfo_check(HY "proc/self-mountinfo", "/sys/fs/cgroup/cpu", 32, 31, 0, 29, "cgroup",
			"cgroup", "rw,cpu");
	mountinfo_check(HY "proc/self-mountinfo", "/sys/fs/cgroup/memory", 35, 31, 0, 32,
			"cgroup", "cgroup", "rw,memory");
	mountinfo_check(HY "proc/self-mountinfo", "/sys/fs/cgroup/systemd", 40, 31, 0, 37,
			"cgroup", "cgroup", "rw,name=systemd");
	mountinfo_check(HY "proc/self-mountinfo", "/sys/fs/cgroup/unified", 41, 31, 0, 38,
			"cgroup2", "cgroup2", "rw");
	mountinfo_check(HY "proc/self-mountinfo", "/", 27, 1, 254, 0, "ext4", "/dev/vda",
			"rw,discard,resv_strict,resuid=65534,resgid=65534");
	mountinfo_check(HY "proc/self-mountinfo", "/sys/kernel/tracing", 42, 23, 0, 13, "tracefs",
			"none", "rw");
	/* pure v1 6.1: co-mounted controllers */
	mountinfo_check(V1 "proc/self-mountinfo", "/sys/fs/cgroup/cpu,cpuacct", 28, 26, 0, 25,
			"cgroup", "cgroup", "rw,cpu,cpuacct");
	mountinfo_check(V1 "proc/self-mountinfo", "/sys/fs/cgroup/net_cls,net_prio", 33, 26, 0,
			30, "cgroup", "cgroup", "rw,net_cls,net_prio");
	mountinfo_check(V1 "proc/self-mountinfo", "/sys/fs/cgroup/unified", 39, 26, 0, 36,
			"cgroup2", "cgroup2", "rw,nsdelegate");
	/* the rootfs line: mount id equal to its parent, no optional field */
	mountinfo_check(V1 "proc/self-mountinfo", "/", 1, 1, 0, 2, "rootfs", "rootfs",
			"rw,size=228616k,nr_inodes=57154,inode64");
	/* pure v2 6.1 */
	mountinfo_check(V2 "proc/self-mountinfo", "/sys/fs/cgroup", 26, 23, 0, 23, "cgroup2",
			"cgroup2", "rw,nsdelegate,memory_recursiveprot");

	/* count the cgroup mounts of the hybrid host: 9 v1 hierarchies and one cgroup2 */
	b = load(HY "proc/self-mountinfo", &len);
	cg = 0;
	for (unsigned i = 0;; i++) {
		size_t ll;
		const char *l = nth_line(b, len, i, &ll);

		if (!l)
			break;
		if (parse_mountinfo_line(l, ll, out, sizeof(out), &m) == 0 &&
		    (strcmp(m.fstype, "cgroup") == 0 || strcmp(m.fstype, "cgroup2") == 0))
			cg++;
	}
	is_int(cg, 10, "hybrid: 10 cgroup mounts");

	/* real escapes: a tmpfs mounted by capture-hybrid.sh on "a b<TAB>c\d" from "cgtop src" */
	b = load(HY "proc/mountinfo-escapes", &len);
	is_int(parse_mountinfo_line(b, len, out, len + 1, &m), 0,
	       "mountinfo line with \\040 \\011 \\134 (out of exactly len+1 bytes)");
	is_str(m.mount_point, "/tmp/cgtop-capture-2335.mnt/a b\tc\\d", "mount point decoded");
	is_str(m.source, "cgtop src", "source decoded");
	is_str(m.fstype, "tmpfs", "fstype tmpfs");
	is_str(m.super_opts, "rw", "super options rw");
	is_int(m.mount_id, 65, "mount id 65");

	/* proc(5)'s example: one optional field */
	b = exact("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root "
		  "rw,errors=continue\n",
		  &len);
	is_int(parse_mountinfo_line(b, len, out, sizeof(out), &m), 0, "proc(5) example");
	is_str(m.root, "/mnt1", "root /mnt1");
	is_str(m.mount_point, "/mnt2", "mount point /mnt2");
	is_str(m.fstype, "ext3", "fstype ext3");
	is_str(m.source, "/dev/root", "source /dev/root");
	is_str(m.super_opts, "rw,errors=continue", "super options");
	ok(m.major == 98 && m.minor == 0, "dev 98:0");

	b = exact("100 30 0:45 /sub\\012dir /m rw shared:5 master:2 propagate_from:1 unbindable "
		  "- cgroup2 cgroup2 rw",
		  &len);
	is_int(parse_mountinfo_line(b, len, out, sizeof(out), &m), 0,
	       "four optional fields, \\012, bind mount of a subdirectory");
	is_str(m.root, "/sub\ndir", "root with a newline");
	is_str(m.fstype, "cgroup2", "fstype after the optional fields");

	/* an empty source prints as two spaces */
	b = exact("50 1 0:50 / /x rw - tmpfs  rw", &len);
	is_int(parse_mountinfo_line(b, len, out, sizeof(out), &m), 0, "empty source");
	is_str(m.source, "", "source is empty");
	is_str(m.super_opts, "rw", "super options after an empty source");

	b = exact("50 1 0:50 / /a\\b\\12x\\0400 rw - tmpfs t rw", &len);
	is_int(parse_mountinfo_line(b, len, out, sizeof(out), &m), 0, "backslashes not escapes");
	is_str(m.mount_point, "/a\\b\\12x 0", "lone backslashes kept, \\040 then 0");

	/* the buffer must not be read past len: the next byte would make a 4th super option */
	b = exact("41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate",
		  &len);
	is_int(parse_mountinfo_line(b, len - 11, out, sizeof(out), &m), 0, "shortened line");
	is_str(m.super_opts, "rw", "super options end at len");

	/* out of len+1 bytes is enough, len bytes is not */
	b = exact("27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n", &len);
	small = malloc(len + 1);
	is_int(parse_mountinfo_line(b, len, small, len + 1, &m), 0, "out of len+1 bytes");
	is_str(m.source, "/dev/vda", "source in a tight out buffer");
	free(small);

	mountinfo_bad("", 0, -EINVAL);
	mountinfo_bad("\n", 0, -EINVAL);
	mountinfo_bad("garbage", 0, -EINVAL);
	mountinfo_bad("32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime cgroup cgroup rw,cpu", 0,
		      -EINVAL);
	mountinfo_bad("32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup", 0, -EINVAL);
	mountinfo_bad("32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu extra", 0,
		      -EINVAL);
	mountinfo_bad("x 31 0:29 / /c rw - cgroup cgroup rw", 0, -EINVAL);
	mountinfo_bad("32 31 0-29 / /c rw - cgroup cgroup rw", 0, -EINVAL);
	mountinfo_bad("32 31 0:0x1d / /c rw - cgroup cgroup rw", 0, -EINVAL);
	mountinfo_bad("4294967296 31 0:29 / /c rw - cgroup cgroup rw", 0, -ERANGE);
	mountinfo_bad("32 31 0:29  /c rw - cgroup cgroup rw", 0, -EINVAL);
	mountinfo_bad("32 31 0:29 / /c\\000 rw - cgroup cgroup rw", 0, -EINVAL);
	mountinfo_bad("32 31 0:29 / /c rw - cgroup cgroup rw", 10, -ENOBUFS);
}

static void cgroup_line(const char *s, unsigned id, const char *ctl, const char *path)
{
	struct proc_cgroup_entry e;
	size_t len;
	const char *b = exact(s, &len);

	memset(&e, 0, sizeof(e));
	is_int(parse_proc_cgroup_line(b, len, out, len + 1, &e), 0, "parse_proc_cgroup_line \"%s\"",
	       esc(s));
	is_int(e.hierarchy_id, id, "\"%s\" hierarchy id", esc(s));
	is_str(e.controllers, ctl, "\"%s\" controllers", esc(s));
	is_str(e.path, path, "\"%s\" path", esc(s));
}

static void cgroup_bad(const char *s, int want_r)
{
	struct proc_cgroup_entry e;
	size_t len;
	const char *b = exact(s, &len);

	memset(&e, 0, sizeof(e));
	is_int(parse_proc_cgroup_line(b, len, out, len + 1, &e), want_r,
	       "parse_proc_cgroup_line \"%s\" returns %d", esc(s), want_r);
	ok(e.path == NULL, "\"%s\" leaves output alone", esc(s));
}

/* Finds the line of rel with hierarchy id; checks controllers and path. */
static void cgroup_file(const char *rel, unsigned idx, unsigned id, const char *ctl,
			const char *path)
{
	struct proc_cgroup_entry e;
	size_t len, ll;
	const char *b = load(rel, &len), *l = nth_line(b, len, idx, &ll);

	memset(&e, 0, sizeof(e));
	if (!ok(l && parse_proc_cgroup_line(l, ll, out, ll + 1, &e) == 0, "%s line %u parses", rel,
		idx + 1)) {
		ok(0, "%s line %u", rel, idx + 1);
		return;
	}
	ok(e.hierarchy_id == id && strcmp(e.controllers, ctl) == 0 && strcmp(e.path, path) == 0,
	   "%s line %u is %u:%s:%s", rel, idx + 1, id, ctl, path);
}

static void test_proc_cgroup(void)
{
	struct proc_cgroup_entry e;
	size_t len, ll;
	const char *b, *l;
	unsigned i, bad = 0;

	cgroup_file(V2 "proc/self-cgroup-in-lab", 0, 0, "", "/lab");
	cgroup_file(V2 "proc/self-cgroup", 0, 0, "", "/");
	cgroup_file(V1 "proc/self-cgroup-in-lab", 8, 4, "memory", "/lab");
	cgroup_file(V1 "proc/self-cgroup-in-lab", 10, 2, "cpu,cpuacct", "/lab");
	cgroup_file(V1 "proc/self-cgroup-in-lab", 5, 7, "net_cls,net_prio", "/lab");
	cgroup_file(V1 "proc/self-cgroup-in-lab", 12, 0, "", "/lab");
	cgroup_file(V1 "proc/self-cgroup", 0, 12, "misc", "/");
	cgroup_file(HY "proc/self-cgroup", 0, 9, "name=systemd", "/");
	cgroup_file(HY "proc/self-cgroup", 5, 4, "memory",
		    "/process_api/94d58b9d27a035a43d916997548602bd");
	cgroup_file(HY "proc/self-cgroup", 9, 0, "", "/");
	cgroup_file(HY "proc/child-cgroup", 1, 8, "pids", "/cgtop-capture-2335");
	cgroup_file(HY "proc/child-cgroup", 5, 4, "memory",
		    "/process_api/94d58b9d27a035a43d916997548602bd/cgtop-capture-2335");

	b = load(HY "proc/child-cgroup", &len);
	for (i = 0; (l = nth_line(b, len, i, &ll)); i++)
		if (ll && parse_proc_cgroup_line(l, ll, out, ll + 1, &e) != 0)
			bad++;
	is_int(i, 10, "child-cgroup has 10 lines");
	is_int(bad, 0, "every line of child-cgroup parses");

	cgroup_line("0::/lab", 0, "", "/lab");
	cgroup_line("0::/lab\n", 0, "", "/lab");
	cgroup_line("4:memory:/lab", 4, "memory", "/lab");
	cgroup_line("1:name=x:/a:b", 1, "name=x", "/a:b");
	cgroup_line("0::/../..", 0, "", "/../..");
	cgroup_line("0::/lab (deleted)", 0, "", "/lab (deleted)");

	/* not read past len: the buffer goes on with "x" */
	b = exact("0::/labx", &len);
	is_int(parse_proc_cgroup_line(b, len - 1, out, len, &e), 0, "proc cgroup line within len");
	is_str(e.path, "/lab", "path ends at len");

	cgroup_bad("", -EINVAL);
	cgroup_bad("\n", -EINVAL);
	cgroup_bad("garbage", -EINVAL);
	cgroup_bad("x::/", -EINVAL);
	cgroup_bad(":memory:/", -EINVAL);
	cgroup_bad("0:/", -EINVAL);
	cgroup_bad("0::", -EINVAL);
	cgroup_bad("0::lab", -EINVAL);
	cgroup_bad("4294967296::/", -ERANGE);
	b = exact("4:memory:/lab", &len);
	is_int(parse_proc_cgroup_line(b, len, out, 5, &e), -ENOBUFS, "out too small: -ENOBUFS");
}

static void meminfo(const char *rel, const char *key, int want_r, uint64_t want)
{
	uint64_t v = 0xdeadbeef;
	size_t len;
	const char *b = load(rel, &len);

	is_int(parse_meminfo_get(b, len, key, &v), want_r, "parse_meminfo_get %s %s returns %d",
	       rel, key, want_r);
	is_u64(v, want_r ? 0xdeadbeef : want, "%s %s value", rel, key);
}

static void meminfo_str(const char *s, const char *key, int want_r, uint64_t want)
{
	uint64_t v = 0xdeadbeef;
	size_t len;
	const char *b = exact(s, &len);

	is_int(parse_meminfo_get(b, len, key, &v), want_r, "parse_meminfo_get \"%s\" %s returns %d",
	       esc(s), key, want_r);
	is_u64(v, want_r ? 0xdeadbeef : want, "\"%s\" %s value", esc(s), key);
}

static void test_meminfo(void)
{
	meminfo(V2 "proc/meminfo", "MemTotal", 0, 468404ULL * 1024);
	meminfo(V2 "proc/meminfo", "MemAvailable", 0, 432080ULL * 1024);
	meminfo(V2 "proc/meminfo", "Cached", 0, 7204ULL * 1024);
	meminfo(V2 "proc/meminfo", "SwapCached", 0, 0);
	meminfo(V2 "proc/meminfo", "Active", 0, 6256ULL * 1024);
	meminfo(V2 "proc/meminfo", "Inactive(anon)", 0, 1136ULL * 1024);
	meminfo(V2 "proc/meminfo", "VmallocTotal", 0, 34359738367ULL * 1024);
	meminfo(V2 "proc/meminfo", "HugePages_Total", 0, 0);
	meminfo(V2 "proc/meminfo", "DirectMap2M", 0, 493568ULL * 1024);
	meminfo(V2 "proc/meminfo", "Mem", -ENXIO, 0);
	meminfo(V2 "proc/meminfo", "Total", -ENXIO, 0);
	meminfo(V2 "proc/meminfo", "NoSuchKey", -ENXIO, 0);
	meminfo(V1 "proc/meminfo", "MemTotal", 0, 468404ULL * 1024);
	meminfo(HY "proc/meminfo", "MemTotal", 0, 24684096ULL * 1024);
	meminfo(HY "proc/meminfo", "MemAvailable", 0, 24249188ULL * 1024);
	meminfo(HY "proc/meminfo", "Cached", 0, 156716ULL * 1024);
	meminfo(HY "proc/meminfo", "SwapTotal", 0, 0);

	meminfo_str("MemTotal: 1 kB", "MemTotal", 0, 1024);
	meminfo_str("HugePages_Free: 7\n", "HugePages_Free", 0, 7);
	meminfo_str("MemTotal:       24684096 kBxyz", "MemTotal", -EINVAL, 0);
	meminfo_str("MemTotal: abc kB\n", "MemTotal", -EINVAL, 0);
	meminfo_str("MemTotal: kB\n", "MemTotal", -EINVAL, 0);
	meminfo_str("MemTotal: 18014398509481984 kB\n", "MemTotal", -ERANGE, 0);
	meminfo_str("MemTotal: 18446744073709551616\n", "MemTotal", -ERANGE, 0);
	meminfo_str("", "MemTotal", -ENXIO, 0);
	meminfo_str("MemTotal 5 kB\n", "MemTotal", -ENXIO, 0);
}

static void stat_str(const char *s, int want_r, uint64_t want_u, uint64_t want_s)
{
	uint64_t u = 0xdeadbeef, sy = 0xdeadbeef;
	size_t len;
	const char *b = exact(s, &len);

	is_int(parse_proc_stat_cpu(b, len, &u, &sy), want_r,
	       "parse_proc_stat_cpu \"%s\" returns %d", esc(s), want_r);
	ok(u == (want_r ? 0xdeadbeef : want_u) && sy == (want_r ? 0xdeadbeef : want_s),
	   "\"%s\" user %" PRIu64 " system %" PRIu64, esc(s), u, sy);
}

static void test_proc_stat(void)
{
	uint64_t u = 0, sy = 0;
	size_t len;
	const char *b = load(HY "proc/stat", &len);

	/* "cpu  5601 0 5426 67554 645 0 75 68 0 0": user+nice, system+irq+softirq */
	is_int(parse_proc_stat_cpu(b, len, &u, &sy), 0, "parse_proc_stat_cpu hybrid /proc/stat");
	is_u64(u, 5601, "user ticks 5601");
	is_u64(sy, 5501, "system ticks 5426+0+75");

	stat_str("cpu  1 2 3 4 5 6 7", 0, 3, 16);
	stat_str("cpu  1 2 3 4 5 6 7 8 9 10\ncpu0 1 2 3 4 5 6 7 8 9 10\n", 0, 3, 16);
	stat_str("cpu  18446744073709551615 1 0 0 0 0 0\n", -ERANGE, 0, 0);
	stat_str("cpu  1 2 3 4 5 6\n", -EINVAL, 0, 0);
	stat_str("cpu0 1 2 3 4 5 6 7\n", -EINVAL, 0, 0);
	stat_str("cpu  1 2 x 4 5 6 7\n", -EINVAL, 0, 0);
	stat_str("", -EINVAL, 0, 0);
	stat_str("intr 1 2 3\n", -EINVAL, 0, 0);
	/* the 7th number is cut by len: "cpu  1 2 3 4 5 6 7" of "...6 78" */
	b = exact("cpu  1 2 3 4 5 6 78", &len);
	is_int(parse_proc_stat_cpu(b, len - 1, &u, &sy), 0, "proc stat within len");
	is_u64(sy, 16, "softirq 7 read up to len");
}

static void busy_str(const char *s, int want_r, uint64_t want_busy, uint64_t want_total)
{
	uint64_t bu = 0xdeadbeef, to = 0xdeadbeef;
	size_t len;
	const char *b = exact(s, &len);

	is_int(parse_proc_stat_cpu_busy(b, len, &bu, &to), want_r,
	       "parse_proc_stat_cpu_busy \"%s\" returns %d", esc(s), want_r);
	ok(bu == (want_r ? 0xdeadbeef : want_busy) && to == (want_r ? 0xdeadbeef : want_total),
	   "\"%s\" busy %" PRIu64 " total %" PRIu64, esc(s), bu, to);
}

/* The dashboard header's CPU bar: busy and total time of the whole host. */
static void test_proc_stat_busy(void)
{
	uint64_t bu = 0, to = 0;
	size_t len;
	const char *b = load("proc/stat", &len);

	/* "cpu  3389474 122279 1555396 808306 2053 0 8417 0 0 0" (tests/data/proc/README) */
	is_int(parse_proc_stat_cpu_busy(b, len, &bu, &to), 0,
	       "parse_proc_stat_cpu_busy of this host's /proc/stat");
	is_u64(to, 5885925, "total: user..steal");
	is_u64(bu, 5075566, "busy: total less idle 808306 and iowait 2053");
	b = load(HY "proc/stat", &len);
	is_int(parse_proc_stat_cpu_busy(b, len, &bu, &to), 0, "parse_proc_stat_cpu_busy hybrid /proc/stat");
	is_u64(to, 5601 + 5426 + 67554 + 645 + 75 + 68, "hybrid total");
	is_u64(bu, 5601 + 5426 + 75 + 68, "hybrid busy");

	/* an old kernel's four fields; the guest fields past steal are not added */
	busy_str("cpu  1 2 3 4\n", 0, 6, 10);
	busy_str("cpu  1 2 3 4 5 6 7 8 9 10\n", 0, 1 + 2 + 3 + 6 + 7 + 8, 36);
	busy_str("cpu  1 2 3\n", -EINVAL, 0, 0);
	busy_str("cpu  1 2 x 4\n", -EINVAL, 0, 0);
	busy_str("cpu0 1 2 3 4\n", -EINVAL, 0, 0);
	busy_str("", -EINVAL, 0, 0);
	busy_str("cpu  18446744073709551615 1 0 0\n", -ERANGE, 0, 0);
}

/* The dashboard header's memory bar, on this host's /proc/meminfo. */
static void test_meminfo_host(void)
{
	meminfo("proc/meminfo", "MemTotal", 0, 24683748ULL * 1024);
	meminfo("proc/meminfo", "MemAvailable", 0, 19595456ULL * 1024);
}

/* /proc/cgroups: the count of hierarchy id in text s (exactly its length). */
static void cgroups_count(const char *what, const char *s, size_t len, unsigned id, int want_r, uint64_t want)
{
	uint64_t got = 12345;

	is_int(parse_proc_cgroups_count(s, len, id, &got), want_r,
	       "parse_proc_cgroups_count %s, hierarchy %u, returns %d", what, id, want_r);
	if (want_r == 0)
		ok(got == want, "%s, hierarchy %u: %llu groups (got %llu)", what, id,
		   (unsigned long long)want, (unsigned long long)got);
	else
		ok(got == 12345, "%s, hierarchy %u: the count is left alone", what, id);
}

static void test_proc_cgroups(void)
{
	size_t len;
	/* the 6.18 hybrid host with a fleet of 2000 groups: 2004 memory
	 * directories then, 18 removed memory groups not yet freed */
	const char *b = load("hybrid/6.18/proc/cgroups", &len);
	const char *s;

	cgroups_count("hybrid 6.18", b, len, 1, 0, 2002);    /* cpu */
	cgroups_count("hybrid 6.18", b, len, 4, 0, 2022);    /* memory */
	cgroups_count("hybrid 6.18", b, len, 8, 0, 2002);    /* pids, the last line */
	cgroups_count("hybrid 6.18", b, len, 9, -ENOENT, 0); /* name=systemd: not listed */
	cgroups_count("hybrid 6.18", b, len, 42, -ENOENT, 0);

	/* co-mounted controllers share an ID: the largest of their lines */
	s = exact(
		"#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t3\t7\t1\ncpuacct\t3\t9\t1\nmemory\t4\t5\t1\n",
		&len);
	cgroups_count("cpu,cpuacct", s, len, 3, 0, 9);
	cgroups_count("cpu,cpuacct", s, len, 4, 0, 5);
	/* no newline at the end, spaces for tabs */
	s = exact("cpu 3 7 1\nmemory 4 5 1", &len);
	cgroups_count("no final newline", s, len, 4, 0, 5);
	/* the header alone, and nothing */
	s = exact("#subsys_name\thierarchy\tnum_cgroups\tenabled\n", &len);
	cgroups_count("header only", s, len, 0, -ENOENT, 0);
	cgroups_count("empty", "", 0, 1, -ENOENT, 0);
	/* a count that is no number, on the line asked for or another */
	s = exact("cpu\t3\tmany\t1\nmemory\t4\t5\t1\n", &len);
	cgroups_count("bad count", s, len, 3, -EINVAL, 0);
	cgroups_count("bad count elsewhere", s, len, 4, 0, 5);
	/* a line cut short is not a line of the hierarchy */
	s = exact("cpu\t3\t7\n", &len);
	cgroups_count("three fields", s, len, 3, -ENOENT, 0);
}

int main(void)
{
	test_mountinfo();
	test_proc_cgroup();
	test_meminfo();
	test_proc_stat();
	test_proc_stat_busy();
	test_meminfo_host();
	test_proc_cgroups();
	td_free_all();
	return tap_done();
}
