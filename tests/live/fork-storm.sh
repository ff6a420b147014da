#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fork-storm.sh - who forked, in fork events.  cgtop --events --format json
# with the proc connector:
#  - a fork bomb (forker -t 200) in ci/build under ci's pids.max=16: the
#    kernel's fork rejection event names the bomb as the top forking parent
#    (pid, comm "forker", about 15 forks); the same in ci2 with cgtop stopped
#    meanwhile and 3000 other forks queued before the bomb's on its socket;
#  - forker -r 200 in storm with --fork-storm 40: one fork_storm event for the
#    group naming the forker and its rate, not one per sample;
#  - a shell that starts 20 sleepers and exits at once: its 20 forks count
#    for its group in a batch run (the parent gone, its last child tells the group; a zombie
#    shows in the root group of a v1 hierarchy);
#  - a shell that runs 20 short commands and exits before the sample (its children
#    gone too): its 20 forks count for its group (looked up when its first fork is read);
#  - with a receive buffer shrunk (CGTOP_TEST_PROCCONN_RCVBUF) and cgtop
#    stopped for a moment: a forks_dropped event counts the overruns.
# Needs root, jq, /dev/kmsg and a pids controller (else skips, 77).
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
[ -r /dev/kmsg ] || skip_all "no /dev/kmsg"
cg_hier_of pids >/dev/null || skip_all "no pids controller usable below the own group"
need_helper FORKER forker
cg_describe

C=$CG_TEST/ci
K=$C/build
S=$CG_TEST/storm
X=$CG_TEST/exiting
# "all": in every hierarchy (the memory one counts forks on v1); pids: on
# cgroup2, enabled in the parents' subtree control, so that ci has pids.max
C2=$CG_TEST/ci2
K2=$C2/build
cg_create "$K" all pids || bail_out "cannot create $K"
cg_create "$K2" all pids || bail_out "cannot create $K2"
cg_create "$S" all || bail_out "cannot create $S"
cg_create "$X" all || bail_out "cannot create $X"
cg_write "$C" pids.max 16 || bail_out "cannot set pids.max of $C"
cg_write "$C2" pids.max 16 || bail_out "cannot set pids.max of $C2"

OUT=$CG_TMP/events.json
ERR=$CG_TMP/events.err
WAIT=10
in_vm && WAIT=60

# start_cgtop ARGS...: cgtop --events in the background, ready once it has
# taken its first sample (with the test groups) and opened the connector
start_cgtop()
{
	local fds
	: >"$OUT"
	cg_bg "$CGTOP" --events --format json -d 0.25 "$@" >"$OUT" 2>"$ERR"
	CGTOP_PID=$CG_LAST_PID
	wait_cgtop_ready "$CGTOP_PID" 60 || return
	fds=$(ls -l "/proc/$CGTOP_PID/fd" 2>/dev/null)
	[[ $fds == *"socket:"* ]] || diag "cgtop has not opened the proc connector"
}

stop_cgtop()
{
	kill -TERM "$CGTOP_PID"
	wait "$CGTOP_PID"
	is "$?" 0 "$1: cgtop --events exits 0"
	is "$(cat "$ERR")" "" "$1: nothing on stderr"
}

start_cgtop --fork-storm 40
sleep 0.3

# 1. the pids limit: the kernel's line names the bomb
cg_spawn "$K" "$FORKER" -t 200 >/dev/null
bomb=$CG_LAST_PID
if ev=$(wait_event ".kind == \"pids_fork_rejected\" and .source == \"kmsg\" and .task_cgroup == \"$K\""); then
	pass "rejection: the kernel's line is an event"
	is "$(jq -r '.top_forkers[0].pid' <<<"$ev")" "$bomb" "rejection: the top forking parent is the bomb"
	is "$(jq -r '.top_forkers[0].comm' <<<"$ev")" forker "rejection: with its command"
	n=$(jq -r '.top_forkers[0].forks' <<<"$ev")
	if in_vm && is_uint "$n" && [ "$n" -ge 1 ] && [ "$n" -le 16 ]; then
		# a TCG guest beside other VMs reads the connector late: forks of
		# children gone by then have no group to count for
		pass "rejection: its forks are counted, at most up to the limit ($n; in a VM)"
	elif is_uint "$n" && [ "$n" -ge 10 ] && [ "$n" -le 16 ]; then
		pass "rejection: its forks are counted up to the limit ($n)"
	else
		fail "rejection: its forks are counted up to the limit" "got '$n'" "$ev"
	fi
	is "$(jq -r '.cgroup' <<<"$ev")" "$C" "rejection: keeps the group at its limit"
