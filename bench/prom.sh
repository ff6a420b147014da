#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# prom.sh - `make bench` part 4: the cost of a Prometheus scrape.  Builds a
# fleet of N groups (default 5000, bench/mkfleet.sh, removed on every exit
# path), starts `cgtop --listen` on a free loopback port watching the whole
# tree (--depth 10, as bench/run.sh), and scrapes /metrics with curl K times
# (default 40) after two warm-up scrapes, with a refresh interval longer
# than the run, so that the exporter's CPU (utime + stime in /proc/PID/stat)
# is what the scrapes cost: writing the exposition of the last refresh.  Then
# the refresh itself (reading every file of every group, every -d seconds,
# 15 by default): an exporter at -d 1 left alone for BENCH_PROM_SECS seconds,
# its CPU divided by the refreshes.  RSS from VmRSS and VmHWM.  Printed
# against cAdvisor-style targets: under 100 ms of CPU per scrape and 32 MB
# RSS at 5000 groups.  A benchmark: it reports, never fails on speed.
#   prom.sh [N]     environment: CGTOP, BENCH_PROM_SCRAPES (K), BENCH_PROM_N
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=${top_srcdir:-$(cd "$HERE/.." && pwd)}
CGTOP=${CGTOP:-${top_builddir:-$SRC}/cgtop}
N=${1:-${BENCH_PROM_N:-5000}}
K=${BENCH_PROM_SCRAPES:-40}
say() { echo "prom.sh: $*"; }
[ -x "$CGTOP" ] || { say "no cgtop at $CGTOP" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { say "needs root (it creates cgroups); skipped"; exit 0; }
command -v curl >/dev/null || { say "curl not installed; skipped"; exit 0; }
grep -q 'without HTTP support' "$CGTOP" && { say "cgtop built without libmicrohttpd; skipped"; exit 0; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cgtop-bench-prom.XXXXXX") || exit 1
export CGTOP_BENCH_STATE=$TMP/fleet.state
export CGTOP_BENCH_NAME=cgtop-bench-prom-$$
PID=
cleanup()
{
	[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	[ -f "$CGTOP_BENCH_STATE" ] && bash "$HERE/rmfleet.sh" "$CGTOP_BENCH_STATE" >/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bash "$HERE/mkfleet.sh" "$N" 3 8 >"$TMP/mkfleet.log" 2>&1 || { cat "$TMP/mkfleet.log" >&2; exit 1; }
grep -E 'fleet:' "$TMP/mkfleet.log"

for ((try = 0; try < 10; try++)); do
	PORT=$((20000 + RANDOM % 40000))
	(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && continue
	"$CGTOP" --listen "127.0.0.1:$PORT" --depth 10 -d 3600 2>"$TMP/cgtop.err" &
	PID=$!
	for ((t = 0; t < 600; t++)); do
		curl -s -o /dev/null --max-time 60 "http://127.0.0.1:$PORT/metrics" && break 2
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.1
	done
	wait "$PID" 2>/dev/null
	PID=
done
[ -n "$PID" ] || { say "cgtop --listen did not start: $(cat "$TMP/cgtop.err")"; exit 1; }
U=http://127.0.0.1:$PORT/metrics
curl -s -o /dev/null "$U"
ticks() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }
HZ=$(getconf CLK_TCK)
c0=$(ticks)
w0=$(date +%s%N)
for ((i = 0; i < K; i++)); do
	curl -s -o "$TMP/m.prom" "$U" || { say "scrape $i failed"; exit 1; }
done
w1=$(date +%s%N)
c1=$(ticks)
bytes=$(stat -c %s "$TMP/m.prom")
series=$(grep -vc '^#' "$TMP/m.prom")
groups=$(awk '$1 == "cgtop_groups" { print $2 }' "$TMP/m.prom")
dur=$(awk '$1 == "cgtop_refresh_duration_seconds" { print $2 * 1000 }' "$TMP/m.prom")
rss=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$PID/status")
hwm=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$PID/status")
kill -TERM "$PID"; wait "$PID" 2>/dev/null; PID=

# the refresh: an exporter at -d 1 that nobody scrapes
SECS=${BENCH_PROM_SECS:-20}
"$CGTOP" --listen "127.0.0.1:$PORT" --depth 10 -d 1 2>"$TMP/cgtop2.err" &
PID=$!
for ((t = 0; t < 600; t++)); do
	curl -s -o /dev/null --max-time 60 "$U" && break
	sleep 0.1
done
sleep 2
r0=$(ticks)
sleep "$SECS"
r1=$(ticks)
refresh=$(awk -v a="$r0" -v b="$r1" -v hz="$HZ" -v s="$SECS" 'BEGIN { printf "%.1f", (b - a) * 1000 / hz / s }')
rhwm=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$PID/status")
awk -v c0="$c0" -v c1="$c1" -v hz="$HZ" -v k="$K" -v w0="$w0" -v w1="$w1" -v b="$bytes" -v s="$series" \
	-v g="$groups" -v d="$dur" -v rss="$rss" -v hwm="$hwm" -v n="$N" -v r="$refresh" -v rhwm="$rhwm" 'BEGIN {
	cpu = (c1 - c0) * 1000 / hz / k; wall = (w1 - w0) / 1e6 / k
	printf "%-44s %12s   %-10s %s\n", "Prometheus scrape, fleet N=" n, "cgtop", "target", "status"
	printf "%-44s %12d\n", "groups in the exposition (whole tree)", g
	printf "%-44s %12d\n", "series per scrape", s
	printf "%-44s %12.1f\n", "exposition MB", b / 1048576
	printf "%-44s %12.1f   %-10s %s\n", "CPU ms per scrape (" k " scrapes)", cpu, "< 100", (cpu < 100 ? "met" : "MISSED")
	printf "%-44s %12.1f\n", "wall ms per scrape (curl)", wall
	printf "%-44s %12.1f\n", "CPU ms per refresh (every -d s; -d 1 here)", r
	printf "%-44s %12.1f\n", "wall ms of a refresh (refresh_duration)", d
	printf "%-44s %12.1f\n", "CPU % of one core at the default -d 15", r / 150
	printf "%-44s %12.1f   %-10s %s\n", "RSS MB after the scrapes", rss, "< 32", (rss < 32 ? "met" : "MISSED")
	printf "%-44s %12.1f   %-10s %s\n", "peak RSS MB (VmHWM), scraped", hwm, "< 32", (hwm < 32 ? "met" : "MISSED")
	printf "%-44s %12.1f\n", "peak RSS MB, refreshing every second", rhwm
	printf "bench: prom n=%d groups=%d series=%d bytes=%d cpu_ms_per_scrape=%.1f wall_ms_per_scrape=%.1f cpu_ms_per_refresh=%.1f rss_mb=%s hwm_mb=%s scrapes=%d target_cpu_ms=100 target_rss_mb=32\n", n, g, s, b, cpu, wall, r, rss, hwm, k
}'
exit 0
