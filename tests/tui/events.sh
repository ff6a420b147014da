#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# events.sh - OOM kills and fork bombs in the dashboard, on a real kernel.
# Three test groups: tuioom (32M memory limit, no swap), tuifork (pids.max=16)
# and tuiplain (idle, for comparison).  With `cgtop -d 1` in a private tmux
# server (tests/tui/lib.sh):
#   - a memhog of 100 MiB in tuioom is OOM-killed; the events pane shows the
#     kill (victim pid, memhog, the group) and the tuioom row is highlighted
#     within two refreshes: its line carries a '!' marker, or, captured with
#     escape sequences (capture-pane -e), differs from what it was before;
#   - the event log (e) lists the kill; Enter on it opens the incident: the
#     victim, the limit chain, the kernel's task table with the victim's row
#     and memory.stat at the kill as bars; Esc goes back to the log, Enter
#     again and then Enter in the incident select the group in the table; i in
#     the group's detail view opens its kill, Esc back to the detail; i in the
#     table opens the newest event too;
#   - in an incident, n and p step to the older and newer ones (from a group's
#     detail view: that group's only);
#   - a forker trying 600 forks in tuifork (10 ms apart once refused) brings
#     the row to 16 pids, the pane shows the fork rejections and the count of
#     rejected forks rises, while keys still answer (h shows the help, Esc
#     goes back to the table).
# Needs root, tmux and a readable /dev/kmsg (else skips, 77).

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

O=$CG_TEST/tuioom
P=$CG_TEST/tuifork
Q=$CG_TEST/tuiplain
cg_create "$O" memory || bail_out "cannot create $O"
cg_create "$P" pids || bail_out "cannot create $P"
cg_create "$Q" memory pids || bail_out "cannot create $Q"
if cg_file "$O" memory.max >/dev/null; then
	cg_write "$O" memory.max 33554432 || bail_out "cannot limit $O"
	cg_file "$O" memory.swap.max >/dev/null && cg_write "$O" memory.swap.max 0
else
	cg_write "$O" memory.limit_in_bytes 33554432 || bail_out "cannot limit $O"
	cg_write "$O" memory.swappiness 0 2>/dev/null
	cg_file "$O" memory.memsw.limit_in_bytes >/dev/null &&
		cg_write "$O" memory.memsw.limit_in_bytes 33554432
fi
cg_write "$P" pids.max 16 || bail_out "cannot set pids.max of $P"

# row NAME [-e]: the table's line of group NAME (not the pane's), with -e its
# escape sequences too (found by its number in the plain capture: in the
# other, attributes come between the tree lines and the name)
row()
{
	local n

	n=$(tmux_ capture-pane -p -t t 2>/dev/null | grep -nE -- "(^|[^/[:alnum:]_.-])$1([[:space:]]|\$)" |
		grep -Ev -- 'OOM kill|fork rejected|Events' | head -1 | cut -d: -f1)
	[ -n "$n" ] || return 0
	if [ "${2:-}" = -e ]; then
		tmux_ capture-pane -p -e -t t 2>/dev/null | sed -n "${n}p"
	else
		tmux_ capture-pane -p -t t 2>/dev/null | sed -n "${n}p"
	fi
}

# sgr LINE: the escape sequences of a captured line, in order, text removed
sgr()
{
	grep -oE $'\e\\[[0-9;:]*m' <<<"$1" | tr -d '\n' | tr '\e' 'E'
}

# highlighted NAME BASE: the row of NAME has a '!' marker, or its escape
# sequences differ from BASE (those of the same row before the event)
highlighted()
{
	local r

	r=$(row "$1" -e)
	[ -n "$r" ] || return 1
	[[ $(row "$1") == *'!'* ]] && return 0
	[ "$(sgr "$r")" != "$2" ]
}

tui_start -d 1 "$CG_TEST" || bail_out "tmux could not start"
if tui_wait tuiplain "$WAIT" && tui_wait tuioom 5 && tui_wait tuifork 5; then
	pass "the table shows the three test groups"
else
	fail "the table shows the three test groups" "screen:" "$(tui_screen)"
fi
# the events pane: shown by default, else Tab shows it
if ! tui_wait "No OOM kills|Events:" 3; then
	tui_keys Tab
