/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * view-detail.c - one group in detail (Enter on a row): its own and effective
 * limits with the ancestor that imposes the effective one, memory use and the
 * memory.stat breakdown as bars (v1 names such as rss and cache where the
 * memory controller is v1), memory.events or memory.oom_control and failcnt,
 * pids and rejected forks, IO, pressure, CPU and memory sparklines, the
 * processes of the group (from proclist.c) and the group's recent events.
 * One scrollable page; Esc, q or Left go back to the table.
 *
 * While it is open the sampler also reads memory.stat, memory.events, pressure,
 * IO and the rest for every group (the needs bits it added are taken back on
 * leave), of the groups off the screen only those below the shown group (its
 * subtree counts are sums over them); the process list is read again once per
 * sample.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ui/proclist.h"
#include "ui/ui-curses.h"
#include "names/names.h"
#include "ui/ui.h"
#include "base/units.h"

#define DETAIL_NEEDS                                                                                         \
	(NEED_TASKS | NEED_CPU | NEED_CPU_SPLIT | NEED_THROTTLE | NEED_MEM | NEED_MEM_LIMIT |                \
	 NEED_MEM_PEAK | NEED_SWAP | NEED_MEM_EVENTS | NEED_MEM_STAT | NEED_PIDS | NEED_PIDS_LIMIT |         \
	 NEED_PIDS_EVENTS | NEED_IO | NEED_IO_OPS | NEED_PSI | NEED_CPU_LIMIT | NEED_CPUSET)
#define PROCS_MAX 256   /* processes listed (the largest by RSS) */
#define EVENTS_SHOWN 10 /* recent events of the group */

/* The one detail view's state: only one can be open. */
static struct {
	unsigned added_needs; /* needs bits enter() added, taken back by leave() */
	struct proclist pl;
	bool pl_init;
	const struct cg_node *pl_node;
	uint64_t pl_iter;
	int total_lines; /* of the last draw, for scrolling */
	int page;        /* lines of the scrolled area */
} D;

/* Lines are numbered from the top of the page; only those inside the window
 * [scroll, scroll + h) reach the screen. */
struct pen {
	struct ui *ui;
	int y0, h, line, w;
};

/* The screen row of the next line, or -1 when it is scrolled out. */
static int next_row(struct pen *p)
{
	int r = p->line++ - p->ui->detail_scroll;

	return r >= 0 && r < p->h ? p->y0 + r : -1;
}

