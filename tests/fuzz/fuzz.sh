# SPDX-License-Identifier: GPL-2.0-or-later
# fuzz.sh - runs every libFuzzer target tests/fuzz/fuzz-TARGET.c for a bounded time,
# CGTOP_FUZZ_SECONDS each (default 5), with AddressSanitizer and UndefinedBehaviorSanitizer.
# Every source of libcgtop (all of src/ but main.c) is compiled once, instrumented, into one
# archive that each target links, so a target needs no list of the files it uses; the
# libraries come from the build (CGTOP_LIBS_CFLAGS, CGTOP_LIBS from Makefile.am).  Seeds: tests/fuzz/corpus/TARGET/ and crashes/TARGET/, and real text where the
# repository has it (the captured kernel logs for kmsg, the captured cgroupfs and /proc files
# for parse, the example cgtoprc for rc).  The seeds and the known crashes run first; then the
# fuzzer.  A crash fails the test and leaves its input in
# $top_builddir/tests/fuzz/crash-artifacts/TARGET/, to be copied into crashes/TARGET/ (see
# crashes/README).  Needs clang with libFuzzer, else it is skipped.  CGTOP_FUZZ_TARGETS limits
# the run to some targets ("utf8 names").  TAP.
# test-lane: cpu 90
# (CPU-bound: the clang builds, then CGTOP_FUZZ_SECONDS per target; tests/tap-wrap.sh)

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
seconds=${CGTOP_FUZZ_SECONDS:-5}
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
flags=(-std=gnu11 -g -O1 -fno-sanitize-recover=undefined -D_GNU_SOURCE -I"$src/include")
# the build's config.h, as every source of the normal build gets it
[ -f "$top_builddir/config.h" ] && flags+=(-include "$top_builddir/config.h")

targets=()
for f in "$src"/tests/fuzz/fuzz-*.c; do
	t=${f##*/fuzz-}
	t=${t%.c}
	if [ -n "${CGTOP_FUZZ_TARGETS:-}" ] && [[ " $CGTOP_FUZZ_TARGETS " != *" $t "* ]]; then
		continue
	fi
	targets+=("$t")
done

# the instrumented archive of libcgtop, built once for all targets (two compilers per CPU)
build_lib()
{
	mkdir -p "$work/obj" || return 1
	find "$src/src" -name '*.c' ! -path "$src/src/main.c" -print0 |
		xargs -0 -P "$(($(nproc) + 1))" -I{} sh -c 'cc=$0 w=$1 s=$2; shift 2
			exec "$cc" "$@" -c "$s" -o "$w/obj/$(echo "${s#"$w"}" | tr / _).o"' \
			"$CLANG" "$work" {} "${flags[@]}" $CGTOP_LIBS_CFLAGS \
			-fsanitize=fuzzer-no-link,address,undefined || return 1
	ar rcs "$work/libfuzz.a" "$work"/obj/*.o
}

# build TARGET: the target against the archive
build()
{
	local t=$1
	[ -f "$work/libfuzz.a" ] || { cat "$work/build-lib.log"; return 1; }
	# shellcheck disable=SC2086 # the libraries' flags are words
	"$CLANG" "${flags[@]}" $CGTOP_LIBS_CFLAGS -fsanitize=fuzzer,address,undefined -o "$work/fuzz-$t" \
		"$src/tests/fuzz/fuzz-$t.c" "$work/libfuzz.a" $CGTOP_LIBS -lm
}

# seeds TARGET DIR: the committed corpus and crashes, and real text, copied into DIR
seeds()
{
	local t=$1 dir=$2 f n=0
	local -a extra=()

	case $t in
	kmsg) extra=("$src"/tests/data/kmsg/*/*) ;;
	parse) mapfile -t extra < <(find "$src/tests/data/cgroup1" "$src/tests/data/cgroup2" \
		"$src/tests/data/hybrid" "$src/tests/data/proc" -type f -size -64k 2>/dev/null) ;;
	rc) extra=("$src/data/cgtoprc") ;;
	procconn) extra=("$src"/tests/data/procconn/*.bin) ;;
	esac
	mkdir -p "$dir"
	for f in "$src/tests/fuzz/corpus/$t"/* "$src/tests/fuzz/crashes/$t"/* "${extra[@]}"; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		cp "$f" "$dir/$n-${f##*/}"
	done
	echo "$n"
}

echo "1..$((3 * ${#targets[@]}))"
build_lib >"$work/build-lib.log" 2>&1
i=0
status=0
for t in "${targets[@]}"; do
	if ! build "$t" >"$work/build-$t.log" 2>&1; then
		if grep -q -i -e 'fuzzer' -e 'cannot find' "$work/build-$t.log"; then
			echo "ok $((i + 1)) - build fuzz-$t # SKIP $CLANG cannot build a libFuzzer target here"
			echo "ok $((i + 2)) - fuzz-$t: seeds # SKIP not built"
			echo "ok $((i + 3)) - fuzz-$t: fuzz # SKIP not built"
		else
			echo "not ok $((i + 1)) - build fuzz-$t with $CLANG"
			sed 's/^/# /' "$work/build-$t.log" | head -30
			echo "ok $((i + 2)) - fuzz-$t: seeds # SKIP not built"
			echo "ok $((i + 3)) - fuzz-$t: fuzz # SKIP not built"
			status=1
		fi
		i=$((i + 3))
		continue
	fi
	echo "ok $((i + 1)) - build fuzz-$t with $CLANG"

	n=$(seeds "$t" "$work/seeds-$t")
	# the known crashes and the seeds must pass first (the fuzzer runs each file once)
	if "$work/fuzz-$t" -runs=0 "$work/seeds-$t" >"$work/replay-$t.log" 2>&1; then
		echo "ok $((i + 2)) - fuzz-$t: $n seed and regression inputs run clean"
	else
		echo "not ok $((i + 2)) - fuzz-$t: $n seed and regression inputs run clean"
		tail -40 "$work/replay-$t.log" | sed 's/^/# /'
		status=1
	fi

	artifacts=$top_builddir/tests/fuzz/crash-artifacts/$t
	mkdir -p "$artifacts" "$work/corpus-$t"
	if "$work/fuzz-$t" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$artifacts/" "$work/corpus-$t" "$work/seeds-$t" \
		>"$work/fuzz-$t.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz-$t.log")
		echo "ok $((i + 3)) - fuzz-$t for ${seconds}s: ${runs:-?} inputs, no crash"
		rmdir "$artifacts" "$top_builddir/tests/fuzz/crash-artifacts" 2>/dev/null
	else
		echo "not ok $((i + 3)) - fuzz-$t for ${seconds}s: crash (input saved in $artifacts)"
		grep -E -A30 'ERROR: |runtime error|deadly signal' "$work/fuzz-$t.log" | head -60 | sed 's/^/# /'
		status=1
	fi
	i=$((i + 3))
done
exit $status
