/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ui-header.c - the dashboard's header: host name, kernel, cgroup mode and
 * controllers, number of groups, the whole host's CPU and memory as bars
 * (/proc/stat, /proc/meminfo under --sysroot), the OOM kills and rejected
 * forks seen since start (and the kills since the kernel log's start, boot
 * unless it wrapped), whether /dev/kmsg can be read and why not, the
 * refresh interval and the time.  Host facts are read once; the two /proc
 * files each refresh into a stack buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "base/macro.h"
#include "ui/ui-curses.h"
#include "ui/ui.h"
#include "base/units.h"
#include "base/fileio.h"
#include "base/parse.h"

/* Read the start of sysroot/path into buf; returns the length or -errno. */
static int read_proc(const struct ui *ui, const char *path, char *buf, size_t size)
{
	char full[4096];

	snprintf(full, sizeof(full), "%s%s", ui->tree.sysroot ? ui->tree.sysroot : "", path);
	return fileio_read_str_at(AT_FDCWD, full, buf, size);
}

/* Copy a string, truncating it (snprintf would warn of the truncation). */
static void copy(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = 0;
}

static void read_line(const struct ui *ui, const char *path, char *out, size_t size)
{
	char b[256];

	if (read_proc(ui, path, b, sizeof(b)) <= 0)
		return;
	b[strcspn(b, "\n")] = 0;
	copy(out, size, b);
}

static void host_facts(struct ui *ui)
{
	struct utsname u;
	bool live = !ui->tree.sysroot || !ui->tree.sysroot[0];

	read_line(ui, "/proc/sys/kernel/hostname", ui->hostname, sizeof(ui->hostname));
	read_line(ui, "/proc/sys/kernel/osrelease", ui->kernel, sizeof(ui->kernel));
	if (live && uname(&u) == 0) {
		if (!ui->hostname[0])
			copy(ui->hostname, sizeof(ui->hostname), u.nodename);
		if (!ui->kernel[0])
			copy(ui->kernel, sizeof(ui->kernel), u.release);
	}
	if (!ui->hostname[0])
		snprintf(ui->hostname, sizeof(ui->hostname), "?");
	if (!ui->kernel[0])
		snprintf(ui->kernel, sizeof(ui->kernel), "?");
	ui->host_cpu_pct = -1;
}

void ui_header_sample(struct ui *ui)
{
	char b[4096];
	uint64_t total, avail, busy, all;
	int n;

	if (!ui->kernel[0])
		host_facts(ui);

	/* the first line is the whole host's; the per-CPU ones may be cut off */
	n = read_proc(ui, "/proc/stat", b, sizeof(b));
	if (n > 0 && parse_proc_stat_cpu_busy(b, (size_t)n, &busy, &all) == 0) {
		if (ui->host_cpu_prev[1] && all > ui->host_cpu_prev[1] && busy >= ui->host_cpu_prev[0])
			ui->host_cpu_pct = 100.0 * (busy - ui->host_cpu_prev[0]) /
					   (all - ui->host_cpu_prev[1]);
		ui->host_cpu_prev[0] = busy;
		ui->host_cpu_prev[1] = all;
	}
	n = read_proc(ui, "/proc/meminfo", b, sizeof(b));
	if (n > 0 && parse_meminfo_get(b, (size_t)n, "MemTotal", &total) == 0) {
		ui->mem_total = total;
		if (parse_meminfo_get(b, (size_t)n, "MemAvailable", &avail) == 0 && avail <= total)
			ui->host_mem_used = total - avail;
	}
}

int ui_header_height(const struct ui *ui)
{
	int lines = ui->lines ? ui->lines : LINES;

	if (lines < 14)
		return 1;
	return ui->events_on && !ui->ev.kmsg_open ? 4 : 3;
}

/* Text at y, x, at most up to column xmax (exclusive); returns the new x. */
static int put(int y, int x, int xmax, int attr, const char *s)
{
	int room = xmax - x;

	if (room <= 0)
		return x;
	attron(attr);
	mvaddnstr(y, x, s, room);
	attroff(attr);
	x += (int)strlen(s);
	return x < xmax ? x : xmax;
}

