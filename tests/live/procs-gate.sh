#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# procs-gate.sh - live test of the v1 process lists' gate (procs-gate.h): on a
# v1 hierarchy cgtop reads a group's cgroup.procs, and an empty subtree's
# pids.current, only when the proc connector or a write to a process list says
# they may have changed.  The counts must still be those of the kernel at every
# sample.
#  1. The counts follow, whole tree (the gate is on there), JSON every 0.25 s:
#     the first sample after each step shows it, in tasks and in pids:
#     a process joins the empty group a, moves to b through cgroup.procs, a
#     process in b forks a child, the child exits, the first moves back to a
#     through the tasks file.
#  2. A group below --depth is not watched: a process moved from a (shown, at
#     the depth) into a/deep (made after cgtop started) leaves a's count at
#     the next sample.
#  3. With a PATH the gate is off (a process may leave for a group not shown):
#     strace sees a quiet group's cgroup.procs read at every sample.
#  4. The gate saves: a quiet group's cgroup.procs and pids.current are read
#     at a few samples of 40, where CGTOP_NO_PROCS_GATE=1 opens them at each.
#     Another test writing a process list anywhere in the hierarchy makes
#     every list be read again, so on a shared host this is only reported;
#     it is a check in the test VMs (tests/vm), where nothing else runs.
# Needs root, a v1 memory or pids hierarchy and the proc connector (else
# skips, 77); strace for 3 and 4.

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

v1=0
for ((i = 0; i < CG_NH; i++)); do
	if [ "${CG_TYPE[i]}" = v1 ] && { cg_has "$i" memory || cg_has "$i" pids; }; then
		v1=1
	fi
done
[ $v1 = 1 ] || skip_all "no v1 memory or pids hierarchy: the gate is v1's"

CTRLS=(memory pids cpu cpuacct)
T=$CG_TEST
A=$T/a
B=$T/b
Q=$T/q
cg_describe
for g in "$A" "$B" "$Q"; do
	cg_create "$g" "${CTRLS[@]}" || bail_out "cannot create $g"
done

WAIT=30
in_vm && WAIT=120
OUT=$CG_TMP/out
ERR=$CG_TMP/err

now() { date +%s.%N; }

# mark: t, the time of a step, and L, the lines $OUT had before it
mark()
{
	L=$(wc -l <"$OUT")
	t=$(now)
}

# after FILE T PATH: "tasks pids_current" of group PATH in the first sample of
# FILE taken after time T, read from line L on (json_after)
after()
{
	local ta p

	ta=$(json_after "$1" "$2" "$3" tasks "${L:-0}") && p=$(json_after "$1" "$2" "$3" pids_current "${L:-0}") ||
		return 1
	echo "$ta $p"
}

# watch_json [ARG...]: cgtop in the background (BG), the whole tree as JSON
# every 0.25 s into $OUT, past its first samples (the gate's first read
# every list)
watch_json()
{
	local i

	cg_bg "$CGTOP" -b -n 100000 -d 0.25 "$@" --columns tasks,pids --format json >"$OUT" 2>"$ERR"
	BG=$CG_LAST_PID
	L=0
	for ((i = 0; i < WAIT * 20 && $(wc -l <"$OUT") < 5; i++)); do
		sleep 0.05
	done
}

