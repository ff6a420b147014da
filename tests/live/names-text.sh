#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# names-text.sh - names where no tree is watched live: the text table's name
# column (off by default, left-aligned, escaped) on a captured v2 tree with a
# docker scope, a podman pod slice and a container in it, a systemd-nspawn
# machine and an LXC container added, and the runtimes' metadata of
# tests/data/names/root beside it (--sysroot); and `--events --kmsg-file`
# JSON naming a captured OOM kill's group (group_name) from its path alone,
# under --sysroot, the nearest named ancestor when the group itself has no name.
# test-lane: free (a captured tree and a captured log; no groups, no kmsg)
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
top_srcdir=${top_srcdir:-$(cd "$LIVE_DIR/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
CGTOP=${CGTOP:-$top_builddir/cgtop}
command -v jq >/dev/null || skip_all "jq is not installed"
command -v xz >/dev/null || skip_all "xz is not installed"
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"

TMP=$(mktemp -d /tmp/cgtop-names-text.XXXXXX) || bail_out "mktemp failed"
trap '[ -n "${KEEP:-}" ] || rm -rf "$TMP"' EXIT

root=$TMP/root
mkdir -p "$root" && tar -xJf "$top_srcdir/tests/golden/dumps/v2.tar.xz" -C "$root" ||
	bail_out "cannot unpack the v2 dump"
cp -a "$top_srcdir/tests/data/names/root/." "$root/" || bail_out "cannot copy the names data"
D=50fda3a7aa2ebc7c5710bba049c28f24e7a4497ef61fac342554ee5d4410fe80
P=50eac259de6ce437bf0c7719de5c7087b5ebaf512914d8db77e8a8e6e56705fc
POD=4562cf2d35f7fc72258ae973cda3cc7f5ddc9e1c69349fc4794050d96a4429f1
cg=$root/sys/fs/cgroup
podslice=machine.slice/machine-libpod_pod_$POD.slice
for g in system.slice "system.slice/docker-$D.scope" machine.slice "$podslice" "$podslice/libpod-$P.scope" \
	'machine.slice/machine-debian\x2dbuild.scope' lxc.payload.web; do
	mkdir -p "$cg/$g" && find "$cg/demo/a" -maxdepth 1 -type f -exec cp {} "$cg/$g/" \; ||
		bail_out "cannot make $g"
done

# a name as text: the row of path $1, its Name cell (the columns after the path)
out=$("$CGTOP" --sysroot "$root" --batch -n1 --header --columns tasks,name 2>"$TMP/err")
is "$?" 0 "--columns tasks,name runs"
# (blanks in a name are escaped, so a name is one field, the last)
row() { awk -v p="$1" '$1 == p { print $NF; exit }' <<<"$out"; }
ok "the header: Name after Tasks, left-aligned" grep -Eq '^Control Group +Tasks Name' <<<"$out"
is "$(row "/system.slice/docker-$D.scope")" "web-1" "docker scope: its container's name"
is "$(row "/$podslice")" "shop-pod" "podman pod slice: the pod's name (captured state)"
is "$(row "/$podslice/libpod-$P.scope")" "web-2" "a container in the pod: its name"
is "$(row '/machine.slice/machine-debian\\\\x2dbuild.scope')" "debian-build" "nspawn machine: unescaped"
is "$(row /lxc.payload.web)" "web" "LXC container: its name"
is "$(row /demo)" "demo" "a group with no name: its last component"
is "$(row /system.slice)" "system.slice" "a slice: its unit name"
# left-aligned: the Name cell starts at the same column in every row
is "$(awk 'NR == 1 { p = index($0, "Name"); next }
	substr($0, p - 1, 1) != " " || substr($0, p, 1) == " " { bad++ } END { print bad + 0 }' <<<"$out")" 0 \
	"every name starts under the title"
out=$("$CGTOP" --sysroot "$root" --batch -n1 --header 2>/dev/null)
ok "the name column is off by default" grep -vq 'Name' <<<"$(head -1 <<<"$out")"
# a container's name is what its runtime stored: escaped, one row, one cell
cfg=$root/var/lib/docker/containers/$D/config.v2.json
jq -c '.Name = "/evil\u001b[2J name\nrow"' "$cfg" >"$TMP/c" && cp "$TMP/c" "$cfg" || bail_out "cannot edit $cfg"
out=$("$CGTOP" --sysroot "$root" --batch -n1 --columns name 2>/dev/null)
is "$(row "/system.slice/docker-$D.scope")" 'evil\x1b[2J\x20name\x0arow' "a name with ESC, blank, newline: escaped"
ok "no escape byte reaches the output" test "$(grep -c $'\e' <<<"$out")" = 0
cp "$top_srcdir/tests/data/names/root/var/lib/docker/containers/$D/config.v2.json" "$cfg"

# --events --kmsg-file: a captured OOM kill moved into the docker scope and into
# a group below the pod's container (no name of its own: the container's)
log=$top_srcdir/tests/data/kmsg/host-hybrid-6.18/dmesg.txt
own=/process_api/ea404f400432f361361844bb5d14c59d/kmsgcap-19914/oom32
sed -n 80,83p "$log" | sed "s|$own|/system.slice/docker-$D.scope|g" >"$TMP/k1"
sed -n 80,83p "$log" | sed "s|$own|/$podslice/libpod-$P.scope/app|g" >"$TMP/k2"
cat "$TMP/k1" "$TMP/k2" >"$TMP/kmsg"
"$CGTOP" --sysroot "$root" --events --kmsg-file "$TMP/kmsg" --format json >"$TMP/ev" 2>"$TMP/err"
is "$?" 0 "--events --kmsg-file --sysroot runs"
is "$(jq -r 'select(.kind == "oom_kill") | [.group_name.name, .group_name.kind, .group_name.container_id] | join("|")' "$TMP/ev" | head -1)" \
	"web-1|docker|$D" "an OOM kill in the docker scope: group_name names the container"
is "$(jq -r 'select(.kind == "oom_kill") | [.group_name.name, .group_name.pod] | join("|")' "$TMP/ev" | sed -n 2p)" \
	"web-2|shop-pod" "an OOM kill below a pod's container: the container and its pod"
"$CGTOP" --events --kmsg-file "$log" --format json >"$TMP/ev2" 2>/dev/null
is "$(jq -r 'select(.kind == "oom_kill" and (.task_cgroup | endswith("/oom32"))) | .group_name // "none"' \
	"$TMP/ev2" | sort -u)" "none" "a group no module knows (nor its ancestors): no group_name"
done_testing