static void controllers(const struct ui *ui, char *out, size_t size)
{
	const struct cg_hierarchies *hs = &ui->tree.hs;
	uint32_t mask = 0;
	size_t o = 0;

	for (unsigned i = 0; i < hs->n; i++)
		mask |= hs->h[i].ctrl_mask;
	out[0] = 0;
	for (int c = 0; c < _CTRL_MAX && o + 1 < size; c++)
		if (mask & (1u << c)) {
			int w = snprintf(out + o, size - o, "%s%s", o ? "," : "", cg_ctrl_name(c));
			if (w < 0)
				break;
			o += (size_t)w;
		}
	if (!out[0])
		snprintf(out, size, "none");
}

static void bar_line(struct ui *ui, int y, int x, int w, const char *label, double frac, const char *val)
{
	int hdr = ui_color(ui, UC_HEADER);
	int vw = (int)strlen(val);
	int bw = w - (int)strlen(label) - 3 - vw;

	x = put(y, x, x + w, hdr, label);
	if (bw < 3) {
		put(y, x, x + w, 0, val);
		return;
	}
	x = put(y, x, x + 1, 0, "[");
	ui_draw_bar(ui, y, x, bw, frac);
	x += bw;
	x = put(y, x, x + 1, 0, "]");
	put(y, x + 1, x + 1 + vw, 0, val);
}

/* A replay: what was recorded, where the cursor is, the keys that move it. */
static void replay_draw(struct ui *ui, int y, int h)
{
	const struct ui_replay *rp = ui->replay;
	int cols = COLS, hdr = ui_color(ui, UC_HEADER), x;
	char b[512], at[32], first[32], last[32];

	ui_replay_when(ui, rp->ticks[rp->cur], at, sizeof(at));
	x = put(y, 0, cols, hdr | A_BOLD, "cgtop");
	x = put(y, x, cols, ui_color(ui, UC_ERROR) | A_BOLD, " REPLAY");
	snprintf(b, sizeof(b), "  %s  Linux %s  %s  %s", ui->hostname, ui->kernel, rp->mode,
		 ui->cfg->replay_file);
	int tx = cols - (int)strlen(at);
	x = put(y, x, tx - 1 > x ? tx - 1 : cols, 0, b);
	if (tx > x)
		put(y, tx, cols, hdr | A_BOLD, at);
	if (h < 2)
		return;
	ui_replay_when(ui, rp->ticks[0], first, sizeof(first));
	ui_replay_when(ui, rp->ticks[rp->n - 1], last, sizeof(last));
	x = put(y + 1, 0, cols, hdr, "at ");
	x = put(y + 1, x, cols, A_BOLD, at);
	snprintf(b, sizeof(b), "  sample %zu of %zu  recorded %s .. %s  (time stands still)", rp->cur + 1,
		 rp->n, first, last);
	put(y + 1, x, cols, 0, b);
	if (h < 3)
		return;
	x = put(y + 2, 0, cols, hdr, "OOM kills: ");
	unsigned long long k = ui->log.oom_kills + ui->log.oom_kills_before,
			   f = ui->log.fork_rejections + ui->log.fork_rejections_before;
	snprintf(b, sizeof(b), "%llu", k);
	x = put(y + 2, x, cols, k ? ui_color(ui, UC_ERROR) : 0, b);
	x = put(y + 2, x, cols, hdr, "  rejected forks: ");
	snprintf(b, sizeof(b), "%llu", f);
	x = put(y + 2, x, cols, f ? ui_color(ui, UC_ERROR) : 0, b);
	x = put(y + 2, x, cols, 0, " up to this sample");
	snprintf(b, sizeof(b), "  %u groups  recorded every %g s", ui->n_groups, ui->interval_usec / 1e6);
	x = put(y + 2, x, cols, hdr, b);
	if (ui->filter[0]) {
		snprintf(b, sizeof(b), "  filter: %s", ui->filter);
		put(y + 2, x, cols, ui_color(ui, UC_SORTED), b);
	}
}

