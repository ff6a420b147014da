/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-names.c - src/names: every runtime's path shapes and metadata, on the
 * metadata captured from real docker, podman and containerd runs (and
 * reproduced for CRI-O, rootless podman and the kubelet) under
 * tests/data/names/root, used as a sysroot; then bad metadata (missing,
 * truncated, not JSON, another shape, over the size cap, a FIFO, a directory)
 * in a temporary tree: the plain name, never an error or a stall.
 */
#include <signal.h>
#include <sys/stat.h>

#include "names/names-priv.h"
#include "tests/tap.h"
#include "tests/unit/testdata.h"

#define DOCKER_ID "50fda3a7aa2ebc7c5710bba049c28f24e7a4497ef61fac342554ee5d4410fe80"
#define PODMAN_ID "50eac259de6ce437bf0c7719de5c7087b5ebaf512914d8db77e8a8e6e56705fc"
#define ALICE_ID "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00"
#define CRIO_ID "3fc28fa1c647ceede9f6b340d0b16c9f1f663698972d22a52e296f291638e014"
#define CRIC_ID "9a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define OTHER_ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define POD_ID "4562cf2d35f7fc72258ae973cda3cc7f5ddc9e1c69349fc4794050d96a4429f1"
#define OWN "/process_api/ea96fec178e46e3fed492dffbcc1adc3"
#define POD_SLICE                                                                                            \
	"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-poda8697f49_441d_4d4f_90d2_6d8e1fa3bbe7.slice"
#define CRIO_POD_SLICE                                                                                       \
	"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0b5e7d0c_1f2a_4c3b_9d8e_7f6a5b4c3d2e.slice"

static char root[4096];

struct want {
	const char *path;
	enum name_kind kind;
	const char *name, *container_id, *pod, *namespace, *unit, *qos, *pod_uid;
};

static void check(const char *sysroot, const struct want *w)
{
	struct group_name g;
	bool known = names_lookup(sysroot, w->path, &g);

	if (!ok(known == (w->kind != NK_NONE) && g.kind == w->kind, "%s: kind %s", w->path,
		names_kind_name(w->kind)))
		printf("#   got kind '%s'\n", names_kind_name(g.kind));
	if (w->kind == NK_NONE)
		return;
	is_str(g.name, w->name, "%s: name", w->path);
	is_str(g.container_id, w->container_id ?: "", "%s: container_id", w->path);
	is_str(g.pod, w->pod ?: "", "%s: pod", w->path);
	is_str(g.namespace, w->namespace ?: "", "%s: namespace", w->path);
	is_str(g.unit, w->unit ?: "", "%s: unit", w->path);
	is_str(g.qos, w->qos ?: "", "%s: qos", w->path);
	is_str(g.pod_uid, w->pod_uid ?: "", "%s: pod_uid", w->path);
}

