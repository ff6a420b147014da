/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-kmsg.c - unit tests of src/events/kmsg-record.c: /dev/kmsg records (header, \xNN escapes,
 * dictionary lines, truncation), the framing of saved-log lines as dmesg, syslog and journalctl
 * print them (time stamps, levels, facilities, other programs' lines), bad input (NUL, control
 * bytes, over-long lines, every prefix of a line), and every line of every rendering captured
 * under tests/data/kmsg/; then src/events/kmsg-paste.c, logs as people paste them: every captured log
 * with CRLF line ends, indented, quoted, wrapped at 80 columns by a cut or a word wrap, and mixes
 * of those, must give the very records of the clean log; a path cut at the wrap is rejoined or
 * dropped, never handed on; a reply after a quote and prose after a code block stay apart.
 * Inputs sit in heap blocks of their exact length, so AddressSanitizer catches a read past len.
 */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "events/kmsg.h"
#include "events/kmsg-paste.h"
#include "../tap.h"
#include "testdata.h"

static char out[KMSG_LINE_MAX * 2 + 16];

#define ANY_YEAR (-2) /* syslog time stamps have no year */

static int line(const char *s, struct kmsg_line *l)
{
	size_t n;
	const char *p = exact(s, &n);

	return kmsg_parse_line(p, n, out, sizeof(out), l);
}

static int record(const char *s, struct kmsg_line *l)
{
	size_t n;
	const char *p = exact(s, &n);

	return kmsg_parse_record(p, n, out, sizeof(out), l);
}

/* One framed line: its framing, message, time stamps and level. */
static void framed(const char *s, enum kmsg_framing fr, const char *msg, int64_t ts, int64_t wall,
		   int level, int facility)
{
	struct kmsg_line l;
	int r = line(s, &l);

	is_int(r, 0, "parse: %s", esc(s));
	is_int(l.framing, fr, "  framing");
	is_str(l.msg, msg, "  message");
	is_int(l.msg_len, strlen(msg), "  message length");
	is_int(l.ts_usec, ts, "  monotonic time");
	if (wall != ANY_YEAR)
		is_int(l.wall_sec, wall, "  wall time");
	else
		ok(l.wall_sec > 0, "  wall time (this year's)");
	is_int(l.level, level, "  level");
	is_int(l.facility, facility, "  facility");
}

static void records(void)
{
	struct kmsg_line l;

	is_int(record("6,409,6313558,-;cgroup: fork rejected by pids controller in /lab\n", &l), 0,
	       "record: plain");
	is_int(l.framing, KF_KMSG, "  framing kmsg");
	is_int(l.level, 6, "  level");
	is_int(l.facility, 0, "  facility");
	is_u64(l.seq, 409, "  seq");
	is_int(l.ts_usec, 6313558, "  usec");
	is_str(l.msg, "cgroup: fork rejected by pids controller in /lab", "  message");
	ok(!l.subsystem && !l.device, "  no dictionary");

	is_int(record("14,1095,2751736047,-;myprog: pid=1234 task=foo\n", &l), 0,
	       "record: written by a program");
	is_int(l.facility, 1, "  facility user");
	is_int(l.level, 6, "  level info");

	is_int(record("4,12,34,c,caller=T166;a\\x5cx2d\\x0ab\\x41\\xZZ\\\n SUBSYSTEM=pci\n"
		      " DEVICE=+pci:0000:00:1f.2\n",
		      &l),
	       0, "record: caller field, escapes, dictionary");
	is_str(l.msg, "a\\x2d\nbA\\xZZ\\", "  \\x5c is a backslash, \\x0a a newline, bad escapes stay");
	is_int(l.msg_len, 13, "  decoded length");
	is_str(l.subsystem, "pci", "  SUBSYSTEM");
	is_str(l.device, "+pci:0000:00:1f.2", "  DEVICE");

	is_int(record("6,1,2,-;user\\x5cx2d1000.slice\n", &l), 0, "record: escaped unit name");
	is_str(l.msg, "user\\x2d1000.slice", "  decoded once, the unit name's own escape literal");

	is_int(record("6,409,6313558,-;cut", &l), -EINVAL, "record: no newline (cut) is -EINVAL");
	is_int(record("6,409,6313558;x\n", &l), -EINVAL, "record: three fields is -EINVAL");
	is_int(record("6,409,6313558,-x\n", &l), -EINVAL, "record: no ';' is -EINVAL");
	is_int(record("a,409,6313558,-;x\n", &l), -EINVAL, "record: bad prio is -EINVAL");
	is_int(record("", &l), -EINVAL, "record: empty is -EINVAL");
	is_int(record("6,1,2,-;x\n SUBSYSTEM=pci", &l), -EINVAL, "record: cut dictionary line");
	is_int(record("6,1,2,-;x\nSUBSYSTEM=pci\n", &l), -EINVAL,
	       "record: dictionary line without its blank");
	is_int(record("6,1,2,-;x\x01y\n", &l), -EINVAL, "record: control byte is -EINVAL");
	{
		static const char nul[] = "6,1,2,-;x\0y\n";
		char *b = malloc(sizeof(nul) - 1);

		memcpy(b, nul, sizeof(nul) - 1);
		is_int(kmsg_parse_record(b, sizeof(nul) - 1, out, sizeof(out), &l), -EINVAL,
		       "record: NUL byte is -EINVAL");
		free(b);
	}
	{
		char small[8];
		size_t n;
		const char *p = exact("6,1,2,-;hello\n", &n);

		is_int(kmsg_parse_record(p, n, small, sizeof(small), &l), -ENOBUFS,
		       "record: output smaller than len + 1 is -ENOBUFS");
		is_int(kmsg_parse_record(p, n, out, n + 1, &l), 0, "record: len + 1 is enough");
	}
}

