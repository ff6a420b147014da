#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# engine.sh - live test of cgtop's batch engine against the running kernel:
# it makes real groups with limits and processes under its own group in every
# hierarchy, runs `cgtop -b --format json` on them and compares what cgtop
# reports with the cgroup files read at the same moment (limits, effective
# limits, pids, tasks, memory, CPU rates, vanishing and recreated groups,
# --depth, and on a real host the full group list against lscgroup).
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
need_helper MEMHOG memhog
need_helper FORKER forker
need_helper BURNER burner

CTRLS=(memory pids cpu cpuacct io blkio)
MiB=1048576
LIMIT=50331648 # 48 MiB

T=$CG_TEST
A=$T/a
cg_describe

cg_create "$A" "${CTRLS[@]}" || bail_out "cannot create test group $A"
[ -n "$(cg_file "$A" memory.max || cg_file "$A" memory.limit_in_bytes)" ] ||
	skip_all "no memory controller usable below the own group"
[ -n "$(cg_file "$A" pids.max)" ] || skip_all "no pids controller usable below the own group"

if cg_file "$A" memory.max >/dev/null; then
	MEMCUR=memory.current MEMMAX=memory.max
else
	MEMCUR=memory.usage_in_bytes MEMMAX=memory.limit_in_bytes
fi
cg_write "$A" "$MEMMAX" "$LIMIT" || bail_out "cannot set $MEMMAX of $A"
cg_write "$A" pids.max 20 || bail_out "cannot set pids.max of $A"

# ---- helpers ------------------------------------------------------------------

OUT=$CG_TMP/out
ERR=$CG_TMP/err

# run ARG...: runs cgtop into $OUT / $ERR; sets RC.
run()
{
	timeout 120 "$CGTOP" "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	return 0
}

# cgtop_ok DESC: one test that the last run exited 0 with an empty stderr.
cgtop_ok()
{
	if [ "$RC" = 0 ] && [ ! -s "$ERR" ]; then
		pass "$1"
	else
		fail "$1" "exit status $RC" "stderr: $(head -c 2000 "$ERR")"
	fi
}

# jline N: line N of $OUT.
jline()
{
	sed -n "${1}p" "$OUT"
}

# jf LINE PATH FIELD: FIELD of the group PATH in sample LINE, as JSON text
# ("max" with its quotes, null, numbers); empty when the group is missing.
jf()
{
	jq -r --arg p "$2" --arg f "$3" '.cgroups[] | select(.path == $p) | .[$f] | tojson' \
		<<<"$1" 2>/dev/null | head -n 1
}

# jpaths LINE: the sorted group paths of sample LINE.
jpaths()
{
	jq -r '.cgroups[].path' <<<"$1" 2>/dev/null | LC_ALL=C sort
}

# jcount LINE PATH: how often group PATH is in sample LINE.
jcount()
{
	jq --arg p "$2" '[.cgroups[] | select(.path == $p)] | length' <<<"$1" 2>/dev/null
}

