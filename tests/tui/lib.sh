# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh - drive the dashboard through a private tmux server (sourced by the
# tests/tui scripts after tests/live/lib.sh).  Each script gets its own server
# (-L cgtop-tui-$$, no config file) and a 120x40 window; tests wait by polling
# capture-pane for what should appear, never by sleeping a fixed time.
#
#   tui_start [cgtop options...]    start "$CGTOP options" in the window
#   tui_wait REGEX [SECONDS]        wait until the screen matches (grep -E); 0/1
#   tui_wait_gone REGEX [SECONDS]   wait until it no longer matches
#   tui_screen                      print the screen (capture-pane -p)
#   tui_screen_e                    the same with colours and attributes (-e)
# TUI_TERM, TUI_LANG and TUI_ENV (more VAR=value words) set cgtop's environment.
#   tui_keys KEY...                 tmux send-keys (names: Enter Escape Up Down NPage F1 ...)
#   tui_type TEXT                   send literal text
#   tui_resize COLS LINES           resize the window
#   tui_pid                         pid of the program in the pane
#   tui_running                     is the program still in the pane?
#   tui_stop                        kill the tmux server (trap-safe)
#   tui_expect REGEX DESC [SECONDS] one TAP test: the screen shows REGEX
#   tui_shell_start                 an interactive bash in the window instead (the
#                                   "outer shell" a person types cgtop into)
#   tui_shell_run TAG CMDLINE       type CMDLINE there, wait until it ended; sets RC
#   tui_shell_sync TAG              the outer shell has read all input so far
#   tui_shell_pid                   pid of that bash

TUI_SOCK=cgtop-tui-$$
TUI_OUT=
TUI_COLS=120
TUI_LINES=40

tui_have()
{
	command -v tmux >/dev/null 2>&1
}

tmux_()
{
	tmux -L "$TUI_SOCK" -f /dev/null "$@"
}

# tui_start [cgtop options...]: the pane runs cgtop, then a shell prompt
# marker so tests see the terminal after exit; the exit status is kept.
tui_start()
{
	local q= a

	for a in "$@"; do
		q+=" $(printf '%q' "$a")"
	done
	TUI_OUT=${TUI_OUT:-$(mktemp -d /tmp/cgtop-tui.XXXXXX)}
	rm -f "$TUI_OUT/status"
	tmux_ kill-server 2>/dev/null
	# the killed server may still be going away: a client that meets it says
	# "server exited unexpectedly" (seen under ASan), so wait and try again
	for a in 1 2 3 4 5; do
		tmux_ new-session -d -x "$TUI_COLS" -y "$TUI_LINES" -s t \
			"env TERM=${TUI_TERM:-xterm-256color} LANG=${TUI_LANG:-C.UTF-8} ${TUI_ENV:-} $(printf '%q' "$CGTOP")$q; \
echo \$? > $TUI_OUT/status; printf 'PROMPT-BACK\n'; exec sleep 600" && break
		[ "$a" = 5 ] && return 1
		sleep 0.5
		tmux_ kill-server 2>/dev/null
	done
	tmux_ set-option -g status off >/dev/null
}

tui_screen()
{
	tmux_ capture-pane -p -t t 2>/dev/null
}

tui_screen_e()
{
	tmux_ capture-pane -p -e -t t 2>/dev/null
}

