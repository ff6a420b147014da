/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * names-k8s.c - Kubernetes pods, from the kubelet's group names: with the
 * systemd driver "kubepods.slice/kubepods-burstable.slice/
 * kubepods-burstable-pod<uid with _ for ->.slice" (guaranteed pods sit right
 * in kubepods.slice: "kubepods-pod<uid>.slice"), with cgroupfs
 * "/kubepods/burstable/pod<uid>".  The pod's name and namespace come from its
 * log directory, /var/log/pods/<namespace>_<name>_<uid> (neither a namespace
 * nor a pod name may hold '_'), a container's name from the kubelet's link
 * /var/log/containers/<pod>_<namespace>_<container>-<id>.log.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "base/macro.h"
#include "names/names-priv.h"

static const char *const classes[] = { "burstable", "besteffort" };

/* uid: 36 characters of hex digits and '-' ('_' in systemd names). */
static bool parse_uid(const char *s, size_t len, char *uid)
{
	if (len != 36)
		return false;
	for (size_t i = 0; i < 36; i++) {
		char c = s[i];
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? (c != '-' && c != '_') : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
		uid[i] = dash ? '-' : c;
	}
	uid[36] = 0;
	return true;
}

bool names_k8s_parse_component(const char *comp, bool under_kubepods, struct group_name *out)
{
	size_t l = strlen(comp);
	const char *p;

	if (!strncmp(comp, "kubepods-", 9) && l > 15 && !strcmp(comp + l - 6, ".slice")) {
		p = comp + 9;
		size_t rest = l - 9 - 6;
		for (size_t c = 0; c < ARRAY_SIZE(classes); c++) {
			size_t cl = strlen(classes[c]);
			if (rest == cl && !strncmp(p, classes[c], cl)) {
				out->kind = NK_K8S_QOS;
				names_copy(out->qos, sizeof(out->qos), classes[c], cl);
				names_copy(out->name, sizeof(out->name), classes[c], cl);
				names_copy(out->unit, sizeof(out->unit), comp, l);
				return true;
			}
			if (rest > cl + 1 && !strncmp(p, classes[c], cl) && p[cl] == '-') {
				names_copy(out->qos, sizeof(out->qos), classes[c], cl);
				p += cl + 1;
				rest -= cl + 1;
				break;
			}
		}
		if (rest < 3 || strncmp(p, "pod", 3) || !parse_uid(p + 3, rest - 3, out->pod_uid))
			return false;
		if (!out->qos[0])
			names_copy(out->qos, sizeof(out->qos), "guaranteed", 10);
		out->kind = NK_K8S_POD;
		names_copy(out->unit, sizeof(out->unit), comp, l);
		return true;
	}
	if (!under_kubepods)
		return false;
	for (size_t c = 0; c < ARRAY_SIZE(classes); c++)
		if (!strcmp(comp, classes[c])) {
			out->kind = NK_K8S_QOS;
			names_copy(out->qos, sizeof(out->qos), comp, l);
			names_copy(out->name, sizeof(out->name), comp, l);
			return true;
		}
	if (!strncmp(comp, "pod", 3) && parse_uid(comp + 3, l - 3, out->pod_uid)) {
		out->kind = NK_K8S_POD;
		return true;
	}
	return false;
}

bool names_k8s_parse_pod_dir(const char *dir, const char *uid, struct group_name *out)
{
	const char *a = strchr(dir, '_'), *b = a ? strchr(a + 1, '_') : NULL;

	if (!a || !b || a == dir || b == a + 1 || strcmp(b + 1, uid))
		return false;
	names_copy(out->namespace, sizeof(out->namespace), dir, (size_t)(a - dir));
	names_copy(out->pod, sizeof(out->pod), a + 1, (size_t)(b - a - 1));
	return true;
}

