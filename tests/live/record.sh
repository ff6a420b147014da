#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# record.sh - live test of the flight recorder (cgtop --record FILE), read back
# with the real sqlite3 client:
#  1. four samples of a test group with a 24 MiB memory user and of an idle
#     sibling: meta says what was recorded, ticks has the four sample times,
#     the memory user's rows carry its memory.current (at least 24 MiB) and
#     its memory.max, a value the kernel does not have here is NULL (never a
#     fake 0), and the idle group, whose values do not change, has fewer rows
#     than samples;
#     -b --replay FILE --format json prints the four samples as strict JSON
#     with the live output's keys in its order, at the recorded times, the
#     idle group in every one (rebuilt from its last row), the memory user's
#     values; a missing file: exit 1 and nothing made; without -b into a file: -b's output;
#  2. an OOM kill while recording is in the events table with its group and
#     in its group's memory_oom_kills; SIGTERM (and SIGHUP): exit 0, the samples taken are
#     committed and every group closed (last_seen set); --events --replay
#     prints the kill's line as a live --events beside the recorder did, in
#     JSON and text;
#  3. SIGKILL mid-run, three times on the same file (on the host; a VM
#     skips it): PRAGMA integrity_check
#     is ok each time, the samples before the kill are there, and a new run
#     appends to the file; a killed recorder's file, its -wal left, locked by
#     another connection for 1.5 s (python3's sqlite3, exclusive locking
#     mode): a new run waits for the lock and records, instead of exiting
#     with "database is locked" (failed before: seen once under load, where
#     the test's own sqlite3 polling held the lock recovering the -wal);
#  4. bad files (a text file, another program's SQLite database, a recording
#     of a newer schema, a read-only recording): exit 1, one line on stderr
#     naming the file, the file byte-identical and no -wal / -shm beside it;
#     -b --replay and --events --replay refuse the first three alike (and
#     replay the read-only one); a PATH that is no group: exit 2, one line,
#     no file made where there was none, a recording there byte-identical.
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
need_helper MEMHOG memhog
cg_describe

T=$CG_TEST
HOGG=$T/hog
IDLE=$T/idle
ERR=$CG_TMP/err

q() { sqlite3 -batch -noheader "$@" 2>&1; }

cg_create "$HOGG" memory || bail_out "cannot create $HOGG"
cg_create "$IDLE" memory || bail_out "cannot create $IDLE"
cg_write "$HOGG" "$(cg_file "$HOGG" memory.max >/dev/null && echo memory.max || echo memory.limit_in_bytes)" \
	268435456 || bail_out "cannot set the memory limit of $HOGG"
cg_spawn "$HOGG" "$MEMHOG" 24 >"$CG_TMP/hog.out"
wait_for_line "$CG_TMP/hog.out" ready 60 || bail_out "memhog did not start"

