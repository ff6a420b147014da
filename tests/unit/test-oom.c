/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-oom.c - unit tests of src/events/oom.c: every tests/data/kmsg/<dir>/ with an EXPECTED file, in
 * every rendering present, pasted ones included, read through src/events/kmsg-paste.c as cgtop reads
 * a saved log (kind, pid, task, uid, cgroup, task_cgroup and limit of each expected event, and
 * no other event), the shared v2lab samples, and hand-written cases: names with
 * blanks, commas, parentheses and UTF-8, a victim in a nested group under the limited one,
 * oom_memcg missing, global OOMs, the pre-4.19 and pre-5.0 sequences (reconstructed from the
 * kernel source text, no such kernel runs here), a sacrificed child, memory.oom.group kills
 * (the victim killed twice, the members' group), the rate limit's "callbacks suppressed" and
 * the kills it left without their report, two kills in a row, a log cut short, oom_reaper,
 * and the lines that must give nothing.
 */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "events/kmsg.h"
#include "events/kmsg-paste.h"
#include "../tap.h"
#include "testdata.h"

#define MAX_EVENTS 64

static struct cg_event events[MAX_EVENTS];
static unsigned nevents, overflow;
static char out[KMSG_LINE_MAX + 16];

/* The parser's event and its evidence live during the call only: kept as cgtop keeps them. */
static void collect(const struct cg_event *ev, void *userdata)
{
	(void)userdata;
	if (nevents < MAX_EVENTS)
		cg_event_copy(&events[nevents++], ev);
	else
		overflow++;
}

static void clear_events(void)
{
	for (unsigned i = 0; i < MAX_EVENTS; i++)
		cg_event_release(&events[i]);
	nevents = overflow = 0;
}

/* Feeds a text (lines separated by '\n') through kmsg_parse_line and the OOM parser, each line
 * in a heap block of its exact length; returns the number of bad lines. */
static unsigned feed(struct oom_parser *p, const char *text, size_t len)
{
	const char *s = text, *end = text + len;
	unsigned bad = 0;

	while (s < end) {
		const char *e = memchr(s, '\n', (size_t)(end - s));
		size_t n = (size_t)((e ? e : end) - s);
		char *copy = malloc(n ? n : 1);
		struct kmsg_line l;

		memcpy(copy, s, n);
		if (kmsg_parse_line(copy, n, out, sizeof(out), &l) == 0)
			oom_parser_feed(p, &l);
		else
			bad++;
		free(copy);
		s = e ? e + 1 : end;
	}
	return bad;
}

static void on_paste_line(const struct kmsg_line *l, void *userdata)
{
	oom_parser_feed(userdata, l);
}

/* Feeds a saved log as the reader does: through the paste layer (after its look at the start
 * of the log), each line in a heap block of its exact length; returns the number of bad lines. */
static unsigned feed_paste(struct oom_parser *p, const char *text, size_t len)
{
	static struct kmsg_paste ps;
	const char *s = text, *end = text + len;
	unsigned bad = 0;

	kmsg_paste_init(&ps);
	kmsg_paste_sniff(&ps, text, len, true);
	while (s < end) {
		const char *e = memchr(s, '\n', (size_t)(end - s));
		size_t n = (size_t)((e ? e : end) - s);
		char *copy = malloc(n ? n : 1);

		memcpy(copy, s, n);
		if (kmsg_paste_line(&ps, copy, n, !kmsg_is_text(copy, n), on_paste_line, p) < 0)
			bad++;
		kmsg_paste_pin(&ps);
		free(copy);
		s = e ? e + 1 : end;
	}
	kmsg_paste_finish(&ps, on_paste_line, p);
	return bad;
}

/* Runs a whole text from a fresh parser, flushing at the end. */
static unsigned run(const char *text)
{
	struct oom_parser p;

	clear_events();
	oom_parser_init(&p, collect, NULL);
	feed(&p, text, strlen(text));
	oom_parser_flush(&p);
	return nevents;
}

static void check_event(unsigned i, enum cg_event_kind kind, int64_t pid, const char *task,
			const char *cgroup, const char *task_cgroup)
{
	const struct cg_event *ev = &events[i];

	if (!ok(i < nevents, "  event %u exists", i))
		return;
	is_str(cg_event_kind_name(ev->kind), cg_event_kind_name(kind), "  event %u kind", i);
	is_int(ev->pid, pid, "  event %u pid", i);
	is_str(ev->task, task, "  event %u task", i);
	is_str(ev->cgroup, cgroup, "  event %u cgroup", i);
	is_str(ev->task_cgroup, task_cgroup, "  event %u task_cgroup", i);
}

/* ---- hand-written cases ---- */

/* 6.x: the lines of one memcg OOM in a nested group (distractors in between). */
static const char nested_v2[] =
	"[  100.000001] big job invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0\n"
	"[  100.000002] CPU: 1 UID: 1000 PID: 4242 Comm: big job Not tainted 6.18.0 #1 PREEMPT(none)\n"
	"[  100.000003] Call Trace:\n"
	"[  100.000004]  <TASK>\n"
	"[  100.000005]  oom_kill_process.cold+0x8/0x8a\n"
	"[  100.000006]  out_of_memory+0x214/0x500\n"
	"[  100.000007] memory: usage 65536kB, limit 65536kB, failcnt 12\n"
	"[  100.000008] swap: usage 0kB, limit 0kB, failcnt 0\n"
	"[  100.000009] Memory cgroup stats for /srv/web (prod):\n"
	"                 anon 6000\n"
	"[  100.000010] Tasks state (memory values in pages):\n"
	"[  100.000011] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
	"[  100.000012] [   4243]  1000  4243     8470     8296   102400        0             0 w,rk (1) é\n"
	"[  100.000013] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=0-1,3,cpuset=/,mems_allowed=0-1,3,"
	"oom_memcg=/srv/web (prod),task_memcg=/srv/web (prod)/worker, 2/x,task=w,rk (1) é,pid=4243,uid=1000\n"
	"[  100.000014] Memory cgroup out of memory: Killed process 4243 (w,rk (1) é) total-vm:33880kB, "
	"anon-rss:32404kB, file-rss:4kB, shmem-rss:776kB, UID:1000 pgtables:100kB oom_score_adj:-17\n"
	"[  100.100000] oom_reaper: reaped process 4243 (w,rk (1) é), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n";

static void test_nested(void)
{
	const struct cg_event *ev;

	is_int(run(nested_v2), 2, "nested group, names with blanks, commas, parentheses, UTF-8");
	check_event(0, EV_OOM_INVOKED, 4242, "big job", "/srv/web (prod)", "");
	check_event(1, EV_OOM_KILL, 4243, "w,rk (1) é", "/srv/web (prod)", "/srv/web (prod)/worker, 2/x");
	ev = &events[0];
	is_str(ev->gfp_mask, "0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)", "  invoked gfp_mask");
	is_int(ev->order, 0, "  invoked order");
	is_int(ev->uid, 1000, "  invoked uid from the CPU line");
	is_int(ev->kernel_ts_usec, 100000001, "  invoked time");
	ev = &events[1];
	is_int(ev->uid, 1000, "  uid");
	is_str(ev->constraint, "CONSTRAINT_MEMCG", "  constraint");
	is_int(ev->anon_rss_kb, 32404, "  anon-rss");
	is_int(ev->file_rss_kb, 4, "  file-rss");
	is_int(ev->shmem_rss_kb, 776, "  shmem-rss");
	is_int(ev->total_vm_kb, 33880, "  total-vm");
	is_int(ev->oom_score_adj, -17, "  oom_score_adj");
	is_int(ev->mem_usage_kb, 65536, "  memory usage");
	is_int(ev->mem_limit_kb, 65536, "  memory limit");
	is_int(ev->mem_failcnt, 12, "  failcnt");
	is_int(ev->kernel_ts_usec, 100000014, "  time of the Killed process line");
	is_int(ev->source, EV_SRC_KMSG, "  source kmsg");
	ok(ev->reaped, "  reaped: the oom_reaper line came while the kill was held, no new event");
	is_int(ev->invoked_by_pid, 4242, "  invoked_by pid: the trigger of the same report");
	is_str(ev->invoked_by_task, "big job", "  invoked_by task");
	is_str(cg_event_from_name(ev->task_cgroup_from), "kernel", "  task_cgroup from the kernel");
	is_str(cg_event_from_name(ev->cgroup_from), "kernel", "  cgroup from the kernel");
	ok(!ev->group_kill, "  not a group kill");
}

static void test_global(void)
{
	is_int(run("[    9.000000] stress invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0\n"
		   "[    9.000001] CPU: 0 PID: 77 Comm: stress Not tainted 6.1.0 #1\n"
		   "[    9.000002] Mem-Info:\n"
		   "[    9.000003] active_anon:1 inactive_anon:2 isolated_anon:0\n"
		   "[    9.000004] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
		   "task_memcg=/user.slice/user-1000.slice/session-2.scope,task=stress,pid=78,uid=1000\n"
		   "[    9.000005] Out of memory: Killed process 78 (stress) total-vm:1000kB, anon-rss:900kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:12kB oom_score_adj:0\n"),
	       2, "global OOM (global_oom, CONSTRAINT_NONE, \"Out of memory:\")");
	check_event(0, EV_OOM_INVOKED, 77, "stress", "", "");
	check_event(1, EV_GLOBAL_OOM, 78, "stress", "", "/user.slice/user-1000.slice/session-2.scope");
	is_str(events[1].constraint, "CONSTRAINT_NONE", "  constraint");

	is_int(run("[1.0] oom-kill:constraint=CONSTRAINT_CPUSET,nodemask=(null),cpuset=c1,mems_allowed=1,"
		   "task_memcg=/a,task=t,pid=5,uid=0\n"
		   "[1.1] Memory cgroup out of memory: Killed process 5 (t) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"),
	       1, "CONSTRAINT_CPUSET is a global OOM");
	check_event(0, EV_GLOBAL_OOM, 5, "t", "", "/a");

	is_int(run("[1.0] oom-kill:constraint=CONSTRAINT_MEMORY_POLICY,nodemask=1,cpuset=/,mems_allowed=0-1,"
		   "task=t,pid=6,uid=0\n"
		   "[1.1] Out of memory: Killed process 6 (t) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"),
	       1, "no memcg at all in the summary (oom_memcg and task_memcg missing)");
	check_event(0, EV_GLOBAL_OOM, 6, "t", "", "");

	is_int(run("[1.0] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,"
		   "task_memcg=/lab/x,task=t,pid=7,uid=0\n"
		   "[1.1] Memory cgroup out of memory: Killed process 7 (t) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"),
	       1, "oom_memcg missing, memcg constraint");
	check_event(0, EV_OOM_KILL, 7, "t", "", "/lab/x");
}

/* Reconstructed from the kernel source text (mm/oom_kill.c, mm/memcontrol.c of 4.9 and of
 * 3.x/RHEL 6): no such kernel runs here. */
static void test_old_kernels(void)
{
	is_int(run("[  204.308088] mal-80 invoked oom-killer: gfp_mask=0x24000c0(GFP_KERNEL), nodemask=0, order=0, oom_score_adj=0\n"
		   "[  204.308088] mal-80 cpuset=/ mems_allowed=0\n"
		   "[  204.308090] CPU: 2 PID: 2376 Comm: mal-80 Not tainted 4.9.0 #4\n"
		   "[  204.308148] Task in /1/2 killed as a result of limit of /1\n"
		   "[  204.308150] memory: usage 102400kB, limit 102400kB, failcnt 181\n"
		   "[  204.308151] memory+swap: usage 102400kB, limit 102400kB, failcnt 0\n"
		   "[  204.308152] kmem: usage 0kB, limit 9007199254740988kB, failcnt 0\n"
		   "[  204.308153] Memory cgroup stats for /1: cache:0KB rss:102400KB\n"
		   "[  204.308154] [ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name\n"
		   "[  204.308155] [ 2376]     0  2376    26000    25600      53       3        0             0 mal-80\n"
		   "[  204.308160] Memory cgroup out of memory: Kill process 2376 (mal-80) score 1000 or sacrifice child\n"
		   "[  204.308170] Killed process 2376 (mal-80) total-vm:104000kB, anon-rss:102388kB, file-rss:12kB, shmem-rss:0kB\n"
		   "[  204.309000] oom_reaper: reaped process 2376 (mal-80), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n"),
	       2, "4.9: Task in / memory: usage / Kill process / Killed process");
	check_event(0, EV_OOM_INVOKED, 2376, "mal-80", "/1", "");
	check_event(1, EV_OOM_KILL, 2376, "mal-80", "/1", "/1/2");
	is_int(events[1].mem_limit_kb, 102400, "  limit from memory: usage");
	is_int(events[1].anon_rss_kb, 102388, "  anon-rss");
	is_int(events[1].shmem_rss_kb, 0, "  shmem-rss");
	is_int(events[1].uid, -1, "  no uid printed");

	is_int(run("Nov 30 02:53:56 server01 kernel: [  818.356297] Out of memory: Kill process 2188 (mysqld) score 60 or sacrifice child\n"
		   "Nov 30 02:53:56 server01 kernel: [  818.356493] Killed process 2188 (mysqld) total-vm:3330016kB, anon-rss:864176kB, file-rss:8072kB\n"),
	       1, "3.x global: Kill process / Killed process without shmem-rss");
	check_event(0, EV_GLOBAL_OOM, 2188, "mysqld", "", "");
	is_int(events[0].file_rss_kb, 8072, "  file-rss");
	is_int(events[0].shmem_rss_kb, -1, "  shmem-rss unknown");

	is_int(run("[6710782.021013] java invoked oom-killer: gfp_mask=0xd0, order=0, oom_adj=0, oom_score_adj=0\n"
		   "[6710782.021014] Pid: 215701, comm: java Not tainted 2.6.32-431.el6.x86_64 #1\n"
		   "[6710782.257588] Task in /LXC011 killed as a result of limit of /LXC011\n"
		   "[6710784.698347] Memory cgroup out of memory: Kill process 215701 (java) score 854 or sacrifice child\n"
		   "[6710784.707978] Killed process 215701, UID 679, (java) total-vm:11017300kB, anon-rss:7152432kB, file-rss:1232kB\n"),
	       2, "RHEL 6: \"Pid: N, comm:\" and \"Killed process N, UID N, (name)\"");
	check_event(0, EV_OOM_INVOKED, 215701, "java", "/LXC011", "");
	check_event(1, EV_OOM_KILL, 215701, "java", "/LXC011", "/LXC011");
	is_int(events[1].uid, 679, "  uid");
	is_int(events[1].oom_score_adj, -1001, "  oom_score_adj unknown");

	/* 4.19-5.0: summary names the chosen parent; its child is sacrificed */
	is_int(run("[1.0] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,"
		   "oom_memcg=/lab,task_memcg=/lab/parent,task=parent,pid=10,uid=5\n"
		   "[1.1] Memory cgroup out of memory: Kill process 10 (parent) score 900 or sacrifice child\n"
		   "[1.2] Killed process 11 (child) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"),
	       1, "4.19: sacrificed child");
	check_event(0, EV_OOM_KILL, 11, "child", "/lab", "");
	is_int(events[0].uid, -1, "  the parent's uid is not the child's");
}

static void test_sequences(void)
{
	/* two kills in a row in two groups, rate-limited report of the second */
	is_int(run("[1.0] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		   "[1.1] CPU: 0 PID: 1 Comm: a Not tainted\n"
		   "[1.2] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/g1,task_memcg=/g1,task=a,pid=1,uid=0\n"
		   "[1.3] Memory cgroup out of memory: Killed process 1 (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0\n"
		   "[2.0] b invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		   "[2.1] CPU: 0 PID: 2 Comm: b Not tainted\n"
		   "[2.2] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/g2,task_memcg=/g2/n,task=b,pid=2,uid=0\n"
		   "[2.3] Memory cgroup out of memory: Killed process 2 (b) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0\n"
		   "[3.0] Memory cgroup out of memory: Killed process 3 (c) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0\n"),
	       5, "two kills in a row, then a rate-limited one (no report)");
	check_event(0, EV_OOM_INVOKED, 1, "a", "/g1", "");
	check_event(1, EV_OOM_KILL, 1, "a", "/g1", "/g1");
	check_event(2, EV_OOM_INVOKED, 2, "b", "/g2", "");
	check_event(3, EV_OOM_KILL, 2, "b", "/g2", "/g2/n");
	check_event(4, EV_OOM_KILL, 3, "c", "", "");

	/* the log ends after the summary */
	is_int(run("[1.0] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/g,task_memcg=/g,task=cut,pid=9,uid=0\n"),
	       1, "summary without its Killed process line: flush emits it");
	check_event(0, EV_OOM_KILL, 9, "cut", "/g", "/g");

	/* a summary whose Killed line names another task: the report was cut */
	is_int(run("[1.0] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/g,task_memcg=/g,task=x,pid=9,uid=0\n"
		   "[5.0] Memory cgroup out of memory: Killed process 10 (y) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"),
	       2, "summary of 9, Killed 10: two events");
	check_event(0, EV_OOM_KILL, 9, "x", "/g", "/g");
	check_event(1, EV_OOM_KILL, 10, "y", "", "");

	/* a pause (flush) between summary and Killed line: one event, not two */
	{
		static const char a[] = "6,1,1000,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/g,task_memcg=/g,task=x,pid=9,uid=0";
		static const char b[] = "3,2,1001,-;Memory cgroup out of memory: Killed process 9 (x) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB";
		struct oom_parser p;

		clear_events();
		oom_parser_init(&p, collect, NULL);
		feed(&p, a, strlen(a));
		oom_parser_flush(&p);
		feed(&p, b, strlen(b));
		oom_parser_flush(&p);
		is_int(nevents, 1, "flush between summary and Killed line: one event");
		check_event(0, EV_OOM_KILL, 9, "x", "/g", "/g");
		is_u64(p.lines, 2, "  lines counted");
		is_u64(p.events, 1, "  events counted");
	}

	/* oom_reaper before the Killed line: marks the pending kill */
	is_int(run("[1.0] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/g,task_memcg=/g,task=x,pid=9,uid=0\n"
		   "[1.1] oom_reaper: reaped process 9 (x), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n"
		   "[1.2] oom_reaper: reaped process 12 (other), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n"),
	       1, "oom_reaper of a pending kill: no event of its own");
	ok(events[0].reaped, "  marked reaped");

	/* memory.oom.group: every member killed, the limit is the first kill's; the first victim
	 * is killed once more as a member (a repeat, not another kill) */
	is_int(run("[1.0] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/svc,task_memcg=/svc/a,task=m1,pid=21,uid=0\n"
		   "[1.1] Memory cgroup out of memory: Killed process 21 (m1) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"
		   "[1.2] Tasks in /svc are going to be killed due to memory.oom.group set\n"
		   "[1.3] Memory cgroup out of memory: Killed process 22 (m2) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"
		   "[1.35] Memory cgroup out of memory: OOM victim 24 (m4) is already exiting. Skip killing the task\n"
		   "[1.4] Memory cgroup out of memory: Killed process 23 (m3) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"
		   "[1.5] Memory cgroup out of memory: Killed process 21 (m1) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"),
	       4, "memory.oom.group: three victims and the first one's repeat");
	check_event(0, EV_OOM_KILL, 21, "m1", "/svc", "/svc/a");
	check_event(1, EV_OOM_KILL, 22, "m2", "/svc", "/svc");
	check_event(2, EV_OOM_KILL, 23, "m3", "/svc", "/svc");
	check_event(3, EV_OOM_KILL, 21, "m1", "/svc", "");
	for (unsigned i = 0; i < 4 && i < nevents; i++) {
		ok(events[i].group_kill, "  event %u group_kill", i);
		is_str(events[i].oom_group, "/svc", "  event %u oom_group", i);
		ok(events[i].repeat == (i == 3), "  event %u repeat", i);
	}
	is_str(cg_event_from_name(events[0].task_cgroup_from), "kernel", "  the victim's group from its report");
	is_str(cg_event_from_name(events[1].task_cgroup_from), "oom_group", "  a member's group: the group killed");

	/* a kill a second after a group kill, its report suppressed: not a member */
	is_int(run("[1.0] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/svc,task_memcg=/svc,task=m1,pid=21,uid=0\n"
		   "[1.1] Memory cgroup out of memory: Killed process 21 (m1) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"
		   "[1.2] Tasks in /svc are going to be killed due to memory.oom.group set\n"
		   "[1.3] Memory cgroup out of memory: Killed process 22 (m2) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"
		   "[3.0] Memory cgroup out of memory: Killed process 30 (other) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"),
	       3, "a rate-limited kill after a group kill");
	check_event(2, EV_OOM_KILL, 30, "other", "", "");
	ok(!events[2].group_kill, "  not a member");

	/* the rate limit: its count of left-out reports, then the kills without their reports */
	is_int(run("[1.0] oom_kill_process: 40 callbacks suppressed\n"
		   "[1.1] dump_header: 3 callbacks suppressed\n"
		   "[1.2] Memory cgroup out of memory: Killed process 31 (h) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB\n"
		   "[1.3] oom_kill_process: many callbacks suppressed\n"),
	       2, "oom_kill_process: N callbacks suppressed");
	check_event(0, EV_OOM_SUPPRESSED, -1, "", "", "");
	is_u64(events[0].count, 40, "  count: the reports left out");
	is_str(cg_event_kind_name(events[0].kind), "oom_reports_suppressed", "  kind name");
	check_event(1, EV_OOM_KILL, 31, "h", "", "");
	is_int(events[1].invoked_by_pid, -1, "  no report: no trigger");

	/* pids */
	is_int(run("[5.0] cgroup: fork rejected by pids controller in /a/b (c,ü)\n"
		   "6,9,5000001,-;cgroup: fork rejected by pids controller in /user\\x5cx2d1000.slice\n"),
	       2, "fork rejected");
	/* the line names the forking group; the group whose limit was hit is not in it */
	check_event(0, EV_PIDS_FORK_REJECTED, -1, "", "", "/a/b (c,ü)");
	check_event(1, EV_PIDS_FORK_REJECTED, -1, "", "", "/user\\x2d1000.slice");
	is_u64(events[1].seq, 9, "  seq");
	is_int(events[1].kernel_ts_usec, 5000001, "  time");

	/* an invoked report with nothing killed: emitted at flush */
	is_int(run("[1.0] x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=3, oom_score_adj=-1000\n"),
	       1, "invoked alone: one event at flush");
	check_event(0, EV_OOM_INVOKED, -1, "x", "", "");
	is_int(events[0].order, 3, "  order");
	is_int(events[0].oom_score_adj, -1000, "  oom_score_adj");
}

static void test_distractors(void)
{
	is_int(run("[1.0] myprog: pid=1234 task=foo oom-kill-ish text\n"
		   "Nov 29 06:27:37 host sshd[12]: oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/g,task_memcg=/g,task=x,pid=9,uid=0\n"
		   "Nov 29 06:27:37 host app[3]: Memory cgroup out of memory: Killed process 9 (x) total-vm:1kB, anon-rss:1kB\n"
		   "2026-11-29T06:27:37+0000 host app[3]: cgroup: fork rejected by pids controller in /x\n"
		   "14,1,2,-;Memory cgroup out of memory: Killed process 9 (x) total-vm:1kB, anon-rss:1kB\n"
		   "12,3,4,-;x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		   "user  :info  : [ 1.0] cgroup: fork rejected by pids controller in /x\n"
		   "[1.0] audit: type=1300 audit(1764397000.000:42): pid=4242 uid=0 comm=\"oom_reaper\" key=(null)\n"
		   "[1.0] myprog: Killed processes: none (pid=77, task=bar) - not an OOM line\n"
		   "[1.0] segv (x,y)[16036]: segfault at 0 ip 00005629e49b8397 sp 00007fffd8f9d990 error 6\n"
		   "[1.0]  oom_kill_process.cold+0x8/0x8a\n"
		   "[1.0]  mem_cgroup_out_of_memory+0xc0/0x110\n"
		   "[1.0] RIP: 0033:0x42d940\n"
		   "[1.0] [  16074]     0 16074     6764     6472     6144      328         0    98304        0             0 oom-kill:\n"
		   "[1.0] Killed process\n"
		   "[1.0] Killed process 12\n"
		   "[1.0] Killed process x (y) total-vm:1kB\n"
		   "[1.0] oom-kill:constraint=CONSTRAINT_MEMCG,task=x\n"
		   "[1.0] oom-kill:pid=x,uid=0\n"
		   "[1.0] memory: usage 1kB\n"
		   "[1.0] Task in /a\n"
		   "[1.0] a program that writes a line of more than sixty-four bytes, then the words invoked oom-killer: gfp_mask=0\n"
		   "[1.0] someone says invoked oom-killer: without the kernel's fields\n"
		   "[1.0] cgroup: fork rejected by pids controller in \n"
		   "                 oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/g,task_memcg=/g,task=x,pid=9,uid=0\n"),
	       0, "distractors: other programs, user facility, traces, tables, malformed lines: nothing");
	is_int(overflow, 0, "  no overflow");
}

/* Every prefix of a real report, fed line by line: never a crash, never more events. */
static void test_cut_lines(void)
{
	size_t n = strlen(nested_v2);
	unsigned worst = 0;

	for (size_t k = 0; k <= n; k++) {
		char *p = malloc(k ? k : 1);
		struct oom_parser op;

		memcpy(p, nested_v2, k);
		clear_events();
		oom_parser_init(&op, collect, NULL);
		feed(&op, p, k);
		oom_parser_flush(&op);
		if (nevents > worst)
			worst = nevents;
		free(p);
	}
	ok(worst <= 2, "every prefix of a report: at most its 2 events (%u)", worst);
}

/* ---- shared v2lab samples (tests/data/kmsg/shared-6.1) ---- */

static void run_file(const char *rel)
{
	size_t len;
	const char *buf = load(rel, &len);
	struct oom_parser p;

	clear_events();
	oom_parser_init(&p, collect, NULL);
	is_int(feed(&p, buf, len), 0, "%s: no bad line", rel);
	oom_parser_flush(&p);
}

static void test_samples(void)
{
	run_file("kmsg/shared-6.1/kmsg-oom-v1.txt");
	is_int(nevents, 2, "  v1 VM: 2 events");
	check_event(0, EV_OOM_INVOKED, 166, "hog", "/lab", "");
	check_event(1, EV_OOM_KILL, 166, "hog", "/lab", "/lab");
	is_int(events[1].mem_limit_kb, 32768, "  limit");
	is_int(events[1].mem_failcnt, 42, "  failcnt");
	is_u64(events[1].seq, 393, "  seq");
	is_int(events[1].kernel_ts_usec, 5754908, "  time");

	run_file("kmsg/shared-6.1/kmsg-oom-v2.txt");
	is_int(nevents, 2, "  v2 VM: 2 events");
	check_event(0, EV_OOM_INVOKED, 120, "hog", "/lab", "");
	check_event(1, EV_OOM_KILL, 120, "hog", "/lab", "/lab");

	run_file("kmsg/shared-6.1/kmsg-pids.txt");
	is_int(nevents, 1, "  1 event");
	check_event(0, EV_PIDS_FORK_REJECTED, -1, "", "", "/lab");
	run_file("kmsg/shared-6.1/kmsg-pids-v1.txt");
	is_int(nevents, 1, "  1 event");
	check_event(0, EV_PIDS_FORK_REJECTED, -1, "", "", "/lab");

	/* the console echoes the Killed line, then the script prints the records again */
	run_file("kmsg/shared-6.1/console-v1.txt");
	is_int(nevents, 4, "  console: echoed kill, invoked, kill, pids");
	check_event(0, EV_OOM_KILL, 166, "hog", "", "");
	check_event(1, EV_OOM_INVOKED, -1, "hog", "/lab", "");
	check_event(2, EV_OOM_KILL, 166, "hog", "/lab", "/lab");
	check_event(3, EV_PIDS_FORK_REJECTED, -1, "", "", "/lab");
	run_file("kmsg/shared-6.1/console-v2.txt");
	is_int(nevents, 4, "  console: echoed kill, invoked, kill, pids");

	run_file("kmsg/shared-6.1/hostdemo-v2-console.txt");
	is_int(nevents, 20, "  20 kills (memory.events said oom_kill 20)");
	{
		unsigned good = 0;

		for (unsigned i = 0; i < nevents; i++)
			if (events[i].kind == EV_OOM_KILL && events[i].pid == 146 + i &&
			    !strcmp(events[i].task, "stress-ng-vm") && events[i].oom_score_adj == 1000)
				good++;
		is_int(good, 20, "  pids 146..165, stress-ng-vm, oom_score_adj 1000");
	}
}

/* ---- tests/data/kmsg/<dir>/EXPECTED over every rendering ---- */

struct expect {
	char kind[32];
	char pid[32], uid[32], limit[32], count[32];
	char task[EV_TASK_MAX], cgroup[EV_PATH_MAX], task_cgroup[EV_PATH_MAX];
	bool has_task, has_cgroup, has_task_cgroup;
	int group_kill; /* -1 not given, 0 false, 1 true */
	/* the kernel's evidence: tasks=N rows of the task table (none: no table), largest=PID,
	 * victim_is_largest=true|false, page_kb=N the table's page size, stat=KEY:VALUE one
	 * memory.stat value at the kill */
	char tasks[16], largest[32], vil[8], stat[64], page_kb[8];
};

static struct expect expects[MAX_EVENTS];


static void set_field(char *dst, size_t size, const char *v, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static unsigned parse_expected(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	unsigned n = 0;

	while (p < end && n < MAX_EVENTS) {
		const char *e = memchr(p, '\n', (size_t)(end - p)), *f, *fe;
		struct expect *x = &expects[n];

		if (!e)
			e = end;
		if (p == e || *p == '#') {
			p = e + 1;
			continue;
		}
		memset(x, 0, sizeof(*x));
		x->group_kill = -1;
		for (f = p; f < e; f = fe + 1) {
			const char *eq;

			fe = memchr(f, '\t', (size_t)(e - f));
			if (!fe)
				fe = e;
			eq = memchr(f, '=', (size_t)(fe - f));
			if (f == p) {
				set_field(x->kind, sizeof(x->kind), f, (size_t)(fe - f));
			} else if (eq) {
				size_t kl = (size_t)(eq - f), vl = (size_t)(fe - eq - 1);

				if (kl == 3 && !memcmp(f, "pid", 3)) {
					set_field(x->pid, sizeof(x->pid), eq + 1, vl);
				} else if (kl == 3 && !memcmp(f, "uid", 3)) {
					set_field(x->uid, sizeof(x->uid), eq + 1, vl);
				} else if (kl == 5 && !memcmp(f, "count", 5)) {
					set_field(x->count, sizeof(x->count), eq + 1, vl);
				} else if (kl == 5 && !memcmp(f, "limit", 5)) {
					set_field(x->limit, sizeof(x->limit), eq + 1, vl);
				} else if (kl == 4 && !memcmp(f, "task", 4)) {
					set_field(x->task, sizeof(x->task), eq + 1, vl);
					x->has_task = true;
				} else if (kl == 6 && !memcmp(f, "cgroup", 6)) {
					set_field(x->cgroup, sizeof(x->cgroup), eq + 1, vl);
					x->has_cgroup = true;
				} else if (kl == 10 && !memcmp(f, "group_kill", 10)) {
					x->group_kill = vl == 4 && !memcmp(eq + 1, "true", 4);
				} else if (kl == 5 && !memcmp(f, "tasks", 5)) {
					set_field(x->tasks, sizeof(x->tasks), eq + 1, vl);
				} else if (kl == 7 && !memcmp(f, "page_kb", 7)) {
					set_field(x->page_kb, sizeof(x->page_kb), eq + 1, vl);
				} else if (kl == 7 && !memcmp(f, "largest", 7)) {
					set_field(x->largest, sizeof(x->largest), eq + 1, vl);
				} else if (kl == 17 && !memcmp(f, "victim_is_largest", 17)) {
					set_field(x->vil, sizeof(x->vil), eq + 1, vl);
				} else if (kl == 4 && !memcmp(f, "stat", 4)) {
					set_field(x->stat, sizeof(x->stat), eq + 1, vl);
				} else if (kl == 11 && !memcmp(f, "task_cgroup", 11)) {
					set_field(x->task_cgroup, sizeof(x->task_cgroup), eq + 1, vl);
					x->has_task_cgroup = true;
				}
			}
			if (fe == e)
				break;
		}
		n++;
		p = e + 1;
	}
	return n;
}

/* The kernel's evidence of event i against its EXPECTED keys; sets why when it differs. */
static void check_evidence(unsigned i, const struct expect *x, const struct cg_event *ev,
			   char *why, size_t size)
{
	static const struct oom_evidence none = { .largest.pid = -1, .victim_is_largest = -1 };
	const struct oom_evidence *e = ev->evidence ? ev->evidence : &none;
	char num[64];

	if (x->tasks[0]) {
		if (!e->have_table)
			snprintf(num, sizeof(num), "none");
		else
			snprintf(num, sizeof(num), "%u", e->tasks_total);
		if (strcmp(num, x->tasks)) {
			snprintf(why, size, "event %u: tasks %s, want %s", i, num, x->tasks);
			return;
		}
	}
	if (x->largest[0] && (snprintf(num, sizeof(num), "%lld", (long long)e->largest.pid),
			      strcmp(num, x->largest))) {
		snprintf(why, size, "event %u: largest %s, want %s", i, num, x->largest);
		return;
	}
	if (x->page_kb[0] && (snprintf(num, sizeof(num), "%d", e->page_kb), strcmp(num, x->page_kb))) {
		snprintf(why, size, "event %u: page_kb %s, want %s", i, num, x->page_kb);
		return;
	}
	if (x->vil[0]) {
		const char *v = e->victim_is_largest < 0 ? "null" : e->victim_is_largest ? "true" : "false";

		if (strcmp(v, x->vil)) {
			snprintf(why, size, "event %u: victim_is_largest %s, want %s", i, v, x->vil);
			return;
		}
	}
	if (x->stat[0]) {
		const char *c = strchr(x->stat, ':');
		bool found = false;

		for (unsigned k = 0; c && k < e->n_stat; k++)
			if (strlen(e->stat[k].key) == (size_t)(c - x->stat) &&
			    !memcmp(e->stat[k].key, x->stat, (size_t)(c - x->stat))) {
				snprintf(num, sizeof(num), "%lld", (long long)e->stat[k].value);
				found = !strcmp(num, c + 1);
			}
		if (!found)
			snprintf(why, size, "event %u: memory_stat has no %s (%u keys)", i, x->stat,
				 e->n_stat);
	}
}

/* One rendering against the expected events: one test line, details as comments. */
static void check_rendering(const char *dir, const char *name, unsigned nexp)
{
	char path[4096 + 512], why[512] = "";
	size_t len;
	char *buf;
	struct oom_parser p;
	unsigned bad;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	buf = slurp(path, &len);
	if (!ok(buf != NULL, "read %s", path))
		return;
	clear_events();
	oom_parser_init(&p, collect, NULL);
	bad = feed_paste(&p, buf, len);
	oom_parser_flush(&p);
	free(buf);
	/* a group kill's victim killed again as a member is not another kill: not reported */
	for (unsigned i = 0, k = 0, n = nevents; i < n; i++) {
		if (events[i].repeat) {
			cg_event_release(&events[i]);
			nevents--;
			continue;
		}
		if (k != i) {
			events[k] = events[i];
			events[i].evidence = NULL; /* moved */
		}
		k++;
	}
	if (bad)
		snprintf(why, sizeof(why), "%u bad lines", bad);
	else if (nevents != nexp)
		snprintf(why, sizeof(why), "%u events, want %u", nevents, nexp);
	for (unsigned i = 0; !why[0] && i < nexp; i++) {
		const struct expect *x = &expects[i];
		const struct cg_event *ev = &events[i];
		char num[32];

		if (strcmp(cg_event_kind_name(ev->kind), x->kind))
			snprintf(why, sizeof(why), "event %u: kind %s, want %.31s", i,
				 cg_event_kind_name(ev->kind), x->kind);
		else if (x->pid[0] && (snprintf(num, sizeof(num), "%lld", (long long)ev->pid),
				       strcmp(num, x->pid)))
			snprintf(why, sizeof(why), "event %u: pid %s, want %.31s", i, num, x->pid);
		else if (x->uid[0] && (snprintf(num, sizeof(num), "%lld", (long long)ev->uid),
				       strcmp(num, x->uid)))
			snprintf(why, sizeof(why), "event %u: uid %s, want %.31s", i, num, x->uid);
		else if (x->has_task && strcmp(ev->task, x->task))
			snprintf(why, sizeof(why), "event %u: task '%.100s', want '%.100s'", i,
				 ev->task, x->task);
		else if (x->has_cgroup && strcmp(ev->cgroup, x->cgroup))
			snprintf(why, sizeof(why), "event %u: cgroup '%.150s', want '%.150s'", i,
				 ev->cgroup, x->cgroup);
		else if (x->has_task_cgroup && strcmp(ev->task_cgroup, x->task_cgroup))
			snprintf(why, sizeof(why), "event %u: task_cgroup '%.150s', want '%.150s'",
				 i, ev->task_cgroup, x->task_cgroup);
		else if (x->count[0] && (snprintf(num, sizeof(num), "%llu", (unsigned long long)ev->count),
					 strcmp(num, x->count)))
			snprintf(why, sizeof(why), "event %u: count %s, want %s", i, num, x->count);
		else if (x->group_kill >= 0 && ev->group_kill != (x->group_kill == 1))
			snprintf(why, sizeof(why), "event %u: group_kill %d, want %d", i,
				 ev->group_kill, x->group_kill);
		else if (x->limit[0] && ev->kind == EV_OOM_KILL &&
			 (snprintf(num, sizeof(num), "%lld",
				   ev->mem_limit_kb < 0 ? -1LL : (long long)ev->mem_limit_kb * 1024),
			  strcmp(num, x->limit)))
			snprintf(why, sizeof(why), "event %u: limit %s, want %s", i, num, x->limit);
		else
			check_evidence(i, x, ev, why, sizeof(why));
	}
	if (!ok(!why[0], "%s/%s: %u events as expected", strrchr(dir, '/') + 1, name, nexp))
		printf("#   %s\n", why);
}

/* Only a kill whose report the kernel printed carries evidence, in a block of its own: a copy
 * gets its own block, an event without evidence copied over one frees it, and a kill cut short
 * is freed by oom_parser_done (ASan and valgrind see a leak or a double free); the event
 * itself stays small (the dashboard keeps 512, events.c holds 64). */
static void test_ownership(void)
{
	static struct cg_event a, none;
	const struct oom_evidence *x;
	unsigned with = 0, without = 0, other = 0, k = MAX_EVENTS;
	void *block;

	run_file("kmsg/burst-hybrid-6.18/dmesg.txt");
	for (unsigned i = 0; i < nevents; i++) {
		if (events[i].kind != EV_OOM_KILL && events[i].kind != EV_GLOBAL_OOM)
			other += events[i].evidence != NULL;
		else if (!events[i].evidence)
			without++;
		else if (with++ == 0)
			k = i;
	}
	is_int(with, 11, "burst: 11 kills with their report's evidence");
	is_int(without, 14, "  14 rate-limited kills without (no block)");
	is_int(other, 0, "  no other event has evidence");
	if (k == MAX_EVENTS)
		return;
	x = events[k].evidence;
	cg_event_init(&a);
	cg_event_init(&none);
	cg_event_copy(&a, &events[k]);
	ok(a.evidence && a.evidence != x && a.evidence->tasks_total == x->tasks_total &&
	   a.evidence->n_stat == x->n_stat && a.evidence->n_tasks == x->n_tasks &&
	   !memcmp(a.evidence->tasks, x->tasks, x->n_tasks * sizeof(x->tasks[0])) &&
	   !memcmp(a.evidence->stat, x->stat, x->n_stat * sizeof(x->stat[0])),
	   "a copy has its own block, same evidence");
	block = a.evidence;
	cg_event_copy(&a, &events[k]);
	ok(a.evidence == block, "  copied again: its block reused");
	cg_event_copy(&a, &none);
	ok(!a.evidence, "  an event without evidence copied over it: none");
	cg_event_copy(&a, &events[k]);
	cg_event_release(&a);
	ok(!a.evidence, "  released: none");
	ok(sizeof(struct cg_event) < 3 * EV_PATH_MAX + 2 * EV_TASK_MAX + 512,
	   "the event does not embed the evidence (%zu bytes)", sizeof(struct cg_event));

	/* a report cut before its "Killed process" line, the parser ended without a flush */
	{
		static const char cut[] =
			"[  1.000000] hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
			"[  1.000100] memory: usage 1024kB, limit 1024kB, failcnt 3\n"
			"[  1.000200] Tasks state (memory values in pages):\n"
			"[  1.000300] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
			"[  1.000400] [     77]     0    77     9000      256    61440        0             0 hog\n"
			"[  1.000500] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/g,task_memcg=/g,task=hog,pid=77,uid=0\n";
		struct oom_parser p;

		clear_events();
		oom_parser_init(&p, collect, NULL);
		feed(&p, cut, strlen(cut));
		ok(p.pending.evidence && p.pending.evidence->tasks_total == 1,
		   "a cut report: its kill pending with the evidence");
		oom_parser_done(&p);
		ok(!p.pending.evidence && !p.held.evidence && nevents == 0,
		   "  oom_parser_done frees it, emits nothing more");
		clear_events();
		oom_parser_init(&p, collect, NULL);
		feed(&p, cut, strlen(cut));
		oom_parser_flush(&p);
		ok(nevents == 2 && events[1].evidence && !p.pending.evidence && !p.held.evidence,
		   "  flushed instead: emitted with it, the parser keeps none");
	}
}

/* fold -w W: every line cut into pieces of W bytes. */
static char *fold_bytes(const char *text, size_t len, unsigned w, size_t *ret)
{
	char *res = malloc(len + len / w + 2), *o = res;
	unsigned col = 0;

	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n') {
			col = 0;
		} else if (col == w) {
			*o++ = '\n';
			col = 1;
		} else {
			col++;
		}
		*o++ = text[i];
	}
	*ret = (size_t)(o - res);
	return res;
}

