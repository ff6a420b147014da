/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * names-write.c - a group's name as JSON members, for batch JSON and the
 * events' JSON alike: the name is untrusted bytes (a container's name is
 * whatever its owner typed), so valid UTF-8 with the exact bytes beside in
 * *_hex, as for paths.
 */
#include <stdbool.h>

#include "base/json.h"
#include "names/names.h"

static void field(struct buf *b, const char *k, const char *v, bool *first)
{
	if (!v[0])
		return;
	buf_append(b, *first ? "\"" : ",\"", *first ? 1 : 2);
	*first = false;
	buf_puts(b, k);
	buf_append(b, "\":", 2);
	json_str(b, v);
	json_hex_key(b, k, v);
}

static void members(struct buf *b, const struct group_name *g, bool first)
{
	field(b, "name", g->name, &first);
	field(b, "kind", names_kind_name(g->kind), &first);
	field(b, "container_id", g->container_id, &first);
	field(b, "pod", g->pod, &first);
	field(b, "pod_uid", g->pod_uid, &first);
	field(b, "namespace", g->namespace, &first);
	field(b, "qos", g->qos, &first);
	field(b, "unit", g->unit, &first);
}

void names_json(struct buf *b, const struct group_name *g)
{
	if (g)
		members(b, g, false);
}

void names_json_object(struct buf *b, const char *key, const struct group_name *g)
{
	if (!g)
		return;
	buf_append(b, ",\"", 2);
	buf_puts(b, key);
	buf_append(b, "\":{", 3);
	members(b, g, true);
	buf_append(b, "}", 1);
}