static const struct want shapes[] = {
	/* systemd: unit types, unescaped for display, the unit as systemd spells it */
	{ "/system.slice", NK_SLICE, "system.slice", .unit = "system.slice" },
	{ "/system.slice/system-systemd\\x2dfsck.slice", NK_SLICE, "system-systemd-fsck.slice",
	  .unit = "system-systemd\\x2dfsck.slice" },
	{ "/system.slice/system-serial\\x2dgetty.slice/serial-getty@ttyS0.service", NK_SERVICE,
	  "serial-getty@ttyS0.service", .unit = "serial-getty@ttyS0.service" },
	{ "/user.slice/user-1000.slice/session-3.scope", NK_SCOPE, "session-3.scope",
	  .unit = "session-3.scope" },
	{ "/system.slice/dev-hugepages.mount", NK_UNIT, "dev-hugepages.mount",
	  .unit = "dev-hugepages.mount" },
	{ "/system.slice/foo", NK_NONE },
	{ "/.slice", NK_NONE },
	{ "/", NK_NONE },
	/* docker: captured config.v2.json; cgroupfs and systemd drivers */
	{ OWN "/cgtop-try/" DOCKER_ID, NK_DOCKER, "web-1", DOCKER_ID },
	{ "/docker/" DOCKER_ID, NK_DOCKER, "web-1", DOCKER_ID },
	{ "/system.slice/docker-" DOCKER_ID ".scope", NK_DOCKER, "web-1", DOCKER_ID,
	  .unit = "docker-" DOCKER_ID ".scope" },
	{ "/docker/" OTHER_ID, NK_DOCKER, "0123456789ab", OTHER_ID }, /* no metadata: the short id */
	{ "/elsewhere/" OTHER_ID, NK_NONE },                          /* an id nobody knows */
	{ "/docker/" DOCKER_ID "x", NK_NONE },
	/* podman: captured containers.json (rootful), reproduced rootless storage */
	{ OWN "/cgtop-try-podman/libpod-" PODMAN_ID, NK_PODMAN, "web-2", PODMAN_ID },
	{ "/machine.slice/libpod-" PODMAN_ID ".scope", NK_PODMAN, "web-2", PODMAN_ID,
	  .unit = "libpod-" PODMAN_ID ".scope" },
	{ "/machine.slice/libpod-conmon-" PODMAN_ID ".scope", NK_CONMON, "conmon", PODMAN_ID,
	  .unit = "libpod-conmon-" PODMAN_ID ".scope" },
	{ OWN "/cgtop-try-podman/conmon", NK_NONE },
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ALICE_ID ".scope", NK_PODMAN,
	  "alice-web", ALICE_ID, .unit = "libpod-" ALICE_ID ".scope" },
	{ "/machine.slice/libpod-" ALICE_ID ".scope", NK_PODMAN, "c0ffee00c0ff", ALICE_ID,
	  .unit = "libpod-" ALICE_ID ".scope" }, /* root's storage does not have it */
	/* podman pods: the captured state (pod "shop-pod"); the systemd manager's
	 * slices and cgroupfs's parent/<pod id>, a container in each */
	{ "/machine.slice/machine-libpod_pod_" POD_ID ".slice", NK_PODMAN_POD, "shop-pod", .pod = "shop-pod",
	  .unit = "machine-libpod_pod_" POD_ID ".slice" },
	{ "/machine.slice/machine-libpod_pod_" POD_ID ".slice/libpod-" PODMAN_ID ".scope", NK_PODMAN, "web-2",
	  PODMAN_ID, .pod = "shop-pod", .unit = "libpod-" PODMAN_ID ".scope" },
	{ "/libpod_parent/" POD_ID, NK_PODMAN_POD, "shop-pod", .pod = "shop-pod" },
	{ OWN "/n2-pod/" POD_ID, NK_PODMAN_POD, "shop-pod", .pod = "shop-pod" }, /* known to the state */
	{ OWN "/n2-pod/" POD_ID "/libpod-" PODMAN_ID, NK_PODMAN, "web-2", PODMAN_ID, .pod = "shop-pod" },
	{ "/libpod_parent/" OTHER_ID, NK_PODMAN_POD, "0123456789ab", .pod = "0123456789ab" },
	{ "/machine.slice/machine-libpod_pod_" OTHER_ID ".slice", NK_PODMAN_POD, "0123456789ab",
	  .pod = "0123456789ab", .unit = "machine-libpod_pod_" OTHER_ID ".slice" },
	{ "/machine.slice/xlibpod_pod_" OTHER_ID ".slice", NK_SLICE, "xlibpod_pod_" OTHER_ID ".slice",
	  .unit = "xlibpod_pod_" OTHER_ID ".slice" },
	/* systemd-nspawn machines: the name unescaped */
	{ "/machine.slice/machine-debian\\x2dbuild.scope", NK_MACHINE, "debian-build",
	  .unit = "machine-debian\\x2dbuild.scope" },
	{ "/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope", NK_MACHINE, "qemu-1-vm1",
	  .unit = "machine-qemu\\x2d1\\x2dvm1.scope" },
	{ "/machine.slice/machine-.scope", NK_SCOPE, "machine-.scope", .unit = "machine-.scope" },
	{ "/machine.slice", NK_SLICE, "machine.slice", .unit = "machine.slice" },
	/* LXC: lxc.payload.<name> (4.0+), lxc.payload/<name> (3.1, 3.2), lxc/<name>
	 * (3.0 and before), the monitors; liblxc's retry suffix stays */
	{ "/lxc.payload.web", NK_LXC, "web" },
	{ "/lxc.monitor.web", NK_LXC_MONITOR, "web" },
	{ "/lxc.payload.web-1", NK_LXC, "web-1" },
	{ "/lxc.payload/web", NK_LXC, "web" },
	{ "/lxc.monitor/web", NK_LXC_MONITOR, "web" },
	{ "/lxc/c1", NK_LXC, "c1" },
	{ "/lxc.payload.web/init.scope", NK_SCOPE, "init.scope", .unit = "init.scope" },
	{ "/lxc.payload/web/init.scope", NK_SCOPE, "init.scope", .unit = "init.scope" },
	{ "/lxc.payload.", NK_NONE },
	{ "/lxc.payload", NK_NONE },
	{ "/lxc.monitor", NK_NONE },
	{ "/notlxc/c1", NK_NONE },
	/* an lxc.cgroup.pattern "lxc/%n" kept in lxc.conf, 4.0 and on: the
	 * container in <pattern>/payload, the monitor in <pattern>/monitor */
	{ "/lxc/web/payload", NK_LXC, "web" },
	{ "/lxc/web/payload-1", NK_LXC, "web" },
	{ "/lxc/web/monitor", NK_LXC_MONITOR, "web" },
	{ "/lxc/web/monitor-12", NK_LXC_MONITOR, "web" },
	{ "/lxc.payload/web/payload", NK_LXC, "web" },
	{ "/lxc/web/payload/init.scope", NK_SCOPE, "init.scope", .unit = "init.scope" },
	{ "/lxc/prod_db-1/payload", NK_LXC, "db-1", .namespace = "prod" },
	{ "/other/web/payload", NK_NONE },
	{ "/web/payload", NK_NONE },
	{ "/lxc/web/payload-", NK_NONE },
	{ "/lxc/web/payload-1x", NK_NONE },
	{ "/lxc/web/payloads", NK_NONE },
	{ "/lxc/web/x/payload", NK_NONE },
	/* LXD and Incus: <project>_<instance> split at the last '_' when their
	 * directory of the container exists (snap, deb, Incus); else kept whole */
	{ "/lxc.payload.prod_db-1", NK_LXC, "db-1", .namespace = "prod" },
	{ "/lxc.monitor.prod_db-1", NK_LXC_MONITOR, "db-1", .namespace = "prod" },
	{ "/lxc.payload/prod_db-1", NK_LXC, "db-1", .namespace = "prod" },
	{ "/lxc.payload.my_proj_api", NK_LXC, "api", .namespace = "my_proj" },
	{ "/lxc.payload.dev_web", NK_LXC, "web", .namespace = "dev" },
	{ "/lxc.payload.my_box", NK_LXC, "my_box" }, /* a plain LXC container's name */
	/* containerd: captured bundle of ctr run --cgroup; the path must be the bundle's */
	{ OWN "/cgtop-try-ctr/web-3", NK_CONTAINERD, "web-3", "web-3", .namespace = "rt-test" },
	{ "/other/web-3", NK_NONE },
	/* Kubernetes with the systemd driver: QoS class, pod, containerd's and CRI-O's containers */
	{ "/kubepods.slice", NK_SLICE, "kubepods.slice", .unit = "kubepods.slice" },
	{ "/kubepods.slice/kubepods-burstable.slice", NK_K8S_QOS, "burstable",
	  .unit = "kubepods-burstable.slice", .qos = "burstable" },
	{ POD_SLICE, NK_K8S_POD, "web-7d9c8f6b5-abcde", .pod = "web-7d9c8f6b5-abcde", .namespace = "default",
	  .unit = "kubepods-burstable-poda8697f49_441d_4d4f_90d2_6d8e1fa3bbe7.slice", .qos = "burstable",
	  .pod_uid = "a8697f49-441d-4d4f-90d2-6d8e1fa3bbe7" },
	{ POD_SLICE "/cri-containerd-" CRIC_ID ".scope", NK_CONTAINERD, "nginx", CRIC_ID,
	  .pod = "web-7d9c8f6b5-abcde", .namespace = "default", .unit = "cri-containerd-" CRIC_ID ".scope",
	  .qos = "burstable", .pod_uid = "a8697f49-441d-4d4f-90d2-6d8e1fa3bbe7" },
	{ CRIO_POD_SLICE "/crio-" CRIO_ID ".scope", NK_CRIO, "coredns", CRIO_ID,
	  .pod = "coredns-5d78c9869d-x7k2p", .namespace = "kube-system", .unit = "crio-" CRIO_ID ".scope",
	  .qos = "burstable", .pod_uid = "0b5e7d0c-1f2a-4c3b-9d8e-7f6a5b4c3d2e" },
	{ CRIO_POD_SLICE "/crio-conmon-" CRIO_ID ".scope", NK_CONMON, "conmon", CRIO_ID,
	  .pod = "coredns-5d78c9869d-x7k2p", .namespace = "kube-system",
	  .unit = "crio-conmon-" CRIO_ID ".scope", .qos = "burstable",
	  .pod_uid = "0b5e7d0c-1f2a-4c3b-9d8e-7f6a5b4c3d2e" },
	{ "/kubepods.slice/kubepods-pod11111111_2222_4333_8444_555555555555.slice", NK_K8S_POD,
	  "node-exporter-q8zr4", .pod = "node-exporter-q8zr4", .namespace = "monitoring",
	  .unit = "kubepods-pod11111111_2222_4333_8444_555555555555.slice", .qos = "guaranteed",
	  .pod_uid = "11111111-2222-4333-8444-555555555555" },
	/* with the cgroupfs driver; a pod without a log directory keeps its uid */
	{ "/kubepods/besteffort", NK_K8S_QOS, "besteffort", .qos = "besteffort" },
	{ "/kubepods/burstable/poda8697f49-441d-4d4f-90d2-6d8e1fa3bbe7", NK_K8S_POD, "web-7d9c8f6b5-abcde",
	  .pod = "web-7d9c8f6b5-abcde", .namespace = "default", .qos = "burstable",
	  .pod_uid = "a8697f49-441d-4d4f-90d2-6d8e1fa3bbe7" },
	{ "/kubepods/podffffffff-2222-4333-8444-555555555555", NK_K8S_POD,
	  "ffffffff-2222-4333-8444-555555555555", .qos = "guaranteed",
	  .pod_uid = "ffffffff-2222-4333-8444-555555555555" },
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podnot_a_uid.slice", NK_SLICE,
	  "kubepods-burstable-podnot_a_uid.slice", .unit = "kubepods-burstable-podnot_a_uid.slice" },
	{ "/besteffort", NK_NONE },            /* a class name outside kubepods */
	{ "/kubepods/podnot-a-uid", NK_NONE }, /* not a uid */
};