/* Evidence of each kill, as "pid:tasks_total:n_stat:largest;" */
static void evidence_summary(char *s, size_t size)
{
	size_t o = 0;

	s[0] = '\0';
	for (unsigned i = 0; i < nevents && o < size; i++) {
		const struct oom_evidence *x = events[i].evidence;

		if (events[i].kind != EV_OOM_KILL || !x)
			continue;
		o += (size_t)snprintf(s + o, size - o, "%lld:%d:%u:%lld;", (long long)events[i].pid,
				      x->have_table ? (int)x->tasks_total : -1, x->n_stat,
				      (long long)x->largest.pid);
	}
}

/* A log without time stamps wrapped where a line of the report reaches the width exactly: the
 * task table's header (110 bytes on 6.18), "Memory cgroup stats for /...:" (90 here).  The next
 * line, a row or the dump's first pair, starts a record of its own. */
static void test_folded_evidence(void)
{
	static const unsigned widths[] = { 90, 110, 80, 120 };
	char want[1024], got[1024];
	size_t len, flen;
	const char *buf = load("kmsg/host-hybrid-6.18/dmesg-notime.txt", &len);
	struct oom_parser p;

	clear_events();
	oom_parser_init(&p, collect, NULL);
	feed_paste(&p, buf, len);
	oom_parser_flush(&p);
	evidence_summary(want, sizeof(want));
	ok(strlen(want) > 20, "dmesg --notime: evidence of its kills (%s)", want);
	for (size_t k = 0; k < sizeof(widths) / sizeof(widths[0]); k++) {
		char *f = fold_bytes(buf, len, widths[k], &flen);

		clear_events();
		oom_parser_init(&p, collect, NULL);
		feed_paste(&p, f, flen);
		oom_parser_flush(&p);
		free(f);
		evidence_summary(got, sizeof(got));
		is_str(got, want, "  folded at %u: the same evidence", widths[k]);
	}
}

