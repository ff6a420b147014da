#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# capture-oom-burst.sh - record a real burst of memory-cgroup OOM kills for the
# corpus of cgtop's event parser (tests/data/kmsg/burst-<mode>-<kernel>/): N
# groups (24 by default) with a 16M limit and no swap each hold one memhog
# (oom_score_adj 1000) that waits on a fifo; all of them then allocate 64 MiB
# at once, so the kernel kills the N within about a second and prints the full
# report of at most 10 of them (the rate limit: 10 in 5 s, host-wide), only
# "Killed process N (memhog)" for the others.  Seven seconds later one more
# kill in another group makes the kernel say how many reports it left out
# ("oom_kill_process: N callbacks suppressed").  The window between two marker
# records is saved as the raw /dev/kmsg records (kmsg.raw) and as dmesg prints
# it (dmesg.txt), with an EXPECTED list (pids and groups from this script; a
# kill's groups only where the log has its report) and a SOURCE file.
# Run by hand as root, never by make; it touches only groups it creates
# (tests/live/lib.sh) and ends only processes it started.
#
# Usage: capture-oom-burst.sh [-o OUTROOT] [-n N]
set -u -o pipefail
export LC_ALL=C.UTF-8

HERE=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$HERE/../.." && pwd)
OUTROOT=$SRCDIR/tests/data/kmsg
N=24
while [ $# -gt 0 ]; do
	case $1 in
	-o) OUTROOT=$2; shift 2 ;;
	-n) N=$2; shift 2 ;;
	*) echo "capture-oom-burst.sh: unknown argument: $1" >&2; exit 2 ;;
	esac
done
top_builddir=${top_builddir:-$SRCDIR}
# shellcheck source=tests/live/lib.sh
. "$SRCDIR/tests/live/lib.sh"
die() { echo "capture-oom-burst.sh: $*" >&2; exit 1; }

cg_init
[ -w /dev/kmsg ] || die "/dev/kmsg is not writable"
need_helper MEMHOG memhog
mkdir -p "$OUTROOT" || die "cannot create $OUTROOT"
OUT=$OUTROOT/burst-$CG_MODE-$(uname -r | cut -d. -f1,2)
RUNID=$(date +%s)-$$
B=$CG_TEST/burst
FIFO=$CG_TMP/go

limit_16m()
{
	if cg_file "$1" memory.max >/dev/null; then
		cg_write "$1" memory.max 16777216 &&
			{ ! cg_file "$1" memory.swap.max >/dev/null || cg_write "$1" memory.swap.max 0; }
	else
		cg_write "$1" memory.swappiness 0 2>/dev/null
		cg_write "$1" memory.limit_in_bytes 16777216 &&
			{ ! cg_file "$1" memory.memsw.limit_in_bytes >/dev/null ||
				cg_write "$1" memory.memsw.limit_in_bytes 16777216; }
	fi
}
marker() { printf '<6>cgtop-capture-oom-burst: %s id=%s\n' "$1" "$RUNID" >/dev/kmsg; }

HOGS=() HOG_GROUP=()
mkfifo "$FIFO" || die "mkfifo failed"
for ((i = 0; i < N; i++)); do
	g=$B/g$i
	cg_create "$g" memory || die "cannot create $g"
	limit_16m "$g" || die "cannot limit $g"
	cg_spawn "$g" sh -c 'read -r x <"$1"; exec "$2" 64' sh "$FIFO" "$MEMHOG"
	echo 1000 >"/proc/$CG_LAST_PID/oom_score_adj"
	HOGS+=("$CG_LAST_PID")
	HOG_GROUP+=("$g")
done
A=$B/after
cg_create "$A" memory && limit_16m "$A" || die "cannot create $A"
exec {W}>"$FIFO"
for p in "${HOGS[@]}"; do
	for ((t = 0; t < 200; t++)); do
		[ "$(readlink "/proc/$p/fd/0" 2>/dev/null)" = "$FIFO" ] && break
		sleep 0.05
	done
done
marker "scenario begin"
T_BEGIN=$(date -u +%FT%T.%NZ)
sleep 0.2
exec {W}>&-
for p in "${HOGS[@]}"; do
	{ wait "$p"; } 2>/dev/null
	[ $? = 137 ] || die "pid $p was not SIGKILLed"
done
sleep 7 # past the rate limit's 5 s window
cg_spawn "$A" "$MEMHOG" 64
AFTER=$CG_LAST_PID
{ wait "$AFTER"; } 2>/dev/null
[ $? = 137 ] || die "pid $AFTER was not SIGKILLed"
sleep 0.5
marker "scenario end"
T_END=$(date -u +%FT%T.%NZ)

