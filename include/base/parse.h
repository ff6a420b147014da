/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * parse.h - pure parsers for the text the kernel writes in cgroupfs and /proc.
 *
 * Every function here takes a buffer and its length (the buffer need not be
 * NUL-terminated), never touches the filesystem and never allocates.  They
 * return 0 on success or a negative errno:
 *   -EINVAL  the text is not in the expected format
 *   -ENXIO   a requested key is not in the text (the file exists but lacks it)
 *   -ERANGE  a number does not fit in 64 bits
 *   -ENOBUFS the caller's out buffer is smaller than asked below (a caller bug)
 * Output parameters are written only on success.
 */
#ifndef CGTOP_PARSE_H
#define CGTOP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 10^0 .. 10^19, every power of ten a uint64_t holds (the number writer and the size parser). */
extern const uint64_t cg_pow10[20];

/* The value "max" (unlimited) in limit files. */
#define CG_UNLIMITED UINT64_MAX

/* v1 memory limits at or above this are "unlimited": PAGE_COUNTER_MAX * PAGE_SIZE
 * rounds LONG_MAX down to a page, 9223372036854771712 with 4 KiB pages. */
#define CG_V1_UNLIMITED_MIN 0x7FFFFFFFFFFFF000ULL

/* One decimal unsigned integer, surrounding blanks and a trailing newline allowed. */
int parse_u64(const char *buf, size_t len, uint64_t *ret);
/* As parse_u64, but "max" gives CG_UNLIMITED (memory.max, pids.max, ...). */
int parse_u64_or_max(const char *buf, size_t len, uint64_t *ret);

/* v2 cpu.max: "QUOTA PERIOD" in microseconds, QUOTA "max" (CG_UNLIMITED) for no
 * limit.  A period of 0 is -EINVAL. */
int parse_cpu_max(const char *buf, size_t len, uint64_t *ret_quota_usec, uint64_t *ret_period_usec);
/* v1 cpu.cfs_quota_us: microseconds, or -1 for no limit (CG_UNLIMITED). */
int parse_cfs_quota(const char *buf, size_t len, uint64_t *ret_quota_usec);
/* A CPU list as cpuset.cpus writes it ("0-3,8,10-11"; empty: none): the number
 * of CPUs in it. */
int parse_cpu_list(const char *buf, size_t len, uint64_t *ret_count);
/* The value of a hexadecimal digit (either case), -1 for any other character. */
static inline int parse_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
/* The next pid of a process list (cgroup.procs, tasks: one a line, NUL-terminated) at *s,
 * *s moved past it; false at the end or at a line that is no number. */
bool parse_pid_next(const char **s, long *ret_pid);

/* Flat keyed files, "key value\n" per line (memory.stat, cpu.stat, memory.events,
 * pids.events, cpuacct.stat, memory.oom_control).  cb is called once per line in
 * order; a line whose value is not a u64 is skipped.  A non-zero return from cb
 * stops the walk and is returned. */
typedef int (*parse_keyed_cb)(const char *key, size_t key_len, uint64_t value, void *userdata);
int parse_keyed(const char *buf, size_t len, parse_keyed_cb cb, void *userdata);
/* Value of one key of a flat keyed file; -ENXIO when the key is absent, -EINVAL or
 * -ERANGE when its value is not a u64.  The key matches whole ("oom" never "oom_kill"). */
int parse_keyed_get(const char *buf, size_t len, const char *key, uint64_t *ret);

/* Number of non-empty lines (cgroup.procs, cgroup.threads, tasks). */
size_t parse_count_lines(const char *buf, size_t len);

/* v2 io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N" per device,
 * summed over devices.  Unknown keys are ignored; an empty file gives zeros. */
struct io_totals {
	uint64_t rbytes, wbytes, rios, wios, dbytes, dios;
};
int parse_io_stat(const char *buf, size_t len, struct io_totals *ret);

/* v1 blkio.throttle.io_service_bytes[_recursive] or io_serviced[_recursive]:
 * "MAJ:MIN Read N" ... lines and a final "Total N"; the Read and Write lines are
 * summed over devices.  An empty file, or only "Total 0", gives zeros. */
int parse_blkio_v1(const char *buf, size_t len, uint64_t *ret_read, uint64_t *ret_write);

/* Pressure (PSI) files: "some avg10=N.NN avg60=N.NN avg300=N.NN total=N" and an
 * optional "full ..." line. */
struct psi_line {
	double avg10, avg60, avg300;
	uint64_t total; /* microseconds */
};
struct psi {
	bool has_some, has_full;
	struct psi_line some, full;
};
int parse_psi(const char *buf, size_t len, struct psi *ret);

/* One line of /proc/PID/mountinfo (see proc(5)).  Strings point into a caller
 * buffer of at least len+1 bytes (out), NUL-terminated, octal escapes (\040)
 * decoded. */
struct mountinfo_entry {
	unsigned mount_id, parent_id, major, minor;
	const char *root;        /* path of the mount's root within its filesystem */
	const char *mount_point; /* where it is mounted */
	const char *fstype;      /* "cgroup", "cgroup2", "tmpfs", ... */
	const char *source;
	const char *super_opts; /* "rw,cpu,cpuacct" or "rw,name=systemd" */
};
int parse_mountinfo_line(const char *line, size_t len, char *out, size_t out_size,
			 struct mountinfo_entry *ret);

