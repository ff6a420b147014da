#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# events.sh - live test of `cgtop --events`: with cgtop running, real OOM kills
# in a 32M group and real fork rejections in a group with pids.max=5 must show
# up (within $WAIT s) with the right kind, pid, task, cgroup and task_cgroup;
# a second kill gives a second event; rejections past the first (which the
# kernel logs only once per group) come from the counters; and a cgtop that
# may not read /dev/kmsg (an unprivileged user under kernel.dmesg_restrict=1)
# still reports the kill from the counters.
# Runs on hybrid, pure v2 and pure v1 systems; needs root (else skips, 77).
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
need_helper MEMHOG memhog
need_helper FORKER forker

O=$CG_TEST/oom
P=$CG_TEST/pids
cg_create "$O" memory || bail_out "cannot create $O"
cg_create "$P" pids || bail_out "cannot create $P"
if cg_file "$O" memory.max >/dev/null; then
	cg_write "$O" memory.max 33554432 || bail_out "cannot limit $O"
	cg_file "$O" memory.swap.max >/dev/null && cg_write "$O" memory.swap.max 0
else
	cg_write "$O" memory.limit_in_bytes 33554432 || bail_out "cannot limit $O"
	cg_write "$O" memory.swappiness 0 2>/dev/null
	cg_file "$O" memory.memsw.limit_in_bytes >/dev/null && cg_write "$O" memory.memsw.limit_in_bytes 33554432
fi
cg_write "$P" pids.max 5 || bail_out "cannot set pids.max of $P"

# how long an event may take: well under a second on an idle host, but cgtop
# watches the whole host, and the kernel log is read between refreshes: beside
# other tenants' thousands of groups, under ASan, on a loaded machine or in a
# TCG guest, a refresh alone can take seconds (a counter seen takes one)
WAIT=10
OUT=$CG_TMP/events.json
ERR=$CG_TMP/events.err

# start_cgtop [RUNAS...]: cgtop --events in the background, until it has
# opened /dev/kmsg and read the test's groups (its counters have started).
start_cgtop()
{
	: >"$OUT"
	cg_bg "$@" "$CGTOP" --events --format json -d 0.25 >"$OUT" 2>"$ERR"
	CGTOP_PID=$CG_LAST_PID
	wait_cgtop_ready "$CGTOP_PID" 60 ${1:+nokmsg} # run as another user: no kernel log
	sleep 0.3
}

# wait_event JQ-FILTER: waits up to $WAIT s for a line matching the filter about
# a group of this test (other tests and tenants kill and reject meanwhile);
# prints it.
wait_event()
{
	local i line
	for ((i = 0; i < WAIT * 20; i++)); do
		line=$(jq -c --arg t "$CG_TEST/" \
			"select(($1) and (((.cgroup // \"\") | startswith(\$t)) or ((.task_cgroup // \"\") | startswith(\$t))))" \
			"$OUT" 2>/dev/null | head -1)
		[ -n "$line" ] && { printf '%s\n' "$line"; return 0; }
		sleep 0.05
	done
	return 1
}

check_kill()
{
	local what=$1 pid=$2 ev
	ev=$(wait_event ".kind == \"oom_kill\" and .pid == $pid") ||
		{ fail "$what: an oom_kill event for pid $pid within $WAIT s" "$(cat "$OUT")"; return; }
	pass "$what: an oom_kill event for pid $pid within $WAIT s"
	is "$(jq -r .source <<<"$ev")" kmsg "$what: from the kernel log"
	is "$(jq -r .task <<<"$ev")" memhog "$what: task is memhog"
	is "$(jq -r .cgroup <<<"$ev")" "$O" "$what: cgroup is the limited group"
	is "$(jq -r .task_cgroup <<<"$ev")" "$O" "$what: task_cgroup is the victim's group"
	ok "$what: anon_rss_kb is a number" test "$(jq -r '.anon_rss_kb | type' <<<"$ev")" = number
}

# ---- as root, with the kernel log ------------------------------------------

# the kernel's rate limit of OOM reports spent by other tests' kills would
# leave this test's reports out (lib.sh)
oom_reports_quiet 60
start_cgtop
now_ms
t0=$NOW_MS
cg_spawn "$O" "$MEMHOG" 100
pid1=$CG_LAST_PID
wait "$pid1" 2>/dev/null
now_ms
kill_ms=$((NOW_MS - t0)) # how long a kill takes here, for the batch test below
check_kill "first kill" "$pid1"
cg_spawn "$O" "$MEMHOG" 100
pid2=$CG_LAST_PID
wait "$pid2" 2>/dev/null
check_kill "second kill" "$pid2"

cg_spawn "$P" "$FORKER" -t 12
fpid=$CG_LAST_PID
if ev=$(wait_event ".kind == \"pids_fork_rejected\" and .source == \"kmsg\""); then
	pass "a fork rejection from the kernel log within $WAIT s"
	is "$(jq -r .cgroup <<<"$ev")" "$P" "its cgroup is the pids-limited group"