static void framings(void)
{
	struct kmsg_line l;

	/* 2026-11-29 06:27:37 UTC */
	const int64_t t0 = 1795933657;

	framed("[ 2751.778393] a b,c(d) invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)", KF_DMESG,
	       "a b,c(d) invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)", 2751778393LL, -1, -1, -1);
	framed("[    5.751577]  dump_stack_lvl+0x44/0x5c", KF_DMESG, " dump_stack_lvl+0x44/0x5c",
	       5751577, -1, -1, -1);
	framed("[    0.000000] Linux version 6.1.0", KF_DMESG, "Linux version 6.1.0", 0, -1, -1, -1);
	framed("[12.5] short fraction", KF_DMESG, "short fraction", 12500000, -1, -1, -1);
	framed("[    5.754908] [  T166] oom-kill:x", KF_DMESG, "oom-kill:x", 5754908, -1, -1, -1);
	framed("<3>[ 2751.778829] Memory cgroup out of memory: Killed", KF_DMESG_RAW,
	       "Memory cgroup out of memory: Killed", 2751778829LL, -1, 3, 0);
	framed("<14>[    1.000000] myprog: hi", KF_DMESG_RAW, "myprog: hi", 1000000, -1, 6, 1);
	framed("<6>no time stamp", KF_DMESG_RAW, "no time stamp", -1, -1, 6, 0);
	framed("kern  :err   : [ 2751.778829] Memory cgroup", KF_DMESG_DECODE, "Memory cgroup",
	       2751778829LL, -1, 3, 0);
	framed("user  :notice: [ 2752.293162] audit: type=1300", KF_DMESG_DECODE, "audit: type=1300",
	       2752293162LL, -1, 5, 1);
	framed("kern  :info  : no time", KF_DMESG_DECODE, "no time", -1, -1, 6, 0);
	framed("[Sun Nov 29 06:27:37 2026] oom-kill:constraint=CONSTRAINT_MEMCG", KF_DMESG_CTIME,
	       "oom-kill:constraint=CONSTRAINT_MEMCG", -1, t0, -1, -1);
	framed("[Mon Nov  2 06:27:37 2026] padded day", KF_DMESG_CTIME, "padded day", -1,
	       t0 - 27 * 86400, -1, -1);
	framed("2026-11-29T06:27:37,835355+00:00 dmesg iso", KF_DMESG_CTIME, "dmesg iso", -1, t0, -1,
	       -1);
	/* dmesg --time-format reltime and delta (tests/data/kmsg/host-times-6.18): no time since
	 * boot in them; the reltime marker's month name is the locale's */
	framed("[Dec 5 19:15] memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)", KF_DMESG,
	       "memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)", -1, -1, -1, -1);
	framed("[Nov29 05:42] two-digit day", KF_DMESG, "two-digit day", -1, -1, -1, -1);
	framed("[Dez 5 19:15] de_DE", KF_DMESG, "de_DE", -1, -1, -1, -1);
	framed("[d\xc3\xa9" "c.29 05:42] fr_FR", KF_DMESG, "fr_FR", -1, -1, -1, -1);
	framed("[  +0.000014] CPU: 0 UID: 0 PID: 23369 Comm: memhog", KF_DMESG,
	       "CPU: 0 UID: 0 PID: 23369 Comm: memhog", -1, -1, -1, -1);
	framed("[<    0.000014>] [  23352]     0 23352 5368729768    13139", KF_DMESG,
	       "[  23352]     0 23352 5368729768    13139", -1, -1, -1, -1);
	framed("kern  :warn  : [  +0.000014] CPU: 0", KF_DMESG_DECODE, "CPU: 0", -1, -1, 4, 0);
	framed("kern  :err   : [<    0.000015>] Memory cgroup", KF_DMESG_DECODE, "Memory cgroup",
	       -1, -1, 3, 0);
	framed("kern  :warn  : 2026-11-29T06:27:37,835355+00:00 dmesg -x iso", KF_DMESG_DECODE,
	       "dmesg -x iso", -1, t0, 4, 0);
	/* journalctl -o json (tests/data/kmsg/host-times-6.18/journal.json): keys in any
	 * order, the message's escapes undone, bytes that are not UTF-8 as an array */
	framed("{\"_BOOT_ID\":\"dd6d\",\"__REALTIME_TIMESTAMP\":\"1795933657835299\",\"SYSLOG_FACILITY\":\"0\","
	       "\"MESSAGE\":\"memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)\","
	       "\"_SOURCE_MONOTONIC_TIMESTAMP\":\"19844001519\",\"PRIORITY\":\"4\",\"_TRANSPORT\":\"kernel\"}",
	       KF_SYSLOG, "memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)", 19844001519LL, t0,
	       4, 0);
	framed("{\"MESSAGE\":\"a \\\"q\\\" \\\\ b\\u00e9\\ud83d\\ude00\\nrss 1\",\"PRIORITY\":\"6\"}", KF_SYSLOG,
	       "a \"q\" \\ b\xc3\xa9\xf0\x9f\x98\x80\nrss 1", -1, -1, 6, -1);
	framed("{\"MESSAGE\":[104,105,255],\"_TRANSPORT\":\"kernel\"}", KF_SYSLOG, "hi\xff", -1, -1, -1,
	       -1);
	framed("{\"MESSAGE\":\"Started foo.service\",\"_TRANSPORT\":\"journal\",\"PRIORITY\":\"6\"}",
	       KF_NONE, "", -1, -1, -1, -1);
	framed("{\"PRIORITY\":\"6\"}", KF_NONE, "", -1, -1, -1, -1);
	framed("{\"MESSAGE\":\"cut", KF_NONE, "", -1, -1, -1, -1);
	{
		/* bulk reading: a journal record the OOM parser cannot care about is left empty */
		static const char j[] = "{\"MESSAGE\":\"Started foo\",\"_TRANSPORT\":\"kernel\"}";
		static const char k[] = "{\"MESSAGE\":[79,117,116,32,111,102,32,109,101,109,111,114,121],\"_TRANSPORT\":\"kernel\"}";

		is_int(kmsg_parse_line_lazy(j, sizeof(j) - 1, out, sizeof(out), &l), 0, "json lazy: parses");
		ok(l.framing == KF_SYSLOG && l.msg_len == 0 && l.msg[0] == '\0',
		   "  an irrelevant message left empty (%zu '%s')", l.msg_len, l.msg);
		is_int(kmsg_parse_line_lazy(k, sizeof(k) - 1, out, sizeof(out), &l), 0, "json lazy: bytes");
		is_str(l.msg, "Out of memory", "  a relevant one decoded");
	}
	framed("[+x] not a time stamp", KF_PLAIN, "[+x] not a time stamp", -1, -1, -1, -1);
	framed("[Dec 5 19:15 no bracket", KF_PLAIN, "[Dec 5 19:15 no bracket", -1, -1, -1, -1);
	framed("Nov 29 06:27:37 vm kernel: [ 2751.778393] a b invoked oom-killer:", KF_SYSLOG,
	       "a b invoked oom-killer:", 2751778393LL, ANY_YEAR, -1, -1);
	framed("2026-11-29T06:27:37.835299+00:00 vm kernel: [ 2751.778393] msg", KF_SYSLOG, "msg",
	       2751778393LL, t0, -1, -1);
	framed("2026-11-29T07:27:37.835299+01:00 vm kernel: msg", KF_SYSLOG, "msg", -1, t0, -1, -1);
	framed("2026-11-29T06:27:37+0000 vm kernel: journal iso", KF_SYSLOG, "journal iso", -1, t0,
	       -1, -1);
	framed("[ 2751.778393] vm kernel: journal monotonic", KF_SYSLOG, "journal monotonic",
	       2751778393LL, -1, -1, -1);
	framed("1795933657.835299 vm kernel: journal unix", KF_SYSLOG, "journal unix", -1, t0, -1,
	       -1);
	framed("Sun 2026-11-29 06:27:37 UTC vm kernel: journal full", KF_SYSLOG, "journal full", -1,
	       t0, -1, -1);
	framed("a b,c(d) invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)", KF_PLAIN,
	       "a b,c(d) invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)", -1, -1, -1, -1);
	framed("[drm] Initialized", KF_PLAIN, "[drm] Initialized", -1, -1, -1, -1);
	framed("Killed", KF_PLAIN, "Killed", -1, -1, -1, -1);
	framed("                             anon 33419264", KF_CONTINUATION, "anon 33419264", -1,
	       -1, -1, -1);
	framed("\tfile 8192", KF_CONTINUATION, "file 8192", -1, -1, -1, -1);

	/* syslog without a year: wall time is this year's (or last year's) */
	is_int(line("Nov 29 06:27:37 vm kernel: [ 2751.778393] x", &l), 0, "syslog: parses");
	{
		time_t w = (time_t)l.wall_sec;
		struct tm tm;

		ok(l.wall_sec > 0 && gmtime_r(&w, &tm) && tm.tm_mon == 10 && tm.tm_mday == 29 &&
			   tm.tm_hour == 6 && tm.tm_min == 27 && tm.tm_sec == 37,
		   "  syslog wall time is Nov 29 06:27:37 (TZ=UTC)");
	}
	is_int(line("Nov  9 06:27:37.834265 vm kernel: precise", &l), 0, "journal precise: parses");
	is_int(l.framing, KF_SYSLOG, "  framing syslog");
	is_str(l.msg, "precise", "  message");

	/* other programs' lines are no kernel messages */
	is_int(line("Nov 29 06:27:37 host sshd[12]: oom-kill:constraint=CONSTRAINT_MEMCG,pid=1",
		    &l),
	       0, "syslog of sshd: parses");
	is_int(l.framing, KF_NONE, "  framing none");
	is_int(line("2026-11-29T06:27:37+0000 vm myprog: pid=1234 task=foo oom-kill-ish text", &l),
	       0, "journal iso of myprog: parses");
	is_int(l.framing, KF_NONE, "  framing none");
	is_int(line("2026-11-29T06:27:37.1+00:00 host CRON[5]: Killed process 1 (x) total-vm:1kB",
		    &l),
	       0, "rfc3339 of CRON: parses");
	is_int(l.framing, KF_NONE, "  framing none");
	is_int(line("", &l), 0, "empty line: parses");
	is_int(l.framing, KF_NONE, "  framing none");
	is_str(l.msg, "", "  empty message");

	/* dictionary line of a record saved as text */
	is_int(line(" SUBSYSTEM=net", &l), 0, "dictionary line: parses");
	is_int(l.framing, KF_CONTINUATION, "  continuation");
	is_str(l.subsystem, "net", "  SUBSYSTEM");

	/* kmsg records as lines decode escapes; no other framing does */
	framed("6,1416,2753520856,-;oom-kill:oom_memcg=/k/user\\x5cx2d1000.slice,x\\x0ay", KF_KMSG,
	       "oom-kill:oom_memcg=/k/user\\x2d1000.slice,x\ny", 2753520856LL, -1, 6, 0);
	framed("[ 2753.520856] oom_memcg=/k/user\\x2d1000.slice", KF_DMESG,
	       "oom_memcg=/k/user\\x2d1000.slice", 2753520856LL, -1, -1, -1);
	framed("Nov 29 06:27:39 vm kernel: task_memcg=/user\\x2d1000.slice/app\\x2dfoo.scope",
	       KF_SYSLOG, "task_memcg=/user\\x2d1000.slice/app\\x2dfoo.scope", -1, ANY_YEAR, -1, -1);
	framed("user\\x2d1000 \\x5c", KF_PLAIN, "user\\x2d1000 \\x5c", -1, -1, -1, -1);
	/* rsyslog imkmsg keeps the kernel's escapes: decoded when every backslash is one */
	framed("Nov 29 06:29:12 vm kernel: oom_memcg=/k/user\\x5cx2d1000.slice,task=h\\xc3\\xa9llo",
	       KF_SYSLOG, "oom_memcg=/k/user\\x2d1000.slice,task=h\xc3\xa9llo", -1, ANY_YEAR, -1, -1);
	framed("Nov 29 06:29:12 vm kernel: anon 1\\x0afile 2", KF_SYSLOG, "anon 1\nfile 2", -1,
	       ANY_YEAR, -1, -1);
	framed("Nov 29 06:29:12 vm kernel: /u\\x2d1.slice/h\\xc3\\xa9", KF_SYSLOG,
	       "/u\\x2d1.slice/h\\xc3\\xa9", -1, ANY_YEAR, -1, -1);
	framed("Nov 29 06:29:12 vm kernel: a\\ b\\x5", KF_SYSLOG, "a\\ b\\x5", -1, ANY_YEAR, -1, -1);

	/* CRLF and a trailing newline are not part of the message */
	framed("[    1.000000] crlf\r\n", KF_DMESG, "crlf", 1000000, -1, -1, -1);
	/* UTF-8 and tabs are text */
	framed("[    1.000000] héllo,wörld\tü", KF_DMESG, "héllo,wörld\tü", 1000000, -1, -1, -1);
}

