#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# record.sh - `make bench` part: the flight recorder (cgtop --record) against
# `atop -w FILE` on the same fleet, and opening a large recording.
#
# For each N (default 1000 5000): a fleet of N groups (bench/mkfleet.sh, 8
# sleeping processes in spread leaves), and in the same 8 leaves 8 busy
# processes of ours (python3: each allocates and touches 1..16 MiB, burns
# about 5 ms of CPU and sleeps 95 ms, in a loop), so 8 groups change every
# sample and the rest of the fleet is idle.  All of them are recorded in the
# fleet's state file, so bench/rmfleet.sh stops them by pid (and start time).
#
#  - CPU per sample: cgtop's own CPU (/proc/PID/stat) while it runs
#    `--record F -d 0.5`, between its 3rd and 3 + 2S-th stored sample (S =
#    10, BENCH_RECORD_SAMPLES), median of RUNS runs.  The periods a
#    recorder keeps in time, memory.stat's (60 s: a 12th of the groups at
#    each sample of -d 5) and the quiet prune's round robin (5 minutes: a
#    60th of the quiet groups read in full at each sample), are made 6 s
#    and 30 s here (CGTOP_TEST_MEMORY_STAT_EVERY), so a sample of -d 0.5
#    does the work of one of -d 5 and the share of one core at -d 5 is that
#    / 5 s.  Not the difference of two whole runs: the first sample reads
#    every file of every group and varies by more than ten later ones cost.
#    atop that way: `atop -w F 1 K` at K1 = 3 and K2 = 3 + S (its interval
#    is whole seconds), ATOPACCT= so that it does not switch on process
#    accounting.
#  - bytes per day, the figure of record: cgtop --record F -d 0.5 with the
#    same two periods made 6 s and 30 s, so each sample stores what one of
#    -d 5 does (the 8 busy groups change within 0.1 s; the idle ones do not
#    change at all), for W + L samples (BENCH_RECORD_WARM, 120: two turns
#    of the round robin, past the first rows of the quiet groups that split
#    the index pages of the first sample; BENCH_RECORD_LONG, 360: half an
#    hour of -d 5), the pages in use (page_count - freelist_count, read
#    through a reader's connection, WAL included) at the W-th and the last
#    sample, the difference per sample times 17280 (a day at -d 5).
#  - bytes per day side by side with atop: cgtop --record F -d 5 and atop -w F 5 side by side for
#    BENCH_RECORD_SECS (default 60, 12 samples) after the recorder's second
#    sample; the bytes of the pages in use (page_count - freelist_count, read
#    through a reader's connection, WAL included) and the size of atop's file
#    at the recorder's second and last sample.  cgtop: the difference per
#    sample times 17280 (a day at -d 5, even when its samples took longer);
#    atop (which keeps its interval): the difference over the time between
#    the two (the recording's own sample times) times 86400.  The first
#    minutes overstate a day: the first sample filled the index
#    samples_group_time in group order, full pages, and the first later row
#    of a group splits one (59 pages in 12 samples of 22 rows, 9 KB of rows
#    a sample, in one run); split pages take later rows without growing.  A
#    longer BENCH_RECORD_SECS comes closer to a day's figure: the long run
#    above is the one the goal is checked on.
#  - opening a large recording (once, after the fleets): a synthetic
#    recording of one day at -d 5 ending now, ~1 GB (BENCH_RECORD_GEN_MB),
#    made with the real schema (cgtop --record -n 2 of this host) and
#    bulk INSERT ... SELECT in sqlite3 (see gen_recording below), then the
#    wall time of `cgtop -b --replay F --from T --to T` (T: the middle of
#    the day) and of `--format json` at the same T, median of 3; the
#    dashboard on it in a private tmux at 120x40: its first screen
#    (`--replay F --at @T -n 1`, wall and CPU, median of 3) and a step of one
#    sample (the ] key, BENCH_RECORD_STEPS times, 30: from the key to the
#    screen that shows the next sample, median and slowest, and cgtop's CPU
#    per step).
#
# The recorder records the fleet only, not the host's other groups (another
# fleet of a run measuring it would count in this one's figures): it runs in
# the fleet's top group of every hierarchy, in its own cgroup and mount
# namespaces where the cgroup filesystems are mounted afresh, so its "/" is
# the fleet's top (unshare(1); BENCH_RECORD_ISOLATE=0, or unshare failing,
# records the whole tree as before, and says so).  atop is not affected.
#
# Targets (N = 5000, -d 5): recorder CPU <= 1 % of one core, <= 200 MB per
# day; replay of a day-old 1 GB recording at a point in time < 1 s, its
# dashboard's first screen < 1 s, a step redrawn in < 50 ms.
# BENCH_STRICT=1: exit 3 when one is missed.  Needs root (cgroups) and
# python3; atop (Debian package atop) for the comparison, else n/a.
#
#   record.sh [N ...]    environment: CGTOP, BENCH_RECORD_N, BENCH_RECORD_ISOLATE (1), BENCH_RECORD_RUNS (3),
#                        BENCH_RECORD_SAMPLES, BENCH_RECORD_SECS, BENCH_RECORD_WARM (120), BENCH_RECORD_LONG (360), BENCH_RECORD_GEN_MB (1024,
#                        0 skips the replay part), BENCH_RECORD_STEPS, BENCH_STRICT;
#                        N = 0 (BENCH_RECORD_N=0) runs only the replay part
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=${top_srcdir:-$(cd "$HERE/.." && pwd)}
CGTOP=${CGTOP:-${top_builddir:-$SRC}/cgtop}
NS=${*:-${BENCH_RECORD_N:-1000 5000}}
RUNS=${BENCH_RECORD_RUNS:-3}
S=${BENCH_RECORD_SAMPLES:-10}
SECS=${BENCH_RECORD_SECS:-60}
GEN_MB=${BENCH_RECORD_GEN_MB:-1024}
WARM=${BENCH_RECORD_WARM:-120}
LONG=${BENCH_RECORD_LONG:-360}
K1=3
K2=$((K1 + S))
GOAL_PCT=1 GOAL_MB_DAY=200 GOAL_REPLAY_MS=1000 GOAL_STEP_MS=50 GOAL_N=5000
STEPS=${BENCH_RECORD_STEPS:-30}
say() { echo "record.sh: $*"; }
die() { echo "record.sh: $*" >&2; exit 1; }
[ -x "$CGTOP" ] || die "no cgtop at $CGTOP"
[ "$(id -u)" = 0 ] || { say "needs root (it creates cgroups); skipped"; exit 0; }
command -v sqlite3 >/dev/null || { say "sqlite3 not installed; skipped"; exit 0; }
command -v python3 >/dev/null || { say "python3 not installed (the busy groups); skipped"; exit 0; }
ATOP=$(command -v atop || true)
[ -n "$ATOP" ] || say "atop not installed (apt-get install atop): its figures are n/a"
for v in $NS $RUNS $S $SECS $GEN_MB $STEPS $WARM $LONG; do
	case $v in '' | *[!0-9]*) die "bad number '$v'" ;; esac
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cgtop-bench-record.XXXXXX") || exit 1
export CGTOP_BENCH_STATE=$TMP/fleet.state
export CGTOP_BENCH_NAME=cgtop-bench-record-$$
PIDS=()	# recorders and atops running in the background
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	# a busy process that wrote its pid after start_busy gave up on it is in no state file
	for p in "$TMP"/work.*; do
		[ -s "$p" ] || continue
		p=$(cat "$p")
		grep -qa 'pidf, files = sys.argv' "/proc/$p/cmdline" 2>/dev/null && kill -TERM "$p"
	done
	[ -f "$CGTOP_BENCH_STATE" ] && bash "$HERE/rmfleet.sh" "$CGTOP_BENCH_STATE" >/dev/null
	tmux -L "cgtop-bench-rp-$$" -f /dev/null kill-server 2>/dev/null # the replay dashboard
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
${CC:-cc} -O2 -o "$TMP/rusage" "$HERE/rusage.c" || die "cannot build bench/rusage.c"
MISSED=0
emit() { echo "bench: $*"; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "n/a" }'; }
verdict() { # $1 value, $2 goal (at most)
	awk -v v="$1" -v g="$2" 'BEGIN { if (v !~ /^[0-9.]+$/) print "n/a"; else print (v + 0 <= g + 0) ? "met" : "MISSED" }'
}
starttime_of() { local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1; s=${s##*) }; set -- $s; echo "${20}"; }

# ---- the busy groups: one python3 per busy leaf of the fleet, in that leaf of every hierarchy.
# It joins the leaves itself (the memory one first, which must work) and then writes its own
# pid, so the pid recorded is the one running whatever setsid or an interpreter's shim do.
BUSY_PY='
import os, sys, time
pidf, files = sys.argv[1], sys.argv[2:]
for k, f in enumerate(files):
    try:
        with open(f, "w") as fh:
            fh.write(str(os.getpid()))
    except OSError:
        if k == 0:
            sys.exit(1)
with open(pidf + ".tmp", "w") as fh:
    fh.write(str(os.getpid()))
os.rename(pidf + ".tmp", pidf)
i = 0
while True:
    t = time.monotonic()
    block = b"x" * (((i % 16) + 1) << 20)  # written: touched, charged to the group
    while time.monotonic() - t < 0.005:
        pass
    del block
    time.sleep(0.095)
    i += 1
'
start_busy() {
	local leaf leaves files mem dir pidf pid st t i n=0
	# the pid files of the last N's (stopped by rmfleet.sh) would be taken for this one's
	rm -f "$TMP"/work.*
	mem=$(awk '$1 == "memory" { print $2 }' "$CGTOP_BENCH_STATE")
	mapfile -t leaves < <(awk '$1 == "busy" { print $4 }' "$CGTOP_BENCH_STATE")
	for ((i = 0; i < ${#leaves[@]}; i++)); do
		leaf=${leaves[i]}
		files=()
		[ -n "$mem" ] && files+=("$mem/$leaf/cgroup.procs")
		while read -r tag dir; do
			[ "$tag" = root ] && [ "$dir" != "$mem" ] && files+=("$dir/$leaf/cgroup.procs")
		done <"$CGTOP_BENCH_STATE"
		setsid python3 -c "$BUSY_PY" "$TMP/work.$i" "${files[@]}" </dev/null >/dev/null 2>>"$TMP/stderr.log" &
	done
	# all started, then their pids: on a loaded host an interpreter may take seconds to start
	for ((i = 0; i < ${#leaves[@]}; i++)); do
		pidf=$TMP/work.$i
		for ((t = 0; t < 1200; t++)); do [ -s "$pidf" ] && break; sleep 0.1; done
		pid=$(cat "$pidf" 2>/dev/null)
		if [ -z "$pid" ] || ! st=$(starttime_of "$pid"); then
			say "warning: busy process $i did not start in ${leaves[i]} within 120 s (see $TMP/stderr.log)"
			continue
		fi
		echo "busy $pid $st ${leaves[i]}" >>"$CGTOP_BENCH_STATE"
		n=$((n + 1))
	done
	say "busy: $n processes allocating, touching and burning CPU in the busy leaves"
}

# ---- the recorder on the fleet alone: ISO is the command prefix that puts it there
ISO=()
isolate() {
	ISO=()
	[ "${BENCH_RECORD_ISOLATE:-1}" = 1 ] || { say "the recorder records the whole tree"; return; }
	cat >"$TMP/iso.sh" <<-'EOF'
		#!/bin/bash
		# iso.sh STATE CMD...: CMD in the fleet's top group of every hierarchy, in new
		# cgroup and mount namespaces with the cgroup filesystems mounted afresh
		st=$1
		shift
		while read -r tag dir; do
			[ "$tag" = root ] && { echo $$ >"$dir/cgroup.procs" || exit 125; }
		done <"$st"
		exec unshare -C -m --propagation private bash -c '
		mounts=$(cat /proc/self/mounts)
		while read -r dev dir fs opts rest; do
			case $fs in
			cgroup) o=$(echo "$opts" | tr , "\n" | grep -Ev "^(rw|ro|relatime|nosuid|nodev|noexec)$" | paste -sd,) ;;
			cgroup2) o= ;;
			*) continue ;;
			esac
			umount "$dir" && mount -t "$fs" ${o:+-o "$o"} "$fs" "$dir" || exit 125
		done <<<"$mounts"
		exec "$@"' iso "$@"
	EOF
	local got
	got=$(bash "$TMP/iso.sh" "$CGTOP_BENCH_STATE" cat /proc/self/cgroup 2>>"$TMP/stderr.log") &&
		! echo "$got" | grep -qv ':/$'
	if [ $? = 0 ]; then
		ISO=(bash "$TMP/iso.sh" "$CGTOP_BENCH_STATE")
		say "the recorder records the fleet alone (its own cgroup namespace)"
	else
		say "cannot put the recorder in its own cgroup namespace (see $TMP/stderr.log): it records the whole tree"
	fi
}

# ---- CPU per sample: median CPU at K2 minus at K1, over K2 - K1, in ms
cpu_of() { # $1 tag, then the command with FILE where the file goes; prints cpu_us
	local tag=$1 f=$TMP/cpu.out a
	shift
	rm -f "$f"*
	local args=()
	for a; do [ "$a" = FILE ] && args+=("$f") || args+=("$a"); done
	env ATOPACCT= "$TMP/rusage" "$TMP/ru" "${args[@]}" >/dev/null 2>>"$TMP/stderr.log"
	[ "$(cut -d' ' -f4 "$TMP/ru")" = 0 ] || say "$tag exited with status $(cut -d' ' -f4 "$TMP/ru")"
	cut -d' ' -f1 "$TMP/ru"
}
per_sample() { # $1 tag; then the command with K where the count goes
	local tag=$1 r k c1 c2 a args
	shift
	: >"$TMP/cpu.$tag"
	for ((r = 0; r < RUNS; r++)); do
		for k in $K1 $K2; do
			args=()
			for a; do [ "$a" = K ] && args+=("$k") || args+=("$a"); done
			echo "$k $(cpu_of "$tag" "${args[@]}")" >>"$TMP/cpu.$tag"
		done
	done
	c1=$(awk -v k=$K1 '$1 == k { print $2 }' "$TMP/cpu.$tag" | median)
	c2=$(awk -v k=$K2 '$1 == k { print $2 }' "$TMP/cpu.$tag" | median)
	awk -v a="$c1" -v b="$c2" -v k=$((K2 - K1)) 'BEGIN { printf "%.1f\n", (b - a) / k / 1e3 }'
}

# in_run TAG CMD... (FILE where the file goes): cgtop's CPU per sample from its own
# /proc/PID/stat while it runs, between its K1-th and K1 + 2S-th stored sample (the
# recording's ticks), median of RUNS runs, in ms.  The difference of two whole runs' CPU
# (per_sample) does not do for the recorder: its first sample reads every file of every
# group and varies by more than ten later samples cost, now that those read a 60th of
# the tree and what moved.
in_run() {
	local tag=$1 f=$TMP/run.db r a pid t n c0 c1 hz
	shift
	hz=$(getconf CLK_TCK)
	local args=()
	for a; do [ "$a" = FILE ] && args+=("$f") || args+=("$a"); done
	: >"$TMP/inrun.$tag"
	for ((r = 0; r < RUNS; r++)); do
		rm -f "$f"*
		"${args[@]}" -n $((K1 + 2 * S + 1)) 2>>"$TMP/stderr.log" &
		pid=$!
		PIDS=("$pid")
		c0='' c1=''
		for ((t = 0; t < 6000; t++)); do
			n=$(sqlite3 -readonly "$f" 'SELECT count(*) FROM ticks' 2>/dev/null) || n=0
			if [ -z "$c0" ] && [ "${n:-0}" -ge "$K1" ]; then
				c0=$(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null)
			elif [ -n "$c0" ] && [ "${n:-0}" -ge $((K1 + 2 * S)) ]; then
				c1=$(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null)
				break
			fi
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.05
		done
		wait "$pid" 2>/dev/null
		PIDS=()
		[ -n "$c0" ] && [ -n "$c1" ] || { say "$tag: no CPU figure from run $r"; continue; }
		awk -v a="$c0" -v b="$c1" -v hz="$hz" -v k=$((2 * S)) 'BEGIN { print (b - a) * 1000 / hz / k }' \
			>>"$TMP/inrun.$tag"
	done
	median <"$TMP/inrun.$tag" | awk '{ if ($1 ~ /^[0-9.]+$/) printf "%.1f\n", $1; else print "n/a" }'
}

# ---- bytes per day at -d 5, both side by side
db_used() { # bytes of the pages in use and the last sample time, as a reader sees them
	sqlite3 -readonly "$1" 'SELECT (SELECT page_count FROM pragma_page_count()) -
		(SELECT freelist_count FROM pragma_freelist_count()),
		(SELECT page_size FROM pragma_page_size()), (SELECT count(*) FROM ticks),
		(SELECT printf("%.3f", max(time)) FROM ticks);' 2>/dev/null |
		awk -F'|' 'NF == 4 { print $1 * $2, $3, $4 }'
}
bytes_per_day() { # sets CG_DAY ATOP_DAY (MB) ROWS (rows per steady sample) NGROUPS
	local db=$TMP/day.db araw=$TMP/day.atop n=$((2 + SECS / 5)) cg at=0 t tt u u1 c1 c2 alive n1 t1 u2 t2 a1 a2
	rm -f "$db"* "$araw"
	"${ISO[@]}" "$CGTOP" --record "$db" -d 5 -n "$n" 2>>"$TMP/stderr.log" &
	cg=$!
	PIDS=("$cg")
	if [ -n "$ATOP" ]; then
		ATOPACCT= "$ATOP" -w "$araw" 5 >/dev/null 2>>"$TMP/stderr.log" &
		at=$!
		PIDS+=("$at")
	fi
	u1=
	for ((t = 0; t < 10 * (SECS + 120); t++)); do
		alive=1
		kill -0 "$cg" 2>/dev/null || alive=0 # read once more after it ended
		read -r u n1 tt <<<"$(db_used "$db")"
		if [ -z "$u1" ] && [ "${n1:-0}" -ge 2 ]; then
			u1=$u t1=$tt c1=$n1 a1=$(stat -c %s "$araw" 2>/dev/null || echo 0)
		fi
		if [ -n "$u1" ] && [ "${n1:-0}" -ge "$n" ]; then
			u2=$u t2=$tt c2=$n1 a2=$(stat -c %s "$araw" 2>/dev/null || echo 0)
			break
		fi
		[ "$alive" = 1 ] || break
		sleep 0.1
	done
	[ "$at" != 0 ] && kill -TERM "$at" 2>/dev/null && wait "$at" 2>/dev/null
	wait "$cg" 2>/dev/null
	PIDS=()
	if [ -z "$u1" ] || [ -z "${u2:-}" ]; then
		say "the recorder did not store $n samples at -d 5 (see $TMP/stderr.log)"
		CG_DAY=n/a ATOP_DAY=n/a ROWS=n/a STAT_ROWS=n/a NGROUPS=n/a
		return
	fi
	# per sample stored, times the 17280 samples of a day at -d 5 (a recorder that cannot keep
	# up, a sample taking more than 5 s, stores fewer: its bytes per hour would flatter it)
	CG_DAY=$(awk -v a="$u1" -v b="$u2" -v k=$((c2 - c1)) 'BEGIN { printf "%.1f", (b - a) / k * 17280 / 1e6 }')
	CG_WALL=$(awk -v s="$t1" -v e="$t2" 'BEGIN { printf "%.0f", e - s }')
	ATOP_DAY=n/a
	[ "$at" != 0 ] && ATOP_DAY=$(awk -v a="$a1" -v b="$a2" -v s="$t1" -v e="$t2" 'BEGIN { printf "%.1f", (b - a) / (e - s) * 86400 / 1e6 }')
	NGROUPS=$(sqlite3 -readonly "$db" 'SELECT count(*) FROM groups')
	# after the c1-th tick, found by its position (t1 is rounded: time > t1 took in the c1-th's rows)
	local after="(SELECT time FROM ticks ORDER BY time LIMIT 1 OFFSET $((c1 - 1)))"
	ROWS=$(sqlite3 -readonly "$db" "SELECT printf('%.1f', (SELECT count(*) FROM samples WHERE time > $after) * 1.0 /
		(SELECT count(*) FROM ticks WHERE time > $after))")
	# memory.stat's own rows (schema 2; n/a in a recording of schema 1)
	STAT_ROWS=$(sqlite3 -readonly "$db" "SELECT printf('%.1f', (SELECT count(*) FROM memory_stat WHERE time > $after) * 1.0 /
		(SELECT count(*) FROM ticks WHERE time > $after))" 2>/dev/null)
	STAT_ROWS=${STAT_ROWS:-n/a}
	FILE_MB=$(awk -v b="$(stat -c %s "$db")" 'BEGIN { printf "%.1f", b / 1e6 }')
	say "-d 5: cgtop's samples $((c1 + 1)) to $c2 took $CG_WALL s (at -d 5: $((5 * (c2 - c1))) s): cgtop $u1 -> $u2" \
		"bytes in use (file at exit $FILE_MB MB), atop $a1 -> $a2 bytes in the same time"
}

# bytes per day from the long run at -d 0.5 with the periods scaled by 10 (above):
# sets DAY_MB, DAY_ROWS (rows per sample), DAY_WALL (s the L samples took)
bytes_long() {
	local db=$TMP/long.db n=$((WARM + LONG)) cg t u n1 tt u1='' c1 t1 u2='' c2 t2
	rm -f "$db"*
	CGTOP_TEST_MEMORY_STAT_EVERY=6 "${ISO[@]}" "$CGTOP" --record "$db" -d 0.5 -n $((n + 1)) 2>>"$TMP/stderr.log" &
	cg=$!
	PIDS=("$cg")
	for ((t = 0; t < 20 * (n + 600); t++)); do
		read -r u n1 tt <<<"$(db_used "$db")"
		if [ -z "$u1" ] && [ "${n1:-0}" -ge "$WARM" ]; then
			u1=$u c1=$n1 t1=$tt
		elif [ -n "$u1" ] && [ "${n1:-0}" -ge "$n" ]; then
			u2=$u c2=$n1 t2=$tt
			break
		fi
		kill -0 "$cg" 2>/dev/null || break
		sleep 0.05
	done
	kill -TERM "$cg" 2>/dev/null
	wait "$cg" 2>/dev/null
	PIDS=()
	DAY_MB=n/a DAY_ROWS=n/a DAY_WALL=n/a
	[ -n "$u1" ] && [ -n "$u2" ] && [ "$c2" -gt "$c1" ] || {
		say "the long run did not store $n samples at -d 0.5 (see $TMP/stderr.log)"
		return
	}
	DAY_MB=$(awk -v a="$u1" -v b="$u2" -v k=$((c2 - c1)) 'BEGIN { printf "%.1f", (b - a) / k * 17280 / 1e6 }')
	DAY_WALL=$(awk -v s="$t1" -v e="$t2" 'BEGIN { printf "%.0f", e - s }')
	local after="(SELECT time FROM ticks ORDER BY time LIMIT 1 OFFSET $((c1 - 1)))"
	DAY_ROWS=$(sqlite3 -readonly "$db" "SELECT printf('%.1f', (SELECT count(*) FROM samples WHERE time > $after) * 1.0 /
		(SELECT count(*) FROM ticks WHERE time > $after))")
	say "long run at -d 0.5: samples $((c1 + 1)) to $c2 took $DAY_WALL s: $u1 -> $u2 bytes in use," \
		"$(awk -v a="$u1" -v b="$u2" -v k=$((c2 - c1)) 'BEGIN { printf "%.0f", (b - a) / k }') a sample"
	rm -f "$db"*
}

bench_n() {
	local N=$1 cg_ms at_ms cg_pct at_pct v1 v2 cpu_groups us_group
	echo
	echo "=== N=$N: the recorder against atop -w ==="
	bash "$HERE/mkfleet.sh" "$N" 3 8 >"$TMP/mkfleet.log" 2>&1 || { cat "$TMP/mkfleet.log" >&2; die "mkfleet.sh failed"; }
	grep -E 'fleet:' "$TMP/mkfleet.log"
	start_busy
	isolate
	cg_ms=$(CGTOP_TEST_MEMORY_STAT_EVERY=6 in_run cgtop "${ISO[@]}" "$CGTOP" --record FILE -d 0.5)
	# the groups of the tree then (other tenants' come and go on a shared host): the last run's
	cpu_groups=$(sqlite3 -readonly "$TMP/run.db" 'SELECT count(*) FROM groups' 2>/dev/null || echo n/a)
	us_group=$(awk -v c="$cg_ms" -v n="$cpu_groups" 'BEGIN { if (n > 0) printf "%.0f", c * 1000 / n; else print "n/a" }')
	at_ms=n/a
	[ -n "$ATOP" ] && at_ms=$(per_sample atop "$ATOP" -w FILE 1 K)
	cg_pct=$(awk -v c="$cg_ms" 'BEGIN { printf "%.2f", c / 5000 * 100 }')
	at_pct=$(awk -v c="$at_ms" 'BEGIN { if (c ~ /^[0-9.]+$/) printf "%.2f", c / 5000 * 100; else print "n/a" }')
	bytes_long
	bytes_per_day
	v1=$(verdict "$cg_pct" $GOAL_PCT) v2=$(verdict "$DAY_MB" $GOAL_MB_DAY)
	if [ "$N" -eq $GOAL_N ]; then
		[ "$v1" = MISSED ] && MISSED=1
		[ "$v2" = MISSED ] && MISSED=1
	else
		v1="$v1 (goal is for N=$GOAL_N)" v2="$v2 (goal is for N=$GOAL_N)"
	fi
	printf '%-46s %12s %12s   %-8s %s\n' "N=$N ($NGROUPS groups recorded)" cgtop atop goal status
	printf '%-46s %12s %12s\n' "CPU ms per sample (median of $RUNS)" "$cg_ms" "$at_ms"
	printf '%-46s\n' "  cgtop: its samples $K1 to $((K1 + 2 * S)); atop: K $K1 -> $K2"
	printf '%-46s %12s\n' "  groups in the tree then, us per group" "$cpu_groups, $us_group"
	printf '%-46s %12s %12s   %-8s %s\n' "% of one core at -d 5" "$cg_pct" "$at_pct" "<= $GOAL_PCT" "$v1"
	printf '%-46s %12s %12s   %-8s %s\n' "MB per day at -d 5 (8 busy groups)" "$DAY_MB" "$ATOP_DAY" "<= $GOAL_MB_DAY" "$v2"
	printf '%-46s\n' "  cgtop: samples $((WARM + 1)) to $((WARM + LONG)) at -d 0.5, periods / 10; atop: ${SECS} s at 5"
	printf '%-46s %12s\n' "  cgtop's first ${SECS} s at -d 5 (overstates)" "$CG_DAY"
	printf '%-46s %12s\n' "rows stored per sample (of $NGROUPS)" "$DAY_ROWS"
	printf '%-46s %12s\n' "  in the first ${SECS} s at -d 5" "$ROWS"
	printf '%-46s %12s\n' "  and memory_stat rows per sample" "$STAT_ROWS"
	emit "record n=$N groups=$NGROUPS tool=cgtop cpu_ms_per_sample=$cg_ms cpu_groups=$cpu_groups us_per_group=$us_group core_pct_at_d5=$cg_pct" \
		"mb_per_day=$DAY_MB mb_per_day_first_minutes=$CG_DAY rows_per_sample=$DAY_ROWS memory_stat_rows_per_sample=$STAT_ROWS goal_pct=$GOAL_PCT goal_mb_day=$GOAL_MB_DAY"
	emit "record n=$N groups=$NGROUPS tool=atop cpu_ms_per_sample=$at_ms core_pct_at_d5=$at_pct mb_per_day=$ATOP_DAY"
	bash "$HERE/rmfleet.sh" "$CGTOP_BENCH_STATE" >/dev/null || die "rmfleet.sh failed"
}

# ---- a synthetic recording of one day at -d 5, ending now: the real schema from a
# recorder's run on this host's tree (cgtop --record -n 2), 5000 groups (/cgtop-bench-gen/gI)
# first seen a day ago, every group's row and memory.stat at the first sample, then at each
# of the 17280 sample times the rows of GEN_ROWS groups (the same 8 busy ones each time, the
# others in turn), each a copy of the largest row of the small run with its time, group and
# memory changed, and the memory.stat of a 12th of them (the recorder reads it every 12
# samples of -d 5), a copy of the largest one.  GEN_ROWS is chosen so the file is about
# GEN_MB.
# row_len FILE: an SQL expression of a samples row's bytes: its values, plus 40 for the
# record and index headers (numbers count as their digits, where the file holds them in 1
# to 8 bytes: a first guess, and the order of rows by size)
row_len() {
	echo "40 + $(sqlite3 "$1" "SELECT group_concat('coalesce(length(CAST(' || name || ' AS BLOB)), 8)', ' + ')
		FROM pragma_table_info('samples')")"
}
gen_recording() { # $1 file
	local f=$1 tpl=$TMP/tpl.db now ticks=17280 groups=5000 every=12 rowb statb rows s1 s2 per fixed
	"$CGTOP" --record "$tpl" -d 0.5 -n 2 2>>"$TMP/stderr.log" || die "cannot record the template"
	rowb=$(sqlite3 "$tpl" "SELECT max($(row_len "$tpl")) FROM samples")
	statb=$(sqlite3 "$tpl" "SELECT 40 + coalesce(max(length(json)), 0) FROM memory_stat")
	rows=$((GEN_MB * 1000000 / (rowb + statb / every) / ticks))
	[ "$rows" -gt 8 ] || rows=8
	[ "$rows" -lt "$groups" ] || rows=$((groups - 1))
	# measured: two short recordings of ticks / 40 and / 20 samples give the bytes of a
	# sample of that many rows and those of the rest (the groups, the first sample)
	gen_body "$f.t1" $((ticks / 40)) "$rows"
	gen_body "$f.t2" $((ticks / 20)) "$rows"
	s1=$(stat -c %s "$f.t1") s2=$(stat -c %s "$f.t2")
	rm -f "$f.t1"* "$f.t2"*
	per=$(((s2 - s1) / (ticks / 40)))
	fixed=$((s1 - per * (ticks / 40)))
	local rows0=$rows
	[ "$per" -gt 0 ] && rows=$(((GEN_MB * 1000000 - fixed) / ticks * rows / per))
	[ "$rows" -gt 8 ] || rows=8
	[ "$rows" -lt "$groups" ] || rows=$((groups - 1))
	now=$(date +%s)
	say "generating a recording: $groups groups, $ticks samples from $(date -d "@$((now - ticks * 5))" '+%F %T')," \
		"$rows rows each (a trial: $per bytes a sample of $rows0 rows), memory.stat of a $every""th of them (~$statb bytes)"
	gen_body "$f" "$ticks" "$rows"
}
# gen_body FILE TICKS ROWS: the recording of TICKS samples at -d 5 ending now, ROWS rows a
# sample (from the template $TMP/tpl.db; see gen_recording)
gen_body() {
	local f=$1 ticks=$2 rows=$3 groups=5000 every=12 now t0 cols len
	cp "$TMP/tpl.db" "$f" || die "cannot copy the template"
	cols=$(sqlite3 "$f" "SELECT group_concat(name, ', ') FROM pragma_table_info('samples')
		WHERE name NOT IN ('time', 'group_id', 'memory_current_bytes')")
	len=$(row_len "$f")
	now=$(date +%s)
	t0=$((now - ticks * 5))
	sqlite3 "$f" >/dev/null <<-EOF || die "cannot generate the recording"
		PRAGMA journal_mode = OFF;
		PRAGMA synchronous = OFF;
		PRAGMA cache_size = -262144;
		DELETE FROM samples WHERE rowid NOT IN (SELECT rowid FROM samples ORDER BY $len DESC LIMIT 1);
		DELETE FROM memory_stat WHERE rowid NOT IN (SELECT rowid FROM memory_stat WHERE json IS NOT NULL
			ORDER BY length(json) DESC LIMIT 1);
		DELETE FROM groups; DELETE FROM ticks; DELETE FROM events;
		UPDATE meta SET value = '/' WHERE key = 'path';
		CREATE TEMP TABLE tpl AS SELECT * FROM samples;
		CREATE TEMP TABLE tpls AS SELECT json FROM memory_stat;
		DELETE FROM samples;
		DELETE FROM memory_stat;
		DROP INDEX samples_group_time;
		DROP INDEX memory_stat_group_time;
		WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < $groups)
		INSERT INTO groups(id, path, first_seen, last_seen, controllers, from_proc)
			SELECT i, '/cgtop-bench-gen/g' || i, $t0, NULL, '["memory","pids","cpu"]', 0 FROM g;
		WITH RECURSIVE t(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM t WHERE k < $ticks - 1)
		INSERT INTO ticks(time) SELECT $t0 + k * 5 FROM t;
		INSERT INTO samples(time, group_id, memory_current_bytes, $cols)
			SELECT $t0, g.id, 1048576 * g.id, $cols FROM groups g, tpl;
		INSERT INTO memory_stat(time, group_id, json) SELECT $t0, g.id, json FROM groups g, tpls;
		WITH RECURSIVE t(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM t WHERE k < $ticks - 1),
		     j(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM j WHERE i < $rows - 1)
		INSERT INTO samples(time, group_id, memory_current_bytes, $cols)
			SELECT $t0 + k * 5,
			       CASE WHEN i < 8 THEN 1 + i * ($groups / 8) ELSE 1 + (k * $rows + i) % $groups END,
			       4096 * ((k * 7919 + i * 104729) % 262144), $cols
			FROM t, j, tpl;
		WITH RECURSIVE t(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM t WHERE k < $ticks - 1),
		     j(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM j WHERE i < $rows - 1)
		INSERT INTO memory_stat(time, group_id, json)
			SELECT $t0 + k * 5,
			       CASE WHEN i < 8 THEN 1 + i * ($groups / 8) ELSE 1 + (k * $rows + i) % $groups END,
			       json
			FROM t, j, tpls WHERE (k + i) % $every = 0;
		CREATE INDEX samples_group_time ON samples(group_id, time);
		CREATE INDEX memory_stat_group_time ON memory_stat(group_id, time);
		UPDATE groups SET last_seen = (SELECT max(time) FROM ticks);
		PRAGMA journal_mode = WAL;
	EOF
}
# replay_screen FILE EPOCH: the dashboard on the recording in a private tmux at 120x40.
# The first screen: `cgtop --replay F --at @T -n 1` (it draws and exits), wall and CPU from
# rusage, median of 3.  Stepping: the dashboard at T; STEPS times ] (forward a sample), the
# next key sent once tmux's screen shows the next sample; each step timed by cgtop's own
# system calls, from its read of the key to the last write of the redraw that follows (a
# burst of writes under 5 ms apart), traced with `strace --seccomp-bpf -e trace=read,write`,
# which stops it at those calls only; also the time tmux took to show it (capture-pane in a
# loop: the harness's latency on top) and the CPU cgtop spent over all steps
# (/proc/PID/stat) per step.  Sets SCREEN_MS SCREEN_CPU_MS STEP_MS STEP_MAX_MS STEP_CPU_MS
# STEP_TMUX_MS ("n/a" without tmux; STEP_MS n/a without strace).
replay_screen() {
	local f=$1 mid=$2 sock=cgtop-bench-rp-$$ o=$TMP/rs r t k n pid c0 c1 t0 t1
	local tm=(tmux -L "$sock" -f /dev/null)
	SCREEN_MS=n/a SCREEN_CPU_MS=n/a STEP_MS=n/a STEP_MAX_MS=n/a STEP_CPU_MS=n/a STEP_TMUX_MS=n/a
	local trace=''
	command -v strace >/dev/null && trace="strace --seccomp-bpf -qq -ttt -e trace=read,write -o $o.st"
	command -v tmux >/dev/null || { say "tmux not installed: the replay dashboard is n/a"; return 0; }
	: >"$o.w"
	: >"$o.c"
	for ((r = 0; r < 3; r++)); do
		rm -f "$o.ru" "$o.done"
		"${tm[@]}" kill-server 2>/dev/null
		"${tm[@]}" new-session -d -x 120 -y 40 -s rp "env TERM=xterm-256color LANG=C.UTF-8 \
$TMP/rusage $o.ru $(printf '%q' "$CGTOP") --replay $(printf '%q' "$f") --at @$mid -n 1 \
2>>$TMP/stderr.log; touch $o.done; exec sleep 60" || return 0
		for ((t = 0; t < 600; t++)); do
			[ -e "$o.done" ] && break
			sleep 0.1
		done
		"${tm[@]}" kill-server 2>/dev/null
		[ -s "$o.ru" ] || continue
		cut -d' ' -f3 "$o.ru" >>"$o.w"
		cut -d' ' -f1 "$o.ru" >>"$o.c"
	done
	SCREEN_MS=$(median <"$o.w" | awk '{ printf "%.0f", $1 / 1e3 }')
	SCREEN_CPU_MS=$(median <"$o.c" | awk '{ printf "%.0f", $1 / 1e3 }')
	rm -f "$o.pid" "$o.st"
	"${tm[@]}" new-session -d -x 120 -y 40 -s rp "echo \$\$ >$o.pid; exec env TERM=xterm-256color \
LANG=C.UTF-8 $trace $(printf '%q' "$CGTOP") --replay $(printf '%q' "$f") --at @$mid 2>>$TMP/stderr.log" ||
		return 0
	# the sample number on the screen, or nothing before the first screen
	scr() { "${tm[@]}" capture-pane -p -t rp 2>/dev/null | sed -n 's/.* sample \([0-9]*\) of .*/\1/p' | head -1; }
	for ((t = 0; t < 600; t++)); do
		k=$(scr)
		[ -n "$k" ] && [ -s "$o.pid" ] && break
		sleep 0.1
	done
	if [ -z "$k" ]; then
		say "the replay dashboard showed no sample line (see $TMP/stderr.log)"
		"${tm[@]}" kill-server 2>/dev/null
		return 0
	fi
	pid=$(cat "$o.pid")
	# under strace, cgtop is its child
	[ -n "$trace" ] && pid=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null | awk '{ print $1 }')
	cpu_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
	sleep 1	# let the first screen's work settle
	c0=$(cpu_ticks "$pid")
	: >"$o.s"
	for ((n = 0; n < STEPS; n++)); do
		t0=$(date +%s%N)
		"${tm[@]}" send-keys -t rp ']'
		while :; do
			t=$(scr)
			[ "$t" = $((k + 1)) ] && break
			[ $(($(date +%s%N) - t0)) -lt 10000000000 ] || { say "a step took over 10 s"; break; }
		done
		t1=$(date +%s%N)
		k=$t
		echo $(((t1 - t0) / 1000)) >>"$o.s"
	done
	c1=$(cpu_ticks "$pid")
	"${tm[@]}" kill-server 2>/dev/null
	kill -TERM "$pid" 2>/dev/null # (under strace, the pane's hangup reaches the tracer)
	STEP_TMUX_MS=$(median <"$o.s" | awk '{ printf "%.1f", $1 / 1e3 }')
	if [ -s "$o.st" ]; then
		# per key read: from it to the end of the first burst of writes after it, in us
		awk 'function out() { if (last) printf "%.0f\n", (last - k) * 1e6; k = 0; last = 0 }
			/ read\(0, "\]"/ { out(); k = $1 + 0; next }
			/ write\(1, / && k { if (!last || $1 - last < 0.005) last = $1 + 0; else out() }
			END { out() }' "$o.st" >"$o.l"
		STEP_MS=$(median <"$o.l" | awk '{ printf "%.1f", $1 / 1e3 }')
		STEP_MAX_MS=$(sort -g "$o.l" | tail -1 | awk '{ printf "%.1f", $1 / 1e3 }')
		[ "$(grep -c . "$o.l")" = "$STEPS" ] || say "strace saw $(grep -c . "$o.l") of the $STEPS steps"
	fi
	STEP_CPU_MS=$(awk -v a="$c0" -v b="$c1" -v hz="$(getconf CLK_TCK)" -v n="$STEPS" \
		'BEGIN { printf "%.1f", (b - a) * 1000 / hz / n }')
}
replay_open() {
	local f=$TMP/big.db t0 t1 mid sz w ms_text ms_json out r
	gen_recording "$f"
	sz=$(awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.0f", b / 1e6 }')
	mid=$(sqlite3 -readonly "$f" 'SELECT time FROM ticks ORDER BY time LIMIT 1 OFFSET (SELECT count(*) / 2 FROM ticks)')
	mid=${mid%.*}
	say "recording: $sz MB, $(sqlite3 -readonly "$f" 'SELECT count(*) FROM samples') rows; replay at @$mid"
	for fmt in text json; do
		: >"$TMP/w"
		for ((r = 0; r < 3; r++)); do
			"$TMP/rusage" "$TMP/ru" "$CGTOP" -b --replay "$f" --from "@$mid" --to "@$mid" \
				--format "$fmt" >"$TMP/replay.$fmt" 2>>"$TMP/stderr.log"
			w=$(cut -d' ' -f3 "$TMP/ru")
			echo "$w" >>"$TMP/w"
		done
		out=$(grep -c 'cgtop-bench-gen/g' "$TMP/replay.$fmt")
		[ "$fmt" = json ] && out=$(grep -o '"path":"/cgtop-bench-gen/g' "$TMP/replay.$fmt" | wc -l)
		[ "$out" -ge 5000 ] || say "replay --format $fmt printed $out of the 5000 groups (see $TMP/stderr.log)"
		w=$(median <"$TMP/w" | awk '{ printf "%.0f", $1 / 1e3 }')
		[ "$fmt" = text ] && ms_text=$w || ms_json=$w
	done
	replay_screen "$f" "$mid"
	local v vs vst
	v=$(verdict "$ms_text" $GOAL_REPLAY_MS)
	vs=$(verdict "$SCREEN_MS" $GOAL_REPLAY_MS)
	vst=$(verdict "$STEP_MS" $GOAL_STEP_MS)
	local x
	for x in "$v" "$vs" "$vst"; do [ "$x" = MISSED ] && MISSED=1; done
	echo
	printf '%-46s %12s   %-8s %s\n' "replay of a day, $sz MB, at its middle" "wall ms" goal status
	printf '%-46s %12s   %-8s %s\n' "-b --replay --from T --to T (text)" "$ms_text" "< $GOAL_REPLAY_MS" "$v"
	printf '%-46s %12s\n' "the same, --format json" "$ms_json"
	printf '%-46s %12s   %-8s %s\n' "dashboard --replay --at T, first screen" "$SCREEN_MS" "< $GOAL_REPLAY_MS" "$vs"
	printf '%-46s %12s\n' "  its CPU ms" "$SCREEN_CPU_MS"
	printf '%-46s %12s   %-8s %s\n' "a step (]), key read to redraw written, median" "$STEP_MS" "< $GOAL_STEP_MS" "$vst"
	printf '%-46s %12s\n' "  slowest of $STEPS steps" "$STEP_MAX_MS"
	printf '%-46s %12s\n' "  CPU ms per step" "$STEP_CPU_MS"
	printf '%-46s %12s\n' "  key sent to the step seen by tmux, median" "$STEP_TMUX_MS"
	emit "record replay_mb=$sz replay_text_ms=$ms_text replay_json_ms=$ms_json goal_ms=$GOAL_REPLAY_MS" \
		"screen_ms=$SCREEN_MS screen_cpu_ms=$SCREEN_CPU_MS step_ms=$STEP_MS step_max_ms=$STEP_MAX_MS" \
		"step_cpu_ms=$STEP_CPU_MS step_tmux_ms=$STEP_TMUX_MS step_goal_ms=$GOAL_STEP_MS"
	rm -f "$f"*
}

for N in $NS; do
	[ "$N" = 0 ] && continue	# BENCH_RECORD_N=0: only the large recording
	bench_n "$N"
done
[ "$GEN_MB" -gt 0 ] && replay_open
if [ "$MISSED" = 1 ] && [ "${BENCH_STRICT:-0}" = 1 ]; then
	exit 3
fi
exit 0