# Deadlines are by the clock (a capture under emulation may take long); the
# loops start no process but tmux and grep (now_ms and nap: tests/live/lib.sh).
declare -F nap >/dev/null || nap() { sleep "$1"; }
declare -F now_ms >/dev/null || now_ms() { local t=${EPOCHREALTIME//[!0-9]/}; NOW_MS=$((10#$t / 1000)); }
# _tui_deadline SECONDS: sets _TUI_END, SECONDS (fractions allowed) from now.
_tui_deadline()
{
	local s=${1%%.*} f=000

	[[ $1 == *.* ]] && f=${1#*.}000
	now_ms
	_TUI_END=$((NOW_MS + 10#${s:-0} * 1000 + 10#${f:0:3}))
}

tui_wait()
{
	local re=$1

	_tui_deadline "${2:-10}"
	while :; do
		tui_screen | grep -Eq -- "$re" && return 0
		now_ms
		[ "$NOW_MS" -lt "$_TUI_END" ] || return 1
		nap 0.1
	done
}

tui_wait_gone()
{
	local re=$1

	_tui_deadline "${2:-10}"
	while :; do
		tui_screen | grep -Eq -- "$re" || return 0
		now_ms
		[ "$NOW_MS" -lt "$_TUI_END" ] || return 1
		nap 0.1
	done
}

tui_keys()
{
	tmux_ send-keys -t t "$@"
}

tui_type()
{
	tmux_ send-keys -t t -l -- "$1"
}

tui_resize()
{
	tmux_ resize-window -t t -x "$1" -y "$2"
}

# The pid of cgtop: the pane's shell runs it as its child.
tui_pid()
{
	local sh

	sh=$(tmux_ display-message -p -t t '#{pane_pid}' 2>/dev/null) || return 1
	pgrep -P "$sh" -x cgtop 2>/dev/null | head -1
}

tui_running()
{
	[ -n "$(tui_pid)" ]
}

# The exit status cgtop left, once it has ended (waits up to 10 s).
tui_status()
{
	local i

	for ((i = 0; i < 100; i++)); do
		[ -s "$TUI_OUT/status" ] && { cat "$TUI_OUT/status"; return 0; }
		nap 0.1
	done
	return 1
}

# _tui_tree PID...: the pids and every descendant of them (ps --ppid)
_tui_tree()
{
	local p

	for p; do
		echo "$p"
		# shellcheck disable=SC2046 # one pid a word
		_tui_tree $(ps -o pid= --ppid "$p" 2>/dev/null)
	done
}

tui_stop()
{
	local sock pids p t

	sock=$(tmux_ display-message -p '#{socket_path}' 2>/dev/null)
	# the processes of the panes (cgtop among them), by pid: after the server
	# goes they get SIGHUP and should end; one that does not within 10 s is
	# killed (a sanitizer build's leak check at exit, stopping the process
	# with ptrace, can wait forever when the hangup's SIGCONT wakes it: seen
	# once, a dashboard spinning at 94 % of a CPU for 20 minutes after CI)
	# shellcheck disable=SC2046 # one pid a word
	pids=$(_tui_tree $(tmux_ list-panes -a -F '#{pane_pid}' 2>/dev/null))
	tmux_ kill-server 2>/dev/null
	for p in $pids; do
		for ((t = 0; t < 100; t++)); do
			kill -0 "$p" 2>/dev/null || break
			nap 0.1
		done
		if kill -0 "$p" 2>/dev/null; then
			diag "tui_stop: pid $p still there 10 s after the terminal went: killed"
			kill -KILL "$p" 2>/dev/null
		fi
	done
	# tmux leaves its socket file behind
	[ -n "$sock" ] && [[ $sock == */$TUI_SOCK ]] && rm -f "$sock"
	[ -n "$TUI_OUT" ] && rm -rf "$TUI_OUT"
	TUI_OUT=
}

tui_expect()
{
	if tui_wait "$1" "${3:-10}"; then
		pass "$2"
	else
		fail "$2" "screen did not show /$1/:" "$(tui_screen)"
	fi
}

# ---- an outer shell ------------------------------------------------------------

tui_shell_start()
{
	TUI_OUT=${TUI_OUT:-$(mktemp -d /tmp/cgtop-tui.XXXXXX)}
	tmux_ kill-server 2>/dev/null
	tmux_ new-session -d -x "$TUI_COLS" -y "$TUI_LINES" -s t \
		"env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TERM=${TUI_TERM:-xterm-256color} LANG=${TUI_LANG:-C.UTF-8} HOME=$TUI_OUT PS1='outer\$ ' bash --norc --noprofile -i" ||
		return 1
	tmux_ set-option -g status off >/dev/null
	tmux_ set-option -g history-limit 5000 >/dev/null
	tui_wait 'outer\$' 10
}

# the whole pane with its history, wrapped lines joined
_tui_screen_all()
{
	tmux_ capture-pane -p -J -S -5000 -t t 2>/dev/null
}

tui_shell_run()
{
	local tag=$1 i

	shift
	tui_type "$*; echo DONE-$tag-\$?"
	tui_keys Enter
	for ((i = 0; i < 600; i++)); do
		RC=$(_tui_screen_all | sed -n "s/^DONE-$tag-\([0-9]*\)\$/\1/p" | tail -1)
		[ -n "$RC" ] && return 0
		sleep 0.1
	done
	RC=timeout
	return 1
}

tui_shell_sync()
{
	local i

	tui_type "echo SYNC-$1"
	tui_keys Enter
	for ((i = 0; i < 300; i++)); do
		_tui_screen_all | grep -qx "SYNC-$1" && return 0
		sleep 0.1
	done
	return 1
}

tui_shell_pid()
{
	tmux_ display-message -p -t t '#{pane_pid}' 2>/dev/null
}