# ---- 1. four samples ----
DB=$CG_TMP/rec.db
timeout 120 "$CGTOP" --record "$DB" -d 0.5 -n 4 "$T" 2>"$ERR" </dev/null
is "$? $(head -c 300 "$ERR")" "0 " "--record -n 4 exits 0 without a word"
is "$(q "$DB" "select value from meta where key = 'schema_version'")" 3 "meta: schema_version 3"
is "$(q "$DB" "select value from meta where key = 'cgroup_mode'")" "$CG_MODE" "meta: cgroup_mode $CG_MODE"
is "$(q "$DB" "select value from meta where key = 'interval'")" 0.5 "meta: interval 0.5"
is "$(q "$DB" "select count(*) from ticks")" 4 "ticks: four sample times"
is "$(q "$DB" "PRAGMA journal_mode")" wal "the file is in WAL mode"
rows=$(q "$DB" "select count(*) from samples join groups on id = group_id where path = '$HOGG'")
if [ "$rows" -ge 1 ] 2>/dev/null; then pass "the memory user's group has $rows rows"; else fail "rows of $HOGG" "$rows"; fi
bad=$(q "$DB" "select memory_current_bytes from samples join groups on id = group_id
	where path = '$HOGG' and not (typeof(memory_current_bytes) = 'integer' and memory_current_bytes >= 25165824
	and memory_current_bytes < 268435456)")
is "$bad" "" "every row of $HOGG: memory_current_bytes an integer of at least 24 MiB"
is "$(q "$DB" "select distinct memory_max_bytes from samples join groups on id = group_id where path = '$HOGG'")" \
	268435456 "memory_max_bytes is the limit set (256 MiB)"
# v2 only: NULL on a v1 memory controller, 'max' on v2; never 0
is "$(q "$DB" "select count(*) from samples where memory_high_bytes = 0 or memory_high_bytes is not null
	and memory_high_bytes <> 'max'")" 0 "memory_high_bytes is NULL or 'max', never a fake 0"
if ! cg_file "$HOGG" memory.high >/dev/null; then
	is "$(q "$DB" "select count(*) from samples where memory_high_bytes is not null")" 0 \
		"v1 memory controller: memory_high_bytes NULL in every row"
fi
idle=$(q "$DB" "select count(*) from samples join groups on id = group_id where path = '$IDLE'")
if [ "$idle" -ge 1 ] 2>/dev/null && [ "$idle" -lt 4 ]; then
	pass "the idle group costs $idle rows for 4 samples"
else
	fail "the idle group costs fewer rows than samples" "rows: $idle"
fi
is "$(q "$DB" "select count(*) from groups where last_seen is null")" 0 "a finished run closes every group"

# ---- replay: the samples as live batch JSON ----
REP=$CG_TMP/replay.json
timeout 120 "$CGTOP" -b --replay "$DB" --format json 2>"$ERR" >"$REP" </dev/null
is "$? $(head -c 300 "$ERR")" "0 " "-b --replay --format json exits 0 without a word"
is "$(wc -l <"$REP")" 4 "replay: one line per sample"
timeout 120 "$CGTOP" -b --format json -n 1 "$T" >"$CG_TMP/live.json" 2>"$ERR" </dev/null
out=$(python3 - "$REP" "$CG_TMP/live.json" "$HOGG" "$IDLE" <<'PY' 2>&1
import json, sys
def strict(c): raise ValueError("not JSON: " + c)
rep = [json.loads(l, parse_constant=strict) for l in open(sys.argv[1])]
live = json.loads(open(sys.argv[2]).readline(), parse_constant=strict)
hog, idle = sys.argv[3], sys.argv[4]
keys = {g["path"]: list(g) for g in live["cgroups"]}
# (proc_connector_overruns is the live connector's, not recorded)
live_top = [k for k in live if k != "proc_connector_overruns"]
for s in rep:
    if list(s) != live_top:
        print("sample keys", list(s))
    paths = [g["path"] for g in s["cgroups"]]
    if hog not in paths or idle not in paths:
        print("missing groups at", s["time"], paths)
    for g in s["cgroups"]:
        if g["path"] in keys and list(g) != keys[g["path"]]:
            print("keys differ for", g["path"])
        if g["path"] == hog and not (g["memory_current_bytes"] >= 25165824 and g["memory_max_bytes"] == 268435456):
            print("hog values", g["memory_current_bytes"], g["memory_max_bytes"])
print("ok", len(rep))
PY
)
is "$out" "ok 4" "replay: strict JSON, the live output's keys in its order, both groups in every sample, the hog's memory"
is "$(python3 -c 'import json,sys; print(sorted({json.loads(l)["time"] for l in open(sys.argv[1])}) == sorted(float(x) for x in sys.argv[2:]))' \
	"$REP" $(q "$DB" "select printf('%.6f', time) from ticks"))" True "replay: the times are the recorded sample times"
timeout 60 "$CGTOP" -b --replay "$CG_TMP/nothing.db" --format json >/dev/null 2>"$ERR" </dev/null
is "$? $(wc -l <"$ERR")" "1 1" "replay of a missing file: exit 1, one line"
[ -e "$CG_TMP/nothing.db" ] && fail "replay of a missing file creates nothing" || pass "replay of a missing file creates nothing"
"$CGTOP" --replay "$DB" >"$CG_TMP/nob" 2>"$ERR" </dev/null
is "$? $(wc -l <"$ERR")" "0 0" "--replay without -b into a file: exit 0 (the dashboard is for a terminal)"
"$CGTOP" -b --replay "$DB" </dev/null | cmp -s - "$CG_TMP/nob" && pass "... and it prints what -b --replay prints" ||
	fail "... and it prints what -b --replay prints"

# ---- 2. SIGTERM ----
DB2=$CG_TMP/term.db
"$CGTOP" --record "$DB2" -d 0.3 "$T" 2>"$ERR" </dev/null &
REC=$!
CG_PIDS+=("$REC")
wait_ticks "$DB2" 2 || fail "the recorder stored 2 samples within 60 s"
# the kill's whole report, which the comparison below is about: not one the
# kernel's rate limit left out after another test's kills
oom_reports_quiet 60
# live --events beside it, in JSON and text, to compare with the replay
"$CGTOP" --events --format json "$T" >"$CG_TMP/ev.json" 2>/dev/null </dev/null &
EVJ=$!
CG_PIDS+=("$EVJ")
"$CGTOP" --events "$T" >"$CG_TMP/ev.txt" 2>/dev/null </dev/null &
EVT=$!
CG_PIDS+=("$EVT")
# both have the kernel log open and wait in their loops before the kill (a
# kill before that is not theirs to print: it was a skip, and now and then,
# on a loaded host, a report they joined half-way)
live_ready=1
wait_cgtop_ready "$EVJ" && wait_cgtop_ready "$EVT" || live_ready=0
# an OOM kill while it records: the events table has it with its group
K=$T/oom
cg_create "$K" memory || bail_out "cannot create $K"
cg_mem_limit "$K" 16777216 || bail_out "cannot limit $K"
cg_spawn "$K" "$MEMHOG" 64 >/dev/null
VICTIM=$CG_LAST_PID
wait "$VICTIM" 2>/dev/null
is "$?" 137 "memhog 64M in a 16M group is OOM-killed while recording"
cg_kill "$VICTIM"
n0=$(q "$DB2" "select count(*) from ticks")
wait_ticks "$DB2" $((n0 + 2)) || fail "the recorder went on after the kill"
kill -TERM "$REC"
wait "$REC"
is "$? $(head -c 300 "$ERR")" "0 " "SIGTERM: exit 0"
is "$(q "$DB2" "PRAGMA integrity_check")" ok "after SIGTERM: integrity_check ok"
is "$(q "$DB2" "select count(*) from groups where last_seen is null")" 0 "after SIGTERM: every group closed"
is "$(q "$DB2" "select count(*) > 0 from events where kind = 'oom_kill' and (cgroup = '$K'
	or json_extract(json, '\$.task_cgroup') = '$K') and json_extract(json, '\$.kind') = 'oom_kill'")" 1 \
	"the events table has the OOM kill in $K"
[ "$T_FAIL" = 0 ] || diag "events: $(q "$DB2" "select time, kind, source, cgroup, substr(json, 1, 400) from events")"
is "$(q "$DB2" "select max(memory_oom_kills) from samples join groups on id = group_id where path = '$K'")" 1 \
	"the samples of $K count the kill (memory_oom_kills 1)"
[ -e "$DB2-wal" ] && fail "after SIGTERM: no -wal file is left" "$(ls -l "$DB2-wal")" || pass "after SIGTERM: no -wal file is left"
# --events --replay: the kill's line as live --events printed it (the
# kernel log's kill: its time is the log's, in both; its group_name, where
# the group or an ancestor has a name, the one the recorder stored)
kill -TERM "$EVJ" "$EVT"
wait "$EVJ" "$EVT"
timeout 60 "$CGTOP" --events --replay "$DB2" --format json >"$CG_TMP/rev.json" 2>"$ERR" </dev/null
is "$? $(head -c 300 "$ERR")" "0 " "--events --replay --format json exits 0 without a word"
timeout 60 "$CGTOP" --events --replay "$DB2" >"$CG_TMP/rev.txt" 2>"$ERR" </dev/null
is "$? $(head -c 300 "$ERR")" "0 " "--events --replay (text) exits 0 without a word"
# the kill in $K from the kernel log, in the replay and live: the fields both
# processes read from the log (what each adds from its own view of the
# processes, such as the task list, may differ)
out=$(python3 - "$CG_TMP/ev.json" "$CG_TMP/rev.json" "$K" <<'PY' 2>&1
import json, sys
# time: each process turns the log's time since boot into wall time with its
# own reading of the boot time, which may differ by a microsecond
keys = ("kind", "source", "kernel_ts", "seq", "pid", "task", "uid", "cgroup", "constraint",
        "anon_rss_kb", "memory_limit_kb", "count", "group_name")
def kill(f):
    for l in open(f):
        e = json.loads(l)
        if e.get("kind") == "oom_kill" and e.get("source") == "kmsg" and sys.argv[3] in (e.get("cgroup"), e.get("task_cgroup")):
            return {k: e.get(k) for k in keys}, e.get("time")
live, rep = kill(sys.argv[1]), kill(sys.argv[2])
if live is None:
    print("nolive")
elif rep and live[0] == rep[0] and live[1] and rep[1] and abs(live[1] - rep[1]) < 0.001:
    print("ok")
else:
    print("live %s, replay %s" % (live, rep))
PY
)
if [ "$live_ready" = 0 ]; then
	skip 2 "live --events was not seen reading the kernel log before the kill"
else
	is "$out" ok "--events --replay --format json: the kill as live --events printed it"
	want=$(grep ' oom_kill ' "$CG_TMP/ev.txt" | grep -F "$K" | head -1 | sed 's/ tasks=.*//')
	got=$(grep ' oom_kill ' "$CG_TMP/rev.txt" | grep -F "$K" | head -1 | sed 's/ tasks=.*//')
	if [ -z "$want" ]; then
		fail "--events --replay (text): the kill's line as live --events printed it" "live --events printed no kill in $K"
	else
		is "${got#* * }" "${want#* * }" "--events --replay (text): the kill's line as live --events printed it"
	fi
fi
p1=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline()).get("kind"))' "$CG_TMP/rev.json" 2>&1)
[ -n "$p1" ] && [ "$p1" != None ] && pass "--events --replay --format json: strict JSON lines" || fail "--events --replay JSON" "$p1"
timeout 60 "$CGTOP" --events --replay "$DB2" --format json --from @1 --to @2 >"$CG_TMP/rev0.json" 2>"$ERR" </dev/null
is "$? $(wc -c <"$CG_TMP/rev0.json")" "0 0" "--events --replay --from/--to outside the recording: nothing"

