#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# watches.sh - cgtop's inotify watches follow the groups, none left behind and
# none twice.  The watches a running `cgtop -b -d 0.3 --columns
# tasks,memory,oom,rejected PATH` holds (the "inotify wd:" lines of its
# inotify fd's /proc fdinfo: the kernel's own count; on cgroup v2 the OOM and
# rejection counters' files, memory.events and pids.events and their .local,
# have a watch each) are counted while groups below PATH come and go.  Four
# groups made in every hierarchy add the same number of watches each, at
# least one a hierarchy (their directories'); a group made in one hierarchy
# and then in the others ends with as many as those; removing the groups
# gives the count back to what it was before them; making them again gives
# each its watches, once; a group removed from one hierarchy alone loses its
# watch there, and gets it back when made there again; removing and making
# them again between two samples (new directories, same names) gives each its
# watches, once.  A group's watches are known to the tree's table alone, and
# those given up are removed in one pass after the changes of a sample
# (cg-tree.c, wd_purge): this proves the pass removes what it must, from the
# kernel too.  Needs root and jq (else skips, 77).
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
cg_create "$CG_TEST" all memory pids || bail_out "cannot create $CG_TEST"
cg_describe

# the OOM kills' and rejected forks' counters: on cgroup v2 their files
# (memory.events, pids.events and their .local) are notified, each with a
# watch of its own
COLS=tasks,memory,oom,rejected
OUT=$CG_TMP/out.json
ERR=$CG_TMP/err

# the inotify fd of cgtop (set up at its second sample)
INO_FD=
find_inotify() {
	local f
	for f in /proc/"$PID"/fd/*; do
		[ "$(readlink "$f" 2>/dev/null)" = "anon_inode:inotify" ] && { INO_FD=${f##*/}; return 0; }
	done
	return 1
}
# watches: how many watches cgtop's inotify fd holds
watches() {
	grep -c '^inotify wd:' "/proc/$PID/fdinfo/$INO_FD" 2>/dev/null
}
# samples: the samples written so far
samples() {
	wc -l <"$OUT"
}
# settle: waits for three more samples (a group seen, its files read and
# watched, the watches given up purged), then prints the count
settle() {
	local n t
	n=$(samples)
	for ((t = 0; t < 300; t++)); do
		[ "$(samples)" -ge $((n + 3)) ] && break
		nap 0.1
	done
	watches
}
# listed WANT PATH...: waits (up to 30 s) until the last complete sample
# lists every PATH (WANT true) or none of them (WANT false)
listed() {
	local want=$1 t
	shift
	for ((t = 0; t < 300; t++)); do
		json_complete "$OUT" | tail -n 1 | jq -e --arg want "$want" --args '
			[$ARGS.positional[] as $p | any(.cgroups[]; .path == $p)] |
			if $want == "true" then all else any | not end' "$@" >/dev/null 2>&1 && return 0
		nap 0.1
	done
	return 1
}
seen() { listed true "$@"; }
gone() { listed false "$@"; }
# start DELAY: starts cgtop -d DELAY on the test's group (PID) and waits for
# its inotify fd, set up at its second sample
start() {
	local t
	cg_bg "$CGTOP" -b -d "$1" --format json --columns "$COLS" "$CG_TEST" >"$OUT" 2>"$ERR"
	PID=$CG_LAST_PID
	INO_FD=
	for ((t = 0; t < 300; t++)); do
		[ "$(samples)" -ge 2 ] && find_inotify && break
		nap 0.1
	done
	[ -n "$INO_FD" ] || bail_out "cgtop -d $1 has no inotify fd after its second sample: $(head -c 300 "$ERR")"
}

start 0.3
BASE=$(settle)
ok "watches of the test's group alone: $BASE" is_uint "$BASE"

K=4
W=()
for ((i = 0; i < K; i++)); do
	W+=("$CG_TEST/w$i")
	cg_create "$CG_TEST/w$i" all memory pids || bail_out "cannot create $CG_TEST/w$i"
done
seen "${W[@]}" || bail_out "the groups were not in a sample within 30 s"
C1=$(settle)
PER=$(((C1 - BASE) / K))
ok "$K groups in all $CG_NH hierarchies add $((C1 - BASE)) watches: $PER each, one a directory at least" \
	test $((C1 - BASE)) -eq $((PER * K)) -a "$PER" -ge "$CG_NH"

# one group made in one hierarchy, then in the others
S=$CG_TEST/s
D0=$(cg_dir 0 "$S")
mkdir "$D0" && CG_CREATED+=("$D0")
seen "$S" || bail_out "the group made in ${CG_MNT[0]} was not in a sample within 30 s"
settle >/dev/null
cg_create "$S" all memory pids || bail_out "cannot create $S in the other hierarchies"
C2=$(settle)
is "$C2" $((C1 + PER)) "a group made in one hierarchy, then in all: as many watches as the others ($PER)"

for p in "${W[@]}" "$S"; do
	cg_rmdir "$p" || bail_out "cannot remove $p"
done
gone "${W[@]}" "$S" || bail_out "the removed groups were still in the samples after 30 s"
is "$(settle)" "$BASE" "the groups removed: their watches are gone (back to $BASE)"

for p in "${W[@]}" "$S"; do
	cg_create "$p" all memory pids || bail_out "cannot create $p again"
done
seen "${W[@]}" "$S" || bail_out "the groups made again were not in a sample within 30 s"
is "$(settle)" $((C1 + PER)) "the groups made again: their watches, once"

# removed from one hierarchy and made again there: the group stays, in the others
if [ "$CG_NH" -ge 2 ]; then
	H=$((CG_NH - 1))
	DH=$(cg_dir "$H" "${W[0]}")
	rmdir "$DH" || bail_out "cannot remove $DH"
	is "$(settle)" $((C1 + PER - 1)) "a group removed from ${CG_MNT[H]} alone: its watch there is gone"
	mkdir "$DH" || bail_out "cannot make $DH again"
	is "$(settle)" $((C1 + PER)) "... and made there again: watched there again"
else
	skip "a group removed from one hierarchy alone: its watch there is gone" "one hierarchy"
	skip "... and made there again: watched there again" "one hierarchy"
fi

# removed and made again between two samples: new directories, same names
cg_kill "$PID"
start 2
n=$(samples)
for ((t = 0; t < 300; t++)); do
	[ "$(samples)" -gt "$n" ] && break
	nap 0.05
done
C3=$(watches) # all set at the second sample but the files' of the third
for p in "${W[@]}" "$S"; do
	cg_recreate "$p" || bail_out "cannot remove and make $p again"
done
settle >/dev/null
C4=$(settle)
is "$C4" $((C1 + PER)) "the groups removed and made again within an interval: their watches, once (was $C3)"

ok "cgtop still runs" kill -0 "$PID"
cg_kill "$PID"
is "$(grep -c . "$ERR")" 0 "cgtop wrote no error"
done_testing
