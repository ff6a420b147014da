#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# basic.sh - the dashboard's basics through a private tmux server: start-up
# shows the header and a group made here with its memory limit; sorting,
# filtering, collapse and expand, flat mode, help, resize to 80x24 and to tiny
# sizes, --readonly in the header; q exits 0 and gives the prompt back,
# SIGTERM restores the terminal (exit 0, as top: the signal is a normal way
# to stop it), -n COUNT ends by itself.  Root and tmux are needed.
#
# Groups (memory controller, nested under the test's own group):
#   $CG_TEST            the dashboard's root (PATH)
#   $CG_TEST/box        memory limit 64M
#   $CG_TEST/box/inner  (its effective limit is box's)
#   $CG_TEST/other      memory limit 128M

. "${top_srcdir:-.}/tests/live/lib.sh"
. "${top_srcdir:-.}/tests/tui/lib.sh"

[ -x "${CGTOP:-}" ] || skip_all "CGTOP is not set to the built cgtop"
tui_have || skip_all "tmux is not installed"
cg_init
cg_hier_of memory >/dev/null || skip_all "no memory controller"
trap 'rc=$?; tui_stop; (exit $rc); cg_cleanup EXIT' EXIT
trap 'tui_stop; cg_cleanup INT' INT
trap 'tui_stop; cg_cleanup TERM' TERM
cg_describe

mem=$(cg_hier_of memory)
if [ "${CG_TYPE[mem]}" = v2 ]; then
	limit_file=memory.max
else
	limit_file=memory.limit_in_bytes
fi
cg_create "$CG_TEST/box/inner" memory || bail_out "cannot create $CG_TEST/box/inner"
cg_create "$CG_TEST/other" memory || bail_out "cannot create $CG_TEST/other"
cg_write "$CG_TEST/box" "$limit_file" $((64 << 20)) || bail_out "cannot limit box"
cg_write "$CG_TEST/other" "$limit_file" $((128 << 20)) || bail_out "cannot limit other"

# no cgtoprc of the user's: a private, empty configuration directory
export XDG_CONFIG_HOME=$CG_TMP/config
mkdir -p "$XDG_CONFIG_HOME"

# line_of REGEX: the first screen line matching, or 0
line_of()
{
	local n

	n=$(tui_screen | grep -nE -- "$1" | head -1 | cut -d: -f1)
	echo "${n:-0}"
}

# wait_order A B: wait until a line matching A is above a line matching B
wait_order()
{
	local i a b

	for ((i = 0; i < 50; i++)); do
		a=$(line_of "$1")
		b=$(line_of "$2")
		[ "$a" -gt 0 ] && [ "$b" -gt 0 ] && [ "$a" -lt "$b" ] && return 0
		sleep 0.1
	done
	return 1
}

# ---- start-up ------------------------------------------------------------------
tui_start -d 0.5 "$CG_TEST"
tui_expect '^cgtop .*Linux .*(v1|v2|hybrid)' "header: host, kernel, mode"
tui_expect '[0-9]+ groups +refresh 0.5 s' "header: groups and the refresh interval"
tui_expect 'CPU \[.*Mem \[' "header: host CPU and memory bars"
tui_expect 'OOM kills: [0-9]+ since start(, [0-9]+ since [^ ]+)? +rejected forks: [0-9]+ since start +kmsg: (readable|not readable)' \
	"header: events and kernel log state"
tui_expect '─ box .* 64(\.0)?M' "the test group shows with its 64M limit"
tui_expect '─ other .* 128(\.0)?M' "the other group shows with its 128M limit"

# ---- sort ------------------------------------------------------------------------
tui_keys L
tui_expect '[▼v]MemLimit' "L marks the limit column as the sort column"
if wait_order '─ other ' '─ box '; then
	pass "sorted by limit, descending: other (128M) above box (64M)"
else
	fail "sorted by limit, descending" "$(tui_screen)"
fi
tui_keys I
tui_expect '[▲^]MemLimit' "I inverts the order marker"
if wait_order '─ box ' '─ other '; then
	pass "inverted: box above other"
