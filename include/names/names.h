/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * names.h - groups by the names people use: the systemd unit, the container
 * (docker, podman, CRI-O, containerd, LXC), the podman or Kubernetes pod or
 * the systemd-nspawn machine a group stands for, from its kernel path and the runtimes' own files on disk (no daemon is
 * asked).  The kernel path stays the group's key; the name is for display.
 *
 * One module per runtime (src/names/names-*.c) behind names_lookup(); a path
 * no module knows, and metadata that is missing, unreadable, truncated or not
 * JSON, give the plain name (kind NK_NONE or the runtime's kind with the id as
 * the name), never an error.  Every metadata path is under the sysroot.
 */
#ifndef CGTOP_NAMES_H
#define CGTOP_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "base/fileio.h"
#include "cgroup/cgroup.h"

enum name_kind {
	NK_NONE,  /* no known name: the path's last component */
	NK_SLICE, /* systemd units, by type */
	NK_SERVICE,
	NK_SCOPE,
	NK_UNIT,   /* another unit type (socket, mount, swap) */
	NK_DOCKER, /* containers, by runtime */
	NK_PODMAN,
	NK_CRIO,
	NK_CONTAINERD,
	NK_CONMON,      /* podman's or CRI-O's container monitor */
	NK_K8S_QOS,     /* a Kubernetes QoS class (burstable, besteffort) */
	NK_K8S_POD,     /* a Kubernetes pod */
	NK_PODMAN_POD,  /* a podman pod */
	NK_MACHINE,     /* a machine registered with systemd-machined (systemd-nspawn) */
	NK_LXC,         /* an LXC or LXD container */
	NK_LXC_MONITOR, /* its monitor process's group */
	_NK_MAX,
};

/* The strings are NUL-terminated, "" when unknown (then absent in output). */
#define NAME_ID_MAX 65 /* a 64-hex container id */
struct group_name {
	enum name_kind kind;
	char name[256]; /* for display: a unit unescaped, a container's name */
	char container_id[NAME_ID_MAX];
	char pod[254]; /* a Kubernetes pod's name (DNS subdomain, 253) */
	char pod_uid[37];
	char namespace[254]; /* Kubernetes or containerd namespace */
	char qos[16];        /* guaranteed, burstable, besteffort */
	char unit[256];      /* the systemd unit as systemd names it (escaped) */
};

/* "slice", "docker", "k8s_pod", ...; "" for NK_NONE. */
const char *names_kind_name(enum name_kind k);
/* The kind of a names_kind_name() string (a recording's); NK_NONE for NULL,
 * "" or a string this cgtop does not know. */
enum name_kind names_kind_from(const char *s);

/* Name the group at kernel path (kernel naming, "/a/b") on the host under
 * sysroot ("" for the live system).  Returns true and fills *out when the
 * group is known to some module; false (out->kind NK_NONE) otherwise. */
bool names_lookup(const char *sysroot, const char *path, struct group_name *out);

/* The name of node n of tree t, looked up the first time it is asked for and
 * kept with the node (freed with it); NULL when the group has none. */
const struct group_name *names_of(const struct cg_tree *t, const struct cg_node *n);

/* The name of the group of t at path, or of its nearest ancestor that has
 * one (an event's group: which container or unit it happened in); NULL when
 * none has one or path is not in t. */
const struct group_name *names_of_path(const struct cg_tree *t, const char *path);

/* Look up the names of the groups of t that appeared since the last call
 * (a walk of the tree; no file is read for a group already looked up). */
void names_tree(const struct cg_tree *t);

/* The name to show for n: its name if it has one, else its last component. */
const char *names_display(const struct cg_tree *t, const struct cg_node *n);

/* Appends the JSON members of g (,"name":...,"kind":..., then container_id,
 * pod, pod_uid, namespace, qos, unit where known); nothing when g is NULL. */
void names_json(struct buf *b, const struct group_name *g);
/* The same as one member ,"KEY":{"name":...,"kind":...} (events, whose own
 * "kind" is the event's); nothing when g is NULL. */
void names_json_object(struct buf *b, const char *key, const struct group_name *g);

#endif
