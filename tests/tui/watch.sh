#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# watch.sh - `cgtop --launch --mem 32M --watch -- CMD` through tmux:
# the dashboard opens on the new group while CMD runs; CMD (a memory hog
# beyond 32M, after a short sleep) is OOM-killed and its fate
# stays in the status line; q exits with the launcher's status (137) and the
# group is removed.  Also: --watch without a terminal is one line and exit 2,
# and a dashboard that fails (poll(2) refused, or a terminal it cannot set
# up) ends the command and removes the group before cgtop exits 1.
# Root and tmux, else skips.

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
NAME=cgtop-watch-$$
# groups named NAME anywhere below the mounts
groups_named() { cg_groups_named "$NAME"; }
# what a failed run left behind: only groups with this test's name
sweep() { cg_sweep_named "$NAME"; }
trap 'r=$?; tui_stop; sweep; (exit $r); cg_cleanup EXIT' EXIT
trap 'r=$?; tui_stop; sweep; (exit $r); cg_cleanup INT' INT
trap 'r=$?; tui_stop; sweep; (exit $r); cg_cleanup TERM' TERM
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
need_helper MEMHOG memhog
cg_describe

# no terminal: one line, exit 2, nothing made
"$CGTOP" --launch --mem 32M --parent self --name "$NAME" --watch -- true </dev/null >"$CG_TMP/out" 2>"$CG_TMP/err"
is "$?" 2 "--watch without a terminal exits 2"
is "$(wc -l <"$CG_TMP/err")" 1 "one line on stderr"
is "$(groups_named)" "" "no group made"

tui_start --launch --mem 32M --parent self --name "$NAME" --watch -- \
	sh -c "sleep 2; echo scribble; exec $MEMHOG 100"
# the group is the dashboard's root (its path may be cut short) with the 32M limit
tui_expect "(${CG_BASE:0:12}|${NAME: -6}) .* 32\.0M " "the dashboard shows the launched group with its limit"
ok "the group exists while the command runs" test -n "$(groups_named)"
tui_expect "OOM-killed: [1-9]" "the fate (OOM kill) in the status line" 20
ok "the command's output is not on the screen" test -z "$(tui_screen | grep scribble)"
sleep 2.5
tui_expect "OOM-killed: [1-9]" "the fate stays in the status line"
ok "cgtop still runs after the command ended" tui_running
tui_keys q
is "$(tui_status)" 137 "q exits with the launcher's status 137"
for ((i = 0; i < 30; i++)); do
	[ -z "$(groups_named)" ] && break
	sleep 0.1
done
is "$(groups_named)" "" "the group is removed"

# ---- a dashboard that fails still ends the command and removes the group ----
# poll(2) fails with EINVAL when it is given more descriptors than
# RLIMIT_NOFILE allows: lowered under the running dashboard, it makes the
# dashboard fail at its next wait.  The limit goes back up as soon as the
# launcher sends SIGTERM to the command (seen through the command's trap), so
# that the clean-up can open files again (it has 2 s before its SIGKILL).
if command -v prlimit >/dev/null; then
	rm -f "$CG_TMP/term"
	tui_start --launch --mem 32M --parent self --name "$NAME" --watch -- \
		sh -c "trap 'echo term >$CG_TMP/term' TERM; while :; do sleep 0.1; done"
	tui_expect "(${CG_BASE:0:12}|${NAME: -6}) .* 32\.0M " "the dashboard shows the group (for the failure)"
	CPID=
	for ((i = 0; i < 50; i++)); do
		d=$(groups_named | head -1)
		CPID=$(cat "$d/cgroup.procs" 2>/dev/null | head -1)
		[ -n "$CPID" ] && break
		sleep 0.1
	done
	P=$(tui_pid)
	# (the soft limit only: raising a hard limit again needs CAP_SYS_RESOURCE)
	lim=$(prlimit --pid "$P" --nofile --noheadings -o SOFT)
	prlimit --pid "$P" --nofile=2:
	for ((i = 0; i < 100; i++)); do
		[ -e "$CG_TMP/term" ] && break
		sleep 0.05
	done
	kill -0 "$P" 2>/dev/null && prlimit --pid "$P" --nofile="${lim// /}:"
	ok "the failed dashboard ends the command with SIGTERM" test -e "$CG_TMP/term"
	is "$(tui_status)" 1 "a failed dashboard: exit status 1"
	tui_expect "cgtop: poll: " "a failed dashboard: the reason on the restored terminal"
	for ((i = 0; i < 30; i++)); do
		[ -z "$(groups_named)" ] && break
		sleep 0.1
	done
	is "$(groups_named)" "" "a failed dashboard: the group is removed"
	if [ -n "$CPID" ] && kill -0 "$CPID" 2>/dev/null; then
		fail "a failed dashboard: the command is gone" "pid $CPID still runs"
	else
		pass "a failed dashboard: the command is gone"
	fi
else
	skip "a failed dashboard ends the command and removes the group" "no prlimit (util-linux)"
fi

# ---- a dashboard that cannot start once the group exists (TERM unusable) ----
# The launcher has made the group and started the command (which ignores
# SIGTERM, so the launcher must kill it) when the terminal cannot be set up:
# cgtop exits 1 with the reason, and neither the group nor the command is left.
rm -f "$CG_TMP/wpid"
TUI_TERM=cgtop-no-such-terminal tui_start --launch --mem 32M --parent self --name "$NAME" --ns ipc \
	--watch -- sh -c "echo \$\$ >$CG_TMP/wpid; trap '' TERM; while :; do sleep 0.1; done"
st=
for ((i = 0; i < 300; i++)); do
	[ -s "$TUI_OUT/status" ] && break
	sleep 0.1
done
st=$(tui_status)
is "$st" 1 "an unusable terminal under --watch: exit status 1"
tui_expect "cgtop: cannot start the terminal" "an unusable terminal: the reason"
for ((i = 0; i < 30; i++)); do
	[ -z "$(groups_named)" ] && break
	sleep 0.1
done
is "$(groups_named)" "" "an unusable terminal: the group is removed"
CPID=$(cat "$CG_TMP/wpid" 2>/dev/null)
if [ -z "$CPID" ]; then
	pass "an unusable terminal: the command is gone (it never got to run)"
elif kill -0 "$CPID" 2>/dev/null; then
	kill -KILL "$CPID"
	fail "an unusable terminal: the command is gone" "pid $CPID still runs"
else
	pass "an unusable terminal: the command is gone"
fi

done_testing
