#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# record-quiet.sh - the recorder's quiet prune (sampler.h, quiet_usec): a
# subtree where nothing ran is read on the round robin's turns only, and
# what it shows stays within its documented age (cgtop(1), THE RECORDING
# FILE), with the period made short (CGTOP_TEST_MEMORY_STAT_EVERY=S: the
# round robin's period is 5 S):
#  1. an idle group two levels below an idle one: strace -y counts the reads
#     of each of its files over 24 samples at -d 0.25; a file read every
#     sample before is read on fewer than half of them now; the idle group's
#     parent, a sibling of a group that forks all along, is probed at every
#     sample, and opens its pids.current once (then a kept fd, as a hot
#     file's, with 3 fds a group in the budget);
#  2. a group idle at first, then busy (a shell loop started in it while
#     recording): the first sample that starts after the loop ran stores
#     its CPU time moving, and its task;
#  3. changes no counter of the parent shows: pids.max written, and a
#     sleeping process moved in from the parent, in an idle group: both are
#     in the recording within the period (3 s) plus two intervals.
# Needs root (else skips, 77), sqlite3; strace for part 1 (else skipped).

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

for g in "$T" "$T/idle" "$T/idle/a" "$T/idle/a/deep" "$T/idle/b" "$T/work"; do
	cg_create "$g" all cpu memory pids || bail_out "cannot create $g" # all: no controller on v2
done

# ---- 1. an idle subtree is not read every sample ----
if command -v strace >/dev/null; then
	TR=$CG_TMP/strace
	N=24
	# forks in $T/work at every sample move $T's counters: $T/idle, its sibling, is
	# probed (its own three counters read) at every sample.  A budget of 3 fds a
	# group: what a fleet of 5000 groups has under the default 15000
	cg_spawn "$T/work" /bin/sh -c 'while :; do sleep 0.05; done'
	FORKER=$CG_LAST_PID
	# LeakSanitizer cannot run under ptrace (an ASan build's leaks are checked
	# by the runs below)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		CGTOP_TEST_MEMORY_STAT_EVERY=2 timeout 300 strace -qq -f -y -e trace=openat,read,pread64 -o "$TR" \
		"$CGTOP" --record "$CG_TMP/st.db" -d 0.25 -n $N --fd-budget 18 "$T" 2>"$ERR" </dev/null
	is "$? $(head -c 300 "$ERR")" "0 " "--record -d 0.25 -n $N under strace exits 0 without a word"
	cg_kill "$FORKER"
	# reads per file of the deep idle group: <.../idle/a/deep/FILE>
	grep -o "/idle/a/deep/[a-z_.]*>" "$TR" | sort | uniq -c | sort -rn >"$CG_TMP/reads"
	diag "reads of $T/idle/a/deep's files in $N samples:" "$(head -8 "$CG_TMP/reads")"
	most=$(awk 'NR == 1 { print $1 }' "$CG_TMP/reads")
	ticks=$(q "$CG_TMP/st.db" "select count(*) from ticks")
	is "$ticks" $N "$N samples stored"
	if [ -n "$most" ] && [ "$most" -ge 1 ] && [ "$most" -lt $((N / 2)) ]; then
		pass "the idle group's most read file: $most reads in $N samples (fewer than $((N / 2)))"
	else
		fail "the idle group's files are not read every sample" "most read file: ${most:-none} reads in $N samples"
	fi
	id=$(q "$CG_TMP/st.db" "select id from groups where path = '$T/idle/a/deep'")
	is "$(q "$CG_TMP/st.db" "select count(*) from samples where group_id = $id")" 2 \
		"... and it has two rows: its first sample and the first with rates (null before)"
	# the probe's counters are read through kept fds, not opened at every sample
	opens=$(grep -c "openat(.*/idle/pids.current\"" "$TR")
	reads=$(grep -c "/idle/pids.current>" "$TR")
	diag "$T/idle/pids.current: opened $opens times, read $reads times in $N samples"
	if [ "$reads" -ge $((N / 2)) ] && [ "$opens" -le 3 ]; then
		pass "the probed sibling's pids.current: read $reads times, opened $opens times (a kept fd)"
	else
		fail "the probed sibling's pids.current is read through a kept fd" "read $reads times, opened $opens"
	fi
else
	skip "strace is not installed: the reads of an idle group are not counted" 5
fi

