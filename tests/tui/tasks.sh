#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tasks.sh - the dashboard's process counts and limits on a real kernel,
# through a private tmux server (tests/tui/lib.sh):
#  1. at the default 1 s refresh, a process that joins group a, moves to b and
#     exits shows in the Tasks column at once (on v1 a kept cgroup.procs fd
#     used to count the processes of its first read for ever); the test
#     group's row counts its subtree, and r switches to its own count and back;
#  2. a group made only in the pids hierarchy and one made only in the cpu
#     hierarchy (on v1; on v2 every group is in the one hierarchy): Enter
#     lists their processes (pids, command) in the detail view;
#  3. the detail view's Limits of a child of a group with a CFS quota of
#     20000/100000: "cpu (CPUs)  max  0.2  <parent>"; memory.high on v2 (the
#     parent's 32M, and Mem% measured against it), "none" on v1; the table
#     has the Thrtl column by default.
# Needs root and tmux (else skips, 77).

set -u

TUI_DIR=${top_srcdir:+$top_srcdir/tests/tui}
TUI_DIR=${TUI_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$TUI_DIR/../live/lib.sh"
# shellcheck source=tests/tui/lib.sh
. "$TUI_DIR/lib.sh"

top_srcdir=${top_srcdir:-$(cd "$TUI_DIR/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
CGTOP=${CGTOP:-$top_builddir/cgtop}
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"

cg_init
tui_have || skip_all "tmux not installed"
need_helper MEMHOG memhog
trap 'rc_=$?; tui_stop; (exit $rc_); cg_cleanup EXIT' EXIT
trap 'tui_stop; cg_cleanup INT' INT
trap 'tui_stop; cg_cleanup TERM' TERM
cg_describe
export XDG_CONFIG_HOME=$CG_TMP/config

WAIT=${CGTOP_TUI_WAIT:-20}
in_vm && WAIT=${CGTOP_TUI_WAIT:-90}
FRESH=3
in_vm && FRESH=8 # an emulated CPU: a refresh and a capture take seconds

T=$CG_TEST
A=$T/a
B=$T/b
cg_create "$A" memory pids cpu cpuacct || bail_out "cannot create $A"
cg_create "$B" memory pids cpu cpuacct || bail_out "cannot create $B"

# cell NAME: the first value after the row named NAME (a tree row shows the
# last component of the path, the top row the whole path)
cell()
{
	tui_screen | awk -v n="$1" '{ for (i = 1; i < NF; i++) if ($i == n) { print $(i + 1); exit } }'
}

# expect_cell NAME VALUE DESC: NAME's first value becomes VALUE within
# $FRESH seconds (one refresh at the default 1 s, and the time to draw and
# capture it); waits up to $WAIT seconds to say how late it was
expect_cell()
{
	local t0 end ms

	now_ms
	t0=$NOW_MS
	end=$((t0 + WAIT * 1000))
	while [ "$(cell "$1")" != "$2" ]; do
		now_ms
		if [ "$NOW_MS" -ge $end ]; then
			fail "$3" "the row of $1 shows '$(cell "$1")', not '$2', after $WAIT s:" "$(tui_screen)"
			return
		fi
		sleep 0.05
	done
	now_ms
	ms=$((NOW_MS - t0))
	if [ $ms -le $((FRESH * 1000)) ]; then
		pass "$3 (after $((ms / 1000)).$((ms % 1000 / 100)) s)"
	else
		fail "$3 within $FRESH s" "it took $((ms / 1000)).$((ms % 1000 / 100)) s"
	fi
}

# ---- 1. the Tasks column follows a process, at the default refresh ------------

tui_start --columns tasks,memory "$T" || bail_out "tmux could not start"
tui_wait " a +0 " "$WAIT" || bail_out "the table did not show group a: $(tui_screen)"
sleep 3 # several refreshes of the empty groups first (the kernel's pid lists)
cg_bg sleep 600
SL=$CG_LAST_PID
cg_join "$A" "$SL" || bail_out "cannot move the sleeper into $A"
expect_cell a 1 "a process joins a: a's Tasks shows 1"
expect_cell "$T" 1 "the test group's Tasks counts its subtree (1)"
cg_join "$B" "$SL" || bail_out "cannot move the sleeper into $B"
expect_cell b 1 "it moves to b: b's Tasks shows 1"
expect_cell a 0 "and a's shows 0"
tui_keys r
# (the status line keeps a message 5 s from when it is shown; a loaded guest
# may take long to read the key, so the wait for it to show is longer)
tui_expect "Tasks and Threads: the group itself" "r says which count the column shows" 30
expect_cell "$T" 0 "r: the test group's own count (0)"
tui_keys r
expect_cell "$T" 1 "r again: the subtree's count (1)"
cg_kill "$SL"
expect_cell b 0 "it exits: b's Tasks shows 0"
tui_keys q
tui_wait PROMPT-BACK 10 || fail "q quits" "$(tui_screen)"

# ---- 2. groups in one hierarchy only: the detail view lists their processes ------

detail_pages()
{
	local i

	tui_screen
	for ((i = 0; i < 6; i++)); do
		tui_keys NPage
		sleep 0.2
		tui_screen
	done
}

for spec in "ponly:pids:3" "conly:cpu:2"; do
	IFS=: read -r name ctrl n <<<"$spec"
	G=$T/$name
	cg_create "$G" "$ctrl" || bail_out "cannot create $G in the $ctrl hierarchy"
	pids=()
	for ((i = 0; i < n; i++)); do
		cg_spawn "$G" sleep 600
		pids+=("$CG_LAST_PID")
	done
	for ((i = 0; i < 100; i++)); do
		[ "$(cg_read "$G" cgroup.procs | wc -l)" = "$n" ] && break
		sleep 0.1
	done
	diag "$G exists in: $(cg_dirs "$G" | paste -sd' ' -); processes ${pids[*]}"
	tui_stop # a new server: the last one may still be going away
	tui_start "$G" || bail_out "tmux could not start"
	tui_wait "$name" "$WAIT" || bail_out "the table did not show $G: $(tui_screen)"
	tui_keys Enter
	tui_expect "Group $G" "$name: Enter opens the detail view" 10
	found=0
	for ((t = 0; t < 5; t++)); do
		page=$(detail_pages)
		found=0
		for p in "${pids[@]}"; do
			grep -Eq "^ +$p [A-Z] +[0-9.]+[BKMG] +[0-9]+ sleep" <<<"$page" && found=$((found + 1))
		done
		[ "$found" = "$n" ] && grep -q "Processes ($n, by RSS)" <<<"$page" && break
		tui_keys PPage PPage PPage PPage PPage PPage
		sleep 0.5
	done
	if [ "$found" = "$n" ] && grep -q "Processes ($n, by RSS)" <<<"$page"; then
		pass "$name ($ctrl hierarchy only): the detail view lists its $n processes"
	else
		fail "$name ($ctrl hierarchy only): the detail view lists its $n processes" \
			"found $found of ${pids[*]}:" "$(grep -A6 Processes <<<"$page" | head -12)"
	fi
	tui_keys q q
	tui_wait PROMPT-BACK 10 || fail "$name: q q quits" "$(tui_screen)"
	cg_kill "${pids[@]}"
done

# ---- 3. the detail view's limits: CPU and memory.high ---------------------------------

Q=$T/quota
QC=$Q/child
cg_create "$QC" cpu cpuacct memory || bail_out "cannot create $QC"
if cg_file "$Q" cpu.max >/dev/null; then
	cg_write "$Q" cpu.max "20000 100000" || bail_out "cannot set cpu.max of $Q"
elif cg_file "$Q" cpu.cfs_quota_us >/dev/null; then
	cg_write "$Q" cpu.cfs_quota_us 20000 || bail_out "cannot set cpu.cfs_quota_us of $Q"
else
	skip_cpu=1
fi
high=
if cg_file "$Q" memory.high >/dev/null; then
	cg_write "$Q" memory.high 33554432 || bail_out "cannot set memory.high of $Q"
	cg_spawn "$QC" "$MEMHOG" 8 >"$CG_TMP/hog.out"
	wait_for_line "$CG_TMP/hog.out" ready 60 || bail_out "memhog did not start"
	high=1
fi
tui_stop
tui_start "$QC" || bail_out "tmux could not start"
tui_wait "quota/child" "$WAIT" || bail_out "the table did not show $QC: $(tui_screen)"
tui_expect "Tasks +%CPU +Thrtl +Memory" "the table has the Thrtl column by default, after %CPU" 5
tui_keys Enter
tui_expect "Group $QC" "Enter opens the detail view of the quota's child" 10
if [ -z "${skip_cpu:-}" ]; then
	tui_expect "^ cpu \\(CPUs\\) +max +0\\.2 +$Q( |\$)" \
		"Limits: cpu (CPUs) own max, effective 0.2 imposed by the parent" "$WAIT"
else
	skip "Limits: cpu (CPUs)" "no cpu controller usable below the own group"
fi
if [ -n "$high" ]; then
	tui_expect "^ memory\\.high +max +32\\.0M +$Q( |\$)" \
		"Limits: memory.high own max, effective 32.0M imposed by the parent" "$WAIT"
	tui_expect "^ memory .* of 32\\.0M \\(memory\\.high\\)" "Usage: memory in % of the 32.0M memory.high" "$WAIT"
else
	tui_expect "^ memory\\.high +- +- +\\(cgroup v1 has none\\)" "Limits: memory.high: cgroup v1 has none" "$WAIT"
fi
tui_keys q q
tui_wait PROMPT-BACK 10 || fail "q q quits" "$(tui_screen)"

done_testing