BM="scenario begin id=$RUNID" EM="scenario end id=$RUNID"
cut_text() { awk -v b="$BM" -v e="$EM" '!on && index($0, b) { on = 1 } on { print } on && index($0, e) { exit }'; }
cut_raw() { awk -v b="$BM" -v e="$EM" '/^[^ ]/ { if (stop) exit; if (!on && index($0, b)) on = 1; if (on && index($0, e)) stop = 1 } on { print }'; }
mkdir -p "$OUT" && rm -f "$OUT"/* || die "cannot create $OUT"
dd if=/dev/kmsg of="$CG_TMP/kmsg.all" iflag=nonblock bs=65536 status=none 2>/dev/null
LC_ALL=C cut_raw <"$CG_TMP/kmsg.all" >"$OUT/kmsg.raw"
dmesg | cut_text >"$OUT/dmesg.txt"
[ -s "$OUT/kmsg.raw" ] && [ -s "$OUT/dmesg.txt" ] || die "the window is not in the kernel log"
FOREIGN=$(grep -aE 'invoked oom-killer|oom-kill:|Killed process|fork rejected' "$OUT/dmesg.txt" |
	grep -avF -e memhog -e "$B/")
[ -z "$FOREIGN" ] || { rm -rf "$OUT"; die "another OOM kill or fork rejection was logged in the window, try again: $FOREIGN"; }

# EXPECTED: the kills in log order; the groups of those whose report is in the log
{
	echo "# Events a parser must find in every rendering of this directory, in log order;"
	echo "# one per line, TAB-separated: kind, then key=value.  Lines starting with # are not"
	echo "# events.  pids and groups are this script's (each memhog's own pid and group); a"
	echo "# kill whose report the kernel's rate limit left out has only its \"Killed process\""
	echo "# line: from the log alone its groups are not known (cgroup= and task_cgroup= empty)."
	echo "# oom_reports_suppressed: count= is the number in the kernel's line."
	grep -aoE 'oom_kill_process: [0-9]+ callbacks suppressed|Killed process [0-9]+ ' "$OUT/dmesg.txt" |
		while read -r w1 w2 w3 _; do
			if [ "$w1" = oom_kill_process: ]; then
				printf 'oom_reports_suppressed\tcount=%s\n' "$w2"
				continue
			fi
			pid=$w3 g=
			for ((i = 0; i < N; i++)); do
				[ "${HOGS[i]}" = "$pid" ] && g=${HOG_GROUP[i]}
			done
			[ "$pid" = "$AFTER" ] && g=$A
			[ -n "$g" ] || die "unknown pid $pid in the log"
			if grep -aqF "task_memcg=$g,task=memhog,pid=$pid," "$OUT/dmesg.txt"; then
				printf 'oom_invoked\tpid=%s\ttask=memhog\tcgroup=%s\n' "$pid" "$g"
				printf 'oom_kill\tpid=%s\ttask=memhog\tuid=0\tcgroup=%s\ttask_cgroup=%s\tlimit=16777216\n' "$pid" "$g" "$g"
			else
				printf 'oom_kill\tpid=%s\ttask=memhog\tuid=0\tcgroup=\ttask_cgroup=\n' "$pid"
			fi
		done
} >"$OUT/EXPECTED"
n_full=$(grep -c '^oom_invoked' "$OUT/EXPECTED")
n_kill=$(grep -c '^oom_kill' "$OUT/EXPECTED")
{
	echo "Real kernel log of a burst of memory-cgroup OOM kills, for cgtop's event parser tests."
	echo "Made by tests/tools/capture-oom-burst.sh (run as root by hand) on $(hostname), $T_BEGIN .. $T_END"
	echo "Kernel: $(uname -srvm)"
	echo "cgroup mode: $CG_MODE; groups below the script's own memory group:"
	echo "  $B/g0 .. g$((N - 1)): memory limit 16M, no swap, one memhog each (oom_score_adj 1000)"
	echo "  $A: the same, one memhog 7 s after the burst"
	echo
	echo "What happened: the $N memhogs waited on a fifo, then all allocated 64 MiB at once and were"
	echo "OOM-killed (SIGKILL) within about a second; pids in group order: ${HOGS[*]}."
	echo "The kernel printed the full report (invoked oom-killer, memory usage, oom-kill: line"
	echo "with the groups) of $n_full of the $n_kill kills and only \"Memory cgroup out of memory: Killed"
	echo "process N (memhog)\" for the others; 7 s later pid $AFTER was killed in $A, and its report"
	echo "begins with the kernel's count of the reports it left out (oom_kill_process: N callbacks"
	echo "suppressed)."
	echo
	echo "Window: from the record '$BM' to '$EM', written to /dev/kmsg by the script."
	echo "Files: kmsg.raw (the /dev/kmsg records, one read() each, exact bytes), dmesg.txt"
	echo "($(dmesg --version 2>/dev/null)), EXPECTED (see its header)."
} >"$OUT/SOURCE"
echo "capture-oom-burst: wrote $OUT ($n_kill kills, $n_full with their report)"
