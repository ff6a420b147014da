/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * names.c - names_lookup(): which runtime module knows a group, tried from the
 * most specific path shape to the least; the per-node cache; the helpers the
 * modules share (bounded reads of metadata files, container ids).
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/macro.h"
#include "names/names-priv.h"

static const char *const kind_names[_NK_MAX] = {
	[NK_NONE] = "",
	[NK_SLICE] = "slice",
	[NK_SERVICE] = "service",
	[NK_SCOPE] = "scope",
	[NK_UNIT] = "unit",
	[NK_DOCKER] = "docker",
	[NK_PODMAN] = "podman",
	[NK_CRIO] = "crio",
	[NK_CONTAINERD] = "containerd",
	[NK_CONMON] = "conmon",
	[NK_K8S_QOS] = "k8s_qos",
	[NK_K8S_POD] = "k8s_pod",
	[NK_PODMAN_POD] = "podman_pod",
	[NK_MACHINE] = "machine",
	[NK_LXC] = "lxc",
	[NK_LXC_MONITOR] = "lxc_monitor",
};

const char *names_kind_name(enum name_kind k)
{
	return (unsigned)k < _NK_MAX ? kind_names[k] : "";
}

enum name_kind names_kind_from(const char *s)
{
	for (int k = NK_NONE + 1; s && *s && k < _NK_MAX; k++)
		if (strcmp(s, kind_names[k]) == 0)
			return (enum name_kind)k;
	return NK_NONE;
}

void names_copy(char *dst, size_t size, const char *s, size_t len)
{
	if (!size)
		return;
	if (len >= size)
		len = size - 1;
	memcpy(dst, s, len);
	dst[len] = 0;
}

bool names_is_id(const char *s, size_t len)
{
	if (len != 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

bool names_match_id(const char *comp, const char *prefix, const char *suffix, char *id)
{
	size_t lp = strlen(prefix), ls = strlen(suffix), lc = strlen(comp);

	if (lc != lp + 64 + ls || strncmp(comp, prefix, lp) || strcmp(comp + lp + 64, suffix))
		return false;
	if (!names_is_id(comp + lp, 64))
		return false;
	names_copy(id, NAME_ID_MAX, comp + lp, 64);
	return true;
}

int names_read_meta(const char *sysroot, const char *path, struct buf *b)
{
	char full[4096];
	struct stat st;
	_cleanup_close_ int fd = -1;

	if ((size_t)snprintf(full, sizeof(full), "%s%s", sysroot, path) >= sizeof(full))
		return -ENAMETOOLONG;
	/* O_NONBLOCK: a FIFO planted in its place must not stall the refresh */
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if (st.st_size > (off_t)NAMES_META_MAX)
		return -EFBIG;
	b->len = 0;
	buf_reserve(b, (size_t)st.st_size + 1);
	for (;;) {
		if (b->len >= NAMES_META_MAX)
			return -EFBIG; /* grew while read */
		if (b->size - b->len < 4096)
			buf_reserve(b, b->size * 2);
		ssize_t r = read(fd, b->data + b->len, b->size - b->len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			break;
		b->len += (size_t)r;
	}
	b->data[b->len] = 0;
	return 0;
}

bool names_lookup(const char *sysroot, const char *path, struct group_name *out)
{
	const char *slash = strrchr(path, '/');
	const char *comp = slash ? slash + 1 : path;
	char parent[256] = "";

	memset(out, 0, sizeof(*out));
	if (!*comp)
		return false;
	if (slash && slash > path) {
		const char *p = slash;
		while (p > path && p[-1] != '/')
			p--;
		names_copy(parent, sizeof(parent), p, (size_t)(slash - p));
	}
	/* the containers first: docker-<id>.scope is a systemd scope too */
	if (names_docker(sysroot, parent, comp, out) || names_podman(sysroot, path, comp, out) ||
	    names_crio(sysroot, comp, out) || names_containerd(sysroot, path, comp, out)) {
		/* a container of a Kubernetes pod: the pod's names too */
		if (strstr(path, "/kubepods"))
			names_k8s_pod_of(sysroot, path, out);
		return true;
	}
	/* each module from a clean slate: one that gave up may have filled a field */
	memset(out, 0, sizeof(*out));
	if (names_k8s(sysroot, path, comp, out))
		return true;
	memset(out, 0, sizeof(*out));
	/* before the units: a pod's slice and a machine's scope are units too
	 * (these three fill out only when they know the group) */
	if (names_podman_pod(sysroot, path, parent, comp, out) || names_machine(comp, out) ||
	    names_lxc(sysroot, path, parent, comp, out))
		return true;
	memset(out, 0, sizeof(*out));
	if (names_systemd(comp, out))
		return true;
	memset(out, 0, sizeof(*out));
	return false;
}

const struct group_name *names_of(const struct cg_tree *t, const struct cg_node *cn)
{
	/* the node is the cache: a lookup is done once in its life, by whichever
	 * writer asks first (the writers hold the tree read-only) */
	struct cg_node *n = (struct cg_node *)(uintptr_t)cn;
	struct group_name g;

	if (n->gname_known)
		return n->gname;
	n->gname_known = true;
	if (n->parent && names_lookup(t->sysroot, n->path, &g)) {
		n->gname = xmalloc(sizeof(g));
		memcpy(n->gname, &g, sizeof(g));
	}
	return n->gname;
}

const struct group_name *names_of_path(const struct cg_tree *t, const char *path)
{
	const struct cg_node *n = path[0] ? cg_tree_find(t, path) : NULL;
	const struct group_name *g = NULL;

	for (; n && n->parent && !(g = names_of(t, n)); n = n->parent)
		;
	return g;
}

const char *names_display(const struct cg_tree *t, const struct cg_node *n)
{
	const struct group_name *g = names_of(t, n);

	return g && g->name[0] ? g->name : cg_node_name(n);
}

void names_tree(const struct cg_tree *t)
{
	for (struct cg_node *n = t->top; n; n = cg_tree_next(t, n))
		names_of(t, n);
}
