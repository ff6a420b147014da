#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh - the cgtop benchmark behind `make bench` (a benchmark, never a test): for each
# fleet size N it builds a fleet (bench/mkfleet.sh), then measures systemd-cgtop and cgtop
# side by side in the same run, on the same fleet, reading the same data (CPU, memory and
# tasks of every group): CPU per refresh of the whole process as the difference of the
# medians at two iteration counts (start-up cancels), per group, the ratio between the two,
# syscalls per group per refresh (perf tracepoint or strace), peak RSS, and for cgtop the fds
# it keeps and the kernel memory they pin (cgtop run in a memory group of its own). Prints a
# table with the goals next to the results and one "bench: ..." line per figure; the fleet is
# removed on every exit path (trap).
#
#   run.sh [--quick] [-r RUNS] [-d DEPTH] [-b BUSY] [-o OUTDIR] [N ...]
#
#   N ...        fleet sizes (default $BENCH_N, else "1000 5000")
#   --quick      N=1000, 3 runs, no kernel-memory probe baseline (a smoke run, ~1 min)
#   -r RUNS      runs per iteration count, median taken (default $BENCH_RUNS, else 5)
#   -d DEPTH     fleet depth (default $BENCH_DEPTH, else 3)
#   -b BUSY      sleeping processes in leaves (default $BENCH_BUSY, else 8)
#   -o OUTDIR    keep raw data and results.txt there (default: a temporary directory)
#
# Environment: CGTOP (binary to measure; default $top_builddir/cgtop, else ../cgtop next to
# this directory), SYSTEMD_CGTOP (default: systemd-cgtop from PATH), CC (to build
# bench/rusage.c; default cc), BENCH_K2 (force the larger iteration count; default chosen per
# tool in 6..21 from a probe so the difference is about 2 s of CPU), BENCH_KMEM=0 (skip the
# fd / kernel memory probe), BENCH_STRICT=1 (exit 3 when a goal is missed at N=5000, or a
# first-sample or default-columns goal at N >= 2000).
# Also, per N: the one-shot commands (`-b -n 1`, default columns, systemd-cgtop's columns,
# JSON) and the dashboard's first screen (`-n 1` in a private tmux at 120x40, both tools),
# CPU of the whole process, median of RUNS, as ratios against systemd-cgtop.
# Needs root (it creates cgroups). Exit: 0 done, 1 could not run, 3 goal missed (strict).

# `make bench` runs this with $(SHELL), which may be a POSIX sh: continue in bash
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

set -u
export LC_ALL=C

prog=${0##*/}
HERE=$(cd "$(dirname "$0")" && pwd)
die() { echo "$prog: $*" >&2; exit 1; }
say() { echo "$prog: $*"; }

NS=${BENCH_N:-1000 5000}
RUNS=${BENCH_RUNS:-5}
DEPTH=${BENCH_DEPTH:-3}
BUSY=${BENCH_BUSY:-8}
OUT=${BENCH_OUT:-}
KMEM=${BENCH_KMEM:-1}
KMEM_BASE=1
QUICK=0
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1 ;;
	-r) RUNS=${2:?-r RUNS}; shift ;;
	-d) DEPTH=${2:?-d DEPTH}; shift ;;
	-b) BUSY=${2:?-b BUSY}; shift ;;
	-o) OUT=${2:?-o OUTDIR}; shift ;;
	-h | --help) sed -n '4,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) args+=("$1") ;;
	esac
	shift
done
if [ "$QUICK" = 1 ]; then
	NS=${BENCH_N:-1000}
	[ -z "${BENCH_RUNS:-}" ] && RUNS=3
	KMEM_BASE=0
