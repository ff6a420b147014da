/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * names-machine.c - machines registered with systemd-machined: a
 * systemd-nspawn container (or a libvirt guest) runs in the scope
 * "machine-<name>.scope", usually below machine.slice, where <name> is the
 * machine's name with systemd's unit name escaping ("-" as \x2d,
 * systemd.unit(5)); the display name is the machine's own, unescaped.
 */
#include <string.h>

#include "names/names-priv.h"

bool names_machine(const char *comp, struct group_name *out)
{
	static const char prefix[] = "machine-", suffix[] = ".scope";
	size_t l = strlen(comp), p = sizeof(prefix) - 1, s = sizeof(suffix) - 1;
	char escaped[256];

	if (l <= p + s || strncmp(comp, prefix, p) || strcmp(comp + l - s, suffix))
		return false;
	out->kind = NK_MACHINE;
	names_copy(out->unit, sizeof(out->unit), comp, l);
	names_copy(escaped, sizeof(escaped), comp + p, l - p - s);
	names_systemd_unescape(escaped, out->name, sizeof(out->name));
	return true;
}