static void bad_input(void)
{
	struct kmsg_line l;
	char *big = malloc(KMSG_LINE_MAX + 1);
	static const char nul[] = "[    1.000000] a\0b";
	char *b;

	is_int(line("[    1.000000] bell\a", &l), -EINVAL, "control byte: -EINVAL");
	is_int(line("\x1b[31mred\x1b[0m", &l), -EINVAL, "escape sequence: -EINVAL");
	is_int(line("abc\x7f", &l), -EINVAL, "DEL: -EINVAL");
	is_int(line("\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10garbage", &l), -EINVAL,
	       "binary garbage: -EINVAL");
	b = malloc(sizeof(nul) - 1);
	memcpy(b, nul, sizeof(nul) - 1);
	is_int(kmsg_parse_line(b, sizeof(nul) - 1, out, sizeof(out), &l), -EINVAL,
	       "NUL byte: -EINVAL");
	free(b);

	memset(big, 'a', KMSG_LINE_MAX + 1);
	is_int(kmsg_parse_line(big, KMSG_LINE_MAX + 1, out, sizeof(out), &l), -EINVAL,
	       "line over KMSG_LINE_MAX: -EINVAL");
	is_int(kmsg_parse_line(big, KMSG_LINE_MAX, out, sizeof(out), &l), 0,
	       "line of exactly KMSG_LINE_MAX: parses");
	is_int(l.msg_len, KMSG_LINE_MAX, "  whole message");
	free(big);
	{
		char small[4];
		size_t n;
		const char *p = exact("[    1.000000] x", &n);

		is_int(kmsg_parse_line(p, n, small, sizeof(small), &l), -ENOBUFS,
		       "output smaller than len + 1: -ENOBUFS");
	}
}

/* Every prefix of some real lines and records parses or is refused, never more. */
static void prefixes(void)
{
	static const char *const samples[] = {
		"6,1416,2753520856,-,caller=T12;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),"
		"cpuset=/,mems_allowed=0,oom_memcg=/a\\x5cx2d,task_memcg=/a,task=x,pid=1,uid=0\n"
		" SUBSYSTEM=pci\n DEVICE=+pci:0000:00:1f.2\n",
		"<3>[ 2751.778829] [  T166] Memory cgroup out of memory: Killed process 1 (x)",
		"kern  :err   : [Sun Nov 29 06:27:37 2026] Memory cgroup out of memory",
		"Sun 2026-11-29 06:27:37 UTC vm kernel: [ 2751.778393] journal full",
		"2026-11-29T06:27:37.835299+00:00 vm kernel: [ 2751.778393] msg",
		"2026-11-29T06:27:37,835355+00:00 dmesg iso",
		"Nov  9 06:27:37.834265 vm kernel: precise",
		"1795933657.835299 vm kernel: journal unix",
		"kern  :warn  : 2026-11-29T06:27:37,835355+00:00 dmesg -x iso",
		"[Nov29 05:42] reltime",
		"[  +0.000014] reltime",
		"[<    0.000014>] delta",
		"{\"MESSAGE\":\"a\\u00e9\\ud83d\\ude00\",\"_TRANSPORT\":\"kernel\",\"PRIORITY\":\"6\"}",
		"{\"MESSAGE\":[104,105],\"__REALTIME_TIMESTAMP\":\"1795933657835299\"}",
	};
	unsigned bad = 0, total = 0;

	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		size_t n = strlen(samples[i]);

		for (size_t k = 0; k <= n; k++) {
			char *p = malloc(k ? k : 1);
			struct kmsg_line l;
			int r1, r2;

			memcpy(p, samples[i], k);
			r1 = kmsg_parse_line(p, k, out, sizeof(out), &l);
			if (r1 == 0 && l.msg_len > k)
				bad++;
			r2 = kmsg_parse_record(p, k, out, sizeof(out), &l);
			if ((r1 != 0 && r1 != -EINVAL) || (r2 != 0 && r2 != -EINVAL))
				bad++;
			total++;
			free(p);
		}
	}
	ok(bad == 0, "every prefix of %u lines parses or is -EINVAL, message within the input",
	   total);
}

/* ---- the captured corpus ---- */


/* The framings a file of the corpus may hold, by its name. */
static unsigned allowed_framings(const char *name)
{
#define F(x) (1u << (x))
	if (!strcmp(name, "kmsg.raw") || !strncmp(name, "kmsg-", 5))
		return F(KF_KMSG) | F(KF_CONTINUATION);
	if (!strcmp(name, "dmesg.txt"))
		return F(KF_DMESG) | F(KF_CONTINUATION);
	if (!strcmp(name, "dmesg-T.txt"))
		return F(KF_DMESG_CTIME) | F(KF_CONTINUATION);
	if (!strcmp(name, "dmesg-x.txt"))
		return F(KF_DMESG_DECODE) | F(KF_CONTINUATION);
	if (!strcmp(name, "dmesg-r.txt"))
		return F(KF_DMESG_RAW) | F(KF_CONTINUATION);
	if (!strcmp(name, "dmesg-reltime.txt") || !strcmp(name, "dmesg-delta.txt"))
		return F(KF_DMESG) | F(KF_CONTINUATION);
	if (!strcmp(name, "dmesg-iso.txt"))
		return F(KF_DMESG_CTIME) | F(KF_CONTINUATION);
	if (!strncmp(name, "dmesg-x-", 8))
		return F(KF_DMESG_DECODE) | F(KF_CONTINUATION);
	if (!strncmp(name, "syslog", 6))
		return F(KF_SYSLOG) | F(KF_NONE) | F(KF_CONTINUATION);
	if (!strcmp(name, "journal-monotonic.txt"))
		/* "[ts] HOST prog: msg" of a program cannot be told from a dmesg line */
		return F(KF_SYSLOG) | F(KF_NONE) | F(KF_CONTINUATION) | F(KF_DMESG);
	if (!strcmp(name, "journal.export") || !strcmp(name, "journal.json-pretty"))
		/* the MESSAGE field's line, bare; every other field's line no message */
		return F(KF_PLAIN) | F(KF_NONE);
	if (!strcmp(name, "journal-cat.txt"))
		return F(KF_PLAIN) | F(KF_CONTINUATION);
	if (!strncmp(name, "journal", 7))
		return F(KF_SYSLOG) | F(KF_NONE) | F(KF_CONTINUATION);
	if (!strcmp(name, "cri.txt") || !strcmp(name, "kubectl-timestamps.txt"))
		/* dmesg's lines behind the container log's time stamp */
		return F(KF_DMESG) | F(KF_CONTINUATION);
	/* dmesg --notime, consoles: anything but a bad line */
	return ~0u;
#undef F
}