# ---- 2b. SIGHUP (a closed terminal) stops it as cleanly as SIGTERM ----
DB4=$CG_TMP/hup.db
"$CGTOP" --record "$DB4" -d 0.3 "$T" 2>"$ERR" </dev/null &
REC=$!
CG_PIDS+=("$REC")
wait_ticks "$DB4" 2 || fail "the recorder stored 2 samples within 60 s"
kill -HUP "$REC"
wait "$REC"
is "$? $(head -c 300 "$ERR")" "0 " "SIGHUP: exit 0"
is "$(q "$DB4" "PRAGMA integrity_check")" ok "after SIGHUP: integrity_check ok"
is "$(q "$DB4" "select count(*) from groups where last_seen is null")" 0 "after SIGHUP: every group closed"
[ -e "$DB4-wal" ] && fail "after SIGHUP: no -wal file is left" "$(ls -l "$DB4-wal")" || pass "after SIGHUP: no -wal file is left"

# ---- 3. SIGKILL, three times on one file ----
# (SQLite's durability does not depend on the cgroup mode: the host runs it,
# a guest under TCG beside the other stages would only make it slow)
DB3=$CG_TMP/kill.db
want=0
KILLS="1 2 3"
if in_vm; then
	KILLS=
	skip "SIGKILL mid-run, three times" "runs on the host (the file's durability is SQLite's, in any cgroup mode)"