static void pure_parsers(void)
{
	char out[64], home[64];
	struct group_name g = { 0 };

	names_systemd_unescape("a\\x2db\\x5cc\\x00d\\xzz\\x2", out, sizeof(out));
	is_str(out, "a-b\\c\\x00d\\xzz\\x2", "unescape: \\x2d, \\x5c; never a NUL; bad escapes kept");
	names_systemd_unescape("system-systemd\\x2dfsck.slice", out, 8);
	is_str(out, "system-", "unescape: cut to the buffer");
	is_int(names_path_uid("/user.slice/user-1000.slice/user@1000.service/x"), 1000, "uid from user@");
	is_int(names_path_uid("/user.slice/user-42.slice/session-1.scope"), 42, "uid from user-N.slice");
	is_int(names_path_uid("/system.slice/user-x.slice"), -1, "no uid");
	ok(names_passwd_home("a:x:1:1::/h/a:/bin/sh\nb:x:1000:1000:B:/home/b:/bin/sh", 48, 1000, home,
			     sizeof(home)) &&
		   !strcmp(home, "/home/b"),
	   "passwd: the home of uid 1000 (last line without a newline)");
	ok(!names_passwd_home("a:x:1000:1::relative:/bin/sh\n", 29, 1000, home, sizeof(home)),
	   "passwd: a relative home is none");
	ok(!names_passwd_home("a:x:1000\n", 9, 1000, home, sizeof(home)), "passwd: a short line is none");
	ok(names_k8s_parse_pod_dir("ns_pod_u", "u", &g) && !strcmp(g.namespace, "ns") &&
		   !strcmp(g.pod, "pod"),
	   "pod dir: namespace and name");
	ok(!names_k8s_parse_pod_dir("ns_pod_v", "u", &g) && !names_k8s_parse_pod_dir("_pod_u", "u", &g) &&
		   !names_k8s_parse_pod_dir("ns__u", "u", &g) && !names_k8s_parse_pod_dir("nspodu", "u", &g),
	   "pod dir: another uid, an empty part, no separators");
	ok(names_k8s_parse_container_log("p_ns_web-a-" CRIC_ID ".log", CRIC_ID, out, sizeof(out)) &&
		   !strcmp(out, "web-a"),
	   "container log link: the name (with '-')");
	ok(!names_k8s_parse_container_log("p_ns_-" CRIC_ID ".log", CRIC_ID, out, sizeof(out)) &&
		   !names_k8s_parse_container_log("p_ns_web-" OTHER_ID ".log", CRIC_ID, out, sizeof(out)) &&
		   !names_k8s_parse_container_log("pns-" CRIC_ID ".log", CRIC_ID, out, sizeof(out)),
	   "container log link: no name, another id, no separators");
	g = (struct group_name){ 0 };
	ok(names_lxc_parse("", "lxc.payload.a_b_c", &g) && names_lxc_split_project(&g) &&
		   !strcmp(g.namespace, "a_b") && !strcmp(g.name, "c") && g.kind == NK_LXC,
	   "LXD: a project with '_', split at the last one");
	g = (struct group_name){ 0 };
	ok(names_lxc_parse("", "lxc.payload._c", &g) && !names_lxc_split_project(&g) &&
		   !strcmp(g.name, "_c") && !g.namespace[0],
	   "LXD: no project before the '_': kept");
	g = (struct group_name){ 0 };
	ok(names_lxc_parse("", "lxc.monitor.c_", &g) && !names_lxc_split_project(&g) &&
		   !strcmp(g.name, "c_") && g.kind == NK_LXC_MONITOR,
	   "LXD: no instance after the '_': kept");
	g = (struct group_name){ 0 };
	ok(!names_lxc_parse("system.slice", "lxc.payloadx", &g) && !names_lxc_parse("", "lxc.payload", &g) &&
		   !names_lxc_parse("x", "lxc.monitor", &g),
	   "LXC: the parents themselves and look-alikes are no container");
	g = (struct group_name){ 0 };
	ok(names_lxc_parse_pattern("lxc", "web", "monitor-3", &g) && g.kind == NK_LXC_MONITOR &&
		   !strcmp(g.name, "web") && !names_lxc_parse_pattern("lxc", "", "payload", &g) &&
		   !names_lxc_parse_pattern("", "web", "payload", &g) &&
		   !names_lxc_parse_pattern("lxc.monitor", "web", "payload", &g),
	   "LXC pattern: the monitor with its suffix; no parent, another grandparent");
	ok(names_is_id(OTHER_ID, 64) && !names_is_id(OTHER_ID, 63) &&
		   !names_is_id("0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", 64),
	   "container ids: 64 lowercase hex digits");
}

