#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# runtimes.sh - group names of real container runtimes under real systemd, in
# the test VM where the host's systemd is PID 1 on pure cgroup v2
# (tests/vm/vm-systemd.test): the layouts a systemd host has, which the hybrid
# development host (no systemd, cgroupfs drivers; tests/live/names.sh) cannot
# make.
#  - docker.io's dockerd with the systemd cgroup driver: a container's group
#    is /system.slice/docker-<id>.scope; cgtop's batch JSON gives its name,
#    kind docker, id and unit (an OOM kill naming its container is
#    tests/live/names.sh's, on the host: the same lookup by group);
#  - rootful podman with the systemd cgroup manager: a container's group is
#    /machine.slice/libpod-<id>.scope (name, kind podman, id), and a pod's is
#    /machine.slice/machine-libpod_pod_<pod id>.slice (the pod's name, kind
#    podman_pod) with its container's scope inside (the container's name and
#    its pod; podman 4.3 makes that slice only for a pod with an infra
#    container, whose image cannot be had here: the container is given it).
# Both use the vfs storage driver: the guest's / is an overlay on 9p, where
# overlayfs cannot stack and fuse is not loaded.  Nothing is pulled: the
# image is a busybox-static tree imported locally.
# Only inside the systemd test VM; skips elsewhere, and per runtime when it is
# not installed.
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")/../live" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

in_vm || skip_all "only in the systemd test VM (tests/vm/vm-systemd.test)"
[ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] || skip_all "systemd is not PID 1 here"
[ "$(id -u)" = 0 ] || skip_all "not root"
[ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ] || skip_all "not a pure cgroup v2 host"
command -v python3 >/dev/null || skip_all "python3 is not installed"
[ -x /bin/busybox ] || skip_all "busybox-static is not installed (the containers' rootfs)"
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"

D=$(mktemp -d /run/cgtop-runtimes.XXXXXX) || bail_out "mktemp failed"
CG_TMP=$D # where lib.sh's nap keeps its FIFO
DOCKERD_PID=
export DOCKER_HOST=unix://$D/docker.sock
IMG=busybox-local:1 PIMG=localhost/busybox-local:1
# the driver in a storage.conf of the test's own, not --storage-driver: podman
# refuses a flag that differs from what its state database recorded
export CONTAINERS_STORAGE_CONF=$D/storage.conf
printf '[storage]\ndriver = "vfs"\nrunroot = "/run/containers/storage"\ngraphroot = "/var/lib/containers/storage"\n' \
	>"$CONTAINERS_STORAGE_CONF"