fi
[ ${#args[@]} -gt 0 ] && NS=${args[*]}
for v in $NS $RUNS $DEPTH $BUSY; do
	case $v in '' | *[!0-9]*) die "bad number '$v'" ;; esac
done
[ "$RUNS" -ge 1 ] || die "RUNS must be at least 1"

if [ -z "${CGTOP:-}" ]; then
	if [ -n "${top_builddir:-}" ]; then CGTOP=$top_builddir/cgtop; else CGTOP=$HERE/../cgtop; fi
fi
SDCGTOP=${SYSTEMD_CGTOP:-$(command -v systemd-cgtop || true)}

[ "$(id -u)" = 0 ] || die "needs root (it creates cgroups below your own)"

if [ -n "$OUT" ]; then
	mkdir -p "$OUT" || die "cannot create $OUT"
	KEEP_OUT=1
else
	OUT=$(mktemp -d "${TMPDIR:-/tmp}/cgtop-bench.XXXXXX") || die "mktemp failed"
	KEEP_OUT=0
fi
OUT=$(cd "$OUT" && pwd)
RES=$OUT/results.txt
: >"$RES"
export CGTOP_BENCH_STATE=$OUT/fleet.state
export CGTOP_BENCH_NAME=cgtop-bench-$$
PROBE_PID=

# ---- cleanup on every exit path: stop the probe, remove the fleet (and the probe group)
cleanup() {
	local rc=$?
	trap '' INT TERM HUP
	if [ -n "$PROBE_PID" ]; then
		kill -TERM "$PROBE_PID" 2>/dev/null
		wait "$PROBE_PID" 2>/dev/null
		PROBE_PID=
	fi
	if [ -f "$CGTOP_BENCH_STATE" ]; then
		bash "$HERE/rmfleet.sh" "$CGTOP_BENCH_STATE" >/dev/null ||
			echo "$prog: WARNING: fleet not fully removed, see $CGTOP_BENCH_STATE" >&2
	fi
	if [ "$KEEP_OUT" = 0 ] && [ ! -f "$CGTOP_BENCH_STATE" ]; then
		rm -rf "$OUT"
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---- helpers -----------------------------------------------------------------------------

# whole-process cost: rusage.c if it builds, else GNU time
RUSAGE=$OUT/rusage
if ! ${CC:-cc} -O2 -o "$RUSAGE" "$HERE/rusage.c" 2>"$OUT/cc.err"; then
	RUSAGE=
	[ -x /usr/bin/time ] || die "cannot build bench/rusage.c ($(head -1 "$OUT/cc.err")) and no /usr/bin/time"
	say "bench/rusage.c did not build; using GNU time (10 ms resolution)"
fi

TMO=${BENCH_TIMEOUT:-600}	# seconds; one measured command never runs longer
measure() {	# $1 out file, then the command; writes "cpu_us maxrss_kb wall_us status"
	local o=$1
	shift
	if [ -n "$RUSAGE" ]; then
		"$RUSAGE" "$o" timeout --foreground -k 5 "$TMO" "$@" >/dev/null 2>>"$OUT/stderr.log"
	else
		/usr/bin/time -o "$o.gnu" -f '%U %S %M %e %x' timeout --foreground -k 5 "$TMO" "$@" \
			>/dev/null 2>>"$OUT/stderr.log"
		awk '{ printf "%d %d %d %d\n", ($1 + $2) * 1e6, $3, $4 * 1e6, $5 }' "$o.gnu" >"$o"
	fi
}

median() { sort -g | awk '{ a[NR] = $1 } END { if (!NR) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# syscall counter: perf tracepoint, else strace, else none
SYSCOUNTER=none
if command -v perf >/dev/null &&
	perf stat -x, -e raw_syscalls:sys_enter -o "$OUT/perf.test" true >/dev/null 2>&1 &&
	awk -F, '/raw_syscalls:sys_enter/ && $1 + 0 > 0 { f = 1 } END { exit !f }' "$OUT/perf.test"; then
	SYSCOUNTER=perf
elif command -v strace >/dev/null && strace -f -c -U calls -o "$OUT/strace.test" true 2>/dev/null; then
	SYSCOUNTER=strace
fi
syscalls() {	# the command; prints the number of syscalls it made, or -1
	case $SYSCOUNTER in
	perf)
		perf stat -x, -e raw_syscalls:sys_enter -o "$OUT/perf.out" \
			timeout --foreground -k 5 "$TMO" "$@" >/dev/null 2>>"$OUT/stderr.log"
		awk -F, '/raw_syscalls:sys_enter/ { print $1 + 0; f = 1 } END { if (!f) print -1 }' \
			"$OUT/perf.out"
		;;
	strace)
		strace -f -c -U calls -o "$OUT/strace.out" \
			timeout --foreground -k 5 "$TMO" "$@" >/dev/null 2>>"$OUT/stderr.log"
		awk '$2 == "total" { print $1; f = 1 } END { if (!f) print -1 }' "$OUT/strace.out"
		;;
	*) echo -1 ;;
	esac
}

# cgroup directories in the hierarchies the tools walk (others' groups made meanwhile show)
tree_dirs() {
	awk '{ for (s = 7; s <= NF && $s != "-"; s++); if ($(s + 1) ~ /^cgroup2?$/) print $5 }' \
		/proc/self/mountinfo |
		while read -r m; do find "$m" -mindepth 1 -type d; done | wc -l
}

