#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# names.sh - no group or process name can break an output or a terminal.  Live groups (as
# root, below the test's own group) named with terminal sequences (ESC ] OSC, ESC [ CSI, BEL),
# a C1 control, an overlong form, a surrogate, a code point above U+10FFFF, a lone
# continuation byte, 0xFF, a blank, '=', quotes, backslashes and a newline (each one the
# kernel takes) go through every writer: batch text, JSON and Prometheus (promtool check
# metrics), --events text and JSON from a --kmsg-file holding the same names as the kernel
# escapes them, a --launch --report of a group so named, and the dashboard (tmux).  Checked by
# tests/security/check-names.py: well-formed UTF-8 without ESC, C0, DEL or C1 bytes, a strict
# JSON parser, one row or series per group (none forged, none merged), each name given back
# exactly by the documented escapes.  TAP.
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")/../live" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
top_srcdir=${top_srcdir:-$(cd "$LIVE_DIR/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
CGTOP=${CGTOP:-$top_builddir/cgtop}
CHECK=$top_srcdir/tests/security/check-names.py
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
command -v python3 >/dev/null || skip_all "python3 is not installed"
command -v promtool >/dev/null || skip_all "promtool is not installed (apt-get install prometheus)"
export LC_ALL=C

cg_init
cg_describe
cg_create "$CG_TEST" memory pids || bail_out "cannot create $CG_TEST"

# check FORMAT OUTPUT [PREFIX]: the checker's verdicts as TAP
check()
{
	local line
	while IFS= read -r line; do
		case $line in
		PASS\ *) pass "${line#PASS }" ;;
		FAIL\ *) line=${line#FAIL }; fail "${line%%$'\t'*}" "${line#*$'\t'}" ;;
		*) fail "check-names.py: $line" ;;
		esac
	done < <(python3 "$CHECK" "$1" "$CG_TMP/names" "$2" "${3:-$CG_TEST}" 2>&1)
}

# bytes the outputs must never carry raw: ESC and the C1 CSI (0x9b) as bytes
no_esc()
{
	if LC_ALL=C grep -q $'\x1b' "$1" || LC_ALL=C grep -qP '\xc2[\x80-\x9f]' "$1"; then
		fail "$2: no ESC or C1 byte" "$(od -c "$1" | grep -m3 -E '033|302')"
	else
		pass "$2: no ESC or C1 byte"
	fi
}

hostile=(
	$'osc\e]0;pwned\a'
	$'csi\e[2J\e[31m'
	$'c1\xc2\x9b31m'
	$'over\xc0\xaf'
	$'surr\xed\xa0\x80'
	$'surr\xed\xa0\x81'
	$'big\xf4\x90\x80\x80'
	$'lone\x80'
	$'ff\xff'
	'sp ace 1 2'
	'eq=x source=forged'
	'dq"uote'
	"sq'uote"
	'back\slash\x2d'
	$'new\nline'
	'caf'$'\xc3\xa9'
)
# mkdir in each hierarchy of the test group (cg_create reads paths by line)
_cg_dirsv "$CG_TEST"
test_dirs=("${CG_DIRS[@]}")
made=()
for n in "${hostile[@]}"; do
	ok=1
	for dir in "${test_dirs[@]}"; do
		if mkdir "$dir/$n" 2>/dev/null; then
			CG_CREATED+=("$dir/$n")
		else
			ok=0
		fi
	done
	if [ $ok = 1 ]; then
		made+=("$n")
	else
		diag "the kernel refuses the group name $(printf %q "$n")"
	fi
