/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * names-priv.h - the runtime modules behind names_lookup() (src/names/), each
 * split into pure parsers of a path component or of a runtime's metadata
 * text (unit-tested on captured metadata under tests/data/names) and the
 * lookup that reads the files.
 */
#ifndef CGTOP_NAMES_PRIV_H
#define CGTOP_NAMES_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "base/fileio.h"
#include "names/names.h"

/* Metadata files larger than this are not read: a runtime's file of that
 * size is not one it wrote (docker's config.v2.json is a few KiB, podman's
 * containers.json about 1 KiB per container). */
#define NAMES_META_MAX (4u << 20)

/* Copy s (len bytes) into dst of size, truncated, NUL-terminated. */
void names_copy(char *dst, size_t size, const char *s, size_t len);
/* Read the regular file sysroot+path into b: never a FIFO, a device or a
 * file above NAMES_META_MAX.  Returns 0 or -errno (-EFBIG, -EINVAL). */
int names_read_meta(const char *sysroot, const char *path, struct buf *b);
/* s is a container id: exactly 64 lowercase hex digits, len of them. */
bool names_is_id(const char *s, size_t len);
/* If comp is PREFIX<64 hex>SUFFIX, the id (copied to id[NAME_ID_MAX]). */
bool names_match_id(const char *comp, const char *prefix, const char *suffix, char *id);

/* systemd (names-systemd.c): a unit name's type ("slice", ...) as a kind,
 * NK_NONE when comp is no unit name; its display name, unescaped. */
enum name_kind names_systemd_kind(const char *comp);
void names_systemd_unescape(const char *unit, char *out, size_t size);
bool names_systemd(const char *comp, struct group_name *out);

/* docker (names-docker.c): the name in config.v2.json ("Name": "/web-1"). */
bool names_docker_parse_config(const char *json, size_t len, char *name, size_t size);
bool names_docker(const char *sysroot, const char *parent, const char *comp, struct group_name *out);

/* containers/storage's containers.json (podman, CRI-O): the first name of
 * container id. */
bool names_storage_parse_containers(const char *json, size_t len, const char *id, char *name, size_t size);
/* An OCI runtime spec (config.json): the Kubernetes names in its annotations
 * (CRI-O's and containerd's CRI plugin's keys), and its linux.cgroupsPath. */
bool names_oci_parse_config(const char *json, size_t len, struct group_name *out, char *cgroups_path,
			    size_t size);

/* podman (names-podman.c): rootful and rootless (the user from the path). */
bool names_podman(const char *sysroot, const char *path, const char *comp, struct group_name *out);
/* A podman pod's group: "machine-libpod_pod_<id>.slice" (systemd cgroup
 * manager; "user-libpod_pod_<id>.slice" rootless), "<parent>/<id>" (cgroupfs);
 * its name from podman's state.  names_podman_pod_id() gives the pod id of
 * such a component (parent: the component above it). */
bool names_podman_pod_id(const char *sysroot, const char *path, const char *parent, const char *comp,
			 char *id);
bool names_podman_pod(const char *sysroot, const char *path, const char *parent, const char *comp,
		      struct group_name *out);
/* The name of pod id in podman's BoltDB state file (bolt_state.db): bolt keeps
 * each value's bytes as written, and podman writes a pod's configuration as
 * one JSON object {"id":"<id>","name":"<name>",...}. */
bool names_podman_parse_pod_state(const char *db, size_t len, const char *id, char *name, size_t size);
/* The uid of a systemd user path (".../user-1000.slice/user@1000.service/..."), -1 if none. */
long names_path_uid(const char *path);
/* The home directory of uid in an /etc/passwd text. */
bool names_passwd_home(const char *text, size_t len, long uid, char *home, size_t size);

/* CRI-O (names-crio.c) and containerd (names-containerd.c). */
bool names_crio(const char *sysroot, const char *comp, struct group_name *out);
bool names_containerd(const char *sysroot, const char *path, const char *comp, struct group_name *out);

/* systemd-nspawn and other machines (names-machine.c): "machine-<name>.scope",
 * the name unescaped. */
bool names_machine(const char *comp, struct group_name *out);
/* LXC, LXD and Incus (names-lxc.c): the container "lxc.payload.<name>",
 * "lxc.payload/<name>" or "lxc/<name>" (parent "lxc.payload" or "lxc"), the
 * monitor "lxc.monitor.<name>" or "lxc.monitor/<name>": kind and name as the
 * group has them (names_lxc_parse); names_lxc_split_project() splits an LXD
 * name "<project>_<instance>" at its last '_' into namespace and name (false
 * when there is no such '_'), which names_lxc() does when LXD's or Incus's
 * directory of the container exists under sysroot. */
bool names_lxc_parse(const char *parent, const char *comp, struct group_name *out);
/* An lxc.cgroup.pattern's layout (4.0 and on): "payload" or "monitor" (with
 * liblxc's "-N") below "lxc/<name>" or "lxc.payload/<name>" (grand, parent:
 * the two components above comp). */
bool names_lxc_parse_pattern(const char *grand, const char *parent, const char *comp, struct group_name *out);
bool names_lxc_split_project(struct group_name *out);
bool names_lxc(const char *sysroot, const char *path, const char *parent, const char *comp,
	       struct group_name *out);

/* Kubernetes (names-k8s.c): a QoS class or pod group from its component
 * (systemd "kubepods-burstable-pod<uid>.slice", cgroupfs "pod<uid>"); the
 * pod's name and namespace from /var/log/pods/<namespace>_<pod>_<uid>. */
bool names_k8s_parse_component(const char *comp, bool under_kubepods, struct group_name *out);
bool names_k8s_parse_pod_dir(const char *dir, const char *uid, struct group_name *out);
bool names_k8s(const char *sysroot, const char *path, const char *comp, struct group_name *out);
/* The pod a container's path lies in: fills pod, pod_uid, namespace, qos. */
void names_k8s_pod_of(const char *sysroot, const char *path, struct group_name *out);
/* A container's name from /var/log/containers/<pod>_<namespace>_<name>-<id>.log. */
bool names_k8s_parse_container_log(const char *file, const char *id, char *name, size_t size);

#endif
