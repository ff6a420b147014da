#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# events-file.sh - `cgtop --events --kmsg-file` end to end, on the real kernel
# logs captured in tests/data/kmsg/ (this host and qemu v1/v2 kernels, each in
# every rendering: raw /dev/kmsg records, dmesg plain/-T/-x/-r/--notime,
# syslog, journalctl): the events printed must be exactly the EXPECTED ones
# (kind, pid, task, cgroup, task_cgroup), in text and JSON, also from stdin.
# Then bad input: garbage, NUL bytes, truncated records, over-long lines,
# missing and unreadable files.  Needs no privileges.
# test-lane: free (captured logs only; tests/tap-wrap.sh)
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
top_srcdir=${top_srcdir:-$(cd "$LIVE_DIR/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
CGTOP=${CGTOP:-$top_builddir/cgtop}
command -v jq >/dev/null || skip_all "jq is not installed"
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# expected DIR: the EXPECTED events as "kind|pid|task|cgroup|task_cgroup" lines
expected()
{
	awk -F'\t' '!/^#/ && NF {
		k = $1; pid = ""; task = ""; cg = ""; tcg = ""
		for (i = 2; i <= NF; i++) {
			split($i, kv, "="); key = kv[1]; val = substr($i, length(key) + 2)
			if (key == "pid") pid = val; else if (key == "task") task = val
			else if (key == "cgroup") cg = val; else if (key == "task_cgroup") tcg = val
		}
		print k "|" pid "|" task "|" cg "|" tcg
	}' "$1/EXPECTED"
}

# got: cgtop's JSON events in the same shape (fields EXPECTED lacks are blanked
# the same way: oom_invoked has no task_cgroup there, pids events no pid)
got()
{
	jq -r '[.kind, (.pid // "" | tostring), (.task // ""), (.cgroup // ""),
		(.task_cgroup // "")] | join("|")'
}

for dir in "$top_srcdir"/tests/data/kmsg/*/; do
	[ -f "$dir/EXPECTED" ] || continue
	name=$(basename "$dir")
	expected "$dir" >"$TMP/want"
	for f in "$dir"/*.txt "$dir"/kmsg.raw; do
		[ -f "$f" ] || continue
		r=$(basename "$f")
		"$CGTOP" --events --format json --kmsg-file "$f" >"$TMP/json" 2>"$TMP/err"
		rc=$?
		got <"$TMP/json" | awk -F'|' -v OFS='|' '
			$1 == "oom_invoked" { $5 = "" }
			$1 == "pids_fork_rejected" { $2 = ""; $3 = "" }
			{ print }' >"$TMP/got"
		# EXPECTED leaves the pids events' task_cgroup as given, the
		# invoked events' task_cgroup out, and a global OOM's cgroup out
		if [ "$rc" = 0 ] && [ ! -s "$TMP/err" ] && diff "$TMP/want" "$TMP/got" >"$TMP/diff"; then
			pass "$name/$r: the expected $(wc -l <"$TMP/want") events"
		else
			fail "$name/$r: the expected events (exit $rc)" "$(cat "$TMP/err" "$TMP/diff")"
		fi
	done
	# text output has one line per event, and stdin works
	n=$(wc -l <"$TMP/want")
	is "$("$CGTOP" --events --kmsg-file - <"$dir/dmesg.txt" | wc -l)" "$n" "$name: text from stdin, one line per event"
done

# ---- bad input ----
head -c 200000 /dev/urandom >"$TMP/garbage"
"$CGTOP" --events --kmsg-file "$TMP/garbage" >"$TMP/out" 2>"$TMP/err"
is "$?" 0 "binary garbage: exit 0"
is "$(wc -l <"$TMP/out")" 0 "binary garbage: no events"
ok "binary garbage: the skipped lines are counted in one line" grep -q 'skipped' "$TMP/err"

f=$top_srcdir/tests/data/kmsg/qemu-v2-6.1/dmesg.txt
expected "${f%/*}" >"$TMP/want"
{ printf 'a\0b\n'; cat "$f"; printf '%09000d\n' 0; head -c 123 "$f"; } >"$TMP/mixed"
"$CGTOP" --events --format json --kmsg-file "$TMP/mixed" >"$TMP/out" 2>"$TMP/err"
is "$?" 0 "NUL bytes, a 9000-byte line and a truncated tail: exit 0"
is "$(jq -s 'length' "$TMP/out")" "$(wc -l <"$TMP/want")" "... and the events in between are all found"
ok "... the bad lines are counted" grep -q '2 lines .* skipped' "$TMP/err"

r=$top_srcdir/tests/data/kmsg/qemu-v2-6.1/kmsg.raw
head -c 5000 "$r" >"$TMP/trunc"
"$CGTOP" --events --kmsg-file "$TMP/trunc" >/dev/null 2>"$TMP/err"
is "$?" 0 "truncated kmsg records: exit 0"

"$CGTOP" --events --kmsg-file "$TMP/no-such-file" >"$TMP/out" 2>"$TMP/err"
is "$?" 1 "a missing file: exit 1"
is "$(wc -l <"$TMP/err")" 1 "... with one line"
ok "... naming the file" grep -q 'no-such-file' "$TMP/err"
"$CGTOP" --events --kmsg-file "$TMP" >"$TMP/out" 2>"$TMP/err"
is "$?" 1 "a directory: exit 1"

head -c 20000000 /dev/zero >"$TMP/zeros"
timeout 20 "$CGTOP" --events --kmsg-file "$TMP/zeros" >/dev/null 2>"$TMP/err"
is "$?" 0 "20 MB of NUL bytes: exit 0, no hang"
"$CGTOP" --follow >/dev/null 2>&1
is "$?" 2 "--follow without --events: exit 2"
"$CGTOP" --events --since yesterday >/dev/null 2>&1
is "$?" 2 "--since yesterday: exit 2"
done_testing