/*
 * The lazy parse of bulk reading (kmsg_parse_line_lazy, the paste reader's fast path) against the
 * full one: a message it hands on is the full parse's, with the same framing, level, facility,
 * sequence number and time stamps; a message it leaves empty (one the OOM parser cannot care
 * about) keeps the framing, or the line's kind at least (no line, a continuation, a record).
 */
/* [m, m + n) is one "key value" line of a memory.stat dump with a key of klen bytes. */
static bool stat_pair_of(const char *m, size_t n, unsigned klen)
{
	size_t i;

	if (!klen || klen + 2 > n || m[klen] != ' ')
		return false;
	for (i = 0; i < klen; i++)
		if (!((m[i] >= 'a' && m[i] <= 'z') || (m[i] >= '0' && m[i] <= '9') || m[i] == '_'))
			return false;
	for (i = klen + 1; i < n; i++)
		if (m[i] < '0' || m[i] > '9')
			return false;
	return true;
}

static bool lazy_agrees(const char *s, size_t n, const struct kmsg_line *full)
{
	static char lout[KMSG_LINE_MAX * 2 + 16];
	struct kmsg_line l;

	if (kmsg_parse_line_lazy(s, n, lout, sizeof(lout), &l) != 0)
		return false;
	if (!l.msg_len)
		return l.msg && !l.msg[0] && (l.framing == KF_NONE) == (full->framing == KF_NONE) &&
		       (l.framing == KF_CONTINUATION) == (full->framing == KF_CONTINUATION);
	if (l.stat_key_len && !stat_pair_of(l.msg, l.msg_len, l.stat_key_len))
		return false;
	return l.framing == full->framing && l.level == full->level && l.facility == full->facility &&
	       l.seq == full->seq && l.ts_usec == full->ts_usec && l.wall_sec == full->wall_sec &&
	       l.msg_len == full->msg_len && memcmp(l.msg, full->msg, l.msg_len + 1) == 0;
}

static void corpus_file(const char *dir, const char *name)
{
	char path[4096 + 512];
	size_t len, lines = 0, wrong = 0, bad = 0, rec_bad = 0, lazy_bad = 0;
	const char *p, *end;
	char *buf;
	unsigned allowed = allowed_framings(name);
	bool kmsg = allowed == ((1u << KF_KMSG) | (1u << KF_CONTINUATION));

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	buf = slurp(path, &len);
	if (!ok(buf != NULL, "read %s", path))
		return;
	for (p = buf, end = buf + len; p < end;) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((e ? e : end) - p);
		struct kmsg_line l;
		char *copy = malloc(n + 1);
		int r;

		memcpy(copy, p, n);
		r = kmsg_parse_line(copy, n, out, sizeof(out), &l);
		lines++;
		if (r == 0 && kmsg_is_text(copy, n) && !lazy_agrees(copy, n, &l) && lazy_bad++ < 3)
			printf("# line %zu, lazy parse differs: %s\n", lines, esc(copy));
		if (r < 0) {
			if (bad++ < 3)
				printf("# bad line %zu: %s\n", lines, esc(copy));
		} else if (!(allowed & (1u << l.framing))) {
			if (wrong++ < 3)
				printf("# line %zu framing %d: %s\n", lines, l.framing, esc(copy));
		}
		if (kmsg && n && copy[0] != ' ') {
			/* the same record as one read() returns it */
			struct kmsg_line l2;
			char msg[KMSG_LINE_MAX + 1];

			copy[n] = '\n';
			snprintf(msg, sizeof(msg), "%s", l.msg ? l.msg : "");
			if (kmsg_parse_record(copy, n + 1, out, sizeof(out), &l2) != 0 ||
			    strcmp(l2.msg, msg) != 0 || l2.seq != l.seq || l2.ts_usec != l.ts_usec)
				rec_bad++;
		}
		free(copy);
		p = e ? e + 1 : end;
	}
	ok(bad == 0 && wrong == 0, "%s: %zu lines parse, framing as expected", name, lines);
	ok(lazy_bad == 0, "%s: the bulk reader's lazy parse gives the same records", name);
	if (kmsg)
		ok(rec_bad == 0, "%s: every line as a record gives the same message", name);
	free(buf);
}

