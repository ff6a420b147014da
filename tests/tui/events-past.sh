#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# events-past.sh - the dashboard starts with what the kernel log still holds,
# and marks the group whose limit a fork hit.  Test groups: tuipast (32M memory
# limit, no swap) and tuici (pids.max=16) with a child tuici/b42 (no limit of
# its own).
#   - two memhogs are OOM-killed in tuipast BEFORE `cgtop -d 1` starts: the
#     pane and the event log list both kills below a "before cgtop started"
#     separator, the header says "0 since start, 2 since ..." and the group's
#     detail view lists them as "before";
#   - a kill after start is counted since start (1) and since the log's start (3);
#   - a fork bomb in tuici/b42 held by tuici's pids.max: the event names
#     b42 and "limit of .../tuici", and both rows carry the '!' marker.
# Needs root, tmux, memory and pids controllers and a readable /dev/kmsg
# (else skips, 77).

set -u

TUI_DIR=${top_srcdir:+$top_srcdir/tests/tui}
TUI_DIR=${TUI_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$TUI_DIR/../live/lib.sh"
# shellcheck source=tests/tui/lib.sh
. "$TUI_DIR/lib.sh"

top_srcdir=${top_srcdir:-$(cd "$TUI_DIR/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
CGTOP=${CGTOP:-$top_builddir/cgtop}
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"

cg_init
tui_have || skip_all "tmux not installed"
cg_hier_of memory >/dev/null || skip_all "no memory controller usable below the own group"
cg_hier_of pids >/dev/null || skip_all "no pids controller usable below the own group"
[ -r /dev/kmsg ] || skip_all "no /dev/kmsg"
need_helper MEMHOG memhog
need_helper FORKER forker
trap 'rc_=$?; tui_stop; (exit $rc_); cg_cleanup EXIT' EXIT
trap 'tui_stop; cg_cleanup INT' INT
trap 'tui_stop; cg_cleanup TERM' TERM
cg_describe
export XDG_CONFIG_HOME=$CG_TMP/config

WAIT=${CGTOP_TUI_WAIT:-20}
in_vm && WAIT=${CGTOP_TUI_WAIT:-90}

O=$CG_TEST/tuipast
C=$CG_TEST/tuici
K=$C/b42
cg_create "$O" memory || bail_out "cannot create $O"
cg_create "$K" pids || bail_out "cannot create $K"
if cg_file "$O" memory.max >/dev/null; then
	cg_write "$O" memory.max 33554432 || bail_out "cannot limit $O"
	cg_file "$O" memory.swap.max >/dev/null && cg_write "$O" memory.swap.max 0
else
	cg_write "$O" memory.limit_in_bytes 33554432 || bail_out "cannot limit $O"
	cg_write "$O" memory.swappiness 0 2>/dev/null
	cg_file "$O" memory.memsw.limit_in_bytes >/dev/null &&
		cg_write "$O" memory.memsw.limit_in_bytes 33554432
fi
cg_write "$C" pids.max 16 || bail_out "cannot set pids.max of $C"

# oom_kill: a memhog of 100 MiB in tuipast, OOM-killed; prints its pid
oom_kill()
{
	local p

	cg_spawn "$O" "$MEMHOG" 100
	p=$CG_LAST_PID
	{ wait "$p"; } 2>/dev/null
	[ $? = 137 ] || bail_out "memhog $p was not OOM-killed"
	echo "$p"
}

# ---- kills before the dashboard starts --------------------------------------------
# the kernel's rate limit of OOM reports spent by other tests' kills would
# leave this test's reports out (lib.sh)
oom_reports_quiet 60
k1=$(oom_kill)
k2=$(oom_kill)
diag "killed before start: $k1 $k2"

tui_start -d 1 "$CG_TEST" || bail_out "tmux could not start"
tui_expect tuipast "the table shows the test group" "$WAIT"
tui_expect "OOM kills: 0 since start, 2 since [^ ]+ " "header: no kill since start, the two of the kernel log" 5
tui_expect "Events: 0 OOM kills, 0 rejected forks since start; 2 OOM kills, 0 rejected forks before start" \
	"the pane counts the two kills as before start" 5
tui_expect "before cgtop started: the kernel log since" "the pane marks them with a separator" 5
tui_expect "OOM kill +kmsg +pid $k2 memhog .*/tuipast( |$)" "the pane lists the later of the two" 5

# the event log: both, below the separator
tui_keys e
tui_expect "Event log" "e opens the event log" 5
if tui_wait "OOM kill +kmsg +pid $k1 memhog .*/tuipast" 5 && tui_wait "OOM kill +kmsg +pid $k2 memhog .*/tuipast" 1; then
	pass "the event log lists both kills made before start"
else
	fail "the event log lists both kills made before start" "screen:" "$(tui_screen)"
fi
s=$(tui_screen)
sep=$(grep -n 'before cgtop started' <<<"$s" | head -1 | cut -d: -f1)
l1=$(grep -n "pid $k1 memhog" <<<"$s" | head -1 | cut -d: -f1)
if [ -n "$sep" ] && [ -n "$l1" ] && [ "$sep" -lt "$l1" ]; then
	pass "... below the 'before cgtop started' separator"
else
	fail "... below the 'before cgtop started' separator" "$s"
fi
# g on the newest (a kill of tuipast) selects its group; Enter opens its detail
tui_keys g
tui_wait_gone "Event log" 5
tui_keys Enter
tui_expect "Group $O " "the kill's group is selected; Enter opens its detail" 5
for ((t = 0; t < 30; t++)); do
	tui_screen | grep -q "Events of this group" && break
	tui_keys NPage
	sleep 0.1
done
tui_expect "Events of this group \(0 since start, 2 before" "the detail view counts the two kills as before start" 5
tui_expect "pid $k1 memhog" "... and lists them" 5
tui_keys Escape
tui_wait_gone "Group $O " 5

# ---- a kill after start --------------------------------------------------------------
k3=$(oom_kill)
tui_expect "OOM kills: 1 since start, 3 since [^ ]+ " "header after a kill: 1 since start, 3 since the log's start" 10
tui_expect "Events: 1 OOM kill, 0 rejected forks since start; 2 OOM kills" "the pane counts it since start" 5
s=$(tui_screen)
l3=$(grep -n "pid $k3 memhog" <<<"$s" | head -1 | cut -d: -f1)
sep=$(grep -n 'before cgtop started' <<<"$s" | head -1 | cut -d: -f1)
if [ -n "$l3" ] && [ -n "$sep" ] && [ "$l3" -lt "$sep" ]; then
	pass "the new kill is above the separator"
else
	fail "the new kill is above the separator" "$s"
fi

# ---- a fork bomb in b42, held by tuici's pids.max -------------------------------------
# row NAME: the table's line of group NAME (not the pane's)
row()
{
	tui_screen | grep -E -- "(^|[^/[:alnum:]_.-])$1([[:space:]]|\$)" |
		grep -Ev -- 'OOM kill|fork rejected|Events|Event log' | head -1
}
cg_spawn "$K" "$FORKER" -t 200
fork=$CG_LAST_PID
tui_expect "fork rejected .*/tuici/b42 \(limit of .*/tuici\)" \
	"the rejection names the forking group and the limit of its parent" 10
for ((t = 0; t < 50; t++)); do
	[[ $(row tuici) == *'!'* ]] && [[ $(row b42) == *'!'* ]] && break
	sleep 0.1
done
if [[ $(row tuici) == *'!'* ]] && [[ $(row b42) == *'!'* ]]; then
	pass "both the limiting group and the forking group are marked '!'"
else
	fail "both the limiting group and the forking group are marked '!'" "tuici: $(row tuici)" \
		"b42: $(row b42)" "screen:" "$(tui_screen)"
fi
cg_kill "$fork"
cg_kill_in "$K"

tui_keys q
st=$(tui_status) || st="(still running after 10 s)"
is "$st" 0 "q exits with status 0"
done_testing
