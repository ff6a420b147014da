#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tiers.sh - values read less often than every refresh still show within their
# documented age (man page, "How old a value can be"): a running
# `cgtop -b -d 0.5 --format json` on the test's own groups sees
#   - a memory limit and pids.max written meanwhile (the slow tier) within
#     4 refreshes (it re-reads them at least every 5th);
#   - a real OOM kill (memory_oom_kills: v2 memory.events.local, notified;
#     v1 memory.oom_control, read every refresh) within one refresh;
#   - fork rejections at a pids limit (pids_rejected: pids.events, notified
#     on v2, read every refresh on v1) within one refresh, three times in a
#     row: the second and third come right after a refresh showed the one
#     before, so a count that waited for the slow tier would come 4 refreshes
#     late.
# "Within n refreshes": C being the first sample stamped after the change, the
# value is in sample C + n at the latest and stays: n = 4 for the limits, 1
# for the counters (a notification comes from a kernel work item, which may
# run just after sample C drained its events).  On this hybrid host memory
# and pids are v1; the v2 VM (tests/vm/inside.sh) runs the notified path.
# Needs root, jq, the memory and pids controllers (else skips, 77).
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
cg_hier_of memory >/dev/null || skip_all "no memory controller usable below the own group"
cg_hier_of pids >/dev/null || skip_all "no pids controller usable below the own group"
need_helper MEMHOG memhog
need_helper FORKER forker
cg_describe

G=$CG_TEST/tier
OUT=$CG_TMP/out.json
ERR=$CG_TMP/err
WAIT=60
in_vm && WAIT=600
SLOW_LATE=4   # the slow tier: read at least every 5th refresh
NOTIFY_LATE=1 # notified or read every refresh

cg_create "$G" memory pids || bail_out "cannot create $G"
if cg_file "$G" memory.max >/dev/null; then
	MEMKNOB=memory.max
	cg_write "$G" memory.max 268435456 &&
		{ ! cg_file "$G" memory.swap.max >/dev/null || cg_write "$G" memory.swap.max 0; } ||
		bail_out "cannot limit $G"
else
	MEMKNOB=memory.limit_in_bytes
	cg_write "$G" memory.swappiness 0 2>/dev/null
	cg_write "$G" memory.limit_in_bytes 268435456 &&
		{ ! cg_file "$G" memory.memsw.limit_in_bytes >/dev/null ||
			cg_write "$G" memory.memsw.limit_in_bytes 268435456; } ||
		bail_out "cannot limit $G"
fi
cg_write "$G" pids.max 50 || bail_out "cannot write pids.max of $G"

cg_bg "$CGTOP" -b -d 0.5 --format json "$CG_TEST" >"$OUT" 2>"$ERR"
CGTOP_PID=$CG_LAST_PID

samples() { local n; n=$(grep -c '^{' "$1" 2>/dev/null); echo "${n:-0}"; }
# wait_samples N: until OUT has N samples
wait_samples()
{
	local end=$((SECONDS + WAIT))

	while [ "$(samples "$OUT")" -lt "$1" ]; do
		[ $SECONDS -lt $end ] || return 1
		kill -0 "$CGTOP_PID" 2>/dev/null || return 1
		nap 0.1
	done
}
# series KEY: "time<TAB>value" of group G per sample ("absent" when not listed)
series()
{
	jq -r --arg p "$G" --arg k "$1" \
		'[(.time | tostring), ([.cgroups[] | select(.path == $p) | .[$k] | tostring] | first // "absent")] | @tsv' \
		"$OUT"
}
# seen_within KEY WANT SINCE_MS LATE DESC: the first sample stamped after
# SINCE_MS is sample C; KEY of G must be WANT at the latest in sample C + LATE
# and stay so up to the last sample.
seen_within()
{
	local key=$1 want=$2 since=$3 late=$4 desc=$5 c=0 first=0 i=0 t v bad=0

	# sample C first, then wait for C + LATE
	local end=$((SECONDS + WAIT))
	while :; do
		c=$(series "$key" | awk -F'\t' -v s="$since" '$1 * 1000 > s { print NR; exit }')
		[ -n "$c" ] && break
		[ $SECONDS -lt $end ] || { fail "$desc" "no sample after the change"; return; }
		nap 0.1
	done
	wait_samples $((c + late)) || { fail "$desc" "cgtop stopped: $(head -c 300 "$ERR")"; return; }
	while IFS=$'\t' read -r t v; do
		i=$((i + 1))
		[ $i -ge "$c" ] || continue
		if [ "$v" = "$want" ]; then
			[ $first = 0 ] && first=$i
		elif [ $first != 0 ]; then
			bad=$i
		fi
	done < <(series "$key")
	if [ $first = 0 ] || [ $first -gt $((c + late)) ]; then
		fail "$desc" "$key=$want not in samples $c..$((c + late)): $(series "$key" | sed -n "$c,\$p" | tr '\n' ' ')"
	elif [ $bad != 0 ]; then
		fail "$desc" "$key went back from $want in sample $bad"
	else
		pass "$desc (sample $((first - c)) after the change)"
	fi
}