static void corpus(void)
{
	const char *top = getenv("top_srcdir");
	char base[2048], dir[4096];
	struct dirent **ds = NULL, **fs = NULL;
	int nd, nf;

	if (!top || !*top)
		top = TOP_SRCDIR;
	snprintf(base, sizeof(base), "%s/tests/data/kmsg", top);
	nd = scandir(base, &ds, NULL, alphasort);
	if (!ok(nd > 0, "corpus directory %s", base))
		return;
	for (int i = 0; i < nd; i++) {
		struct stat st;

		snprintf(dir, sizeof(dir), "%s/%s", base, ds[i]->d_name);
		if (ds[i]->d_name[0] == '.' || stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
			goto next;
		nf = scandir(dir, &fs, NULL, alphasort);
		for (int j = 0; j < nf; j++) {
			const char *n = fs[j]->d_name;

			/* NAME.SPEC.paste: a log as people paste it, line by line no framing
			 * of its own (the paste tests below read them) */
			if (n[0] != '.' && strcmp(n, "EXPECTED") && strcmp(n, "SOURCE") &&
			    strncmp(n, "README", 6) && !strstr(n, ".sh") && !strstr(n, ".paste"))
				corpus_file(dir, n);
			free(fs[j]);
		}
		free(fs);
next:
		free(ds[i]);
	}
	free(ds);
}

/* ---- logs as people paste them ---- */

static struct kmsg_paste ps;

/* The records a paste gives, one line each: "framing|ts|wall|seq|message". */
struct recs {
	char *buf;
	size_t len, size;
	unsigned n;
};

static void recs_add(struct recs *r, const char *s, size_t n)
{
	if (r->len + n + 1 > r->size) {
		r->size = (r->len + n + 1) * 2;
		r->buf = realloc(r->buf, r->size);
		if (!r->buf) {
			printf("Bail out! out of memory\n");
			exit(1);
		}
	}
	memcpy(r->buf + r->len, s, n);
	r->len += n;
	r->buf[r->len] = '\0';
}

static void rec_cb(const struct kmsg_line *l, void *userdata)
{
	struct recs *r = userdata;
	char head[128];
	int n = snprintf(head, sizeof(head), "%d|%lld|%lld|%llu|", l->framing, (long long)l->ts_usec,
			 (long long)l->wall_sec, (unsigned long long)l->seq);

	recs_add(r, head, (size_t)n);
	recs_add(r, l->msg ? l->msg : "", l->msg_len);
	recs_add(r, "\n", 1);
	r->n++;
}

/* Reads text as the reader does: a look at its start, then line by line, each line in a heap
 * block of its exact length (freed after the call, pinned before). */
static void run_paste(const char *text, size_t len, struct recs *r)
{
	const char *s = text, *end = text + len;

	r->len = r->n = 0;
	recs_add(r, "", 0);
	kmsg_paste_init(&ps);
	kmsg_paste_sniff(&ps, text, len, true);
	while (s < end) {
		const char *e = memchr(s, '\n', (size_t)(end - s));
		size_t n = (size_t)((e ? e : end) - s);
		char *copy = malloc(n ? n : 1);

		memcpy(copy, s, n);
		kmsg_paste_line(&ps, copy, n, !kmsg_is_text(copy, n), rec_cb, r);
		kmsg_paste_pin(&ps);
		free(copy);
		s = e ? e + 1 : end;
	}
	kmsg_paste_finish(&ps, rec_cb, r);
}

static void run_str(const char *text, struct recs *r)
{
	size_t n;
	const char *p = exact(text, &n);

	run_paste(p, n, r);
}

/* One step of tests/tools/paste-render.sh, in C: a new heap text. */
static char *render_step(const char *in, size_t len, const char *step, size_t *ret_len)
{
	struct recs o = { 0 };
	const char *s = in, *end = in + len;
	unsigned w = 0;
	const char *prefix = NULL;

	recs_add(&o, "", 0);
	if (!strcmp(step, "indent4"))
		prefix = "    ";
	else if (!strcmp(step, "tab"))
		prefix = "\t";
	else if (!strcmp(step, "quote"))
		prefix = "> ";
	else if (!strcmp(step, "quote2"))
		prefix = ">> ";
	else if (!strcmp(step, "quote-nested"))
		prefix = "> > ";
	else if (!strcmp(step, "quote-indent"))
		prefix = ">     ";
	else if (!strncmp(step, "wordwrap", 8))
		w = (unsigned)atoi(step + 8);
	else if (!strncmp(step, "wrap", 4))
		w = (unsigned)atoi(step + 4);
	while (s < end) {
		const char *e = memchr(s, '\n', (size_t)(end - s));
		size_t n = (size_t)((e ? e : end) - s);

		if (prefix) {
			recs_add(&o, prefix, strlen(prefix));
			recs_add(&o, s, n);
		} else if (!strcmp(step, "crlf")) {
			recs_add(&o, s, n);
			recs_add(&o, "\r", 1);
		} else {
			/* GNU fold -w W [-s]: columns, a tab to the next multiple of 8; the byte
			 * that would pass W starts the next line; -s breaks after the last blank */
			size_t start = 0;
			unsigned col = 0;

			for (size_t i = 0; i < n; i++) {
				unsigned nc = s[i] == '\t' ? (col / 8 + 1) * 8 : col + 1;

				if (nc > w) {
					size_t cut = i;

					if (step[0] == 'w' && step[1] == 'o')
						for (size_t j = i; j > start; j--)
							if (s[j - 1] == ' ') {
								cut = j;
								break;
							}
					recs_add(&o, s + start, cut - start);
					recs_add(&o, "\n", 1);
					start = cut;
					col = 0;
					for (size_t j = start; j < i; j++)
						col = s[j] == '\t' ? (col / 8 + 1) * 8 : col + 1;
					nc = s[i] == '\t' ? (col / 8 + 1) * 8 : col + 1;
				}
				col = nc;
			}
			recs_add(&o, s + start, n - start);
		}
		if (e)
			recs_add(&o, "\n", 1);
		s = e ? e + 1 : end;
	}
	*ret_len = o.len;
	return o.buf;
}

/* SPEC ("wrap80+quote") applied to text; a new heap text of exactly its length. */
static char *render(const char *text, size_t len, const char *spec, size_t *ret_len)
{
	char step[32], *cur = malloc(len ? len : 1), *next, *exact_copy;
	size_t cur_len = len;

	memcpy(cur, text, len);
	for (const char *p = spec; *p;) {
		size_t n = strcspn(p, "+");

		snprintf(step, sizeof(step), "%.*s", (int)n, p);
		next = render_step(cur, cur_len, step, &cur_len);
		free(cur);
		cur = next;
		p += n + (p[n] == '+');
	}
	exact_copy = malloc(cur_len ? cur_len : 1);
	memcpy(exact_copy, cur, cur_len);
	free(cur);
	*ret_len = cur_len;
	return exact_copy;
}

/* A record the OOM parser acts on (its message starts one of the reports). */
static bool relevant_record(const char *line, size_t n)
{
	static const char *const starts[] = { "oom-kill:", "Memory cgroup out of memory", "Out of memory",
					      "Killed process ", "Task in ", "memory: usage ",
					      "cgroup: fork rejected by pids controller in ",
					      "oom_kill_process: " };
	const char *m = line;

	for (int i = 0; i < 4 && m; i++)
		m = memchr(m, '|', (size_t)(line + n - m)), m = m ? m + 1 : NULL;
	if (!m)
		return false;
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		if ((size_t)(line + n - m) >= strlen(starts[i]) && !memcmp(m, starts[i], strlen(starts[i])))
			return true;
	return memmem(m, (size_t)(line + n - m), " invoked oom-killer: ", 21) != NULL;
}

/* The records of r that the OOM parser acts on, in order (into o). */
static void relevant_only(const struct recs *r, struct recs *o)
{
	o->len = o->n = 0;
	recs_add(o, "", 0);
	for (const char *p = r->buf; *p;) {
		const char *e = strchr(p, '\n');

		if (relevant_record(p, (size_t)(e - p)))
			recs_add(o, p, (size_t)(e - p + 1));
		p = e + 1;
	}
}

/* Every record of got that the OOM parser acts on is one of want's, whole: nothing cut, nothing
 * joined that was not one record.  Returns how many are not. */
static unsigned foreign_records(const struct recs *got, const struct recs *want)
{
	unsigned bad = 0;

	for (const char *p = got->buf; *p;) {
		const char *e = strchr(p, '\n');
		size_t n = (size_t)(e - p);
		bool found = false;

		if (relevant_record(p, n))
			for (const char *q = want->buf; *q && !found;) {
				const char *f = strchr(q, '\n');

				found = (size_t)(f - q) == n && !memcmp(p, q, n);
				q = f + 1;
			}
		else
			found = true;
		if (!found && bad++ < 2)
			printf("# not a record of the clean log: %.*s\n", (int)(n > 200 ? 200 : n), p);
		p = e + 1;
	}
	return bad;
}

static const char *const paste_specs[] = {
	"crlf",	   "indent4",	      "tab",		"quote",	  "quote2",
	"quote-nested", "quote-indent", "wrap80",	"wordwrap80",	  "wrap80+quote",
	"quote+wrap80", "wrap80+indent4", "indent4+wrap80", "tab+wrap80", "wordwrap80+quote",
	"wrap80+quote+crlf", "crlf+quote-indent", "wrap72+quote2",
};

/* Every clean rendering of every captured log, pasted every way, gives its very records (a log
 * without time stamps that was wrapped: no record that is not one of them). */
static void paste_corpus(void)
{
	const char *top = getenv("top_srcdir");
	char base[2048], dir[4096], path[4096 + 512];
	struct dirent **ds = NULL, **fs = NULL;
	struct recs clean = { 0 }, got = { 0 }, rel_clean = { 0 }, rel_got = { 0 };
	unsigned files = 0;
	int nd, nf;

	if (!top || !*top)
		top = TOP_SRCDIR;
	snprintf(base, sizeof(base), "%s/tests/data/kmsg", top);
	nd = scandir(base, &ds, NULL, alphasort);
	for (int i = 0; i < nd; i++) {
		snprintf(dir, sizeof(dir), "%s/%s/EXPECTED", base, ds[i]->d_name);
		if (ds[i]->d_name[0] == '.' || access(dir, R_OK) != 0)
			goto next_dir;
		snprintf(dir, sizeof(dir), "%s/%s", base, ds[i]->d_name);
		nf = scandir(dir, &fs, NULL, alphasort);
		for (int j = 0; j < nf; j++) {
			const char *n = fs[j]->d_name;
			/* journalctl -o cat: the bare messages, as dmesg --notime */
			bool notime = strstr(n, "notime") || !strcmp(n, "journal-cat.txt");
			unsigned wrong = 0, failed = 0;
			size_t len;
			char *buf;

			if (!(strstr(n, ".txt") || !strcmp(n, "kmsg.raw")))
				goto next_file;
			snprintf(path, sizeof(path), "%s/%s", dir, n);
			buf = slurp(path, &len);
			if (!buf)
				goto next_file;
			run_paste(buf, len, &clean);
			files++;
			for (size_t k = 0; k < sizeof(paste_specs) / sizeof(paste_specs[0]); k++) {
				size_t plen;
				char *pasted = render(buf, len, paste_specs[k], &plen);

				run_paste(pasted, plen, &got);
				if (strstr(paste_specs[k], "wrap")) {
					/* a wrap may leave the log's own lines that it cut
					 * before a run of blanks (a task table) in pieces: the
					 * records the OOM parser acts on must be exact */
					relevant_only(&got, &rel_got);
					relevant_only(&clean, &rel_clean);
				}
				if (notime && strstr(paste_specs[k], "wrap")) {
					wrong = foreign_records(&got, &clean);
				} else if (strstr(paste_specs[k], "wrap") ?
						   strcmp(rel_got.buf, rel_clean.buf) != 0 || ps.dropped :
						   got.len != clean.len || memcmp(got.buf, clean.buf, clean.len)) {
					const char *a0 = strstr(paste_specs[k], "wrap") ? rel_got.buf : got.buf;
					const char *b0 = strstr(paste_specs[k], "wrap") ? rel_clean.buf : clean.buf;

					wrong = 1;
					for (const char *a = a0, *b = b0;; a++, b++)
						if (*a != *b) {
							printf("# %s: first difference: %.120s\n#   want %.120s\n",
							       paste_specs[k], a, b);
							break;
						}
				}
				if (wrong && failed++ < 3)
					printf("# %s/%s as %s: not the records of the clean log\n",
					       ds[i]->d_name, n, paste_specs[k]);
				free(pasted);
			}
			ok(!failed, "%s/%s: the same records in %zu pasted renderings%s", ds[i]->d_name, n,
			   sizeof(paste_specs) / sizeof(paste_specs[0]),
			   notime ? " (wrapped: no record that is not one of them)" : "");
			free(buf);
next_file:
			free(fs[j]);
		}
		free(fs);
next_dir:
		free(ds[i]);
	}
	free(ds);
	ok(files >= 4 * 10, "%u captured logs pasted", files);
	free(clean.buf);
	free(got.buf);
	free(rel_clean.buf);
	free(rel_got.buf);
}

/* The stored pastes (NAME.SPEC.paste, made by capture-paste.sh) give NAME's records. */
static void paste_stored(void)
{
	const char *top = getenv("top_srcdir");
	char base[2048], dir[4096], path[4096 + 512];
	struct dirent **ds = NULL, **fs = NULL;
	struct recs clean = { 0 }, got = { 0 }, rel_clean = { 0 }, rel_got = { 0 };
	unsigned files = 0;
	int nd, nf;

	if (!top || !*top)
		top = TOP_SRCDIR;
	snprintf(base, sizeof(base), "%s/tests/data/kmsg", top);
	nd = scandir(base, &ds, NULL, alphasort);
	for (int i = 0; i < nd; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", base, ds[i]->d_name);
		nf = ds[i]->d_name[0] == '.' ? -1 : scandir(dir, &fs, NULL, alphasort);
		for (int j = 0; j < nf; j++) {
			const char *n = fs[j]->d_name, *dot = strchr(n, '.');
			size_t len, clen;
			char *buf, *cbuf;

			if (!strstr(n, ".paste") || !dot)
				goto next_file;
			snprintf(path, sizeof(path), "%s/%.*s%s", dir, (int)(dot - n), n,
				 !strncmp(n, "kmsg.", 5) ? ".raw" : ".txt");
			cbuf = slurp(path, &clen);
			snprintf(path, sizeof(path), "%s/%s", dir, n);
			buf = slurp(path, &len);
			if (ok(buf && cbuf, "read %s and its clean log", n)) {
				run_paste(cbuf, clen, &clean);
				run_paste(buf, len, &got);
				if (strstr(n, "wrap")) {
					/* see paste_corpus */
					relevant_only(&got, &rel_got);
					relevant_only(&clean, &rel_clean);
					ok(!strcmp(rel_got.buf, rel_clean.buf) && !ps.dropped,
					   "%s/%s: the records of the clean log", ds[i]->d_name, n);
				} else {
					ok(got.len == clean.len && !memcmp(got.buf, clean.buf, clean.len) &&
						   !ps.dropped,
					   "%s/%s: the records of the clean log", ds[i]->d_name, n);
				}
				files++;
			}
			free(buf);
			free(cbuf);
next_file:
			free(fs[j]);
		}
		if (nf >= 0)
			free(fs);
		free(ds[i]);
	}
	free(ds);
	ok(files > 0, "%u stored pastes", files);
	free(clean.buf);
	free(got.buf);
	free(rel_clean.buf);
	free(rel_got.buf);
}

static bool has_record(const struct recs *r, const char *msg)
{
	for (const char *p = r->buf; *p;) {
		const char *e = strchr(p, '\n'), *m = p;

		for (int i = 0; i < 4; i++)
			m = strchr(m, '|') + 1;
		if ((size_t)(e - m) == strlen(msg) && !memcmp(m, msg, strlen(msg)))
			return true;
		p = e + 1;
	}
	return false;
}

/* Line-level cases, on the real lines of tests/data/kmsg/paste-*: CRLF, the wrap that cuts
 * ".../ci/build-42" after ".../ci/" (another real group), what cannot be rejoined. */
static void paste_cases(void)
{
	struct recs r = { 0 };
	struct kmsg_line l;
	size_t len, n, at;
	const char *dmesg = load("kmsg/paste-host-hybrid-6.18/dmesg.txt", &len);
	const char *pids = NULL, *summary = NULL;
	char pl[1024], text[8192];
	size_t pids_len = 0, summary_len = 0;

	for (unsigned i = 0; (pids = nth_line(dmesg, len, i, &pids_len)); i++)
		if (memmem(pids, pids_len, "fork rejected by pids controller in ", 36))
			break;
	for (unsigned i = 0; (summary = nth_line(dmesg, len, i, &summary_len)); i++)
		if (memmem(summary, summary_len, "] oom-kill:", 11))
			break;
	if (!ok(pids && summary, "the real fork rejection and oom-kill lines"))
		return;
	snprintf(pl, sizeof(pl), "%.*s", (int)pids_len, pids);
	const char *msg = strstr(pl, "cgroup: ");

	/* CRLF: a CR before the newline is no control byte; one inside the line is */
	snprintf(text, sizeof(text), "%s\r\n%.*s\r\n", pl, (int)summary_len, summary);
	run_str(text, &r);
	ok(has_record(&r, msg) && r.n == 2 && !ps.dropped, "CRLF: both records, whole");
	kmsg_paste_init(&ps);
	{
		const char *p = exact("[    1.000000] a\rb", &n);

		is_int(kmsg_paste_line(&ps, p, n, true, rec_cb, &r), -EINVAL, "a CR inside a line: not text");
	}

	/* the wrap that cuts ".../ci/build-42" right after ".../ci/" */
	at = (size_t)(strstr(pl, "/build-42") + 1 - pl);
	snprintf(text, sizeof(text), "%s\n%.*s\n", pl, (int)summary_len, summary);
	{
		char spec[32], *w, *w2;
		size_t wl, wl2;
		struct recs clean = { 0 };

		snprintf(spec, sizeof(spec), "wrap%zu", at);
		w = render(text, strlen(text), spec, &wl);
		run_str(text, &clean);
		run_paste(w, wl, &r);
		ok(!memcmp(w, pl, at) && w[at] == '\n', "wrapped at %zu: the line cut after .../ci/", at);
		ok(has_record(&r, msg) && !strcmp(r.buf, clean.buf), "  the whole path, rejoined");
		ok(ps.wrapped && ps.joined >= 2 && !ps.dropped, "  seen as wrapped, lines joined");
		/* the same, its rest lost at the end of the paste */
		snprintf(text, sizeof(text), "%.*s\n", (int)summary_len, summary);
		w2 = render(text, strlen(text), spec, &wl2);
		w2 = realloc(w2, wl2 + at + 1);
		memcpy(w2 + wl2, pl, at);
		w2[wl2 + at] = '\n';
		run_paste(w2, wl2 + at + 1, &r);
		ok(!has_record(&r, msg) && !strstr(r.buf, "fork rejected") && r.n == 1,
		   "a path at the wrap width at the end of the paste is never handed on");
		is_int(ps.dropped, 1, "  it is counted as dropped");
		is_int(ps.first_dropped, ps.lines, "  at its line");
		free(w);
		free(w2);
		free(clean.buf);
	}

	/* a quoted record, then the reply: apart */
	snprintf(text, sizeof(text), "> %s\n>\nThanks, that was it.\n", pl);
	run_str(text, &r);
	ok(has_record(&r, msg) && !ps.dropped, "quote, then a reply: the record whole");
	snprintf(text, sizeof(text), "> %s\nThanks, that was it.\n", pl);
	run_str(text, &r);
	ok(has_record(&r, msg) && !ps.dropped, "quote, reply on the next line: apart");
	snprintf(text, sizeof(text), "    %s\nThe job was killed.\n", pl);
	run_str(text, &r);
	ok(has_record(&r, msg) && !ps.dropped, "code block, then prose: apart");
	snprintf(text, sizeof(text), "%s\nThanks, that was it.\n", pl);
	run_str(text, &r);
	ok(has_record(&r, msg) && !ps.dropped, "one line, then words: apart");
	/* in a log not known to be wrapped, a word after a path may be its rest: dropped */
	snprintf(text, sizeof(text), "%.*s\n%s\nbuild-43\n", (int)summary_len, summary, pl);
	run_str(text, &r);
	is_int(ps.dropped, 1, "a path followed by a bare word: dropped, not guessed");

	/* without time stamps: the path at the wrap width, then a line of text with blanks,
	 * may be whole or cut: dropped; then a known message: whole */
	{
		const char *m = strstr(pl, "cgroup: ");
		size_t ml = strlen(m), w = ml; /* the wrap width is the message's own */
		char fill[4096];

		memset(fill, 'x', w);
		snprintf(text, sizeof(text), "%.*s\n%.*s\n%.*s\n%s\nmyprog: some text here\n",
			 (int)w, fill, (int)w, fill, (int)w, fill, m);
		run_str(text, &r);
		ok(ps.notime && ps.wrap_b == w, "notime, wrapped at %zu", w);
		is_int(ps.dropped, 1, "  the path at the width, then text: dropped");
		snprintf(text, sizeof(text), "%.*s\n%.*s\n%.*s\n%s\nMemory cgroup out of memory: x\n",
			 (int)w, fill, (int)w, fill, (int)w, fill, m);
		run_str(text, &r);
		ok(has_record(&r, m) && !ps.dropped, "  then a known message: whole");
	}

	/* what the look at the start of a paste learns */
	{
		static const struct {
			const char *file;
			bool general, quoted, notime, wrapped, eats;
			unsigned indent, wrap;
		} shapes[] = {
			{ "dmesg.txt", false, false, false, false, false, 0, 0 },
			{ "dmesg.tab.paste", true, false, false, false, false, 1, 0 },
			{ "dmesg.quote-indent.paste", true, true, false, false, false, 4, 0 },
			{ "dmesg.wrap80.paste", true, false, false, true, false, 0, 80 },
			{ "dmesg.wrap80+quote.paste", true, true, false, true, false, 0, 82 },
			{ "dmesg.mailwrap80.paste", true, false, false, true, true, 0, 80 },
			{ "dmesg-notime.txt", false, false, true, false, false, 0, 0 },
			{ "dmesg-notime.wrap80.paste", true, false, true, true, false, 0, 80 },
			{ "dmesg-notime.indent4.paste", true, false, true, false, false, 4, 0 },
		};
		char rel[256];

		for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
			const char *buf;
			size_t blen;

			snprintf(rel, sizeof(rel), "kmsg/paste-host-hybrid-6.18/%s", shapes[i].file);
			buf = load(rel, &blen);
			kmsg_paste_init(&ps);
			kmsg_paste_sniff(&ps, buf, blen, true);
			ok(ps.general == shapes[i].general && ps.quoted == shapes[i].quoted &&
				   ps.notime == shapes[i].notime && ps.wrapped == shapes[i].wrapped &&
				   ps.wrap_eats_blank == shapes[i].eats && ps.indent == shapes[i].indent &&
				   (!shapes[i].wrap || ps.wrap_b == shapes[i].wrap || ps.wrap_c == shapes[i].wrap),
			   "the shape of %s: general %d quoted %d notime %d indent %u wrap %u/%u%s",
			   shapes[i].file, ps.general, ps.quoted, ps.notime, ps.indent, ps.wrap_b, ps.wrap_c,
			   ps.wrap_eats_blank ? " (blanks dropped)" : "");
		}
	}

	/* journalctl's notes and a task table line are no records of the kernel */
	is_int(line("-- No entries --", &l), 0, "-- No entries --: parses");
	is_int(l.framing, KF_NONE, "  framing none");
	is_int(line("-- Boot 0b3c2e41a3b94d8f9ad7e5ab66ff8ca2 --", &l), 0, "-- Boot ... --: parses");
	is_int(l.framing, KF_NONE, "  framing none");
	is_int(line("[  20004]     0 20004    16998     8248    94208        0             0 a", &l), 0,
	       "task table line: parses");
	is_int(l.framing, KF_PLAIN, "  no time stamp (printk always prints a fraction)");
	run_str("-- No entries --\n", &r);
	ok(r.n == 0 && ps.records == 0, "journalctl without a journal: no record");
	free(r.buf);
}