else
	fail "a fork rejection from the kernel log within $WAIT s" "$(cat "$OUT")"
fi
rejected=$(cg_read "$P" pids.events | awk '$1 == "max" {print $2}')
if ev=$(wait_event ".kind == \"pids_fork_rejected\" and .source == \"counter\""); then
	pass "later rejections come from the counters"
	is "$(jq -r .cgroup <<<"$ev")" "$P" "... for the pids-limited group"
	sleep 0.6
	total=$(jq -s --arg g "$P" '[.[] | select(.kind == "pids_fork_rejected" and .cgroup == $g) | .count] | add' "$OUT")
	rejected=$(cg_read "$P" pids.events | awk '$1 == "max" {print $2}')
	is "$total" "$rejected" "events count every rejection pids.events counts ($rejected)"
else
	fail "later rejections come from the counters (pids.events max $rejected)" "$(cat "$OUT")"
fi
cg_kill "$fpid"
# (the test's own group only: other tests and tenants may kill meanwhile)
kills=$(jq -s --arg g "$O" '[.[] | select(.kind == "oom_kill" and .cgroup == $g)] | length' "$OUT")
is "$kills" 2 "two kills, two oom_kill events (none doubled by the counters)"

kill -TERM "$CGTOP_PID"
wait "$CGTOP_PID"
is "$?" 0 "cgtop --events exits 0 on SIGTERM"
is "$(cat "$ERR")" "" "nothing on stderr"

# ---- batch JSON: per-group totals since start -----------------------------

# enough samples (0.25 s apart) to outlast a kill three times as slow as the
# first one was, on a loaded host or in a TCG guest; at least 8
B=$CG_TMP/batch.json
n=$(((3 * kill_ms + 2000) / 250))
[ "$n" -ge 8 ] || n=8
# (bounded: a run in a v1 guest once never ended here, and an unbounded wait
# would hold the whole VM stage; 124 says it was cgtop that hung)
timeout 300 "$CGTOP" -b -n "$n" -d 0.25 --format json --columns events "$O" >"$B" 2>"$CG_TMP/batch.err" &
bpid=$!
for ((i = 0; i < 100; i++)); do
	[ -s "$B" ] && break # the first sample, before the kill
	nap 0.1
done
cg_spawn "$O" "$MEMHOG" 100
wait "$CG_LAST_PID" 2>/dev/null
wait "$bpid"
brc=$?
is "$brc" 0 "batch JSON with the events column exits 0"
[ "$brc" = 0 ] || diag "stderr: $(cat "$CG_TMP/batch.err")" "samples: $(wc -l <"$B")"
first=$(head -1 "$B" | jq -c ".cgroups[] | select(.path == \"$O\")")
last=$(tail -1 "$B" | jq -c ".cgroups[] | select(.path == \"$O\")")
is "$(jq -r .oom_kills_since_start <<<"$first")" 0 "first sample: no kill since start"
is "$(jq -r .oom_kills_since_start <<<"$last")" 1 "last sample: one kill since start, from the counters"
is "$(jq -r .kmsg_oom_kills <<<"$last")" 1 "... and one from the kernel log"

# ---- without the kernel log: an unprivileged user, dmesg_restrict=1 -------

restrict=$(cat /proc/sys/kernel/dmesg_restrict 2>/dev/null || echo 0)
if [ "$restrict" != 1 ]; then
	skip "counters only, as an unprivileged user" "kernel.dmesg_restrict is not 1 here"
elif ! command -v setpriv >/dev/null; then
	skip "counters only, as an unprivileged user" "no setpriv"
else
	start_cgtop setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all
	cg_spawn "$O" "$MEMHOG" 100
	pid3=$CG_LAST_PID
	wait "$pid3" 2>/dev/null
	if ev=$(wait_event '.kind == "oom_kill"'); then
		pass "counters only: the kill is reported within $WAIT s"
		is "$(jq -r .source <<<"$ev")" counter "... from the counters"
		is "$(jq -r .task_cgroup <<<"$ev")" "$O" "... in the victim's group"
		is "$(jq -r .count <<<"$ev")" 1 "... one kill"
	else
		fail "counters only: the kill is reported within $WAIT s" "$(cat "$OUT" "$ERR")"
	fi
	kill -TERM "$CGTOP_PID"
	wait "$CGTOP_PID"
	is "$?" 0 "unprivileged cgtop --events exits 0"
	# (and one more, that the proc connector is off: fork events name no parents)
	if [ "$(grep -c 'cannot read /dev/kmsg' "$ERR")" = 1 ] &&
		[ "$(grep -vc 'cannot read /dev/kmsg\|proc connector needs CAP_NET_ADMIN' "$ERR")" = 0 ]; then
		pass "one line says why the kernel log is not read"
	else
		fail "one line says why the kernel log is not read" "$(cat "$ERR")"
	fi
fi
done_testing
