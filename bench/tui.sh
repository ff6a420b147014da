#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tui.sh - `make bench` part 4: the cost of the dashboard itself.  For each fleet size N it
# builds the fleet of bench/run.sh (bench/mkfleet.sh, removed again by bench/rmfleet.sh on
# every exit path), then runs, one after the other on the same fleet, `systemd-cgtop -d 1`
# (interactive, no -b) and `cgtop -d 1` (the dashboard), both at --depth 10 on "/" as
# run.sh compares them, each in a private tmux server (-L cgtop-bench-<pid>, no config) at
# 120x40; once the first screen is up and a warm-up has passed, it reads the tool's CPU
# (utime+stime from /proc/PID/stat, and the scheduler's sum_exec_runtime of every thread
# when /proc/PID/task/TID/sched has it) over a fixed window, its RSS, and the tmux server's
# CPU (the cost of drawing what the tool sends).  cgtop runs three times: as it starts by
# default (all its columns, sorted by name: groups off the screen are not read), as
# "cgtop-same" with only the columns systemd-cgtop shows (tasks, CPU, memory, IO), and as
# "cgtop-cpu" sorted by CPU (every group's CPU read every refresh).  Prints a table with the ratios
# and the target, and one "bench: ..." line per figure.  A benchmark: it never fails on speed.
#
#   tui.sh [-s SECS] [-w WARM] [-d DEPTH] [-b BUSY] [N ...]
#
#   N ...      fleet sizes (default $BENCH_N, else "1000 5000")
#   -s SECS    measuring window per tool (default $BENCH_TUI_SECS, else 30)
#   -w WARM    seconds between the first screen and the window (default $BENCH_TUI_WARM, else 3)
#   -d DEPTH   fleet depth (default $BENCH_DEPTH, else 3);  -b BUSY  busy leaves (default 8)
#
# Environment: CGTOP (default $top_builddir/cgtop), SYSTEMD_CGTOP (default from PATH),
# BENCH_TUI_GOAL (target ratio systemd-cgtop / cgtop at N=5000; default 16, the factor the
# batch engine reaches in bench/run.sh), BENCH_TUI_PATH (the group both watch; default /),
# BENCH_TUI_SAME (cgtop-same's --columns; default tasks,cpu,memory,io_read,io_write; 0 = skip).
# BENCH_STRICT=1: exit 3 when a target at N=5000 is missed (the CPU ratio, or cgtop's RSS above
# systemd-cgtop's at the end of the window, #12).
# Needs root and tmux (skips with exit 0 without tmux).  Exit: 0 done, 1 could not run, 3 missed.

# `make bench` runs this with $(SHELL), which may be a POSIX sh: continue in bash
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

set -u
export LC_ALL=C

prog=${0##*/}
HERE=$(cd "$(dirname "$0")" && pwd)
die() { echo "$prog: $*" >&2; exit 1; }
say() { echo "$prog: $*"; }

NS=${BENCH_N:-1000 5000}
SECS=${BENCH_TUI_SECS:-30}
WARM=${BENCH_TUI_WARM:-3}
DEPTH=${BENCH_DEPTH:-3}
BUSY=${BENCH_BUSY:-8}
GOAL=${BENCH_TUI_GOAL:-16}
GOAL_N=5000
WPATH=${BENCH_TUI_PATH:-/}
SAME=${BENCH_TUI_SAME:-tasks,cpu,memory,io_read,io_write}
COLS=120 LINES_=40
args=()
while [ $# -gt 0 ]; do
	case $1 in
	-s) SECS=${2:?-s SECS}; shift ;;
	-w) WARM=${2:?-w WARM}; shift ;;
	-d) DEPTH=${2:?-d DEPTH}; shift ;;
	-b) BUSY=${2:?-b BUSY}; shift ;;
	-h | --help) sed -n '4,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) args+=("$1") ;;
	esac
	shift
