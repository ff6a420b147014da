#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# record-crash.sh - the flight recorder's file survives what happens to
# headless programs, checked with the real sqlite3 client:
#  1. SIGKILL ten times at random moments (0 to 0.3 s after a sample was
#     stored): each time PRAGMA integrity_check is ok and every sample stored
#     before the kill is there (only the one in flight may be lost), and a
#     clean run afterwards closes the groups the killed runs left open;
#  2. a full disk (a 600K tmpfs in a private mount namespace made by unshare
#     -m, filled while recording; and a new file on a full one): exit 1 and
#     one line naming the file and saying the disk is full, the file still
#     sound and the samples before the failure kept; the new file is not
#     left behind;
#  3. a recording on a read-only mount (a read-only bind mount, where root
#     cannot write either): exit 1, one line naming it, the file unchanged.
# Needs root (else skips, 77), sqlite3 and unshare.

set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"

top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed"
command -v unshare >/dev/null || skip_all "unshare is not installed"
cg_init
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
cg_describe

T=$CG_TEST
ERR=$CG_TMP/err
q() { sqlite3 -batch -noheader "$@" 2>&1; }

cg_create "$T/a" memory || bail_out "cannot create $T/a"
cg_spawn "$T/a" /bin/sh -c 'while :; do sleep 0.02; done'
cg_create "$T/b" memory || bail_out "cannot create $T/b"

# ---- 1. SIGKILL at random moments ----
DB=$CG_TMP/kill.db
have=0
bad=""
for i in $(seq 1 10); do
	"$CGTOP" --record "$DB" -d 0.05 "$T" 2>"$ERR" </dev/null &
	REC=$!
	CG_PIDS+=("$REC")
	wait_ticks "$DB" $((have + 1)) || bad="$bad run $i stored nothing within 60 s;"
	# what a reader saw committed just before the kill
	seen=$(q "$DB" "select count(*) from ticks")
	nap "0.$((RANDOM % 4))$((RANDOM % 10))"
	cg_kill "$REC"
	ic=$(q "$DB" "PRAGMA integrity_check")
	have=$(q "$DB" "select count(*) from ticks")
	[ "$ic" = ok ] || bad="$bad kill $i: integrity_check says $ic;"
	[ "$have" -ge "$seen" ] 2>/dev/null || bad="$bad kill $i: $seen samples seen before it, $have after;"
	[ -s "$ERR" ] && bad="$bad run $i said: $(head -c 200 "$ERR");"
done
is "$bad" "" "ten SIGKILLs at random moments: integrity_check ok and every committed sample kept each time"
diag "$have samples after ten kills"
timeout 60 "$CGTOP" --record "$DB" -d 0.05 -n 2 "$T" 2>"$ERR" </dev/null
is "$? $(head -c 300 "$ERR")" "0 " "a clean run on the killed file exits 0"
is "$(q "$DB" "select count(*) from ticks")" $((have + 2)) "it appended its two samples"
is "$(q "$DB" "select count(*) from groups where last_seen is null")" 0 "the groups the killed runs left open are closed"
is "$(q "$DB" "select count(*) from groups g where not exists (select 1 from samples where group_id = g.id)")" 0 \
	"every group has its rows"

# ---- 2. a full disk, in a mount namespace of this test ----
MNT=$CG_TMP/small
mkdir "$MNT"
export CGTOP T MNT
out=$(timeout 120 unshare -m --propagation private /bin/bash -c '
	mount -t tmpfs -o size=600k cgtop-test "$MNT" || exit 99
	"$CGTOP" --record "$MNT/rec.db" -d 0.02 "$T" 2>"$MNT.err" </dev/null
	echo "status $?"
	echo "lines $(wc -l <"$MNT.err")"
	echo "err $(cat "$MNT.err")"
	echo "ic $(sqlite3 -batch "$MNT/rec.db" "PRAGMA integrity_check" 2>&1 | head -1)"
	echo "ticks $(sqlite3 -batch "$MNT/rec.db" "select count(*) > 0 from ticks" 2>&1)"
	# a new file on the full disk
	"$CGTOP" --record "$MNT/new.db" -d 0.02 -n 2 "$T" 2>"$MNT.err2" </dev/null
	echo "status2 $?"
	echo "lines2 $(wc -l <"$MNT.err2")"
	echo "err2 $(cat "$MNT.err2")"
	echo "left $(cd "$MNT" && echo new.db*)"
' 2>&1)
if [[ $out == 99* ]] || ! grep -q '^status ' <<<"$out"; then
	skip 8 "no tmpfs in a private mount namespace: $out"
else
	is "$(sed -n 's/^status //p' <<<"$out")" 1 "a disk that fills while recording: exit 1"
	is "$(sed -n 's/^lines //p' <<<"$out")" 1 "one line"
	err=$(sed -n 's/^err //p' <<<"$out")
	if [[ $err == *"$MNT/rec.db"* && $err == *full* ]]; then pass "it names the file and says the disk is full ($err)"; else fail "the line names the file, says full" "$err"; fi
	is "$(sed -n 's/^ic //p' <<<"$out") $(sed -n 's/^ticks //p' <<<"$out")" "ok 1" \
		"the file is sound and keeps the samples stored before"
	is "$(sed -n 's/^status2 //p' <<<"$out") $(sed -n 's/^lines2 //p' <<<"$out")" "1 1" \
		"a new file on a full disk: exit 1, one line"
	err=$(sed -n 's/^err2 //p' <<<"$out")
	if [[ $err == *"$MNT/new.db"* ]]; then pass "it names the file ($err)"; else fail "the line names the new file" "$err"; fi
	is "$(sed -n 's/^left //p' <<<"$out")" "new.db*" "it leaves no file behind"
fi

# ---- 3. a read-only mount ----
RO=$CG_TMP/ro
mkdir "$RO"
timeout 60 "$CGTOP" --record "$RO/rec.db" -d 0.05 -n 2 "$T" 2>"$ERR" </dev/null
before=$(cksum <"$RO/rec.db")
export RO
out=$(timeout 60 unshare -m --propagation private /bin/bash -c '
	mount --bind "$RO" "$RO" && mount -o remount,bind,ro "$RO" || exit 99
	"$CGTOP" --record "$RO/rec.db" -d 0.05 -n 2 "$T" 2>"$RO.err" </dev/null
	echo "status $?"
' 2>&1)
if [[ $out == 99* ]] || ! grep -q '^status ' <<<"$out"; then
	skip 3 "no read-only bind mount in a private mount namespace: $out"
else
	is "$(sed -n 's/^status //p' <<<"$out") $(wc -l <"$RO.err")" "1 1" "a recording on a read-only mount: exit 1, one line"
	if grep -qF "$RO/rec.db" "$RO.err"; then pass "it names the file ($(cat "$RO.err"))"; else fail "the line names the file" "$(cat "$RO.err")"; fi
	is "$(cksum <"$RO/rec.db") $(ls "$RO")" "$before rec.db" "the file is unchanged, nothing beside it"
fi

done_testing
