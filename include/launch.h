/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * launch.h - `cgtop --launch` (run a command in a new limited, namespaced
 * group and report its fate) and `cgtop --attach` (put a running process
 * under limits).
 *
 * Module map (one job per file):
 *   launch-options.c  the --launch / --attach command line -> struct launch_spec
 *   limits.c          SIZE, --cpu, --pids strings -> struct cg_limits; v1/v2 knobs
 *   cg-libcgroup.c    the only file that includes <libcgroup.h>: create, set, attach, delete
 *   launch.c          parent side: group, clone3(CLONE_INTO_CGROUP) or clone + release,
 *                     wait, signal forwarding, fate report, clean-up
 *   launch-child.c    between clone and exec: async-signal-safe only
 *   launch-pty.c      the command's own pseudo-terminal, relayed to cgtop's terminal
 *   launch-init.c     pid 1 of a new pid namespace: reap orphans, forward signals
 *   launch-net.c      the only file that includes <libmnl/libmnl.h>: lo up, veth
 *   launch-caps.c     the only file that includes <sys/capability.h>: drop / keep caps
 *   attach.c          --attach PID
 */
#ifndef CGTOP_LAUNCH_H
#define CGTOP_LAUNCH_H

#include <stdbool.h>
#include <stdint.h>
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <termios.h>

#include "cg-error.h"
#include "cgroup.h"
#include "launch-priv.h"

/* Exit statuses of --launch, as a shell gives them. */
enum {
	LAUNCH_EXIT_CANNOT_EXEC = 126,
	LAUNCH_EXIT_NOT_FOUND = 127,
};

#define LIMIT_UNSET UINT64_MAX - 1 /* not given on the command line */

struct cg_limits {
	uint64_t mem_max;      /* bytes, CG_UNLIMITED for "max", LIMIT_UNSET */
	uint64_t mem_high;     /* --mem-high */
	uint64_t swap_max;     /* --swap */
	uint64_t pids_max;     /* --pids */
	uint64_t cpu_quota_us; /* --cpu: quota per period, CG_UNLIMITED, LIMIT_UNSET */
	uint64_t cpu_period_us;
	const char *cpuset; /* --cpuset LIST, or NULL (const: points into argv) */
};

/* Namespaces, as CLONE_NEW* bits. */
enum launch_ns {
	NS_PID = 1 << 0,
	NS_NET = 1 << 1,
	NS_MNT = 1 << 2,
	NS_IPC = 1 << 3,
	NS_UTS = 1 << 4,
	NS_USER = 1 << 5,
	NS_CGROUP = 1 << 6,
	NS_TIME = 1 << 7,
	NS_DEFAULT = NS_PID | NS_MNT | NS_IPC | NS_UTS | NS_CGROUP,
};

struct launch_spec {
	bool attach; /* --attach PID rather than --launch CMD */
	struct cg_limits limits;
	unsigned ns;          /* enum launch_ns */
	const char *name;     /* --name, default launch-<pid> */
	const char *parent;   /* --parent PATH | "self", default "/cgtop" */
	bool keep;            /* --keep */
	const char *report;   /* --report FILE | "-" */
	const char *hostname; /* --hostname */
	const char *veth;     /* --veth HOST_ADDR/PREFIX */
	bool drop_caps;       /* --drop-caps */
	const char *caps;     /* --caps LIST */
	bool have_user;       /* --user UID[:GID] */
	uid_t uid;
	gid_t gid;
	char **argv; /* CMD ARGS..., NULL-terminated */
	/* --attach */
	pid_t pid;
	const char *group; /* --group PATH */
	bool tree;         /* --tree */
	bool force;        /* --force */
	bool init;         /* --init: a reaper is pid 1, CMD is pid 2 */
	bool watch;        /* --watch: the dashboard on the group while CMD runs */
	int pty;           /* enum launch_pty_mode: --pty, --no-pty */
	bool readonly;     /* CMD will lack CAP_SYS_ADMIN in its own mount namespace:
	                                /sys, /proc/sys and the cgroup mounts are read-only there */
};

