/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * names-podman.c - podman containers: "libpod-<id>.scope" with the systemd
 * cgroup manager, "<parent>/libpod-<id>" with cgroupfs, its monitor in
 * "libpod-conmon-<id>.scope".  Podman 4 keeps its own state in a BoltDB file,
 * but the names are also in containers/storage's containers.json (a JSON
 * array of {"id", "names": [...]}): /var/lib/containers/storage for root,
 * ~/.local/share/containers/storage for a rootless user, whose uid the
 * systemd path gives (".../user@1000.service/...").  The overlay driver's
 * file first, then vfs's (podman's fallback without fuse-overlayfs).
 *
 * A pod is "<parent>-libpod_pod_<id>.slice" with the systemd cgroup manager
 * (machine.slice, user.slice rootless), "<parent>/<id>" with cgroupfs; its
 * containers are below it.  A pod's name is only in podman's own state, the
 * BoltDB file libpod/bolt_state.db in the same storage root.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names/names-priv.h"

long names_path_uid(const char *path)
{
	static const char *const keys[] = { "/user@", "/user-" };

	for (size_t k = 0; k < 2; k++) {
		const char *p = strstr(path, keys[k]);
		if (!p)
			continue;
		p += strlen(keys[k]);
		char *end;
		errno = 0;
		long uid = strtol(p, &end, 10);
		if (end > p && !errno && uid >= 0 && (*end == '.'))
			return uid;
	}
	return -1;
}

bool names_passwd_home(const char *text, size_t len, long uid, char *home, size_t size)
{
	const char *end = text + len;

	for (const char *l = text; l < end;) {
		const char *nl = memchr(l, '\n', (size_t)(end - l));
		const char *le = nl ? nl : end, *f[7];
		unsigned n = 0;
		f[n++] = l;
		for (const char *p = l; p < le && n < 7; p++)
			if (*p == ':')
				f[n++] = p + 1;
		/* name:pw:uid:gid:gecos:home:shell */
		if (n == 7) {
			char *e;
			long u = strtol(f[2], &e, 10);
			if (e == f[3] - 1 && e > f[2] && u == uid && f[6] - 1 > f[5] && f[5][0] == '/') {
				names_copy(home, size, f[5], (size_t)(f[6] - 1 - f[5]));
				return true;
			}
		}
		l = le + 1;
	}
	return false;
}

static bool storage_name(const char *sysroot, const char *storage, const char *id, char *name, size_t size)
{
	static const char *const drivers[] = { "overlay", "vfs" };
	struct buf b = { 0 };
	bool ok = false;

	for (size_t d = 0; d < 2 && !ok; d++) {
		char path[4096];
		if ((size_t)snprintf(path, sizeof(path), "%s/%s-containers/containers.json", storage,
				     drivers[d]) >= sizeof(path))
			break;
		ok = names_read_meta(sysroot, path, &b) == 0 &&
		     names_storage_parse_containers(b.data, b.len, id, name, size);
	}
	buf_free(&b);
	return ok;
}

static bool state_pod_name(const char *sysroot, const char *storage, const char *id, char *name, size_t size)
{
	struct buf b = { 0 };
	char path[4096];
	bool ok = (size_t)snprintf(path, sizeof(path), "%s/libpod/bolt_state.db", storage) < sizeof(path) &&
		  names_read_meta(sysroot, path, &b) == 0 &&
		  names_podman_parse_pod_state(b.data, b.len, id, name, size);

	buf_free(&b);
	return ok;
}

/* The rootless user's storage root, from the path's uid and /etc/passwd. */
static bool rootless_storage(const char *sysroot, const char *path, char *storage, size_t size)
{
	long uid = names_path_uid(path);
	struct buf b = { 0 };
	char home[1024];
	bool ok = false;

	if (uid > 0 && names_read_meta(sysroot, "/etc/passwd", &b) == 0 &&
	    names_passwd_home(b.data, b.len, uid, home, sizeof(home)))
		ok = (size_t)snprintf(storage, size, "%s/.local/share/containers/storage", home) < size;
	buf_free(&b);
	return ok;
}