/* ---- bad metadata, in a temporary sysroot ---- */

static char tmp[] = "/tmp/cgtop-names-XXXXXX";

static void put(const char *rel, const char *text, size_t len)
{
	char path[1024], cmd[2200];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", tmp, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\" && rm -rf '%s'", path, path);
	if (system(cmd) != 0 || !(f = fopen(path, "w"))) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
	if (len)
		fwrite(text, 1, len, f);
	fclose(f);
}

static void put_s(const char *rel, const char *text)
{
	put(rel, text, strlen(text));
}

static void docker_named(const char *what, const char *want)
{
	struct group_name g;

	ok(names_lookup(tmp, "/docker/" DOCKER_ID, &g) && g.kind == NK_DOCKER && !strcmp(g.name, want),
	   "docker, %s: kind docker, name '%s'", what, want);
	if (strcmp(g.name, want))
		printf("#   got '%s'\n", g.name);
}

static void podman_named(const char *what, const char *want)
{
	struct group_name g;

	ok(names_lookup(tmp, "/machine.slice/libpod-" PODMAN_ID ".scope", &g) && g.kind == NK_PODMAN &&
		   !strcmp(g.name, want),
	   "podman, %s: kind podman, name '%s'", what, want);
	if (strcmp(g.name, want))
		printf("#   got '%s'\n", g.name);
}

