#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# record-memstat.sh - memory.stat in a recording (schema 2): a table of its
# own, read on the sampler's map tier, read back with sqlite3 and a replay:
#  1. cadence (CGTOP_TEST_MEMORY_STAT_EVERY=1: every 5th sample at -d 0.2;
#     60 s in use): a busy group, whose memory.stat changes all the time,
#     has a memory_stat row at its first sample and then at most one a
#     second, far fewer than its samples rows; an idle group has one row;
#     the file is schema 2 and samples has no memory_stat column;
#  2. a replay at a sample time between two memory.stat reads of the busy
#     group prints the earlier one (JSON), and the text of the detail view
#     is not asked;
#  3. an OOM kill (a period of 1000 s: nothing is read on the schedule after
#     a group's first sample): the group of the kill has a memory_stat row
#     from the sample that saw it.
# Needs root (else skips, 77), sqlite3 and python3.

set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"

top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"
cg_init
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
need_helper MEMHOG memhog
cg_describe

T=$CG_TEST
ERR=$CG_TMP/err
q() { sqlite3 -batch -noheader "$@" 2>&1; }

cg_create "$T" memory || bail_out "cannot create $T"
cg_create "$T/busy" memory || bail_out "cannot create $T/busy"
cg_spawn "$T/busy" /bin/sh -c 'while :; do sleep 0.02; done'
cg_create "$T/idle" memory || bail_out "cannot create $T/idle"

# ---- 1. cadence ----
DB=$CG_TMP/rec.db
CGTOP_TEST_MEMORY_STAT_EVERY=1 timeout 120 "$CGTOP" --record "$DB" -d 0.2 -n 16 "$T" 2>"$ERR" </dev/null
is "$? $(head -c 300 "$ERR")" "0 " "--record -d 0.2 -n 16 exits 0 without a word"
is "$(q "$DB" "PRAGMA user_version")" 3 "PRAGMA user_version 3"
is "$(q "$DB" "select value from meta where key = 'schema_version'")" 3 "meta: schema_version 3"
is "$(q "$DB" "select count(*) from pragma_table_info('samples') where name = 'memory_stat'")" 0 \
	"samples has no memory_stat column"
gid() { q "$DB" "select id from groups where path = '$1'"; }
BUSY=$(gid "$T/busy") IDLE=$(gid "$T/idle")
srows=$(q "$DB" "select count(*) from samples where group_id = $BUSY")
mrows=$(q "$DB" "select count(*) from memory_stat where group_id = $BUSY")
first=$(q "$DB" "select (select min(time) from memory_stat where group_id = $BUSY) =
	(select min(time) from samples where group_id = $BUSY)")
diag "busy: $srows samples rows, $mrows memory_stat rows over $(q "$DB" "select count(*) from ticks") samples"
is "$first" 1 "the busy group's memory.stat is stored at its first sample"
if [ "$mrows" -ge 2 ] 2>/dev/null && [ "$mrows" -le 5 ] && [ "$srows" -ge $((2 * mrows)) ]; then
	pass "the busy group: $mrows memory_stat rows (2 to 5) for $srows samples rows"
else
	fail "the busy group's memory_stat rows at the cadence" "$mrows memory_stat rows, $srows samples rows"
fi
# from the second read on a group's reads are 5 samples (1 s) apart; the
# first after its first sample comes sooner, staggered over the groups
gaps=$(q "$DB" "select count(*) from (select time - lag(time) over (order by time) as gap,
	row_number() over (order by time) as k from memory_stat where group_id = $BUSY) where k > 2 and gap < 0.9")
is "$gaps" 0 "from its second row on, the busy group's memory_stat rows are at least 0.9 s apart"
is "$(q "$DB" "select count(*) from memory_stat where group_id = $IDLE")" 1 \
	"the idle group, whose memory.stat does not change, has one memory_stat row"
is "$(q "$DB" "select count(*) from memory_stat where json is null or json_valid(json) = 0")" 0 \
	"every memory_stat row is a JSON object"

# ---- 2. a replay between two reads shows the earlier one ----
# a sample between two reads of memory.stat at which the busy group has a
# samples row (its CPU time moved; on a loaded host its loop may not have run
# in some interval, which once failed CI when the first such sample was taken)
between="from ticks where time > a + 0.001 and time < b - 0.001 and exists (select 1 from samples
	where group_id = $BUSY and abs(samples.time - ticks.time) < 1e-5)"
read -r t1 t2 <<<"$(q "$DB" "select printf('%.6f %.6f', a, b) from (select time as a,
	lead(time) over (order by time) as b from memory_stat where group_id = $BUSY)
	where b is not null and exists (select 1 $between) limit 1")"
if [ -z "${t2:-}" ]; then
	fail "two memory_stat rows of the busy group with a sample between them where the busy group has a samples row" \
		"memory_stat: $(q "$DB" "select time from memory_stat where group_id = $BUSY" | paste -sd' ' -);" \
		"samples: $(q "$DB" "select time from samples where group_id = $BUSY" | paste -sd' ' -)"
