#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# record.sh - the live dashboard and the flight recorder (tests/tui/lib.sh,
# live groups from tests/live/lib.sh): a headless recorder first stores twelve
# samples of a test group with a memory limit; then `cgtop -d 2
# --history-file THAT --record NEW TESTGROUP` runs in tmux: the header says
# [recording], the detail view of the group opens with a memory history that
# reaches back before start (the twelve recorded samples in front of the
# few live ones), and after q (exit 0) NEW is a recording (integrity_check ok) with
# the dashboard's samples of the group, every group closed, which -b --replay
# reads.  Bad input: a --history-file that is missing, a --record file that
# is no recording: one line, exit 1, the terminal back, nothing created or
# changed.
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
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed"
cg_hier_of memory >/dev/null || skip_all "no memory controller usable below the own group"
rc_=0
trap 'rc_=$?; tui_stop; (exit $rc_); cg_cleanup EXIT' EXIT
trap 'tui_stop; cg_cleanup INT' INT
trap 'tui_stop; cg_cleanup TERM' TERM
cg_describe
export XDG_CONFIG_HOME=$CG_TMP/config # no cgtoprc of the user's
mkdir -p "$XDG_CONFIG_HOME"
WAIT=${CGTOP_TUI_WAIT:-20}

NAME=tuirec
KID=$CG_TEST/$NAME
cg_create "$KID" memory pids || bail_out "cannot create $KID"
if cg_file "$KID" memory.max >/dev/null; then
	cg_write "$KID" memory.max 67108864 || bail_out "cannot set memory.max of $KID"
else
	cg_write "$KID" memory.limit_in_bytes 67108864 || bail_out "cannot set the memory limit of $KID"
fi
HIST=$CG_TMP/hist.db
NEW=$CG_TMP/new.db
"$CGTOP" --record "$HIST" -n 12 -d 0.1 "$CG_TEST" >/dev/null 2>"$CG_TMP/err" ||
	bail_out "the headless recorder failed: $(cat "$CG_TMP/err")"
is "$(sqlite3 "$HIST" 'select count(*) from ticks')" 12 "the headless recorder stored 12 samples"

tui_start -d 2 --history-file "$HIST" --record "$NEW" "$CG_TEST" || bail_out "tmux could not start"
tui_expect "^cgtop \\[recording\\]" "the header says [recording]" "$WAIT"
tui_expect "$NAME" "the dashboard shows the group $NAME" "$WAIT"
tui_keys /
tui_type "$NAME"
tui_keys Enter
tui_wait "─.$NAME" "$WAIT"
tui_keys Down Enter
# the history's memory line: a block a sample with a value (an empty group's
# 0 is the lowest block), so the four recorded samples and the live ones
mem_blocks()
{
	tui_screen | awk '/^ History/ { h = 1 } h && /^ memory/ { print; exit }' |
		grep -o '[▁▂▃▄▅▆▇█]' | wc -l
}
if tui_wait "Group $KID" "$WAIT"; then
	pass "Enter opens the detail of $NAME"
	# (live, a refresh every 2 s, 12 samples would take 24 s)
	for ((i = 0; i < 30; i++)); do
		n=$(mem_blocks)
		[ "$n" -ge 12 ] && break
		nap 0.1
	done
	if [ "$n" -ge 12 ]; then
		pass "its memory history reaches back before start ($n samples, 12 of them recorded)"
	else
		fail "its memory history reaches back before start" "$n samples:" "$(tui_screen)"
	fi
else
	fail "Enter opens the detail of $NAME" "$(tui_screen)"
fi
# a few refreshes recorded
tui_wait "no such screen" 4
tui_keys q
tui_wait 'Control Group' "$WAIT"
tui_keys q
if tui_wait 'PROMPT-BACK' "$WAIT"; then
	is "$(tui_status)" 0 "q exits 0"
else
	fail "q exits 0" "$(tui_screen)"
fi
is "$(sqlite3 "$NEW" 'pragma integrity_check')" ok "the dashboard's recording is sound"
n=$(sqlite3 "$NEW" "select count(*) from samples s join groups g on g.id = s.group_id where g.path = '$KID'")
[ "${n:-0}" -ge 1 ] && pass "it has rows of $NAME ($n)" || fail "it has rows of $NAME" "$n"
is "$(sqlite3 "$NEW" 'select count(*) from groups where last_seen is null')" 0 "every group is closed at the end"
t=$(sqlite3 "$NEW" 'select count(*) from ticks')
[ "${t:-0}" -ge 2 ] && pass "a sample each refresh ($t)" || fail "a sample each refresh" "$t ticks"
if "$CGTOP" -b --replay "$NEW" --format json -n 1 | grep -q "\"path\":\"$KID\""; then
	pass "-b --replay reads the dashboard's recording"
else
	fail "-b --replay reads the dashboard's recording"
fi

# bad input: NAME REGEX ARGS...: one line matching REGEX, exit 1, the terminal back
bad()
{
	local name=$1 re=$2
	shift 2
	tui_start "$@"
	if tui_wait 'PROMPT-BACK' "$WAIT" && [ "$(tui_status)" = 1 ] && tui_screen | grep -Eq -- "$re" &&
		[ "$(tui_screen | grep -c .)" -eq 2 ] && [ "$(tmux_ display-message -p -t t '#{alternate_on}')" = 0 ]; then
		pass "$name: one line, exit 1, terminal back"
	else
		fail "$name" "status $(tui_status); screen:" "$(tui_screen)"
	fi
}
bad "a missing --history-file" "cannot open the recording $CG_TMP/none.db" \
	--history-file "$CG_TMP/none.db" --record "$CG_TMP/new2.db" "$CG_TEST"
[ -e "$CG_TMP/new2.db" ] && fail "... and --record's file is not made" || pass "... and --record's file is not made"
echo 'not a recording' >"$CG_TMP/text"
bad "--record on a file that is no recording" "$CG_TMP/text is not a cgtop recording" --record "$CG_TMP/text" "$CG_TEST"
is "$(cat "$CG_TMP/text")" "not a recording" "... and the file is untouched"

done_testing
