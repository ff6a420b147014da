#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# names.sh - `make bench` part: what names cost at steady state.  Two --sysroot
# fleets built from the captured v2 tree (tests/golden/dumps/v2.tar.xz), each
# of BENCH_NAMES_N (default 500) container groups with the same files:
# "named", /system.slice/docker-<id>.scope with docker's config.v2.json (the
# captured one, renamed) for each, and "plain", /system.slice/ctr-<id>, which
# no runtime module knows.  For each, the CPU of one refresh (median CPU of
# `-b -n K2 -d 0.01` minus `-n K1`, over K2 - K1; start-up and the one-time
# lookups cancel out), as JSON (which carries every name) and as text with the
# name column, and the ratio named / plain.  Goal: 1.0 (names looked up once
# per group, never per refresh); within 10 % counts as met on a shared VM.
# No root, no live groups: the fleets are files in a temporary directory.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=${top_srcdir:-$(cd "$HERE/.." && pwd)}
CGTOP=${CGTOP:-${top_builddir:-$SRC}/cgtop}
N=${BENCH_NAMES_N:-500}
RUNS=${BENCH_NAMES_RUNS:-5}
K1=3
K2=${BENCH_NAMES_K2:-33}
[ -x "$CGTOP" ] || { echo "names.sh: no cgtop at $CGTOP" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
${CC:-cc} -O2 -o "$tmp/rusage" "$HERE/rusage.c" || { echo "names.sh: cannot build bench/rusage.c" >&2; exit 1; }

cfg=$SRC/tests/data/names/root/var/lib/docker/containers
cfg=$(find "$cfg" -name config.v2.json | head -1)
text=$(<"$cfg")
for kind in named plain; do
	r=$tmp/$kind
	mkdir -p "$r" && tar -xJf "$SRC/tests/golden/dumps/v2.tar.xz" -C "$r" || exit 1
	files=$(find "$r/sys/fs/cgroup/demo/a" -maxdepth 1 -type f)
	for ((i = 0; i < N; i++)); do
		id=$(printf '%064x' $((i + 1)))
		if [ "$kind" = named ]; then
			g=$r/sys/fs/cgroup/system.slice/docker-$id.scope
			mkdir -p "$r/var/lib/docker/containers/$id"
			printf '%s\n' "${text/\"Name\":\"\/web-1\"/\"Name\":\"\/web-$i\"}" \
				>"$r/var/lib/docker/containers/$id/config.v2.json"
		else
			g=$r/sys/fs/cgroup/system.slice/ctr-$id
		fi
		mkdir -p "$g"
		# shellcheck disable=SC2086
		cp -l $files "$g/" # links: the fleet is only read
	done
done
n_named=$("$CGTOP" --sysroot "$tmp/named" -b -n 1 --format json | grep -o '"kind":"docker"' | wc -l)
echo "names.sh: $N groups a fleet; the named fleet's JSON names $n_named containers"

# median CPU (us) of RUNS runs of cgtop with the arguments
cpu() {
	local r
	for ((r = 0; r < RUNS; r++)); do
		"$tmp/rusage" "$tmp/ru" "$CGTOP" "$@" >/dev/null 2>&1
		cut -d' ' -f1 "$tmp/ru"
	done | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
# CPU of one refresh (us) on fleet $1 with the output arguments after it
refresh() {
	local root=$1 a b
	shift
	a=$(cpu --sysroot "$root" -b -d 0.01 -n $K1 "$@")
	b=$(cpu --sysroot "$root" -b -d 0.01 -n "$K2" "$@")
	awk -v a="$a" -v b="$b" -v k=$((K2 - K1)) 'BEGIN { printf "%.0f\n", (b - a) / k }'
}
for out in "json:--format json" "text:--columns tasks,memory,name"; do
	what=${out%%:*}
	# shellcheck disable=SC2086
	named=$(refresh "$tmp/named" ${out#*:})
	# shellcheck disable=SC2086
	plain=$(refresh "$tmp/plain" ${out#*:})
	ratio=$(awk -v a="$named" -v b="$plain" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	verdict=$(awk -v r="$ratio" 'BEGIN { print (r <= 1.10 ? "met" : "MISSED") }')
	echo "bench: names_refresh_${what}_named_us=$named names_refresh_${what}_plain_us=$plain" \
		"names_refresh_${what}_ratio=$ratio (goal 1.0, <= 1.10: $verdict)"
done
