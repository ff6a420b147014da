#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# events-pids.sh - a fork rejection names the limit that was hit.  A fork bomb
# (forker -t 200) runs in ci/build-42, which has no pids limit of its own, under
# ci with pids.max=16.  The kernel's line names the forking group; cgtop
# --events must say cgroup = ci (the group whose pids.max was reached) and
# task_cgroup = ci/build-42, for the kernel-log event and the counter events
# alike, live and with --since boot; the counts of all events add up to the
# kernel's counter.  A second bomb in ci/own with pids.max=4 (lower than ci's)
# is held by its own limit: cgroup = task_cgroup = ci/own.
# Runs on hybrid, pure v2 and pure v1 systems; needs root, jq and a pids
# controller (else skips, 77).
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

command -v jq >/dev/null || skip_all "jq is not installed"
cg_init
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
[ -r /dev/kmsg ] || skip_all "no /dev/kmsg"
cg_hier_of pids >/dev/null || skip_all "no pids controller usable below the own group"
need_helper FORKER forker
cg_describe

C=$CG_TEST/ci
K=$C/build-42
S=$C/own
cg_create "$K" pids || bail_out "cannot create $K"
cg_create "$S" pids || bail_out "cannot create $S"
cg_write "$C" pids.max 16 || bail_out "cannot set pids.max of $C"
cg_write "$S" pids.max 4 || bail_out "cannot set pids.max of $S"

OUT=$CG_TMP/events.json
ERR=$CG_TMP/events.err
WAIT=4
in_vm && WAIT=30

# the counter that counts the rejections of forks in group $1 (v1 and v2
# before 6.14: the forking group's pids.events; 6.14+: pids.events.local of
# the group whose limit was hit, $2)
rejections()
{
	if cg_file "$2" pids.events.local >/dev/null; then
		cg_read "$2" pids.events.local | awk '$1 == "max" { print $2 }'
	else
		cg_read "$1" pids.events | awk '$1 == "max" { print $2 }'
	fi
}

: >"$OUT"
cg_bg "$CGTOP" --events --format json -d 0.25 >"$OUT" 2>"$ERR"
CGTOP_PID=$CG_LAST_PID
# ready: /dev/kmsg open, and the first sample (with the test groups) taken,
# so the counters start before the bomb
wait_cgtop_ready "$CGTOP_PID" 60
sleep 0.3

cg_spawn "$K" "$FORKER" -t 200 >/dev/null
bomb=$CG_LAST_PID
if ev=$(wait_event ".kind == \"pids_fork_rejected\" and .source == \"kmsg\" and .task_cgroup == \"$K\""); then
	pass "live: the kernel's line about $K is an event"
	is "$(jq -r .cgroup <<<"$ev")" "$C" "live: its cgroup is the parent whose pids.max was reached"
	is "$(jq -r .task_cgroup <<<"$ev")" "$K" "live: its task_cgroup is the forking group"
	is "$(jq -r .cgroup_from <<<"$ev")" limits "live: cgroup_from says how it was found"
else
	fail "live: the kernel's line about $K is an event" "$(cat "$OUT")"
fi
if ev=$(wait_event ".kind == \"pids_fork_rejected\" and .source == \"counter\" and .update == false and
		(.task_cgroup == \"$K\" or .cgroup == \"$C\")"); then
	pass "live: later rejections come from the counters"
	is "$(jq -r .cgroup <<<"$ev")" "$C" "live: ... with cgroup the parent"
	t=$(jq -r .task_cgroup <<<"$ev")
	if cg_file "$C" pids.events.local >/dev/null; then
		is "$t" null "live: ... task_cgroup unknown (6.14+ counts at the limit)"
	else
		is "$t" "$K" "live: ... task_cgroup the forking group"
	fi
else
	fail "live: later rejections come from the counters" "$(cat "$OUT")"
fi
cg_kill "$bomb"
cg_kill_in "$K"
# every counter increase reported: the last one after two refreshes of grace
total=-1
for ((t = 0; t < WAIT * 10; t++)); do
	sleep 0.1
	n=$(jq -s --arg k "$K" --arg c "$C" '[.[] | select(.kind == "pids_fork_rejected" and .update == false and
		(.task_cgroup == $k or (.task_cgroup == null and .cgroup == $c))) | .count] | add // 0' "$OUT")
	[ "$n" = "$total" ] && [ "$t" -ge 10 ] && break
	total=$n
done
is "$total" "$(rejections "$K" "$C")" "live: the events count every rejection the kernel counted"

# its own, lower limit; once the first bomb's pids are all released (a killed
# process stays charged until it is reaped), so that ci's limit is not the one hit
for ((t = 0; t < WAIT * 10; t++)); do
	[ "$(cg_read "$C" pids.current)" = 0 ] && break
	sleep 0.1
done
cg_spawn "$S" "$FORKER" -t 20 >/dev/null
bomb=$CG_LAST_PID
if ev=$(wait_event ".kind == \"pids_fork_rejected\" and .source == \"kmsg\" and .task_cgroup == \"$S\""); then
	is "$(jq -r .cgroup <<<"$ev")" "$S" "live: a group at its own lower limit is its own limit"
else
	fail "live: a group at its own lower limit is its own limit" "$(cat "$OUT")"
fi
cg_kill "$bomb"
cg_kill_in "$S"
kill -TERM "$CGTOP_PID"
wait "$CGTOP_PID"
is "$?" 0 "live: cgtop --events exits 0"
is "$(cat "$ERR")" "" "live: nothing on stderr"

# --since boot: the kernel log's record, the limits as they are now
"$CGTOP" --events --since boot --format json -n 1 "$CG_TEST" >"$OUT" 2>"$ERR"
is "$?" 0 "--since boot: exit 0"
ev=$(jq -c "select(.kind == \"pids_fork_rejected\" and .task_cgroup == \"$K\")" "$OUT" | head -1)
if [ -n "$ev" ]; then
	is "$(jq -r .cgroup <<<"$ev")" "$C" "--since boot: cgroup is the parent"
	is "$(jq -r .source <<<"$ev")" kmsg "--since boot: from the kernel log"
else
	fail "--since boot: the event of $K" "$(cat "$OUT" "$ERR")"
fi
done_testing
