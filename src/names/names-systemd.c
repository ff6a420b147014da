/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * names-systemd.c - systemd units and slices: a group named like a unit
 * ("system-getty.slice", "serial-getty@ttyS0.service", "session-3.scope") is
 * that unit.  systemd escapes bytes of unit names as \xNN (unit name escaping,
 * systemd.unit(5): "-" in a path becomes \x2d); the display name is unescaped,
 * the unit field keeps the name as systemd spells it.
 */
#include <string.h>

#include "names/names-priv.h"
#include "base/parse.h"

static const struct {
	const char *suffix;
	enum name_kind kind;
} unit_types[] = {
	{ ".slice", NK_SLICE }, { ".service", NK_SERVICE }, { ".scope", NK_SCOPE },
	{ ".socket", NK_UNIT }, { ".mount", NK_UNIT },      { ".swap", NK_UNIT },
};

enum name_kind names_systemd_kind(const char *comp)
{
	size_t l = strlen(comp);

	for (size_t i = 0; i < sizeof(unit_types) / sizeof(unit_types[0]); i++) {
		size_t s = strlen(unit_types[i].suffix);
		/* a unit name has a prefix before its type */
		if (l > s && !strcmp(comp + l - s, unit_types[i].suffix))
			return unit_types[i].kind;
	}
	return NK_NONE;
}

void names_systemd_unescape(const char *unit, char *out, size_t size)
{
	size_t o = 0;

	if (!size)
		return;
	for (const char *p = unit; *p && o + 1 < size; p++) {
		int h, l;
		if (p[0] == '\\' && p[1] == 'x' && (h = parse_hex_digit(p[2])) >= 0 &&
		    (l = parse_hex_digit(p[3])) >= 0 && (h || l)) { /* never a NUL: it would cut the name */
			out[o++] = (char)(h << 4 | l);
			p += 3;
		} else {
			out[o++] = *p;
		}
	}
	out[o] = 0;
}

bool names_systemd(const char *comp, struct group_name *out)
{
	enum name_kind k = names_systemd_kind(comp);

	if (k == NK_NONE)
		return false;
	out->kind = k;
	names_copy(out->unit, sizeof(out->unit), comp, strlen(comp));
	names_systemd_unescape(comp, out->name, sizeof(out->name));
	return true;
}
