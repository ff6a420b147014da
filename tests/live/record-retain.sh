#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# record-retain.sh - retention of the flight recorder (cgtop --record FILE
# --retain SPEC), read back with sqlite3 and -b --replay:
#  1. by age (--retain 2s, samples every 0.2 s for 30 samples): the sample
#     times kept span at most the 2 s; the idle group, whose only row is from
#     the first sample (long before the cut), keeps that row and is in the
#     first sample a replay prints (the row a later point in time needs is
#     never removed), and its one memory_stat row, from that sample too,
#     is kept and replayed; the busy group's memory.stat (read every 0.4 s,
#     CGTOP_TEST_MEMORY_STAT_EVERY) keeps its last row before the cut and
#     none older; a busy group keeps about one row per sample kept; a
#     group gone before the cut is gone from the file; retained_from in meta;
#  2. by size (--retain 192K, 12 busy groups, 80 samples every 0.05 s): the
#     pages in use stay under the limit plus a sample's worth, the file under
#     twice the limit, the oldest sample times are dropped, the file is sound
#     (integrity_check) and replays;
#  3. --retain without --record, or a bad SPEC, --from without --replay or a
#     time that is none: exit 2 and one line.
# Needs root (else skips, 77) and sqlite3.

set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"

top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed"
cg_init
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
cg_describe

T=$CG_TEST
ERR=$CG_TMP/err
q() { sqlite3 -batch -noheader "$@" 2>&1; }

# busy PATH: a group whose CPU time changes every sample (a sleep loop)
busy()
{
	cg_create "$1" memory || bail_out "cannot create $1"
	cg_spawn "$1" /bin/sh -c 'while :; do sleep 0.02; done'
}

# ---- 1. by age ----
cg_create "$T" memory || bail_out "cannot create $T"
busy "$T/busy"
cg_create "$T/idle" memory || bail_out "cannot create $T/idle"
cg_create "$T/gone" memory || bail_out "cannot create $T/gone"
DB=$CG_TMP/age.db
CGTOP_TEST_MEMORY_STAT_EVERY=0.4 "$CGTOP" --record "$DB" -d 0.2 -n 30 --retain 2s "$T" 2>"$ERR" </dev/null &
REC=$!
CG_PIDS+=("$REC")
wait_ticks "$DB" 3 || fail "the recorder stored 3 samples within 60 s"
cg_rmdir "$T/gone"
wait "$REC"
is "$? $(head -c 300 "$ERR")" "0 " "--record --retain 2s -n 30 exits 0 without a word"
is "$(q "$DB" "PRAGMA integrity_check")" ok "integrity_check ok"
span=$(q "$DB" "select max(time) - min(time) <= 2.01, count(*) < 30 from ticks")
is "$span" "1|1" "the sample times kept span at most 2 s, the older ones are gone"
[ "$T_FAIL" = 0 ] || diag "ticks: $(q "$DB" "select count(*), min(time), max(time) from ticks")"
is "$(q "$DB" "select count(*), min(s.time) < (select min(time) from ticks) from samples s
	join groups g on g.id = s.group_id where g.path = '$T/idle'")" "1|1" \
	"the idle group keeps its one row, from before the cut"
is "$(q "$DB" "select value >= (select min(time) from ticks) - 0.21 and value <= (select min(time) from ticks)
	from meta where key = 'retained_from'")" 1 "meta: retained_from is the cut, just before the first time kept"
is "$(q "$DB" "select count(*) from groups where path = '$T/gone'")" 0 "the group gone before the cut is removed"
# memory.stat: the idle group's one row (its first sample) is older than the
# cut and still needed; the busy group's rows before the cut but the last go
is "$(q "$DB" "select count(*), min(m.time) < (select min(time) from ticks) from memory_stat m
	join groups g on g.id = m.group_id where g.path = '$T/idle'")" "1|1" \
	"the idle group keeps its one memory_stat row, from before the cut"
is "$(q "$DB" "select count(*) from memory_stat m join groups g on g.id = m.group_id
	where g.path = '$T/busy' and m.time < (select min(time) from ticks)")" 1 \
	"the busy group keeps one memory_stat row from before the cut, the last"
[ "$T_FAIL" = 0 ] || diag "memory_stat: $(q "$DB" "select g.path, m.time, length(m.json) from memory_stat m join groups g on g.id = m.group_id")"
is "$(q "$DB" "select count(*) from memory_stat where group_id not in (select id from groups)")" 0 \
	"no memory_stat row of a group removed"