else
	tm=$(q "$DB" "select printf('%.6f', min(ticks.time)) from (select $t1 as a, $t2 as b) join ticks
		on ticks.time > a + 0.001 and ticks.time < b - 0.001 and exists (select 1 from samples
		where group_id = $BUSY and abs(samples.time - ticks.time) < 1e-5)")
	# (a window around it: the time printed to the microsecond may round either way)
	read -r lo hi <<<"$(awk -v t="$tm" 'BEGIN { printf "%.6f %.6f", t - 0.001, t + 0.001 }')"
	q "$DB" "select json from memory_stat where group_id = $BUSY and abs(time - $t1) < 1e-5" >"$CG_TMP/want.json"
	timeout 60 "$CGTOP" -b --replay "$DB" --from "@$lo" --to "@$hi" --format json "$T" >"$CG_TMP/rep.json" 2>"$ERR" </dev/null
	is "$? $(head -c 300 "$ERR")" "0 " "-b --replay at @$tm exits 0 without a word"
	out=$(python3 - "$CG_TMP/rep.json" "$CG_TMP/want.json" "$T/busy" "$tm" <<'PY' 2>&1
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
want = json.load(open(sys.argv[2]))
g = [g for s in lines for g in s["cgroups"] if g["path"] == sys.argv[3]]
if len(lines) != 1 or abs(lines[0]["time"] - float(sys.argv[4])) > 1e-5 or len(g) != 1:
    print("samples", [s["time"] for s in lines], "groups", len(g))
elif g[0]["memory_stat"] != want:
    print("memory_stat differs: replay %s..., stored %s..." % (str(g[0]["memory_stat"])[:120], str(want)[:120]))
else:
    print("ok")
PY
)
	is "$out" ok "the replay at a sample between two reads ($t1, $t2), where the busy group has a samples row, shows the earlier memory.stat"
fi

# ---- 3. an OOM kill: its group's memory.stat from the sample that saw it ----
K=$T/oom
cg_create "$K" memory || bail_out "cannot create $K"
if cg_file "$K" memory.max >/dev/null; then
	cg_write "$K" memory.max 16777216 || bail_out "cannot limit $K"
	cg_file "$K" memory.swap.max >/dev/null && cg_write "$K" memory.swap.max 0
else
	cg_write "$K" memory.limit_in_bytes 16777216 || bail_out "cannot limit $K"
	cg_write "$K" memory.swappiness 0 2>/dev/null
	cg_file "$K" memory.memsw.limit_in_bytes >/dev/null && cg_write "$K" memory.memsw.limit_in_bytes 16777216
fi
DB2=$CG_TMP/oom.db
CGTOP_TEST_MEMORY_STAT_EVERY=1000 "$CGTOP" --record "$DB2" -d 0.3 "$T" 2>"$ERR" </dev/null &
REC=$!
CG_PIDS+=("$REC")
wait_ticks "$DB2" 3 || fail "the recorder stored 3 samples within 60 s"
tk=$(q "$DB2" "select max(time) from ticks")
cg_spawn "$K" "$MEMHOG" 64 >/dev/null
VICTIM=$CG_LAST_PID
wait "$VICTIM" 2>/dev/null
is "$?" 137 "memhog 64M in a 16M group is OOM-killed while recording"
cg_kill "$VICTIM"
n0=$(q "$DB2" "select count(*) from ticks")
wait_ticks "$DB2" $((n0 + 3)) || fail "the recorder went on after the kill"
kill -TERM "$REC"
wait "$REC"
is "$? $(head -c 300 "$ERR")" "0 " "SIGTERM: exit 0"
kid=$(q "$DB2" "select id from groups where path = '$K'")
is "$(q "$DB2" "select max(memory_oom_kills) from samples where group_id = $kid")" 1 "the samples of $K count the kill"
# the sample that counts the kill reads memory.stat too (and the kernel log's
# kill, when read after that sample, the next one)
got=$(q "$DB2" "select count(*) from memory_stat where group_id = $kid and time =
	(select min(time) from samples where group_id = $kid and memory_oom_kills = 1)")
is "$got" 1 "$K: a memory_stat row at the sample that counted the kill"
is "$(q "$DB2" "select count(*) from memory_stat where group_id = $kid and time > (select min(time) from ticks)
	and time <= $tk")" 0 "$K: none between its first sample and the kill"
[ "$T_FAIL" = 0 ] || diag "memory_stat of $K: $(q "$DB2" "select time, length(json) from memory_stat where group_id = $kid");" \
	"kills: $(q "$DB2" "select time, memory_oom_kills from samples where group_id = $kid")"
is "$(q "$DB2" "select count(*) from memory_stat m join groups g on g.id = m.group_id where g.path = '$T/idle'")" 1 \
	"the idle group: one memory_stat row (nothing read on the schedule after its first)"

done_testing
