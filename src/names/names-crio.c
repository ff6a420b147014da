/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * names-crio.c - CRI-O containers: "crio-<id>.scope" (its monitor:
 * "crio-conmon-<id>.scope"); the Kubernetes names are annotations of the OCI
 * spec CRI-O writes in containers/storage, under the run root
 * (/run/containers/storage) while it runs and the graph root
 * (/var/lib/containers/storage): overlay-containers/<id>/userdata/config.json.
 */
#include <stdio.h>
#include <string.h>

#include "names/names-priv.h"

bool names_crio(const char *sysroot, const char *comp, struct group_name *out)
{
	static const char *const roots[] = { "/run/containers/storage", "/var/lib/containers/storage" };
	char id[NAME_ID_MAX];
	struct buf b = { 0 };
	bool named = false;

	if (names_match_id(comp, "crio-conmon-", ".scope", id)) {
		out->kind = NK_CONMON;
		names_copy(out->name, sizeof(out->name), "conmon", 6);
	} else if (names_match_id(comp, "crio-", ".scope", id)) {
		out->kind = NK_CRIO;
	} else {
		return false;
	}
	names_copy(out->container_id, sizeof(out->container_id), id, 64);
	names_copy(out->unit, sizeof(out->unit), comp, strlen(comp));
	if (out->kind == NK_CONMON)
		return true;
	for (size_t r = 0; r < 2 && !named; r++) {
		char path[256];
		struct group_name g = { 0 };
		snprintf(path, sizeof(path), "%s/overlay-containers/%s/userdata/config.json", roots[r], id);
		if (names_read_meta(sysroot, path, &b) == 0 &&
		    names_oci_parse_config(b.data, b.len, &g, NULL, 0) && g.name[0]) {
			memcpy(out->name, g.name, sizeof(g.name));
			memcpy(out->pod, g.pod, sizeof(g.pod));
			memcpy(out->namespace, g.namespace, sizeof(g.namespace));
			memcpy(out->pod_uid, g.pod_uid, sizeof(g.pod_uid));
			named = true;
		}
	}
	buf_free(&b);
	if (!named)
		names_copy(out->name, sizeof(out->name), id, 12);
	return true;
}
