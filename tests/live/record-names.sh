#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# record-names.sh - names in a recording: `cgtop --record` on a captured v2 tree
# (--sysroot) with a docker scope, a podman pod slice and its container, an LXD
# container of a project and a group no runtime knows, with the runtimes'
# metadata of tests/data/names/root beside it, stores each group's name and
# kind in the groups table, NULL for a group without one.  A recording of the
# schema before these columns (made from a new one with ALTER TABLE ... DROP
# COLUMN) is replayed, then recorded to: the columns are added, its old rows
# keep NULL, the new ones are named, PRAGMA user_version stays as it was.  A replay
# (JSON, text, Prometheus) shows the recorded names after the runtimes' files
# are removed from the sysroot, the same members as live batch JSON printed,
# and --events --replay the group_name of a kill recorded in a container.
# test-lane: free (a captured tree; no groups, no kmsg)
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
top_srcdir=${top_srcdir:-$(cd "$LIVE_DIR/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
CGTOP=${CGTOP:-$top_builddir/cgtop}
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed"
command -v xz >/dev/null || skip_all "xz is not installed"
command -v jq >/dev/null || skip_all "jq is not installed"
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"

TMP=$(mktemp -d /tmp/cgtop-record-names.XXXXXX) || bail_out "mktemp failed"
rpid=
trap '[ -z "$rpid" ] || kill "$rpid" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$TMP"' EXIT

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
	lxc.payload.prod_db-1 plain; do
	mkdir -p "$cg/$g" && find "$cg/demo/a" -maxdepth 1 -type f -exec cp {} "$cg/$g/" \; ||
		bail_out "cannot make $g"
done

# name|kind of the rows of path (all lives, in order); "" for NULL
rows() { sqlite3 -separator '|' "$1" "SELECT coalesce(name, ''), coalesce(kind, '') FROM groups WHERE path = '$2' ORDER BY id"; }

F=$TMP/rec.db
"$CGTOP" --sysroot "$root" --record "$F" -d 0.05 -n 2 2>"$TMP/err"
is "$?" 0 "--record on the tree exits 0"
is "$(rows "$F" "/system.slice/docker-$D.scope")" "web-1|docker" "a docker container: its name and kind"
is "$(rows "$F" "/$podslice")" "shop-pod|podman_pod" "a podman pod's slice: the pod's name, podman_pod"
is "$(rows "$F" "/$podslice/libpod-$P.scope")" "web-2|podman" "the pod's container: its name, podman"
is "$(rows "$F" /lxc.payload.prod_db-1)" "db-1|lxc" "an LXD container of project prod: the instance's name"
is "$(rows "$F" /system.slice)" "system.slice|slice" "a systemd slice: its unit name, slice"
is "$(rows "$F" /plain)" "|" "a group no runtime knows: NULL name and kind"
is "$(rows "$F" /)" "|" "the root: NULL name and kind"

is "$(sqlite3 -separator '|' "$F" "SELECT container_id, coalesce(pod, ''), unit FROM groups WHERE path = '/system.slice/docker-$D.scope' LIMIT 1")" \
	"$D||docker-$D.scope" "the docker container's runtime fields: container_id, unit; no pod (NULL)"

# the names of a replay are the recording's: the runtimes' files are gone from
# the sysroot (another host, a container removed) and the replay still shows
# them, as live batch JSON did, and looks nothing up on this host
names_of_json() { jq -c '[.cgroups[] | {path} + (with_entries(select(.key | test("^(name|kind|container_id|pod|pod_uid|namespace|qos|unit)(_hex)?$"))))]' "$1"; }
"$CGTOP" --sysroot "$root" -b --format json -n 1 >"$TMP/live.json" 2>>"$TMP/err" ||
	bail_out "live batch JSON on the tree failed"
mv "$root/var" "$root/var.gone" && mv "$root/home" "$root/home.gone" && mv "$root/run" "$root/run.gone" ||
	bail_out "cannot remove the runtimes' files"
"$CGTOP" -b --replay "$F" --format json -n 1 >"$TMP/replay.json" 2>>"$TMP/err"
is "$?" 0 "the recording replays as JSON with the runtimes' files gone"
is "$(jq -r --arg p "/system.slice/docker-$D.scope" '.cgroups[] | select(.path == $p) | "\(.name)|\(.kind)|\(.container_id)"' "$TMP/replay.json")" \
	"web-1|docker|$D" "replayed JSON: the docker container's recorded name, kind, container_id"
is "$(jq -r --arg p "/$podslice/libpod-$P.scope" '.cgroups[] | select(.path == $p) | "\(.name)|\(.kind)"' "$TMP/replay.json")" \
	"web-2|podman" "replayed JSON: the podman container's recorded name"
is "$(jq -r '.cgroups[] | select(.path == "/lxc.payload.prod_db-1") | "\(.name)|\(.kind)"' "$TMP/replay.json")" \
	"db-1|lxc" "replayed JSON: the LXD container's recorded name"
is "$(jq -c '.cgroups[] | select(.path == "/plain") | [has("name"), has("kind")]' "$TMP/replay.json")" \
	"[false,false]" "replayed JSON: a group recorded without a name has none"
live_names=$(names_of_json "$TMP/live.json") && replay_names=$(names_of_json "$TMP/replay.json")
is "$replay_names" "$live_names" "replayed JSON: every group's name members are those live batch JSON printed"
"$CGTOP" -b --replay "$F" --columns name -n 1 >"$TMP/replay.txt" 2>>"$TMP/err"
is "$?" 0 "the recording replays as text with the runtimes' files gone"
is "$(awk -v p="/system.slice/docker-$D.scope" '$1 == p { print $2 }' "$TMP/replay.txt")" web-1 \
	"replayed text: the Name column shows the docker container's recorded name"
is "$(awk -v p="/$podslice" '$1 == p { print $2 }' "$TMP/replay.txt")" shop-pod \
	"replayed text: the podman pod's recorded name"
"$CGTOP" -b --replay "$F" --format prometheus -n 1 >"$TMP/replay.prom" 2>>"$TMP/err"
grep -q "^cgtop_tasks{cgroup=\"/system.slice/docker-$D.scope\",name=\"web-1\",kind=\"docker\"}" "$TMP/replay.prom"
is "$?" 0 "replayed Prometheus: the recorded name and kind labels"
mv "$root/var.gone" "$root/var" && mv "$root/home.gone" "$root/home" && mv "$root/run.gone" "$root/run" ||
	bail_out "cannot put the runtimes' files back"

# an event's group name is stored with it, as live --events JSON has it: an
# OOM kill counted in the docker scope's memory.events.local while recording
E=$TMP/ev.db
"$CGTOP" --sysroot "$root" --record "$E" -d 0.05 -n 100000 2>>"$TMP/err" &
rpid=$!
for _ in $(seq 600); do
	[ "$(sqlite3 "$E" 'SELECT count(*) FROM ticks' 2>/dev/null)" -ge 2 ] 2>/dev/null && break
	sleep 0.1
done
sed -i 's/^oom_kill .*/oom_kill 3/' "$cg/system.slice/docker-$D.scope/memory.events.local"
for _ in $(seq 600); do
	[ "$(sqlite3 "$E" 'SELECT count(*) FROM events' 2>/dev/null)" -ge 1 ] 2>/dev/null && break
	sleep 0.1
done
kill -TERM "$rpid"
wait "$rpid"
is "$?" 0 "the recorder of the kill exits 0 on SIGTERM"
rpid=
mv "$root/var" "$root/var.gone" && mv "$root/home" "$root/home.gone" && mv "$root/run" "$root/run.gone" ||
	bail_out "cannot remove the runtimes' files"
"$CGTOP" --events --replay "$E" --format json >"$TMP/ev.json" 2>>"$TMP/err"
is "$?" 0 "--events --replay prints the recorded kill"
is "$(jq -r 'select(.kind == "oom_kill") | "\(.count)|\(.group_name.name)|\(.group_name.kind)|\(.group_name.container_id)"' "$TMP/ev.json")" \
	"3|web-1|docker|$D" "the replayed kill's group_name is the recorded one, the runtimes' files gone"
mv "$root/var.gone" "$root/var" && mv "$root/home.gone" "$root/home" && mv "$root/run.gone" "$root/run" ||
	bail_out "cannot put the runtimes' files back"

# a recording of the schema before name and kind
O=$TMP/old.db
"$CGTOP" --sysroot "$root" --record "$O" -d 0.05 -n 1 2>>"$TMP/err" &&
	sqlite3 "$O" 'ALTER TABLE groups DROP COLUMN name; ALTER TABLE groups DROP COLUMN kind;
		ALTER TABLE groups DROP COLUMN container_id; ALTER TABLE groups DROP COLUMN pod;
		ALTER TABLE groups DROP COLUMN pod_uid; ALTER TABLE groups DROP COLUMN namespace;
		ALTER TABLE groups DROP COLUMN qos; ALTER TABLE groups DROP COLUMN unit;' ||
	bail_out "cannot make an old recording"
is "$(sqlite3 "$O" "SELECT count(*) FROM pragma_table_info('groups') WHERE name IN ('name', 'kind')")" 0 \
	"the old recording has no name or kind column"
"$CGTOP" -b --replay "$O" --format json >"$TMP/old.json" 2>>"$TMP/err"
is "$?" 0 "the old recording replays"
grep -q "docker-$D.scope" "$TMP/old.json"
is "$?" 0 "its replay has the docker group"
is "$(jq -c '[.cgroups[] | select(has("name") or has("kind") or has("unit"))] | length' "$TMP/old.json")" 0 \
	"its replay names no group (none recorded; none looked up on this host)"
rm -rf "$cg/plain" # gone: closed in the old rows, not seen again
"$CGTOP" --sysroot "$root" --record "$O" -d 0.05 -n 1 2>>"$TMP/err"
is "$?" 0 "--record appends to the old recording"
is "$(rows "$O" "/system.slice/docker-$D.scope")" "|
web-1|docker" "its old row keeps NULL, the new run's row is named"
is "$(rows "$O" /plain)" "|" "a group of the old run only: NULL"
is "$(sqlite3 "$O" "SELECT count(*) FROM pragma_table_info('groups') WHERE name IN ('name', 'kind', 'container_id', 'pod', 'pod_uid', 'namespace', 'qos', 'unit')")" 8 \
	"the name columns are added to the old recording"
is "$(sqlite3 "$O" 'PRAGMA user_version')" 3 "the schema version stays 3 (columns added need no new one)"
is "$(sqlite3 "$O" 'PRAGMA integrity_check')" ok "integrity_check ok"
"$CGTOP" -b --replay "$O" --format json >"$TMP/new.json" 2>>"$TMP/err"
is "$?" 0 "the appended recording replays"
is "$(cat "$TMP/err")" "" "cgtop wrote nothing on stderr"
done_testing
