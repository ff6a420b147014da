#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# notify-overflow.sh - the tree survives lost inotify events: `cgtop -b -d 4
# --format json` on the test's group sets its watches at the second sample;
# right after it, a group is made in one hierarchy and renamed 10000 times
# (flood0, flood1, ...: two events a rename, more than the kernel's queue of
# max_queued_events, 16384 by default, holds), the last time to
# "survivor", while cgtop is stopped (SIGSTOP: on a loaded machine the flood
# can take longer than an interval, and cgtop must not read the queue in
# the middle of it): that rename comes after the queue filled, so the
# kernel drops its events and queues IN_Q_OVERFLOW.  The third sample, after
# SIGCONT, must list the survivor (cgtop walked the tree again) and none of
# the flood names.  Needs root, jq and python3 (else skips, 77).
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

command -v jq >/dev/null || skip_all "jq is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"
cg_init
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
cg_create "$CG_TEST" all || bail_out "cannot create $CG_TEST"
cg_describe

QMAX=$(cat /proc/sys/fs/inotify/max_queued_events 2>/dev/null || echo 16384)
N=10000
[ $((2 * N)) -gt "$QMAX" ] || skip_all "max_queued_events is $QMAX: $N renames would not overflow it"
# a v1 hierarchy (cgroup v2 refuses to rename a group), one without
# controllers if there is one (name=systemd)
H=
for ((i = CG_NH - 1; i >= 0; i--)); do
	[ "${CG_TYPE[i]}" = v1 ] || continue
	[ -z "$H" ] || [[ ${CG_CTRL[i]} == name=* ]] && H=$i
done
[ -n "$H" ] || skip_all "no cgroup v1 hierarchy (v2 refuses to rename a group)"
D=$(cg_dir "$H" "$CG_TEST")
diag "the groups are made in ${CG_MNT[H]}"
# made in one hierarchy only: removed by the trap as one of ours
CG_CREATED+=("$D/survivor")

OUT=$CG_TMP/out.json
cg_bg "$CGTOP" -b -d 4 -n 3 --format json "$CG_TEST" >"$OUT" 2>"$CG_TMP/err"
CGTOP_PID=$CG_LAST_PID
# the second sample is out: the watches are set, the next read is 4 s away
for ((t = 0; t < 600; t++)); do
	[ "$(wc -l <"$OUT")" -ge 2 ] && break
	nap 0.1
done
[ "$(wc -l <"$OUT")" -ge 2 ] || bail_out "cgtop printed no second sample within 60 s"
kill -STOP "$CGTOP_PID"
t0=${EPOCHREALTIME//[!0-9]/}
python3 - "$D" "$N" <<'EOF'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
name = d + "/flood0"
os.mkdir(name)
try:
    for i in range(1, n):
        os.rename(name, "%s/flood%d" % (d, i))
        name = "%s/flood%d" % (d, i)
    os.rename(name, d + "/survivor")
except BaseException:
    os.rmdir(name)  # nothing of ours left behind
    raise
EOF
rc=$?
t1=${EPOCHREALTIME//[!0-9]/}
is "$rc" 0 "a group made and renamed $N times, the last time to survivor"
ms=$(((t1 - t0) / 1000))
diag "that took $ms ms"
kill -CONT "$CGTOP_PID"
wait "$CGTOP_PID"
is "$?" 0 "cgtop exits 0"
is "$(cat "$CG_TMP/err")" "" "nothing on stderr"
is "$(wc -l <"$OUT")" 3 "three samples"
last=$(tail -n 1 "$OUT")
is "$(jq -r --arg p "$CG_TEST/survivor" '[.cgroups[] | select(.path == $p)] | length' <<<"$last")" 1 \
	"the third sample lists the survivor"
is "$(jq -r --arg p "$CG_TEST/flood" '[.cgroups[] | select(.path | startswith($p))] | length' <<<"$last")" 0 \
	"... and none of the names it had before"
done_testing
