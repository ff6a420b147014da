#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# startup.sh - the dashboard's start-up on a real kernel, short enough to run
# in the qemu test VMs too (tests/vm/inside.sh, pure v2 and pure v1): it makes
# a group with a 64M memory limit nested under a test group of its own, starts
# `cgtop -d 1 TESTGROUP` in a private tmux server (tests/tui/lib.sh), checks
# that the header names the cgroup mode (v1, v2 or hybrid, from
# /proc/self/mountinfo), that the table has the group's row with 64M in it,
# then that q exits 0 and gives the prompt back.  Needs root and tmux.

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
# the tmux server and its pane go first, then the groups (cg_cleanup keeps the status)
rc_=0
trap 'rc_=$?; tui_stop; (exit $rc_); cg_cleanup EXIT' EXIT
trap 'tui_stop; cg_cleanup INT' INT
trap 'tui_stop; cg_cleanup TERM' TERM
cg_describe

# an emulated VM (TCG) starts slowly: generous limits, met at once on a host
WAIT=${CGTOP_TUI_WAIT:-20}
in_vm && WAIT=${CGTOP_TUI_WAIT:-90}

NAME=tuistart
KID=$CG_TEST/$NAME
cg_create "$KID" memory pids cpu || bail_out "cannot create $KID"
if cg_file "$KID" memory.max >/dev/null; then
	cg_write "$KID" memory.max 67108864 || bail_out "cannot set memory.max of $KID"
else
	cg_write "$KID" memory.limit_in_bytes 67108864 ||
		bail_out "cannot set memory.limit_in_bytes of $KID"
fi

# head_has REGEX: the lines above the group's row (the header) match REGEX
head_has()
{
	tui_screen | awk -v n="$NAME" 'index($0, n) { exit } { print }' | grep -Eq -- "$1"
}

# st_wait CHECK ARG SECONDS: polls "CHECK ARG" by the clock rather than by
# counting polls (one poll takes far longer in an emulated VM), and gives up
# within 2 s once cgtop has ended (its exit status is there).
st_wait()
{
	local end=$((SECONDS + $3))

	while ! "$1" "$2"; do
		# ended: a last short wait for the screen (PROMPT-BACK comes after the status)
		if [ -s "$TUI_OUT/status" ] && [ $end -gt $((SECONDS + 2)) ]; then
			end=$((SECONDS + 2))
		fi
		[ $SECONDS -ge $end ] && return 1
		sleep 0.1
	done
	return 0
}

screen_has()
{
	tui_screen | grep -Eq -- "$1"
}

# st_expect REGEX DESC SECONDS: one test, the screen shows REGEX
st_expect()
{
	if st_wait screen_has "$1" "$3"; then
		pass "$2"
	else
		fail "$2" "screen did not show /$1/:" "$(tui_screen)"
	fi
}

tui_start -d 1 "$CG_TEST" || bail_out "tmux could not start"

st_expect "$NAME" "the dashboard shows the group $NAME" "$WAIT"
re="(^|[^[:alnum:]_])$CG_MODE([^[:alnum:]_]|\$)"
if st_wait head_has "$re" 5; then
	pass "the header names the cgroup mode ($CG_MODE)"
else
	fail "the header names the cgroup mode ($CG_MODE)" "screen:" "$(tui_screen)"
fi
st_expect "$NAME.*[[:space:]]64(\\.0)?M([[:space:]]|\$)" "the row of $NAME shows its 64M limit" "$WAIT"
# the watched group's row (a long name is shortened on the left: "...test-PID")
st_expect "test-$$([[:space:]]|\$)" "the dashboard shows the watched group cgtop-test-$$" 5

if tui_running; then
	pass "the dashboard keeps running"
else
	fail "the dashboard keeps running" "screen:" "$(tui_screen)"
fi

tui_keys q
st=$(tui_status) || st="(still running after 10 s)"
is "$st" 0 "q exits with status 0"
st_expect '^PROMPT-BACK' "the prompt is back after q" 10

done_testing