# ---- 2. idle, then busy: seen at once ----
DB=$CG_TMP/rec.db
CGTOP_TEST_MEMORY_STAT_EVERY=0.6 "$CGTOP" --record "$DB" -d 0.25 "$T" 2>"$ERR" </dev/null &
REC=$!
CG_PIDS+=("$REC")
wait_ticks "$DB" 16 || fail "the recorder stored 16 samples within 60 s"
gid() { q "$DB" "select id from groups where path = '$1' and last_seen is null"; }
DEEP=$(gid "$T/idle/a/deep")
t0=$(q "$DB" "select printf('%.6f', max(time)) from ticks")
cg_spawn "$T/idle/a/deep" /bin/sh -c 'while :; do :; done'
BUSY=$CG_LAST_PID
# running: the loop exec'd (after it joined) and used CPU; every sample that
# starts after this must count it
for ((i = 0; i < 600; i++)); do
	st=$(cat "/proc/$BUSY/stat" 2>/dev/null) && st=${st##*) } && set -- $st &&
		[ $((${12} + ${13})) -gt 0 ] && grep -q while "/proc/$BUSY/cmdline" && break
	nap 0.1
done
trun=$(date +%s.%N)
n0=$(q "$DB" "select count(*) from ticks")
wait_ticks "$DB" $((n0 + 3)) || fail "the recorder went on"
got=$(q "$DB" "select s.cpu_usage_usec > (select max(cpu_usage_usec) from samples where group_id = $DEEP and
	time <= $t0) from ticks k left join samples s on s.group_id = $DEEP and s.time = k.time
	where k.time > $trun order by k.time limit 1")
is "$got" 1 "a busy loop started in an idle group: the first sample after it ran stores its CPU time moving"
[ "$got" = 1 ] || diag "rows: $(q "$DB" "select time, cpu_usage_usec, tasks from samples where group_id = $DEEP")" \
	"ran at $trun; ticks after: $(q "$DB" "select time from ticks where time > $t0")"
is "$(q "$DB" "select tasks from samples where group_id = $DEEP order by time desc limit 1")" 1 \
	"... and its task is counted"
cg_kill "$BUSY"

# ---- 3. what no counter of the parent shows: within the period ----
B=$T/idle/b
BID=$(gid "$B")
# seen_within T WHERE PASS FAIL: the first sample of $B after a change made at time T
# that matches WHERE is stored within the period (3 s) and two intervals
seen_within()
{
	local tf= lag i

	for ((i = 0; i < 300; i++)); do
		tf=$(q "$DB" "select printf('%.3f', time) from samples where group_id = $BID and $2
			order by time limit 1")
		[ -n "$tf" ] && break
		nap 0.1
	done
	lag=$(awk -v a="$1" -v b="${tf:-0}" 'BEGIN { printf "%.2f", b - a }')
	if [ -n "$tf" ] && awk -v l="$lag" 'BEGIN { exit !(l > 0 && l <= 3 + 0.5) }'; then
		pass "$3 $lag s later (period 3 s + 2 intervals)"
	else
		fail "$4" "changed at $1, stored at ${tf:-never} ($lag s)"
	fi
}
if PM=$(cg_file "$B" pids.max); then
	tw=$(date +%s.%N)
	cg_write "$B" pids.max 77 || fail "cannot write $PM"
	seen_within "$tw" "pids_max = 77" "pids.max written in an idle group: recorded" \
		"pids.max of an idle group within the period"
else
	skip "no pids.max for $B" 1
fi
# a sleeping process of $T moved into $T/idle/b: it does not run, and $T's
# counters do not move
cg_spawn "$T/work" sleep 600 # a leaf: on v2 a group with controllers for its children holds no process
SLEEPER=$CG_LAST_PID
n1=$(q "$DB" "select count(*) from ticks")
wait_ticks "$DB" $((n1 + 4)) || fail "the recorder went on"
tw=$(date +%s.%N)
cg_join "$B" "$SLEEPER" || fail "cannot move $SLEEPER into $B"
seen_within "$tw" "tasks = 1 and time > $tw" "a sleeping process moved into an idle group: counted" \
	"a process moved into an idle group is counted within the period"
kill -TERM "$REC"
wait "$REC"
is "$? $(head -c 300 "$ERR")" "0 " "SIGTERM: exit 0"
is "$(q "$DB" "PRAGMA integrity_check")" ok "integrity_check ok"

done_testing