fi
for i in $KILLS; do
	"$CGTOP" --record "$DB3" -d 0.2 "$T" 2>"$ERR" </dev/null &
	REC=$!
	CG_PIDS+=("$REC")
	want=$((want + 2))
	wait_ticks "$DB3" "$want" || fail "run $i stored samples within 60 s" \
		"ticks: $(q "$DB3" "select count(*) from ticks" 2>&1), want $want;" \
		"recorder: $(kill -0 "$REC" 2>/dev/null && echo running || echo exited);" "stderr: $(head -c 500 "$ERR")"
	cg_kill "$REC"
	is "$(q "$DB3" "PRAGMA integrity_check")" ok "SIGKILL $i: integrity_check ok"
	n=$(q "$DB3" "select count(*) from ticks")
	if [ "$n" -ge "$want" ] 2>/dev/null; then pass "SIGKILL $i: the $n samples before it are there"; else fail "SIGKILL $i: samples kept" "$n"; fi
	want=$n
done
if [ -n "$KILLS" ]; then
	timeout 120 "$CGTOP" --record "$DB3" -d 0.2 -n 1 "$T" 2>"$ERR" </dev/null
	is "$? $(head -c 300 "$ERR")" "0 " "a run after the kills appends to the file"
	is "$(q "$DB3" "select count(*) from ticks")" $((want + 1)) "it added one sample"
	is "$(q "$DB3" "select count(*) from groups where last_seen is null")" 0 "the groups of the killed runs are closed"

	# a killed recorder's file (its -wal left) while another connection
	# holds the lock a moment (a reader recovering the -wal, as sqlite3
	# polling this test's files once did): the new recorder waits for it,
	# it does not exit with "database is locked"
	DB4=$CG_TMP/locked.db
	"$CGTOP" --record "$DB4" -d 0.2 "$T" 2>"$ERR" </dev/null &
	REC=$!
	CG_PIDS+=("$REC")
	wait_ticks "$DB4" 2 || fail "a recorder stored 2 samples within 60 s" "$(head -c 300 "$ERR")"
	cg_kill "$REC"
	if [ ! -e "$DB4-wal" ]; then
		skip "a killed recorder's file locked by another connection a moment" "no -wal file left"
	else
		rm -f "$CG_TMP/locked.out"
		python3 - "$DB4" 1.5 >"$CG_TMP/locked.out" 2>&1 <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA locking_mode=EXCLUSIVE")  # in WAL mode: no other connection reads
