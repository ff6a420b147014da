#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# launch.sh - `make bench` part 3: the cost of one limited, namespaced launch.
# Times, side by side in the same run, `cgtop --launch --mem 32M --ns pid,mnt
# --parent self true` from start to exit against the same done with the
# classic tools: cgcreate + cgset (memory.limit_in_bytes, memory.max on v2) +
# cgexec ... unshare --fork --pid --mount-proc true + cgdelete, in a group
# nested under the caller's own memory group (never at the root of the
# hierarchy).  Uses hyperfine (warm-up, BENCH_LAUNCH_RUNS runs, JSON export)
# or, without it, an interleaved loop timed with `date +%s%N`.  Prints the
# mean time per launch of each, the ratio and whether the target (cgtop faster
# than the pipeline) is met, plus one `bench: launch_...` line; checks that
# neither side leaves a group behind.  Needs root; skips without cgcreate
# (Debian package cgroup-tools).  BENCH_LAUNCH_TOOL=loop forces the date loop.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=${top_srcdir:-$(cd "$HERE/.." && pwd)}
CGTOP=${CGTOP:-${top_builddir:-$SRC}/cgtop}
RUNS=${BENCH_LAUNCH_RUNS:-100}
WARMUP=${BENCH_LAUNCH_WARMUP:-5}
CGROOT=/sys/fs/cgroup

skip()
{
	echo "launch.sh: SKIP: $*"
	exit 0
}

[ -x "$CGTOP" ] || { echo "launch.sh: no cgtop at $CGTOP" >&2; exit 1; }
for t in cgcreate cgset cgexec cgdelete; do
	command -v $t >/dev/null 2>&1 || skip "$t not found (Debian package cgroup-tools)"
done
command -v unshare >/dev/null 2>&1 || skip "unshare not found (util-linux)"
[ "$(id -u)" = 0 ] || skip "needs root (creates groups and pid/mount namespaces)"

# Mount point of the first FSTYPE mount whose super options hold OPTION (any when empty).
mount_of()
{
	awk -v t="$1" -v o="$2" '{
		for (i = 7; i < NF; i++)
			if ($i == "-")
				break
		if ($(i + 1) == t && (o == "" || $(i + 3) ~ "(^|,)" o "(,|$)")) {
			print $5
			exit
		}
	}' /proc/self/mountinfo
}

# The caller's own memory group and the directory that holds it: v1 "N:memory:/path", else
# the v2 "0::/path" when the cgroup2 mount has the memory controller.
own=$(awk -F: '$2 == "memory" { print $3; exit }' /proc/self/cgroup)
if [ -n "$own" ]; then
	v2=0
	memdir=$(mount_of cgroup memory)
	limit_file=memory.limit_in_bytes
else
	v2=1
	own=$(awk -F: '$1 == "0" && $2 == "" { print $3; exit }' /proc/self/cgroup)
	memdir=$(mount_of cgroup2 '')
	limit_file=memory.max
	grep -qw memory "$memdir/cgroup.controllers" 2>/dev/null ||
		skip "no memory controller in the cgroup2 hierarchy at ${memdir:-?}"
fi
if [ -z "$own" ] || [ -z "$memdir" ] || [ ! -d "$memdir$own" ]; then
	skip "cannot find the caller's memory group (/proc/self/cgroup, /proc/self/mountinfo)"
fi
if [ "$own" = / ]; then
	skip "the caller's memory group is the root; this bench only nests groups under its own"
fi
own=${own%/}

