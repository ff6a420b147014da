#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# names.sh - live test of the names of groups (src/names) with real container runtimes from
# Debian: dockerd (docker.io, cgroupfs driver) and rootful podman (runc), each running a
# container from a busybox-static tree imported locally (docker import / podman import;
# nothing is pulled), under the test's own group.  cgtop must give the container's name,
# kind and id in batch JSON (strict: no duplicate keys) and as Prometheus labels (promtool),
# a recording (--record) of the docker container replays its name after `docker rm`,
# and an OOM kill inside a docker or podman container must name the container in --events JSON; a podman
# pod's group has the pod's name and kind podman_pod, its container its name and pod; the
# launcher's --report names a group it made as a unit (--name X.scope).
# A runtime that is not installed, or whose daemon already runs here (its files would be
# shared), is skipped with the reason.  Everything is removed by the trap: containers,
# images, the daemon, and the groups the runtimes made (in every hierarchy).
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

command -v python3 >/dev/null || skip_all "python3 is not installed"
[ -x /bin/busybox ] || skip_all "busybox-static is not installed (the containers' rootfs)"
cg_init
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"

cg_create "$CG_TEST" all || bail_out "cannot create $CG_TEST"
TAG=cgtop-names-$$
DOCKERD_PID= DOCKER_SOCK=$CG_TMP/docker.sock VARLIB_MADE= RUN_MADE= EV_PID=
DOCKER_IMG=busybox-local-$$:1 PODMAN_IMG=localhost/busybox-local-$$:1 PODMAN_USED= PODMAN_IMPORTED=

