/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * names-lxc.c - LXC containers, and LXD's and Incus's (which run them through
 * liblxc).  The groups liblxc makes (lxc/lxc src/lxc/cgroups/cgfsng.c and
 * cgroup.h), by release:
 *   up to 3.0    lxc.cgroup.pattern "lxc/%n": the container in "lxc/<name>";
 *   3.1 and 3.2  "lxc.payload/<name>", its monitor in "lxc.monitor/<name>"
 *                (lxc-3.1.0, "cgroups: switch to lxc.payload as default pattern");
 *   4.0 and on   one level: "lxc.payload.<name>" and "lxc.monitor.<name>"
 *                (lxc-4.0.0, "cgroups: flatten hierarchy").
 * When such a group exists already, liblxc tries "<name>-1", "-2", ...: that
 * suffix stays in the name (a container's name may end so too).
 * From 4.0 on, an lxc.cgroup.pattern set in the system's lxc.conf (empty by
 * default) is still honoured, one level deeper: the container in
 * "<pattern>/payload", its monitor in "<pattern>/monitor", each with that
 * retry suffix (lxc-4.0.0, commit d6bdd1823, "cgroups: honor
 * lxc.cgroup.pattern if set explicitly II"; the same in v6.0.x and master).
 * A pattern may be any path; the one of 3.0 and before, "lxc/%n", is the one
 * a configuration carried over names, so "lxc/<name>/payload" is the
 * container <name> (and "lxc.payload/<name>/payload", 3.1's pattern set
 * explicitly).
 *
 * LXD and Incus call liblxc's container "<project>_<instance>" outside the
 * default project (lxd/project/project.go, Instance()).  An instance name has
 * no '_' and a project name may have one, so the last '_' splits them, as
 * InstanceParts() there does: the project goes to namespace, the instance to
 * name.  Only for a container whose directory LXD or Incus has, since a plain
 * LXC container may have a '_' in its name.  No file is read; the parsers
 * below are pure, names_lxc() looks for that directory.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/macro.h"
#include "names/names-priv.h"

static bool named(const char *comp, const char *prefix, enum name_kind kind, struct group_name *out)
{
	size_t p = strlen(prefix), l = strlen(comp);

	if (l <= p || strncmp(comp, prefix, p))
		return false;
	out->kind = kind;
	names_copy(out->name, sizeof(out->name), comp + p, l - p);
	return true;
}

bool names_lxc_parse(const char *parent, const char *comp, struct group_name *out)
{
	if (named(comp, "lxc.payload.", NK_LXC, out) || named(comp, "lxc.monitor.", NK_LXC_MONITOR, out))
		return true;
	/* 3.1 and 3.2, then the pattern of 3.0 and before: any child of these */
	if (!strcmp(parent, "lxc.payload") || !strcmp(parent, "lxc"))
		return named(comp, "", NK_LXC, out);
	return !strcmp(parent, "lxc.monitor") && named(comp, "", NK_LXC_MONITOR, out);
}

/* word, or word-N (liblxc's retry suffix) */
static bool leaf(const char *comp, const char *word)
{
	size_t l = strlen(word);

	if (strncmp(comp, word, l))
		return false;
	if (!comp[l])
		return true;
	if (comp[l] != '-' || !comp[l + 1])
		return false;
	for (const char *p = comp + l + 1; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

bool names_lxc_parse_pattern(const char *grand, const char *parent, const char *comp, struct group_name *out)
{
	bool payload;

	if (!parent[0] || (strcmp(grand, "lxc") && strcmp(grand, "lxc.payload")))
		return false;
	payload = leaf(comp, "payload");
	if (!payload && !leaf(comp, "monitor"))
		return false;
	out->kind = payload ? NK_LXC : NK_LXC_MONITOR;
	names_copy(out->name, sizeof(out->name), parent, strlen(parent));
	return true;
}

bool names_lxc_split_project(struct group_name *out)
{
	char *sep = strrchr(out->name, '_');

	if (!sep || sep == out->name || !sep[1])
		return false;
	names_copy(out->namespace, sizeof(out->namespace), out->name, (size_t)(sep - out->name));
	memmove(out->name, sep + 1, strlen(sep + 1) + 1);
	return true;
}

/* The directories of LXD's containers (the snap's, the deb's, before the
 * snap) and Incus's, each holding one per container under liblxc's name. */
static const char *const lxd_dirs[] = {
	"/var/snap/lxd/common/lxd/containers/",
	"/var/lib/lxd/containers/",
	"/var/lib/incus/containers/",
};

bool names_lxc(const char *sysroot, const char *path, const char *parent, const char *comp,
	       struct group_name *out)
{
	char grand[256] = "";
	const char *sl[3] = { NULL, NULL, NULL }; /* the last three '/': before comp, parent, grand */

	for (const char *p = path; *p; p++)
		if (*p == '/') {
			sl[2] = sl[1];
			sl[1] = sl[0];
			sl[0] = p;
		}
	if (sl[2])
		names_copy(grand, sizeof(grand), sl[2] + 1, (size_t)(sl[1] - sl[2] - 1));
	if (!names_lxc_parse_pattern(grand, parent, comp, out) && !names_lxc_parse(parent, comp, out))
		return false;
	if (!strchr(out->name, '_'))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(lxd_dirs); i++) {
		char p[4096];
		struct stat st;

		if ((size_t)snprintf(p, sizeof(p), "%s%s%s", sysroot, lxd_dirs[i], out->name) >= sizeof(p))
			continue;
		/* LXD's entry is a link into its storage pool: lstat */
		if (lstat(p, &st) == 0) {
			names_lxc_split_project(out);
			break;
		}
	}
	return true;
}