/* Framings taken from the captured syslog and dmesg lines of tests/data/kmsg/qemu-v2-6.1 as other
 * tools render them: syslog without a host field, a month of another locale, the time stamp
 * kubectl logs --timestamps and a CRI log file put in front of a line. */
/* Shapes next to the short cuts of the line parser: each must give what the general parse gives. */
static void fast_paths(void)
{
	struct kmsg_line l;
	size_t n;
	const char *p;

	/* printk's "[%5lu.%06lu]" read at fixed places, and every near miss */
	framed("[12345.678901] msg", KF_DMESG, "msg", 12345678901LL, -1, -1, -1);
	framed("[    0.000001] msg", KF_DMESG, "msg", 1, -1, -1, -1);
	framed("[123456.000001] msg", KF_DMESG, "msg", 123456000001LL, -1, -1, -1);
	framed("[ 12.5] msg", KF_DMESG, "msg", 12500000, -1, -1, -1);
	framed("[ 1 23.123456] msg", KF_PLAIN, "[ 1 23.123456] msg", -1, -1, -1, -1);
	framed("[     .123456] msg", KF_PLAIN, "[     .123456] msg", -1, -1, -1, -1);
	framed("[12a45.678901] msg", KF_PLAIN, "[12a45.678901] msg", -1, -1, -1, -1);
	framed("[12345.67890x] msg", KF_PLAIN, "[12345.67890x] msg", -1, -1, -1, -1);
	framed("[1234 .678901] msg", KF_PLAIN, "[1234 .678901] msg", -1, -1, -1, -1);
	framed("<6>[  +0.000012] msg", KF_DMESG_RAW, "msg", -1, -1, 6, 0);
	/* dmesg -x is tried before the syslog shapes: words that are no facility, or no level */
	framed("kern  :warn  : [    1.000000] msg", KF_DMESG_DECODE, "msg", 1000000, -1, 4, 0);
	framed("daemon:err   : msg", KF_DMESG_DECODE, "msg", -1, -1, 3, 3);
	framed("kernel  : msg", KF_PLAIN, "kernel  : msg", -1, -1, -1, -1);
	framed("kern  :loud  : msg", KF_PLAIN, "kern  :loud  : msg", -1, -1, -1, -1);
	framed("kern 29 05:42:19 vm kernel: msg", KF_SYSLOG, "msg", -1, -1, -1, -1);
	framed("pgfault 1234", KF_PLAIN, "pgfault 1234", -1, -1, -1, -1);
	framed("k: msg", KF_PLAIN, "k: msg", -1, -1, -1, -1);
	/* the tag "kernel:" found without a loop, and what only looks like it */
	framed("Nov 29 06:27:37 vm kernel:msg", KF_SYSLOG, "msg", -1, ANY_YEAR, -1, -1);
	framed("Nov 29 06:27:37 vm kernel: [ 2751.778393] [T123] msg", KF_SYSLOG, "msg", 2751778393LL,
	       ANY_YEAR, -1, -1);
	is_int(line("Nov 29 06:27:37 vm kernelx: msg", &l), 0, "parse: a tag longer than kernel");
	is_int(l.framing, KF_NONE, "  another program's line");
	is_int(line("Nov 29 06:27:37 vm kernel", &l), 0, "parse: a tag without its colon");
	is_int(l.framing, KF_NONE, "  no kernel line");
	/* journal continuation lines: blanks skipped eight at a time, then a tab, or none left */
	framed("                                 Killed process 1", KF_CONTINUATION, "Killed process 1", -1, -1,
	       -1, -1);
	framed("        \t  x", KF_CONTINUATION, "x", -1, -1, -1, -1);
	framed("                ", KF_CONTINUATION, "", -1, -1, -1, -1);
	/* a kmsg record as a line, bulk reading: decoded, whatever its text */
	p = exact("6,1,2,-;\\x4billed process 1 (a)", &n);
	is_int(kmsg_parse_line_lazy(p, n, out, sizeof(out), &l), 0, "lazy kmsg: escaped");
	is_str(l.msg, "Killed process 1 (a)", "  an escape decoded");
	ok(l.framing == KF_KMSG && l.seq == 1 && l.ts_usec == 2 && l.level == 6, "  its header read");
}

