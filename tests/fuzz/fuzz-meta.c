/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-meta.c - libFuzzer target for the parsers of the container runtimes' metadata
 * (src/names): docker's config.v2.json, containers/storage's containers.json, OCI specs,
 * /etc/passwd, the kubelet's pod directory and container log names, systemd unit names and
 * the kubelet's group names, each given the input as exactly its bytes (the JSON parsers) or
 * as a NUL-ended string in a heap block of its exact size.  Beyond "no crash": every field a
 * parser fills is NUL-terminated within its size and holds no NUL-cut part of a name.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "names/names-priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool cond)
{
	if (!cond)
		__builtin_trap();
}

#define ID "50fda3a7aa2ebc7c5710bba049c28f24e7a4497ef61fac342554ee5d4410fe80"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *exact = malloc(size ? size : 1), name[256], cg[128];
	struct group_name g;

	if (!s || !exact)
		abort();
	memcpy(exact, data, size);
	memcpy(s, data, size);
	s[size] = '\0';

	if (names_docker_parse_config(exact, size, name, sizeof(name)))
		check(name[0] && strlen(name) < sizeof(name));
	if (names_storage_parse_containers(exact, size, ID, name, sizeof(name)))
		check(name[0] && strlen(name) < sizeof(name));
	memset(&g, 0, sizeof(g));
	if (names_oci_parse_config(exact, size, &g, cg, sizeof(cg)))
		check(strlen(cg) < sizeof(cg) && strlen(g.name) < sizeof(g.name) &&
		      strlen(g.pod) < sizeof(g.pod) && strlen(g.namespace) < sizeof(g.namespace) &&
		      strlen(g.pod_uid) < sizeof(g.pod_uid));
	if (names_podman_parse_pod_state(exact, size, ID, name, sizeof(name)))
		check(name[0] && strlen(name) < sizeof(name));
	memset(&g, 0, sizeof(g));
	if (names_machine(s, &g))
		check(g.kind == NK_MACHINE && strlen(g.name) < sizeof(g.name));
	memset(&g, 0, sizeof(g));
	if (names_lxc_parse("lxc", s, &g)) {
		check((g.kind == NK_LXC || g.kind == NK_LXC_MONITOR) && g.name[0]);
		if (names_lxc_split_project(&g))
			check(g.namespace[0] && g.name[0] && !strchr(g.name, '_'));
	}
	memset(&g, 0, sizeof(g));
	if (names_lxc_parse_pattern("lxc", s, "payload-1", &g))
		check(g.kind == NK_LXC && g.name[0] && strlen(g.name) < sizeof(g.name));
	memset(&g, 0, sizeof(g));
	if (names_lxc_parse_pattern("lxc", "web", s, &g))
		check((g.kind == NK_LXC || g.kind == NK_LXC_MONITOR) && !strcmp(g.name, "web"));
	/* s as a path: the components above its last two (no LXD directory
	 * under this sysroot, so nothing is found on disk) */
	memset(&g, 0, sizeof(g));
	if (names_lxc("/nonexistent-cgtop-fuzz", s, "web", "payload", &g))
		check(g.kind == NK_LXC && strlen(g.name) < sizeof(g.name));
	if (names_passwd_home(exact, size, 1000, name, sizeof(name)))
		check(name[0] == '/');
	memset(&g, 0, sizeof(g));
	if (names_k8s_parse_pod_dir(s, ID, &g))
		check(g.namespace[0] && g.pod[0] && !strchr(g.namespace, '_') && !strchr(g.pod, '_'));
	if (names_k8s_parse_container_log(s, ID, name, sizeof(name)))
		check(name[0] != 0);
	names_systemd_unescape(s, name, sizeof(name));
	check(strlen(name) < sizeof(name) && strlen(name) <= size);
	memset(&g, 0, sizeof(g));
	if (names_systemd(s, &g))
		check(g.kind != NK_NONE && strlen(g.unit) < sizeof(g.unit));
	for (int kp = 0; kp < 2; kp++) {
		memset(&g, 0, sizeof(g));
		if (names_k8s_parse_component(s, kp, &g))
			check(g.kind == NK_K8S_QOS || (g.kind == NK_K8S_POD && strlen(g.pod_uid) == 36));
	}
	free(s);
	free(exact);
	return 0;
}
