#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test-lane: free
# events-explain.sh - cgtop --events --explain on captured kernel logs: the
# report of each incident (victim, group, limit chain, the kernel's task table
# by rss, the largest task and victim_is_largest, memory.stat at the kill as
# bars, forking parents) against the expected text in tests/data/explain, for
# a pure-v1 6.1 log (a limit chain of two groups, a system-wide OOM, fork
# rejections) and the pre-4.19 formats (a victim that is not the largest).
# The JSON of the same log carries the same facts (limit_chain, tasks,
# largest_task, victim_is_largest, top_forkers null from a saved log), also
# read from journalctl -o export and -o json-pretty renderings;
# --explain without --events is refused.  Needs jq for the JSON part.
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
top_srcdir=${top_srcdir:-$(cd "$LIVE_DIR/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
CGTOP=${CGTOP:-$top_builddir/cgtop}
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
DATA=$top_srcdir/tests/data
TMP=$(mktemp -d) || bail_out "mktemp"
trap 'rm -rf "$TMP"' EXIT

for d in qemu-v1-6.1 src-pre4.19; do
	LC_ALL=C.UTF-8 "$CGTOP" --events --explain --kmsg-file "$DATA/kmsg/$d/dmesg.txt" >"$TMP/$d.txt" 2>"$TMP/$d.err"
	is "$?" 0 "$d: exit 0"
	if diff -u "$DATA/explain/$d.txt" "$TMP/$d.txt" >"$TMP/$d.diff"; then
		pass "$d: the reports are the expected text"
	else
		fail "$d: the reports are the expected text" "$(head -40 "$TMP/$d.diff")"
	fi
	is "$(cat "$TMP/$d.err")" "" "$d: nothing on stderr"
done

# the same facts in JSON
if command -v jq >/dev/null; then
	J=$TMP/v1.json
	"$CGTOP" --events --explain --format json --kmsg-file "$DATA/kmsg/qemu-v1-6.1/dmesg.txt" >"$J"
	is "$(jq -c 'select(.pid == 265) | .limit_chain' "$J")" \
		'["/kmsgcap-164/user\\x2d1000.slice/app\\x2dfoo.scope","/kmsgcap-164/user\\x2d1000.slice"]' \
		"json: the limit chain from the victim's group up to the limit"
	is "$(jq -c 'select(.pid == 265) | [.tasks[] | [.pid, .rss_kb]]' "$J")" '[[265,25936],[269,9084]]' \
		"json: the task table by rss"
	is "$(jq -c 'select(.pid == 265) | [.largest_task.pid, .victim_is_largest]' "$J")" '[265,true]' \
		"json: the largest task and victim_is_largest"
	is "$(jq -c 'select(.kind == "pids_fork_rejected") | .top_forkers' "$J" | sort -u)" null \
		"json: forking parents unknown in a saved log (null)"
	is "$("$CGTOP" --events --format json --kmsg-file "$DATA/kmsg/src-pre4.19/dmesg.txt" |
		jq -c 'select(.pid == 6012 and .kind == "oom_kill") | [.victim_is_largest, .largest_task.pid]')" '[false,6001]' \
		"json: pre-4.19, the victim is not the largest"
	# journalctl -o export and -o json-pretty give the events of -o json
	ev() { "$CGTOP" --events --format json --kmsg-file "$1" |
		jq -c '{kind, pid, task, cgroup, victim_is_largest, tasks, memory_stat}'; }
	want=$(ev "$DATA/kmsg/host-times-6.18/journal.json")
	for f in export json-pretty; do
		got=$(ev "$DATA/journal/$f.txt")
		if [ -n "$want" ] && [ "$got" = "$want" ]; then
			pass "journalctl -o $f: the events and evidence of -o json"
		else
			fail "journalctl -o $f: the events and evidence of -o json" "$got"
		fi
	done
else
	skip "json: the same facts" "jq is not installed"
fi

"$CGTOP" -b -n 1 --explain >/dev/null 2>"$TMP/err"
is "$?" 2 "--explain without --events: exit 2"
is "$(cat "$TMP/err")" "cgtop: --explain goes with --events" "... in one line"
done_testing