wait_samples 3 || bail_out "cgtop gave no samples: $(head -c 500 "$ERR")"
is "$(series memory_max_bytes | sed -n 3p | cut -f2)" 268435456 "the first memory limit is shown"
is "$(series pids_max | sed -n 3p | cut -f2)" 50 "the first pids.max is shown"

# ---- limits: the slow tier ----------------------------------------------------
now_ms
T=$NOW_MS
cg_write "$G" "$MEMKNOB" 67108864 || bail_out "cannot lower the memory limit"
if [ "$MEMKNOB" = memory.limit_in_bytes ] && cg_file "$G" memory.memsw.limit_in_bytes >/dev/null; then
	cg_write "$G" memory.memsw.limit_in_bytes 67108864 || bail_out "cannot lower memsw"
fi
# its own time: under ASan the memory writes above can take a refresh
now_ms
T2=$NOW_MS
cg_write "$G" pids.max 3 || bail_out "cannot lower pids.max"
seen_within memory_max_bytes 67108864 "$T" $SLOW_LATE "a memory limit written meanwhile shows within $SLOW_LATE refreshes"
seen_within pids_max 3 "$T2" $SLOW_LATE "a pids.max written meanwhile shows within $SLOW_LATE refreshes"

# ---- a real OOM kill ------------------------------------------------------------
is "$(series memory_oom_kills | tail -1 | cut -f2)" 0 "no OOM kill yet"
cg_spawn "$G" sh -c 'echo 1000 >/proc/self/oom_score_adj && exec "$1" 200' sh "$MEMHOG"
HOG=$CG_LAST_PID
{ wait "$HOG"; } 2>/dev/null
rc=$?
now_ms
T=$NOW_MS # the kernel counts a kill before the victim dies
is "$rc" 137 "the memory hog was killed (SIGKILL)"
seen_within memory_oom_kills 1 "$T" $NOTIFY_LATE "an OOM kill shows within $NOTIFY_LATE refresh"

# ---- fork rejections at the pids limit ------------------------------------------
total=0
for round in 1 2 3; do
	# each forker holds its children: the first fills the limit of 3, the
	# later ones find it full and have every fork rejected
	cg_spawn "$G" "$FORKER" -t 3 >"$CG_TMP/forker$round.out"
	end=$((SECONDS + WAIT))
	until grep -q '^rejected' "$CG_TMP/forker$round.out"; do
		[ $SECONDS -lt $end ] || bail_out "forker $round did not finish"
		nap 0.05
	done
	now_ms
	T=$NOW_MS
	k=$(awk '/^rejected/ { print $2 }' "$CG_TMP/forker$round.out")
	total=$((total + k))
	[ "$k" -gt 0 ] || fail "round $round: forks were rejected" "forker says: $(cat "$CG_TMP/forker$round.out")"
	seen_within pids_rejected "$total" "$T" $NOTIFY_LATE "round $round: $total fork rejections show within $NOTIFY_LATE refresh"
done
is "$(cg_read "$G" pids.events | awk '{ print $2 }')" "$total" "pids.events agrees"

cg_kill "$CGTOP_PID"
if [ -s "$ERR" ]; then
	fail "nothing on stderr" "$(head -c 1000 "$ERR")"
else
	pass "nothing on stderr"
fi
done_testing
