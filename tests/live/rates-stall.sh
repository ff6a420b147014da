#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# rates-stall.sh - live test that a rate is taken over the time between two
# reads of a group's counter, not between the starts of two samples.  cgtop
# runs under a CPU quota of 1 ms every 20 ms, so it is held up inside its
# samples, and a sample that comes late is followed at once by the next one
# due; it samples every 50 ms a group with one busy shell loop, after 150
# other groups.  The busy group's cpu_percent never exceeds what one process
# can use: 100 %, plus 30 % for the kernel's count of CPU time, which moves
# at ticks (4 ms at 250 Hz; reads of the group come at least one quota period
# apart, as a rule: 102.9 % at the most in 6 runs).  With the sample's start
# as every group's time, 6 runs of 6 showed 136 % to 158 % on a quiet host
# (on a loaded one the loop gets less of a CPU, and the test catches less).
# Needs root, jq and the cpu controller (else skips, 77).

set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"

top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

command -v jq >/dev/null || skip_all "jq is not installed"
cg_init
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
hc=$(cg_hier_of cpu) || skip_all "no cpu controller"

T=$CG_TEST
cg_describe
CTRLS=(cpu cpuacct memory pids)
cg_create "$T/busy" "${CTRLS[@]}" || bail_out "cannot create $T/busy"
cg_create "$T/cgtop" "${CTRLS[@]}" || bail_out "cannot create $T/cgtop"
for i in $(seq 0 149); do
	cg_create "$T/a/g$i" cpu cpuacct || bail_out "cannot create $T/a/g$i"
done
dir=$(cg_dir "$hc" "$T/cgtop")
if [ "${CG_TYPE[hc]}" = v2 ]; then
	echo "1000 20000" >"$dir/cpu.max" || bail_out "cannot write $dir/cpu.max"
else
	{ echo 20000 >"$dir/cpu.cfs_period_us" && echo 1000 >"$dir/cpu.cfs_quota_us"; } ||
		bail_out "cannot set the quota in $dir"
fi

cg_spawn "$T/busy" sh -c 'while :; do :; done'
BUSY=$CG_LAST_PID
nap 0.3
OUT=$CG_TMP/out
ERR=$CG_TMP/err
(cg_join "$T/cgtop" "$BASHPID" || exit 126
	exec "$CGTOP" -b -n 60 -d 0.05 --format json "$T") >"$OUT" 2>"$ERR" &
CG=$!
CG_PIDS+=("$CG")
wait "$CG"
is "$?" 0 "cgtop under a CPU quota: exit 0"
cg_kill "$BUSY"

vals=$(jq -r --arg p "$T/busy" '.cgroups[] | select(.path == $p) | .cpu_percent | select(. != null)' \
	"$OUT" 2>/dev/null)
n=$(grep -c . <<<"$vals")
diag "busy's cpu_percent, highest: $(sort -n <<<"$vals" | tail -5 | tr '\n' ' ')"
if [ "$n" -ge 40 ]; then
	pass "a cpu_percent for the busy group in most of the 60 samples ($n)"
else
	fail "a cpu_percent for the busy group in most of the 60 samples ($n)" "$(head -c 300 "$ERR")"
fi
# how busy it shows depends on the host's load (26 % at the median under
# make check's VM stages): only that it was seen running
med=$(sort -n <<<"$vals" | awk '{ a[NR] = $1 } END { print NR ? a[int((NR + 1) / 2)] : 0 }')
if awk -v m="$med" 'BEGIN { exit !(m > 0) }'; then
	pass "the busy loop shows as running (median $med %)"
else
	fail "the busy loop shows as running (median $med %)"
fi
over=$(awk '$1 > 130' <<<"$vals" | tr '\n' ' ')
is "$over" "" "one busy process never shows above 130 % of a CPU"

done_testing
