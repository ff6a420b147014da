/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * launch-options.c - the command line of `cgtop --launch [LIMITS] [OPTIONS]
 * [--] CMD [ARGS...]` and `cgtop --attach PID [LIMITS] [OPTIONS]` into a
 * struct launch_spec.  Everything from CMD on belongs to CMD.  A bad value
 * gives one line on stderr naming it and -EINVAL (exit status 2), before
 * anything is created.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "launch/launch.h"
#include "launch/launch-priv.h"
#include "base/parse.h"

#define BAD_COMPONENT "'.', '..' and empty components are not allowed"

static int bad(const char *opt, const char *val, const char *why)
{
	fprintf(stderr, "cgtop: %s: invalid value '%s'%s%s\n", opt, val ? val : "", why ? ": " : "",
		why ? why : "");
	return -EINVAL;
}

static int parse_ns(const char *s, unsigned *ret)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {
		{ "pid", NS_PID },   { "net", NS_NET },       { "mnt", NS_MNT },
		{ "mount", NS_MNT }, { "ipc", NS_IPC },       { "uts", NS_UTS },
		{ "user", NS_USER }, { "cgroup", NS_CGROUP }, { "time", NS_TIME },
	};
	const char *p = s, *e;
	unsigned ns = 0;

	if (!*s)
		return bad("--ns", s, "empty list");
	if (strcmp(s, "none") == 0) {
		*ret = 0;
		return 0;
	}
	while (*p) {
		size_t len, i;
		bool found = false;

		e = strchrnul(p, ',');
		len = (size_t)(e - p);
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			if (strlen(names[i].name) == len && strncmp(names[i].name, p, len) == 0) {
				ns |= names[i].bit;
				found = true;
			}
		}
		if (!found) {
			fprintf(stderr,
				"cgtop: --ns: unknown namespace '%.*s' (known: pid, net, mnt, ipc, uts, user, cgroup, time, or none)\n",
				(int)len, p);
			return -EINVAL;
		}
		if (*e && !e[1])
			return bad("--ns", s, "a trailing comma");
		p = *e ? e + 1 : e;
	}
	*ret = ns;
	return 0;
}