static bool rootless_name(const char *sysroot, const char *path, const char *id, char *name, size_t size)
{
	char storage[1100];

	return rootless_storage(sysroot, path, storage, sizeof(storage)) &&
	       storage_name(sysroot, storage, id, name, size);
}

static bool pod_name(const char *sysroot, const char *path, const char *id, char *name, size_t size)
{
	char storage[1100];

	if (rootless_storage(sysroot, path, storage, sizeof(storage)) &&
	    state_pod_name(sysroot, storage, id, name, size))
		return true;
	return state_pod_name(sysroot, "/var/lib/containers/storage", id, name, size);
}

bool names_podman_pod_id(const char *sysroot, const char *path, const char *parent, const char *comp,
			 char *id)
{
	static const char key[] = "libpod_pod_";
	size_t l = strlen(comp), k = sizeof(key) - 1, s = sizeof(".slice") - 1;
	char name[256];

	/* [<parent slice>-]libpod_pod_<id>.slice */
	if (l >= k + 64 + s) {
		const char *p = comp + l - s - 64 - k;
		if ((p == comp || p[-1] == '-') && !strncmp(p, key, k) &&
		    names_match_id(p, key, ".slice", id))
			return true;
	}
	/* cgroupfs: the bare id, below podman's default parent or known as a pod */
	if (!names_is_id(comp, l))
		return false;
	names_copy(id, NAME_ID_MAX, comp, l);
	return !strcmp(parent, "libpod_parent") || pod_name(sysroot, path, id, name, sizeof(name));
}

bool names_podman_pod(const char *sysroot, const char *path, const char *parent, const char *comp,
		      struct group_name *out)
{
	char id[NAME_ID_MAX];

	if (!names_podman_pod_id(sysroot, path, parent, comp, id))
		return false;
	out->kind = NK_PODMAN_POD;
	if (strchr(comp, '.'))
		names_copy(out->unit, sizeof(out->unit), comp, strlen(comp));
	if (!pod_name(sysroot, path, id, out->pod, sizeof(out->pod)))
		names_copy(out->pod, sizeof(out->pod), id, 12);
	names_copy(out->name, sizeof(out->name), out->pod, strlen(out->pod));
	return true;
}

/* A container in a pod: the pod's name, from the component above it. */
static void container_pod(const char *sysroot, const char *path, struct group_name *out)
{
	const char *slash = strrchr(path, '/'), *p;
	char parent[256], grand[256] = "", id[NAME_ID_MAX];

	if (!slash || slash == path)
		return;
	for (p = slash; p > path && p[-1] != '/'; p--)
		;
	names_copy(parent, sizeof(parent), p, (size_t)(slash - p));
	if (p - 1 > path) {
		const char *q = p - 1;
		while (q > path && q[-1] != '/')
			q--;
		names_copy(grand, sizeof(grand), q, (size_t)(p - 1 - q));
	}
	if (names_podman_pod_id(sysroot, path, grand, parent, id) &&
	    !pod_name(sysroot, path, id, out->pod, sizeof(out->pod)))
		names_copy(out->pod, sizeof(out->pod), id, 12);
}

bool names_podman(const char *sysroot, const char *path, const char *comp, struct group_name *out)
{
	char id[NAME_ID_MAX];
	bool scope = false;

	if (names_match_id(comp, "libpod-conmon-", ".scope", id)) {
		out->kind = NK_CONMON;
		names_copy(out->name, sizeof(out->name), "conmon", 6);
		names_copy(out->container_id, sizeof(out->container_id), id, 64);
		names_copy(out->unit, sizeof(out->unit), comp, strlen(comp));
		return true;
	}
	if (!(scope = names_match_id(comp, "libpod-", ".scope", id)) &&
	    !names_match_id(comp, "libpod-", "", id))
		return false;
	out->kind = NK_PODMAN;
	names_copy(out->container_id, sizeof(out->container_id), id, 64);
	if (scope)
		names_copy(out->unit, sizeof(out->unit), comp, strlen(comp));
	if (!rootless_name(sysroot, path, id, out->name, sizeof(out->name)) &&
	    !storage_name(sysroot, "/var/lib/containers/storage", id, out->name, sizeof(out->name)))
		names_copy(out->name, sizeof(out->name), id, 12);
	container_pod(sysroot, path, out);
	return true;
}