else
	fail "inverted order" "$(tui_screen)"
fi
tui_keys '>'
tui_wait_gone '[▲▼^v]MemLimit' 5 && tui_expect '[▲▼^v]Mem%' "> moves the sort to the next column"
tui_keys N
tui_expect 'Control Group[▲^]' "N sorts by name"

# ---- filter ------------------------------------------------------------------------
tui_keys /
tui_expect 'Filter' "/ opens the filter prompt"
tui_type other
tui_keys Enter
if tui_wait_gone '─ box ' 5 && tui_wait '─ other ' 5; then
	pass "the filter shows only matching groups"
else
	fail "filter" "$(tui_screen)"
fi
tui_keys Escape
tui_expect '─ box ' "Esc clears the filter"

# ---- collapse and expand --------------------------------------------------------------
tui_expect '─ inner ' "inner shows below box"
tui_keys Home Down
tui_keys Left
if tui_wait '─\+box ' 5 && tui_wait_gone '─ inner ' 5; then
	pass "Left collapses the selected group"
else
	fail "collapse" "$(tui_screen)"
fi
tui_keys Right
tui_expect '─ inner ' "Right expands it again"
tui_keys Space
tui_wait_gone '─ inner ' 5 && pass "Space toggles" || fail "Space toggles" "$(tui_screen)"
tui_keys Space
tui_expect '─ inner ' "Space toggles back"

# ---- flat ----------------------------------------------------------------------------
tui_keys t
tui_expect '/box/inner +[0-9-]' "t shows the flat list with paths"
tui_keys t
tui_expect '─ inner ' "t again shows the tree"

# ---- mouse ---------------------------------------------------------------------------
# xterm SGR mouse reports typed into the pane (press and release of button 1)
click()
{
	tui_type $'\e[<0;'"$1;$2"'M'$'\e[<0;'"$1;$2"'m'
}
title=$(line_of 'Control Group')
x=$(tui_screen | sed -n "${title}p" | awk '{ print index($0, "MemLimit") + 2 }')
if [ "$title" -gt 0 ] && [ "$x" -gt 2 ]; then
	tui_keys N
	tui_wait 'Control Group[▼▲]' 5 || fail "N sorts by name" "$(tui_screen)"
	click "$x" "$title"
	tui_expect '[▼▲]MemLimit' "a click on a column title sorts by it"
	tui_keys N
	tui_expect 'Control Group[▼▲]' "N sorts by name again"
	# the row as the screen settled: a capture can catch a frame half
	# written (the title re-sorted, the rows not yet), seen under load
	y=$(line_of '─ other ')
	for ((i = 0; i < 20; i++)); do
		sleep 0.2
		y2=$(line_of '─ other ')
		[ "$y2" = "$y" ] && break
		y=$y2
	done
	click 8 "$y"
	tui_keys Enter
	tui_expect "Group $CG_TEST/other" "a click on a row selects it (Enter opens that group)"
	tui_keys Escape
	tui_expect '─ other ' "Esc returns to the table"
else
	fail "mouse: no title line" "$(tui_screen)"
fi

# ---- help ----------------------------------------------------------------------------
tui_keys h
tui_expect 'Press any key to return' "h shows the help"
tui_expect 'kill all processes' "the help lists the action keys"
tui_keys x
tui_wait_gone 'Press any key to return' 5 && tui_expect 'Control Group' "a key returns to the table"

# ---- resize --------------------------------------------------------------------------
tui_resize 80 24
tui_expect 'Control Group.*Memory +MemLimit' "80x24: name, memory and limit columns"
tui_expect '─ box .* 64(\.0)?M' "80x24: the group and its limit"
tui_resize 30 8
if tui_wait '^cgtop' 5 && tui_wait 'Control Group' 5; then
	out=$(tui_screen)
	if [ "$(wc -l <<<"$out")" -le 8 ] && ! grep -q 'MemLimit' <<<"$out"; then
		pass "30x8: header and table, no leftovers"
	else
		fail "30x8: leftovers" "$out"
	fi
else
	fail "30x8" "$(tui_screen)"
