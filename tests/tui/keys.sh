#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# keys.sh - the keys an htop user presses first, through a private tmux server
# (tests/tui/lib.sh), on a real kernel:
#   - P sorts by CPU, M by memory, B by pids (the title marks the column), and
#     the help lists exactly these letters; C, no longer a sort key, and any
#     other unbound key answer "unknown key: h for help";
#   - F5 toggles tree and flat, F6 steps the sort, F4 opens the filter, F3
#     searches a name (F3 again: the next match, Enter opens the one found);
#   - - and + collapse and expand the selected group (and leave the refresh
#     interval alone); d asks for the interval and the header shows the new
#     one; a bad interval is refused with a message;
#   - F9 asks before killing the group's processes and n cancels (the process
#     lives on); F10 quits with status 0;
#   - a real fork rejection marks its group's row with '!' in the flat list;
#   - the detail view of a group that exists only in the pids hierarchy (v1),
#     or has no memory controller enabled (v2), says "no memory controller";
#   - after a real OOM kill under a parent's limit, the child's peak is above
#     the effective limit and the detail view explains why in one line.
# Needs root, tmux, the memory and pids controllers (else skips, 77).

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
need_helper FORKER forker
need_helper MEMHOG memhog
trap 'rc_=$?; tui_stop; (exit $rc_); cg_cleanup EXIT' EXIT
trap 'tui_stop; cg_cleanup INT' INT
trap 'tui_stop; cg_cleanup TERM' TERM
cg_describe
export XDG_CONFIG_HOME=$CG_TMP/config
mkdir -p "$XDG_CONFIG_HOME"

WAIT=${CGTOP_TUI_WAIT:-20}
in_vm && WAIT=${CGTOP_TUI_WAIT:-90}

# limit GROUP BYTES: the memory limit of a group made here (v2 or v1)
limit()
{
	if cg_file "$1" memory.max >/dev/null; then
		cg_write "$1" memory.max "$2"
	else
		cg_write "$1" memory.limit_in_bytes "$2"
	fi
}

cg_create "$CG_TEST/box/inner" memory pids || bail_out "cannot create $CG_TEST/box/inner"
cg_create "$CG_TEST/other" memory pids || bail_out "cannot create $CG_TEST/other"
limit "$CG_TEST/box" $((64 << 20)) || bail_out "cannot limit box"
limit "$CG_TEST/other" $((128 << 20)) || bail_out "cannot limit other"
# a group without the memory controller: on v1 it exists only in the pids
# hierarchy; on v2 its parent enables pids alone for its children
NOMEM=$CG_TEST/nomem/pidsonly
cg_create "$NOMEM" pids || bail_out "cannot create $NOMEM"
# the fork bomb's group
FK=$CG_TEST/tuifk
cg_create "$FK" pids || bail_out "cannot create $FK"
cg_write "$FK" pids.max 8 || bail_out "cannot set pids.max of $FK"
# a leaf under a 32M parent, OOM-killed (no swap limit: a v1 memsw limit
# would refuse the charge before the memory counters see it)
PK=$CG_TEST/tuipeak
cg_create "$PK/leaf" memory || bail_out "cannot create $PK/leaf"
limit "$PK" $((32 << 20)) || bail_out "cannot limit $PK"
cg_file "$PK" memory.swap.max >/dev/null && cg_write "$PK" memory.swap.max 0
cg_file "$PK" memory.swappiness >/dev/null && cg_write "$PK" memory.swappiness 0

# a process to not kill
cg_spawn "$CG_TEST/box/inner" sleep 600
SLEEPER=$CG_LAST_PID

# line_of REGEX: the first screen line matching, or 0
line_of()
{
	local n

	n=$(tui_screen | grep -nE -- "$1" | head -1 | cut -d: -f1)
	echo "${n:-0}"
}

# search NAME: F3, NAME, Enter (the selection moves to the first match)
search()
{
	tui_keys F3
	tui_wait 'Search' 5 || return 1
	tui_type "$1"
	tui_keys Enter
	tui_wait_gone 'Search' 5
}

tui_start -d 0.5 "$CG_TEST" || bail_out "tmux could not start"
tui_expect '─ box .* 64(\.0)?M' "the table shows the test groups" "$WAIT"
tui_expect 'refresh 0\.5 s' "the header shows the interval of -d 0.5"

