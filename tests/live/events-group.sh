#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# events-group.sh - a memory.oom.group kill (cgroup v2 only; systemd's
# OOMPolicy=kill sets it): group G (32M, no swap, memory.oom.group=1) holds a
# quiet process in G/a and one in G/b, then a memhog of 100 MiB in G/a.  The
# kernel kills the memhog and then every process of G; it kills the memhog
# (the first victim) a second time as a member and counts it twice in
# memory.events.local.  cgtop --events must give one oom_kill per killed
# process (3), each marked group_kill with oom_group G and its own group
# (G/a, G/a, G/b), and no kill from the counters.
# Needs root, jq, cgroup v2 with the memory controller and /dev/kmsg (else
# skips, 77): on this project's machines, the v2 VM (tests/vm/run.sh -M v2).
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
i=$(cg_hier_of memory) || skip_all "no memory controller usable below the own group"
[ "${CG_TYPE[i]}" = v2 ] || skip_all "memory.oom.group needs the memory controller on cgroup v2"
need_helper MEMHOG memhog
cg_describe

G=$CG_TEST/grp
cg_create "$G/a" memory || bail_out "cannot create $G/a"
cg_create "$G/b" memory || bail_out "cannot create $G/b"
cg_write "$G" memory.max 33554432 || bail_out "cannot limit $G"
cg_file "$G" memory.swap.max >/dev/null && cg_write "$G" memory.swap.max 0
cg_write "$G" memory.oom.group 1 || bail_out "cannot set memory.oom.group of $G"

OUT=$CG_TMP/events.json
ERR=$CG_TMP/events.err
WAIT=20
in_vm && WAIT=90

# the kernel's rate limit of OOM reports spent by other tests' kills would
# leave this test's reports out (lib.sh)
oom_reports_quiet 60
cg_spawn "$G/a" "$MEMHOG" 1 3600 >/dev/null
qa=$CG_LAST_PID
cg_spawn "$G/b" "$MEMHOG" 1 3600 >/dev/null
qb=$CG_LAST_PID
: >"$OUT"
cg_bg "$CGTOP" --events --format json -d 0.25 >"$OUT" 2>"$ERR"
CGTOP_PID=$CG_LAST_PID
wait_cgtop_ready "$CGTOP_PID" "$WAIT"
sleep 1 # refreshes with the quiet processes in their groups

cg_spawn "$G/a" "$MEMHOG" 100 >/dev/null
hog=$CG_LAST_PID
for p in "$hog" "$qa" "$qb"; do
	{ wait "$p"; } 2>/dev/null
	is "$?" 137 "pid $p was killed (SIGKILL)"
done
diag "memory.events.local of $G/a: $(cg_read "$G/a" memory.events.local | tr '\n' ' ')"
diag "memory.events of $G: $(cg_read "$G" memory.events | tr '\n' ' ')"
sleep 1.5 # the counters' grace
kill -TERM "$CGTOP_PID"
wait "$CGTOP_PID"
is "$?" 0 "cgtop --events exits 0"
is "$(cat "$ERR")" "" "nothing on stderr"

kills=$(jq -c --arg g "$G/" 'select(.kind == "oom_kill" and .update == false and
	((.task_cgroup // .cgroup // "") | startswith($g)))' "$OUT")
is "$(grep -c . <<<"$kills")" 3 "three oom_kill events for the three killed processes" || diag "$kills"
for p in "$hog:$G/a" "$qa:$G/a" "$qb:$G/b"; do
	pid=${p%%:*} grp=${p#*:}
	ev=$(jq -c --argjson p "$pid" 'select(.pid == $p)' <<<"$kills")
	is "$(grep -c . <<<"$ev")" 1 "pid $pid: one event"
	is "$(jq -r .task_cgroup <<<"$ev" | head -1)" "$grp" "pid $pid: its own group"
	is "$(jq -r .group_kill <<<"$ev" | head -1)" true "pid $pid: group_kill"
	is "$(jq -r .oom_group <<<"$ev" | head -1)" "$G" "pid $pid: oom_group is the group killed"
done
is "$(jq -c 'select(.kind == "oom_kill" and .source == "counter" and .update == false)' "$OUT" | grep -c .)" 0 \
	"no kill counted again from the counters"
done_testing