fi
tui_resize 15 4
tui_expect 'terminal too' "15x4: terminal too small"
tui_resize 120 40
tui_expect 'Control Group.*MemLimit.*Rejected' "back to 120x40"

# ---- quit --------------------------------------------------------------------------------
tui_keys q
is "$(tui_status)" 0 "q exits 0"
tui_expect 'PROMPT-BACK' "the prompt is back after q"
tui_stop

# ---- settings saved on quit ---------------------------------------------------------
rcfile=$XDG_CONFIG_HOME/cgtop/cgtoprc
rm -f "$rcfile"
tui_start "$CG_TEST"
tui_expect 'Control Group[▲^]' "a fresh start sorts by name"
tui_keys M
tui_expect '[▼v]Memory' "M sorts by memory"
tui_keys q
is "$(tui_status)" 0 "q exits 0 after a sort change"
if grep -q '^sort *= *memory' "$rcfile" 2>/dev/null; then
	pass "the changed sort is saved in cgtoprc"
else
	fail "the changed sort is saved in cgtoprc" "$(cat "$rcfile" 2>&1)"
fi
tui_stop
tui_start "$CG_TEST"
tui_expect '[▼v]Memory' "the next start sorts by memory again"
tui_keys N q
tui_status >/dev/null
tui_stop

# ---- monochrome and ASCII ----------------------------------------------------------------
# colour SGR parameters: 30-37, 40-47, 90-97, 100-107, 38;5;N, 48;5;N
colour_re=$'\e\\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;5;[0-9]+|48;5;[0-9]+)(;[0-9;]*)?m'
tui_start "$CG_TEST"
tui_expect '─ box ' "colour: the table shows"
if tui_screen_e | grep -Eq "$colour_re"; then
	pass "by default the screen has colours"
else
	fail "by default the screen has colours" "$(tui_screen_e | head -5 | cat -v)"
fi
tui_stop
TUI_ENV="NO_COLOR=1" tui_start "$CG_TEST"
tui_expect '─ box ' "NO_COLOR: the table shows"
if tui_screen_e | grep -Eq "$colour_re"; then
	fail "NO_COLOR=1: no colours, attributes only" "$(tui_screen_e | grep -E "$colour_re" | head -3 | cat -v)"
else
	pass "NO_COLOR=1: no colours, attributes only"
fi
if tui_screen_e | grep -q $'\e\\[[0-9;]*7[;m]'; then
	pass "NO_COLOR=1: the selection is shown in reverse video"
else
	fail "NO_COLOR=1: the selection is shown in reverse video" "$(tui_screen_e | head -8 | cat -v)"
fi
tui_stop
tui_start --no-color "$CG_TEST"
tui_expect '─ box ' "--no-color: the table shows"
tui_screen_e | grep -Eq "$colour_re" && fail "--no-color: no colours" || pass "--no-color: no colours"
tui_stop
mkdir -p "$XDG_CONFIG_HOME/cgtop"
echo 'color = no' >"$XDG_CONFIG_HOME/cgtop/cgtoprc"
tui_start "$CG_TEST"
tui_expect '─ box ' "cgtoprc color = no: the table shows"
tui_screen_e | grep -Eq "$colour_re" && fail "cgtoprc color = no: no colours" || pass "cgtoprc color = no: no colours"
tui_stop
rm -f "$XDG_CONFIG_HOME/cgtop/cgtoprc"
# a HOME this user may not read (sudo -u keeps the caller's HOME): the
# defaults, one line saying so, and nothing written on q
home=$CG_TMP/home-of-root
mkdir -p "$home/.config/cgtop" && chmod 700 "$home"
TUI_ENV="XDG_CONFIG_HOME= HOME=$home setpriv --reuid=65534 --regid=65534 --clear-groups" tui_start "$CG_TEST"
tui_expect '─ box ' "a HOME this user may not read: the dashboard starts with the defaults"
tui_expect 'settings not read' "a HOME this user may not read: the status line says the settings were not read"
tui_keys q
is "$(tui_status)" 0 "a HOME this user may not read: q exits 0"
is "$(ls -A "$home/.config/cgtop")" "" "a HOME this user may not read: nothing written"
tui_stop
TUI_LANG=C tui_start "$CG_TEST"
tui_expect '[|`]- box ' "LANG=C: tree lines in ASCII"
tui_screen | grep -q '[├└│▼▲█]' && fail "LANG=C: no UTF-8 drawing characters" "$(tui_screen | head -8)" ||
	pass "LANG=C: no UTF-8 drawing characters"