bool names_k8s_parse_container_log(const char *file, const char *id, char *name, size_t size)
{
	size_t l = strlen(file), il = strlen(id);
	const char *a, *b;

	/* <pod>_<namespace>_<container>-<id>.log */
	if (l < il + 6 || strcmp(file + l - 4, ".log") || strncmp(file + l - 4 - il, id, il) ||
	    file[l - 5 - il] != '-')
		return false;
	if (!(a = strchr(file, '_')) || !(b = strchr(a + 1, '_')) || b >= file + l - 5 - il - 1)
		return false;
	names_copy(name, size, b + 1, (size_t)(file + l - 5 - il - (b + 1)));
	return name[0] != 0;
}

static void pod_names(const char *sysroot, struct group_name *out)
{
	char dir[1024];

	if (!out->pod_uid[0] || (size_t)snprintf(dir, sizeof(dir), "%s/var/log/pods", sysroot) >= sizeof(dir))
		return;
	_cleanup_closedir_ DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));)
		if (names_k8s_parse_pod_dir(e->d_name, out->pod_uid, out))
			return;
}

static bool under_kubepods(const char *path)
{
	return !strncmp(path, "/kubepods/", 10) || strstr(path, "/kubepods/") ||
	       strstr(path, "/kubepods.slice/");
}

bool names_k8s(const char *sysroot, const char *path, const char *comp, struct group_name *out)
{
	if (!names_k8s_parse_component(comp, under_kubepods(path), out))
		return false;
	if (out->kind == NK_K8S_POD && !out->qos[0]) {
		/* cgroupfs: the class is the parent group, guaranteed pods sit in kubepods */
		const char *slash = comp > path + 1 ? comp - 1 : path, *p = slash;
		while (p > path && p[-1] != '/')
			p--;
		for (size_t c = 0; c < ARRAY_SIZE(classes); c++)
			if ((size_t)(slash - p) == strlen(classes[c]) &&
			    !strncmp(p, classes[c], (size_t)(slash - p)))
				names_copy(out->qos, sizeof(out->qos), classes[c], strlen(classes[c]));
		if (!out->qos[0])
			names_copy(out->qos, sizeof(out->qos), "guaranteed", 10);
	}
	if (out->kind == NK_K8S_POD) {
		pod_names(sysroot, out);
		/* the plain name of an unknown pod: its uid */
		names_copy(out->name, sizeof(out->name), out->pod[0] ? out->pod : out->pod_uid,
			   strlen(out->pod[0] ? out->pod : out->pod_uid));
	}
	return true;
}

void names_k8s_pod_of(const char *sysroot, const char *path, struct group_name *out)
{
	struct group_name pod = { 0 };
	bool kp = under_kubepods(path), found = false;
	char comp[256];

	for (const char *p = path; *p && !found;) {
		while (*p == '/')
			p++;
		const char *e = strchrnul(p, '/');
		names_copy(comp, sizeof(comp), p, (size_t)(e - p));
		memset(&pod, 0, sizeof(pod));
		found = names_k8s_parse_component(comp, kp, &pod) && pod.kind == NK_K8S_POD;
		p = e;
	}
	if (!found)
		return;
	if (!out->pod_uid[0])
		memcpy(out->pod_uid, pod.pod_uid, sizeof(pod.pod_uid));
	memcpy(out->qos, pod.qos, sizeof(pod.qos));
	if (!out->pod[0] || !out->namespace[0]) {
		pod_names(sysroot, &pod);
		if (!out->pod[0])
			memcpy(out->pod, pod.pod, sizeof(pod.pod));
		if (!out->namespace[0] || !strcmp(out->namespace, "k8s.io"))
			if (pod.namespace[0])
				memcpy(out->namespace, pod.namespace, sizeof(pod.namespace));
	}
	/* the container's own name, where its runtime's files did not give it */
	if (out->container_id[0] && !strncmp(out->name, out->container_id, strlen(out->name))) {
		char dir[1024];
		if ((size_t)snprintf(dir, sizeof(dir), "%s/var/log/containers", sysroot) >= sizeof(dir))
			return;
		_cleanup_closedir_ DIR *d = opendir(dir);
		for (struct dirent *e; d && (e = readdir(d));)
			if (names_k8s_parse_container_log(e->d_name, out->container_id, out->name,
							  sizeof(out->name)))
				break;
	}
}