fi
tui_expect "No OOM kills|Events:" "the events pane is under the table" 5
sleep 1.2 # a refresh with the values of the idle group
base=$(sgr "$(row tuioom -e)")
if [[ $(row tuioom) == *'!'* ]]; then
	fail "before any kill the tuioom row has no '!' marker" "$(row tuioom)"
else
	pass "before any kill the tuioom row has no '!' marker"
fi

# ---- a real OOM kill ------------------------------------------------------------

# the kernel's rate limit of OOM reports spent by other tests' kills would
# leave this test's reports out (lib.sh)
oom_reports_quiet 60
cg_spawn "$O" "$MEMHOG" 100
hog=$CG_LAST_PID
wait "$hog" 2>/dev/null
diag "memhog $hog ended (OOM-killed in $O)"
killed=$(date +%s.%N)
tui_expect "OOM kill +kmsg +pid $hog memhog .*/tuioom( |$)" "the events pane shows the kill: pid $hog, memhog, the group" 5
for ((t = 0; t < 25; t++)); do
	highlighted tuioom "$base" && break
	sleep 0.1
done
if highlighted tuioom "$base"; then
	pass "the tuioom row is highlighted within two refreshes"
else
	fail "the tuioom row is highlighted within two refreshes" "$(row tuioom -e | cat -v)" \
		"before: $base"
fi
diag "highlight seen $(awk -v a="$killed" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s after the kill"
tui_expect "Events: 1 OOM kill" "the pane counts one OOM kill" 5

# the event log, and Enter on the kill
tui_keys e
tui_expect "Event log" "e opens the event log" 5
tui_expect "OOM kill +kmsg +pid $hog memhog .*/tuioom( |$)" "the log lists the kill from the kernel log" 5
tui_keys PPage Enter
tui_expect "Incident +Up/Down" "Enter on the kill opens the incident" 5
tui_expect " oom_kill cgroup=" "... its first line is the event" 5
tui_expect "killed: +pid $hog \"memhog\"" "... who was killed" 5
tui_expect "limit chain: +.*tuioom" "... the limit chain" 5
tui_expect "^ +$hog +[0-9]+ +[0-9.]+[KMG] .*memhog +<- killed" "... the kernel's task table, the victim's row marked" 5
tui_expect "largest task: pid $hog" "... the largest task" 5
tui_expect "memory.stat at the kill" "... memory.stat at the kill" 5
tui_expect "(anon|rss) +[0-9.]+[KMG] +#" "... as bars" 5
tui_keys Escape
tui_expect "Event log" "Esc goes back to the log" 5
tui_keys Enter
tui_expect "Incident +Up/Down" "Enter opens it again" 5
tui_keys Enter
if tui_wait_gone "Incident" 5 && tui_wait tuioom 5; then
	pass "Enter in the incident goes back to the table"
else
	fail "Enter in the incident goes back to the table" "screen:" "$(tui_screen)"
fi
# the selected row now is tuioom: Enter opens its detail
tui_keys Enter
tui_expect "Group $O " "... with the kill's group selected (Enter opens its detail)" 5
# i in the detail view: the group's newest event as an incident, Esc back to the detail
tui_keys i
tui_expect "Incident +Up/Down" "i in the detail view opens the group's kill as an incident" 5
tui_expect "killed: +pid $hog \"memhog\"" "... the kill of this group" 5
tui_keys Escape
tui_expect "Group $O " "Esc goes back to the detail view" 5
tui_keys Escape
tui_wait_gone "Group $O " 5
# i: the newest event of the pane as an incident, Esc back to the table
tui_keys i
tui_expect "Incident +Up/Down" "i opens the newest event as an incident" 5
tui_keys q
tui_wait_gone "Incident" 5 && pass "q goes back to the table" || fail "q goes back to the table" "$(tui_screen)"

# ---- a fork bomb against pids.max=16 ---------------------------------------------

cg_spawn "$P" "$FORKER" -t 600
fork=$CG_LAST_PID
if tui_wait "fork rejected .*$P" 10; then
	pass "the events pane shows fork rejections in $P"
else
	fail "the events pane shows fork rejections in $P" "screen:" "$(tui_screen)"