/* One line of /proc/PID/cgroup: "ID:CONTROLLERS:PATH".  Strings point into out
 * (at least len+1 bytes).  controllers is "" for the v2 line "0::/path". */
struct proc_cgroup_entry {
	unsigned hierarchy_id;
	const char *controllers;
	const char *path;
};
int parse_proc_cgroup_line(const char *line, size_t len, char *out, size_t out_size,
			   struct proc_cgroup_entry *ret);

/* /proc/cgroups ("subsys_name hierarchy num_cgroups enabled", tab-separated,
 * a "#" header): the groups the kernel counts in the v1 hierarchy with ID
 * hierarchy_id, the largest of its controllers' lines (a count can hold
 * groups removed and not yet freed).  -ENOENT when no line names that ID. */
int parse_proc_cgroups_count(const char *buf, size_t len, unsigned hierarchy_id, uint64_t *ret);

/* /proc/meminfo: value of KEY ("MemTotal", ...) in bytes (the file says kB); a line
 * without the kB unit (HugePages_Total) gives its number as it is. */
int parse_meminfo_get(const char *buf, size_t len, const char *key, uint64_t *ret_bytes);

/* /proc/stat first line "cpu  user nice system idle iowait irq softirq steal ...",
 * in USER_HZ ticks: user = user+nice, system = system+irq+softirq. */
int parse_proc_stat_cpu(const char *buf, size_t len, uint64_t *ret_user_ticks, uint64_t *ret_system_ticks);
/* The same line as the whole host's busy and total time, in ticks: total is
 * user+nice+system+idle+iowait+irq+softirq+steal (guest time is inside user),
 * busy is total less idle and iowait.  Fields an old kernel does not print
 * count 0 (steal is 2.6.11+); at least the first four are needed. */
int parse_proc_stat_cpu_busy(const char *buf, size_t len, uint64_t *ret_busy_ticks,
			     uint64_t *ret_total_ticks);

#define PROC_COMM_MAX 64 /* the kernel's comm is 16 bytes; room for kthread names */

struct proc_info {
	int64_t pid;
	int64_t ppid;
	char state;               /* R S D Z T t X I ..., '?' unknown */
	char comm[PROC_COMM_MAX]; /* between the first '(' and the last ')' of stat */
	uint64_t flags;           /* PF_* (PF_KTHREAD 0x00200000: a kernel thread) */
	uint64_t threads;         /* num_threads */
	uint64_t utime, stime;    /* clock ticks */
	uint64_t rss_kib;         /* statm resident * page size; UINT64_MAX unknown */
};

/* /proc/PID/stat: pid, comm (which may hold spaces and parentheses: it ends at
 * the LAST ')'), state, ppid, flags, utime, stime, num_threads.  rss_kib is
 * left UINT64_MAX (statm gives it).  Returns 0, -EINVAL or -ERANGE. */
int proc_parse_stat(const char *buf, size_t len, struct proc_info *ret);
/* /proc/PID/statm: "size resident shared text lib data dt" in pages; the
 * second field.  Returns 0, -EINVAL or -ERANGE. */
int proc_parse_statm(const char *buf, size_t len, uint64_t *ret_resident_pages);
/* /proc/PID/status "VmRSS:   1234 kB" in KiB (-ENXIO for kernel threads, which
 * have none). */
int proc_parse_status_rss(const char *buf, size_t len, uint64_t *ret_kib);

/* Sizes given by users: bytes, or a number with K, M, G, T (IEC, also KiB/k...) or
 * "max".  "32M" = 33554432.  Rejects empty strings, signs, fractions that do not
 * give a whole number of bytes, exponents and values over 2^63. */
int parse_size(const char *str, uint64_t *ret);
/* Seconds with an optional fraction ("0.5", "2"), strictly positive, at most a
 * day; returned in microseconds. */
int parse_interval_usec(const char *str, uint64_t *ret);
/* --retain: a comma-separated list of durations (NUMBER with s, m, h, d or w,
 * lower case) and sizes (NUMBER with B, K, M, G or T, upper case, also KiB or
 * KB): "7d,1G".  Sets *ret_age_sec and *ret_bytes for the kinds given, leaves
 * the others; -EINVAL (a zero, no unit, an unknown unit) or -ERANGE. */
int parse_retain(const char *str, uint64_t *ret_age_sec, uint64_t *ret_bytes);
/* A point in time typed by a user, into Unix seconds: "12:03" or "12:03:30"
 * (local, today, or yesterday when that is after now), "-10m", "+30s", "-2h",
 * "-1d", "-1w" (relative to ref; a bare number is seconds), an ISO date
 * "2026-12-05", "2026-12-05T12:03[:SS]" or with a blank for the T (local time;
 * "Z" at the end for UTC), epoch seconds "@1765000000" or "1765000000" (five
 * digits or more, a fraction allowed).  -EINVAL or -ERANGE. */
int parse_time(const char *str, double ref, double now, double *ret);
/* A group path as the kernel names it: "/" or "/" followed by names joined by
 * single slashes, none empty, "." or "..".  0 or -EINVAL.  Such a path, appended
 * to a hierarchy's mount point, cannot leave it. */
int parse_cgroup_path(const char *str);

#endif