enum launch_pty_mode {
	LAUNCH_PTY_AUTO, /* a pseudo-terminal when stdin is cgtop's terminal */
	LAUNCH_PTY_YES,
	LAUNCH_PTY_NO,
};

/* Parse argv (the whole command line) when it holds --launch or --attach.
 * Returns 1 if this is a launch or attach command line (spec filled), 0 if
 * not (the caller goes on with the other modes), or -EINVAL after printing one
 * line naming the bad value (exit status 2). */
int launch_options_parse(int argc, char **argv, struct launch_spec *spec);

/* Run it; returns the exit status for cgtop. */
int launch_main(struct launch_spec *spec);
int attach_main(struct launch_spec *spec);

/* ---- limits.c ---- */

/* Every limit LIMIT_UNSET, cpuset NULL. */
void limits_init(struct cg_limits *l);
/* --mem/--mem-high/--swap SIZE: bytes, K/M/G/T (IEC) or "max" (CG_UNLIMITED). */
int limits_parse_size(const char *s, uint64_t *ret);
/* --pids N: 1..2^63 or "max". */
int limits_parse_pids(const char *s, uint64_t *ret);
/* --cpu CPUS: "0.5", "2", "50%" (of one CPU) or "max"; quota per 100 ms period. */
int limits_parse_cpu(const char *s, uint64_t *ret_quota_us, uint64_t *ret_period_us);
/* --cpuset LIST: "0-3,5" syntax check only. */
int limits_check_cpuset(const char *s);
/* Any limit given? */
bool limits_any(const struct cg_limits *l);

/* The longest value written into a cgroup file: the kernel takes one page in
 * one write (cgroup_kf_ops.atomic_write_len) and refuses more with E2BIG. */
#define CG_KNOB_VALUE_MAX 4096

/* One value to write into a group: file name (without directory) and text. */
struct cg_knob {
	const char *controller; /* "memory", "pids", "cpu", "cpuset" */
	enum cg_ctrl ctrl;      /* the same */
	const char *file;       /* its name in v1 or v2 (cg_knobs) */
	char value[CG_KNOB_VALUE_MAX];
};
/* The most knobs limits_knobs gives: v1 memory, soft limit, memsw, swappiness,
 * pids, cfs period and quota, cpus, mems. */
#define LIMITS_MAX_KNOBS 9
/* The knobs for the given limits, v2 (v1 = false) or v1, in write order.
 * has_memsw: the v1 kernel has memory.memsw.limit_in_bytes. parent_cpus/mems: the
 * v1 cpuset parent's values (a new v1 cpuset group starts empty). Returns the
 * count (at most max: give LIMITS_MAX_KNOBS for all of them), or -E2BIG when a
 * value (a cpuset list) is longer than the kernel takes: never cut short. */
int limits_knobs(const struct cg_limits *l, bool v1, bool has_memsw, const char *parent_cpus,
		 const char *parent_mems, struct cg_knob *out, int max);

/* ---- cg-libcgroup.c ---- */

/* The launcher's view of one hierarchy of cg_discover's model: the group it
 * makes or uses there, and what it made. */
struct lcg_hier {
	const struct cg_hier *ch; /* in lcg.hs: mount point, controllers, our own group */
	bool v2;
	/* the group, once resolved */
	bool used;
	char *path;     /* kernel name of the group */
	char *rel;      /* its directory below the mount point ("" the mount's root) */
	char *dir;      /* mount point and rel, for messages */
	char **created; /* rel of each directory made here, top-down (parents then group) */
	int ncreated, created_cap;
};

