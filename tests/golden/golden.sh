#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Golden tests: cgtop run with --sysroot on captured trees of real hosts (a
# hybrid host, and pure v1 and pure v2 kernels booted in qemu; see
# tests/tools/mk-dump.sh), its text, JSON and Prometheus output compared with the expected
# files.  The test clock makes the output reproducible; two samples of a still
# tree give rates of exactly 0 after the first sample's nulls.
# GOLDEN_UPDATE=1 rewrites the expected files (review the diff before committing).
# test-lane: free (captured trees only; tests/tap-wrap.sh)
set -u
: "${top_srcdir:?}" "${CGTOP:?}"
dumps=$top_srcdir/tests/golden/dumps
expected=$top_srcdir/tests/golden/expected
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }

shopt -s nullglob
tars=("$dumps"/*.tar.xz)
if [ ${#tars[@]} -eq 0 ]; then
	echo "1..0 # SKIP no dumps in $dumps"
	exit 77
fi

check() { # name expected-file command...
	local name=$1 exp=$2
	shift 2
	local out=$tmp/out err=$tmp/err
	CGTOP_TEST_CLOCK=1764400000 "$@" >"$out" 2>"$err"
	local rc=$?
	if [ "$rc" -ne 0 ] || [ -s "$err" ]; then
		notok "$name: exit $rc"
		sed 's/^/# /' "$err"
		return
	fi
	if [ -n "${GOLDEN_UPDATE:-}" ]; then
		cp "$out" "$exp"
		ok "$name (updated $exp)"
	elif [ ! -f "$exp" ]; then
		notok "$name: no expected file $exp"
	elif diff -u "$exp" "$out" >"$tmp/diff"; then
		ok "$name"
	else
		notok "$name: output differs from $(basename "$exp")"
		head -60 "$tmp/diff" | sed 's/^/# /'
	fi
}

for tar in "${tars[@]}"; do
	name=$(basename "$tar" .tar.xz)
	root=$tmp/$name
	mkdir -p "$root"
	tar -xJf "$tar" -C "$root" || { notok "$name: cannot unpack"; continue; }
	check "$name text" "$expected/$name.txt" "$CGTOP" --sysroot "$root" -b -n 2 -d 1
	check "$name text raw, all columns" "$expected/$name.raw.txt" "$CGTOP" --sysroot "$root" -b -n 1 --raw \
		--columns tasks,threads,cpu,cpu_time,throttle,memory,mem_max,mem_limit,mem_pct,mem_peak,swap,failcnt,oom,pids,pids_max,pids_limit,rejected,io_read,io_write,psi
	check "$name json" "$expected/$name.json" "$CGTOP" --sysroot "$root" -b -n 2 -d 1 --format json
	check "$name prometheus" "$expected/$name.prom" "$CGTOP" --sysroot "$root" -b --format prometheus
	# the mode is read from mountinfo, never from the path layout
	mode=$(CGTOP_TEST_CLOCK=1 "$CGTOP" --sysroot "$root" -b -n 1 --format json --depth 0 | jq -r .mode)
	case $name in
	hybrid*) want=hybrid ;; v1*) want=v1 ;; v2*) want=v2 ;; *) want=$mode ;;
	esac
	[ "$mode" = "$want" ] && ok "$name: mode $mode" || notok "$name: mode $mode, want $want"
	# JSON lines are valid JSON, with every group carrying every documented key
	CGTOP_TEST_CLOCK=1 "$CGTOP" --sysroot "$root" -b -n 2 -d 1 --format json >"$tmp/json"
	if jq -e -s 'length == 2 and all(.[]; .cgroups | length > 0 and all(.[]; has("path") and
		has("memory_effective_max_bytes") and has("psi") and has("pids_rejected")))' <"$tmp/json" >/dev/null; then
		ok "$name: JSON parses"
	else
		notok "$name: JSON does not parse"
	fi
done

echo "1..$n"
[ "$failed" -eq 0 ]