# limit_of DIR FILE: the limit in DIR/FILE as a number, or "max".
limit_of()
{
	local v

	v=$(cat "$1/$2" 2>/dev/null) || { echo max; return; }
	if [ "$v" = max ] || ! is_uint "$v" || [ ${#v} -ge 19 ]; then
		echo max # v1 writes "unlimited" as 2^63 rounded down to a page
	else
		echo "$v"
	fi
}

# effective PATH FILE: "VALUE FROM" - the lowest limit FILE on PATH and its
# ancestors and the nearest group that sets it, or "max -".
effective()
{
	local p=$1 dir v best=max from=- i

	for ((i = 0; i < CG_NH; i++)); do
		_cg_dirv "$i" "$p"
		dir=$CG_DIR
		[ -e "$dir/$2" ] && break
	done
	[ "$i" -lt "$CG_NH" ] || { echo "max -"; return; }
	while :; do
		_cg_dirv "$i" "$p"
		dir=$CG_DIR
		v=$(limit_of "$dir" "$2")
		if [ "$v" != max ] && { [ "$best" = max ] || [ "$v" -lt "$best" ]; }; then
			best=$v from=$p
		fi
		[ "$p" = / ] || [ "$p" = "${CG_ROOT[i]}" ] && break
		p=${p%/*}
		[ -n "$p" ] || p=/
	done
	echo "$best $from"
}

# fcmp A OP B: numeric comparison that allows fractions (awk).
fcmp()
{
	awk -v a="$1" -v b="$3" -v op="$2" 'BEGIN {
		if (a !~ /^-?[0-9.eE+-]+$/ || b !~ /^-?[0-9.eE+-]+$/) exit 1
		if (op == ">") exit !(a + 0 > b + 0)
		if (op == ">=") exit !(a + 0 >= b + 0)
		if (op == "<=") exit !(a + 0 <= b + 0)
		if (op == "<") exit !(a + 0 < b + 0)
		exit 1 }'
}

# wait_lines FILE N SECONDS: waits until FILE has at least N lines.
wait_lines()
{
	local tenths=$(($3 * 10))

	while [ "$tenths" -gt 0 ]; do
		[ "$(wc -l <"$1" 2>/dev/null || echo 0)" -ge "$2" ] && return 0
		sleep 0.1
		tenths=$((tenths - 1))
	done
	return 1
}

# ---- 1. limits of A -------------------------------------------------------------

run -b -n 1 --format json "$A"
cgtop_ok "cgtop -b -n 1 --format json A exits 0, nothing on stderr"
L1=$(jline 1)
if [ "$(wc -l <"$OUT")" = 1 ] && jq -e 'type == "object"' <<<"$L1" >/dev/null 2>&1; then
	pass "one sample gives exactly one valid JSON line"
else
	fail "one sample gives exactly one valid JSON line" "stdout: $(head -c 2000 "$OUT")"
fi
ok "sample has a numeric time and a cgroups array" \
	jq -e '(.time | type == "number") and (.cgroups | type == "array")' <<<"$L1"
is "$(jq -r .mode <<<"$L1")" "$CG_MODE" "mode is $CG_MODE"
is "$(jcount "$L1" "$A")" 1 "group A is listed once, under its kernel name"
is "$(jf "$L1" "$A" memory_max_bytes)" "$LIMIT" "A: memory_max_bytes is the 48M limit"
read -r eff from <<<"$(effective "$A" "$MEMMAX")"
is "$(jf "$L1" "$A" memory_effective_max_bytes)" "$eff" "A: memory_effective_max_bytes is $eff"
is "$(jf "$L1" "$A" pids_max)" 20 "A: pids_max is 20"
read -r peff _ <<<"$(effective "$A" pids.max)"
is "$(jf "$L1" "$A" pids_effective_max)" "$peff" "A: pids_effective_max is $peff"
ok "A: controllers include memory and pids" \
	jq -e --arg p "$A" '.cgroups[] | select(.path == $p) | .controllers |
		any(. == "memory") and any(. == "pids")' <<<"$L1"
ok "A: every contract field is present" \
	jq -e --arg p "$A" '.cgroups[] | select(.path == $p) | . as $g | ["path", "controllers",
		"tasks", "threads", "cpu_usage_usec", "cpu_percent", "memory_current_bytes",
		"memory_max_bytes", "memory_effective_max_bytes", "memory_effective_max_from",
		"memory_peak_bytes", "memory_swap_bytes", "memory_failcnt", "memory_events",
		"memory_oom_kills", "memory_stat", "pids_current", "pids_max",
		"pids_effective_max", "pids_rejected", "io_read_bytes", "io_write_bytes",
		"io_read_bytes_per_sec", "io_write_bytes_per_sec", "psi"] |
		all(. as $k | $g | has($k))' <<<"$L1"
is "$(jf "$L1" "$A" cpu_percent)" null "A: cpu_percent is null in the first sample"

# ---- 2. processes in A ----------------------------------------------------------

cg_spawn "$A" "$MEMHOG" 16 >"$CG_TMP/memhog.out"
HOG=$CG_LAST_PID
cg_spawn "$A" "$FORKER" 3 >"$CG_TMP/forker.out"
FORK=$CG_LAST_PID
wait_for_line "$CG_TMP/memhog.out" ready 30 || bail_out "memhog did not get ready"
wait_for_line "$CG_TMP/forker.out" ready 30 || bail_out "forker did not get ready"
STARTED=5 # memhog, forker and its 3 children, one thread each

TDIR=$(cg_tasks_dir "$A")
PFILE=$(cg_file "$A" pids.current)
MFILE=$(cg_file "$A" "$MEMCUR")
pc1=$(cat "$PFILE") m1=$(cat "$MFILE")
run -b -n 1 --format json "$A"
pc2=$(cat "$PFILE") m2=$(cat "$MFILE")
nprocs=$(wc -l <"$TDIR/cgroup.procs")
if [ -e "$TDIR/cgroup.threads" ]; then
	nthreads=$(wc -l <"$TDIR/cgroup.threads")
else
	nthreads=$(wc -l <"$TDIR/tasks")
fi
cgtop_ok "cgtop with processes in A exits 0"
L2=$(jline 1)
is "$nprocs" "$STARTED" "the $STARTED started processes are in A (cgroup.procs)"
if [ "$pc1" = "$pc2" ]; then
	is "$(jf "$L2" "$A" pids_current)" "$pc1" "A: pids_current equals pids.current ($pc1)"
else
	fail "A: pids_current equals pids.current" "pids.current changed: $pc1 -> $pc2"
fi
is "$(jf "$L2" "$A" pids_current)" "$STARTED" "A: pids_current counts the $STARTED tasks started"
is "$(jf "$L2" "$A" tasks)" "$nprocs" "A: tasks equals the lines of cgroup.procs ($nprocs)"
is "$(jf "$L2" "$A" threads)" "$nthreads" "A: threads equals the threads in A ($nthreads)"
mc=$(jf "$L2" "$A" memory_current_bytes)
lo=$((m1 < m2 ? m1 : m2)) hi=$((m1 > m2 ? m1 : m2))
slack=$MiB
if is_uint "$mc" && [ "$mc" -ge $((lo - slack)) ] && [ "$mc" -le $((hi + slack)) ]; then
	pass "A: memory_current_bytes agrees with $MEMCUR"
else
	fail "A: memory_current_bytes agrees with $MEMCUR" \
		"cgtop: $mc; $MEMCUR before: $m1, after: $m2 (slack $slack)"
fi
if is_uint "$mc" && [ "$mc" -ge $((16 * MiB)) ]; then
	pass "A: memory_current_bytes is at least the 16 MiB touched by memhog"
else
	fail "A: memory_current_bytes is at least the 16 MiB touched by memhog" "got $mc"
fi
# the pids limit counts the whole subtree, tasks only A itself: both were checked

# ---- 3. CPU rates -----------------------------------------------------------------

cg_spawn "$A" "$BURNER" 30
BURN=$CG_LAST_PID
sleep 0.2
run -b -n 2 -d 0.5 --format json "$A"
cg_kill "$BURN"
cgtop_ok "cgtop -n 2 -d 0.5 exits 0"
is "$(wc -l <"$OUT")" 2 "two samples give two lines"
S1=$(jline 1) S2=$(jline 2)
is "$(jf "$S1" "$A" cpu_percent)" null "A: cpu_percent is null in the first sample"
p2=$(jf "$S2" "$A" cpu_percent)
if fcmp "$p2" ">" 0; then
	pass "A: cpu_percent of the second sample is > 0 with a burner running ($p2)"
else
	fail "A: cpu_percent of the second sample is > 0 with a burner running" "got '$p2'"
fi
u1=$(jf "$S1" "$A" cpu_usage_usec) u2=$(jf "$S2" "$A" cpu_usage_usec)
if is_uint "$u1" && is_uint "$u2" && [ "$u2" -gt "$u1" ]; then
	pass "A: cpu_usage_usec increases ($u1 -> $u2)"
else
	fail "A: cpu_usage_usec increases" "first '$u1', second '$u2'"
fi
pt=$(jq -r '.time' <<<"$S1") pt2=$(jq -r '.time' <<<"$S2")
if fcmp "$(awk -v a="$pt" -v b="$pt2" 'BEGIN { print b - a }')" ">=" 0.4; then
	pass "the two samples are about 0.5 s apart"
else
	fail "the two samples are about 0.5 s apart" "time $pt then $pt2"
fi

cg_kill "$HOG" "$FORK"
cg_kill_in "$A" || bail_out "cannot empty $A"

# ---- 4. a child without a limit, "max", and --depth -------------------------

B=$A/b
cg_create "$B" "${CTRLS[@]}" || bail_out "cannot create $B"
cg_create "$A/c" "${CTRLS[@]}" || bail_out "cannot create $A/c"
cg_create "$B/d" "${CTRLS[@]}" || bail_out "cannot create $B/d"
run -b -n 1 --format json "$A"
cgtop_ok "cgtop on A with children exits 0"
L4=$(jline 1)
read -r eff from <<<"$(effective "$B" "$MEMMAX")"
is "$(jf "$L4" "$B" memory_effective_max_bytes)" "$eff" \
	"A/b: memory_effective_max_bytes is $eff (inherited)"
is "$(jf "$L4" "$B" memory_effective_max_from)" "\"$from\"" \
	"A/b: memory_effective_max_from is $from"
read -r peff _ <<<"$(effective "$B" pids.max)"
is "$(jf "$L4" "$B" pids_effective_max)" "$peff" "A/b: pids_effective_max is $peff (inherited)"
is "$(jf "$L4" "$B" memory_max_bytes)" '"max"' 'A/b: memory_max_bytes is "max" (no limit)'
is "$(jf "$L4" "$B" pids_max)" '"max"' 'A/b: pids_max is "max" (no limit)'
is "$(jf "$L4" "$B/d" memory_effective_max_from)" "\"$from\"" \
	"A/b/d: memory_effective_max_from is $from two levels up"

want=$(printf '%s\n' "$A" "$B" "$A/c" "$B/d" | LC_ALL=C sort)
is "$(jpaths "$L4")" "$want" "without --depth, A and all its descendants are listed"

run -b -n 1 --depth 0 --format json "$A"
cgtop_ok "--depth 0 exits 0"
is "$(jpaths "$(jline 1)")" "$A" "--depth 0 lists exactly A"

run -b -n 1 --depth 1 --format json "$A"
cgtop_ok "--depth 1 exits 0"
want=$( (echo "$A"; cg_children "$A") | LC_ALL=C sort)
is "$(jpaths "$(jline 1)")" "$want" "--depth 1 lists A and its children, not A/b/d"

if ! cg_rmdir "$B/d" || ! cg_rmdir "$B" || ! cg_rmdir "$A/c"; then
	bail_out "cannot remove the children of A"
fi

# ---- 5. a group vanishing while cgtop runs -------------------------------

C=$T/c
cg_create "$C" "${CTRLS[@]}" || bail_out "cannot create $C"
# 20 samples (6 s): removing C in every hierarchy took 2.6 s in a TCG guest
cg_bg timeout 120 "$CGTOP" -b -n 20 -d 0.3 --format json "$T" >"$OUT" 2>"$ERR" </dev/null
BG=$CG_LAST_PID
# remove C once the first sample is out (or after 1 s if output is buffered)
wait_lines "$OUT" 1 1 || diag "note: no sample on stdout 1 s after the start (buffered?)"
cg_rmdir "$C" || fail "rmdir C while cgtop runs"
t_rm=$(date +%s.%N)
wait "$BG"
RC=$?
cg_kill "$BG"
cgtop_ok "a group removed mid-run: cgtop exits 0 and prints nothing on stderr"
is "$(wc -l <"$OUT")" 20 "twenty samples give twenty lines"
is "$(jcount "$(jline 1)" "$C")" 1 "C is in the first sample"
is "$(jcount "$(jline 20)" "$C")" 0 "C is gone from the last sample"
is "$(jcount "$(jline 20)" "$A")" 1 "A is still in the last sample"
diag "sample times: $(jq -r .time "$OUT" | paste -sd' ' -); C removed by $t_rm"

# ---- 6. a group removed and recreated between samples ----------------------

R=$T/r
cg_create "$R" "${CTRLS[@]}" || bail_out "cannot create $R"
cg_spawn "$R" "$BURNER" 30
BURN=$CG_LAST_PID
sleep 0.3
cg_bg timeout 120 "$CGTOP" -b -n 10 -d 0.3 --format json "$T" >"$OUT" 2>"$ERR" </dev/null
BG=$CG_LAST_PID
wait_lines "$OUT" 2 2 || sleep 0.1
cg_kill "$BURN"
cg_kill_in "$R"
t_rm=$(date +%s.%N)
cg_recreate "$R" || bail_out "cannot remove and recreate $R"
t_mk=$(date +%s.%N)
cg_spawn "$R" "$BURNER" 30
BURN=$CG_LAST_PID
wait "$BG"
RC=$?
cg_kill "$BG" "$BURN"
cgtop_ok "a group recreated mid-run: cgtop exits 0 and prints nothing on stderr"
is "$(wc -l <"$OUT")" 10 "ten samples give ten lines"
neg=$(jq -c '.cgroups[] | {path, cpu_percent, io_read_bytes_per_sec, io_write_bytes_per_sec} |
	select([.cpu_percent, .io_read_bytes_per_sec, .io_write_bytes_per_sec] |
		any(. != null and (type != "number" or . < 0)))' "$OUT" 2>&1)
is "$neg" "" "no negative (or non-numeric) rates in any sample"
ncpu=$(nproc 2>/dev/null || echo 1)
big=$(jq -c --argjson max $((ncpu * 120)) '.cgroups[] | select(.cpu_percent != null and
	(.cpu_percent | type == "number") and .cpu_percent > $max) | {path, cpu_percent}' "$OUT" 2>&1)
is "$big" "" "no cpu_percent above 100% per CPU (no counter wrap)"
usage=$(jq -r --arg p "$R" '[.cgroups[] | select(.path == $p) | .cpu_usage_usec] | .[0] // "-"' \
	"$OUT" | paste -sd' ' -)
diag "R cpu_usage_usec per sample: $usage"
diag "sample times: $(jq -r .time "$OUT" | paste -sd' ' -); R removed at $t_rm, recreated at $t_mk"
t_last=$(jline 10 | jq -r .time 2>/dev/null)
if fcmp "$t_last" ">" "$(awk -v t="$t_mk" 'BEGIN { printf "%.6f", t + 0.05 }')"; then
	is "$(jcount "$(jline 10)" "$R")" 1 "the recreated R is listed in the last sample"
else
	skip "the recreated R is listed in the last sample" "R was recreated after the last sample"
fi

# ---- 7. every group lscgroup knows -----------------------------------------

lsc_paths()
{
	lscgroup 2>/dev/null | sed 's/^[^:]*://; s|\(.\)/$|\1|' | LC_ALL=C sort -u
}

if ! command -v lscgroup >/dev/null; then
	skip "cgtop lists every group lscgroup lists" "lscgroup not installed"
elif in_vm; then
	skip "cgtop lists every group lscgroup lists" "not compared inside the test VM"
else
	missing_all=
	for try in 1 2; do
		before=$(lsc_paths)
		run -b -n 2 --format json
		after=$(lsc_paths)
		[ "$RC" = 0 ] || break
		seen=$(jpaths "$(jline 2)")
		echo "$before" >"$CG_TMP/before"
		echo "$after" >"$CG_TMP/after"
		echo "$seen" >"$CG_TMP/seen"
		missing=$(comm -12 "$CG_TMP/before" "$CG_TMP/after" | comm -23 - "$CG_TMP/seen")
		if [ $try = 1 ]; then
			missing_all=$missing
		else
			echo "$missing_all" >"$CG_TMP/missing1"
			missing_all=$(echo "$missing" | comm -12 "$CG_TMP/missing1" -)
		fi
		[ -n "$missing_all" ] || break
	done
	cgtop_ok "cgtop -b -n 2 --format json on the whole tree exits 0"
	if [ "$RC" = 0 ] && [ -z "$missing_all" ] && [ -n "$(jline 2)" ]; then
		pass "cgtop lists every group lscgroup lists ($(wc -l <<<"$after") paths)"
	else
		fail "cgtop lists every group lscgroup lists" "missing: $(head -n 20 <<<"$missing_all")"
	fi
fi

done_testing
