/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * oom.c - recognises the kernel's OOM-killer and pids-controller messages of every generation
 * (the 4.19+ "oom-kill:" summary, "Killed process", the older "Kill process ... or sacrifice
 * child", "Task in ... killed as a result of limit of ...", "memory: usage ...", "invoked
 * oom-killer", "oom_reaper", "fork rejected by pids controller") in normalised struct kmsg_line
 * messages, and merges the lines of one kill into one struct cg_event, emitted when the
 * "Killed process" line arrives (held until the next OOM line, which may say that the whole
 * group is being killed).  Most lines of a log are nothing of the kind, so the first byte of
 * the message picks the few candidates and everything else is rejected at once.
 *
 * The kernel prints the report of a kill (the "invoked oom-killer" header, the usage and the
 * "oom-kill:" line that names the groups) for at most 10 kills in 5 s, host-wide, and says
 * "oom_kill_process: N callbacks suppressed" at the next report after that; the "Killed
 * process" line comes for every kill.  So a kill of a burst may come with its pid and task
 * but without its groups: events.c looks for them.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "events/kmsg.h"
#include "base/digits.h"
#include "base/parse.h"

enum { SCOPE_NONE, SCOPE_MEMCG, SCOPE_GLOBAL };

#define LIT(s) (s), (sizeof(s) - 1)

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool starts(const char *m, size_t n, const char *lit, size_t len)
{
	return n >= len && memcmp(m, lit, len) == 0;
}

/* First occurrence of the needle in [b, e), or NULL. */
static const char *find(const char *b, const char *e, const char *needle, size_t len)
{
	if (b >= e || (size_t)(e - b) < len)
		return NULL;
	if (!len)
		return b;
	/* memchr for the first byte, then a compare: the texts are short, and memmem's
	 * setup costs more than the search on a line of a log */
	for (const char *last = e - len; b <= last && (b = memchr(b, needle[0], (size_t)(last - b) + 1)); b++)
		if (memcmp(b, needle, len) == 0)
			return b;
	return NULL;
}

/* Last occurrence of the needle in [b, e), or NULL. */
static const char *rfind(const char *b, const char *e, const char *needle, size_t len)
{
	const char *p;

	if (b >= e || (size_t)(e - b) < len)
		return NULL;
	for (p = e - len; p >= b; p--)
		if (*p == *needle && memcmp(p, needle, len) == 0)
			return p;
	return NULL;
}

/* Unsigned decimal at *pp; advances past it. */
static bool num_u(const char **pp, const char *e, int64_t *ret)
{
	const char *p = *pp;
	int64_t v = 0;

	if (p >= e || !is_digit(*p))
		return false;
	const char *s = p;

#if DIGITS_SWAR
	v = (int64_t)digits_lead16(&p, e);
#endif
	/* 18 digits cannot overflow: the check per digit only after them */
	for (const char *lim = e - s > 18 ? s + 18 : e; p < lim && is_digit(*p); p++)
		v = v * 10 + (*p - '0');
	for (; p < e && is_digit(*p); p++)
		v = v > (INT64_MAX - 9) / 10 ? INT64_MAX : v * 10 + (*p - '0');
	*pp = p;
	*ret = v;
	return true;
}

/* Signed decimal at *pp. */
static bool num_s(const char **pp, const char *e, int64_t *ret)
{
	const char *p = *pp;
	bool neg = p < e && *p == '-';

	if (neg)
		p++;
	if (!num_u(&p, e, ret))
		return false;
	if (neg)
		*ret = -*ret;
	*pp = p;
	return true;
}

/* The number after "key" somewhere in [b, e), or -1 (keep) when absent. */
static void field_u(const char *b, const char *e, const char *key, size_t klen, int64_t *ret)
{
	const char *p = find(b, e, key, klen);
	int64_t v;

	if (p) {
		p += klen;
		if (num_u(&p, e, &v))
			*ret = v;
	}
}

/* Copies [s, s + n) into dst (size bytes), cut at a UTF-8 character boundary if too long. */
static void copy_str(char *dst, size_t size, const char *s, size_t n)
{
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static void counter_reset(struct oom_counter *c)
{
	c->usage_kb = c->limit_kb = c->failcnt = -1;
}

static void evidence_reset(struct oom_evidence *x)
{
	counter_reset(&x->memsw);
	counter_reset(&x->swap);
	counter_reset(&x->kmem);
	x->have_table = false;
	x->tasks_total = x->n_tasks = 0;
	x->largest.pid = -1;
	x->largest.name[0] = '\0';
	x->page_kb = 0;
	x->page_kb_inferred = false;
	x->victim_is_largest = -1;
	x->n_stat = 0;
}

/* The used part only: most of the arrays is unused. */
static void evidence_copy(struct oom_evidence *dst, const struct oom_evidence *src)
{
	dst->memsw = src->memsw;
	dst->swap = src->swap;
	dst->kmem = src->kmem;
	dst->have_table = src->have_table;
	dst->tasks_total = src->tasks_total;
	dst->n_tasks = src->n_tasks;
	memcpy(dst->tasks, src->tasks, src->n_tasks * sizeof(src->tasks[0]));
	dst->largest = src->largest;
	dst->page_kb = src->page_kb;
	dst->page_kb_inferred = src->page_kb_inferred;
	dst->victim_is_largest = src->victim_is_largest;
	dst->n_stat = src->n_stat;
	memcpy(dst->stat, src->stat, src->n_stat * sizeof(src->stat[0]));
}

/* Every field but the evidence, and of the strings only their text: an event is 8 KiB of
 * mostly unused path buffers, copied once per kill. */
static void event_copy_fields(struct cg_event *dst, const struct cg_event *src)
{
	dst->kind = src->kind;
	dst->source = src->source;
	dst->pid = src->pid;
	dst->uid = src->uid;
	strcpy(dst->task, src->task);
	strcpy(dst->cgroup, src->cgroup);
	strcpy(dst->task_cgroup, src->task_cgroup);
	strcpy(dst->constraint, src->constraint);
	dst->anon_rss_kb = src->anon_rss_kb;
	dst->file_rss_kb = src->file_rss_kb;
	dst->shmem_rss_kb = src->shmem_rss_kb;
	dst->total_vm_kb = src->total_vm_kb;
	dst->mem_usage_kb = src->mem_usage_kb;
	dst->mem_limit_kb = src->mem_limit_kb;
	dst->mem_failcnt = src->mem_failcnt;
	dst->oom_score_adj = src->oom_score_adj;
	strcpy(dst->gfp_mask, src->gfp_mask);
	dst->order = src->order;
	dst->reaped = src->reaped;
	dst->kernel_ts_usec = src->kernel_ts_usec;
	dst->wall_sec = src->wall_sec;
	dst->seq = src->seq;
	dst->count = src->count;
	dst->update = src->update;
	dst->group_kill = src->group_kill;
	dst->repeat = src->repeat;
	dst->invoked_by_pid = src->invoked_by_pid;
	strcpy(dst->invoked_by_task, src->invoked_by_task);
	strcpy(dst->oom_group, src->oom_group);
	dst->task_cgroup_from = src->task_cgroup_from;
	dst->cgroup_from = src->cgroup_from;
	dst->n_top_forkers = src->n_top_forkers;
	memcpy(dst->top_forkers, src->top_forkers, src->n_top_forkers * sizeof(src->top_forkers[0]));
	dst->forkers_span_usec = src->forkers_span_usec;
	dst->forks_per_sec = src->forks_per_sec;
}

void cg_event_release(struct cg_event *ev)
{
	free(ev->evidence);
	ev->evidence = NULL;
}

size_t oom_evidence_size(const struct oom_evidence *x)
{
	return offsetof(struct oom_evidence, stat) + x->n_stat * sizeof(x->stat[0]);
}

/* *dst made a copy of src, its block kept when src fits (a copy's size is that of the
 * evidence it holds), else grown to src's size; NULL without memory. */
static void evidence_set(struct oom_evidence **dst, const struct oom_evidence *src)
{
	struct oom_evidence *x = *dst;

	if (!x || oom_evidence_size(x) < oom_evidence_size(src)) {
		x = realloc(*dst, oom_evidence_size(src));
		if (!x) {
			free(*dst);
			*dst = NULL;
			return;
		}
	}
	evidence_copy(x, src);
	*dst = x;
}

void oom_evidence_assign(struct oom_evidence **dst, const struct oom_evidence *src)
{
	if (!src) {
		free(*dst);
		*dst = NULL;
		return;
	}
	evidence_set(dst, src);
}

void cg_event_copy(struct cg_event *dst, const struct cg_event *src)
{
	event_copy_fields(dst, src);
	oom_evidence_assign(&dst->evidence, src->evidence);
}

/* Gives src's fields and evidence to dst (src keeps its fields, loses its evidence). */
static void event_move(struct cg_event *dst, struct cg_event *src)
{
	event_copy_fields(dst, src);
	cg_event_release(dst);
	dst->evidence = src->evidence;
	src->evidence = NULL;
}

static void event_reset(struct cg_event *ev)
{
	ev->kind = EV_OOM_KILL;
	ev->source = EV_SRC_KMSG;
	ev->pid = -1;
	ev->uid = -1;
	ev->task[0] = '\0';
	ev->cgroup[0] = '\0';
	ev->task_cgroup[0] = '\0';
	ev->constraint[0] = '\0';
	ev->anon_rss_kb = ev->file_rss_kb = ev->shmem_rss_kb = ev->total_vm_kb = -1;
	ev->mem_usage_kb = ev->mem_limit_kb = ev->mem_failcnt = -1;
	ev->oom_score_adj = -1001;
	ev->gfp_mask[0] = '\0';
	ev->order = -1;
	ev->reaped = false;
	ev->kernel_ts_usec = -1;
	ev->wall_sec = -1;
	ev->seq = UINT64_MAX;
	ev->count = 1;
	ev->update = false;
	ev->group_kill = false;
	ev->repeat = false;
	ev->invoked_by_pid = -1;
	ev->invoked_by_task[0] = '\0';
	ev->oom_group[0] = '\0';
	ev->task_cgroup_from = ev->cgroup_from = EV_FROM_NONE;
	ev->n_top_forkers = 0;
	ev->forkers_span_usec = -1;
	ev->forks_per_sec = -1;
}

void cg_event_init(struct cg_event *ev)
{
	event_reset(ev);
	ev->evidence = NULL;
}

static void stamp(struct cg_event *ev, const struct kmsg_line *l)
{
	ev->kernel_ts_usec = l->ts_usec;
	ev->wall_sec = l->wall_sec;
	ev->seq = l->seq;
}

const char *cg_event_kind_name(enum cg_event_kind k)
{
	switch (k) {
	case EV_OOM_KILL:
		return "oom_kill";
	case EV_GLOBAL_OOM:
		return "global_oom";
	case EV_OOM_INVOKED:
		return "oom_invoked";
	case EV_PIDS_FORK_REJECTED:
		return "pids_fork_rejected";
	case EV_OOM_SUPPRESSED:
		return "oom_reports_suppressed";
	case EV_FORK_STORM:
		return "fork_storm";
	case EV_FORKS_DROPPED:
		return "forks_dropped";
	default:
		return "unknown";
	}
}

const char *cg_event_source_name(enum cg_event_source s)
{
	switch (s) {
	case EV_SRC_COUNTER:
		return "counter";
	case EV_SRC_PROCCONN:
		return "proc_connector";
	default:
		return "kmsg";
	}
}

const char *cg_event_from_name(enum cg_event_from f)
{
	switch (f) {
	case EV_FROM_KERNEL:
		return "kernel";
	case EV_FROM_PROCESS:
		return "process";
	case EV_FROM_COUNTER:
		return "counter";
	case EV_FROM_OOM_GROUP:
		return "oom_group";
	case EV_FROM_LIMITS:
		return "limits";
	default:
		return NULL;
	}
}

/* ---- the kernel's evidence in a report ---- */

/*
 * The columns of the task table, as the header of each generation names them (mm/oom_kill.c
 * dump_tasks()):
 *   2.6.32 .. 3.4  "[ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name"
 *                  (2.6.32 .. 2.6.35 without oom_score_adj)
 *   3.5 .. 4.0     "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name"
 *   4.1 .. 4.14    "... rss nr_ptes nr_pmds swapents oom_score_adj name"
 *   4.15 ..        "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents
 *                  oom_score_adj name" (4.19+ after "Tasks state (memory values in pages):")
 *   6.9? ..        "... rss rss_anon rss_file rss_shmem pgtables_bytes ..."
 * so the header is read rather than assumed; a column of a name not known here (vendor kernels
 * add some) is skipped.  The rows are "[%5d] %5d ..." (4.15+: "[%7d]"), the memory values in
 * pages, then one blank and the command name, which may hold blanks.
 */
enum {
	COL_SKIP,
	COL_UID,
	COL_TGID,
	COL_TOTAL_VM,
	COL_RSS,
	COL_RSS_ANON,
	COL_RSS_FILE,
	COL_RSS_SHMEM,
	COL_PGTABLES,
	COL_NR_PTES,
	COL_NR_PMDS,
	COL_SWAPENTS,
	COL_OOM_SCORE_ADJ,
	COL_OOM_ADJ,
	COL_NAME,
};

static const struct {
	const char *name;
	unsigned char len, col;
} col_names[] = {
	{ "uid", 3, COL_UID },
	{ "tgid", 4, COL_TGID },
	{ "total_vm", 8, COL_TOTAL_VM },
	{ "rss", 3, COL_RSS },
	{ "rss_anon", 8, COL_RSS_ANON },
	{ "rss_file", 8, COL_RSS_FILE },
	{ "rss_shmem", 9, COL_RSS_SHMEM },
	{ "pgtables_bytes", 14, COL_PGTABLES },
	{ "nr_ptes", 7, COL_NR_PTES },
	{ "nr_pmds", 7, COL_NR_PMDS },
	{ "swapents", 8, COL_SWAPENTS },
	{ "oom_score_adj", 13, COL_OOM_SCORE_ADJ },
	{ "oom_adj", 7, COL_OOM_ADJ },
	{ "name", 4, COL_NAME },
};

static void stage_start(struct oom_parser *p)
{
	evidence_reset(&p->stage);
	p->stage_open = true;
	p->section = OOM_SEC_NONE;
	p->stat_done = false;
	p->stage_rank_pages = -1;
	p->ncols = 0;
}

/* The report's evidence goes with the kill it names (the pending event); without memory for
 * it the kill goes without. */
static void stage_attach(struct oom_parser *p)
{
	struct cg_event *ev = &p->pending;

	if (!p->stage_open)
		return;
	evidence_set(&ev->evidence, &p->stage);
	p->stage_open = false;
	p->section = OOM_SEC_NONE;
}

/* "usage NkB, limit NkB, failcnt N" at q. */
static bool parse_counter(const char *q, const char *e, struct oom_counter *c)
{
	int64_t usage, limit, failcnt;

	if (!num_u(&q, e, &usage) || !starts(q, (size_t)(e - q), LIT("kB, limit ")))
		return false;
	q += 10;
	if (!num_u(&q, e, &limit) || !starts(q, (size_t)(e - q), LIT("kB, failcnt ")))
		return false;
	q += 12;
	if (!num_u(&q, e, &failcnt))
		return false;
	c->usage_kb = usage;
	c->limit_kb = limit;
	c->failcnt = failcnt;
	return true;
}

/* "memory+swap: usage ...", "kmem: usage ..." (v1), "swap: usage ..." (v2, 4.19+) */
static void on_counter(struct oom_parser *p, const char *m, size_t n, size_t klen, struct oom_counter *c)
{
	struct oom_counter v;

	if (!parse_counter(m + klen, m + n, &v))
		return;
	if (!p->stage_open)
		stage_start(p);
	*c = v;
}

static void stat_add(struct oom_evidence *x, const char *k, size_t klen, int64_t v)
{
	struct oom_stat *s;

	if (x->n_stat == EV_STAT_MAX || klen >= EV_STAT_KEY)
		return;
	s = &x->stat[x->n_stat++];
	memcpy(s->key, k, klen);
	s->key[klen] = '\0';
	s->value = v;
}

/* [a-z0-9_]: the bytes of a memory.stat key (a table: a dump is a third of a report's lines) */
static const bool key_byte[256] = {
	['0' ... '9'] = true,
	['a' ... 'z'] = true,
	['_'] = true,
};

static inline bool is_key_char(char c)
{
	return key_byte[(unsigned char)c];
}

/* One "key value" line of a memory.stat dump at b, up to e or the next newline: the byte after
 * it (e, or its newline), or NULL. */
static const char *stat_pair(struct oom_evidence *x, const char *b, const char *e)
{
	const char *q = b, *k;
	int64_t v;

	while (q < e && *q == ' ')
		q++;
	k = q;
	while (q < e && is_key_char(*q))
		q++;
	if (q == k || q >= e || *q != ' ')
		return NULL;
	b = q + 1;
	if (!num_u(&b, e, &v) || (b != e && *b != '\n'))
		return NULL;
	stat_add(x, k, (size_t)(q - k), v);
	return b;
}

/* A message inside a memory.stat dump: one pair (6.4+ prints each line as a record, as does
 * v1 on 6.18), or several lines in one record (before 6.4 the whole dump is one record, which
 * /dev/kmsg holds with \x0a and dmesg and journalctl print as indented continuation lines).
 * Each line is read where it stands, without looking for its end first. */
static bool on_stat_lines(struct oom_parser *p, const char *m, size_t n)
{
	const char *e = m + n, *q = m;
	bool any = false;

	for (;;) {
		while (q < e && *q == '\n')
			q++;
		if (q >= e)
			return any;
		if (!(q = stat_pair(&p->stage, q, e)))
			return any;
		any = true;
	}
}

/*
 * "Memory cgroup stats for /a/b:" then a memory.stat dump (4.19+ v2; v1 since 6.x), or, before
 * that, one line "Memory cgroup stats for /a/b: cache:0KB rss:32768KB ..." (mm/memcontrol.c
 * mem_cgroup_print_oom_info(), 3.x .. 5.x) for the group at its limit and then for each group
 * below it: the first is the group's.
 */
static void on_stats_for(struct oom_parser *p, const char *m, size_t n)
{
	const char *e = m + n, *q;

	if (!p->stage_open)
		stage_start(p);
	if (p->stat_done) {
		p->section = OOM_SEC_NONE;
		return;
	}
	p->stat_done = true;
	if (e[-1] == ':') {
		p->section = OOM_SEC_STAT;
		return;
	}
	/* the path may hold anything; every generation's first stat is "cache" */
	q = rfind(m + 24, e, LIT(": cache:"));
	if (!q)
		return;
	for (q += 1; q < e && *q == ' ';) {
		const char *k = ++q, *c;
		int64_t v;

		while (q < e && is_key_char(*q))
			q++;
		if (q == k || q >= e || *q != ':')
			break;
		c = q + 1;
		if (!num_u(&c, e, &v) || !starts(c, (size_t)(e - c), LIT("KB")))
			break;
		stat_add(&p->stage, k, (size_t)(q - k), v > INT64_MAX / 1024 ? INT64_MAX : v * 1024);
		q = c + 2;
	}
}

/* "[ pid ]   uid  tgid total_vm ..." or "[  pid  ]   uid ...": the task table's header. */
static bool on_task_header(struct oom_parser *p, const char *m, size_t n)
{
	const char *e = m + n, *q = m + 1;

	while (q < e && *q == ' ')
		q++;
	if (!starts(q, (size_t)(e - q), LIT("pid")))
		return false;
	q += 3;
	while (q < e && *q == ' ')
		q++;
	if (q >= e || *q != ']')
		return false;
	if (!p->stage_open)
		stage_start(p);
	p->ncols = 0;
	for (q++; q < e;) {
		const char *w;
		unsigned char col = COL_SKIP;

		while (q < e && *q == ' ')
			q++;
		w = q;
		while (q < e && *q != ' ')
			q++;
		if (q == w)
			break;
		for (size_t i = 0; i < sizeof(col_names) / sizeof(col_names[0]); i++)
			if (col_names[i].len == (size_t)(q - w) &&
			    memcmp(col_names[i].name, w, (size_t)(q - w)) == 0)
				col = col_names[i].col;
		if (p->ncols == sizeof(p->cols))
			return false;
		p->cols[p->ncols++] = col;
		if (col == COL_NAME)
			break;
	}
	if (!p->ncols || p->cols[p->ncols - 1] != COL_NAME)
		return false;
	p->stage.have_table = true;
	p->stage.tasks_total = p->stage.n_tasks = 0;
	p->stage.largest.pid = -1;
	p->section = OOM_SEC_TASKS;
	return true;
}

static int64_t task_size(const struct oom_task *t)
{
	return (t->rss > 0 ? t->rss : 0) + (t->swapents > 0 ? t->swapents : 0);
}

/* How likely the kernel was to pick the task (its oom_badness(): rss, swap and page tables,
 * oom_score_adj in thousandths of the memory it may use), to keep the likeliest rows. */
static int64_t task_rank(const struct oom_parser *p, const struct oom_task *t)
{
	int64_t r = task_size(t);

	if (t->pgtables_bytes > 0)
		r += t->pgtables_bytes / 4096;
	else if (t->nr_ptes > 0)
		r += t->nr_ptes + (t->nr_pmds > 0 ? t->nr_pmds : 0);
	if (t->oom_score_adj != INT64_MIN && p->stage_rank_pages > 0)
		r += t->oom_score_adj * (p->stage_rank_pages / 1000);
	return r;
}

/* "[  20004]     0 20004     8812     8474 ... a b,c(d)": one row of the task table. */
static bool on_task_row(struct oom_parser *p, const char *m, size_t n)
{
	struct oom_evidence *x = &p->stage;
	const char *e = m + n, *q = m + 1;
	struct oom_task t;

	while (q < e && *q == ' ')
		q++;
	if (!num_u(&q, e, &t.pid) || q >= e || *q != ']')
		return false;
	q++;
	t.uid = t.tgid = t.total_vm = t.rss = t.rss_anon = t.rss_file = t.rss_shmem = -1;
	t.swapents = t.pgtables_bytes = t.nr_ptes = t.nr_pmds = -1;
	t.oom_score_adj = t.oom_adj = INT64_MIN;
	t.name[0] = '\0';
	for (unsigned i = 0; i < p->ncols; i++) {
		int64_t v;

		if (p->cols[i] == COL_NAME) {
			if (q >= e || *q != ' ')
				return false;
			copy_str(t.name, sizeof(t.name), q + 1, (size_t)(e - q - 1));
			break;
		}
		if (q >= e || *q != ' ')
			return false;
		while (q < e && *q == ' ')
			q++;
		if (!num_s(&q, e, &v))
			return false;
		switch (p->cols[i]) {
		case COL_UID:
			t.uid = v;
			break;
		case COL_TGID:
			t.tgid = v;
			break;
		case COL_TOTAL_VM:
			t.total_vm = v;
			break;
		case COL_RSS:
			t.rss = v;
			break;
		case COL_RSS_ANON:
			t.rss_anon = v;
			break;
		case COL_RSS_FILE:
			t.rss_file = v;
			break;
		case COL_RSS_SHMEM:
			t.rss_shmem = v;
			break;
		case COL_PGTABLES:
			t.pgtables_bytes = v;
			break;
		case COL_NR_PTES:
			t.nr_ptes = v;
			break;
		case COL_NR_PMDS:
			t.nr_pmds = v;
			break;
		case COL_SWAPENTS:
			t.swapents = v;
			break;
		case COL_OOM_SCORE_ADJ:
			t.oom_score_adj = v;
			break;
		case COL_OOM_ADJ:
			t.oom_adj = v;
			break;
		default:
			break;
		}
	}
	x->tasks_total++;
	if (x->largest.pid < 0 || task_size(&t) > task_size(&x->largest))
		x->largest = t;
	if (x->n_tasks < EV_TASKS_MAX) {
		x->tasks[x->n_tasks++] = t;
	} else {
		unsigned low = 0;

		for (unsigned i = 1; i < x->n_tasks; i++)
			if (task_rank(p, &x->tasks[i]) < task_rank(p, &x->tasks[low]))
				low = i;
		if (task_rank(p, &t) > task_rank(p, &x->tasks[low]))
			x->tasks[low] = t;
	}
	return true;
}

/* A line while a memory.stat dump or a task table is under way: false when it ends it. */
static bool on_section_line(struct oom_parser *p, const struct kmsg_line *l, const char *m, size_t n)
{
	if (p->section == OOM_SEC_STAT && l->stat_key_len && l->stat_key_len < n) {
		/* the line layer found the pair while judging the line: its number is all that
		 * is left to read */
		const char *v = m + l->stat_key_len + 1;
		int64_t value;

		num_u(&v, m + n, &value);
		stat_add(&p->stage, m, l->stat_key_len, value);
		return true;
	}
	if (p->section == OOM_SEC_STAT && on_stat_lines(p, m, n))
		return true;
	if (p->section == OOM_SEC_TASKS && l->framing != KF_CONTINUATION && n && m[0] == '[' &&
	    on_task_row(p, m, n))
		return true;
	p->section = OOM_SEC_NONE;
	return false;
}

static const struct oom_task *find_task(const struct oom_evidence *x, int64_t pid)
{
	if (pid < 0)
		return NULL;
	for (unsigned i = 0; i < x->n_tasks; i++)
		if (x->tasks[i].pid == pid)
			return &x->tasks[i];
	return x->largest.pid == pid ? &x->largest : NULL;
}

/* The kill is known: order the rows, learn the page size, compare the victim. */
static void evidence_finish(struct cg_event *ev)
{
	struct oom_evidence *x = ev->evidence;
	const struct oom_task *v;

	if (!x || !x->have_table)
		return;
	for (unsigned i = 1; i < x->n_tasks; i++) {
		struct oom_task t = x->tasks[i];
		unsigned j = i;

		for (; j > 0 && task_size(&x->tasks[j - 1]) < task_size(&t); j--)
			x->tasks[j] = x->tasks[j - 1];
		x->tasks[j] = t;
	}
	v = find_task(x, ev->pid);
	/* the table counts pages, the "Killed process" line kB: the victim's row in both
	 * gives the page size (4 kB on x86, 4, 16 or 64 kB on arm64 and ppc64) */
	x->page_kb = 4;
	x->page_kb_inferred = false;
	/* sizes no real report holds (2^55 pages, 2^59 kB) would overflow the products below */
	if (v && v->rss >= 16 && v->rss <= INT64_MAX / 256 && ev->anon_rss_kb >= 0 &&
	    ev->anon_rss_kb <= INT64_MAX / 16 && ev->file_rss_kb <= INT64_MAX / 16 &&
	    ev->shmem_rss_kb <= INT64_MAX / 16) {
		int64_t kb = ev->anon_rss_kb + (ev->file_rss_kb > 0 ? ev->file_rss_kb : 0) +
			     (ev->shmem_rss_kb > 0 ? ev->shmem_rss_kb : 0);
		static const int sizes[] = { 4, 8, 16, 32, 64 };

		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
			/* within a factor of 1.25: rss moves a little between the two lines */
			if (kb * 4 >= v->rss * sizes[i] * 3 && kb * 3 <= v->rss * sizes[i] * 4) {
				x->page_kb = sizes[i];
				x->page_kb_inferred = true;
				break;
			}
	}
	if (ev->pid < 0 || x->largest.pid < 0)
		x->victim_is_largest = -1;
	else
		x->victim_is_largest = ev->pid == x->largest.pid ||
				       (v && task_size(v) >= task_size(&x->largest));
}

static void emit(struct oom_parser *p, const struct cg_event *ev)
{
	p->events++;
	if (p->emit)
		p->emit(ev, p->userdata);
}

static void pending_reset(struct oom_parser *p)
{
	p->have_summary = p->have_task_in = p->have_usage = p->have_kill_line = false;
	p->summary_pid = p->kill_pid = -1;
	p->scope = SCOPE_NONE;
	cg_event_release(&p->pending);
	event_reset(&p->pending);
}

static void emit_invoked(struct oom_parser *p)
{
	if (!p->have_invoked)
		return;
	p->have_invoked = false;
	emit(p, &p->invoked);
}

/* The kill held back for a memory.oom.group line goes out now. */
static void release_held(struct oom_parser *p)
{
	if (!p->have_held)
		return;
	p->have_held = false;
	emit(p, &p->held);
	cg_event_release(&p->held);
}

/* Emits the pending kill (its "Killed process" line seen, or not when finished is false). */
static void emit_pending(struct oom_parser *p, bool finished)
{
	struct cg_event *ev = &p->pending;

	if (p->scope == SCOPE_GLOBAL ||
	    (ev->constraint[0] && strcmp(ev->constraint, "CONSTRAINT_MEMCG") != 0))
		ev->kind = EV_GLOBAL_OOM;
	else
		ev->kind = EV_OOM_KILL;
	if (p->have_invoked) {
		if (!p->invoked.cgroup[0] && ev->kind == EV_OOM_KILL) {
			strcpy(p->invoked.cgroup, ev->cgroup);
			p->invoked.cgroup_from = ev->cgroup_from;
		}
		if (!p->invoked.constraint[0])
			strcpy(p->invoked.constraint, ev->constraint);
		/* the kill of the same report: linked to its trigger */
		ev->invoked_by_pid = p->invoked.pid;
		strcpy(ev->invoked_by_task, p->invoked.task);
		emit_invoked(p);
	}
	release_held(p);
	evidence_finish(ev);
	event_copy_fields(&p->last, ev);
	event_move(&p->held, ev);
	p->have_held = true;
	p->last_unfinished = !finished;
	pending_reset(p);
}

/* A kill whose victim is known but whose "Killed process" line never came (the log was cut,
 * or a new report starts): emit it now. */
static void flush_pending(struct oom_parser *p)
{
	if (p->have_summary || p->have_kill_line) {
		if (p->pending.pid < 0)
			p->pending.pid = p->have_summary ? p->summary_pid : p->kill_pid;
		emit_pending(p, false);
	} else if (p->have_task_in || p->have_usage) {
		pending_reset(p);
	}
}

void oom_parser_init(struct oom_parser *p, cg_event_cb emit_cb, void *userdata)
{
	memset(p, 0, sizeof(*p)); /* no evidence anywhere */
	p->emit = emit_cb;
	p->userdata = userdata;
	pending_reset(p);
	event_reset(&p->invoked);
	event_reset(&p->last);
	event_reset(&p->held);
	p->group_victim_pid = -1;
	p->group_ts_usec = -1;
	evidence_reset(&p->stage);
	p->stage_rank_pages = -1;
}

void oom_parser_done(struct oom_parser *p)
{
	cg_event_release(&p->pending);
	cg_event_release(&p->held);
	p->have_held = false;
	pending_reset(p);
}

static void group_kill_end(struct oom_parser *p)
{
	p->group_kill = false;
	p->group_victim_pid = -1;
	p->oom_group[0] = '\0';
}

void oom_parser_flush(struct oom_parser *p)
{
	flush_pending(p);
	emit_invoked(p);
	release_held(p);
	group_kill_end(p);
}

void oom_parser_idle(struct oom_parser *p)
{
	release_held(p);
}

/*
 * "oom-kill:constraint=C,nodemask=N,cpuset=S,mems_allowed=M[,oom_memcg=G|,global_oom]
 * [,task_memcg=T],task=NAME,pid=P,uid=U".  Node lists hold commas and names may hold anything,
 * so the fixed keys are taken from the right end.
 */
static void on_summary(struct oom_parser *p, const struct kmsg_line *l, const char *m, size_t n)
{
	const char *b = m + 9, *e = m + n, *k_uid, *k_pid, *k_task, *k_tmemcg, *k_oom, *q, *lim;
	struct cg_event *ev = &p->pending;
	int64_t pid, uid = -1;

	k_uid = rfind(b, e, LIT(",uid="));
	lim = k_uid ? k_uid : e;
	k_pid = rfind(b, lim, LIT(",pid="));
	if (!k_pid)
		return;
	q = k_pid + 5;
	if (!num_u(&q, lim, &pid) || q != lim)
		return;
	if (k_uid) {
		q = k_uid + 5;
		if (!num_u(&q, e, &uid))
			uid = -1;
	}
	k_task = rfind(b, k_pid, LIT(",task="));
	if (!k_task)
		return;

	/* a new report: whatever is pending from an earlier one, cut short, goes first */
	if (p->have_summary || p->have_kill_line)
		flush_pending(p);
	group_kill_end(p);
	stage_attach(p);

	ev->pid = pid;
	ev->uid = uid;
	p->summary_pid = pid;
	copy_str(ev->task, sizeof(ev->task), k_task + 6, (size_t)(k_pid - k_task - 6));
	if (starts(b, (size_t)(e - b), LIT("constraint="))) {
		const char *c = b + 11, *ce = memchr(c, ',', (size_t)(k_task - c));

		copy_str(ev->constraint, sizeof(ev->constraint), c, (size_t)((ce ? ce : k_task) - c));
	}
	k_tmemcg = rfind(b, k_task, LIT(",task_memcg="));
	lim = k_tmemcg ? k_tmemcg : k_task;
	if (k_tmemcg) {
		copy_str(ev->task_cgroup, sizeof(ev->task_cgroup), k_tmemcg + 12,
			 (size_t)(k_task - k_tmemcg - 12));
		ev->task_cgroup_from = EV_FROM_KERNEL;
	}
	k_oom = rfind(b, lim, LIT(",oom_memcg="));
	if (k_oom) {
		copy_str(ev->cgroup, sizeof(ev->cgroup), k_oom + 11, (size_t)(lim - k_oom - 11));
		ev->cgroup_from = EV_FROM_KERNEL;
		p->scope = SCOPE_MEMCG;
	} else if (lim - b >= 11 && memcmp(lim - 11, ",global_oom", 11) == 0) {
		p->scope = SCOPE_GLOBAL;
	}
	if (ev->constraint[0]) {
		if (strcmp(ev->constraint, "CONSTRAINT_MEMCG") == 0) {
			if (p->scope == SCOPE_NONE)
				p->scope = SCOPE_MEMCG;
		} else {
			p->scope = SCOPE_GLOBAL;
		}
	}
	p->have_summary = true;
	stamp(ev, l);
}

/* "Task in /a/b killed as a result of limit of /a" (before 4.19), or "Tasks in /a are going to
 * be killed due to memory.oom.group set" (4.19+), printed right after the first victim's
 * "Killed process" line: that victim and the "Killed process" lines that follow are one group
 * kill.  The kernel does not name each member's group; they are in /a or below it. */
static void on_task_in(struct oom_parser *p, const struct kmsg_line *l, const char *m, size_t n)
{
	static const char sep[] = " killed as a result of limit of ";
	const char *e = m + n, *k;

	if (starts(m, n, LIT("Tasks in "))) {
		k = find(m + 9, e, LIT(" are going to be killed due to memory.oom.group"));
		if (!k)
			return;
		p->group_kill = true;
		copy_str(p->oom_group, sizeof(p->oom_group), m + 9, (size_t)(k - m - 9));
		p->group_ts_usec = l->ts_usec;
		p->group_victim_pid = p->last.pid;
		if (p->have_held) {
			struct cg_event *h = &p->held;

			h->group_kill = true;
			strcpy(h->oom_group, p->oom_group);
			if (!h->task_cgroup[0]) {
				strcpy(h->task_cgroup, p->oom_group);
				h->task_cgroup_from = EV_FROM_OOM_GROUP;
			}
			p->last.group_kill = true;
		}
		release_held(p);
		return;
	}
	release_held(p);
	k = find(m + 8, e, sep, sizeof(sep) - 1);
	if (!k)
		return;
	if (p->have_summary || p->have_kill_line)
		flush_pending(p);
	group_kill_end(p);
	copy_str(p->pending.task_cgroup, sizeof(p->pending.task_cgroup), m + 8, (size_t)(k - m - 8));
	p->pending.task_cgroup_from = EV_FROM_KERNEL;
	k += sizeof(sep) - 1;
	copy_str(p->pending.cgroup, sizeof(p->pending.cgroup), k, (size_t)(e - k));
	p->pending.cgroup_from = EV_FROM_KERNEL;
	p->have_task_in = true;
	if (p->scope == SCOPE_NONE)
		p->scope = SCOPE_MEMCG;
}

/* "memory: usage 32768kB, limit 32768kB, failcnt 42" */
static void on_usage(struct oom_parser *p, const char *m, size_t n)
{
	struct oom_counter c;

	if (!parse_counter(m + 14, m + n, &c))
		return;
	if (p->have_summary || p->have_kill_line)
		flush_pending(p);
	if (!p->stage_open)
		stage_start(p);
	/* the group's limit in pages (of 4 kB: only to rank the table's rows) */
	if (c.limit_kb < ((int64_t)1 << 40))
		p->stage_rank_pages = c.limit_kb / 4;
	p->pending.mem_usage_kb = c.usage_kb;
	p->pending.mem_limit_kb = c.limit_kb;
	p->pending.mem_failcnt = c.failcnt;
	p->have_usage = true;
}

/*
 * "Kill process N (name) score S or sacrifice child" (before 5.0, after the "Memory cgroup out
 * of memory: " or "Out of memory: " prefix): the chosen task; its "Killed process" line (maybe a
 * child's) completes the event.
 */
static void on_kill_line(struct oom_parser *p, const struct kmsg_line *l, const char *m, size_t n, int scope)
{
	const char *q = m, *e = m + n, *name_end;
	int64_t pid;

	if (!num_u(&q, e, &pid) || !starts(q, (size_t)(e - q), LIT(" (")))
		return;
	name_end = rfind(q + 2, e, LIT(") score "));
	if (!name_end)
		return; /* "Kill process N (x) sharing same memory" and the like */
	release_held(p);
	if (p->have_kill_line || (p->have_summary && p->summary_pid != pid))
		flush_pending(p);
	stage_attach(p);
	p->kill_pid = pid;
	if (!p->pending.task[0] || p->summary_pid != pid)
		copy_str(p->pending.task, sizeof(p->pending.task), q + 2, (size_t)(name_end - q - 2));
	if (scope != SCOPE_NONE && p->scope != SCOPE_GLOBAL)
		p->scope = scope;
	p->have_kill_line = true;
	if (!p->have_summary)
		stamp(&p->pending, l);
}

/* The victim's numbers after the name of a "Killed process" line ([tail, e)). */
static void killed_fields(struct cg_event *ev, const char *tail, const char *e, int64_t uid)
{
	const char *q;

	if (uid >= 0)
		ev->uid = uid;
	field_u(tail, e, LIT("total-vm:"), &ev->total_vm_kb);
	field_u(tail, e, LIT("anon-rss:"), &ev->anon_rss_kb);
	field_u(tail, e, LIT("file-rss:"), &ev->file_rss_kb);
	field_u(tail, e, LIT("shmem-rss:"), &ev->shmem_rss_kb);
	field_u(tail, e, LIT("UID:"), &ev->uid);
	q = find(tail, e, LIT("oom_score_adj:"));
	if (q) {
		int64_t adj;

		q += 14;
		if (num_s(&q, e, &adj))
			ev->oom_score_adj = adj;
	}
}

/*
 * "Killed process N (name) total-vm:NkB, anon-rss:NkB, file-rss:NkB, shmem-rss:NkB[, UID:N
 * pgtables:NkB oom_score_adj:N]" (m after "Killed process "); also the RHEL 6 shape "Killed
 * process N, UID N, (name) total-vm:...".  The name may hold ")" and blanks: it ends at the ")"
 * just before " total-vm:".
 */
static void on_killed(struct oom_parser *p, const struct kmsg_line *l, const char *m, size_t n, int scope)
{
	const char *q = m, *e = m + n, *name, *name_end, *tail;
	struct cg_event *ev = &p->pending;
	int64_t pid, uid = -1;
	bool chosen_differs, member;

	if (!num_u(&q, e, &pid))
		return;
	if (starts(q, (size_t)(e - q), LIT(", UID "))) {
		q += 6;
		if (!num_u(&q, e, &uid) || !starts(q, (size_t)(e - q), LIT(",")))
			return;
		q++;
	}
	if (!starts(q, (size_t)(e - q), LIT(" (")))
		return;
	name = q + 2;
	name_end = rfind(name, e, LIT(") total-vm:"));
	if (!name_end)
		name_end = rfind(name, e, LIT(")"));
	if (!name_end)
		return;
	tail = name_end + 1;

	/* the flushed summary of this very kill: already emitted, or held with its details to come */
	if (!p->have_summary && !p->have_kill_line && p->last_unfinished && p->last.pid == pid) {
		p->last_unfinished = false;
		if (p->have_held && p->held.pid == pid) {
			killed_fields(&p->held, tail, e, uid);
			evidence_finish(&p->held);
		}
		return;
	}
	/* a summary for another task with no "Kill process" in between: cut, emit it alone */
	if (p->have_summary && !p->have_kill_line && p->summary_pid != pid)
		flush_pending(p);

	member = !p->have_summary && !p->have_kill_line && !p->have_task_in && p->group_kill;
	/* the members follow the "Tasks in" line within milliseconds; a kill much later is another
	 * report's, its header cut by the rate limit */
	if (member && p->group_ts_usec >= 0 && l->ts_usec >= 0 && l->ts_usec - p->group_ts_usec > 1000000) {
		group_kill_end(p);
		member = false;
	}
	if (member && pid == p->group_victim_pid) {
		/* the first victim once more, as a member: the kernel kills and counts it again */
		release_held(p);
		ev->kind = p->last.kind;
		ev->pid = pid;
		copy_str(ev->task, sizeof(ev->task), name, (size_t)(name_end - name));
		strcpy(ev->cgroup, p->last.cgroup);
		ev->cgroup_from = p->last.cgroup_from;
		strcpy(ev->oom_group, p->oom_group);
		ev->group_kill = true;
		ev->repeat = true;
		killed_fields(ev, tail, e, uid);
		stamp(ev, l);
		emit(p, ev);
		pending_reset(p);
		return;
	}
	chosen_differs = (p->have_summary && p->summary_pid != pid) ||
			 (p->have_kill_line && p->kill_pid != pid);
	if (member) {
		/* another member of a memory.oom.group: the limit is the first victim's */
		strcpy(ev->cgroup, p->last.cgroup);
		ev->cgroup_from = p->last.cgroup_from;
		strcpy(ev->constraint, p->last.constraint);
		ev->mem_usage_kb = p->last.mem_usage_kb;
		ev->mem_limit_kb = p->last.mem_limit_kb;
		ev->mem_failcnt = p->last.mem_failcnt;
		ev->invoked_by_pid = p->last.invoked_by_pid;
		strcpy(ev->invoked_by_task, p->last.invoked_by_task);
		ev->group_kill = true;
		strcpy(ev->oom_group, p->oom_group);
		strcpy(ev->task_cgroup, p->oom_group);
		ev->task_cgroup_from = EV_FROM_OOM_GROUP;
		if (p->scope == SCOPE_NONE)
			p->scope = p->last.kind == EV_GLOBAL_OOM ? SCOPE_GLOBAL : SCOPE_MEMCG;
	}
	if (chosen_differs) {
		/* the chosen task's child was sacrificed: the summary's group and uid were the
		 * parent's */
		ev->task_cgroup[0] = '\0';
		ev->task_cgroup_from = EV_FROM_NONE;
		ev->uid = -1;
	}
	if (!member)
		stage_attach(p); /* a report with neither summary nor "Kill process" line */
	ev->pid = pid;
	copy_str(ev->task, sizeof(ev->task), name, (size_t)(name_end - name));
	killed_fields(ev, tail, e, uid);
	if (scope == SCOPE_GLOBAL || (scope == SCOPE_MEMCG && p->scope == SCOPE_NONE))
		p->scope = scope;
	stamp(ev, l);
	emit_pending(p, true);
}

/* "oom_reaper: reaped process N (name), now anon-rss:..." marks a pending kill reaped. */
static void on_reaped(struct oom_parser *p, const char *m, size_t n)
{
	const char *q = m, *e = m + n;
	int64_t pid;

	if (!num_u(&q, e, &pid))
		return;
	if ((p->have_summary && p->summary_pid == pid) || (p->have_kill_line && p->kill_pid == pid))
		p->pending.reaped = true;
	else if (p->have_held && p->held.pid == pid)
		p->held.reaped = true;
}

/* "cgroup: fork rejected by pids controller in /a/b" */
static void on_fork_rejected(struct oom_parser *p, const struct kmsg_line *l, const char *m, size_t n)
{
	struct cg_event ev;

	if (!n)
		return;
	cg_event_init(&ev);
	ev.kind = EV_PIDS_FORK_REJECTED;
	/* the kernel names the forking task's own group (pids_event(): pids_forking), once in
	 * that group's life; the group whose pids.max was reached may be an ancestor, and the
	 * line does not say which (events.c judges it from the limits) */
	copy_str(ev.task_cgroup, sizeof(ev.task_cgroup), m, n);
	ev.task_cgroup_from = EV_FROM_KERNEL;
	stamp(&ev, l);
	emit(p, &ev);
}

/* "oom_kill_process: 40 callbacks suppressed" (m after "oom_kill_process: "): the OOM
 * reports the rate limit (10 in 5 s) left out in its last interval, printed by the next
 * report after it; their kills each still had a "Killed process" line. */
static void on_suppressed(struct oom_parser *p, const struct kmsg_line *l, const char *m, size_t n)
{
	const char *q = m, *e = m + n;
	struct cg_event ev;
	int64_t count;

	if (!num_u(&q, e, &count) || !starts(q, (size_t)(e - q), LIT(" callbacks suppressed")))
		return;
	cg_event_init(&ev);
	ev.kind = EV_OOM_SUPPRESSED;
	ev.count = (uint64_t)count;
	stamp(&ev, l);
	emit(p, &ev);
}

/* "NAME invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0" (m..at is
 * NAME, older kernels print more fields) */
static void on_invoked(struct oom_parser *p, const struct kmsg_line *l, const char *m, size_t n,
		       const char *at)
{
	const char *e = m + n, *q;
	struct cg_event *ev = &p->invoked;
	int64_t v;

	flush_pending(p);
	emit_invoked(p);
	release_held(p);
	group_kill_end(p);
	event_reset(ev);
	stage_start(p);
	ev->kind = EV_OOM_INVOKED;
	copy_str(ev->task, sizeof(ev->task), m, (size_t)(at - m));
	q = find(at, e, LIT("gfp_mask="));
	if (q) {
		const char *ge;

		q += 9;
		ge = find(q, e, LIT(", "));
		copy_str(ev->gfp_mask, sizeof(ev->gfp_mask), q, (size_t)((ge ? ge : e) - q));
	}
	q = find(at, e, LIT(" order="));
	if (q) {
		q += 7;
		if (num_s(&q, e, &v) && v >= -1 && v < 64)
			ev->order = (int)v;
	}
	q = find(at, e, LIT("oom_score_adj="));
	if (q) {
		q += 14;
		if (num_s(&q, e, &v))
			ev->oom_score_adj = v;
	}
	stamp(ev, l);
	p->have_invoked = true;
}

/*
 * The dump_stack() header that follows "invoked oom-killer": "CPU: 0 PID: 166 Comm: hog Not
 * tainted ..." (6.12+: "CPU: 0 UID: 0 PID: 166 Comm: ..."; 2.6/3.x: "Pid: 166, comm: hog ...").
 * Gives the invoking task's pid when its name matches.
 */
static void on_cpu_line(struct oom_parser *p, const char *m, size_t n)
{
	const char *e = m + n, *lim = n > 64 ? m + 64 : e, *q, *c;
	size_t tl = strlen(p->invoked.task);
	int64_t pid, uid = -1;

	if (m[0] == 'C') {
		q = find(m, lim, LIT(" PID: "));
		if (!q)
			return;
		c = find(m, q, LIT(" UID: "));
		if (c) {
			c += 6;
			if (!num_u(&c, q, &uid))
				uid = -1;
		}
		q += 6;
		if (!num_u(&q, e, &pid) || !starts(q, (size_t)(e - q), LIT(" Comm: ")))
			return;
		c = q + 7;
	} else {
		q = m + 5;
		if (!num_u(&q, e, &pid) || !starts(q, (size_t)(e - q), LIT(", comm: ")))
			return;
		c = q + 8;
	}
	if ((size_t)(e - c) < tl + 1 || memcmp(c, p->invoked.task, tl) != 0 || c[tl] != ' ')
		return;
	p->invoked.pid = pid;
	if (uid >= 0)
		p->invoked.uid = uid;
}

/*
 * " invoked oom-killer: gfp_mask=" after a task name of at most 64 bytes (the kernel's comm has
 * 15; room is left for longer ones); found through its '-', a byte most kernel lines hold few
 * of, near the start of the message.
 */
static const char *find_invoked(const char *m, size_t n)
{
	static const char pat[] = " invoked oom-killer: gfp_mask=";
	const size_t plen = sizeof(pat) - 1;
	const char *e = m + (n < 64 + 13 ? n : 64 + 13), *q = m + 13;

	while (q < e && (q = memchr(q, '-', (size_t)(e - q)))) {
		if ((size_t)(m + n - (q - 12)) >= plen && memcmp(q - 12, pat, plen) == 0)
			return q - 12;
		q++;
	}
	return NULL;
}

/* "Memory cgroup out of memory: " / "Out of memory: " / "Out of memory (oom_kill_allocating_
 * task): " and then "Killed process" or "Kill process". */
static void on_prefixed(struct oom_parser *p, const struct kmsg_line *l, const char *m, size_t n, size_t plen,
			int scope)
{
	const char *e = m + n, *q = m + plen, *lim;

	lim = e - q > 48 ? q + 48 : e;
	q = find(q, lim, LIT(": "));
	if (!q)
		return;
	q += 2;
	if (starts(q, (size_t)(e - q), LIT("Killed process ")))
		on_killed(p, l, q + 15, (size_t)(e - q - 15), scope);
	else if (starts(q, (size_t)(e - q), LIT("Kill process ")))
		on_kill_line(p, l, q + 13, (size_t)(e - q - 13), scope);
}

void oom_parser_feed(struct oom_parser *p, const struct kmsg_line *l)
{
	const char *m = l->msg, *at;
	size_t n = l->msg_len;

	p->lines++;
	if (p->section != OOM_SEC_NONE && m && l->framing != KF_NONE && l->facility <= 0 &&
	    on_section_line(p, l, m, n))
		return;
	if (!m || n < 10 || l->framing == KF_NONE || l->framing == KF_CONTINUATION || l->facility > 0)
		return;

	switch (m[0]) {
	case 'o':
		if (starts(m, n, LIT("oom-kill:"))) {
			release_held(p);
			on_summary(p, l, m, n);
			return;
		}
		if (starts(m, n, LIT("oom_reaper: reaped process "))) {
			on_reaped(p, m + 27, n - 27);
			return;
		}
		if (starts(m, n, LIT("oom_kill_process: "))) {
			release_held(p);
			on_suppressed(p, l, m + 18, n - 18);
			return;
		}
		break;
	case 'M':
		if (starts(m, n, LIT("Memory cgroup out of memory"))) {
			on_prefixed(p, l, m, n, 27, SCOPE_MEMCG);
			return;
		}
		if (starts(m, n, LIT("Memory cgroup stats for "))) {
			on_stats_for(p, m, n);
			return;
		}
		break;
	case '[':
		if (on_task_header(p, m, n))
			return;
		break;
	case 'k':
		if (starts(m, n, LIT("kmem: usage "))) {
			on_counter(p, m, n, 12, &p->stage.kmem);
			return;
		}
		break;
	case 's':
		if (starts(m, n, LIT("swap: usage "))) {
			on_counter(p, m, n, 12, &p->stage.swap);
			return;
		}
		break;
	case 'O':
		if (starts(m, n, LIT("Out of memory"))) {
			on_prefixed(p, l, m, n, 13, SCOPE_GLOBAL);
			return;
		}
		break;
	case 'K':
		if (starts(m, n, LIT("Killed process "))) {
			on_killed(p, l, m + 15, n - 15, SCOPE_NONE);
			return;
		}
		break;
	case 'T':
		if (starts(m, n, LIT("Task in ")) || starts(m, n, LIT("Tasks in "))) {
			on_task_in(p, l, m, n);
			return;
		}
		break;
	case 'm':
		if (starts(m, n, LIT("memory: usage "))) {
			release_held(p);
			on_usage(p, m, n);
			return;
		}
		if (starts(m, n, LIT("memory+swap: usage "))) {
			on_counter(p, m, n, 19, &p->stage.memsw);
			return;
		}
		break;
	case 'c':
		if (starts(m, n, LIT("cgroup: fork rejected by pids controller in "))) {
			release_held(p);
			on_fork_rejected(p, l, m + 44, n - 44);
			return;
		}
		break;
	case 'C':
	case 'P':
		if (p->have_invoked && p->invoked.pid < 0 && !p->have_summary &&
		    (starts(m, n, LIT("CPU: ")) || starts(m, n, LIT("Pid: ")))) {
			on_cpu_line(p, m, n);
			return;
		}
		break;
	default:
		break;
	}
	at = find_invoked(m, n);
	if (at)
		on_invoked(p, l, m, n, at);
}