done
[ ${#made[@]} -ge 8 ] || bail_out "the kernel took only ${#made[@]} of the names"
printf '%s\0' "${made[@]}" >"$CG_TMP/names"

# ---- batch: text, JSON, Prometheus ---------------------------------------------------------
"$CGTOP" -b -n 1 --depth 1 --columns tasks,memory "$CG_TEST" >"$CG_TMP/text" 2>"$CG_TMP/err"
is "$?" 0 "text: exits 0"
no_esc "$CG_TMP/text" "text"
check text "$CG_TMP/text"

"$CGTOP" -b -n 1 --depth 1 --format json "$CG_TEST" >"$CG_TMP/json" 2>"$CG_TMP/err"
is "$?" 0 "json: exits 0"
no_esc "$CG_TMP/json" "json"
check json "$CG_TMP/json"
if command -v jq >/dev/null; then
	ok "json: jq reads it" jq -e . "$CG_TMP/json"
fi

"$CGTOP" -b -n 1 --depth 1 --format prometheus "$CG_TEST" >"$CG_TMP/prom" 2>"$CG_TMP/err"
is "$?" 0 "prom: exits 0"
if out=$(promtool check metrics <"$CG_TMP/prom" 2>&1); then
	pass "prom: promtool check metrics accepts it"
else
	fail "prom: promtool check metrics accepts it" "$out"
fi
no_esc "$CG_TMP/prom" "prom"
check prom "$CG_TMP/prom"

# ---- events, from the kernel's records of the same names ----------------------------------
python3 "$CHECK" kmsg "$CG_TMP/names" "$CG_TMP/kmsg" /sec
"$CGTOP" --events --kmsg-file "$CG_TMP/kmsg" >"$CG_TMP/ev.text" 2>"$CG_TMP/err"
is "$?" 0 "events text: exits 0"
no_esc "$CG_TMP/ev.text" "events text"
check events-text "$CG_TMP/ev.text" /sec
"$CGTOP" --events --format json --kmsg-file "$CG_TMP/kmsg" >"$CG_TMP/ev.json" 2>"$CG_TMP/err"
is "$?" 0 "events json: exits 0"
no_esc "$CG_TMP/ev.json" "events json"
check events-json "$CG_TMP/ev.json" /sec

# ---- the launch report of a group so named ---------------------------------------------------
rname=$'rep\e]0;pwned\a\xff'
printf '%s\0' "$rname" >"$CG_TMP/rnames"
for dest in file -; do
	if [ "$dest" = file ]; then
		timeout 60 "$CGTOP" --launch --parent self --name "$rname" --report "$CG_TMP/report" -- true \
			>/dev/null 2>"$CG_TMP/err" </dev/null
	else
		timeout 60 "$CGTOP" --launch --parent self --name "$rname" --report - -- true \
			>"$CG_TMP/report" 2>"$CG_TMP/err" </dev/null
	fi
	is "$?" 0 "report ($dest): the launch exits 0"
	no_esc "$CG_TMP/report" "report ($dest)"
	cp "$CG_TMP/names" "$CG_TMP/names.keep"
	cp "$CG_TMP/rnames" "$CG_TMP/names"
	check report "$CG_TMP/report"
	cp "$CG_TMP/names.keep" "$CG_TMP/names"
done

# ---- the dashboard: '?' for what a terminal cannot show, its title untouched ---------------
if command -v tmux >/dev/null; then
	# shellcheck source=tests/tui/lib.sh
	. "$top_srcdir/tests/tui/lib.sh"
	trap 'tui_stop; cg_cleanup EXIT' EXIT
	TUI_COLS=160
	export XDG_CONFIG_HOME=$CG_TMP/config
	tui_start --flat --delay 60 "$CG_TEST"
	tui_expect 'osc\?\]0;pwned\?' "dashboard: ESC and BEL of a name show as ?" 20
	tui_expect 'over\?\?' "dashboard: an overlong form shows as ?"
	tui_expect 'surr\?\?\?' "dashboard: a surrogate shows as ?"
	tui_expect 'c1\?31m' "dashboard: a C1 control shows as ?"
	title=$(tmux -L "$TUI_SOCK" display-message -p -t t '#{pane_title}' 2>/dev/null)
	[[ $title == *pwned* ]] && fail "dashboard: a name cannot set the terminal's title" "$title" ||
		pass "dashboard: a name cannot set the terminal's title"
	tui_keys q
	tui_stop
else
	skip "dashboard" "tmux is not installed"
fi

done_testing
