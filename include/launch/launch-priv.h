/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * launch-priv.h - the pieces of the launcher that wrap one library each:
 * libmnl for the network namespace (launch-net.c) and libcap for privileges
 * (launch-caps.c).  Functions return 0 or -errno and never print.
 */
#ifndef CGTOP_LAUNCH_PRIV_H
#define CGTOP_LAUNCH_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- launch-net.c (rtnetlink through libmnl) ---- */

/* In the calling process's (new) network namespace: bring "lo" up. */
int launch_net_lo_up(void);

struct veth_addr {
	uint8_t host[4];  /* IPv4 address of the host end */
	uint8_t child[4]; /* of the child end: host address + 1 (next in the prefix) */
	unsigned prefix;  /* 1..30 */
};
/* Parse "HOST_ADDR/PREFIX" (IPv4, e.g. 10.200.0.1/24) for --veth; the child end
 * gets the next address.  -EINVAL for anything else. */
int launch_net_parse_veth(const char *s, struct veth_addr *ret);
/* In the caller's namespace: create a veth pair host_if <-> peer_if, move
 * peer_if into the network namespace of pid child, give host_if its address
 * and bring it up. */
int launch_net_veth_host(const char *host_if, const char *peer_if, pid_t child, const struct veth_addr *a);
/* In the child's namespace: address peer_if, bring it and lo up, default route
 * via the host end. */
int launch_net_veth_child(const char *peer_if, const struct veth_addr *a);
/* Remove host_if (the pair goes with it). */
int launch_net_veth_del(const char *host_if);

/* ---- launch-caps.c (libcap) ---- */

struct caps_spec {
	bool drop_all; /* --drop-caps */
	uint64_t keep; /* --caps LIST as a bit mask of CAP_* numbers */
	bool have_keep;
};
/* Parse "--caps LIST" ("cap_net_raw,cap_kill" or "net_raw,kill", case
 * insensitive).  -EINVAL naming nothing: the caller names the list. */
int launch_caps_parse(const char *list, struct caps_spec *ret, const char **ret_bad);
/* In the child before exec: keep only the listed capabilities (or none) in
 * the effective, permitted, inheritable, ambient and bounding sets, and set
 * no_new_privs.  Async-signal-safe enough for a child of fork (no malloc
 * after libcap's own). */
int launch_caps_apply(const struct caps_spec *c);
/* Whether the kept set holds CAP_SYS_ADMIN (enough to undo read-only mounts),
 * or a capability that overrides file permissions (CAP_DAC_OVERRIDE,
 * CAP_FOWNER: enough to write root's files as another user). */
bool launch_caps_keeps_admin(const struct caps_spec *c);
bool launch_caps_keeps_file_override(const struct caps_spec *c);

#endif
