#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# launch-pty.sh - the launched command's own pseudo-terminal, relayed by
# cgtop, seen from an interactive bash in a tmux pane (the outer shell): the
# command's fds are a terminal other than the outer one; what is typed reaches
# it (cooked lines, ^C as SIGINT, ^D as the end of its input); a window size
# change reaches it; its exit status comes back; the outer terminal's modes
# (stty -g) are the same afterwards, also when cgtop was ended by SIGTERM or
# crashed (SIGSEGV); standard output redirected to a file stays a file, byte
# for byte.  Without a terminal: --pty still gives one, the default gives
# none.  Root and tmux, else skips.

set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
TUI_DIR=${top_srcdir:+$top_srcdir/tests/tui}
TUI_DIR=${TUI_DIR:-$(cd "$(dirname "$0")/../tui" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
# shellcheck source=tests/tui/lib.sh
. "$TUI_DIR/lib.sh"

top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

tui_have || skip_all "tmux is not installed"
cg_init
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
cg_describe

NAME=cgtop-pty-$$
groups_named() { cg_groups_named "$NAME*"; }
sweep() { cg_sweep_named "$NAME*"; }
trap 'r=$?; tui_stop; sweep; (exit $r); cg_cleanup EXIT' EXIT
trap 'r=$?; tui_stop; sweep; (exit $r); cg_cleanup INT' INT
trap 'r=$?; tui_stop; sweep; (exit $r); cg_cleanup TERM' TERM

T=$CG_TMP
# launch_cmd K OPTIONS... -- CMD...: the quoted command line for the outer shell
launch_cmd()
{
	local k=$1

	shift
	printf '%q ' "$CGTOP" --launch --parent self --name "$NAME-$k" "$@"
}

# cgtop_pid: the cgtop the outer shell runs now
cgtop_pid()
{
	pgrep -P "$(tui_shell_pid)" -x cgtop | head -1
}

# wait_file FILE: until FILE has something in it
wait_file()
{
	local i

	for ((i = 0; i < 300; i++)); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

tui_shell_start || bail_out "the outer shell did not start: $(tui_screen)"
tui_shell_run 0 "tty >$T/outer.tty; stty -g >$T/stty.before"
OUTER=$(cat "$T/outer.tty")

# ---- a terminal of its own; the exit status comes back ----
tui_shell_run 1 "$(launch_cmd 1 -- sh -c "tty >$T/1.tty; test -t 0 && test -t 1 && test -t 2 && exit 3")"
is "$RC" 3 "the command's exit status comes back (3)"
inner=$(cat "$T/1.tty" 2>/dev/null)
if [[ $inner == /dev/pts/* ]] && [ "$inner" != "$OUTER" ]; then
	pass "fds 0, 1, 2 are a terminal of its own ($inner, not $OUTER)"
else
	fail "fds 0, 1, 2 are a terminal of its own" "inner '$inner', outer '$OUTER'"
fi
tui_shell_run 2 "stty -g >$T/stty.after"
is "$(cat "$T/stty.after")" "$(cat "$T/stty.before")" "the outer terminal's modes are as before"

# ---- typed lines reach it; ^D ends its input ----
tui_type "$(launch_cmd 3 -- sh -c "read -r line; echo \"got:\$line\" >$T/3.line; cat >$T/3.cat"); echo DONE-3-\$?"
tui_keys Enter
if tui_wait '^DONE-3-[0-9]' 2; then
	fail "the command waits for input" "$(tui_screen)"
else
	pass "the command waits for input"
fi
tui_type "hello there"
tui_keys Enter
wait_file "$T/3.line"
is "$(cat "$T/3.line" 2>/dev/null)" "got:hello there" "a typed line reaches the command"
tui_type "more"
tui_keys Enter C-d
tui_expect '^DONE-3-0$' "^D ends the command's input (cat ends, exit 0)" 20
is "$(cat "$T/3.cat" 2>/dev/null)" "more" "what came after the line, up to ^D"

# ---- ^C is SIGINT for the command (under --init: pid 1 ignores SIGINT) ----
tui_type "$(launch_cmd 4 --init -- sh -c "echo run >$T/4.run; exec sleep 100"); echo DONE-4-\$?"
tui_keys Enter
wait_file "$T/4.run"
sleep 0.3
tui_keys C-c
tui_expect '^DONE-4-130$' "^C kills the command with SIGINT (exit 130)" 20

# ---- the window size ----
# (the command waits, at most 30 s, until its terminal's size changes)
tui_type "$(launch_cmd 5 -- sh -c "stty size >$T/5.size; i=0; while [ \"\$(stty size)\" = \"\$(cat $T/5.size)\" ] && [ \$i -lt 300 ]; do sleep 0.1; i=\$((i + 1)); done; stty size >>$T/5.size"); echo DONE-5-\$?"
tui_keys Enter
wait_file "$T/5.size"
tui_resize 100 30
tui_expect '^DONE-5-0$' "the window size command ends" 40
is "$(tr '\n' ' ' <"$T/5.size")" "40 120 30 100 " "the window size at start and after a resize"
tui_resize 120 40

# ---- redirected output stays exact ----
tui_shell_run 6 "$(launch_cmd 6 -- sh -c "test -t 0 && echo in-tty; test -t 1 || echo out-file; printf 'a\\nb\\n'") >$T/6.out"
is "$RC" 0 "stdout to a file: exit 0"
is "$(od -An -c "$T/6.out" | tr -s ' ')" "$(printf 'in-tty\nout-file\na\nb\n' | od -An -c | tr -s ' ')" \
	"stdout to a file: stdin is the pseudo-terminal, the file gets the bytes as written (no CR)"

# ---- SIGTERM to cgtop, and a crash: the outer terminal is restored ----
tui_type "$(launch_cmd 7 --init -- sh -c "echo run >$T/7.run; exec sleep 100"); echo DONE-7-\$?"
tui_keys Enter
wait_file "$T/7.run"
P=$(cgtop_pid)
kill -TERM "$P"
tui_expect '^DONE-7-143$' "SIGTERM to cgtop ends the command (exit 143)" 20
tui_shell_run 8 "stty -g >$T/stty.after"
is "$(cat "$T/stty.after")" "$(cat "$T/stty.before")" "after SIGTERM the outer terminal's modes are as before"

tui_type "$(launch_cmd 9 --init -- sh -c "echo run >$T/9.run; exec sleep 100"); echo DONE-9-\$?"
tui_keys Enter
wait_file "$T/9.run"
P=$(cgtop_pid)
kill -SEGV "$P"
tui_expect '^DONE-9-139$' "a crashed cgtop dies by its signal (exit 139)" 20
tui_shell_run 10 "stty -g >$T/stty.after"
is "$(cat "$T/stty.after")" "$(cat "$T/stty.before")" "after a crash the outer terminal's modes are as before"
sweep # (a crash leaves the group: nobody removes it)

# ---- without a terminal ----
out=$(printf 'piped\n' | timeout 60 "$CGTOP" --launch --parent self --name "$NAME-p1" --pty -- \
	sh -c 'test -t 0 && test -t 1 && echo TTY; read -r x; echo "read:$x"' 2>/dev/null)
if grep -q '^TTY' <<<"$out" && grep -q 'read:piped' <<<"$out"; then
	pass "--pty without a terminal: the command has one, stdin is relayed"
else
	fail "--pty without a terminal: the command has one, stdin is relayed" "$out"
fi
out=$(timeout 60 "$CGTOP" --launch --parent self --name "$NAME-p2" -- \
	sh -c 'test -t 0 || echo NOTTY' </dev/null 2>/dev/null)
is "$out" NOTTY "no terminal, no --pty: none for the command"
is "$(groups_named)" "" "no group left (but the crash's, removed by the test)"
done_testing
