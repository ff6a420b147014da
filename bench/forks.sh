#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# forks.sh - `make bench`: the cost of the proc connector (the forks column)
# under a fork storm.  A group g0 is made below cgtop-bench-forks-<pid> in
# every hierarchy, nested under this script's own group (bench/mkfleet.sh 1 1
# 0), and removed on every exit path (bench/rmfleet.sh).  stress-ng runs in it
# for BENCH_FORK_SECS seconds three times, each time measured by its own
# bogo-ops (one op = one child forked, exited and reaped):
#   1. alone: the storm's rate without cgtop;
#   2. with `cgtop -b -d 1 --format json --columns tasks,cpu,memory` running;
#   3. with the same plus the forks column (the proc connector listening).
# Printed: cgtop's CPU with and without the forks column and their ratio, the
# CPU per 1000 forks that listening costs, the overruns (ENOBUFS: events the
# kernel dropped because cgtop's receive buffer was full) and the forks cgtop
# counted in g0 against those stress-ng made, cgtop's wall time against its
# -n K -d 1 schedule, and the storm's rate with cgtop against without (cgtop
# never blocks the forker: it only reads a non-blocking socket, so a ratio
# well below 1 would mean it did; on 2 CPUs some of the drop is cgtop's share
# of the CPU, which run 2 shows without the connector).
#
# The stressor is `stress-ng --vfork` by default (BENCH_FORK_STRESSOR): on a
# paravirtualised guest whose page-table updates trap (the development VM),
# fork() copies page tables at a few hundred a second, far from the 10,000 a
# second wanted; vfork() makes the same fork and exit events for the proc
# connector (PROC_EVENT_FORK and PROC_EVENT_EXIT per child) at that rate.
# BENCH_FORK_STRESSOR=fork uses `stress-ng --fork` instead.
#
# Environment: CGTOP, top_builddir, BENCH_FORK_SECS (default 3),
# BENCH_FORK_WORKERS (stress-ng instances, default 1: about
# 10,000 forks a second on the development VM), BENCH_FORK_STRESSOR.
# Needs root, stress-ng and jq (see bench/README.md).  Exit: 0 done or skipped (no
# stress-ng, no proc connector: one SKIP line), 1 could not run.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
export LC_ALL=C
prog=${0##*/}
HERE=$(cd "$(dirname "$0")" && pwd)
CGTOP=${CGTOP:-${top_builddir:-$HERE/..}/cgtop}
SECS=${BENCH_FORK_SECS:-3}
WORKERS=${BENCH_FORK_WORKERS:-1}
STRESSOR=${BENCH_FORK_STRESSOR:-vfork}
die() { echo "$prog: $*" >&2; exit 1; }
skip() { echo "$prog: SKIP: $*"; exit 0; }

for v in $SECS $WORKERS; do
	case $v in '' | *[!0-9]* | 0) die "bad number '$v'" ;; esac