fi
# pids at the limit: the row shows 16 (pids) next to 16 (the limit)
for ((t = 0; t < 50; t++)); do
	[[ $(row tuifork) =~ (^|[[:space:]])16[[:space:]]+16([[:space:]]|$) ]] && break
	sleep 0.1
done
if [[ $(row tuifork) =~ (^|[[:space:]])16[[:space:]]+16([[:space:]]|$) ]]; then
	pass "the tuifork row shows 16 pids at the limit of 16"
else
	fail "the tuifork row shows 16 pids at the limit of 16" "$(row tuifork)" "screen:" "$(tui_screen)"
fi

rejected()
{
	tui_screen | sed -nE 's/.*Events: [0-9]+ OOM kills?, ([0-9]+) rejected fork.*/\1/p' | head -1
}
r1=$(rejected)
r2=$r1
for ((t = 0; t < 50; t++)); do
	sleep 0.1
	r2=$(rejected)
	[ -n "$r1" ] && [ -n "$r2" ] && [ "$r2" -gt "$r1" ] && break
done
if [ -n "$r1" ] && [ -n "$r2" ] && [ "$r2" -gt "$r1" ]; then
	pass "the count of rejected forks rises ($r1, then $r2)"
else
	fail "the count of rejected forks rises" "first '$r1', then '$r2'" "screen:" "$(tui_screen)"
fi

# keys answer while the bomb runs
t0=$(date +%s%N)
tui_keys h
if tui_wait_gone tuifork 3; then
	t1=$(date +%s%N)
	pass "h shows the help while the fork bomb runs ($(((t1 - t0) / 1000000)) ms)"
else
	fail "h shows the help while the fork bomb runs" "screen:" "$(tui_screen)"
fi
tui_keys Escape
tui_expect tuifork "a key goes back to the table" 3
if tui_running; then
	pass "the dashboard keeps running"
else
	fail "the dashboard keeps running" "screen:" "$(tui_screen)"
fi
cg_kill "$fork"

# n and p in the incident: the next older and newer one.  From the table: the
# whole log (the newest is a fork rejection; older, the kill); from tuioom's
# detail view: only its own (no newer one there, the rejections are tuifork's)
tui_keys i
tui_expect "Incident +Up/Down.*n/p" "i opens the newest event (n/p in the title)" 5
tui_expect " pids_fork_rejected " "... a fork rejection" 5
for ((t = 0; t < 40; t++)); do
	tui_wait "killed: +pid $hog " 0.2 && break
	tui_keys n
done
tui_expect "killed: +pid $hog \"memhog\"" "n steps back through the log to the older OOM kill" 3
# (the whole log: other tests' and tenants' kills may be older still; n
# past the oldest is checked in tuioom's own, below)
tui_keys p
if tui_wait_gone "killed: +pid $hog " 5; then
	pass "p goes to a newer event"
else
	fail "p goes to a newer event" "screen:" "$(tui_screen)"
fi
# (other tests' kills may come between the two)
for ((t = 0; t < 40; t++)); do
	tui_wait " pids_fork_rejected " 0.2 && break
	tui_keys p
done
tui_expect " pids_fork_rejected " "p on to the newer fork rejection" 3
tui_keys Escape
tui_wait_gone "Incident" 5
tui_keys F3
tui_wait 'Search' 5 && tui_type tuioom && tui_keys Enter && tui_wait_gone 'Search' 5
tui_keys Enter
tui_expect "Group $O " "tuioom's detail view" 5
tui_keys i
tui_expect "killed: +pid $hog \"memhog\"" "i there: its kill" 5
tui_keys p
tui_expect "no newer OOM kill or fork rejection in this group" \
	"p from the detail's incident stays in the group (the newer rejections are tuifork's)" 5
tui_wait "killed: +pid $hog " 1 && pass "... and the kill stays shown" || fail "... and the kill stays shown" "$(tui_screen)"
tui_keys n
tui_expect "no older OOM kill or fork rejection in this group" "n past the group's oldest says so" 5
tui_keys Escape
tui_expect "Group $O " "Esc goes back to the detail view" 5
tui_keys Escape
tui_wait_gone "Group $O " 5

tui_keys q
st=$(tui_status) || st="(still running after 10 s)"
is "$st" 0 "q exits with status 0"

done_testing
