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
#    container, whose image cannot be had here: the container is given it);
#  - rootless podman of a lingering user (loginctl enable-linger), systemd
#    cgroup manager: the container's group is
#    /user.slice/user-UID.slice/user@UID.service/user.slice/libpod-<id>.scope,
#    named from the user's own storage (name, kind podman, id).
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

# The runtimes' state on tmpfs of the guest's own: the guest's / is an overlay
# whose lower layer is the host's / over 9p, and the host's tests/live/names.sh,
# which may run at the same time, starts a dockerd and a podman of its own on
# the host's /var/lib/docker and /var/lib/containers.  Their files appearing and
# going under the overlay broke this dockerd twice ("rename /var/lib/docker/runtimes
# /var/lib/docker/runtimes-old: invalid cross-device link" at its start, "failed to
# start shim: mkdir /var/lib/docker/containerd/daemon/...: no such file or
# directory" at a run).  The paths stay the default ones, which cgtop reads.
for d in /var/lib/docker /var/lib/containers; do
	mkdir -p "$d" && mount -t tmpfs -o mode=0711 cgt-runtimes "$d" ||
		bail_out "cannot mount a tmpfs on $d"
done
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

# ---- rootless podman: a lingering user's user@UID.service ---------------------------------
# A user with lingering gets user@UID.service from logind at once, no login
# needed; rootless podman with the systemd cgroup manager asks that user's
# systemd, over the user's bus (dbus-user-session), for a scope:
# /user.slice/user-UID.slice/user@UID.service/user.slice/libpod-<id>.scope.
# cgtop takes the uid from user@UID.service, the home from /etc/passwd and the
# name from ~/.local/share/containers/storage (vfs here, as above).  The
# guest's set-up masks the system bus and logind (tests/vm/guest-systemd.sh):
# they are unmasked for this; should logind still not start, user@UID.service
# is started as logind starts it for a lingering user, and the test says so.
# The user has no /etc/subuid range: podman maps the one uid (the image's
# files are all root's), with no setuid newuidmap in the way.
rootless_test()
{
	local u=cgt-rootless uid gid home id out i how scope log

	command -v podman >/dev/null || { skip "rootless podman" "podman is not installed"; return; }
	command -v runc >/dev/null || { skip "rootless podman" "runc is not installed"; return; }
	command -v setpriv >/dev/null || { skip "rootless podman" "setpriv (util-linux) is not installed"; return; }
	[ -e /usr/lib/systemd/user/dbus.socket ] || {
		skip "rootless podman" "dbus-user-session is not installed: rootless podman's systemd cgroup manager needs the user's bus"
		return
	}
	useradd -m -s /bin/sh "$u" 2>"$D/err" || { fail "useradd $u" "$(cat "$D/err")"; return; }
	uid=$(id -u "$u") gid=$(id -g "$u") home=$(getent passwd "$u" | cut -d: -f6)
	sed -i "/^$u:/d" /etc/subuid /etc/subgid 2>/dev/null
	systemctl unmask dbus.socket dbus.service systemd-logind.service >/dev/null 2>&1
	systemctl daemon-reload
	if systemctl start dbus.socket systemd-logind.service 2>"$D/err" && loginctl enable-linger "$u" 2>>"$D/err"; then
		how="loginctl enable-linger $u"
	else
		diag "logind: $(tr '\n' ' ' <"$D/err")"
		how="systemctl start user@$uid.service (logind did not start)"
		systemctl --no-block start "user@$uid.service"
	fi
	for i in $(seq 1200); do
		[ "$(systemctl is-active "user@$uid.service")" = active ] && [ -S "/run/user/$uid/bus" ] && break
		nap 0.1
	done
	ok "$how: user@$uid.service runs, with the user's bus" \
		test -S "/run/user/$uid/bus" -a "$(systemctl is-active "user@$uid.service")" = active
	[ -S "/run/user/$uid/bus" ] || { diag "$(systemctl status "user@$uid.service" 2>&1 | tail -5)"; return; }
	mkdir -p "$home/.config/containers"
	printf '[storage]\ndriver = "vfs"\n' >"$home/.config/containers/storage.conf"
	cp "$D/rootfs.tar" "$home/"
	chown -R "$uid:$gid" "$home"
	# the user's own environment, without PAM (a login session would move
	# this process out of the test's group)
	as_user()
	{
		(cd "$home" && setpriv --reuid "$uid" --regid "$gid" --init-groups env -i HOME="$home" \
			USER="$u" LOGNAME="$u" PATH=/usr/sbin:/usr/bin:/sbin:/bin XDG_RUNTIME_DIR="/run/user/$uid" \
			DBUS_SESSION_BUS_ADDRESS="unix:path=/run/user/$uid/bus" "$@")
	}
	log=$D/rootless.err
	as_user podman --cgroup-manager systemd --runtime runc import --change 'ENV PATH=/bin' \
		--change 'CMD ["/bin/sh"]' "$home/rootfs.tar" "$PIMG" >/dev/null 2>"$log" ||
		{ fail "rootless podman import" "$(tail -5 "$log")"; return; }
	id=$(as_user podman --cgroup-manager systemd --runtime runc run -d --name cgt-rl "${RUNFLAGS[@]}" \
		"$PIMG" sleep 600 2>"$log") || { fail "rootless podman run" "$(tail -5 "$log")"; return; }
	scope=/user.slice/user-$uid.slice/user@$uid.service/user.slice/libpod-$id.scope
	ok "the rootless container's group is $scope" test -d "/sys/fs/cgroup$scope"
	[ -d "/sys/fs/cgroup$scope" ] ||
		diag "its group: $(cat "/proc/$(as_user podman inspect --format '{{.State.Pid}}' cgt-rl)/cgroup" 2>&1)"
	"$CGTOP" -b -n 1 --format json "/user.slice/user-$uid.slice" >"$D/r.json" 2>"$D/err"
	is "$? $(cat "$D/err")" "0 " "cgtop -b on /user.slice/user-$uid.slice"
	out=$(json_group "$D/r.json" "$scope" 2>&1)
	is "$out" "cgt-rl podman $id" "batch JSON: the rootless container's name (from the user's storage), kind podman, id"
	out=$(json_group "$D/r.json" "/user.slice/user-$uid.slice/user@$uid.service" name,kind,unit 2>&1)
	is "$out" "user@$uid.service service user@$uid.service" "the user's manager: a service by its unit name"
}

t=$EPOCHSECONDS
docker_test
diag "docker: $((EPOCHSECONDS - t)) s"
t=$EPOCHSECONDS
podman_test
diag "podman: $((EPOCHSECONDS - t)) s"
t=$EPOCHSECONDS
rootless_test
diag "rootless podman: $((EPOCHSECONDS - t)) s"
done_testing