static void test_corpus(void)
{
	const char *top = getenv("top_srcdir");
	char base[2048], dir[4096], path[4096 + 64];
	struct dirent **ds = NULL, **fs = NULL;
	int nd, nf;
	unsigned dirs = 0;

	if (!top || !*top)
		top = TOP_SRCDIR;
	snprintf(base, sizeof(base), "%s/tests/data/kmsg", top);
	nd = scandir(base, &ds, NULL, alphasort);
	if (!ok(nd > 0, "corpus directory %s", base))
		return;
	for (int i = 0; i < nd; i++) {
		size_t len;
		char *exp;
		unsigned nexp, renderings = 0;

		snprintf(dir, sizeof(dir), "%s/%s", base, ds[i]->d_name);
		snprintf(path, sizeof(path), "%s/EXPECTED", dir);
		if (ds[i]->d_name[0] == '.' || !(exp = slurp(path, &len))) {
			free(ds[i]);
			continue;
		}
		nexp = parse_expected(exp, len);
		free(exp);
		ok(nexp > 0, "%s: EXPECTED lists %u events", ds[i]->d_name, nexp);
		dirs++;
		nf = scandir(dir, &fs, NULL, alphasort);
		for (int j = 0; j < nf; j++) {
			const char *n = fs[j]->d_name;

			if (n[0] != '.' && strcmp(n, "EXPECTED") && strcmp(n, "SOURCE") &&
			    strncmp(n, "README", 6) && !strstr(n, ".sh")) {
				check_rendering(dir, n, nexp);
				renderings++;
			}
			free(fs[j]);
		}
		free(fs);
		ok(renderings > 0, "%s: %u renderings checked", ds[i]->d_name, renderings);
		free(ds[i]);
	}
	free(ds);
	ok(dirs > 0, "%u corpus directories with an EXPECTED file", dirs);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	is_str(cg_event_kind_name(EV_OOM_KILL), "oom_kill", "kind name oom_kill");
	is_str(cg_event_kind_name(EV_GLOBAL_OOM), "global_oom", "kind name global_oom");
	is_str(cg_event_kind_name(EV_OOM_INVOKED), "oom_invoked", "kind name oom_invoked");
	is_str(cg_event_kind_name(EV_PIDS_FORK_REJECTED), "pids_fork_rejected",
	       "kind name pids_fork_rejected");
	is_str(cg_event_kind_name(_EV_KIND_MAX), "unknown", "kind name out of range");
	test_nested();
	test_global();
	test_old_kernels();
	test_sequences();
	test_distractors();
	test_cut_lines();
	test_samples();
	test_corpus();
	test_ownership();
	test_folded_evidence();
	clear_events();
	td_free_all();
	return tap_done();
}
