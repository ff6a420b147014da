/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * names-lxc.c - LXC and LXD containers (LXD runs them through liblxc).
 * LXC 4.0 and later put a container in "lxc.payload.<name>" and its monitor
 * in "lxc.monitor.<name>" (lxc.cgroup.dir.* unset); before 4.0 the default
 * pattern was "lxc/<name>" (lxc.cgroup.pattern "lxc/%n").  LXD prefixes the
 * name of a container outside the default project with "<project>_"; the name
 * is shown as the group has it.  No file is read: the name is in the path.
 */
#include <string.h>

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

bool names_lxc(const char *parent, const char *comp, struct group_name *out)
{
	if (named(comp, "lxc.payload.", NK_LXC, out) || named(comp, "lxc.monitor.", NK_LXC_MONITOR, out))
		return true;
	/* the old pattern: any child of a group "lxc" */
	return !strcmp(parent, "lxc") && named(comp, "", NK_LXC, out);
}
