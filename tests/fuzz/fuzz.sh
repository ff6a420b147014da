# SPDX-License-Identifier: GPL-2.0-or-later
# fuzz.sh - runs the libFuzzer target tests/fuzz/fuzz-kmsg.c (kmsg_parse_record, kmsg_parse_line,
# the paste reader and the OOM parser) for a bounded time, CGTOP_FUZZ_SECONDS (default 30), with
# AddressSanitizer and UndefinedBehaviorSanitizer, on a seed corpus made of tests/fuzz/corpus/ and
# every captured log under tests/data/kmsg/ (pasted ones included).  Fails when the fuzzer finds a crash; the input is left in
# $top_builddir/tests/fuzz/crash-artifacts/ to be copied into tests/fuzz/crashes/.  Needs clang
# with libFuzzer, else it is skipped.  TAP.

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
seconds=${CGTOP_FUZZ_SECONDS:-30}
CLANG=${CLANG:-clang}

if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "1..0 # SKIP clang not found"
	exit 77
fi
case $seconds in
'' | *[!0-9]*)
	echo "1..0 # SKIP CGTOP_FUZZ_SECONDS='$seconds' is not a number of seconds"
	exit 77
	;;
esac
if [ "$seconds" -eq 0 ]; then
	echo "1..0 # SKIP CGTOP_FUZZ_SECONDS=0"
	exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/cgtop-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

src=$top_srcdir
if ! "$CLANG" -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-D_GNU_SOURCE -I"$src/include" -o "$work/fuzz-kmsg" "$src/tests/fuzz/fuzz-kmsg.c" \
	"$src/src/kmsg-record.c" "$src/src/kmsg-paste.c" "$src/src/oom.c" >"$work/build.log" 2>&1; then
	if grep -q -i -e 'fuzzer' -e 'cannot find' "$work/build.log"; then
		echo "1..0 # SKIP $CLANG cannot build a libFuzzer target here"
		sed 's/^/# /' "$work/build.log" | head -5
		exit 77
	fi
	echo "1..2"
	echo "not ok 1 - build the libFuzzer target with $CLANG"
	sed 's/^/# /' "$work/build.log" | head -30
	echo "not ok 2 - fuzz for ${seconds}s # SKIP not built"
	exit 1
fi
echo "1..3"
echo "ok 1 - build the libFuzzer target with $CLANG"

mkdir -p "$work/corpus" "$work/seeds"
n=0
for f in "$src"/tests/fuzz/corpus/* "$src"/tests/fuzz/crashes/* "$src"/tests/data/kmsg/*/*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	cp "$f" "$work/seeds/$n-$(basename "$f")"
done

# the known crashes and the seeds must pass first (the fuzzer runs each file once)
if "$work/fuzz-kmsg" -runs=0 "$work/seeds" >"$work/replay.log" 2>&1; then
	echo "ok 2 - $n seed and regression inputs run clean"
else
	echo "not ok 2 - $n seed and regression inputs run clean"
	tail -40 "$work/replay.log" | sed 's/^/# /'
fi

artifacts=$top_builddir/tests/fuzz/crash-artifacts
mkdir -p "$artifacts"
if "$work/fuzz-kmsg" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$artifacts/" "$work/corpus" "$work/seeds" \
	>"$work/fuzz.log" 2>&1; then
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log")
	echo "ok 3 - fuzz for ${seconds}s: ${runs:-?} inputs, no crash"
	rmdir "$artifacts" 2>/dev/null
else
	echo "not ok 3 - fuzz for ${seconds}s: crash (input saved in $artifacts)"
	grep -E -A30 'ERROR: |runtime error|deadly signal' "$work/fuzz.log" | head -60 | sed 's/^/# /'
	exit 1
fi
