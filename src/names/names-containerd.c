/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * names-containerd.c - containerd containers (ctr, nerdctl, the CRI plugin):
 * a task's bundle is /run/containerd/io.containerd.runtime.v2.task/<namespace>/<id>/
 * and its config.json (the OCI spec) says the group in linux.cgroupsPath,
 * which any path may be (ctr run --cgroup).  The CRI plugin's groups are
 * "cri-containerd-<id>.scope" (systemd driver), in namespace k8s.io; with
 * other paths a group is containerd's when a bundle of its last component
 * names that very path.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "base/macro.h"
#include "names/names-priv.h"

/* the system's containerd, and the one dockerd starts for itself (with its
 * containers in namespace moby, which docker's own module names first) */
static const char *const task_roots[] = {
	"/run/containerd/io.containerd.runtime.v2.task",
	"/run/docker/containerd/daemon/io.containerd.runtime.v2.task",
};

static bool bundle(const char *sysroot, const char *root, const char *ns, const char *id,
		   struct group_name *g, char *cg, size_t size)
{
	char path[1024];
	struct buf b = { 0 };
	bool ok;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s/config.json", root, ns, id) >= sizeof(path))
		return false;
	ok = names_read_meta(sysroot, path, &b) == 0 && names_oci_parse_config(b.data, b.len, g, cg, size);
	buf_free(&b);
	return ok;
}

static void fill(struct group_name *out, const struct group_name *g, const char *ns, const char *id)
{
	out->kind = NK_CONTAINERD;
	names_copy(out->container_id, sizeof(out->container_id), id, strlen(id));
	/* a Kubernetes container: its own name, its pod's namespace */
	if (g->name[0]) {
		memcpy(out->name, g->name, sizeof(g->name));
		memcpy(out->pod, g->pod, sizeof(g->pod));
		memcpy(out->pod_uid, g->pod_uid, sizeof(g->pod_uid));
	} else {
		names_copy(out->name, sizeof(out->name), id, strlen(id));
	}
	if (g->namespace[0])
		memcpy(out->namespace, g->namespace, sizeof(g->namespace));
	else
		names_copy(out->namespace, sizeof(out->namespace), ns, strlen(ns));
}

bool names_containerd(const char *sysroot, const char *path, const char *comp, struct group_name *out)
{
	char id[NAME_ID_MAX], dir[1024], cg[1024];
	struct group_name g = { 0 };

	if (names_match_id(comp, "cri-containerd-", ".scope", id)) {
		bundle(sysroot, task_roots[0], "k8s.io", id, &g, NULL, 0);
		fill(out, &g, "k8s.io", id);
		if (!g.name[0]) /* the plain name: the short id, as crictl shows it */
			names_copy(out->name, sizeof(out->name), id, 12);
		names_copy(out->unit, sizeof(out->unit), comp, strlen(comp));
		return true;
	}
	if (strlen(comp) >= NAME_ID_MAX || comp[0] == '.')
		return false; /* longer ids than a 64-hex one are not looked for */
	for (size_t r = 0; r < ARRAY_SIZE(task_roots); r++) {
		if ((size_t)snprintf(dir, sizeof(dir), "%s%s", sysroot, task_roots[r]) >= sizeof(dir))
			return false;
		_cleanup_closedir_ DIR *d = opendir(dir);
		for (struct dirent *e; d && (e = readdir(d));) {
			if (e->d_name[0] == '.')
				continue;
			memset(&g, 0, sizeof(g));
			if (bundle(sysroot, task_roots[r], e->d_name, comp, &g, cg, sizeof(cg)) &&
			    !strcmp(cg, path)) {
				fill(out, &g, e->d_name, comp);
				return true;
			}
		}
	}
	return false;
}