tui_keys q
is "$(tui_status)" 0 "LANG=C: q exits 0"
tui_stop

# ---- read-only -------------------------------------------------------------------------
tui_start --readonly "$CG_TEST"
tui_expect 'read-only' "--readonly shows read-only in the header"

# ---- SIGTERM -----------------------------------------------------------------------------
pid=
for ((i = 0; i < 50; i++)); do
	pid=$(tui_pid)
	[ -n "$pid" ] && break
	sleep 0.1
done
if [ -n "$pid" ]; then
	kill -TERM "$pid"
	# like top, cgtop ends normally on SIGTERM and SIGINT (exit 0), terminal restored
	st=$(tui_status)
	is "$st" 0 "SIGTERM: exit status 0"
	tui_expect 'PROMPT-BACK' "SIGTERM restores the terminal"
else
	fail "SIGTERM: cgtop's pid not found" "$(tui_screen)"
	skip "SIGTERM restores the terminal" "no pid"
fi
tui_stop

# ---- rows scrolled into view ------------------------------------------------------------
# Groups off the screen are not read in full every refresh (only their tasks,
# CPU and memory): a row that scrolls into view is read at once, so it never
# shows values older than the last refresh.  A limit is set on m00 (on the
# screen) and m59 (below it), and one on many, the rows' parent (on the screen),
# which is m58's effective limit; once m00 shows its own, a refresh has happened
# since (3 s apart), and End must show m59's and m58's new limits well before
# the next one (the effective limits of rows off the screen are computed when
# they come into view, from their parents').
many_ok=1
for ((i = 0; i < 60; i++)); do
	cg_create "$CG_TEST/many/m$(printf %02d $i)" memory || { many_ok=0; break; }
done
if [ $many_ok = 1 ]; then
	tui_start -d 3 "$CG_TEST/many"
	tui_expect '─ m00 ' "60 groups: the first rows show" 10
	if tui_screen | grep -q ' m59 '; then
		skip "a row scrolled into view is read at once" "the screen shows all 60 rows"
	else
		cg_write "$CG_TEST/many" "$limit_file" $((48 << 20))
		cg_write "$CG_TEST/many/m00" "$limit_file" $((40 << 20))
		cg_write "$CG_TEST/many/m59" "$limit_file" $((40 << 20))
		if tui_wait 'm00 .*40\.0M' 8; then
			tui_keys End
			tui_expect 'm59 .*40\.0M' "a row scrolled into view is read at once, not at the next refresh" 1.5
			tui_expect 'm58 .*48\.0M' "... and its effective limit is its parent's new one" 0.5
			# m59, off the screen until now, had its OOM counters read
			# alone (no text kept): its detail view shows the file
			tui_keys Enter
			tui_expect '^ memory\.(oom_control|events) +[a-z_]+ [0-9]' \
				"the detail view of a group scrolled into view shows its memory.oom_control or memory.events" 3
			tui_keys Escape
		else
			fail "a refresh shows m00's new limit" "$(tui_screen)"
		fi
	fi
	tui_stop
else
	fail "cannot create 60 groups for the scrolling test"
fi

# ---- -n COUNT -----------------------------------------------------------------------------
tui_start -n 3 -d 0.2 "$CG_TEST"
is "$(tui_status)" 0 "-n 3 exits by itself with 0"
tui_expect 'PROMPT-BACK' "-n 3: the prompt is back"
tui_stop
# one sample is the first screen: no wait for a second refresh an interval later
tui_start -n 1 -d 3600 "$CG_TEST"
is "$(tui_status)" 0 "-n 1 exits after the first screen, not after a second refresh"
tui_stop

done_testing