static void bad_metadata(void)
{
	static const char cfg[] = "/var/lib/docker/containers/" DOCKER_ID "/config.v2.json";
	static const char list[] = "/var/lib/containers/storage/overlay-containers/containers.json";
	size_t dlen, plen;
	const char *docker = load("names/root/var/lib/docker/containers/" DOCKER_ID "/config.v2.json", &dlen);
	const char *podman = load("names/root/var/lib/containers/storage/overlay-containers/containers.json",
				  &plen);
	char path[4096];

	if (!mkdtemp(tmp)) {
		printf("Bail out! mkdtemp failed\n");
		exit(1);
	}
	docker_named("missing", "50fda3a7aa2e");
	put(cfg, docker, dlen);
	docker_named("the captured file", "web-1");
	size_t end = dlen; /* the file's JSON without the newline after it */
	while (end > 0 && strchr(" \t\r\n", docker[end - 1]))
		end--;
	for (size_t cut = end - 1; cut > 0; cut = cut > 64 ? cut - 61 : cut - 1) {
		struct group_name g;
		put(cfg, docker, cut);
		names_lookup(tmp, "/docker/" DOCKER_ID, &g);
		if (strcmp(g.name, "50fda3a7aa2e") != 0) {
			ok(0, "docker, truncated at %zu of %zu bytes: the short id (got '%s')", cut, dlen,
			   g.name);
			break;
		}
		if (cut <= 3) {
			ok(1, "docker, truncated at every 61st byte and the last 64: the short id");
			break;
		}
	}
	put_s(cfg, "");
	docker_named("empty", "50fda3a7aa2e");
	put_s(cfg, "<html>not json</html>");
	docker_named("not JSON", "50fda3a7aa2e");
	put_s(cfg, "{\"Name\":\"/web-1\"} trailing");
	docker_named("JSON with garbage after it", "50fda3a7aa2e");
	put_s(cfg, "[\"/web-1\"]");
	docker_named("JSON of another shape (an array)", "50fda3a7aa2e");
	put_s(cfg, "{\"Name\":5}");
	docker_named("a number for the name", "50fda3a7aa2e");
	put_s(cfg, "{\"Name\":\"/a\\u0000b\"}");
	docker_named("a NUL in the name", "50fda3a7aa2e");
	put_s(cfg, "{\"Name\":\"/\"}");
	docker_named("an empty name", "50fda3a7aa2e");
	{ /* a name longer than the field: cut, still a name */
		char big[400];
		memset(big, 'n', sizeof(big));
		memcpy(big, "{\"Name\":\"/", 10);
		memcpy(big + sizeof(big) - 2, "\"}", 2);
		put(cfg, big, sizeof(big));
		struct group_name g;
		names_lookup(tmp, "/docker/" DOCKER_ID, &g);
		is_int((long long)strlen(g.name), 255, "docker, a 388-byte name: cut to 255 bytes");
	}
	{ /* over the size cap: a valid file, padded with white space */
		char p2[4096];
		snprintf(p2, sizeof(p2), "%s%s", tmp, cfg);
		put(cfg, docker, dlen);
		ok(truncate(p2, NAMES_META_MAX + 1) == 0, "a config.v2.json of 4 MiB + 1 (sparse)");
		docker_named("over 4 MiB", "50fda3a7aa2e");
		unlink(p2);
		ok(mkfifo(p2, 0600) == 0, "a FIFO in place of config.v2.json");
		alarm(10); /* a stall fails the test */
		docker_named("a FIFO (no stall)", "50fda3a7aa2e");
		alarm(0);
		unlink(p2);
		ok(mkdir(p2, 0700) == 0, "a directory in place of config.v2.json");
		docker_named("a directory", "50fda3a7aa2e");
		rmdir(p2);
	}

	podman_named("missing", "50eac259de6c");
	put(list, podman, plen);
	podman_named("the captured containers.json", "web-2");
	put(list, podman, plen / 2);
	podman_named("truncated", "50eac259de6c");
	put_s(list, "{\"id\":\"" PODMAN_ID "\",\"names\":[\"x\"]}");
	podman_named("an object, not a list", "50eac259de6c");
	put_s(list, "[{\"id\":\"" PODMAN_ID "\",\"names\":[]}]");
	podman_named("no names", "50eac259de6c");
	put_s(list, "[{\"id\":\"" PODMAN_ID "\",\"names\":\"web\"}]");
	podman_named("names not a list", "50eac259de6c");
	put_s(list, "[1,\"x\",null,{\"id\":\"" PODMAN_ID "\",\"names\":[\"web-9\"]}]");
	podman_named("other entries of any type before it", "web-9");

	{ /* podman's pod state: cut inside the pod's object, another pod's id, garbage */
		static const char db[] = "/var/lib/containers/storage/libpod/bolt_state.db";
		size_t blen = 0;
		char bpath[4096];
		snprintf(bpath, sizeof(bpath), "%s/tests/data/names/root%s",
			 getenv("top_srcdir") ?: TOP_SRCDIR, db);
		char *bolt = slurp(bpath, &blen);
		const char *obj = bolt ? memmem(bolt, blen, "{\"id\":\"" POD_ID "\"", 72) : NULL;
		struct group_name g;

		ok(obj != NULL, "the captured bolt_state.db holds the pod's object");
		put(db, bolt, blen);
		ok(names_lookup(tmp, "/libpod_parent/" POD_ID, &g) && !strcmp(g.name, "shop-pod"),
		   "podman pod, the captured state: shop-pod");
		/* cut after the name: the object is still unfinished, so not read */
		put(db, bolt, obj ? (size_t)(obj - bolt) + 100 : 0);
		ok(names_lookup(tmp, "/libpod_parent/" POD_ID, &g) && g.kind == NK_PODMAN_POD &&
			   !strcmp(g.name, "4562cf2d35f7"),
		   "podman pod, state cut inside the object: the short id");
		put_s(db, "{\"id\":\"" POD_ID "\",\"name\":7}{\"id\":\"" POD_ID "\",\"name\":\"p2\"}");
		ok(names_lookup(tmp, "/libpod_parent/" POD_ID, &g) && !strcmp(g.name, "p2"),
		   "podman pod, a bad copy before a good one: the good one");
		put_s(db, "\x01\x02{\"id\":\"" POD_ID "\",\"name\":\"a\\u0000b\"}");
		ok(names_lookup(tmp, "/libpod_parent/" POD_ID, &g) && !strcmp(g.name, "4562cf2d35f7"),
		   "podman pod, a NUL in the name: the short id");
		ok(!names_lookup(tmp, "/elsewhere/" POD_ID, &g),
		   "podman pod, an id the state does not have outside libpod_parent: no name");
		free(bolt);
	}

	/* bad Kubernetes log names and an unreadable pod directory list */
	put("/var/log/pods/weird", "", 0);
	put("/var/log/pods/a_b_c_a8697f49-441d-4d4f-90d2-6d8e1fa3bbe7", "", 0);
	{
		struct group_name g;
		ok(names_lookup(tmp, POD_SLICE, &g) && g.kind == NK_K8S_POD &&
			   !strcmp(g.name, "a8697f49-441d-4d4f-90d2-6d8e1fa3bbe7") && !g.pod[0],
		   "k8s: a log directory with '_' in a part is not the pod's: the uid");
	}
	snprintf(path, sizeof(path), "rm -rf '%s'", tmp);
	if (system(path) != 0)
		printf("# could not remove %s\n", tmp);
}

int main(void)
{
	const char *top = getenv("top_srcdir");

	snprintf(root, sizeof(root), "%s/tests/data/names/root", top && *top ? top : TOP_SRCDIR);
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		check(root, &shapes[i]);
	pure_parsers();
	bad_metadata();
	is_str(names_kind_name(NK_K8S_POD), "k8s_pod", "kind names");
	is_str(names_kind_name(NK_PODMAN_POD), "podman_pod", "kind names");
	is_str(names_kind_name(NK_LXC_MONITOR), "lxc_monitor", "kind names");
	is_str(names_kind_name(_NK_MAX), "", "an unknown kind has no name");
	return tap_done();
}