/* Text cut to w columns (UTF-8 continuation bytes take none), padded with blanks. */
__attribute__((format(printf, 3, 4))) static int line(struct pen *p, int attr, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int y = next_row(p);

	if (y < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (attr)
		attron(attr);
	ui_put_w(y, 0, p->w, buf);
	if (attr)
		attroff(attr);
	return y;
}

static void blank(struct pen *p)
{
	line(p, 0, "%s", "");
}

static void section(struct pen *p, const char *title)
{
	blank(p);
	line(p, ui_color(p->ui, UC_TITLE), " %s", title);
}

static const char *bytes(char *b, size_t size, uint64_t v)
{
	return units_format_bytes(b, size, v);
}

static const char *limit_str(char *b, size_t size, bool valid, uint64_t v, bool is_bytes)
{
	if (!valid)
		return "-";
	if (v == CG_UNLIMITED)
		return "max";
	if (is_bytes)
		return bytes(b, size, v);
	snprintf(b, size, "%llu", (unsigned long long)v);
	return b;
}

/* A value of the sample as text: "-" when not valid. */
static const char *num(char *b, size_t size, const struct cg_values *v, enum cg_val id)
{
	if (!VALID(v, id))
		return "-";
	snprintf(b, size, "%llu", (unsigned long long)cg_val(v, id));
	return b;
}

static const char *size_of(char *b, size_t size, const struct cg_values *v, enum cg_val id)
{
	return VALID(v, id) ? bytes(b, size, cg_val(v, id)) : "-";
}

static const char *secs(char *b, size_t size, const struct cg_values *v, enum cg_val id)
{
	if (!VALID(v, id))
		return "-";
	snprintf(b, size, "%.1fs", cg_val(v, id) / 1e6);
	return b;
}

static const char *cpus_str(char *b, size_t size, bool valid, uint64_t v)
{
	if (!valid)
		return "-";
	if (v == CG_UNLIMITED)
		return "max";
	return units_format_micro(b, size, v);
}

static const char *list_str(const struct buf *list, bool valid, char *b, size_t size)
{
	if (!valid || !list->data)
		return "-";
	if (!list->len)
		return "(parent's)"; /* v2: an empty cpuset.cpus takes the parent's */
	snprintf(b, size, "%.*s", (int)list->len, list->data);
	return b;
}

static const char *from_str(const struct cg_node *n, bool valid, uint64_t eff, const struct cg_node *from)
{
	if (!valid)
		return "-";
	if (eff == CG_UNLIMITED || !from)
		return "(no limit on the path to the root)";
	if (from == n)
		return "this group";
	return from->path;
}

static bool has_ctrl(const struct cg_node *n, enum cg_ctrl c)
{
	return n->ctrl_mask & (1u << c);
}

static void limits(struct pen *p, const struct cg_node *n)
{
	const struct cg_values *v = &n->cur;
	char a[32], b[32], la[256], lb[256];

	section(p, "Limits           own          effective    imposed by");
	line(p, 0, " memory           %-12s %-12s %s",
	     limit_str(a, sizeof(a), VALID(v, V_MEM_MAX), cg_val(v, V_MEM_MAX), true),
	     limit_str(b, sizeof(b), cg_eff_of(n, CG_EFF_MEM).valid, cg_eff_of(n, CG_EFF_MEM).v, true),
	     has_ctrl(n, CTRL_MEMORY) ? from_str(n, cg_eff_of(n, CG_EFF_MEM).valid,
						 cg_eff_of(n, CG_EFF_MEM).v, cg_eff_of(n, CG_EFF_MEM).from)
				      : "(no memory controller)");
	line(p, 0, " memory.high      %-12s %-12s %s",
	     limit_str(a, sizeof(a), VALID(v, V_MEM_HIGH), cg_val(v, V_MEM_HIGH), true),
	     limit_str(b, sizeof(b), cg_eff_of(n, CG_EFF_MEM_HIGH).valid, cg_eff_of(n, CG_EFF_MEM_HIGH).v,
		       true),
	     n->src[CGF_MEM_OOMCTL_V1] >= 0
		     ? "(cgroup v1 has none)"
		     : from_str(n, cg_eff_of(n, CG_EFF_MEM_HIGH).valid, cg_eff_of(n, CG_EFF_MEM_HIGH).v,
				cg_eff_of(n, CG_EFF_MEM_HIGH).from));
	line(p, 0, " cpu (CPUs)       %-12s %-12s %s",
	     cpus_str(a, sizeof(a), VALID(v, V_CPU_MAX), cg_val(v, V_CPU_MAX)),
	     cpus_str(b, sizeof(b), cg_eff_of(n, CG_EFF_CPU).valid, cg_eff_of(n, CG_EFF_CPU).v),
	     from_str(n, cg_eff_of(n, CG_EFF_CPU).valid, cg_eff_of(n, CG_EFF_CPU).v,
		      cg_eff_of(n, CG_EFF_CPU).from));
	line(p, 0, " cpuset           %-12s %-12s %s",
	     list_str(&cg_text(n)->cpuset, VALID(v, V_CPUSET), la, sizeof(la)),
	     list_str(&cg_text(n)->cpuset_eff, VALID(v, V_CPUSET_EFF), lb, sizeof(lb)),
	     VALID(v, V_CPUSET_EFF) ? "(the CPUs it may run on)" : "");
	line(p, 0, " pids             %-12s %-12s %s",
	     limit_str(a, sizeof(a), VALID(v, V_PIDS_MAX), cg_val(v, V_PIDS_MAX), false),
	     limit_str(b, sizeof(b), cg_eff_of(n, CG_EFF_PIDS).valid, cg_eff_of(n, CG_EFF_PIDS).v, false),
	     has_ctrl(n, CTRL_PIDS) ? from_str(n, cg_eff_of(n, CG_EFF_PIDS).valid,
					       cg_eff_of(n, CG_EFF_PIDS).v, cg_eff_of(n, CG_EFF_PIDS).from)
				    : "(no pids controller)");
}

static void usage(struct pen *p, const struct cg_node *n)
{
	const struct cg_values *v = &n->cur;
	bool of_high;
	double pct = 0;
	uint64_t limit = 0;
	bool frac = column_mem_pct(n, &pct, &limit, &of_high);
	bool limited = frac ||
		       (cg_eff_of(n, CG_EFF_MEM).valid && cg_eff_of(n, CG_EFF_MEM).v != CG_UNLIMITED) ||
		       (cg_eff_of(n, CG_EFF_MEM_HIGH).valid &&
			cg_eff_of(n, CG_EFF_MEM_HIGH).v != CG_UNLIMITED);
	char a[32], b[32], c[32], d[32], e[32], f[32];
	int y, bw;

	section(p, "Usage");
	/* memory: current, a bar against the limit it meets first (memory.high
	 * when that is the smaller: the kernel throttles there) */
	bw = p->w > 80 ? 30 : p->w > 60 ? 16 : 0;
	e[0] = '\0';
	if (frac)
		snprintf(e, sizeof(e), "%.1f%% of ", pct);
	if (!limited)
		snprintf(b, sizeof(b), "no limit");
	else if (!frac)
		snprintf(b, sizeof(b), "-");
	else
		snprintf(b, sizeof(b), "%s (%s)", bytes(f, sizeof(f), limit),
			 cg_knob_name(of_high ? KNOB_MEM_HIGH : KNOB_MEM_MAX, true));
	if (!has_ctrl(n, CTRL_MEMORY)) {
		/* not a group of the memory hierarchy (v1), or the controller is
		 * not enabled for it (v2): nothing is counted, nothing limits it */
		line(p, 0, " memory   %8s   no memory controller", "-");
	} else {
		y = line(p, 0, " memory   %8s %*s %s%s  peak %s  swap %s",
			 size_of(a, sizeof(a), v, V_MEM_CURRENT), bw ? bw + 2 : 0, "", e, b,
			 size_of(c, sizeof(c), v, V_MEM_PEAK), size_of(d, sizeof(d), v, V_SWAP));
		if (y >= 0 && bw && frac)
			ui_draw_bar(p->ui, y, 20, bw, pct / 100);
	}
	/* The kernel raises a group's high-water mark as it charges each level
	 * on the way up (page_counter_try_charge), before an ancestor's limit
	 * refuses the charge and takes it back: the peak of a group below the
	 * limiting one may pass the effective limit by a charge batch. */
	if (cg_eff_of(n, CG_EFF_MEM).valid && cg_eff_of(n, CG_EFF_MEM).v != CG_UNLIMITED &&
	    VALID(v, V_MEM_PEAK) && cg_val(v, V_MEM_PEAK) > cg_eff_of(n, CG_EFF_MEM).v) {
		if (cg_eff_of(n, CG_EFF_MEM).from && cg_eff_of(n, CG_EFF_MEM).from != n)
			line(p, ui_color(p->ui, UC_DIM), " %s",
			     "peak above the effective limit: the kernel's high-water mark counts charges "
			     "an ancestor refused");
		else
			line(p, ui_color(p->ui, UC_DIM), " %s",
			     "peak above the limit: it was reached before the limit was lowered");
	}
	/* CPU */
	if (cg_rates(n)->cpu_percent_valid)
		snprintf(a, sizeof(a), "%.1f%%", cg_rates(n)->cpu_percent);
	else
		snprintf(a, sizeof(a), "-");
	if (cg_rates(n)->throttled_percent_valid)
		snprintf(e, sizeof(e), "%.1f%%", cg_rates(n)->throttled_percent);
	else
		snprintf(e, sizeof(e), "-");
	line(p, 0,
	     " cpu      %8s   user %s  system %s  throttled in %s of the last interval's periods, %s of %s since boot",
	     a, secs(b, sizeof(b), v, V_CPU_USER), secs(c, sizeof(c), v, V_CPU_SYSTEM), e,
	     num(d, sizeof(d), v, V_NR_THROTTLED), num(f, sizeof(f), v, V_NR_PERIODS));
	line(p, 0, " tasks    %8s   threads %s   (with the descendants; the group's own: %s and %s)",
	     num(a, sizeof(a), v, V_TASKS_SUBTREE), num(c, sizeof(c), v, V_THREADS_SUBTREE),
	     num(b, sizeof(b), v, V_TASKS), num(d, sizeof(d), v, V_THREADS));
}

static void history(struct pen *p, const struct cg_node *n)
{
	int w = p->w - 12, y;

	if (w > UI_HIST_LEN)
		w = UI_HIST_LEN;
	section(p, "History (one sample per refresh, newest at the right)");
	if (w < 8) {
		line(p, ui_color(p->ui, UC_DIM), "  (too narrow)");
		return;
	}
	y = line(p, 0, " cpu      ");
	if (y >= 0)
		ui_history_draw(p->ui, n, 0, y, 10, w);
	y = line(p, 0, " memory   ");
	if (y >= 0)
		ui_history_draw(p->ui, n, 1, y, 10, w);
}

/* memory.stat rows: v2 key, v1 key (its total_ form preferred: hierarchical
 * like the v2 numbers and like memory.usage_in_bytes). */
static const struct {
	const char *v2, *v1;
} stat_rows[] = {
	{ "anon", "rss" },
	{ "file", "cache" },
	{ "kernel", NULL },
	{ "slab", NULL },
	{ "sock", NULL },
	{ "shmem", "shmem" },
	{ "file_mapped", "mapped_file" },
	{ "file_dirty", "dirty" },
	{ "file_writeback", "writeback" },
	{ "anon_thp", "rss_huge" },
	{ "pagetables", NULL },
	{ "kernel_stack", NULL },
	{ "percpu", NULL },
	{ "vmalloc", NULL },
	{ "zswap", NULL },
	{ "swapcached", NULL },
	{ NULL, "swap" },
	{ "unevictable", "unevictable" },
};

static void memstat(struct pen *p, const struct cg_node *n)
{
	const struct cg_values *v = &n->cur;
	const struct buf *ms = &cg_text(n)->mem_stat;
	bool v1 = n->src[CGF_MEM_STAT_V1] >= 0;
	uint64_t total = VALID(v, V_MEM_CURRENT) ? cg_val(v, V_MEM_CURRENT) : 0;
	int bw = p->w > 90 ? 40 : p->w > 60 ? 20 : 0;
	unsigned shown = 0;

	section(p, v1 ? "Memory breakdown (memory.stat, cgroup v1 names)" : "Memory breakdown (memory.stat)");
	if (!VALID(v, V_MEM_STAT) || !ms->data) {
		line(p, ui_color(p->ui, UC_DIM), "  - (memory.stat not read yet, or no memory controller)");
		return;
	}
	for (size_t i = 0; i < sizeof(stat_rows) / sizeof(stat_rows[0]); i++) {
		const char *key = v1 ? stat_rows[i].v1 : stat_rows[i].v2;
		char tkey[64], a[32];
		uint64_t val;
		int y;

		if (!key)
			continue;
		if (v1) {
			snprintf(tkey, sizeof(tkey), "total_%s", key);
			if (parse_keyed_get(ms->data, ms->len, tkey, &val) < 0 &&
			    parse_keyed_get(ms->data, ms->len, key, &val) < 0)
				continue;
		} else if (parse_keyed_get(ms->data, ms->len, key, &val) < 0) {
			continue;
		}
		tkey[0] = '\0';
		if (total)
			snprintf(tkey, sizeof(tkey), "%5.1f%%", 100.0 * val / total);
		y = line(p, 0, " %-15s %8s %*s %s", key, bytes(a, sizeof(a), val), bw ? bw + 1 : 0, "", tkey);
		if (y >= 0 && bw && total)
			ui_draw_bar(p->ui, y, 26, bw, (double)val / (double)total);
		shown++;
	}
	if (!shown)
		line(p, ui_color(p->ui, UC_DIM), "  - (no known keys in memory.stat)");
}

/* "key value" pairs of a flat keyed file on one line. */
struct kv_line {
	char *out;
	size_t size, len;
};

static int kv_cb(const char *key, size_t key_len, uint64_t value, void *userdata)
{
	struct kv_line *k = userdata;
	int r = snprintf(k->out + k->len, k->size - k->len, "%s%.*s %llu", k->len ? "  " : "", (int)key_len,
			 key, (unsigned long long)value);

	if (r > 0)
		k->len += (size_t)r;
	if (k->len >= k->size)
		k->len = k->size - 1;
	return 0;
}

static void events_counters(struct pen *p, const struct cg_node *n)
{
	const struct cg_values *v = &n->cur;
	bool v1 = n->src[CGF_MEM_OOMCTL_V1] >= 0;
	bool at_limit = VALID(v, V_PIDS_CURRENT) && cg_eff_of(n, CG_EFF_PIDS).valid &&
			cg_eff_of(n, CG_EFF_PIDS).v != CG_UNLIMITED &&
			cg_val(v, V_PIDS_CURRENT) >= cg_eff_of(n, CG_EFF_PIDS).v;
	char buf[512], a[32], b[32], c[32];
	struct kv_line k = { buf, sizeof(buf), 0 };

	section(p, "Memory events and pids");
	buf[0] = 0;
	const struct buf *me = &cg_text(n)->mem_events;
	if (VALID(v, V_MEM_EVENTS) && me->data)
		parse_keyed(me->data, me->len, kv_cb, &k);
	line(p, 0, " %-19s %s", v1 ? "memory.oom_control" : "memory.events", buf[0] ? buf : "-");
	line(p, 0, " failcnt %-11s oom kills %s, with the descendants %s   under oom %s",
	     num(a, sizeof(a), v, V_FAILCNT), num(b, sizeof(b), v, V_OOM_KILLS_LOCAL),
	     num(c, sizeof(c), v, V_OOM_KILLS_SUBTREE),
	     VALID(v, V_UNDER_OOM) ? (cg_val(v, V_UNDER_OOM) ? "yes" : "no") : "-");
	line(p, at_limit ? ui_color(p->ui, UC_ERROR) : 0, " pids %-14s of %-10s rejected forks %s%s",
	     num(a, sizeof(a), v, V_PIDS_CURRENT),
	     limit_str(b, sizeof(b), cg_eff_of(n, CG_EFF_PIDS).valid, cg_eff_of(n, CG_EFF_PIDS).v, false),
	     num(c, sizeof(c), v, V_PIDS_REJECTED), at_limit ? "   AT THE LIMIT" : "");
}

static void io_psi(struct pen *p, const struct cg_node *n)
{
	static const char *const names[3] = { "cpu", "memory", "io" };
	const struct cg_values *v = &n->cur;
	char a[32], b[32];

	section(p, "IO and pressure");
	if (cg_rates(n)->io_rate_valid) {
		/* the operations are read from the view's first refresh (NEED_IO_OPS) */
		char ro[24] = "-", wo[24] = "-";
		if (cg_rates(n)->io_ops_valid) {
			snprintf(ro, sizeof(ro), "%.0f", cg_rates(n)->io_riops);
			snprintf(wo, sizeof(wo), "%.0f", cg_rates(n)->io_wiops);
		}
		line(p, 0, " io       read %s/s %s IO/s   write %s/s %s IO/s",
		     bytes(a, sizeof(a), (uint64_t)cg_rates(n)->io_rbps), ro,
		     bytes(b, sizeof(b), (uint64_t)cg_rates(n)->io_wbps), wo);
	} else
		line(p, 0, " io       read -/s   write -/s");
	line(p, 0, " io total read %s   written %s", size_of(a, sizeof(a), v, V_IO_RBYTES),
	     size_of(b, sizeof(b), v, V_IO_WBYTES));
	line(p, 0, " pressure  some avg10  avg60 avg300   full avg10  avg60 avg300");
	for (int i = 0; i < 3; i++) {
		const struct psi *ps = n->psi ? &n->psi[i] : NULL;
		char sm[64] = "     -      -      -", fl[64] = "     -      -      -";

		if (!VALID(v, V_PSI_CPU + i) || !ps) {
			line(p, ui_color(p->ui, UC_DIM), " %-9s -", names[i]);
			continue;
		}
		if (ps->has_some)
			snprintf(sm, sizeof(sm), "%6.2f %6.2f %6.2f", ps->some.avg10, ps->some.avg60,
				 ps->some.avg300);
		if (ps->has_full)
			snprintf(fl, sizeof(fl), "%6.2f %6.2f %6.2f", ps->full.avg10, ps->full.avg60,
				 ps->full.avg300);
		line(p, 0, " %-9s %s       %s", names[i], sm, fl);
	}
}

static void procs(struct pen *p, const struct cg_node *n)
{
	struct proclist *pl = &D.pl;
	char a[32], title[128];

	if (p->ui->replay) {
		section(p, "Processes");
		line(p, ui_color(p->ui, UC_DIM), "  - (not recorded)");
		return;
	}
	if (!D.pl_init) {
		proclist_init(pl);
		D.pl_init = true;
	}
	if (D.pl_node != n || D.pl_iter != p->ui->s.iteration) {
		proclist_read(pl, &p->ui->tree, n, PROCS_MAX);
		D.pl_node = n;
		D.pl_iter = p->ui->s.iteration;
	}
	if (pl->err < 0) {
		section(p, "Processes");
		line(p, ui_color(p->ui, UC_DIM), "  - (cannot list them: %s)", strerror(-pl->err));
		return;
	}
	if (pl->n < pl->total)
		snprintf(title, sizeof(title), "Processes (%u, the %u largest by RSS)", pl->total, pl->n);
	else
		snprintf(title, sizeof(title), "Processes (%u, by RSS)", pl->total);
	section(p, title);
	if (pl->total == 0) {
		line(p, ui_color(p->ui, UC_DIM), "  (none in this group itself)");
		return;
	}
	line(p, ui_color(p->ui, UC_DIM), "     PID S      RSS THR COMMAND");
	for (unsigned i = 0; i < pl->n; i++) {
		const struct proc_info *pi = &pl->procs[i];
		char comm[PROC_COMM_MAX];

		snprintf(comm, sizeof(comm), "%s", pi->comm);
		for (char *c = comm; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
		line(p, 0, " %7lld %c %8s %3llu %s", (long long)pi->pid, pi->state,
		     pi->rss_kib == UINT64_MAX ? "-" : bytes(a, sizeof(a), pi->rss_kib * 1024),
		     (unsigned long long)pi->threads, comm);
	}
}

static void recent_events(struct pen *p, const struct cg_node *n)
{
	const struct ui_node *un = n->ui;
	unsigned shown = 0;
	bool sep = false;
	char buf[1024], title[160], when[32];

	snprintf(title, sizeof(title), "Events of this group (%u %s, %u before; e: full log, i: incident)",
		 un ? un->n_events : 0, UI_SINCE(p->ui), un ? un->n_events_before : 0);
	section(p, title);
	for (unsigned i = 0; i < p->ui->log.n && shown < EVENTS_SHOWN; i++) {
		const struct ui_event *e = event_log_nth(&p->ui->log, i);

		if (!e || !event_log_of(e, n))
			continue;
		if (e->before_start && !sep) {
			sep = true;
			if (!shown)
				line(p, ui_color(p->ui, UC_DIM), "  (none %s)", UI_SINCE(p->ui));
			if (p->ui->replay)
				line(p, ui_color(p->ui, UC_DIM), "  --- before this sample ---");
			else
				line(p, ui_color(p->ui, UC_DIM),
				     "  --- before cgtop started: the kernel log since %s ---",
				     ui_events_log_start(p->ui, when, sizeof(when)));
		}
		buf[0] = ' ';
		ui_event_format(e, strcmp(ui_event_group(e), n->path) != 0, p->w - 1, buf + 1,
				sizeof(buf) - 1);
		line(p, e->before_start || e->ev.kind == EV_OOM_INVOKED ? ui_color(p->ui, UC_DIM) : 0, "%s",
		     buf);
		shown++;
	}
	if (!shown)
		line(p, ui_color(p->ui, UC_DIM), "  (none %s)", UI_SINCE(p->ui));
}

static void detail_draw(struct ui *ui, int y, int h)
{
	const struct cg_node *n = ui->detail;
	struct pen p = { .ui = ui, .y0 = y + 1, .h = h - 1, .line = 0, .w = ui->cols };
	char title[1024];

	if (h <= 0)
		return;
	if (!n) {
		attron(ui_color(ui, UC_TITLE));
		ui_put_w(y, 0, ui->cols, " Detail");
		attroff(ui_color(ui, UC_TITLE));
		if (h > 1)
			ui_put_w(y + 1, 0, ui->cols, " The group is gone.  Esc: back");
		return;
	}
	attron(ui_color(ui, UC_TITLE));
	if (7 + ui_str_width(n->path) <= ui->cols) {
		snprintf(title, sizeof(title), " Group %s   (Esc: back  Up/Down PgUp/PgDn: scroll)", n->path);
		ui_put_w(y, 0, ui->cols, title);
	} else {
		/* the whole path, over as many lines as it needs (up to half
		 * the screen), never cut: it names the group */
		const char *rest = n->path;

		ui_put_w(y, 0, 7, " Group ");
		rest = ui_put_w(y, 7, ui->cols - 7, rest);
		while (*rest && p.h > h / 2) {
			ui_put_w(p.y0, 0, 7, "");
			rest = ui_put_w(p.y0, 7, ui->cols - 7, rest);
			p.y0++;
			p.h--;
		}
	}
	attroff(ui_color(ui, UC_TITLE));
	/* the name people use (names.h), under the path that is the group's key */
	const struct group_name *g = names_of(&ui->tree, n);
	if (g && p.h > 1) {
		char id[32] = "", pod[300] = "", ns[300] = "";
		if (g->container_id[0])
			snprintf(id, sizeof(id), ", id %.12s", g->container_id);
		if (g->pod[0] && strcmp(g->pod, g->name))
			snprintf(pod, sizeof(pod), ", pod %s", g->pod);
		if (g->namespace[0])
			snprintf(ns, sizeof(ns), ", namespace %s", g->namespace);
		snprintf(title, sizeof(title), " Name  %s  (%s%s%s%s)", g->name, names_kind_name(g->kind), id,
			 pod, ns);
		ui_put_w(p.y0, 0, ui->cols, title);
		p.y0++;
		p.h--;
	}
	if (p.h <= 0)
		return;
	D.page = p.h;
	limits(&p, n);
	usage(&p, n);
	history(&p, n);
	memstat(&p, n);
	events_counters(&p, n);
	io_psi(&p, n);
	procs(&p, n);
	recent_events(&p, n);
	D.total_lines = p.line;
	/* clear below the end */
	while (p.line < ui->detail_scroll + p.h)
		blank(&p);
}

static void detail_enter(struct ui *ui)
{
	D.added_needs = DETAIL_NEEDS & ~ui->s.needs;
	ui->s.needs |= D.added_needs;
	ui->detail_scroll = 0;
	D.pl_node = NULL;
	if (ui->detail)
		ui_history_backfill(ui, ui->detail); /* the samples before start, when recorded */
	if (D.added_needs)
		ui->dirty |= UI_RESAMPLE; /* memory.stat and the rest now, not in a second */
	ui->dirty |= UI_REDRAW;
}

static void detail_leave(struct ui *ui)
{
	ui->s.needs &= ~D.added_needs;
	D.added_needs = 0;
	D.pl_node = NULL;
	if (D.pl_init) {
		proclist_free(&D.pl);
		D.pl_init = false;
	}
}

static int detail_key(struct ui *ui, int key)
{
	int max = D.total_lines - D.page, page = D.page > 1 ? D.page - 1 : 1;

	if (max < 0)
		max = 0;
	switch (key) {
	case KEY_UP:
	case 'k':
		ui->detail_scroll--;
		break;
	case KEY_DOWN:
	case 'j':
		ui->detail_scroll++;
		break;
	case KEY_PPAGE:
		ui->detail_scroll -= page;
		break;
	case KEY_NPAGE:
	case ' ':
		ui->detail_scroll += page;
		break;
	case KEY_HOME:
		ui->detail_scroll = 0;
		break;
	case KEY_END:
		ui->detail_scroll = max;
		break;
	case 'e':
		ui->ev_sel = ui->ev_scroll = 0;
		ui_switch_view(ui, &view_events);
		return UI_HANDLED | UI_REDRAW;
	case 'i': {
		/* the group's newest OOM kill or fork rejection, as i in the table
		 * opens the newest of all; Esc comes back here */
		const struct ui_event *e = NULL;

		for (unsigned i = 0; i < ui->log.n && !e; i++) {
			const struct ui_event *x = event_log_nth(&ui->log, i);

			if (x && event_log_incident(x) && ui->detail && event_log_of(x, ui->detail))
				e = x;
		}
		if (!e)
			ui_set_status(ui, false, "no OOM kill or fork rejection in this group");
		else
			ui_incident_open(ui, e, &view_detail);
		return UI_HANDLED | UI_REDRAW;
	}
	case 27: /* Esc */
	case 'q':
	case KEY_LEFT:
	case KEY_BACKSPACE:
	case 127:
		ui_switch_view(ui, &view_tree);
		return UI_HANDLED | UI_REDRAW;
	default:
		return UI_UNHANDLED;
	}
	if (ui->detail_scroll > max)
		ui->detail_scroll = max;
	if (ui->detail_scroll < 0)
		ui->detail_scroll = 0;
	return UI_HANDLED | UI_REDRAW;
}

const struct view_ops view_detail = {
	.name = "detail",
	.enter = detail_enter,
	.leave = detail_leave,
	.draw = detail_draw,
	.key = detail_key,
};