# the command line of a tool for K refreshes
cmdline() {	# $1 tool, $2 K -> sets CMD array
	case $1 in
	systemd-cgtop) CMD=("$SDCGTOP" -b -n "$2" -d 0.01 --depth=10 -r) ;;
	cgtop) CMD=("$CGTOP" -b -n "$2" -d 0.01 --depth 10 --raw --columns tasks,cpu,memory) ;;
	cgtop-default) CMD=("$CGTOP" -b -n "$2" -d 0.01 --depth 10 --raw) ;;
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
if [ ! -x "$CGTOP" ]; then
	say "cgtop not found at $CGTOP: skipped (build it, or set CGTOP)"
elif ! "$CGTOP" -b -n 1 --depth 0 --raw --columns tasks,cpu,memory >/dev/null 2>"$OUT/cgtop.check"; then
	say "cgtop at $CGTOP failed '-b -n 1 --depth 0 --raw --columns tasks,cpu,memory':" \
		"$(head -1 "$OUT/cgtop.check"); skipped"
else
	TOOLS+=(cgtop cgtop-default)
	say "cgtop: $CGTOP"
fi
[ ${#TOOLS[@]} -gt 0 ] || die "nothing to measure"
say "syscall counter: $SYSCOUNTER; CPU and RSS: $([ -n "$RUSAGE" ] && echo "bench/rusage.c (wait4 rusage)" || echo "GNU time")"
say "N: $NS; runs: $RUNS (+1 warm-up); fleet depth $DEPTH, $BUSY busy; raw data: $OUT"

# ---- goals (stated for N=5000) -------------------------------------------------------------
# peak RSS: at most systemd-cgtop's in the same mode (steady batch, either columns; one-shot
# batch; the dashboard's first screen), else at most GOAL_RSS_MB without systemd-cgtop
GOAL_RATIO=10 GOAL_SYSC=3.5 GOAL_RSS_MB=16 GOAL_KMEM_MB=80
GOAL_N=5000
# the first sample and the default columns (stated for N >= 2000): one-shot CPU at least 2x
# less than systemd-cgtop's (2.5x with its columns), the dashboard's first screen in at most
# half its time, a steady refresh of the default columns at least 8x less CPU
GOAL_ONESHOT=2 GOAL_ONESHOT_SAME=2.5 GOAL_FIRST=2 GOAL_DEFAULT=8
GOAL_FIRST_N=2000
# steady state: the difference between K1 and K2 refreshes; K1 = 3 so that cgtop's set-up
# after its first sample (inotify watches, kept fds at the second) cancels out as start-up does
K1=3
SDCOLS=tasks,cpu,memory,io_read,io_write

emit() { echo "bench: $*" | tee -a "$RES"; }	# one machine-readable line per figure
verdict() {	# $1 value, $2 op (ge|le), $3 goal -> met / MISSED / n/a
	awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN {
		if (v !~ /^[0-9.]+$/ || g !~ /^[0-9.]+$/) { print "n/a"; exit }
		if (op == "ge") print (v + 0 >= g + 0) ? "met" : "MISSED"
		else print (v + 0 <= g + 0) ? "met" : "MISSED" }'
}
MISSED=0

# ---- kernel memory of kept fds: cgtop alone in a memory group of its own -------------------
MEMROOT=	# the caller's own memory group (parent of the memory fleet)
KMEM_FILE=
kmem_bytes() {	# $1 group dir
	if [ -f "$1/memory.kmem.usage_in_bytes" ]; then
		cat "$1/memory.kmem.usage_in_bytes"
	elif [ -f "$1/memory.stat" ]; then	# cgroup2: "kernel" (5.18+), else its parts
		awk '$1 == "kernel" { k = $2; f = 1 }
		     $1 ~ /^(slab|kernel_stack|pagetables|percpu|sock|sec_pagetables)$/ { s += $2 }
		     END { print f ? k : s }' "$1/memory.stat"
	else
		echo -1
	fi
}

# $1 label, $2 depth: starts cgtop -d 1 in a new group below MEMROOT and samples once it has
# printed two samples and started a third (at least 2.5 s, at most 60 s; under load the first
# refresh of a big fleet can take seconds); sets P_FDS P_KMEM P_RSS (kB) or returns 1
probe() {
	local label=$1 depth=$2 g t
	g=$MEMROOT/$CGTOP_BENCH_NAME-kmem-$label
	echo "root $g" >>"$CGTOP_BENCH_STATE"	# rmfleet.sh removes it on any exit
	mkdir "$g" || return 1
	# a tiny shell joins the group first, then becomes cgtop: everything cgtop allocates
	# (its fds included) is charged to the new group
	sh -c 'echo $$ >"$1/cgroup.procs" || exit 1; shift; exec "$@"' probe "$g" \
		"$CGTOP" -b -n 1000000 -d 1 --depth "$depth" --raw --columns tasks,cpu,memory \
		>"$OUT/probe.out" 2>>"$OUT/stderr.log" &
	PROBE_PID=$!
	for ((t = 0; t < 600; t++)); do
		sleep 0.1
		[ "$t" -ge 25 ] || continue
		# samples are separated by a blank line
		[ "$(grep -c '^$' "$OUT/probe.out")" -ge 2 ] && break
		kill -0 "$PROBE_PID" 2>/dev/null || break
	done
	[ "$t" -ge 600 ] && say "kernel memory probe: cgtop printed fewer than 3 samples in 60 s"
	if ! kill -0 "$PROBE_PID" 2>/dev/null; then
		wait "$PROBE_PID"
		say "kernel memory probe: cgtop exited early (status $?)"
		PROBE_PID=
		rmdir "$g" 2>/dev/null
		return 1
	fi
	P_FDS=$(ls "/proc/$PROBE_PID/fd" | wc -l)
	P_KMEM=$(kmem_bytes "$g")
	P_RSS=$(awk '/^VmRSS:/ { print $2 }' "/proc/$PROBE_PID/status")
	kill -TERM "$PROBE_PID" 2>/dev/null
	wait "$PROBE_PID" 2>/dev/null
	PROBE_PID=
	for ((t = 0; t < 20; t++)); do
		rmdir "$g" 2>/dev/null && break
		sleep 0.1
	done
	[ "$P_KMEM" -ge 0 ] 2>/dev/null || return 1
	return 0
}

# ---- the first sample: one-shot batch and the dashboard's first screen ---------------------
# oneshot_cmd KIND -> CMD: the one-shot commands compared
oneshot_cmd() {
	case $1 in
	sd-batch) CMD=("$SDCGTOP" -b -n 1 --depth=10 -r) ;;
	cg-batch) CMD=("$CGTOP" -b -n 1 --depth 10) ;;
	cg-batch-same) CMD=("$CGTOP" -b -n 1 --depth 10 --columns "$SDCOLS") ;;
	cg-json) CMD=("$CGTOP" -b -n 1 --depth 10 --format json) ;;
	sd-screen) CMD=("$SDCGTOP" -n 1 --depth=10) ;;
	cg-screen) CMD=("$CGTOP" -n 1 --depth 10) ;;
	esac
}
# first_screen OUTFILE CMD...: runs an interactive tool for one refresh in a private tmux at
# 120x40 (both draw their first screen and exit) and writes rusage's line to OUTFILE.  Its
# output is the pane: both tools fall back to batch mode when standard output is not a
# terminal; and timeout runs it in the foreground, as it would otherwise be stopped at its
# first change of the terminal's modes (SIGTTOU).
first_screen() {
	local o=$1 q='' a t sock=cgtop-bench-$$-fs
	shift
	for a in "$@"; do q+=" $(printf '%q' "$a")"; done
	rm -f "$o" "$o.done"
	tmux -L "$sock" -f /dev/null kill-server 2>/dev/null
	tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 40 -s fs \
		"env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 $RUSAGE $o timeout --foreground -k 5 $TMO$q \
2>>$OUT/stderr.log; touch $o.done; exec sleep 60" || return 1
	for ((t = 0; t < 10 * TMO; t++)); do
		[ -e "$o.done" ] && break
		sleep 0.1
	done
	tmux -L "$sock" -f /dev/null kill-server 2>/dev/null
	# drawn and exited by itself (status 0): not stopped by the terminal, not ended by timeout
	[ -s "$o" ] && [ "$(cut -d' ' -f4 "$o")" = 0 ] || {
		say "first screen of $* did not end by itself: $(cat "$o" 2>/dev/null)"
		return 1
	}
}
declare -A OS
oneshot_n() {
	local N=$1
	local kind r f=$OUT/oneshot.N$N have_tmux=0
	: >"$f"
	command -v tmux >/dev/null && [ -n "$RUSAGE" ] && have_tmux=1
	[ "$have_tmux" = 1 ] || say "first screen: skipped (needs tmux and bench/rusage.c)"
	local kinds=(cg-batch cg-batch-same cg-json)
	[ -n "$SDCGTOP" ] && kinds=(sd-batch "${kinds[@]}")
	[ "$have_tmux" = 1 ] && kinds+=(cg-screen) && [ -n "$SDCGTOP" ] && kinds+=(sd-screen)
	# one warm-up of each, then RUNS rounds alternating the tools
	for ((r = 0; r <= RUNS; r++)); do
		for kind in "${kinds[@]}"; do
			oneshot_cmd "$kind"
			case $kind in
			*-screen) first_screen "$OUT/m" "${CMD[@]}" || continue ;;
			*) measure "$OUT/m" "${CMD[@]}" ;;
			esac
			[ "$r" -gt 0 ] && echo "$kind $(cat "$OUT/m")" >>"$f"
		done
	done
	for kind in "${kinds[@]}"; do
		OS[$kind,cpu]=$(awk -v k="$kind" '$1 == k { print $2 }' "$f" | median | awk '{ printf "%.1f", $1 / 1e3 }')
		OS[$kind,wall]=$(awk -v k="$kind" '$1 == k { print $4 }' "$f" | median | awk '{ printf "%.1f", $1 / 1e3 }')
		OS[$kind,rss]=$(awk -v k="$kind" '$1 == k { print $3 }' "$f" | median | awk '{ printf "%.2f", $1 / 1024 }')
		emit "n=$N oneshot=$kind cpu_ms=${OS[$kind,cpu]} wall_ms=${OS[$kind,wall]} peak_rss_mb=${OS[$kind,rss]} runs=$RUNS"
	done
}