void ui_header_draw(struct ui *ui, int y, int h)
{
	int cols = COLS, hdr = ui_color(ui, UC_HEADER), x;
	char b[512], ctrl[256], t[32];
	time_t now = time(NULL);
	struct tm tm;

	if (h <= 0)
		return;
	if (ui->replay) {
		replay_draw(ui, y, h);
		return;
	}
	localtime_r(&now, &tm);
	strftime(t, sizeof(t), "%H:%M:%S", &tm);

	/* line 0: who and what */
	x = put(y, 0, cols, hdr | A_BOLD, "cgtop");
	if (ui->readonly)
		x = put(y, x, cols, ui_color(ui, UC_ERROR), " [read-only]");
	if (ui->recorder)
		x = put(y, x, cols, ui_color(ui, UC_ERROR), " [recording]");
	controllers(ui, ctrl, sizeof(ctrl));
	/* the controllers go last: on a narrow screen they are what is cut */
	snprintf(b, sizeof(b), "  %s  Linux %s  %s %s", ui->hostname, ui->kernel,
		 cg_mode_name(ui->tree.hs.mode), ctrl);
	int tx = cols - (int)strlen(t);
	x = put(y, x, tx - 1 > x ? tx - 1 : cols, 0, b);
	if (tx > x)
		put(y, tx, cols, hdr, t);
	if (h < 2)
		return;

	/* line 1: the host's CPU and memory */
	int half = cols / 2;
	char val[64], used[16], tot[16];
	if (ui->host_cpu_pct >= 0)
		snprintf(val, sizeof(val), "%5.1f%%", ui->host_cpu_pct);
	else
		snprintf(val, sizeof(val), "    -");
	bar_line(ui, y + 1, 0, half - 1, "CPU ", ui->host_cpu_pct >= 0 ? ui->host_cpu_pct / 100 : 0, val);
	if (ui->mem_total) {
		units_format_bytes(used, sizeof(used), ui->host_mem_used);
		units_format_bytes(tot, sizeof(tot), ui->mem_total);
		snprintf(val, sizeof(val), "%s/%s", used, tot);
	} else {
		snprintf(val, sizeof(val), "-");
	}
	bar_line(ui, y + 1, half + 1, cols - half - 1, "Mem ",
		 ui->mem_total ? (double)ui->host_mem_used / ui->mem_total : 0, val);
	if (h < 3)
		return;

	/* line 2: events and the refresh; the kills since start, and all the kernel
	 * log holds (what it held at start, read then, and since) */
	x = put(y + 2, 0, cols, hdr, "OOM kills: ");
	snprintf(b, sizeof(b), "%llu", (unsigned long long)ui->log.oom_kills);
	x = put(y + 2, x, cols, ui->log.oom_kills ? ui_color(ui, UC_ERROR) : 0, b);
	x = put(y + 2, x, cols, 0, " since start");
	if (ui->ev.kmsg_open) {
		char when[32];

		snprintf(b, sizeof(b), ", %llu since %s",
			 (unsigned long long)(ui->log.oom_kills + ui->log.oom_kills_before),
			 ui_events_log_start(ui, when, sizeof(when)));
		x = put(y + 2, x, cols, 0, b);
	}
	x = put(y + 2, x, cols, hdr, "  rejected forks: ");
	snprintf(b, sizeof(b), "%llu", (unsigned long long)ui->log.fork_rejections);
	x = put(y + 2, x, cols, ui->log.fork_rejections ? ui_color(ui, UC_ERROR) : 0, b);
	x = put(y + 2, x, cols, 0, " since start");
	x = put(y + 2, x, cols, hdr, "  kmsg: ");
	x = put(y + 2, x, cols, ui->ev.kmsg_open ? 0 : ui_color(ui, UC_ERROR),
		ui->ev.kmsg_open ? "readable" : "not readable");
	snprintf(b, sizeof(b), "  %u groups  refresh %.1f s", ui->n_groups, ui->interval_usec / 1e6);
	x = put(y + 2, x, cols, hdr, b);
	if (ui->filter[0]) {
		snprintf(b, sizeof(b), "  filter: %s", ui->filter);
		put(y + 2, x, cols, ui_color(ui, UC_SORTED), b);
	}
	if (h < 4 || ui->ev.kmsg_open)
		return;

	/* line 3: why the kernel log cannot be read */
	snprintf(b, sizeof(b), "kmsg: %s (%s)",
		 ui->ev.kmsg_err == -ENODEV ? "a captured tree has no kernel log"
					    : kmsg_reader_denied_hint(ui->ev.kmsg_err),
		 strerror(-ui->ev.kmsg_err));
	put(y + 3, 0, cols, ui_color(ui, UC_DIM), b);
}
