#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# launch-tty.sh - a launched command has no way back to the terminal cgtop
# runs on.  An interactive bash in a tmux pane (the "outer shell", as root
# would have it) runs cgtop --launch with tests/helpers/ttyprobe as the
# command, which pushes "touch MARKER" into the terminal with TIOCSTI (on
# /dev/tty and on fd 0) and writes it to /dev/tty; once cgtop has ended, the
# outer shell must not have run it (no MARKER).  As --user 65534 and as uid
# 0 with --drop-caps (no CAP_SYS_ADMIN, which TIOCSTI on a terminal other
# than one's own needs), with the default pseudo-terminal and with
# --no-pty; and under --watch, where the command must not reach the
# dashboard's terminal at all: /dev/tty fails with ENXIO (no controlling
# terminal) there and with --no-pty.  Root and tmux, else skips.

set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")/../live" && pwd)}
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
need_helper PROBE ttyprobe
cg_describe

NAME=cgtop-tty-$$
groups_named() { cg_groups_named "$NAME*"; }
sweep() { cg_sweep_named "$NAME*"; }
trap 'r=$?; tui_stop; sweep; (exit $r); cg_cleanup EXIT' EXIT
trap 'r=$?; tui_stop; sweep; (exit $r); cg_cleanup INT' INT
trap 'r=$?; tui_stop; sweep; (exit $r); cg_cleanup TERM' TERM

# nobody must reach the probe and write its report
chmod 711 "$CG_TMP"
PUB=$CG_TMP/pub
mkdir -m 1777 "$PUB"
cp "$PROBE" "$PUB/ttyprobe" && chmod 755 "$PUB/ttyprobe"
diag "kernel.legacy_tiocsti: $(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 'absent (TIOCSTI allowed)')"

# the outer shell: an interactive bash, as a person at the terminal has it
tui_shell_start || bail_out "the outer shell did not start: $(tui_screen)"

probe()
{
	sed -n "s/^$2=//p" "$PUB/$1.out"
}

K=0
# case DESC EXPECT_DEVTTY CGTOP-OPTIONS...: the probe in a launched command
case_()
{
	local desc=$1 want_devtty=$2 m out
	shift 2

	K=$((K + 1))
	m=$PUB/marker-$K
	out=$PUB/$K.out
	rm -f "$out" "$m"
	tui_shell_run "$K" "$(printf '%q ' "$CGTOP" --launch --parent self --name "$NAME-$K" "$@" -- \
		"$PUB/ttyprobe" "$out" "touch $m\\n")" 2>/dev/null
	tui_shell_sync "$K" || fail "$desc: the outer shell answers" "$(tui_screen)"
	if [ ! -s "$out" ]; then
		fail "$desc: the probe ran" "rc=$RC" "$(tui_screen)"
		return
	fi
	diag "$desc: $(tr '\n' ' ' <"$out")"
	if [ -e "$m" ]; then
		fail "$desc: the outer shell did not run what the command pushed" "$(tui_screen)"
	else
		pass "$desc: the outer shell did not run what the command pushed"
	fi
	if [ -n "$want_devtty" ]; then
		is "$(probe "$K" devtty)" "$want_devtty" "$desc: open(/dev/tty) gives $want_devtty"
	fi
	is "$(groups_named)" "" "$desc: no group left"
}

case_ "--user 65534" ok --user 65534
is "$(probe "$K" uid)/$(probe "$K" tty0)" "65534/1" "--user 65534: the command has a terminal of its own"
case_ "--drop-caps (uid 0)" ok --drop-caps
is "$(probe "$K" uid)/$(probe "$K" capeff)" "0/0000000000000000" "--drop-caps: uid 0 without capabilities"
case_ "uid 0 with capabilities" ok
case_ "--user 65534 --no-pty" ENXIO --user 65534 --no-pty
case "$(probe "$K" sti_fd0)" in
EPERM | EIO) pass "--user 65534 --no-pty: TIOCSTI on fd 0 (cgtop's terminal) refused" ;;
*) fail "--user 65534 --no-pty: TIOCSTI on fd 0 (cgtop's terminal) refused" "$(cat "$PUB/$K.out")" ;;
esac
case_ "--drop-caps --no-pty" ENXIO --drop-caps --no-pty
case "$(probe "$K" sti_fd0)" in
EPERM | EIO) pass "--drop-caps --no-pty: TIOCSTI on fd 0 (cgtop's terminal) refused" ;;
*) fail "--drop-caps --no-pty: TIOCSTI on fd 0 (cgtop's terminal) refused" "$(cat "$PUB/$K.out")" ;;
esac

# ---- --watch: the dashboard's terminal is out of reach ----
K=$((K + 1))
m=$PUB/marker-$K
tui_type "$(printf '%q ' "$CGTOP" --launch --parent self --name "$NAME-$K" --user 65534 --watch -- \
	sh -c "sleep 1; $PUB/ttyprobe $PUB/$K.out 'touch $m\\n'; echo SCRIBBLE >/dev/tty; sleep 600")"
tui_keys Enter
for ((i = 0; i < 300; i++)); do
	[ -s "$PUB/$K.out" ] && break
	sleep 0.1
done
diag "--watch: $(tr '\n' ' ' <"$PUB/$K.out" 2>/dev/null)"
is "$(probe "$K" devtty)" ENXIO "--watch: open(/dev/tty) in the command gives ENXIO"
is "$(probe "$K" tty0)/$(probe "$K" tty1)" "0/0" "--watch: the command's stdin and stdout are no terminal"
sleep 0.5
if tui_screen | grep -q SCRIBBLE; then
	fail "--watch: nothing the command writes reaches the dashboard" "$(tui_screen)"
else
	pass "--watch: nothing the command writes reaches the dashboard"
fi
tui_keys q
tui_shell_sync "$K" || fail "--watch: the outer shell answers after q" "$(tui_screen)"
if [ -e "$m" ]; then
	fail "--watch: the outer shell did not run what the command pushed"
else
	pass "--watch: the outer shell did not run what the command pushed"
fi
for ((i = 0; i < 30; i++)); do
	[ -z "$(groups_named)" ] && break
	sleep 0.1
done
is "$(groups_named)" "" "--watch: no group left"
done_testing