# ---- one fleet size ------------------------------------------------------------------------
declare -A CPU US SYSC RSS K2S
SUMMARY=()

bench_n() {
	local N=$1 tool k r i d0 d1 p k2 c1 c2 s1 s2 f
	echo
	echo "=== N=$N: fleet of $N groups per hierarchy, depth $DEPTH, $BUSY busy ==="
	bash "$HERE/mkfleet.sh" "$N" "$DEPTH" "$BUSY" >"$OUT/mkfleet.N$N.log" 2>&1 || {
		cat "$OUT/mkfleet.N$N.log" >&2
		die "mkfleet.sh failed"
	}
	grep -E 'fleet:|busy:' "$OUT/mkfleet.N$N.log"
	MEMROOT=$(awk '$1 == "memory" { print $2 }' "$CGTOP_BENCH_STATE")
	MEMROOT=${MEMROOT%/*}
	d0=$(tree_dirs)
	oneshot_n "$N"
	f=$OUT/times.N$N
	: >"$f"

	# warm-up and probe: one run at K=1 and K=6 each; K2 (6..21) gives ~2 s of CPU difference
	for tool in "${TOOLS[@]}"; do
		cmdline "$tool" 1
		measure "$OUT/m" "${CMD[@]}"
		c1=$(awk '{ print $1 }' "$OUT/m")
		if [ "$(awk '{ print $4 }' "$OUT/m")" != 0 ]; then
			say "$tool failed at N=$N (status $(awk '{ print $4 }' "$OUT/m")); see $OUT/stderr.log"
		fi
		cmdline "$tool" 6
		measure "$OUT/m" "${CMD[@]}"
		c2=$(awk '{ print $1 }' "$OUT/m")
		if [ -n "${BENCH_K2:-}" ]; then
			k2=$BENCH_K2
		else
			k2=$(awk -v a="$c1" -v b="$c2" 'BEGIN { p = (b - a) / 5
				k = (p > 0) ? 3 + int(2e6 / p + 0.999) : 23
				if (k < 8) k = 8; if (k > 23) k = 23; print k }')
		fi
		K2S[$tool]=$k2
	done

	# the measurement: tools alternate within each run so drift hits both alike
	for ((r = 1; r <= RUNS; r++)); do
		for tool in "${TOOLS[@]}"; do
			for k in "$K1" "${K2S[$tool]}"; do
				cmdline "$tool" "$k"
				measure "$OUT/m" "${CMD[@]}"
				echo "$tool $k $(cat "$OUT/m")" >>"$f"
			done
		done
	done
	for tool in "${TOOLS[@]}"; do
		k2=${K2S[$tool]}
		c1=$(awk -v t="$tool" -v k="$K1" '$1 == t && $2 == k { print $3 }' "$f" | median)
		c2=$(awk -v t="$tool" -v k="$k2" '$1 == t && $2 == k { print $3 }' "$f" | median)
		bad=$(awk -v t="$tool" '$1 == t && $6 != 0' "$f" | wc -l)
		[ "$bad" -gt 0 ] && say "WARNING: $tool exited non-zero in $bad run(s) at N=$N"
		CPU[$tool,$N]=$(awk -v a="$c1" -v b="$c2" -v k="$k2" -v k1="$K1" 'BEGIN { printf "%.3f", (b - a) / (k - k1) / 1e3 }')
		US[$tool,$N]=$(awk -v c="${CPU[$tool,$N]}" -v n="$N" 'BEGIN { printf "%.2f", c * 1e3 / n }')
		RSS[$tool,$N]=$(awk -v t="$tool" -v k="$k2" '$1 == t && $2 == k { print $4 }' "$f" | median |
			awk '{ printf "%.2f", $1 / 1024 }')
		cmdline "$tool" "$K1"
		s1=$(syscalls "${CMD[@]}")
		cmdline "$tool" "$k2"
		s2=$(syscalls "${CMD[@]}")
		SYSC[$tool,$N]=$(awk -v a="$s1" -v b="$s2" -v k="$k2" -v k1="$K1" -v n="$N" 'BEGIN {
			if (a < 0 || b < 0) print "n/a"; else printf "%.2f", (b - a) / (k - k1) / n }')
		emit "n=$N tool=$tool cpu_ms_per_refresh=${CPU[$tool,$N]} k1=$K1 k2=$k2 runs=$RUNS" \
			"cpu_us_k1=$c1 cpu_us_k2=$c2"
		emit "n=$N tool=$tool us_per_group_per_refresh=${US[$tool,$N]}"
		emit "n=$N tool=$tool syscalls_per_group_per_refresh=${SYSC[$tool,$N]} counter=$SYSCOUNTER" \
			"syscalls_k1=$s1 syscalls_k2=$s2"
		emit "n=$N tool=$tool peak_rss_mb=${RSS[$tool,$N]}"
	done
	d1=$(tree_dirs)
	emit "n=$N tree_dirs_before=$d0 tree_dirs_after=$d1"
	[ "$d0" != "$d1" ] && say "note: cgroups appeared or vanished during the measurement" \
		"($d0 -> $d1 directories); others' groups add to the cost of whole-tree walks"

	# fds and kernel memory of cgtop at steady state
	local fds=n/a kmem=n/a perfd=n/a rssp=n/a
	if [ "$KMEM" = 1 ] && [ -n "${K2S[cgtop]:-}" ] && [ -n "$MEMROOT" ]; then
		if probe full 10; then
			fds=$P_FDS rssp=$(awk -v r="$P_RSS" 'BEGIN { printf "%.1f", r / 1024 }')
			kmem=$(awk -v b="$P_KMEM" 'BEGIN { printf "%.1f", b / 1048576 }')
			local kfull=$P_KMEM ffull=$P_FDS
			if [ "$KMEM_BASE" = 1 ] && probe base 0 && [ "$ffull" -gt "$P_FDS" ]; then
				# per kept fd: difference against cgtop watching "/" alone
				perfd=$(awk -v a="$kfull" -v b="$P_KMEM" -v fa="$ffull" -v fb="$P_FDS" \
					'BEGIN { printf "%.2f", (a - b) / (fa - fb) / 1024 }')
				emit "n=$N tool=cgtop probe_base_fds=$P_FDS probe_base_kmem_bytes=$P_KMEM"
			fi
			emit "n=$N tool=cgtop kept_fds=$fds"
			emit "n=$N tool=cgtop kmem_pinned_mb=$kmem kmem_bytes=$kfull" \
				"source=$([ -f "$MEMROOT/memory.kmem.usage_in_bytes" ] && echo memory.kmem.usage_in_bytes || echo memory.stat)"
			emit "n=$N tool=cgtop kmem_kb_per_kept_fd=$perfd"
			emit "n=$N tool=cgtop steady_rss_mb=$rssp"
		else
			say "kernel memory probe failed; see $OUT/stderr.log"
		fi
	fi

	# ---- table
	local sd=systemd-cgtop cg=cgtop ratio=n/a v
	if [ -n "${K2S[$sd]:-}" ] && [ -n "${K2S[$cg]:-}" ]; then
		ratio=$(awk -v a="${CPU[$sd,$N]}" -v b="${CPU[$cg,$N]}" 'BEGIN {
			if (b > 0) printf "%.1f", a / b; else print "n/a" }')
	fi
	val() { if [ -n "${K2S[$1]:-}" ]; then eval "echo \${$2[\$1,\$N]}"; else echo -; fi; }
	gl() {	# $1 value $2 op $3 goal -> GL, a status column; goals are stated for N=5000
		GL=$(verdict "$1" "$2" "$3")
		[ "$N" -ne "$GOAL_N" ] && [ "$GL" != n/a ] && GL="$GL (goal is for N=$GOAL_N)"
		[ "$N" -eq "$GOAL_N" ] && [ "$GL" = MISSED ] && MISSED=1
		return 0
	}
	echo
	printf '%-34s %14s %14s   %-10s %s\n' "N=$N" systemd-cgtop cgtop goal status
	printf '%-34s %14s %14s\n' "K1 / K2 (runs: $RUNS, medians)" \
		"$K1 / ${K2S[$sd]:--}" "$K1 / ${K2S[$cg]:--}"
	printf '%-34s %14s %14s\n' "CPU ms per refresh" "$(val $sd CPU)" "$(val $cg CPU)"
	printf '%-34s %14s %14s\n' "us per group per refresh" "$(val $sd US)" "$(val $cg US)"
	v=$ratio; [ "$v" != n/a ] && v="ratio ${ratio}x"
	gl "$ratio" ge $GOAL_RATIO
	printf '%-34s %14s %14s   %-10s %s\n' "CPU systemd-cgtop / cgtop" "" "$v" \
		">= ${GOAL_RATIO}x" "$GL"
	gl "$(val $cg SYSC)" le $GOAL_SYSC
	printf '%-34s %14s %14s   %-10s %s\n' "syscalls per group per refresh" \
		"$(val $sd SYSC)" "$(val $cg SYSC)" "<= $GOAL_SYSC" "$GL"
	# peak RSS against systemd-cgtop's in the same mode (its figure is the goal)
	local rgoal rgl
	rgoal=$(val $sd RSS); rgl="<= sd"
	[ "$rgoal" = - ] && rgoal=$GOAL_RSS_MB rgl="<= $GOAL_RSS_MB"
	gl "$(val $cg RSS)" le "$rgoal"
	printf '%-34s %14s %14s   %-10s %s\n' "peak RSS MB, steady (t,c,m)" \
		"$(val $sd RSS)" "$(val $cg RSS)" "$rgl" "$GL"
	gl "${RSS[cgtop-default,$N]:--}" le "$rgoal"
	printf '%-34s %14s %14s   %-10s %s\n' "peak RSS MB, steady (default cols)" \
		"$(val $sd RSS)" "${RSS[cgtop-default,$N]:--}" "$rgl" "$GL"
	emit "n=$N rss_mb_steady systemd-cgtop=$(val $sd RSS) cgtop=$(val $cg RSS) cgtop_default=${RSS[cgtop-default,$N]:--}"
	printf '%-34s %14s %14s\n' "kept fds at steady state (-d 1)" "" "$fds"
	gl "$kmem" le $GOAL_KMEM_MB
	printf '%-34s %14s %14s   %-10s %s\n' "kernel memory MB (its memory group)" "" "$kmem" \
		"<= $GOAL_KMEM_MB" "$GL"
	printf '%-34s %14s %14s\n' "kernel KB per kept fd" "" "$perfd"
	printf '%-34s %14s\n' "cgroup dirs, all hierarchies" "$d0 -> $d1"
	# the first sample and the default columns; goals stated for N >= GOAL_FIRST_N
	glf() {	# $1 value $2 goal -> GL
		GL=$(verdict "$1" ge "$2")
		[ "$N" -lt "$GOAL_FIRST_N" ] && [ "$GL" != n/a ] && GL="$GL (goal is for N>=$GOAL_FIRST_N)"
		[ "$N" -ge "$GOAL_FIRST_N" ] && [ "$GL" = MISSED ] && MISSED=1
		return 0
	}
	ratio_of() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else print "n/a" }'; }
	local rdef rone rsame rfirst
	rdef=$(ratio_of "${CPU[$sd,$N]:-}" "${CPU[cgtop-default,$N]:-0}")
	rone=$(ratio_of "${OS[sd-batch,cpu]:-}" "${OS[cg-batch,cpu]:-0}")
	rsame=$(ratio_of "${OS[sd-batch,cpu]:-}" "${OS[cg-batch-same,cpu]:-0}")
	rfirst=$(ratio_of "${OS[sd-screen,cpu]:-}" "${OS[cg-screen,cpu]:-0}")
	printf '%-34s %14s %14s\n' "CPU ms per refresh, default columns" "$(val $sd CPU)" \
		"${CPU[cgtop-default,$N]:--}"
	glf "$rdef" $GOAL_DEFAULT
	printf '%-34s %14s %14s   %-10s %s\n' "  ratio" "" "${rdef}x" ">= ${GOAL_DEFAULT}x" "$GL"
	printf '%-34s %14s %14s\n' "syscalls per group, default cols" "" "${SYSC[cgtop-default,$N]:--}"
	printf '%-34s %14s %14s\n' "-b -n 1, CPU ms (default columns)" "${OS[sd-batch,cpu]:--}" \
		"${OS[cg-batch,cpu]:--}"
	glf "$rone" $GOAL_ONESHOT
	printf '%-34s %14s %14s   %-10s %s\n' "  ratio" "" "${rone}x" ">= ${GOAL_ONESHOT}x" "$GL"
	printf '%-34s %14s %14s\n' "-b -n 1, CPU ms ($SDCOLS)" "${OS[sd-batch,cpu]:--}" \
		"${OS[cg-batch-same,cpu]:--}"
	glf "$rsame" $GOAL_ONESHOT_SAME
	printf '%-34s %14s %14s   %-10s %s\n' "  ratio" "" "${rsame}x" ">= ${GOAL_ONESHOT_SAME}x" "$GL"
	printf '%-34s %14s %14s\n' "-b -n 1 --format json, CPU ms" "" "${OS[cg-json,cpu]:--}"
	printf '%-34s %14s %14s\n' "first screen (-n 1, tmux), CPU ms" "${OS[sd-screen,cpu]:--}" \
		"${OS[cg-screen,cpu]:--}"
	printf '%-34s %14s %14s\n' "first screen, wall ms" "${OS[sd-screen,wall]:--}" \
		"${OS[cg-screen,wall]:--}"
	glf "$rfirst" $GOAL_FIRST
	printf '%-34s %14s %14s   %-10s %s\n' "  ratio (CPU)" "" "${rfirst}x" ">= ${GOAL_FIRST}x" "$GL"
	gl "${OS[cg-batch,rss]:--}" le "${OS[sd-batch,rss]:-n/a}"
	printf '%-34s %14s %14s   %-10s %s\n' "-b -n 1 peak RSS MB" "${OS[sd-batch,rss]:--}" \
		"${OS[cg-batch,rss]:--}" "<= sd" "$GL"
	gl "${OS[cg-screen,rss]:--}" le "${OS[sd-screen,rss]:-n/a}"
	printf '%-34s %14s %14s   %-10s %s\n' "first screen peak RSS MB" "${OS[sd-screen,rss]:--}" \
		"${OS[cg-screen,rss]:--}" "<= sd" "$GL"
	emit "n=$N ratio_cpu_default_columns=$rdef goal_min=$GOAL_DEFAULT"
	emit "n=$N ratio_oneshot=$rone goal_min=$GOAL_ONESHOT ratio_oneshot_same_columns=$rsame goal_min=$GOAL_ONESHOT_SAME"
	emit "n=$N ratio_first_screen_cpu=$rfirst goal_min=$GOAL_FIRST"
	emit "n=$N ratio_cpu_systemd_cgtop_over_cgtop=$ratio goal_min=$GOAL_RATIO"
	[ "$ratio" != n/a ] && echo "n=$N: ratio ${ratio}x"
	SUMMARY+=("N=$N: CPU per refresh systemd-cgtop $(val $sd CPU) ms, cgtop $(val $cg CPU) ms\
 (ratio $ratio); cgtop: $(val $cg SYSC) syscalls/group/refresh, $(val $cg RSS) MB RSS,\
 $fds kept fds, $kmem MB kernel memory")

	bash "$HERE/rmfleet.sh" "$CGTOP_BENCH_STATE" >/dev/null || die "rmfleet.sh failed"
}

T0=$(date +%s)
for N in $NS; do
	bench_n "$N"
done
echo
echo "=== summary ($(($(date +%s) - T0)) s) ==="
printf '%s\n' "${SUMMARY[@]}"
if [ "$KEEP_OUT" = 1 ]; then
	echo "machine-readable lines: grep '^bench:' (also in $RES; raw data in $OUT)"
else
	echo "machine-readable lines: grep '^bench:' (raw data is removed at exit; -o DIR keeps it)"
fi
if [ "$MISSED" = 1 ] && [ "${BENCH_STRICT:-0}" = 1 ]; then
	exit 3
fi
exit 0