# what the runtimes made below the test group, bottom-up in every hierarchy (runtimes never
# remove the --cgroup-parent they were given; podman leaves its conmon group)
runtime_groups_rm()
{
	local i d

	for ((i = 0; i < CG_NH; i++)); do
		_cg_dirv "$i" "$CG_TEST"
		[ -d "$CG_DIR" ] || continue
		while IFS= read -r d; do
			[ "$d" = "$CG_DIR" ] && continue
			cg_is_ours "$CG_DIR" || continue
			for p in $(cat "$d/cgroup.procs" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
			_cg_rmdir "$d" || diag "cannot remove $d"
		done < <(find "$CG_DIR" -depth -mindepth 1 -type d 2>/dev/null)
	done
}

names_cleanup()
{
	[ -n "$EV_PID" ] && kill "$EV_PID" 2>/dev/null
	if [ -n "$DOCKERD_PID" ]; then
		docker -H "unix://$DOCKER_SOCK" rm -f "$TAG-web" "$TAG-oom" >/dev/null 2>&1
		docker -H "unix://$DOCKER_SOCK" rmi "$DOCKER_IMG" >/dev/null 2>&1
		kill -TERM "$DOCKERD_PID" 2>/dev/null
		for _ in $(seq 100); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$DOCKERD_PID" 2>/dev/null
		wait "$DOCKERD_PID" 2>/dev/null
		[ -n "$VARLIB_MADE" ] && ! grep -q ' /var/lib/docker' /proc/mounts && rm -rf /var/lib/docker
		[ -n "$RUN_MADE" ] && ! grep -q ' /run/docker' /proc/mounts && rm -rf /run/docker
	fi
	if [ -n "$PODMAN_USED" ]; then
		podman rm -f -t 0 "$TAG-pod" "$TAG-ppc" "$TAG-poom" >/dev/null 2>&1
		podman pod rm -f "$TAG-pp" >/dev/null 2>&1
		podman rmi "$PODMAN_IMG" >/dev/null 2>&1
	fi
	runtime_groups_rm
	cg_cleanup "$@"
}
trap 'names_cleanup EXIT' EXIT
trap 'names_cleanup INT' INT
trap 'names_cleanup TERM' TERM

# the image: busybox-static and the applets the containers run
mkdir -p "$CG_TMP/rootfs/bin" "$CG_TMP/rootfs/proc" "$CG_TMP/rootfs/sys" "$CG_TMP/rootfs/dev" \
	"$CG_TMP/rootfs/tmp" "$CG_TMP/rootfs/etc"
cp /bin/busybox "$CG_TMP/rootfs/bin/"
for a in sh sleep head tail; do
	ln -s busybox "$CG_TMP/rootfs/bin/$a"
done
tar -C "$CG_TMP/rootfs" -cf "$CG_TMP/rootfs.tar" . || bail_out "cannot make the rootfs tar"

# group_exists PATH: the group is in the memory hierarchy
group_exists()
{
	_cg_dirv "$(cg_hier_of memory)" "$1"
	[ -d "$CG_DIR" ]
}

# what a container runs to be OOM-killed under a 32M limit without swap
OOM_CMD='head -c 200m /dev/zero | tail >/dev/null; sleep 30'

# events_start [INTERVAL] / events_stop: cgtop --events on the test's groups into $CG_TMP/ev.json
events_start()
{
	"$CGTOP" --events --format json -d "${1:-0.5}" "$CG_TEST" >"$CG_TMP/ev.json" 2>"$CG_TMP/ev.err" &
	EV_PID=$!
	nap 1
}
events_stop()
{
	kill "$EV_PID" 2>/dev/null
	wait "$EV_PID" 2>/dev/null
	EV_PID=
}

# oom_named ID WANT DESC: the oom_kill event of container ID (its group's path ends in
# it) has group_name, kind and container_id WANT
oom_named()
{
	local i line out

	for i in $(seq 150); do
		grep -q "\"oom_kill\".*$1" "$CG_TMP/ev.json" && break
		nap 0.1
	done
	line=$(grep "\"kind\":\"oom_kill\"" "$CG_TMP/ev.json" | grep "$1" | head -n 1)
	printf '%s\n' "$line" >"$CG_TMP/ev1.json"
	out=$(json_group "$CG_TMP/ev1.json" "$1" 2>&1)
	if [ "$out" = "$2" ]; then
		pass "$3"
	else
		fail "$3" "got:      '$out'" "expected: '$2'" \
			"OOM kills seen: $(grep oom_kill "$CG_TMP/ev.json" | cut -c1-600 | head -n 2)" \
			"cgtop's stderr: $(cat "$CG_TMP/ev.err")"
	fi
}

# ---- docker ----------------------------------------------------------------
docker_test()
{
	local id out i line P=$CG_TEST/rt-docker

	command -v dockerd >/dev/null || { skip "docker" "docker.io is not installed (dockerd)"; return; }
	if pid=$(pgrep -x dockerd | head -n 1) && [ -n "$pid" ]; then
		skip "docker" "a dockerd already runs here (pid $pid): the test starts its own on /var/lib/docker"
		return
	fi
	[ -e /var/lib/docker ] || VARLIB_MADE=1
	[ -e /run/docker ] || RUN_MADE=1
	# default data root and exec root (cgtop reads /var/lib/docker), a socket of our own
	dockerd --cgroup-parent="$P" --exec-opt native.cgroupdriver=cgroupfs --iptables=false \
		--ip-masq=false --bridge=none -H "unix://$DOCKER_SOCK" --pidfile "$CG_TMP/docker.pid" \
		>"$CG_TMP/dockerd.log" 2>&1 &
	DOCKERD_PID=$!
	export DOCKER_HOST=unix://$DOCKER_SOCK
	for i in $(seq 300); do
		docker info >/dev/null 2>&1 && break
		kill -0 "$DOCKERD_PID" 2>/dev/null || break
		nap 0.1
	done
	if ! docker info >/dev/null 2>&1; then
		fail "dockerd starts" "$(tail -5 "$CG_TMP/dockerd.log")"
		return
	fi
	docker import --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' "$CG_TMP/rootfs.tar" "$DOCKER_IMG" \
		>/dev/null || { fail "docker import"; return; }
	id=$(docker run -d --name "$TAG-web" --network none "$DOCKER_IMG" sleep 600) ||
		{ fail "docker run"; return; }
	ok "docker made the container's group below the test's own: $P/$id" \
		group_exists "$P/$id"
	"$CGTOP" -b -n 1 --format json "$CG_TEST" >"$CG_TMP/d.json" 2>"$CG_TMP/err"
	out=$(json_group "$CG_TMP/d.json" "/$id" 2>&1)
	is "$out" "$TAG-web docker $id" "batch JSON: the docker container's name, kind and id"
	"$CGTOP" -b -n 1 --format prometheus "$CG_TEST" >"$CG_TMP/d.prom" 2>>"$CG_TMP/err"
	ok "Prometheus: a sample labelled with the container's name and kind" \
		grep -q "^cgtop_tasks{cgroup=\"$P/$id\",name=\"$TAG-web\",kind=\"docker\"} 1$" "$CG_TMP/d.prom"
	if command -v promtool >/dev/null; then
		out=$(promtool check metrics <"$CG_TMP/d.prom" 2>&1)
		is "$?" 0 "promtool check metrics with the name labels"
		[ -z "$out" ] || diag "$out"
	else
		skip "promtool" "prometheus is not installed"
	fi

	# a recording keeps the name: recorded while the container runs, replayed
	# after `docker rm` took its metadata away (a replay looks nothing up)
	"$CGTOP" --record "$CG_TMP/rec.db" -d 0.2 -n 2 "$CG_TEST" 2>>"$CG_TMP/err" ||
		fail "--record of the docker container"
	docker rm -f "$TAG-web" >/dev/null 2>&1 || fail "docker rm -f $TAG-web"
	ok "docker rm took the container's metadata away" test ! -e "/var/lib/docker/containers/$id"
	"$CGTOP" -b --replay "$CG_TMP/rec.db" -n 1 --format json >"$CG_TMP/r.json" 2>>"$CG_TMP/err"
	out=$(json_group "$CG_TMP/r.json" "/$id" 2>&1)
	is "$out" "$TAG-web docker $id" "replayed JSON after docker rm: the recorded name, kind and id"
	"$CGTOP" -b --replay "$CG_TMP/rec.db" -n 1 --columns name >"$CG_TMP/r.txt" 2>>"$CG_TMP/err"
	out=$(awk -v p="$P/$id" '$1 == p { print $2 }' "$CG_TMP/r.txt")
	is "$out" "$TAG-web" "replayed text after docker rm: the Name column"

	# an OOM kill in a container: --events names the container
	if [ -r /dev/kmsg ]; then
		events_start
		id=$(docker run -d --name "$TAG-oom" --network none --memory 32m --memory-swap 32m \
			"$DOCKER_IMG" sh -c "$OOM_CMD") || { fail "docker run (OOM)"; events_stop; return; }
		oom_named "$id" "$TAG-oom docker $id" "--events: the OOM kill in the container names it (group_name)"
		events_stop
	else
		skip "--events in a container" "no /dev/kmsg"
	fi
}

# ---- podman (rootful; crun fails on hybrid hierarchies, runc runs) --------------------------
podman_test()
{
	local id out P=$CG_TEST/rt-podman

	command -v podman >/dev/null || { skip "podman" "podman is not installed"; return; }
	command -v runc >/dev/null || { skip "podman" "runc is not installed (crun refuses hybrid cgroups)"; return; }
	PODMAN_USED=1
	podman import --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' "$CG_TMP/rootfs.tar" "$PODMAN_IMG" \
		>/dev/null 2>"$CG_TMP/podman.err" || { fail "podman import" "$(cat "$CG_TMP/podman.err")"; return; }
	# root here cannot raise nofile past 20000 (no CAP_SYS_RESOURCE): podman's default fails
	id=$(podman --runtime runc run -d --name "$TAG-pod" --cgroup-manager cgroupfs --cgroup-parent "$P" \
		--network none --log-driver k8s-file --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
		"$PODMAN_IMG" sleep 600 2>"$CG_TMP/podman.err") ||
		{ fail "podman run" "$(cat "$CG_TMP/podman.err")"; return; }
	ok "podman made the container's group below the test's own: $P/libpod-$id" \
		group_exists "$P/libpod-$id"
	"$CGTOP" -b -n 1 --format json "$CG_TEST" >"$CG_TMP/p.json" 2>"$CG_TMP/err"
	out=$(json_group "$CG_TMP/p.json" "/libpod-$id" 2>&1)
	is "$out" "$TAG-pod podman $id" "batch JSON: the podman container's name, kind and id"
	out=$(json_group "$CG_TMP/p.json" "/rt-podman/conmon" 2>&1)
	is "$out" "" "podman's conmon group has no name"
	PODMAN_IMPORTED=1

	# an OOM kill in a podman container: --events names it too.  Its init dies with the
	# kill, so the group may be gone before cgtop's next sample sees it; at -d 5 it is
	# never in cgtop's tree, and is named from podman's files by its path.  Run from
	# $CG_TMP: conmon writes a file "oom" into the directory it was started from when its
	# container is OOM-killed.
	if [ -r /dev/kmsg ]; then
		events_start 5
		id=$(cd "$CG_TMP" && podman --runtime runc run -d --name "$TAG-poom" --cgroup-manager cgroupfs \
			--cgroup-parent "$P" --network none --log-driver k8s-file --ulimit nofile=1024:1024 \
			--ulimit nproc=1024:1024 --memory 32m --memory-swap 32m "$PODMAN_IMG" sh -c "$OOM_CMD" \
			2>"$CG_TMP/podman.err") ||
			{ fail "podman run (OOM)" "$(cat "$CG_TMP/podman.err")"; events_stop; return; }
		oom_named "libpod-$id" "$TAG-poom podman $id" \
			"--events: the OOM kill in the podman container names it (group_name)"
		events_stop
	else
		skip "--events in a podman container" "no /dev/kmsg"
	fi
}

# ---- a podman pod (rootful, cgroupfs) ---------------------------------------------------------
# podman 4.3.1 ignores `pod create --cgroup-parent` for a pod without an infra container: its
# container and conmon went to /libpod_parent at the root of every hierarchy (seen in the v1
# test VM), and an infra pod cannot be made here (its pause image is built with catatonit, not
# installed, or pulled).  So the pod has no infra and its container is given the group podman's
# cgroupfs manager gives a pod's containers, <parent>/<pod id> (libpod/runtime_pod_linux.go,
# runtime_ctr.go); in the VM, `pod create --infra=false` made no group and the container and its
# conmon stayed below that parent.
podman_pod_test()
{
	local pod id out P=$CG_TEST/rt-pod

	[ -n "$PODMAN_IMPORTED" ] || { skip "podman pod" "the podman container test did not run"; return; }
	pod=$(podman --cgroup-manager cgroupfs pod create --infra=false --name "$TAG-pp" 2>"$CG_TMP/podman.err") ||
		{ fail "podman pod create" "$(cat "$CG_TMP/podman.err")"; return; }
	id=$(podman --runtime runc run -d --pod "$TAG-pp" --name "$TAG-ppc" --cgroup-manager cgroupfs \
		--cgroup-parent "$P/$pod" --network none --log-driver k8s-file --ulimit nofile=1024:1024 \
		--ulimit nproc=1024:1024 "$PODMAN_IMG" sleep 600 2>"$CG_TMP/podman.err") ||
		{ fail "podman run --pod" "$(cat "$CG_TMP/podman.err")"; return; }
	ok "the pod's container is in its group below the test's own: $P/$pod/libpod-$id" \
		group_exists "$P/$pod/libpod-$id"
	"$CGTOP" -b -n 1 --format json "$CG_TEST" >"$CG_TMP/pp.json" 2>>"$CG_TMP/err"
	out=$(json_group "$CG_TMP/pp.json" "/rt-pod/$pod" name,kind,pod 2>&1)
	is "$out" "$TAG-pp podman_pod $TAG-pp" "batch JSON: the pod's group has the pod's name, kind podman_pod"
	out=$(json_group "$CG_TMP/pp.json" "/$pod/libpod-$id" name,kind,container_id,pod 2>&1)
	is "$out" "$TAG-ppc podman $id $TAG-pp" "batch JSON: the pod's container, named, with its pod"
}

# ---- the launcher's report names the group it made --------------------------------------
launch_test()
{
	local out

	"$CGTOP" --launch --parent "$CG_TEST" --name "$TAG.scope" --report "$CG_TMP/report.json" true \
		>/dev/null 2>"$CG_TMP/launch.err" || { fail "--launch --name $TAG.scope" "$(cat "$CG_TMP/launch.err")"; return; }
	out=$(python3 -c 'import json, sys; g = json.load(open(sys.argv[1])).get("group_name") or {}
print(g.get("name"), g.get("kind"), g.get("unit"))' "$CG_TMP/report.json" 2>&1)
	is "$out" "$TAG.scope scope $TAG.scope" "--launch --report: the group's name and kind (a scope)"
}

launch_test
docker_test
podman_test
podman_pod_test
is "$(cat "$CG_TMP/err" 2>/dev/null)" "" "cgtop wrote nothing on stderr"
done_testing
