#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# attach.sh - live test of `cgtop --attach PID`: a sleep the test
# started (first inside a test group of its own, nested under its own
# memory group) is moved with --mem into a new group below the test group,
# with the limit in every hierarchy, printed once per hierarchy as
# /proc/PID/cgroup names it; --group into an existing group; --tree;
# the plain-words refusals (below current usage, v1 EBUSY with --force, v2
# "no internal processes", no such process, kernel thread) change nothing.
# Every process the test starts lives in a leaf group of its own (T/s, T/h,
# T/t), never in the test group T itself: on cgroup v2 a group that holds
# processes cannot hand controllers to child groups ("no internal
# processes"), so T must stay empty for cgtop (and cg_create) to make groups
# with limits below it.  Needs root (else skips, 77).

set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"

top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

cg_init
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
need_helper MEMHOG memhog
cg_describe

OUT=$CG_TMP/out
ERR=$CG_TMP/err
T=$CG_TEST
CTRLS=(memory pids cpuacct freezer)
cg_create "$T" "${CTRLS[@]}" || bail_out "cannot create test group $T"
MEMI=$(cg_hier_of memory) || skip_all "no memory controller"
if [ "${CG_TYPE[MEMI]}" = v2 ]; then
	MEMMAX=memory.max
else
	MEMMAX=memory.limit_in_bytes
fi

run()
{
	timeout 60 "$CGTOP" "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	return 0
}

# register the groups cgtop made below T (in every hierarchy) for cleanup
adopt()
{
	local d

	_cg_dirsv "$1"
	for d in "${CG_DIRS[@]}"; do
		cg_is_ours "$d" || CG_CREATED+=("$d")
	done
}

# kill_group PATH: kills every process left in group PATH (made here or
# adopted) in every hierarchy and waits until it is empty.  Not lib.sh's
# cg_kill_in: it tests cgroup.procs with [ -s ], which is always false on
# cgroupfs (the files report size 0), and a `while read` over a v2
# cgroup.procs may skip pids (bash seeks back after each line); a whole read
# of the file with $(cat) lists them all.
kill_group()
{
	local dir pids tries
	local -a dirs

	_cg_dirsv "$1"
	dirs=("${CG_DIRS[@]}")
	for dir in "${dirs[@]}"; do
		cg_is_ours "$dir" || continue
		for ((tries = 50; tries > 0; tries--)); do
			pids=$(cat "$dir/cgroup.procs" 2>/dev/null)
			[ -n "$pids" ] || break
			# shellcheck disable=SC2086 # one pid a word
			kill -KILL $pids 2>/dev/null
			sleep 0.1
		done
		[ "$tries" -gt 0 ] || { diag "kill_group: $dir does not get empty"; return 1; }
	done
	return 0
}

# in_group PID PATH: PATH exists somewhere and PID is in PATH in every
# hierarchy where PATH exists
# shellcheck disable=SC2317 # called through ok
in_group()
{
	local i ok=0 found=0

	for ((i = 0; i < CG_NH; i++)); do
		_cg_dirv "$i" "$2"
		[ -d "$CG_DIR" ] || continue
		found=1
		grep -qx "$1" "$CG_DIR/cgroup.procs" || { diag "pid $1 not in $CG_DIR"; ok=1; }
	done
	[ "$found" = 1 ] || { diag "no group $2 in any hierarchy"; return 1; }
	return "$ok"
}

# printed_groups PID PATH: cgtop printed one line per hierarchy where PATH
# exists, each "ID:CONTROLLERS:PATH" exactly as the kernel shows it in
# /proc/PID/cgroup
# shellcheck disable=SC2317 # called through ok
printed_groups()
{
	local line want got rc=0

	want=$(cg_dirs "$2" | wc -l)
	got=$(wc -l <"$OUT")
	[ "$got" = "$want" ] || { diag "$got lines for $want hierarchies with $2:" "$(cat "$OUT")"; rc=1; }
	while IFS= read -r line; do
		[ "${line#*:*:}" = "$2" ] || { diag "not $2: $line"; rc=1; }
		grep -qxF -- "$line" "/proc/$1/cgroup" || { diag "not in /proc/$1/cgroup: $line" "$(cat "/proc/$1/cgroup")"; rc=1; }
	done <"$OUT"
	return $rc
}

# ---- a new group with --mem -------------------------------------------------------
cg_create "$T/s" "${CTRLS[@]}" || bail_out "cannot create $T/s"
cg_spawn "$T/s" sleep 300
S=$CG_LAST_PID
sleep 0.2
run --attach "$S" --mem 64M --pids 20 --parent "$T" --name a1
adopt "$T/a1"
is "$RC" 0 "--attach into a new group"
ok "--attach prints the new group in every hierarchy, as /proc/PID/cgroup names it" printed_groups "$S" "$T/a1"
[ "$RC" = 0 ] || diag "$(cat "$ERR")"
is "$(cg_read "$T/a1" "$MEMMAX")" 67108864 "--mem 64M set in the memory hierarchy"
is "$(cg_read "$T/a1" pids.max)" 20 "--pids 20 set in the pids hierarchy"
ok "the sleep is in $T/a1 in every hierarchy" in_group "$S" "$T/a1"