# wait_count PATH N: waits until PATH's cgroup.procs lists N processes
wait_count()
{
	local i

	for ((i = 0; i < 100; i++)); do
		[ "$(cg_read "$1" cgroup.procs | wc -l)" = "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

# the connector needs root: without it the gate is off and this tests nothing new
"$CGTOP" -b -n 2 -d 0.1 --columns forks --format json "$T" >"$OUT" 2>"$ERR" </dev/null
grep -q 'fork counts are off' "$ERR" && skip_all "no proc connector here: $(head -n 1 "$ERR")"

# ---- 1. the counts follow ---------------------------------------------------------

cg_bg sleep 600
SL=$CG_LAST_PID
watch_json
is "$(after "$OUT" 0 "$A")" "0 0" "a is empty at first (tasks, pids)"

cg_join "$A" "$SL" || bail_out "cannot move the sleeper into $A"
mark
is "$(after "$OUT" "$t" "$A")" "1 1" "the first sample after a process joins a counts it"
mark
is "$(after "$OUT" "$t" "$A")" "1 1" "and so does the next one"

cg_join "$B" "$SL" || bail_out "cannot move the sleeper into $B"
mark
is "$(after "$OUT" "$t" "$A") $(after "$OUT" "$t" "$B")" "0 0 1 1" \
	"the first sample after it moves to b through cgroup.procs: a 0, b 1"

# a shell in b that forks a sleep for each line it reads
FIFO=$CG_TMP/fifo
mkfifo "$FIFO"
exec 7<>"$FIFO"
cg_spawn "$B" bash -c 'while read -r _ <&7; do sleep 600 & done'
SH=$CG_LAST_PID
wait_count "$B" 2 || bail_out "the shell did not join $B"
mark
is "$(after "$OUT" "$t" "$B")" "2 2" "a process started in b is counted"
# quiet for a few samples: b's list is no longer read at every sample
sleep 1.5
echo fork >&7
wait_count "$B" 3 || bail_out "the shell in $B did not fork"
mark
is "$(after "$OUT" "$t" "$B")" "3 3" "the first sample after a process of b forks counts the child"
CHILD=$(cat "/proc/$SH/task/$SH/children" 2>/dev/null | awk '{ print $1 }')
sleep 1.5
if [ -n "$CHILD" ]; then
	kill -KILL "$CHILD"
	wait_count "$B" 2 || bail_out "the child $CHILD did not leave $B"
	mark
	is "$(after "$OUT" "$t" "$B")" "2 2" "the first sample after the child exits"
else
	fail "the first sample after the child exits" "no child of $SH found"
fi

sleep 1.5
ok=1
while IFS= read -r dir; do
	echo "$SL" >"$dir/tasks" || ok=0
done < <(cg_dirs "$A")
[ $ok = 1 ] || bail_out "cannot move the sleeper through $A's tasks files"
mark
is "$(after "$OUT" "$t" "$A") $(after "$OUT" "$t" "$B")" "1 1 1 1" \
	"the first sample after it moves back to a through the tasks file: a 1, b 1"
cg_kill "$SH" "$BG"
if [ -s "$ERR" ]; then
	fail "nothing on stderr" "$(head -c 1000 "$ERR")"
else
	pass "nothing on stderr"
fi

# ---- 2. a group below --depth -------------------------------------------------------

DEPTH=$(tr -cd / <<<"$A" | wc -c)
watch_json --depth "$DEPTH"
is "$(after "$OUT" 0 "$A")" "1 1" "--depth $DEPTH: a is shown with its process"
cg_create "$A/deep" "${CTRLS[@]}" || bail_out "cannot create $A/deep"
sleep 1
cg_join "$A/deep" "$SL" || bail_out "cannot move the sleeper into $A/deep"
mark
is "$(after "$OUT" "$t" "$A")" "0 1" \
	"--depth $DEPTH: the first sample after it moves below the depth: a's own 0, pids of the subtree 1"
cg_kill "$BG"
cg_join "$A" "$SL"
cg_rmdir "$A/deep"

# ---- 3 and 4. strace: what is read -------------------------------------------------

if ! command -v strace >/dev/null; then
	skip "strace is not installed" 3
	done_testing
fi

QD=$(cg_tasks_dir "$Q")
PD=
while IFS= read -r dir; do
	[ -e "$dir/pids.current" ] && PD=$dir
done < <(cg_dirs "$Q")
TR=$CG_TMP/trace

# reads TRACE FILE: how many times TRACE (strace -y) shows FILE read (one
# read or pread at each read of a small file: fileio.c)
reads()
{
	grep -cE "^p?read(64)?\([0-9]+<$2>" "$1"
}

N=40
strace -qq -y -e trace=pread64,read -o "$TR" "$CGTOP" -b -n $N -d 0.05 --columns tasks,pids "$T" >/dev/null 2>"$ERR"
got=$(reads "$TR" "$QD/cgroup.procs")
if [ "$got" -ge $((N - 1)) ]; then
	pass "with a PATH every list is read: q's cgroup.procs read $got times in $N samples"
else
	fail "with a PATH every list is read" "q's cgroup.procs read $got times in $N samples"
fi

CGTOP_NO_PROCS_GATE=1 strace -qq -y -e trace=pread64,read -o "$TR.off" \
	"$CGTOP" -b -n $N -d 0.05 --columns tasks,pids >/dev/null 2>"$ERR"
strace -qq -y -e trace=pread64,read -o "$TR" "$CGTOP" -b -n $N -d 0.05 --columns tasks,pids >/dev/null 2>"$ERR"
off=$(reads "$TR.off" "$QD/cgroup.procs")
on=$(reads "$TR" "$QD/cgroup.procs")
poff=n/a pon=n/a
if [ -n "$PD" ]; then
	poff=$(reads "$TR.off" "$PD/pids.current")
	pon=$(reads "$TR" "$PD/pids.current")
fi
diag "q's cgroup.procs read in $N samples: $on with the gate, $off without;" \
	"its pids.current: $pon with, $poff without"
if in_vm; then
	# the first sample, the two after the gate opened, and a deadline at most
	if [ "$off" -ge $((N - 1)) ] && [ "$on" -le 6 ]; then
		pass "the gate reads a quiet group's list at a few samples"
	else
		fail "the gate reads a quiet group's list at a few samples" "with $on, without $off"
	fi
	if [ -z "$PD" ] || { [ "$poff" -ge $((N - 1)) ] && [ "$pon" -le 6 ]; }; then
		pass "and its empty pids.current"
	else
		fail "and its empty pids.current" "with $pon, without $poff"
	fi
else
	skip "the gate's savings are a check in the test VMs: other tests write process lists here" 2
fi

done_testing