struct lcg {
	struct cg_hierarchies hs; /* cg_discover's, the one model of the hierarchies */
	int n;
	struct lcg_hier h[CG_MAX_HIER]; /* those of hs with a controller */
	bool v1, v2;                    /* any v1 controller hierarchy, a cgroup2 mount */
	bool skip_empty_v2; /* attach: leave out a v2 hierarchy that has no memory, pids, cpu or cpuset */
};

/* The hierarchies with a controller, from cg_discover on the live system. */
int lcg_discover(struct lcg *g);
/* Free g (allocated by the caller with calloc) and what it recorded. */
void lcg_free(struct lcg *g);
/* The group's directory in hierarchy i, opened O_RDONLY|O_DIRECTORY below the
 * mount point (for clone3's CLONE_INTO_CGROUP); fd or -errno. */
int lcg_open_group(const struct lcg *g, int i);
/* Index of the cgroup2 hierarchy or -1. */
int lcg_v2(const struct lcg *g);
/* Nothing below prints: each returns 0 or -errno, the sentence for the user in err
 * (may be NULL). */
/* Choose the hierarchies for these limits and the group's path in each: parent
 * is "self", or a kernel path; name is the last component. */
int lcg_resolve(struct lcg *g, const struct cg_limits *l, const char *parent, const char *name,
		struct cg_error *err);
/* Create the resolved group (and missing parents) with the limits in every
 * chosen hierarchy; on failure removes what it made. */
int lcg_create(struct lcg *g, const struct cg_limits *l, struct cg_error *err);
/* Use an existing group PATH in every hierarchy where it exists. */
int lcg_use_existing(struct lcg *g, const char *path, struct cg_error *err);
/* Write the limits into the (existing) group. */
int lcg_set_limits(struct lcg *g, const struct cg_limits *l, struct cg_error *err);
/* Put process pid (all its threads) into the group in every chosen hierarchy
 * (skip: index of a hierarchy already done, e.g. by CLONE_INTO_CGROUP, or -1). */
int lcg_attach(struct lcg *g, pid_t pid, int skip, struct cg_error *err);
/* Kill every process left in the group, then remove what lcg_create made. */
int lcg_destroy(struct lcg *g, struct cg_error *err);
/* Read FILE of the group in the first chosen hierarchy that has it into buf
 * (without trailing newlines); the length, -EFBIG when it does not fit. */
int lcg_read(const struct lcg *g, const char *file, char *buf, size_t size);
/* The same in hierarchy i only. */
int lcg_read_in(const struct lcg *g, int i, const char *file, char *buf, size_t size);
/* Group path for messages: the path in the first used hierarchy. */
const char *lcg_path(const struct lcg *g);

/* Write VALUE to FILE of the v1 group REL (path below the mount MNT of
 * CONTROLLER's hierarchy; "." the root) through libcgroup, as every v1 limit
 * is written (the launcher's and the dashboard's); -EXDEV when libcgroup sees
 * that controller mounted elsewhere.  0 or -errno. */
int lcg_set_value(const char *mnt, const char *rel, const char *controller, const char *file,
		  const char *value);

/* ---- launch.c: start and finish apart, for --watch ---- */

/* A launched command between its start and its end. */
struct launch_run;
/* Create the group, start CMD in it (with --watch its stdin, stdout and stderr
 * are /dev/null) and release it.  Returns 0, or -errno with why in err and
 * nothing left behind. */
int launch_start(struct launch_spec *spec, struct launch_run **ret, struct cg_error *err);
/* The group's path (kernel name, the memory hierarchy's first). */
const char *launch_run_group(const struct launch_run *run);
/* CMD has ended with wait status wstatus (already reaped): gather its fate,
 * print it on stderr (print) and write --report, put the one-line summary
 * into line (may be NULL), remove the group, free run.  Returns the exit status. */
int launch_finish(struct launch_run *run, int wstatus, bool print, char *line, size_t size);

/* ---- launch-child.c / launch-init.c ---- */