# ---- --group: an existing group ------------------------------------------------------
cg_create "$T/g" "${CTRLS[@]}" || bail_out "cannot create $T/g"
run --attach "$S" --group "$T/g" --mem 48M
is "$RC" 0 "--attach --group"
ok "--attach --group prints the group in every hierarchy" printed_groups "$S" "$T/g"
is "$(cg_read "$T/g" "$MEMMAX")" 50331648 "--group: --mem 48M set"
ok "the sleep moved into $T/g" in_group "$S" "$T/g"

# ---- below current usage: refused, nothing changed -----------------------------------------
cg_create "$T/h" "${CTRLS[@]}" || bail_out "cannot create $T/h"
cg_spawn "$T/h" "$MEMHOG" 40
H=$CG_LAST_PID
for _ in $(seq 50); do
	[ "$(awk '/VmRSS/ { print $2 }' "/proc/$H/status" 2>/dev/null || echo 0)" -gt 40000 ] && break
	sleep 0.1
done
run --attach "$H" --mem 1M --parent "$T" --name a2
if [ "$RC" = 1 ] && grep -Eq "memory limit 1(\.0)?M is below current usage [4-9][0-9.]*M of pid $H" "$ERR"; then
	pass "limit below usage: plain-words refusal"
else
	fail "limit below usage: plain-words refusal" "rc=$RC" "$(cat "$ERR")"
fi
is "$(cg_dirs "$T/a2")" "" "below usage: no group made"
ok "below usage: the process stayed" in_group "$H" "$T/h"

# v1: the kernel itself says EBUSY when the group's charge is above a new limit
if [ "${CG_TYPE[MEMI]}" = v1 ]; then
	before=$(cg_read "$T/h" memory.limit_in_bytes)
	run --attach "$H" --group "$T/h" --mem 1M --force
	if [ "$RC" = 1 ] && grep -q "resource busy" "$ERR" && grep -q "nothing was changed" "$ERR"; then
		pass "v1 EBUSY: plain-words error"
	elif [ "$RC" = 0 ]; then
		skip "v1 EBUSY" "the kernel reclaimed 40M (swap?)"
	else
		fail "v1 EBUSY: plain-words error" "rc=$RC" "$(cat "$ERR")"
	fi
	is "$(cg_read "$T/h" memory.limit_in_bytes)" "$before" "v1 EBUSY: limit unchanged"
else
	skip "v1 EBUSY" "memory is on cgroup v2 here"
fi

# v2: a group with controllers enabled for children cannot take processes
V2I=-1
for ((i = 0; i < CG_NH; i++)); do [ "${CG_TYPE[i]}" = v2 ] && V2I=$i; done
if [ "$V2I" -ge 0 ] && cg_has "$V2I" memory; then
	cg_create "$T/p/c" "${CTRLS[@]}" || bail_out "cannot create $T/p/c"
	run --attach "$S" --group "$T/p"
	if [ "$RC" = 1 ] && grep -q "no internal processes" "$ERR"; then
		pass "v2 EBUSY: plain-words error"
	else
		fail "v2 EBUSY: plain-words error" "rc=$RC" "$(cat "$ERR")"
	fi
	ok "v2 EBUSY: the sleep stayed" in_group "$S" "$T/g"
else
	skip "v2 EBUSY (no internal processes)" "no memory controller on the cgroup2 hierarchy here"
fi

# ---- --tree ------------------------------------------------------------------------------
cg_create "$T/t" "${CTRLS[@]}" || bail_out "cannot create $T/t"
cg_spawn "$T/t" sh -c 'sleep 300 & sleep 300 & wait'
P=$CG_LAST_PID
sleep 0.3
run --attach "$P" --tree --parent "$T" --name a3
adopt "$T/a3"
is "$RC" 0 "--tree: moved"
[ "$RC" = 0 ] || diag "$(cat "$ERR")"
ok "--tree prints the group in every hierarchy" printed_groups "$P" "$T/a3"
n=$(wc -l <"$(cg_tasks_dir "$T/a3")/cgroup.procs")
is "$n" 3 "--tree: the shell and its two children are in $T/a3"
kill_group "$T/a3"

# ---- errors ----------------------------------------------------------------------------------
run --attach 999999999 --parent "$T"
is "$RC" 1 "no such process: exit 1"
if grep -q "no such process" "$ERR"; then pass "no such process: says so"; else fail "no such process: says so" "$(cat "$ERR")"; fi
run --attach 2 --parent "$T"
if [ "$RC" = 1 ] && grep -q "kernel thread" "$ERR"; then pass "kernel thread: refused"; else fail "kernel thread: refused" "rc=$RC" "$(cat "$ERR")"; fi
is "$(cg_children "$T" | grep -c attach-)" 0 "errors made no group"

cg_kill "$S" "$H"
kill_group "$T/a1"
kill_group "$T/g"
done_testing