# ---- sort letters ------------------------------------------------------------------
tui_keys P
tui_expect '[▼v]%CPU' "P sorts by CPU, as in htop"
tui_keys M
tui_expect '[▼v]Memory' "M sorts by memory"
tui_keys B
tui_expect '[▼v]Pids' "B sorts by the pids count"
tui_keys N
tui_expect 'Control Group[▲^]' "N sorts by name"
tui_keys '~'
tui_expect 'unknown key: h for help' "~ answers 'unknown key: h for help'"
tui_keys N
tui_wait_gone 'unknown key' 5
tui_keys x
tui_expect 'unknown key: h for help' "x answers 'unknown key: h for help'"
tui_keys h
tui_expect 'Press any key to return' "h shows the help"
help=$(tui_screen)
for want in 'P cpu' 'M memory' 'B pids' 'N name' 'K F9' 't F5' '/ F4' 'F3 ' '- \+' ' d '; do
	if grep -Eq -- "$want" <<<"$help"; then
		pass "the help lists '$want'"
	else
		fail "the help lists '$want'" "$help"
	fi
done
if grep -Eq -- 'C cpu|P pids|\+ -  +slower' <<<"$help"; then
	fail "the help lists no old binding (C cpu, P pids, + - interval)" "$help"
else
	pass "the help lists no old binding (C cpu, P pids, + - interval)"
fi
tui_keys x
tui_wait_gone 'Press any key to return' 5

# ---- F keys ---------------------------------------------------------------------------
tui_keys F5
tui_expect 'box/inner +[0-9-]' "F5 shows the flat list"
tui_keys F5
tui_expect '─ inner ' "F5 again shows the tree"
tui_keys N
tui_wait 'Control Group[▲^]' 5
tui_keys F6
tui_expect '[▼▲v^]Tasks' "F6 sorts by the next column"
tui_keys N
tui_keys F4
tui_expect 'Filter' "F4 opens the filter prompt"
tui_type other
tui_keys Enter
if tui_wait_gone '─ box ' 5 && tui_wait '─ other ' 5; then
	pass "F4: the filter shows only the matching groups"
else
	fail "F4: the filter shows only the matching groups" "$(tui_screen)"
fi
tui_keys Escape
tui_wait '─ box ' 5
# F4 as rxvt and PuTTY send it (CSI 14 ~), which xterm's terminfo does not name
tui_type $'\e[14~'
tui_expect 'Filter' "F4 sent as ESC [ 1 4 ~ opens the filter prompt too"
tui_keys Escape
tui_wait_gone 'Filter' 5

# F3: the first match from the selection (box), then F3 again for the next
# one: tuifk, then tuipeak (siblings in name order)
tui_keys Home Down F3
tui_expect 'Search' "F3 opens the search prompt"
tui_type tui
tui_keys F3
tui_keys Enter
tui_wait_gone 'Search' 5
tui_keys Enter
tui_expect "Group $CG_TEST/tuipeak " "F3 tui, F3: the second group whose name has 'tui' (tuifk, tuipeak)"
tui_keys Escape
tui_wait_gone "Group $CG_TEST/" 5
search inner
tui_keys Enter
tui_expect "Group $CG_TEST/box/inner " "F3 inner Enter selects inner (Enter opens it)"
tui_keys Escape
tui_wait_gone "Group $CG_TEST/" 5
search zzznothing
tui_expect "no group matches 'zzznothing'" "F3 with no match says so"

# ---- - and + --------------------------------------------------------------------------
search box
tui_keys -
if tui_wait '─\+box ' 5 && tui_wait_gone '─ inner ' 5; then
	pass "- collapses the selected group"
else
	fail "- collapses the selected group" "$(tui_screen)"
fi
tui_keys +
tui_expect '─ inner ' "+ expands it again"
tui_expect 'refresh 0\.5 s' "- and + left the refresh interval alone"

# ---- d: the refresh interval -----------------------------------------------------------
tui_keys d
tui_expect 'refresh every SECONDS' "d asks for the refresh interval"
tui_type 2
tui_keys Enter
tui_expect 'refresh 2\.0 s' "d 2 Enter: the header shows refresh 2.0 s"
tui_keys d
tui_wait 'refresh every SECONDS' 5
tui_type abc
tui_keys Enter
tui_expect "invalid refresh interval 'abc'" "d abc: refused with a message"
tui_expect 'refresh 2\.0 s' "d abc: the interval stays 2.0 s"
tui_keys d
tui_wait 'refresh every SECONDS' 5
tui_type 0.5
tui_keys Enter
tui_expect 'refresh 0\.5 s' "d 0.5 Enter: the header shows refresh 0.5 s"