c.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
c.execute("COMMIT")
c.close()
PY
		LOCKER=$!
		CG_PIDS+=("$LOCKER")
		for ((t = 0; t < 300; t++)); do
			grep -q locked "$CG_TMP/locked.out" 2>/dev/null && break
			nap 0.05
		done
		timeout 60 "$CGTOP" --record "$DB4" -d 0.2 -n 1 "$T" 2>"$ERR" </dev/null
		is "$? $(head -c 300 "$ERR")" "0 " "a killed recorder's file locked by another connection a moment: a new run waits and records"
		wait "$LOCKER" 2>/dev/null
	fi
fi

# ---- 4. bad files ----
# bad_file DESC FILE: cgtop --record FILE exits 1 with one line naming FILE
# and leaves it as it was
bad_file()
{
	local desc=$1 f=$2 before after lines

	before=$(cksum <"$f")
	timeout 60 "$CGTOP" --record "$f" -d 0.2 -n 1 "$T" >/dev/null 2>"$ERR" </dev/null
	is "$?" 1 "$desc: exit 1"
	lines=$(wc -l <"$ERR")
	if [ "$lines" = 1 ] && grep -qF -- "$f" "$ERR"; then
		pass "$desc: one line naming the file ($(cat "$ERR"))"
	else
		fail "$desc: one line naming the file" "$(cat "$ERR")"
	fi
	after=$(cksum <"$f")
	is "$after" "$before" "$desc: the file is byte-identical"
	# a replay refuses it too, alike (a read-only recording it reads)
	[ "${3:-}" = readable ] && return
	for mode in -b --events; do
		timeout 60 "$CGTOP" $mode --replay "$f" --format json >"$CG_TMP/out" 2>"$ERR" </dev/null
		rc=$?
		if [ "$rc $(wc -l <"$ERR") $(wc -c <"$CG_TMP/out")" = "1 1 0" ] && grep -qF -- "$f" "$ERR"; then
			pass "$desc: $mode --replay exits 1 with one line naming it ($(cat "$ERR"))"
		else
			fail "$desc: $mode --replay exits 1 with one line naming it" "exit $rc: $(cat "$ERR")"
		fi
	done
	is "$(cksum <"$f")" "$before" "$desc: still byte-identical after the replays"
	if [ -e "$f-wal" ] || [ -e "$f-shm" ] || [ -e "$f-journal" ]; then
		fail "$desc: nothing is left beside it" "$(ls -l "$f"-*)"
	else
		pass "$desc: nothing is left beside it"
	fi
}