# Our groups: both sides get a name of their own, so leftovers are found and removed exactly.
cg_name=bench-launch-cgtop-$$
pipe_name=bench-launch-pipe-$$
pipe_path=${own#/}/$pipe_name   # libcgroup names groups relative to the hierarchy root

tmp=$(mktemp -d)

# Every directory of our two groups in every hierarchy, deepest first.
our_groups()
{
	find "$CGROOT" -depth -mindepth 1 -type d \( -name "$cg_name" -o -name "$pipe_name" \) \
		2>/dev/null
}

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup()
{
	local d pid
	for d in $(our_groups); do
		# only processes this script started end up in these groups
		while read -r pid; do
			kill -KILL "$pid" 2>/dev/null
		done <"$d/cgroup.procs"
		rmdir "$d" 2>/dev/null || sleep 0.1
		rmdir "$d" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

cgtop_cmd="'$CGTOP' --launch --mem 32M --ns pid,mnt --parent self --name $cg_name true"
pipe_cmd="cgcreate -g memory:$pipe_path && cgset -r $limit_file=32M $pipe_path &&"
pipe_cmd+=" cgexec -g memory:$pipe_path unshare --fork --pid --mount-proc true &&"
pipe_cmd+=" cgdelete -g memory:$pipe_path"

echo "launch.sh: one launch of 'true' with a 32M memory limit in pid+mount namespaces," \
	"under $own ($( ((v2)) && echo v2 || echo v1) memory hierarchy at $memdir)"

# One checked run of each side first: both must work, and the pipeline must really set the limit.
if ! sh -c "$cgtop_cmd" >"$tmp/out" 2>&1; then
	echo "launch.sh: cgtop --launch failed:" >&2
	cat "$tmp/out" >&2
	exit 1
fi
if ! { cgcreate -g "memory:$pipe_path" && cgset -r "$limit_file=32M" "$pipe_path"; } \
	>"$tmp/out" 2>&1; then
	echo "launch.sh: cgcreate/cgset failed:" >&2
	cat "$tmp/out" >&2
	exit 1
fi
lim=$(cat "$memdir$own/$pipe_name/$limit_file" 2>/dev/null)
cgdelete -g "memory:$pipe_path" 2>/dev/null
if [ "$lim" != 33554432 ]; then
	echo "launch.sh: the pipeline's $limit_file reads '$lim', not 33554432" >&2
	exit 1
fi
if ! sh -c "$pipe_cmd" >"$tmp/out" 2>&1; then
	echo "launch.sh: the cgcreate/cgset/cgexec/unshare/cgdelete pipeline failed:" >&2
	cat "$tmp/out" >&2
	exit 1
fi

if [ "${BENCH_LAUNCH_TOOL:-}" != loop ] && command -v hyperfine >/dev/null 2>&1; then
	tool=hyperfine
	# the default shell (sh -c, its start-up subtracted) for both: the pipeline needs one
	if ! hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" \
		--export-json "$tmp/launch.json" --export-csv "$tmp/launch.csv" \
		-n cgtop "$cgtop_cmd" -n pipeline "$pipe_cmd"; then
		echo "launch.sh: hyperfine failed (a command exited non-zero)" >&2
		exit 1
	fi
	# CSV: command,mean,stddev,median,user,system,min,max (seconds)
	c_s=$(awk -F, '$1 == "cgtop" { print $2 }' "$tmp/launch.csv")
	p_s=$(awk -F, '$1 == "pipeline" { print $2 }' "$tmp/launch.csv")
	if [ -n "${BENCH_LAUNCH_JSON:-}" ]; then cp "$tmp/launch.json" "$BENCH_LAUNCH_JSON"; fi
else
	tool=date-loop
	# interleaved, so both sides see the same machine state; warm-up runs not counted
	c_ns=0
	p_ns=0
	for ((i = -WARMUP; i < RUNS; i++)); do
		t0=$(date +%s%N)
		if ! sh -c "$cgtop_cmd" >/dev/null 2>&1; then
			echo "launch.sh: cgtop --launch failed" >&2
			exit 1
		fi
		t1=$(date +%s%N)
		if ! sh -c "$pipe_cmd" >/dev/null 2>&1; then
			echo "launch.sh: the pipeline failed" >&2
			exit 1
		fi
		t2=$(date +%s%N)
		if ((i >= 0)); then
			c_ns=$((c_ns + t1 - t0))
			p_ns=$((p_ns + t2 - t1))
		fi
	done
	c_s=$(awk -v n="$c_ns" -v r="$RUNS" 'BEGIN { printf "%.9f", n / r / 1e9 }')
	p_s=$(awk -v n="$p_ns" -v r="$RUNS" 'BEGIN { printf "%.9f", n / r / 1e9 }')
fi
if [ -z "$c_s" ] || [ -z "$p_s" ]; then
	echo "launch.sh: no timings" >&2
	exit 1
fi

left=$(our_groups)
if [ -n "$left" ]; then
	echo "launch.sh: groups left behind:" "$left" >&2
	leftover=1
else
	leftover=0
fi

awk -v c="$c_s" -v p="$p_s" -v runs="$RUNS" -v tool="$tool" -v left="$leftover" 'BEGIN {
	printf "%-72s %10s\n", "", "ms/launch"
	a = "cgtop --launch --mem 32M --ns pid,mnt --parent self true"
	b = "cgcreate + cgset + cgexec unshare --fork --pid --mount-proc + cgdelete"
	printf "%-72s %10.2f\n", a, c * 1000
	printf "%-72s %10.2f\n", b, p * 1000
	r = p / c
	x = r >= 1 ? r : 1 / r
	how = r >= 1 ? "faster" : "slower"
	verdict = r > 1 ? "met" : "MISSED"
	printf "pipeline time / cgtop time: %.2f (cgtop %.2fx %s)\n", r, x, how
	printf "target: faster than the pipeline: %s\n", verdict
	printf "groups left behind: %s\n", (left ? "YES" : "none")
	printf "bench: launch_cgtop_ms=%.3f launch_pipeline_ms=%.3f", c * 1000, p * 1000
	printf " launch_ratio=%.2f", r
	printf " runs=%d tool=%s leftover=%d\n", runs, tool, left
}'
exit $leftover