else
	fail "rejection: the kernel's line is an event" "$(cat "$OUT")"
fi
# the counter's events come later and name the same parent (from the last seconds)
if ev=$(wait_event ".kind == \"pids_fork_rejected\" and .source == \"counter\" and .update == false and
		(.task_cgroup == \"$K\" or .cgroup == \"$C\")"); then
	is "$(jq -r '[.top_forkers[].pid] | index('"$bomb"') != null' <<<"$ev")" true \
		"rejection from the counter: names the bomb too"
else
	fail "rejection from the counter" "$(cat "$OUT")"
fi
cg_kill "$bomb"
cg_kill_in "$K"

# 1b. the same, the kernel's line read behind a backlog of other processes'
# fork events (a busy host, a starved cgtop): cgtop stopped while 3000 forks
# of another process and then a bomb in ci2 (the kernel writes its line once
# per group at its limit) queue up on its connector; resumed, it reads the
# line at once and must still count the bomb's forks, read first
backlog_test()
{
	kill -STOP "$CGTOP_PID"
	python3 -c '
import os
for i in range(3000):
    p = os.fork()
    if p == 0:
        os._exit(0)
    os.waitpid(p, 0)'
	cg_spawn "$K2" "$FORKER" -t 200 >/dev/null
	bomb=$CG_LAST_PID
	for ((i = 0; i < WAIT * 10; i++)); do
		[ "$(cg_read "$C2" pids.current)" -ge 16 ] 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.5 # its forks beyond the limit fail, and the kernel writes its line
	kill -CONT "$CGTOP_PID"
	if ev=$(wait_event ".kind == \"pids_fork_rejected\" and .source == \"kmsg\" and .task_cgroup == \"$K2\""); then
		n=$(jq -r --argjson b "$bomb" '[.top_forkers[] | select(.pid == $b) | .forks] | first // 0' <<<"$ev")
		if is_uint "$n" && [ "$n" -ge 10 ] && [ "$n" -le 16 ]; then
			pass "rejection behind a backlog of 3000 forks: the bomb's forks counted ($n)"
		else
			fail "rejection behind a backlog of 3000 forks: the bomb's forks counted" "got '$n'" "$ev"
		fi
	else
		fail "rejection behind a backlog: the kernel's line is an event" "$(cat "$OUT")"
	fi
	cg_kill "$bomb"
	cg_kill_in "$K2"
}
# (the connector's backlog does not depend on the cgroup mode; 3000 forks in a
# TCG guest take long)
if in_vm; then
	skip "rejection behind a backlog of 3000 forks" "runs on the host"
else
	backlog_test
fi

# 2. a storm: one event, naming the forker
cg_spawn "$S" "$FORKER" -r 200 >/dev/null
storm=$CG_LAST_PID
if ev=$(wait_event ".kind == \"fork_storm\" and .cgroup == \"$S\""); then
	pass "storm: a fork_storm event for the group"
	is "$(jq -r '.top_forkers[0].pid' <<<"$ev")" "$storm" "storm: names the forker"
	is "$(jq -r '.top_forkers[0].comm' <<<"$ev")" forker "storm: with its command"
	is "$(jq -r '.source' <<<"$ev")" proc_connector "storm: source proc_connector"
	r=$(jq -r '.forks_per_sec' <<<"$ev")
	if awk -v r="$r" 'BEGIN { exit !(r >= 40) }'; then
		pass "storm: its rate is above the threshold ($r)"
	else
		fail "storm: its rate is above the threshold" "got '$r'"
	fi
else
	fail "storm: a fork_storm event for the group" "$(cat "$OUT")"
fi
sleep 1.5 # six samples of the storm
is "$(jq -s --arg s "$S" '[.[] | select(.kind == "fork_storm" and .cgroup == $s)] | length' "$OUT")" 1 \
	"storm: one event, not one per sample"
cg_kill "$storm"

stop_cgtop "storms"

# 3. a parent gone before the sample: 20 forks, and exit; every fork counted
# for its group over the samples of a batch run (after its first sample)
BOUT=$CG_TMP/batch.json
# (-n 12: samples left after the parent is gone, also on a loaded host)
cg_bg "$CGTOP" -b -n 12 -d 0.5 --format json --columns forks "$X" >"$BOUT"
bpid=$CG_LAST_PID
for ((i = 0; i < WAIT * 20; i++)); do
	[[ $(ls -l "/proc/$bpid/fd" 2>/dev/null) == *"socket:"* ]] && break
	sleep 0.05
done
sleep 0.7
cg_spawn "$X" sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do sleep 60 & done'
wait "$CG_LAST_PID" # the parent has forked all 20 and exited
wait "$bpid"
t=$(jq -s -r --arg p "$X" '.[-1].cgroups[] | select(.path == $p) | .forks_since_start' "$BOUT")
if in_vm && [ "$t" != 20 ]; then
	# exact only when cgtop reads a parent's first fork before the parent is
	# gone: a TCG guest beside other VMs in the suite reads it late
	skip "exited parent: its 20 forks count for its group" "$t of 20 in a VM (read late)"
else
	is "$t" 20 "exited parent: its 20 forks count for its group"
fi
cg_kill_in "$X"

# 3b. a parent whose children are gone too by the sample (a vfork storm's worker that
# ends, its children long reaped): 20 forks of /bin/true, then 0.3 s more of life, in an
# interval of 1.5 s that it does not live to see the end of; its group is looked up when
# its first fork is read, not only at the sample
BOUT2=$CG_TMP/batch2.json
cg_bg "$CGTOP" -b -n 4 -d 1.5 --format json --columns forks "$X" >"$BOUT2"
bpid=$CG_LAST_PID
# right after the second sample (the first interval's): the next one is 1.5 s away
for ((i = 0; i < WAIT * 20; i++)); do
	[ "$(wc -l <"$BOUT2")" -ge 2 ] && break
	sleep 0.05
done
cg_spawn "$X" sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do /bin/true; done; exec sleep 0.3'
wait "$CG_LAST_PID"
wait "$bpid"
t=$(jq -s -r --arg p "$X" '.[-1].cgroups[] | select(.path == $p) | .forks_since_start' "$BOUT2")
if in_vm && [ "$t" != 20 ]; then
	skip "exited parent, its children gone too: its 20 forks count for its group" "$t of 20 in a VM (read late)"
else
	is "$t" 20 "exited parent, its children gone too: its 20 forks count for its group"
fi

# 4. overruns: a small buffer, and cgtop stopped while forks come
CGTOP_TEST_PROCCONN_RCVBUF=4096 start_cgtop
cg_spawn "$S" "$FORKER" -r 200 >/dev/null
storm=$CG_LAST_PID
kill -STOP "$CGTOP_PID"
sleep 1
kill -CONT "$CGTOP_PID"
if ev=$(wait_event '.kind == "forks_dropped"'); then
	n=$(jq -r .count <<<"$ev")
	is_uint "$n" && [ "$n" -ge 1 ] && pass "overrun: a forks_dropped event counts it ($n)" ||
		fail "overrun: a forks_dropped event counts it" "$ev"
else
	fail "overrun: a forks_dropped event" "$(cat "$OUT")"
fi
cg_kill "$storm"
stop_cgtop "overrun"
done_testing
