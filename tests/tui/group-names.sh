#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# group-names.sh - the dashboard's names of groups: on a captured pure v2 tree
# (tests/golden/dumps/v2.tar.xz) with a docker scope, a Kubernetes QoS slice,
# pod slice and cri-containerd scope added, and the runtimes' metadata of
# tests/data/names/root beside it (--sysroot), `n` shows the names people use
# in the first column (titled Name) and back the paths; the filter matches a
# name that no path holds; the detail view's header names the group; the
# help screen lists `n`; the name column of --columns.  Needs tmux (else skips).
# (host lane: it drives tmux)

. "${top_srcdir:-.}/tests/live/lib.sh"
. "${top_srcdir:-.}/tests/tui/lib.sh"

[ -x "${CGTOP:-}" ] || skip_all "CGTOP is not set to the built cgtop"
tui_have || skip_all "tmux is not installed"
command -v xz >/dev/null || skip_all "xz is not installed"
TMPD=$(mktemp -d /tmp/cgtop-tui-names.XXXXXX) || bail_out "mktemp failed"
trap 'rc=$?; tui_stop; rm -rf "$TMPD"; exit $rc' EXIT
export XDG_CONFIG_HOME=$TMPD/config

root=$TMPD/root
mkdir -p "$root" && tar -xJf "$top_srcdir/tests/golden/dumps/v2.tar.xz" -C "$root" ||
	bail_out "cannot unpack the v2 dump"
cp -a "$top_srcdir/tests/data/names/root/." "$root/" || bail_out "cannot copy the names data"
D=50fda3a7aa2ebc7c5710bba049c28f24e7a4497ef61fac342554ee5d4410fe80
C=9a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9
cg=$root/sys/fs/cgroup
pod=kubepods.slice/kubepods-burstable.slice/kubepods-burstable-poda8697f49_441d_4d4f_90d2_6d8e1fa3bbe7.slice
# new groups get the files of a captured one
for g in system.slice "system.slice/docker-$D.scope" kubepods.slice kubepods.slice/kubepods-burstable.slice \
	"$pod" "$pod/cri-containerd-$C.scope"; do
	mkdir -p "$cg/$g" && find "$cg/demo/a" -maxdepth 1 -type f -exec cp {} "$cg/$g/" \; ||
		bail_out "cannot make $g"
done

tui_start --sysroot "$root" -d 1 --columns tasks,memory # a name column wide enough for whole names
tui_expect 'Control Group' "the dashboard starts on the tree with names (kernel paths first)"
tui_expect "docker-50f" "the docker scope shows by its path's name"
tui_keys n
tui_expect '^ *Name' "n: the first column is titled Name"
tui_expect 'first column: names' "n: the status line says names are shown"
tui_expect 'web-1' "n: the docker scope shows as its container's name"
tui_expect 'web-7d9c8f6b5-abcde' "n: the pod slice shows as its pod's name"
tui_expect 'nginx' "n: the cri-containerd scope shows as its container's name"
tui_expect 'burstable +[0-9]' "n: the QoS slice shows as its class"
tui_expect 'demo' "n: groups without a name keep their own"
tui_keys n
tui_expect 'Control Group' "n again: kernel paths"
tui_wait_gone 'web-1' 5 && pass "n again: no container name" || fail "n again: no container name" "$(tui_screen)"
tui_keys /
tui_type nginx
tui_keys Enter
tui_expect 'cri-con' "filter 'nginx' (a name, in no path): the container's row"
tui_wait_gone 'demo' 5 && pass "filter 'nginx': the other groups are gone" ||
	fail "filter 'nginx': the other groups are gone" "$(tui_screen)"
# the detail view of the container: its name under its path
tui_keys Down Down Down Down Down
sleep 0.3
tui_keys Enter
tui_expect "Group /kubepods.slice/kubepods-burstable" "Enter: the container's detail view"
tui_expect 'Name  nginx  \(containerd, id 9a1b2c3d4e5f, pod web-7d9c8f6b5-abcde, namespace default\)' \
	"the detail header names the container, its pod and namespace"
tui_keys Escape
tui_keys Escape
tui_expect 'demo' "Esc clears the filter"
tui_keys h
tui_expect 'n +names \(unit, container, pod\) or paths' "the help screen lists n"
tui_keys Escape q
is "$(tui_status)" 0 "q: exit status 0"

# the name column (--columns): names beside the paths, no key needed
tui_start --sysroot "$root" -d 1 --columns tasks,name
tui_expect 'Tasks +Name' "--columns tasks,name: a Name column"
tui_expect 'docker-50f.* web-1' "the docker scope's row shows its container's name"
tui_expect 'demo .* demo' "a group without a name shows its own"
tui_keys q
done_testing