static void framings_more(void)
{
	struct kmsg_line l;
	/* 2026-12-05 21:00:00 UTC */
	const int64_t t1 = 1796504400;

	framed("Nov 29 06:30:45 kernel: [   13.593825] myprog: pid=1234", KF_SYSLOG, "myprog: pid=1234",
	       13593825, ANY_YEAR, -1, -1);
	framed("Nov 29 06:30:45 kernel: no time since boot", KF_SYSLOG, "no time since boot", -1, ANY_YEAR,
	       -1, -1);
	is_int(line("Nov 29 06:30:45 sshd: Accepted", &l), 0, "parse: syslog of another program, no host");
	is_int(l.framing, KF_NONE, "  not a kernel line");
	framed("nov. 29 06:30:45 cgtop-vm kernel: [   13.593825] msg", KF_SYSLOG, "msg", 13593825, -1, -1,
	       -1);
	framed("Mär  3 06:30:45 cgtop-vm kernel: msg", KF_SYSLOG, "msg", -1, -1, -1, -1);
	framed("11月 29 06:30:45 cgtop-vm kernel: [   13.593825] msg", KF_SYSLOG, "msg", 13593825, -1, -1,
	       -1);
	framed("ноя 29 06:30:45 kernel: msg", KF_SYSLOG, "msg", -1, -1, -1, -1);
	is_int(line("nov. 29 06:30:45 cgtop-vm sshd: kernel: x", &l), 0, "parse: localized, another program");
	is_int(l.framing, KF_NONE, "  not a kernel line");
	framed("11 29 06:30:45 cgtop-vm kernel: msg", KF_PLAIN, "11 29 06:30:45 cgtop-vm kernel: msg", -1, -1,
	       -1, -1);
	framed("2026-12-05T21:00:00.123456789Z [   13.593825] myprog: pid=1234", KF_DMESG, "myprog: pid=1234",
	       13593825, t1, -1, -1);
	framed("2026-12-05T21:00:00.123456789Z stdout F [   13.593825] msg", KF_DMESG, "msg", 13593825, t1,
	       -1, -1);
	/* a message that starts "word:" after dmesg's time stamp is no syslog "HOST TAG:" line
	 * (tests/data/kmsg/host-more-hybrid-6.18/kubectl-timestamps.txt) */
	framed("2026-12-05T21:00:00.1234Z [40428.886911] oom-kill:constraint=CONSTRAINT_MEMCG", KF_DMESG,
	       "oom-kill:constraint=CONSTRAINT_MEMCG", 40428886911, t1, -1, -1);
	framed("2026-12-05T21:00:00Z [40429.5] cgroup: fork rejected by pids controller in /a", KF_DMESG,
	       "cgroup: fork rejected by pids controller in /a", 40429500000, t1, -1, -1);
	framed("2026-12-05T21:00:00Z <4>[40429.5] cgroup: fork rejected", KF_DMESG_RAW, "cgroup: fork rejected",
	       40429500000, t1, 4, 0);
	framed("2026-12-05T21:00:00Z Nov 29 06:30:45 cgtop-vm kernel: [   13.593825] msg", KF_SYSLOG, "msg",
	       13593825, ANY_YEAR, -1, -1);
	framed("2026-12-05T21:00:00+00:00 cgtop-vm kernel: [   13.593825] msg", KF_SYSLOG, "msg", 13593825,
	       t1, -1, -1);
	is_int(line("2026-12-05T21:00:00Z cgtop-vm sshd: x", &l), 0,
	       "parse: RFC 3339 syslog of another program");
	is_int(l.framing, KF_NONE, "  not a kernel line");
	/* journalctl -o export and -o json-pretty (tests/data/journal) */
	framed("MESSAGE=memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)", KF_PLAIN,
	       "memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)", -1, -1, -1, -1);
	is_int(line("__MONOTONIC_TIMESTAMP=20077763255", &l), 0, "parse: export, another field");
	is_int(l.framing, KF_NONE, "  no message");
	framed("\t\"MESSAGE\" : \"Tasks state (memory values in pages):\",", KF_PLAIN,
	       "Tasks state (memory values in pages):", -1, -1, -1, -1);
	framed("\t\"MESSAGE\" : [104,105]", KF_PLAIN, "hi", -1, -1, -1, -1);
	is_int(line("\t\"PRIORITY\" : \"4\",", &l), 0, "parse: json-pretty, another field");
	is_int(l.framing, KF_NONE, "  no message");
	is_int(line("}", &l), 0, "parse: json-pretty, a brace");
	is_int(l.framing, KF_NONE, "  no message");
	framed("ACPI: Core revision 20240827", KF_PLAIN, "ACPI: Core revision 20240827", -1, -1, -1, -1);
}