done
[ ${#args[@]} -gt 0 ] && NS=${args[*]}
for v in $NS $SECS $WARM $DEPTH $BUSY; do
	case $v in '' | *[!0-9]*) die "bad number '$v'" ;; esac
done
[ "$SECS" -ge 1 ] || die "SECS must be at least 1"

if [ -z "${CGTOP:-}" ]; then
	if [ -n "${top_builddir:-}" ]; then CGTOP=$top_builddir/cgtop; else CGTOP=$HERE/../cgtop; fi
fi
SDCGTOP=${SYSTEMD_CGTOP:-$(command -v systemd-cgtop || true)}

echo
echo "=== tui.sh: the dashboards' own CPU at a 1 s refresh (tmux ${COLS}x$LINES_) ==="
[ "$(id -u)" = 0 ] || die "needs root (it creates cgroups below your own)"
if ! command -v tmux >/dev/null; then
	say "SKIP: tmux not installed (apt-get install tmux)"
	exit 0
fi

OUT=$(mktemp -d "${TMPDIR:-/tmp}/cgtop-bench-tui.XXXXXX") || die "mktemp failed"
export CGTOP_BENCH_STATE=$OUT/fleet.state
export CGTOP_BENCH_NAME=cgtop-bench-$$
SOCK=cgtop-bench-$$
SOCK_PATH=
TOOL_PID=

tmux_() { tmux -L "$SOCK" -f /dev/null "$@"; }

# ---- cleanup on every exit path: the tool we started, our tmux server, the fleet
cleanup() {
	local rc=$?
	trap '' INT TERM HUP
	stop_tool
	if [ -f "$CGTOP_BENCH_STATE" ]; then
		bash "$HERE/rmfleet.sh" "$CGTOP_BENCH_STATE" >/dev/null ||
			echo "$prog: WARNING: fleet not fully removed, see $CGTOP_BENCH_STATE" >&2
	fi
	[ -f "$CGTOP_BENCH_STATE" ] || rm -rf "$OUT"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# stop_tool: TERM the tool (a child of our pane's shell), then end our tmux server
stop_tool() {
	local t
	if [ -n "$TOOL_PID" ] && kill -0 "$TOOL_PID" 2>/dev/null; then
		kill -TERM "$TOOL_PID" 2>/dev/null
		for ((t = 0; t < 30; t++)); do
			kill -0 "$TOOL_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$TOOL_PID" 2>/dev/null && kill -KILL "$TOOL_PID" 2>/dev/null
	fi
	TOOL_PID=
	tmux_ kill-server 2>/dev/null
	# tmux leaves its socket file behind
	[ -n "$SOCK_PATH" ] && [ -S "$SOCK_PATH" ] && rm -f "$SOCK_PATH"
	return 0
}

# ---- per-process CPU ---------------------------------------------------------------------
# ticks PID: utime+stime (+ reaped children) in clock ticks, from /proc/PID/stat
ticks() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo -1; return; }
	s=${s##*) }
	set -- $s
	echo $((${12} + ${13} + ${14} + ${15}))
}
# runtime_ms PID: sum of se.sum_exec_runtime (ms, ns resolution) over its threads, or -1
runtime_ms() {
	cat /proc/"$1"/task/*/sched 2>/dev/null |
		awk '$1 == "se.sum_exec_runtime" { s += $3; f = 1 } END { if (f) printf "%.3f\n", s; else print -1 }'
}
kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null; }
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)
now_ms() { echo $(($(date +%s%N) / 1000000)); }

tree_dirs() {	# cgroup directories in every mounted hierarchy
	awk '{ for (s = 7; s <= NF && $s != "-"; s++); if ($(s + 1) ~ /^cgroup2?$/) print $5 }' \
		/proc/self/mountinfo |
		while read -r m; do find "$m" -mindepth 1 -type d; done | wc -l
}

cmdline() {	# $1 tool -> CMD array
	case $1 in
	systemd-cgtop) CMD=("$SDCGTOP" -d 1 --depth=10 "$WPATH") ;;
	cgtop) CMD=("$CGTOP" -d 1 --depth 10 "$WPATH") ;;
	cgtop-same) CMD=("$CGTOP" -d 1 --depth 10 --columns "$SAME" "$WPATH") ;;
	cgtop-cpu) CMD=("$CGTOP" -d 1 --depth 10 --sort cpu "$WPATH") ;;
	esac
}

# ---- tools -------------------------------------------------------------------------------
TOOLS=()
if [ -n "$SDCGTOP" ] && [ -x "$SDCGTOP" ]; then
	TOOLS+=(systemd-cgtop)
	say "systemd-cgtop: $SDCGTOP ($("$SDCGTOP" --version 2>/dev/null | head -1))"
else
	say "systemd-cgtop not found: skipped (set SYSTEMD_CGTOP to its path)"
fi
if [ -x "$CGTOP" ]; then
	TOOLS+=(cgtop)
	say "cgtop: $CGTOP"
	[ "$SAME" != 0 ] && TOOLS+=(cgtop-same) && say "cgtop-same: cgtop --columns $SAME"
	# sorted by name (the default) a group off the screen is not read; sorted
	# by a column, that column is read for every group every refresh
	TOOLS+=(cgtop-cpu) && say "cgtop-cpu: cgtop --sort cpu"
else
	say "cgtop not found at $CGTOP: skipped (build it, or set CGTOP)"
fi
[ ${#TOOLS[@]} -gt 0 ] || die "nothing to measure"
say "N: $NS; fleet depth $DEPTH, $BUSY busy; watched: $WPATH --depth 10; warm-up $WARM s," \
	"window $SECS s per tool; CPU: $( [ "$(runtime_ms $$)" != -1 ] &&
		echo "sched sum_exec_runtime (and utime+stime at 1/$HZ s)" || echo "utime+stime at 1/$HZ s")"

# measure TOOL: runs it in a fresh tmux server (0 ok, 1 failed) and sets R_WHY R_MS R_TICKMS R_WALL
# R_RSS R_HWM R_TMUX (ms of tmux server CPU per s)
measure() {
	local tool=$1 q='' a sh t s0 s1 k0 k1 w0 w1 x0 x1 srv lines
	R_WHY='' R_MS=n/a R_TICKMS=n/a R_WALL=0 R_RSS=n/a R_HWM=n/a R_TMUX=n/a
	TOOL_PID=
	cmdline "$tool"
	for a in "${CMD[@]}"; do q+=" $(printf '%q' "$a")"; done
	rm -f "$OUT/status"
	tmux_ kill-server 2>/dev/null
	tmux_ new-session -d -x "$COLS" -y "$LINES_" -s b \
		"env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8$q;\
echo \$? >$OUT/status; exec sleep 3600" || { R_WHY="tmux new-session failed"; return 1; }
	tmux_ set-option -g status off >/dev/null 2>&1
	srv=$(tmux_ display-message -p '#{pid}' 2>/dev/null)
	SOCK_PATH=$(tmux_ display-message -p '#{socket_path}' 2>/dev/null)
	sh=$(tmux_ display-message -p -t b '#{pane_pid}' 2>/dev/null)
	# the first screen: the tool running and at least 3 non-blank lines (120 s at most)
	for ((t = 0; t < 1200; t++)); do
		[ -z "$TOOL_PID" ] && [ -n "$sh" ] && TOOL_PID=$(pgrep -P "$sh" 2>/dev/null | head -1)
		if [ -s "$OUT/status" ]; then
			# stderr stays on the pane (systemd-cgtop is interactive only when both
			# stdout and stderr are terminals): its last line is the message
			R_WHY="exited at once with status $(cat "$OUT/status"): $(tmux_ capture-pane -p -t b |
				grep '[^[:space:]]' | tail -n 1 | head -c 200)"
			TOOL_PID=
			stop_tool
			return 1
		fi
		if [ -n "$TOOL_PID" ]; then
			lines=$(tmux_ capture-pane -p -t b 2>/dev/null | grep -c '[^[:space:]]')
			[ "$lines" -ge 3 ] && break
		fi
		sleep 0.1
	done
	if [ "$t" -ge 1200 ]; then
		R_WHY="no first screen within 120 s"
		stop_tool
		return 1
	fi
	R_FIRST=$(awk -v t="$t" 'BEGIN { printf "%.1f", t / 10 }')
	sleep "$WARM"
	tmux_ capture-pane -p -t b >"$OUT/$tool.screen0" 2>/dev/null
	s0=$(runtime_ms "$TOOL_PID") k0=$(ticks "$TOOL_PID") x0=$(runtime_ms "$srv") w0=$(now_ms)
	sleep "$SECS"
	s1=$(runtime_ms "$TOOL_PID") k1=$(ticks "$TOOL_PID") x1=$(runtime_ms "$srv") w1=$(now_ms)
	R_RSS=$(kb "$TOOL_PID" VmRSS) R_HWM=$(kb "$TOOL_PID" VmHWM)
	tmux_ capture-pane -p -t b >"$OUT/$tool.screen1" 2>/dev/null
	if [ -s "$OUT/status" ] || ! kill -0 "$TOOL_PID" 2>/dev/null || [ "$k1" -lt 0 ]; then
		R_WHY="ended during the window (status $(cat "$OUT/status" 2>/dev/null))"
		stop_tool
		return 1
	fi
	R_WALL=$((w1 - w0))
	R_TICKMS=$(awk -v a="$k0" -v b="$k1" -v hz="$HZ" -v w="$R_WALL" \
		'BEGIN { printf "%.2f", (b - a) * 1000 / hz / (w / 1000) }')
	if [ "$s0" != -1 ] && [ "$s1" != -1 ]; then
		R_MS=$(awk -v a="$s0" -v b="$s1" -v w="$R_WALL" 'BEGIN { printf "%.2f", (b - a) / (w / 1000) }')
	fi
	[ "$x0" != -1 ] && [ "$x1" != -1 ] &&
		R_TMUX=$(awk -v a="$x0" -v b="$x1" -v w="$R_WALL" 'BEGIN { printf "%.2f", (b - a) / (w / 1000) }')
	R_RSS=$(awk -v k="${R_RSS:-0}" 'BEGIN { printf "%.1f", k / 1024 }')
	R_HWM=$(awk -v k="${R_HWM:-0}" 'BEGIN { printf "%.1f", k / 1024 }')
	R_TICKS=$((k1 - k0))
	stop_tool
	return 0
}

emit() { echo "bench: $*"; }
SUMMARY=()
declare -A MS TK RSS HWM TMX FIRST

bench_n() {
	local N=$1 tool d0 d1 ratio v verdict
	echo
	echo "=== N=$N: fleet of $N groups per hierarchy, depth $DEPTH, $BUSY busy ==="
	bash "$HERE/mkfleet.sh" "$N" "$DEPTH" "$BUSY" >"$OUT/mkfleet.N$N.log" 2>&1 || {
		cat "$OUT/mkfleet.N$N.log" >&2
		die "mkfleet.sh failed"
	}
	grep -E 'fleet:|busy:' "$OUT/mkfleet.N$N.log"
	d0=$(tree_dirs)
	for tool in "${TOOLS[@]}"; do
		MS[$tool]=- TK[$tool]=- RSS[$tool]=- HWM[$tool]=- TMX[$tool]=- FIRST[$tool]=-
		if measure "$tool"; then
			MS[$tool]=$R_MS TK[$tool]=$R_TICKMS RSS[$tool]=$R_RSS HWM[$tool]=$R_HWM
			TMX[$tool]=$R_TMUX FIRST[$tool]=$R_FIRST
			emit "n=$N tool=$tool tui_cpu_ms_per_s=$R_MS tui_cpu_ms_per_s_ticks=$R_TICKMS" \
				"ticks=$R_TICKS hz=$HZ window_ms=$R_WALL first_screen_s=$R_FIRST"
			emit "n=$N tool=$tool tui_rss_mb=$R_RSS tui_peak_rss_mb=$R_HWM"
			emit "n=$N tool=$tool tui_tmux_server_cpu_ms_per_s=$R_TMUX"
		else
			say "$tool at N=$N: $R_WHY"
			emit "n=$N tool=$tool tui_failed=\"$R_WHY\""
		fi
	done
	d1=$(tree_dirs)
	emit "n=$N tree_dirs_before=$d0 tree_dirs_after=$d1"

	# ratios from the precise figure when both have it, else from the ticks
	pick() { if [ "${MS[$1]}" != n/a ] && [ "${MS[$1]}" != - ]; then echo "${MS[$1]}"; else echo "${TK[$1]}"; fi; }
	ratio_of() {	# $1 tool -> systemd-cgtop's CPU / the tool's, or n/a
		if [ "${MS[systemd-cgtop]:--}" = - ] || [ "${MS[$1]:--}" = - ]; then echo n/a; return; fi
		awk -v a="$(pick systemd-cgtop)" -v b="$(pick "$1")" 'BEGIN {
			if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/) print "n/a"
			else if (b > 0) printf "%.1f", a / b; else print "n/a" }'
	}
	verdict_of() {	# $1 ratio
		awk -v v="$1" -v g="$GOAL" -v n="$N" -v gn="$GOAL_N" 'BEGIN {
			if (v !~ /^[0-9.]+$/) { print "n/a"; exit }
			s = (v + 0 >= g + 0) ? "met" : "MISSED"
			if (n != gn) s = s " (target is for N=" gn ")"
			print s }'
	}
	ratio=$(ratio_of cgtop) verdict=$(verdict_of "$(ratio_of cgtop)")
	local rsame vsame
	rsame=$(ratio_of cgtop-same) vsame=$(verdict_of "$(ratio_of cgtop-same)")

	local sd=systemd-cgtop cg=cgtop cs=cgtop-same fleet
	fleet=$((N * $(grep -c '^root ' "$CGTOP_BENCH_STATE")))
	echo
	printf '%-38s %14s %14s %14s   %-8s %s\n' "N=$N, -d 1, $SECS s window" "$sd" "$cg" "$cs" target status
	row() { printf '%-38s %14s %14s %14s\n' "$1" "$2" "$3" "$4"; }
	row "first screen after (s)" "${FIRST[$sd]:--}" "${FIRST[$cg]:--}" "${FIRST[$cs]:--}"
	row "CPU ms per s (sched runtime)" "${MS[$sd]:--}" "${MS[$cg]:--}" "${MS[$cs]:--}"
	row "CPU ms per s (utime+stime, 1/$HZ s)" "${TK[$sd]:--}" "${TK[$cg]:--}" "${TK[$cs]:--}"
	v=$ratio; [ "$v" != n/a ] && v="${ratio}x"
	printf '%-38s %14s %14s %14s   %-8s %s\n' "CPU systemd-cgtop / cgtop (all cols)" "" "$v" "" \
		">= ${GOAL}x" "$verdict"
	v=$rsame; [ "$v" != n/a ] && v="${rsame}x"
	printf '%-38s %14s %14s %14s   %-8s %s\n' "CPU systemd-cgtop / cgtop (same cols)" "" "" "$v" \
		">= ${GOAL}x" "$vsame"
	row "RSS MB at the end (peak)" "${RSS[$sd]:--} (${HWM[$sd]:--})" \
		"${RSS[$cg]:--} (${HWM[$cg]:--})" "${RSS[$cs]:--} (${HWM[$cs]:--})"
	# #12: the dashboard's RSS at most systemd-cgtop's (both at the end of the window)
	local vrss
	vrss=$(awk -v a="${RSS[$sd]:--}" -v b="${RSS[$cg]:--}" -v n="$N" -v gn="$GOAL_N" 'BEGIN {
		if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/) { print "n/a"; exit }
		s = (b + 0 <= a + 0) ? "met" : "MISSED"
		if (n != gn) s = s " (target is for N=" gn ")"
		print s }')
	printf '%-38s %14s %14s %14s   %-8s %s\n' "RSS cgtop <= systemd-cgtop" "" "" "" "<= 1x" "$vrss"
	if [ "$N" -eq "$GOAL_N" ]; then
		[ "${verdict%% *}" = MISSED ] && MISSED=1
		[ "${vrss%% *}" = MISSED ] && MISSED=1
	fi
	row "tmux server CPU ms per s (drawing)" "${TMX[$sd]:--}" "${TMX[$cg]:--}" "${TMX[$cs]:--}"
	local rcpu
	rcpu=$(ratio_of cgtop-cpu)
	printf '%-38s %14s %14s (ratio %s; every group'"'"'s CPU read every refresh)\n' \
		"cgtop --sort cpu: CPU ms per s" "" "${MS[cgtop-cpu]:--}" "$rcpu"
	printf '%-38s %14s\n' "cgroup dirs, all hierarchies" "$d0 -> $d1 (the fleet: $fleet)"
	[ "$d0" -gt $((fleet + fleet / 10 + 100)) ] &&
		say "note: $((d0 - fleet)) cgroups besides the fleet are watched too (others' groups)"
	[ "$d0" != "$d1" ] && say "note: cgroups appeared or vanished during the measurement" \
		"($d0 -> $d1 directories); a changing tree makes both tools rescan"
	emit "n=$N tui_ratio_cpu_systemd_cgtop_over_cgtop=$ratio goal_min=$GOAL status=${verdict%% *}"
	emit "n=$N tui_ratio_cpu_systemd_cgtop_over_cgtop_same_columns=$rsame columns=$SAME"
	emit "n=$N tui_ratio_cpu_systemd_cgtop_over_cgtop_sort_cpu=$rcpu"
	emit "n=$N tui_rss_mb_systemd_cgtop=${RSS[$sd]:--} tui_rss_mb_cgtop=${RSS[$cg]:--} status=${vrss%% *}"
	SUMMARY+=("N=$N: dashboard CPU at -d 1: systemd-cgtop ${MS[$sd]:--} ms/s, cgtop ${MS[$cg]:--} ms/s\
 (ratio $ratio, target >= ${GOAL}x at N=$GOAL_N: ${verdict%% *}), cgtop with systemd-cgtop's columns\
 ${MS[$cs]:--} ms/s (ratio $rsame), cgtop --sort cpu ${MS[cgtop-cpu]:--} ms/s (ratio $rcpu); RSS ${RSS[$sd]:--} / ${RSS[$cg]:--} / ${RSS[$cs]:--} MB (cgtop at most systemd-cgtop's: ${vrss%% *})")

	bash "$HERE/rmfleet.sh" "$CGTOP_BENCH_STATE" >/dev/null || die "rmfleet.sh failed"
}

T0=$(date +%s)
MISSED=0
for N in $NS; do
	bench_n "$N"
done
echo
echo "=== tui.sh summary ($(($(date +%s) - T0)) s) ==="
printf '%s\n' "${SUMMARY[@]}"
if [ "$MISSED" = 1 ] && [ "${BENCH_STRICT:-0}" = 1 ]; then
	say "BENCH_STRICT=1: a target at N=$GOAL_N was missed (CPU ratio or RSS)"
	exit 3
fi
exit 0
