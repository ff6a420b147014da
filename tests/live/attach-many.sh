#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# attach-many.sh - live test: `cgtop --attach PID --tree` moves every
# descendant, however many.  A shell with two forkers of 2100 children each
# (4203 processes, more than a list of 4096 could hold) is attached with
# --tree into a new group below the test group: all 4203 end up there, in
# every hierarchy the group was made in, and none stays behind.  Apart from
# attach.sh: 4200 processes take seconds here and far longer in a TCG guest,
# and the result does not depend on the cgroup mode.  Needs root (else
# skips, 77).

set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"

top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

cg_init
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
need_helper FORKER forker
cg_describe

T=$CG_TEST
CTRLS=(memory pids cpuacct freezer)
PER=2100
WANT=$((1 + 2 * (PER + 1)))
cg_create "$T" "${CTRLS[@]}" || bail_out "cannot create test group $T"
cg_create "$T/s" "${CTRLS[@]}" || bail_out "cannot create $T/s"

READY=$CG_TMP/ready
# shellcheck disable=SC2016 # expanded by that sh
cg_spawn "$T/s" sh -c '"$0" "$1" & "$0" "$1" & wait' "$FORKER" "$PER" >"$READY"
S=$CG_LAST_PID
for ((tenths = 1200; tenths > 0; tenths--)); do
	[ "$(grep -cx ready "$READY")" = 2 ] && break
	nap 0.1
done
[ "$tenths" -gt 0 ] || bail_out "the forkers did not get ready"

# count PATH: processes in group PATH, the same in every hierarchy it is in
count()
{
	local dir n first=

	_cg_dirsv "$1"
	for dir in "${CG_DIRS[@]}"; do
		n=$(wc -l <"$dir/cgroup.procs")
		[ -z "$first" ] && first=$n
		[ "$n" = "$first" ] || { echo "$dir: $n, not $first"; return; }
	done
	echo "${first:-0}"
}
is "$(count "$T/s")" "$WANT" "$WANT processes started in $T/s"

timeout 120 "$CGTOP" --attach "$S" --tree --parent "$T" --name many >"$CG_TMP/out" 2>"$CG_TMP/err" </dev/null
RC=$?
_cg_dirsv "$T/many"
for d in "${CG_DIRS[@]}"; do
	cg_is_ours "$d" || CG_CREATED+=("$d")
done
is "$RC" 0 "--attach --tree of a process with $((WANT - 1)) descendants"
[ "$RC" = 0 ] || diag "$(cat "$CG_TMP/err")"
is "$(count "$T/many")" "$WANT" "all $WANT processes are in $T/many, in every hierarchy"
is "$(count "$T/s")" 0 "none stayed behind in $T/s"

cg_kill "$S"
cg_kill_in "$T/many" || diag "$T/many does not get empty"
cg_kill_in "$T/s" || diag "$T/s does not get empty"
done_testing
