#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# action-fresh.sh - a limit the dashboard writes shows at once, although limits
# are otherwise read every 5th refresh (man page, "How old a value can be"):
# with a refresh interval of 60 s, m 40M on the test group must put 40.0M in
# its row within seconds (the action's own refresh reads every group's
# limits), not a minute or more later.  The write comes within 10 s of the
# group's first read, so no other rule re-reads it meanwhile.  Root and tmux,
# else skips.

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
cg_hier_of memory >/dev/null || skip_all "no memory controller usable below the own group"
cg_describe

G=$CG_TEST
NAME=${G##*/}
cg_create "$G" memory || bail_out "cannot create $G"
if mf=$(cg_file "$G" memory.limit_in_bytes); then
	MEMFILE=memory.limit_in_bytes
else
	MEMFILE=memory.max
	mf=$(cg_file "$G" memory.max) || bail_out "no memory limit file in $G"
fi

ROWRE="(${G:0:12}|${NAME: -6}) "
tui_start -d 60 "$G"
tui_expect "$ROWRE" "the dashboard shows the test group"
tui_keys /
tui_type "$NAME"
tui_keys Enter
tui_keys Home
tui_keys m
tui_expect "memory limit of" "m opens the prompt"
tui_type 40M
tui_keys Enter
tui_expect "$NAME: $MEMFILE set to 40\.0M" "status line: $MEMFILE set to 40.0M"
is "$(cat "$mf")" 41943040 "m 40M: $MEMFILE is 41943040"
if tui_wait "$ROWRE.* 40\.0M " 5; then
	pass "the row's MemLimit says 40.0M at once, with a refresh interval of 60 s"
else
	fail "the row's MemLimit says 40.0M at once, with a refresh interval of 60 s" "screen:" "$(tui_screen)"
fi
tui_keys q
done_testing