/* Steps the child reports through the status pipe when one fails. */
enum launch_step {
	STEP_RELEASE = 1,
	STEP_MOUNT_PRIVATE,
	STEP_MOUNT_PROC,
	STEP_HOSTNAME,
	STEP_NET,
	STEP_FORK_INIT,
	STEP_SETGROUPS,
	STEP_SETGID,
	STEP_SETUID,
	STEP_CAPS,
	STEP_EXEC,
	STEP_SETSID,
	STEP_PTY,
	STEP_READONLY,
};

/* ---- launch-pty.c ---- */

/* The command's pseudo-terminal and its relay to cgtop's own terminal. */
struct launch_pty {
	int master, slave; /* -1: no pseudo-terminal (slave: once the child has it) */
	unsigned fds;      /* bit n: the command's fd n is the slave */
	int in_fd;         /* cgtop's stdin, copied to the master; -1 after its end */
	int out_fd;        /* where the master's output goes; -1: nowhere */
	bool own_out;      /* out_fd was opened here (/dev/tty) */
	bool master_open;  /* the master still gives output */
	bool raw;          /* the terminal on fd 0 is in raw mode; saved holds its modes */
	struct termios saved;
	char veof;         /* the command's end-of-file character */
	char in_buf[4096]; /* from stdin, waiting for room in the master */
	size_t in_len, in_off;
};
/* Before clone: make a pseudo-terminal for the command when mode asks for one
 * (auto: when stdin is the terminal cgtop runs in the foreground of), with the
 * modes and window size of cgtop's terminal.  p->master < 0: none.  0 or
 * -errno (nothing left open then). */
int launch_pty_open(struct launch_pty *p, int mode);
/* In the child, after setsid: the slave on the fds that get it, and as the
 * controlling terminal (ctty: in the process that execs the command).
 * Async-signal-safe.  0 or -errno. */
int launch_pty_child_fds(const struct launch_pty *p);
int launch_pty_child_ctty(const struct launch_pty *p);
/* After the child has started: close the slave here, raw mode on cgtop's
 * terminal (restored by launch_pty_close, also when cgtop crashes). */
void launch_pty_start(struct launch_pty *p);
/* The relay in the wait loop: add its fds to pfd (at most 2, from *n on),
 * then move data after poll; launch_pty_winch passes a new window size on,
 * launch_pty_resume enters raw mode again after a stop. */
void launch_pty_poll_fds(const struct launch_pty *p, struct pollfd *pfd, int *n, int *ret_first);
void launch_pty_relay(struct launch_pty *p, const struct pollfd *pfd, int first);
void launch_pty_winch(struct launch_pty *p);
void launch_pty_resume(struct launch_pty *p);
/* After the command has ended: what it wrote last, then the terminal's modes
 * back and everything closed.  launch_pty_close may be called on a pty that
 * was never opened (master -1). */
void launch_pty_drain(struct launch_pty *p);
void launch_pty_close(struct launch_pty *p);
struct launch_status {
	int step; /* enum launch_step */
	int err;  /* errno */
};
/* What the child needs, prepared by the parent before clone (no allocation after). */
struct launch_child {
	const struct launch_spec *spec;
	int release_fd; /* read end: one byte 'G' releases the child */
	int status_fd;  /* write end, O_CLOEXEC: a struct launch_status on failure */
	bool have_caps;
	struct caps_spec caps;
	bool have_veth;
	struct veth_addr veth;
	char peer_if[16];
	sigset_t old_mask; /* restored before exec */
	struct launch_pty pty;
	char **envp;     /* --user: the environment for that user, or NULL */
	char **ro_paths; /* spec->readonly: bound read-only, recursively */
};
/* The child between clone and exec; never returns. */
_Noreturn void launch_child_run(struct launch_child *c);
/* pid 1 of a new pid namespace: reap every child, forward signals to child,
 * return its wait status when it ends. */
int launch_init_run(pid_t child);
/* Name of a step for messages. */
const char *launch_step_name(int step);

#endif