is "$(q "$DB" "select count(*) <= (select count(*) from ticks) + 1 from samples s join groups g on g.id = s.group_id
	where g.path = '$T/busy'")" 1 "the busy group keeps at most a row per sample kept, and one before"
timeout 60 "$CGTOP" -b --replay "$DB" --format json >"$CG_TMP/replay.json" 2>"$ERR" </dev/null
is "$? $(head -c 300 "$ERR")" "0 " "the file replays"
out=$(python3 - "$CG_TMP/replay.json" "$T" <<'PY' 2>&1
import json, sys
t = sys.argv[2]
lines = [json.loads(l) for l in open(sys.argv[1])]
bad = [s["time"] for s in lines if not {t + "/idle", t + "/busy"} <= {g["path"] for g in s["cgroups"]}]
nostat = [s["time"] for s in lines for g in s["cgroups"] if g["path"] in (t + "/idle", t + "/busy")
          and not isinstance(g.get("memory_stat"), dict)]
print("ok" if lines and not bad and not nostat else "missing in %s, no memory_stat in %s of %d" % (bad, nostat, len(lines)))
PY
)
is "$out" ok "every sample replayed, the first too, has the idle and the busy group, with their memory.stat"

# ---- 2. by size ----
for i in $(seq 1 12); do busy "$T/s$i"; done
DB=$CG_TMP/size.db
timeout 120 "$CGTOP" --record "$DB" -d 0.05 -n 80 --retain 192K "$T" 2>"$ERR" </dev/null
is "$? $(head -c 300 "$ERR")" "0 " "--record --retain 192K -n 80 exits 0 without a word"
is "$(q "$DB" "PRAGMA integrity_check")" ok "integrity_check ok"
used=$(q "$DB" "select (p.page_count - f.freelist_count) * s.page_size from pragma_page_count p,
	pragma_freelist_count f, pragma_page_size s")
per=$(q "$DB" "select cast((select coalesce(sum(length(json)), 0) from memory_stat) + count(*) * 512 as integer) /
	(select count(*) from ticks) from samples")
size=$(stat -c %s "$DB")
diag "pages in use $used bytes, file $size bytes, about $per bytes a sample, $(q "$DB" "select count(*) from ticks") samples kept"
if [ "$used" -le $((196608 + 2 * per)) ] 2>/dev/null; then pass "the pages in use stay under the limit and a sample"; else fail "pages in use bounded" "$used"; fi
if [ "$size" -le $((2 * 196608)) ] 2>/dev/null; then pass "the file stays under twice the limit ($size)"; else fail "file bounded" "$size"; fi
n=$(q "$DB" "select count(*) from ticks")
if [ "$n" -lt 80 ] 2>/dev/null; then pass "the oldest samples are dropped ($n of 80 kept)"; else fail "samples dropped" "$n"; fi
timeout 60 "$CGTOP" -b --replay "$DB" --format json >"$CG_TMP/replay.json" 2>"$ERR" </dev/null
is "$? $(wc -l <"$CG_TMP/replay.json")" "0 $n" "the file replays, a line per sample kept"

# ---- 3. bad usage ----
"$CGTOP" -b --retain 7d -n 1 "$T" >/dev/null 2>"$ERR" </dev/null
is "$? $(wc -l <"$ERR")" "2 1" "--retain without --record: exit 2, one line"
for spec in 7 0d 7D 1g 7d,, 1.5G; do
	"$CGTOP" --record "$CG_TMP/bad.db" --retain "$spec" -n 1 "$T" >/dev/null 2>"$ERR" </dev/null
	is "$? $(wc -l <"$ERR") $([ -e "$CG_TMP/bad.db" ] && echo made)" "2 1 " "--retain $spec: exit 2, one line, no file"
done

"$CGTOP" -b --from -10m -n 1 "$T" >/dev/null 2>"$ERR" </dev/null
is "$? $(wc -l <"$ERR")" "2 1" "--from without --replay: exit 2, one line"
for t in yesterday 12:60 2026-02-31 -10x; do
	"$CGTOP" -b --replay "$DB" --from "$t" >/dev/null 2>"$ERR" </dev/null
	is "$? $(wc -l <"$ERR") $(grep -cF -- "'$t'" "$ERR")" "2 1 1" "--from $t: exit 2, one line naming it"
done

done_testing