static int parse_id(const char *s, unsigned long *ret)
{
	char *end;

	if (!*s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*ret = strtoul(s, &end, 10);
	if (errno || *end || *ret >= UINT_MAX)
		return -EINVAL;
	return 0;
}

static int parse_user(const char *s, struct launch_spec *spec)
{
	char buf[64], *colon;
	unsigned long uid, gid;

	if (strlen(s) >= sizeof(buf))
		return bad("--user", s, "expected UID[:GID]");
	snprintf(buf, sizeof(buf), "%s", s);
	colon = strchr(buf, ':');
	if (colon)
		*colon = '\0';
	if (parse_id(buf, &uid) < 0 || (colon && parse_id(colon + 1, &gid) < 0))
		return bad("--user", s, "expected numeric UID[:GID]");
	spec->have_user = true;
	spec->uid = (uid_t)uid;
	spec->gid = colon ? (gid_t)gid : (gid_t)uid;
	return 0;
}

static int parse_pid(const char *s, pid_t *ret)
{
	unsigned long v;

	if (parse_id(s, &v) < 0 || v == 0 || v > INT_MAX)
		return bad("--attach", s, "expected a process id");
	*ret = (pid_t)v;
	return 0;
}

static uint64_t page_size(void)
{
	long p = sysconf(_SC_PAGESIZE);

	return p > 0 ? (uint64_t)p : 4096;
}

/* A limit option; 1 when opt was one, 0 when not, -EINVAL. */
static int parse_limit(const char *opt, const char *val, struct cg_limits *l)
{
	if (strcmp(opt, "--mem") == 0 || strcmp(opt, "--mem-high") == 0 || strcmp(opt, "--swap") == 0) {
		uint64_t v;

		if (limits_parse_size(val, &v) < 0)
			return bad(opt, val,
				   "expected bytes, a number with K, M, G or T, or max (at most 2^63)");
		/* the kernel rounds a limit down to whole pages: below one page
		 * memory.max is 0 and the command is OOM-killed before it runs, and
		 * memory.high 0 throttles it forever (--swap 0, no swap, is fine) */
		if (strcmp(opt, "--swap") != 0 && v < page_size())
			return bad(
				opt, val,
				"less than one page of memory: the command could not run (at least 4K on most machines, or max)");
		if (strcmp(opt, "--mem") == 0)
			l->mem_max = v;
		else if (strcmp(opt, "--mem-high") == 0)
			l->mem_high = v;
		else
			l->swap_max = v;
		return 1;
	}
	if (strcmp(opt, "--pids") == 0) {
		if (limits_parse_pids(val, &l->pids_max) < 0)
			return bad(opt, val, "expected a number of processes (at least 1) or max");
		return 1;
	}
	if (strcmp(opt, "--cpu") == 0) {
		if (limits_parse_cpu(val, &l->cpu_quota_us, &l->cpu_period_us) < 0)
			return bad(opt, val,
				   "expected CPUs like 0.5 or 2, a percentage of one CPU like 50%, or max");
		return 1;
	}
	if (strcmp(opt, "--cpuset") == 0) {
		if (limits_check_cpuset(val) < 0)
			return bad(opt, val, "expected a CPU list like 0-3,5");
		if (strlen(val) >= CG_KNOB_VALUE_MAX)
			return bad(opt, val, "longer than the kernel takes in one write (4095 characters)");
		l->cpuset = val;
		return 1;
	}
	return 0;
}

static bool takes_value(const char *opt)
{
	static const char *const with[] = {
		"--mem",    "--mem-high", "--swap",     "--pids", "--cpu",  "--cpuset", "--ns",    "--name",
		"--parent", "--report",   "--hostname", "--veth", "--caps", "--user",   "--group", "--attach",
	};
	size_t i;

	for (i = 0; i < sizeof(with) / sizeof(with[0]); i++)
		if (strcmp(opt, with[i]) == 0)
			return true;
	return false;
}

static int check_name(const char *opt, const char *v)
{
	if (!*v || strchr(v, '/') || strcmp(v, ".") == 0 || strcmp(v, "..") == 0 || strlen(v) > 200)
		return bad(opt, v, "expected a group name without '/'");
	return 0;
}

/* A command that will lack CAP_SYS_ADMIN gets /sys, /proc/sys and the cgroup
 * mounts read-only in its mount namespace (launch-child.c): else a uid 0
 * command without capabilities, which owns their files, could raise its own
 * limits, leave its group or set kernel.core_pattern.  Without a mount
 * namespace that cannot be done, and such a command is refused. */
static int containment(struct launch_spec *spec)
{
	struct caps_spec cs = { .drop_all = spec->drop_caps };
	bool have_caps = spec->drop_caps || spec->caps, keeps_admin, owns_files;

	if (spec->caps && launch_caps_parse(spec->caps, &cs, NULL) < 0)
		return -EINVAL; /* checked when parsed */
	/* (setuid to another uid than 0 leaves no capabilities unless --caps) */
	keeps_admin = have_caps ? launch_caps_keeps_admin(&cs) : !spec->have_user || spec->uid == 0;
	if (keeps_admin)
		return 0;
	if (spec->ns & NS_MNT) {
		spec->readonly = true;
		return 0;
	}
	owns_files = (!(spec->ns & NS_USER) && (!spec->have_user || spec->uid == 0)) ||
		     launch_caps_keeps_file_override(&cs);
	if (!owns_files)
		return 0; /* another uid: file permissions keep it out */
	if (launch_caps_keeps_file_override(&cs))
		fprintf(stderr,
			"cgtop: --caps '%s' keeps a capability that overrides file permissions: the command needs the mount namespace (--ns ...,mnt), where cgtop makes /sys, /proc/sys and the cgroup mounts read-only for it\n",
			spec->caps);
	else
		fprintf(stderr,
			"cgtop: %s without --user leaves the command uid 0, owner of its group's files and of /proc/sys: it needs the mount namespace (--ns ...,mnt), where cgtop makes them read-only for it, or --user UID\n",
			spec->drop_caps ? "--drop-caps" : "--caps");
	return -EINVAL;
}

/* --sysroot=DIR or --sysroot DIR at argv[i] (other than the live root "/"):
 * its value, else NULL. */
static const char *sysroot_at(int argc, char **argv, int i)
{
	const char *v = NULL;

	if (strncmp(argv[i], "--sysroot=", 10) == 0)
		v = argv[i] + 10;
	else if (strcmp(argv[i], "--sysroot") == 0)
		v = i + 1 < argc ? argv[i + 1] : "";
	return v && strcmp(v, "/") != 0 ? v : NULL;
}

/* --sysroot makes the monitor read a captured tree (or another root's files);
 * --launch and --attach create groups and move processes, which only the live
 * kernel does: clone3(CLONE_INTO_CGROUP) needs a cgroup2 directory, libcgroup
 * finds the v1 hierarchies in the live mount table, and a captured tree has no
 * kernel behind its files.  Refused rather than ignored. */
static int refuse_sysroot(const char *mode, const char *dir)
{
	fprintf(stderr,
		"cgtop: %s: --sysroot '%s' cannot be used: groups are created and processes moved on the live system only\n",
		mode, dir);
	return -EINVAL;
}

int launch_options_parse(int argc, char **argv, struct launch_spec *spec)
{
	int i, start = 0, r;
	bool launch = false, attach = false;

	/* --launch or --attach must come first after the program name (or after other
	 * cgtop options: we only look for the word itself). */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--launch") == 0) {
			launch = true;
			start = i + 1;
			break;
		}
		if (strcmp(argv[i], "--attach") == 0 || strncmp(argv[i], "--attach=", 9) == 0) {
			attach = true;
			start = i;
			break;
		}
		if (strcmp(argv[i], "--") == 0)
			break;
	}
	if (!launch && !attach)
		return 0;
	for (i = 1; i < start; i++) {
		const char *root = sysroot_at(argc, argv, i);

		if (root)
			return refuse_sysroot(launch ? "--launch" : "--attach", root);
	}

	memset(spec, 0, sizeof(*spec));
	limits_init(&spec->limits);
	spec->attach = attach;
	spec->ns = NS_DEFAULT;
	spec->parent = "/cgtop";

	for (i = start; i < argc; i++) {
		char *opt = argv[i], *val = NULL, *eq;
		char optbuf[32];

		if (launch && strcmp(opt, "--") == 0) {
			i++;
			break;
		}
		if (strncmp(opt, "--", 2) != 0) {
			if (launch)
				break; /* CMD */
			return bad("--attach", opt, "unexpected argument");
		}
		if (sysroot_at(argc, argv, i))
			return refuse_sysroot(launch ? "--launch" : "--attach", sysroot_at(argc, argv, i));
		eq = strchr(opt, '=');
		if (eq && (size_t)(eq - opt) < sizeof(optbuf)) {
			snprintf(optbuf, sizeof(optbuf), "%.*s", (int)(eq - opt), opt);
			if (takes_value(optbuf)) {
				val = eq + 1;
				opt = optbuf;
			}
		}
		if (takes_value(opt) && !val) {
			if (i + 1 >= argc) {
				fprintf(stderr, "cgtop: %s needs a value\n", opt);
				return -EINVAL;
			}
			val = argv[++i];
		}
		r = parse_limit(opt, val, &spec->limits);
		if (r < 0)
			return r;
		if (r > 0)
			continue;
		if (attach && strcmp(opt, "--attach") == 0) {
			r = parse_pid(val, &spec->pid);
		} else if (strcmp(opt, "--name") == 0) {
			r = check_name(opt, val);
			spec->name = val;
		} else if (strcmp(opt, "--parent") == 0) {
			if (!*val || (strcmp(val, "self") != 0 && val[0] != '/'))
				return bad(opt, val, "expected an absolute group path or self");
			if (strcmp(val, "self") != 0 && parse_cgroup_path(val) < 0)
				return bad(opt, val, BAD_COMPONENT);
			spec->parent = val;
		} else if (attach && strcmp(opt, "--group") == 0) {
			if (val[0] != '/')
				return bad(opt, val, "expected an absolute group path");
			if (parse_cgroup_path(val) < 0)
				return bad(opt, val, BAD_COMPONENT);
			spec->group = val;
		} else if (attach && strcmp(opt, "--tree") == 0) {
			spec->tree = true;
		} else if (attach && strcmp(opt, "--force") == 0) {
			spec->force = true;
		} else if (launch && strcmp(opt, "--ns") == 0) {
			r = parse_ns(val, &spec->ns);
		} else if (launch && strcmp(opt, "--keep") == 0) {
			spec->keep = true;
		} else if (launch && strcmp(opt, "--init") == 0) {
			spec->init = true;
		} else if (launch && strcmp(opt, "--watch") == 0) {
			spec->watch = true;
		} else if (launch && strcmp(opt, "--pty") == 0) {
			spec->pty = LAUNCH_PTY_YES;
		} else if (launch && strcmp(opt, "--no-pty") == 0) {
			spec->pty = LAUNCH_PTY_NO;
		} else if (launch && strcmp(opt, "--report") == 0) {
			if (!*val)
				return bad(opt, val, "expected a file name or -");
			spec->report = val;
		} else if (launch && strcmp(opt, "--hostname") == 0) {
			if (!*val || strlen(val) > 64)
				return bad(opt, val, "expected 1 to 64 characters");
			spec->hostname = val;
		} else if (launch && strcmp(opt, "--veth") == 0) {
			struct veth_addr a;

			if (launch_net_parse_veth(val, &a) < 0)
				return bad(opt, val, "expected HOST_ADDR/PREFIX like 10.200.0.1/24");
			spec->veth = val;
		} else if (launch && strcmp(opt, "--drop-caps") == 0) {
			spec->drop_caps = true;
		} else if (launch && strcmp(opt, "--caps") == 0) {
			struct caps_spec c;
			const char *badcap = NULL;

			if (launch_caps_parse(val, &c, &badcap) < 0)
				return bad(opt, badcap ? badcap : val, "unknown capability");
			spec->caps = val;
		} else if (launch && strcmp(opt, "--user") == 0) {
			r = parse_user(val, spec);
		} else if (launch && strcmp(opt, "--launch") == 0) {
			r = 0;
		} else {
			fprintf(stderr, "cgtop: %s: unknown option '%s'\n", launch ? "--launch" : "--attach",
				opt);
			return -EINVAL;
		}
		if (r < 0)
			return r;
	}
	if (launch) {
		if (i >= argc) {
			fprintf(stderr, "cgtop: --launch: missing CMD to run\n");
			return -EINVAL;
		}
		spec->argv = argv + i;
		if (spec->hostname && !(spec->ns & NS_UTS)) {
			fprintf(stderr, "cgtop: --hostname '%s' needs the uts namespace (--ns ...,uts)\n",
				spec->hostname);
			return -EINVAL;
		}
		/* the dashboard needs a terminal; CMD's output goes to /dev/null */
		if (spec->watch && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
			fprintf(stderr,
				"cgtop: --watch needs a terminal (stdin and stdout), for the dashboard\n");
			return -EINVAL;
		}
		if (spec->veth && !(spec->ns & NS_NET)) {
			fprintf(stderr, "cgtop: --veth '%s' needs the net namespace (--ns ...,net)\n",
				spec->veth);
			return -EINVAL;
		}
		if (spec->watch && spec->pty == LAUNCH_PTY_YES) {
			fprintf(stderr,
				"cgtop: --pty and --watch exclude each other (the dashboard has the terminal)\n");
			return -EINVAL;
		}
		/* a fresh /proc for the new pid namespace needs a mount namespace of
		 * its own, or it would be mounted over the host's */
		if (spec->ns & NS_PID)
			spec->ns |= NS_MNT;
		r = containment(spec);
		if (r < 0)
			return r;
	} else {
		if (!spec->pid) {
			fprintf(stderr, "cgtop: --attach: missing PID\n");
			return -EINVAL;
		}
		if (spec->group && spec->name) {
			fprintf(stderr, "cgtop: --attach: --group '%s' and --name '%s' exclude each other\n",
				spec->group, spec->name);
			return -EINVAL;
		}
	}
	return 1;
}