done
case $STRESSOR in fork | vfork) ;; *) die "BENCH_FORK_STRESSOR must be fork or vfork" ;; esac
[ "$(id -u)" = 0 ] || die "needs root (it creates cgroups below your own)"
[ -x "$CGTOP" ] || die "no cgtop at $CGTOP"
command -v stress-ng >/dev/null || skip "stress-ng is not installed (apt-get install stress-ng)"
command -v jq >/dev/null || skip "jq is not installed"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cgtop-bench-forks.XXXXXX") || die "mktemp failed"
export CGTOP_BENCH_STATE=$tmp/fleet.state
export CGTOP_BENCH_NAME=cgtop-bench-forks-$$
CG_PID=
cleanup()
{
	[ -n "$CG_PID" ] && kill "$CG_PID" 2>/dev/null && wait "$CG_PID" 2>/dev/null
	bash "$HERE/rmfleet.sh" "$CGTOP_BENCH_STATE" >/dev/null || echo "$prog: could not remove the group (see $CGTOP_BENCH_STATE)" >&2
	[ -f "$CGTOP_BENCH_STATE" ] || [ -n "${BENCH_FORK_KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

"$CGTOP" -b -n 1 --depth 0 --columns tasks,forks 2>"$tmp/probe.err" >/dev/null || die "cgtop failed: $(head -1 "$tmp/probe.err")"
[ -s "$tmp/probe.err" ] && skip "no proc connector: $(head -1 "$tmp/probe.err")"

bash "$HERE/mkfleet.sh" 1 1 0 >"$tmp/mkfleet.out" 2>&1 || die "mkfleet.sh failed: $(tail -1 "$tmp/mkfleet.out")"
procs=()
mem=$(awk '$1 == "memory" { print $2 }' "$CGTOP_BENCH_STATE")
[ -n "$mem" ] && procs+=("$mem/g0/cgroup.procs")
while read -r tag dir; do
	[ "$tag" = root ] && [ "$dir" != "$mem" ] && procs+=("$dir/g0/cgroup.procs")
done <"$CGTOP_BENCH_STATE"
[ ${#procs[@]} -gt 0 ] || die "no group made"

# storm OUT: stress-ng in g0 (the first cgroup.procs, memory's, must take it);
# prints "OPS REAL_SECONDS" from its metrics
storm()
{
	(cd "$tmp" && sh -c '
		echo $$ >"$1" || exit 1
		shift
		for f; do echo $$ >"$f" 2>/dev/null; done
		exec "$0" --"$STRESSOR" "$WORKERS" --timeout "${SECS}s" --metrics-brief
	' "$(command -v stress-ng)" "${procs[@]}") >"$1" 2>&1 </dev/null
	awk -v s="$STRESSOR" '$4 == s && $5 ~ /^[0-9]+$/ { print $5, $6; f = 1 }
		END { if (!f) exit 1 }' "$1"
}
export STRESSOR WORKERS SECS

# cgtop_during OUT COLUMNS: cgtop samples every second around one storm; sets
# C_CPU (s), C_WALL (s), C_STORM ("ops secs")
cgtop_during()
{
	local out=$1 cols=$2 i
	/usr/bin/time -f '%U %S %e' -o "$out.time" "$CGTOP" -b -d 1 -n $((SECS + 3)) --depth 10 \
		--format json --columns "$cols" >"$out" 2>"$out.err" &
	CG_PID=$!
	for ((i = 0; i < 200; i++)); do	# the first sample is out: the connector listens
		[ -s "$out" ] && break
		sleep 0.05
	done
	[ -s "$out" ] || die "cgtop did not start: $(head -1 "$out.err")"
	C_STORM=$(storm "$out.storm") || die "stress-ng failed: $(tail -1 "$out.storm")"
	wait "$CG_PID" || die "cgtop failed: $(head -1 "$out.err")"
	CG_PID=
	C_CPU=$(awk '{ print $1 + $2 }' "$out.time")
	C_WALL=$(awk '{ print $3 }' "$out.time")
}

echo "$prog: stress-ng --$STRESSOR $WORKERS for ${SECS}s in ${procs[0]%/cgroup.procs}"
alone=$(storm "$tmp/alone.storm") || die "stress-ng failed: $(tail -1 "$tmp/alone.storm")"
cgtop_during "$tmp/plain" tasks,cpu,memory
plain_cpu=$C_CPU plain_wall=$C_WALL plain_storm=$C_STORM
cgtop_during "$tmp/forks" tasks,cpu,memory,forks
forks_cpu=$C_CPU forks_wall=$C_WALL forks_storm=$C_STORM
name=$CGTOP_BENCH_NAME/g0
counted=$(tail -1 "$tmp/forks" | jq --arg n "$name" '[.cgroups[] | select(.path | endswith($n)) | .forks_since_start // 0] | max // 0')
overruns=$(tail -1 "$tmp/forks" | jq '.proc_connector_overruns // 0')

awk -v a="$alone" -v ps="$plain_storm" -v fs="$forks_storm" -v pc="$plain_cpu" -v fc="$forks_cpu" \
	-v pw="$plain_wall" -v fw="$forks_wall" -v n=$((SECS + 2)) -v cnt="${counted:-0}" -v ov="${overruns:-0}" \
	-v st="$STRESSOR" -v w="$WORKERS" 'BEGIN {
	split(a, A, " "); split(ps, P, " "); split(fs, F, " ")
	ra = A[1] / A[2]; rp = P[1] / P[2]; rf = F[1] / F[2]
	printf "%-44s %12s %10s %10s\n", "", "forks/s", "cgtop CPU", "cgtop wall"
	printf "%-44s %12.0f %10s %10s\n", "stress-ng --" st " " w " alone", ra, "-", "-"
	printf "%-44s %12.0f %9.2fs %9.2fs\n", "with cgtop (tasks,cpu,memory)", rp, pc, pw
	printf "%-44s %12.0f %9.2fs %9.2fs\n", "with cgtop (tasks,cpu,memory,forks)", rf, fc, fw
	printf "cgtop CPU with the forks column / without: %.2f (%.3f ms per 1000 forks, %.0f %% of a CPU during the storm)\n",
		(pc > 0 ? fc / pc : 0), (F[1] > 0 ? (fc - pc) * 1e6 / F[1] : 0), (fc - pc) * 100 / F[2]
	printf "forks counted by cgtop in the group / made by stress-ng: %d / %d (%.2f), overruns (ENOBUFS): %d\n",
		cnt, F[1], (F[1] > 0 ? cnt / F[1] : 0), ov
	printf "storm rate with cgtop / without: %.2f (no forks column), %.2f (forks column); cgtop wall / schedule (%d s): %.2f\n",
		rp / ra, rf / ra, n, fw / n
	printf "bench: fork_storm_rate=%.0f cgtop_cpu_plain=%.2f cgtop_cpu_forks=%.2f cpu_ratio=%.2f counted=%d forks=%d overruns=%d us_per_fork=%.2f rate_ratio_plain=%.2f rate_ratio_forks=%.2f wall_ratio=%.2f\n",
		ra, pc, fc, (pc > 0 ? fc / pc : 0), cnt, F[1], ov, (F[1] > 0 ? (fc - pc) * 1e6 / F[1] : 0), rp / ra, rf / ra, fw / n
}'
