#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kmsg.sh - `make bench` part 2: reading a saved kernel log.  Builds a large log
# (BENCH_KMSG_MB, default 1024 MB) from the real captured logs in
# tests/data/kmsg/ (every rendering: dmesg, syslog, journal, raw records; OOM
# reports with their call traces, memory dumps and task tables, fork
# rejections, unrelated lines), then times, side by side on the same cached
# file, `grep -c oom-kill` and `grep -c 'Killed process'` against
# `cgtop --events --kmsg-file FILE --format json` (which extracts full events,
# the kernel's evidence of each kill included: task table, memory.stat,
# counters) and the same in text (the default format), and prints throughput
# and the ratios.  Target: cgtop at least 1/3 of grep's throughput.
# BENCH_KMSG_MB=100 makes a quicker run (the ratios hold); BENCH_KMSG_RUNS
# sets the turns (best of them), BENCH_KMSG_BASELINE=PATH times another cgtop
# build in the same turns.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=${top_srcdir:-$(cd "$HERE/.." && pwd)}
CGTOP=${CGTOP:-${top_builddir:-$SRC}/cgtop}
MB=${BENCH_KMSG_MB:-1024}
RUNS=${BENCH_KMSG_RUNS:-3}
# another cgtop (an older build) timed in the same turns, for a before/after
BASE=${BENCH_KMSG_BASELINE:-}
[ -x "$CGTOP" ] || { echo "kmsg.sh: no cgtop at $CGTOP" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat "$SRC"/tests/data/kmsg/*/*.txt "$SRC"/tests/data/kmsg/*/kmsg.raw >"$tmp/block"
bsize=$(stat -c %s "$tmp/block")
reps=$(((MB * 1048576 + bsize - 1) / bsize))
for ((i = 0; i < reps; i++)); do cat "$tmp/block"; done >"$tmp/log"
size=$(stat -c %s "$tmp/log")
lines=$(wc -l <"$tmp/log")
echo "kmsg.sh: log of $((size / 1048576)) MB, $lines lines ($reps copies of the captured logs)"

# CPU seconds (user + system) of the command, output to OUT: bench/rusage.c's
# microseconds when it builds (GNU time rounds to 10 ms, a sixth of grep's
# time on 100 MB), else GNU time's.  grep writes to a file (given /dev/null,
# GNU grep stops at the first match); cgtop's events go to /dev/null, so
# writing hundreds of MB of JSON to disk is not counted as extraction.
RUSAGE=$tmp/rusage
${CC:-cc} -O2 -o "$RUSAGE" "$HERE/rusage.c" 2>/dev/null || RUSAGE=
cpu()
{
	local out=$1
	shift
	if [ -n "$RUSAGE" ]; then
		"$RUSAGE" "$tmp/time" "$@" >"$out" 2>/dev/null
		awk '{ printf "%.6f\n", $1 / 1e6 }' "$tmp/time"
	else
		/usr/bin/time -f '%U %S' -o "$tmp/time" "$@" >"$out" 2>/dev/null
		awk '{ print $1 + $2 }' "$tmp/time"
	fi
}
# best of RUNS of each, the four commands taking turns: on a shared machine a
# burst of load then costs each of them alike, not the one that ran during it
lower() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a < b) ? a : b }'; }
g= k= c= ct= cb=
for ((r = 0; r < RUNS; r++)); do
	g=$(lower "$(cpu "$tmp/out" grep -c oom-kill "$tmp/log")" "$g")
	matches=$(cat "$tmp/out")
	k=$(lower "$(cpu "$tmp/out" grep -c 'Killed process' "$tmp/log")" "$k")
	kmatches=$(cat "$tmp/out")
	c=$(lower "$(cpu /dev/null "$CGTOP" --events --format json --kmsg-file "$tmp/log")" "$c")
	ct=$(lower "$(cpu /dev/null "$CGTOP" --events --kmsg-file "$tmp/log")" "$ct")
	if [ -n "$BASE" ]; then
		cb=$(lower "$(cpu /dev/null "$BASE" --events --format json --kmsg-file "$tmp/log")" "$cb")
	fi
done
"$CGTOP" --events --format json --kmsg-file "$tmp/log" >"$tmp/events"
events=$(wc -l <"$tmp/events")
# the kills that carry the kernel's evidence (task table, memory.stat): extracted, not skipped
evidence=$(grep -c '"tasks":\[{' "$tmp/events")
awk -v g="$g" -v k="$k" -v c="$c" -v ct="$ct" -v s="$size" -v l="$lines" -v m="$matches" -v km="$kmatches" \
	-v e="$events" -v x="$evidence" -v cb="$cb" -v base="$BASE" 'BEGIN {
	printf "%-40s %10s %12s %14s\n", "", "CPU s", "MB/s", "lines/s"
	printf "%-40s %10.3f %12.0f %14.0f   (%d matching lines)\n", "grep -c oom-kill", g, s / g / 1048576, l / g, m
	printf "%-40s %10.3f %12.0f %14.0f   (%d matching lines)\n", "grep -c \"Killed process\"", k, s / k / 1048576, l / k, km
	printf "%-40s %10.3f %12.0f %14.0f   (%d events, %d with a task table)\n", "cgtop --events --kmsg-file (json)", c, s / c / 1048576, l / c, e, x
	printf "%-40s %10.3f %12.0f %14.0f\n", "cgtop --events --kmsg-file (text)", ct, s / ct / 1048576, l / ct
	r = g / c
	verdict = "MISSED"
	if (r >= 1 / 3) verdict = "met"
	printf "cgtop throughput / grep throughput: %.3f json / oom-kill (target at least 1/3): %s\n", r, verdict
	if (cb != "")
		printf "baseline %s: %.3f s CPU (json), %.3f of grep -c oom-kill\n", base, cb, g / cb
	rk = k / ct
	verdict = "MISSED"
	if (rk >= 1 / 3) verdict = "met"
	printf "cgtop throughput / grep throughput: %.3f text / \"Killed process\" (target at least 1/3): %s\n", rk, verdict
	printf "bench: kmsg_file_mb=%d grep_s=%.3f cgtop_s=%.3f ratio=%.3f grep_killed_s=%.3f cgtop_text_s=%.3f ratio_text_killed=%.3f events=%d with_evidence=%d\n", s / 1048576, g, c, r, k, ct, rk, e, x
}'
