# SPDX-License-Identifier: GPL-2.0-or-later
# replay.sh - runs every input of tests/fuzz/corpus/TARGET/ and tests/fuzz/crashes/TARGET/ once
# through its fuzz target's function, with the replay main() (replay-main.c) built without
# libFuzzer as tests/fuzz/fuzz-TARGET-replay by make check, so that a crash once found stays a
# regression test in the normal build (and under the sanitizers in distcheck).  One test per
# target.  TAP.
# test-lane: free (tests/tap-wrap.sh)

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}

targets=()
for f in "$top_srcdir"/tests/fuzz/fuzz-*.c; do
	t=${f##*/fuzz-}
	targets+=("${t%.c}")
done
echo "1..${#targets[@]}"
status=0
n=0
for t in "${targets[@]}"; do
	n=$((n + 1))
	replay=$top_builddir/tests/fuzz/fuzz-$t-replay
	if [ ! -x "$replay" ]; then
		echo "ok $n - $t # SKIP $replay not built"
		continue
	fi
	if out=$("$replay" "$top_srcdir/tests/fuzz/corpus/$t" "$top_srcdir/tests/fuzz/crashes/$t" 2>&1); then
		echo "ok $n - $t: $out"
	else
		echo "not ok $n - $t: replay of corpus/$t and crashes/$t"
		printf '%s\n' "$out" | tail -40 | sed 's/^/# /'
		status=1
	fi
done
exit $status