PODMAN=(podman --cgroup-manager systemd --runtime runc)
RUNFLAGS=(--network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

# (the VM is thrown away after the test, with its containers: removing them
# one by one would only cost minutes of an emulated CPU)
cleanup()
{
	[ -n "$DOCKERD_PID" ] && kill -TERM "$DOCKERD_PID" 2>/dev/null
	rm -rf "$D"
}
trap cleanup EXIT

mkdir -p "$D/rootfs/bin" "$D/rootfs/proc" "$D/rootfs/sys" "$D/rootfs/dev" "$D/rootfs/tmp" "$D/rootfs/etc"
cp /bin/busybox "$D/rootfs/bin/"
for a in sh sleep head tail; do
	ln -s busybox "$D/rootfs/bin/$a"
done
tar -C "$D/rootfs" -cf "$D/rootfs.tar" . || bail_out "cannot make the rootfs tar"

# ---- docker, systemd cgroup driver --------------------------------------------------------
docker_test()
{
	local id out i

	command -v dockerd >/dev/null || { skip "docker" "docker.io is not installed (dockerd)"; return; }
	dockerd --exec-opt native.cgroupdriver=systemd --storage-driver vfs --iptables=false \
		--ip-masq=false --bridge=none -H "$DOCKER_HOST" --pidfile "$D/docker.pid" \
		>"$D/dockerd.log" 2>&1 &
	DOCKERD_PID=$!
	for i in $(seq 600); do
		docker info >/dev/null 2>&1 && break
		kill -0 "$DOCKERD_PID" 2>/dev/null || break
		nap 0.1
	done
	if ! docker info >/dev/null 2>&1; then
		fail "dockerd starts" "$(tail -5 "$D/dockerd.log")"
		return
	fi
	docker import --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' "$D/rootfs.tar" "$IMG" \
		>/dev/null 2>"$D/err" || { fail "docker import" "$(cat "$D/err")"; return; }
	id=$(docker run -d --name cgt-web --network none "$IMG" sleep 600 2>"$D/err") ||
		{ fail "docker run" "$(cat "$D/err")"; return; }
	ok "the container's group is /system.slice/docker-<id>.scope" test -d "/sys/fs/cgroup/system.slice/docker-$id.scope"
	"$CGTOP" -b -n 1 --format json /system.slice >"$D/d.json" 2>"$D/err"
	is "$? $(cat "$D/err")" "0 " "cgtop -b on /system.slice"
	out=$(json_group "$D/d.json" "/docker-$id.scope" name,kind,container_id,unit 2>&1)
	is "$out" "cgt-web docker $id docker-$id.scope" "batch JSON: the container's name, kind, id and unit"
}

# ---- podman, systemd cgroup manager: a container and a pod ---------------------------------
podman_test()
{
	local id pod cid out

	command -v podman >/dev/null || { skip "podman" "podman is not installed"; return; }
	command -v runc >/dev/null || { skip "podman" "runc is not installed"; return; }
	"${PODMAN[@]}" import --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' "$D/rootfs.tar" "$PIMG" \
		>/dev/null 2>"$D/err" || { fail "podman import" "$(cat "$D/err")"; return; }
	id=$("${PODMAN[@]}" run -d --name cgt-pweb "${RUNFLAGS[@]}" "$PIMG" sleep 600 2>"$D/err") ||
		{ fail "podman run" "$(cat "$D/err")"; return; }
	ok "the container's group is /machine.slice/libpod-<id>.scope" \
		test -d "/sys/fs/cgroup/machine.slice/libpod-$id.scope"
	# podman 4.3 makes the pod's slice for its infra container, whose pause
	# image it cannot build here (no catatonit image, nothing pulled), and a
	# pod without infra gets none (its container went to machine.slice): the
	# container is given the slice an infra pod has,
	# machine-libpod_pod_<pod id>.slice (libpod/runtime_pod_linux.go)
	pod=$("${PODMAN[@]}" pod create --infra=false --name cgt-shop 2>"$D/err") ||
		{ fail "podman pod create" "$(cat "$D/err")"; return; }
	cid=$("${PODMAN[@]}" run -d --pod cgt-shop --name cgt-shopc --cgroup-parent "machine-libpod_pod_$pod.slice" \
		"${RUNFLAGS[@]}" "$PIMG" sleep 600 2>"$D/err") ||
		{ fail "podman run --pod" "$(cat "$D/err")"; return; }
	local slice=/machine.slice/machine-libpod_pod_$pod.slice
	ok "the pod's group is $slice, its container's scope inside" \
		test -d "/sys/fs/cgroup$slice/libpod-$cid.scope"
	[ -d "/sys/fs/cgroup$slice/libpod-$cid.scope" ] ||
		diag "the container's group: $(cat "/proc/$("${PODMAN[@]}" inspect --format '{{.State.Pid}}' cgt-shopc)/cgroup")"
	"$CGTOP" -b -n 1 --format json /machine.slice >"$D/p.json" 2>"$D/err"
	is "$? $(cat "$D/err")" "0 " "cgtop -b on /machine.slice"
	out=$(json_group "$D/p.json" "/machine.slice/libpod-$id.scope" 2>&1)
	is "$out" "cgt-pweb podman $id" "batch JSON: the podman container's name, kind and id"
	out=$(json_group "$D/p.json" "$slice" name,kind,pod 2>&1)
	is "$out" "cgt-shop podman_pod cgt-shop" "batch JSON: the pod's slice has the pod's name, kind podman_pod"
	out=$(json_group "$D/p.json" "$slice/libpod-$cid.scope" name,kind,container_id,pod 2>&1)
	is "$out" "cgt-shopc podman $cid cgt-shop" "batch JSON: the pod's container, named, with its pod"
}

t=$EPOCHSECONDS
docker_test
diag "docker: $((EPOCHSECONDS - t)) s"
t=$EPOCHSECONDS
podman_test
diag "podman: $((EPOCHSECONDS - t)) s"
done_testing