/*
 * The key of a memory.stat line that the lazy parse hands the OOM parser (stat_key_len): found in
 * short and long messages and lines (the line's last 16 bytes, 16 bytes a step), never for a line
 * of another shape, nor for imkmsg's several lines in one (\x0a).
 */
static void stat_keys(void)
{
	static const struct {
		const char *line;
		unsigned klen; /* 0: none */
	} cases[] = {
		{ "[ 1551.050311] rss 16683008", 3 },
		{ "[ 1551.050311] total_workingset_refault_anon 0", 29 },
		{ "[ 1551.050311] hierarchical_memsw_limit 9223372036854771712", 24 },
		{ "[ 1551.050311] a 1", 1 },
		{ "[ 1551.050311] pgfault 12345678901234567890123", 7 },
		{ "[ 1551.050311] rss 1668300x", 0 },
		{ "[ 1551.050311] rss  16683008", 0 },
		{ "[ 1551.050311] Rss 16683008", 0 },
		{ "[ 1551.050311] rss 16683008 ", 0 },
		{ "[ 1551.050311] rss_huge_pages_of_a_very_long_key 1 2", 0 },
		{ "[ 1551.050311] cache 0\\x0arss 4096", 0 },
		{ "[ 1551.050311] 12 34", 2 },
		{ "Nov 29 05:42:19 host kernel: [ 1551.050311] inactive_anon 16646144", 13 },
		{ "Nov 29 05:42:19 host kernel: anon 16384", 4 },
		{ "2026-11-29T05:42:19.123456+00:00 host kernel: file_mapped 0", 11 },
		{ "                          shmem 0", 5 },
		{ "rss 16683008", 3 },
		{ "pgfault 4163", 7 },
		{ "x 1", 1 },
		{ "oom_score_adj 0", 0 }, /* 'o': relevant by its first letter, not judged by shape */
		{ "6,1234,1551050311,-;rss 16683008", 0 },
	};
	char buf[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kmsg_line l;
		size_t n = strlen(cases[i].line);

		memcpy(buf, cases[i].line, n + 1);
		is_int(kmsg_parse_line_lazy(buf, n, out, sizeof(out), &l), 0, "stat key: parses: %s", cases[i].line);
		is_int((int)l.stat_key_len, (int)cases[i].klen, "stat key: %u: %s", cases[i].klen, cases[i].line);
		if (cases[i].klen)
			ok(stat_pair_of(l.msg, l.msg_len, l.stat_key_len), "stat key: the message is the pair");
	}
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	records();
	framings();
	framings_more();
	fast_paths();
	stat_keys();
	bad_input();
	prefixes();
	corpus();
	paste_cases();
	paste_corpus();
	paste_stored();
	td_free_all();
	return tap_done();
}
