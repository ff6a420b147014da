#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# actions.sh - the dashboard's actions through tmux: select
# the test group (filter, then End), m 48M sets the kernel's memory limit and
# the status line says so (48.0M, as the row); m 12Q and a limit below usage show errors, change
# nothing, and cgtop keeps running; p sets pids.max; f freezes and f thaws;
# K and y kill the test's process; --readonly refuses m.  Root and tmux, else
# skips.

set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")/../live" && pwd)}
TUI_DIR=${top_srcdir:+$top_srcdir/tests/tui}
TUI_DIR=${TUI_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
# shellcheck source=tests/tui/lib.sh
. "$TUI_DIR/lib.sh"

top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

tui_have || skip_all "tmux is not installed"
cg_init
trap 'r=$?; tui_stop; (exit $r); cg_cleanup EXIT' EXIT
trap 'r=$?; tui_stop; (exit $r); cg_cleanup INT' INT
trap 'r=$?; tui_stop; (exit $r); cg_cleanup TERM' TERM
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
need_helper MEMHOG memhog
cg_describe

G=$CG_TEST
NAME=${G##*/}
cg_create "$G" memory pids freezer || bail_out "cannot create $G"
if mf=$(cg_file "$G" memory.limit_in_bytes); then
	MEMFILE=memory.limit_in_bytes
else
	MEMFILE=memory.max
	mf=$(cg_file "$G" memory.max) || bail_out "no memory limit file in $G"
fi
pf=$(cg_file "$G" pids.max) || pf=
ff=$(cg_file "$G" freezer.state) || ff=$(cg_file "$G" cgroup.freeze) || ff=
before=$(cat "$mf")

# a process holding 20M in the group
cg_spawn "$G" sh -c "exec $MEMHOG 20 > $CG_TMP/ready"
HOG=$CG_LAST_PID
wait_for_line "$CG_TMP/ready" ready 10 || bail_out "memhog did not get ready"

# select the test group: the dashboard's root is the group itself (PATH), so
# a wrong selection can never act on the test's own group; filter by its
# name (the name column may be cut short) and Home
select_group()
{
	tui_wait "$ROWRE" 10 || return 1
	tui_keys /
	tui_type "$NAME"
	tui_keys Enter
	tui_keys Home
	sleep 0.3
}

# its row: the name column keeps the start or the end of a long path
ROWRE="(${G:0:12}|${NAME: -6}) "
tui_start -d 0.5 "$G"
tui_expect "$ROWRE" "the dashboard shows the test group (its root)"
select_group

# m 48M
tui_keys m
tui_expect "memory limit of" "m opens the prompt"
tui_type 48M
tui_keys Enter
SELECTED=1
if tui_wait "$NAME: $MEMFILE set to 48\.0M \(50331648\)" 10; then
	pass "status line: $MEMFILE set to 48.0M"
	SELECTED=0
else
	fail "status line: $MEMFILE set to 48.0M" "screen:" "$(tui_screen)"
fi
is "$(cat "$mf")" 50331648 "m 48M: $MEMFILE is 50331648"
# one byte formatter: the row's MemLimit says the size as the status line does
if tui_wait "$ROWRE.* 48\.0M " 10; then
	pass "the row's MemLimit says 48.0M, as the status line"
else
	fail "the row's MemLimit says 48.0M, as the status line" "screen:" "$(tui_screen)"
fi

# a bad value
tui_keys m
tui_wait "memory limit of" 5
tui_type 12Q
tui_keys Enter
tui_expect "invalid memory limit '12Q'" "m 12Q: error in the status line"
ok "cgtop still runs after 12Q" tui_running
is "$(cat "$mf")" 50331648 "m 12Q: $MEMFILE unchanged"

# below usage
tui_keys m
tui_wait "memory limit of" 5
tui_type 1M
tui_keys Enter
tui_expect "below the group's usage" "m 1M below usage: EBUSY in plain words"
ok "cgtop still runs after 1M" tui_running
is "$(cat "$mf")" 50331648 "m 1M: $MEMFILE unchanged"
ok "memhog still alive" kill -0 "$HOG"

# p 10
if [ -n "$pf" ]; then
	tui_keys p
	tui_expect "pids limit of" "p opens the prompt"
	tui_type 10
	tui_keys Enter
	tui_expect "pids.max set to 10" "status line: pids.max set to 10"
	is "$(cat "$pf")" 10 "p 10: pids.max is 10"
else
	skip "p" "no pids controller"
fi

# f freezes, f thaws
if [ -n "$ff" ]; then
	tui_keys f
	tui_expect "frozen \(" "f: status line says frozen"
	case $ff in
	*freezer.state) is "$(cat "$ff")" FROZEN "f: freezer.state FROZEN" ;;
	*) is "$(cat "$ff")" 1 "f: cgroup.freeze 1" ;;
	esac
	tui_keys f
	tui_expect "thawed \(" "f again: status line says thawed"
	case $ff in
	*freezer.state) is "$(cat "$ff")" THAWED "f again: freezer.state THAWED" ;;
	*) is "$(cat "$ff")" 0 "f again: cgroup.freeze 0" ;;
	esac
else
	skip "f" "no freezer"
fi

# K y kills the process, only when the selection is known to be the test group
if [ "$SELECTED" != 0 ] || ! tui_screen | grep -q "$NAME"; then
	bail_out "the test group is not known to be selected: not pressing K"
fi
tui_keys K
tui_expect "kill every process of" "K asks first"
tui_keys y
tui_expect "killed" "status line: killed"
for ((i = 0; i < 50; i++)); do
	[ -d "/proc/$HOG" ] && ! grep -q '^State:.*Z' "/proc/$HOG/status" 2>/dev/null || break
	sleep 0.1
done
wait "$HOG" 2>/dev/null
if kill -0 "$HOG" 2>/dev/null; then
	fail "K y: the test process is gone" "pid $HOG still there"
else
	pass "K y: the test process is gone"
fi

tui_keys q
is "$(tui_status)" 0 "q exits 0"

# --readonly refuses m (a fresh tmux server: let the old one go first)
tui_stop
sleep 0.5
tui_start --readonly -d 0.5 "$G"
select_group
tui_keys m
tui_expect "read-only:" "--readonly: m refused in the status line"
ok "--readonly: no prompt" test -z "$(tui_screen | grep 'memory limit of')"
is "$(cat "$mf")" 50331648 "--readonly: $MEMFILE unchanged"
tui_keys q
is "$(tui_status)" 0 "q exits 0 (--readonly)"
: "$before"

done_testing