# ---- F9: kill, with the question --------------------------------------------------------
search inner
tui_keys F9
tui_expect "kill every process of $CG_TEST/box/inner\\? \\(y/n\\)" "F9 asks before killing the group's processes"
tui_keys n
tui_expect 'cancelled|not killed' "n cancels"
if kill -0 "$SLEEPER" 2>/dev/null; then
	pass "after n the group's process lives on"
else
	fail "after n the group's process lives on" "pid $SLEEPER is gone"
fi

# ---- '!' in the flat list after a real fork rejection -------------------------------------
tui_keys t
tui_expect 'box/inner +[0-9-]' "t shows the flat list"
if tui_screen | grep -qE '^!'; then
	fail "before the fork bomb no row of the flat list has a '!' marker" "$(tui_screen)"
else
	pass "before the fork bomb no row of the flat list has a '!' marker"
fi
cg_spawn "$FK" "$FORKER" -t 300 >/dev/null
FORK=$CG_LAST_PID
if tui_wait '^!.*tuifk +[0-9-]' "$WAIT"; then
	pass "a fork rejection in $FK marks its flat row with '!'"
else
	fail "a fork rejection in $FK marks its flat row with '!'" "$(tui_screen)"
fi
cg_kill "$FORK"
cg_kill_in "$FK"
tui_keys t
tui_expect '─ inner ' "t shows the tree again"

# ---- the detail view: no memory controller ------------------------------------------------
search pidsonly
tui_keys Enter
tui_expect "Group $NOMEM " "Enter opens the detail of $NOMEM"
tui_expect '^ memory +- +no memory controller' "a group without the memory controller says 'no memory controller'"
tui_expect '^ memory +.*\(no memory controller\)' "... also in its limits"
if tui_screen | grep -q '^ memory .*no limit'; then
	fail "... and never 'no limit'" "$(tui_screen)"
else
	pass "... and never 'no limit'"
fi
tui_keys Escape
tui_wait_gone "Group $CG_TEST/" 5
search other
tui_keys Enter
tui_expect "Group $CG_TEST/other " "Enter opens the detail of other"
tui_expect '^ memory .*of 128(\.0)?M' "a group with the memory controller shows its usage against 128M"
if tui_screen | grep -q 'no memory controller'; then
	fail "... and not 'no memory controller'" "$(tui_screen)"
else
	pass "... and not 'no memory controller'"
fi
tui_keys Escape
tui_wait_gone "Group $CG_TEST/" 5

# ---- the detail view: a peak above the effective limit --------------------------------------
cg_spawn "$PK/leaf" "$MEMHOG" 100 >/dev/null
HOG=$CG_LAST_PID
wait "$HOG" 2>/dev/null
hog_rc=$?
peak_file=$(cg_file "$PK/leaf" memory.peak || cg_file "$PK/leaf" memory.max_usage_in_bytes)
peak=$(cat "$peak_file" 2>/dev/null)
diag "memhog ended with $hog_rc; peak of $PK/leaf: ${peak:-?} (limit $((32 << 20)))"
if [ -n "$peak" ] && [ "$peak" -gt $((32 << 20)) ]; then
	search leaf
	tui_keys Enter
	tui_expect "Group $PK/leaf " "Enter opens the detail of $PK/leaf"
	tui_expect 'peak above the effective limit: .*charges an ancestor refused' \
		"a peak above the effective limit (OOM kill under the parent's 32M) is explained"
	tui_keys Escape
	tui_wait_gone "Group $CG_TEST/" 5
else
	skip "a peak above the effective limit is explained" "the kernel kept the child's peak at the limit (${peak:-?})"
fi
search box
tui_keys Enter
tui_expect "Group $CG_TEST/box " "Enter opens the detail of box"
sleep 0.6
if tui_screen | grep -q 'peak above'; then
	fail "a peak below the limit gets no explanation" "$(tui_screen)"
else
	pass "a peak below the limit gets no explanation"
fi
tui_keys Escape
tui_wait_gone "Group $CG_TEST/" 5

# ---- F10 --------------------------------------------------------------------------------
tui_keys F10
st=$(tui_status) || st="(still running after 10 s)"
is "$st" 0 "F10 quits with status 0"
tui_stop

done_testing
