/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * names-docker.c - docker containers: the group is "docker-<id>.scope" with
 * the systemd cgroup driver, "<parent>/<id>" with cgroupfs (the parent is
 * "docker" unless --cgroup-parent says otherwise); the name is in the
 * engine's /var/lib/docker/containers/<id>/config.v2.json ("Name": "/web-1").
 */
#include <stdio.h>
#include <string.h>

#include "names/names-priv.h"

static bool config_name(const char *sysroot, const char *id, char *name, size_t size)
{
	char path[160];
	struct buf b = { 0 };
	bool ok;

	snprintf(path, sizeof(path), "/var/lib/docker/containers/%s/config.v2.json", id);
	ok = names_read_meta(sysroot, path, &b) == 0 && names_docker_parse_config(b.data, b.len, name, size);
	buf_free(&b);
	return ok;
}

bool names_docker(const char *sysroot, const char *parent, const char *comp, struct group_name *out)
{
	char id[NAME_ID_MAX];
	bool scope = names_match_id(comp, "docker-", ".scope", id);

	if (!scope) {
		if (!names_is_id(comp, strlen(comp)))
			return false;
		names_copy(id, sizeof(id), comp, 64);
	}
	bool named = config_name(sysroot, id, out->name, sizeof(out->name));
	/* a bare id is docker's only when docker knows it or its parent says so
	 * (containerd and the kubelet's cgroupfs driver name groups by id too) */
	if (!scope && !named && strcmp(parent, "docker"))
		return false;
	out->kind = NK_DOCKER;
	names_copy(out->container_id, sizeof(out->container_id), id, 64);
	if (scope)
		names_copy(out->unit, sizeof(out->unit), comp, strlen(comp));
	if (!named) /* the plain name: the short id, as docker ps shows it */
		names_copy(out->name, sizeof(out->name), id, 12);
	return true;
}