printf 'not a database, just text\n' >"$CG_TMP/text.db"
bad_file "a text file" "$CG_TMP/text.db"
q "$CG_TMP/other.db" "create table t(x); insert into t values (1)" >/dev/null
bad_file "another program's database" "$CG_TMP/other.db"
cp "$DB" "$CG_TMP/newer.db"
q "$CG_TMP/newer.db" "PRAGMA user_version = 99" >/dev/null
bad_file "a recording of a newer schema" "$CG_TMP/newer.db"
cp "$DB" "$CG_TMP/ro.db"
chmod 0444 "$CG_TMP/ro.db"
bad_file "a read-only recording" "$CG_TMP/ro.db" readable
timeout 60 "$CGTOP" -b --replay "$CG_TMP/ro.db" --format json >/dev/null 2>"$ERR" </dev/null
is "$? $(wc -c <"$ERR")" "0 0" "a read-only recording replays"

# a PATH that is no group: the file is not made, or not touched
timeout 60 "$CGTOP" --record "$CG_TMP/new.db" -d 0.2 -n 1 "$T/no-such-group" >/dev/null 2>"$ERR" </dev/null
is "$? $(wc -l <"$ERR") $(grep -c "no-such-group" "$ERR")" "2 1 1" "a PATH that is no group: exit 2, one line naming it"
made=$(ls "$CG_TMP"/new.db* 2>/dev/null)
is "$made" "" "... and no file made (nor -wal, -shm)"
cp "$DB" "$CG_TMP/keep.db"
before=$(cksum <"$CG_TMP/keep.db")
timeout 60 "$CGTOP" --record "$CG_TMP/keep.db" -d 0.2 -n 1 "$T/no-such-group" >/dev/null 2>"$ERR" </dev/null
is "$? $(wc -l <"$ERR") $(cksum <"$CG_TMP/keep.db") $(ls "$CG_TMP"/keep.db-* 2>/dev/null | wc -l)" "2 1 $before 0" \
	"... an existing recording stays byte-identical, nothing beside it"

done_testing
