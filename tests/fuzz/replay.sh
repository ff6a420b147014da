# SPDX-License-Identifier: GPL-2.0-or-later
# replay.sh - runs every input of tests/fuzz/corpus/ and tests/fuzz/crashes/ once through the
# fuzz target's function, with the replay main() built without libFuzzer (make check builds it
# as tests/fuzz/fuzz-kmsg-replay), so a crash once found stays a regression test.  TAP.

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
replay=$top_builddir/tests/fuzz/fuzz-kmsg-replay

if [ ! -x "$replay" ]; then
	echo "1..0 # SKIP $replay not built"
	exit 77
fi
echo "1..1"
if out=$("$replay" "$top_srcdir/tests/fuzz/corpus" "$top_srcdir/tests/fuzz/crashes" 2>&1); then
	echo "ok 1 - $out"
else
	echo "not ok 1 - replay of tests/fuzz/corpus and tests/fuzz/crashes"
	printf '%s\n' "$out" | tail -40 | sed 's/^/# /'
	exit 1
fi
