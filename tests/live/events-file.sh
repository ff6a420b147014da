#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# events-file.sh - `cgtop --events --kmsg-file` end to end, on the real kernel
# logs captured in tests/data/kmsg/ (this host and qemu v1/v2 kernels, each in
# every rendering: raw /dev/kmsg records, dmesg plain/-T/-x/-r/--notime and
# every --time-format, journalctl -o json, export and json-pretty (NAME.json,
# NAME.export, NAME.json-pretty, read as saved only),
# syslog, journalctl; and logs as people paste them, NAME.SPEC.paste): the
# events printed must be exactly the EXPECTED ones (kind, pid, task, cgroup,
# task_cgroup), in time order, in text and JSON, also from stdin.  Every clean
# rendering pasted every way tests/tools/paste-render.sh knows (CRLF, indented,
# quoted, wrapped at 80 columns, mixes) must give the events of the clean one,
# byte for byte; a log without time stamps that was wrapped may lose an event
# it cannot tell whole (with a warning), never report a group path that is not
# one of the clean log's; a wrap that cuts ".../ci/build-42" right after
# ".../ci/" must not report ".../ci/".  Then bad input: garbage, NUL bytes,
# truncated records, over-long lines, no kernel record at all (empty input,
# journalctl without a journal), missing and unreadable files.  Needs no
# privileges.
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

# in_order FILE: the JSON events' times never go back (kernel_ts, else time,
# else seq, where the events have them)
in_order()
{
	jq -e -s '
		def mono(f): [.[] | f | select(. != null)] as $v | $v == ($v | sort);
		mono(.kernel_ts) and mono(.time) and mono(.seq)' "$1" >/dev/null
}

for dir in "$top_srcdir"/tests/data/kmsg/*/; do
	[ -f "$dir/EXPECTED" ] || continue
	name=$(basename "$dir")
	expected "$dir" >"$TMP/want"
	for f in "$dir"/*.txt "$dir"/kmsg.raw "$dir"/*.paste "$dir"/*.json "$dir"/*.export "$dir"/*.json-pretty; do
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
		if [ "$rc" = 0 ] && [ ! -s "$TMP/err" ] && diff "$TMP/want" "$TMP/got" >"$TMP/diff" &&
			in_order "$TMP/json"; then
			pass "$name/$r: the expected $(wc -l <"$TMP/want") events, in time order"
		else
			fail "$name/$r: the expected events in time order (exit $rc)" "$(cat "$TMP/err" "$TMP/diff")" \
				"$(jq -c '[.kind, .kernel_ts, .time, .seq]' "$TMP/json")"
		fi
	done
	# text output has one line per event, and stdin works
	n=$(wc -l <"$TMP/want")
	is "$("$CGTOP" --events --kmsg-file - <"$dir/dmesg.txt" | wc -l)" "$n" "$name: text from stdin, one line per event"
done

# ---- every clean rendering, pasted every way ----
RENDER=$top_srcdir/tests/tools/paste-render.sh
# paths FILE: the group paths of JSON events, one a line
paths() { jq -r '.cgroup // empty, .task_cgroup // empty' "$1" | sort -u; }
# tuples FILE: the events as kind|pid|task|cgroup|task_cgroup
tuples() { jq -r '[.kind, (.pid // "" | tostring), (.task // ""), (.cgroup // ""), (.task_cgroup // "")] | join("|")' "$1"; }
for dir in "$top_srcdir"/tests/data/kmsg/*/; do
	[ -f "$dir/EXPECTED" ] || continue
	name=$(basename "$dir")
	for f in "$dir"/*.txt "$dir"/kmsg.raw; do
		[ -f "$f" ] || continue
		r=$(basename "$f")
		"$CGTOP" --events --format json --kmsg-file "$f" >"$TMP/clean" 2>/dev/null
		paths "$TMP/clean" >"$TMP/clean-paths"
		tuples "$TMP/clean" | sort >"$TMP/clean-tuples"
		bad=
		n=0
		# the captured paste scenario every way; the other logs a sample of the ways
		# (tests/unit/test-kmsg.c pastes every log every way, at the line level)
		specs=$("$RENDER" --list)
		[ "$name" = paste-host-hybrid-6.18 ] ||
			specs="crlf tab quote-indent wrap80 wordwrap80 mailwrap80 quote+wrap80 wrap80+quote+crlf"
		for spec in $specs; do
			n=$((n + 1))
			"$RENDER" "$spec" <"$f" >"$TMP/pasted"
			"$CGTOP" --events --format json --kmsg-file "$TMP/pasted" >"$TMP/json" 2>"$TMP/err"
			rc=$?
			why=
			if [ "$rc" = 0 ] && [ ! -s "$TMP/err" ] && cmp -s "$TMP/json" "$TMP/clean"; then
				: # the clean log's events, byte for byte (in order: checked above)
			elif [ "$rc" != 0 ]; then
				why="exit $rc"
			elif ! in_order "$TMP/json"; then
				why="events out of time order"
			elif [ -n "$(paths "$TMP/json" | comm -23 - "$TMP/clean-paths")" ]; then
				why="a group path the clean log does not have: $(paths "$TMP/json" | comm -23 - "$TMP/clean-paths" | head -n 2)"
			elif { [ "$r" = dmesg-notime.txt ] || [ "$r" = journal-cat.txt ]; } && [[ $spec == *wrap* ]]; then
				# without time stamps (journalctl -o cat neither) a wrapped path is dropped, with a warning,
				# when the next line may be its rest; a wrap that dropped the
				# blanks (mailwrap) cannot be undone, details are lost
				dropped=$(sed -n 's/^cgtop: \([0-9]*\) kernel log records\{0,1\} of .* skipped: a line wrap.*/\1/p' "$TMP/err")
				if [[ $spec != *mailwrap* ]]; then
					if [ -n "$(tuples "$TMP/json" | sort | comm -23 - "$TMP/clean-tuples")" ]; then
						why="an event that the clean log does not have"
					elif [ $(($(wc -l <"$TMP/json") + ${dropped:-0})) != "$(wc -l <"$TMP/clean")" ]; then
						why="$(wc -l <"$TMP/json") events and ${dropped:-0} dropped, want $(wc -l <"$TMP/clean")"
					fi
				fi
			else
				why="not the clean log's events: $(head -c 300 "$TMP/err") $(diff "$TMP/clean" "$TMP/json" | head -c 600)"
			fi
			[ -n "$why" ] && bad+="$spec: $why"$'\n'
		done
		if [ -z "$bad" ]; then
			pass "$name/$r: pasted $n ways, the clean log's events"
		else
			fail "$name/$r: pasted $n ways, the clean log's events" "$bad"
		fi
	done
done

# a paste through a pipe: its shape is learned from a fair part of it, not from
# what one read() of the pipe returned
f=$top_srcdir/tests/data/kmsg/paste-host-hybrid-6.18/dmesg.wrap80+quote.paste
"$CGTOP" --events --format json --kmsg-file "${f%/*}/dmesg.txt" >"$TMP/clean" 2>/dev/null
{ head -c 100 "$f"; sleep 0.3; tail -c +101 "$f"; } | "$CGTOP" --events --format json --kmsg-file - >"$TMP/json" 2>"$TMP/err"
if cmp -s "$TMP/json" "$TMP/clean" && [ ! -s "$TMP/err" ]; then
	pass "a wrapped, quoted paste through a slow pipe: the clean log's events"
else
	fail "a wrapped, quoted paste through a slow pipe: the clean log's events" "$(cat "$TMP/err")"
fi

# the wrap that cuts a path right after ".../ci/" (another real group), at the
# width that cuts exactly there, in a log with time stamps and in one without
P=$top_srcdir/tests/data/kmsg/paste-host-hybrid-6.18
for r in dmesg.txt dmesg-notime.txt; do
	for what in "cgroup: fork rejected by pids controller in" "task_memcg="; do
		line=$(grep -m1 -F -- "$what" "$P/$r")
		# the width that ends the first piece right after ".../ci/" of that path
		pre=${line%%"$what"*}$what
		rest=${line#"$pre"}
		rest=${rest#" "}
		ci=${rest%%/ci/*}/ci/
		w=$(( $(printf '%s' "${line%%"$rest"}" | wc -c) + $(printf '%s' "$ci" | wc -c) ))
		# (without time stamps a wrap is known by many lines at one width that people
		# wrap at, 40 to 160 columns)
		[ "$r" = dmesg.txt ] || [ "$w" -le 160 ] || { skip "$r cut after /ci/ of '$what'" "width $w"; continue; }
		fold -w "$w" "$P/$r" >"$TMP/cut"
		if ! grep -q -x -F -- "$(printf '%s' "$line" | head -c "$w")" "$TMP/cut"; then
			fail "$r folded at $w: a line ends right after /ci/ of '$what'"
			continue
		fi
		"$CGTOP" --events --format json --kmsg-file "$TMP/cut" >"$TMP/json" 2>"$TMP/err"
		"$CGTOP" --events --format json --kmsg-file "$P/$r" >"$TMP/clean" 2>/dev/null
		if paths "$TMP/json" | grep -q '/ci/$\|/ci$' &&
			! paths "$TMP/clean" | grep -qx "$(paths "$TMP/json" | grep '/ci/$\|/ci$' | head -n 1)"; then
			fail "$r wrapped at $w after /ci/ of '$what': no cut path" "$(paths "$TMP/json")"
		elif [ -n "$(paths "$TMP/json" | comm -23 - <(paths "$TMP/clean"))" ]; then
			fail "$r wrapped at $w after /ci/ of '$what': only the real groups" "$(paths "$TMP/json")"
		elif [ "$r" = dmesg.txt ] && ! cmp -s "$TMP/json" "$TMP/clean"; then
			fail "$r wrapped at $w after /ci/ of '$what': the clean log's events" "$(cat "$TMP/err")" \
				"$(diff "$TMP/clean" "$TMP/json" | head -c 800)"
		else
			pass "$r wrapped at $w, right after /ci/ of '$what': the whole path, no cut one"
		fi
	done
done

# a report whose "Killed process" line is missing is known to be over only at the
# next report, after the fork rejection that came later: printed in time order
awk '!done && /Memory cgroup out of memory: Killed process/ { done = 1; next } { print }' "$P/dmesg.txt" >"$TMP/lost"
"$CGTOP" --events --format json --kmsg-file "$TMP/lost" >"$TMP/json" 2>"$TMP/err"
if [ "$(jq -r .kind "$TMP/json" | tr '\n' ' ')" = "oom_invoked oom_kill pids_fork_rejected oom_invoked oom_kill " ] &&
	in_order "$TMP/json"; then
	pass "a kill whose last line is lost, then a fork rejection: printed in time order"
else
	fail "a kill whose last line is lost, then a fork rejection: printed in time order" \
		"$(jq -c '[.kind, .kernel_ts]' "$TMP/json")"
fi

# ---- no kernel record at all ----
# no_record DESC FILE: exit 1 and one line saying so, with the line count
no_record()
{
	"$CGTOP" --events --kmsg-file "$2" >"$TMP/out" 2>"$TMP/err"
	local rc=$? lines

	lines=$(wc -l <"$2")
	if [ "$rc" = 1 ] && [ ! -s "$TMP/out" ] && grep -q "no kernel log record in '.*' ($lines lines\{0,1\} read)" "$TMP/err"; then
		pass "$1: exit 1, 'no kernel log record' with the line count"
	else
		fail "$1: exit 1, 'no kernel log record' with the line count" "exit $rc" "$(cat "$TMP/err")"
	fi
}
: >"$TMP/empty"
no_record "empty input" "$TMP/empty"
printf -- '-- No entries --\n' >"$TMP/noentries"
no_record "journalctl -k on a host without a journal (-- No entries --)" "$TMP/noentries"
printf 'Nov 29 06:27:37 host sshd[12]: Accepted publickey for root\nNov 29 06:27:38 host CRON[5]: (root) CMD (true)\n\n' >"$TMP/others"
no_record "a syslog of other programs only" "$TMP/others"
printf '' | "$CGTOP" --events --kmsg-file - >/dev/null 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "1:cgtop: no kernel log record in '-' (0 lines read)" "empty standard input: exit 1, said so"
head -n 4 "$top_srcdir/tests/data/kmsg/host-hybrid-6.18/dmesg.txt" >"$TMP/quiet" # a segfault, no kill
"$CGTOP" --events --kmsg-file "$TMP/quiet" >"$TMP/out" 2>"$TMP/err"
is "$?:$(cat "$TMP/out" "$TMP/err")" "0:" "a clean kernel log without kills: exit 0, nothing said"

# ---- bad input ----
head -c 200000 /dev/urandom >"$TMP/garbage"
"$CGTOP" --events --kmsg-file "$TMP/garbage" >"$TMP/out" 2>"$TMP/err"
is "$?" 1 "binary garbage: exit 1 (no kernel log record)"
is "$(wc -l <"$TMP/out")" 0 "binary garbage: no events"
ok "binary garbage: the skipped lines are counted in one line" grep -q 'skipped' "$TMP/err"
ok "binary garbage: no kernel log record, said so" grep -q 'no kernel log record' "$TMP/err"

f=$top_srcdir/tests/data/kmsg/qemu-v2-6.1/dmesg.txt
expected "${f%/*}" >"$TMP/want"
{ printf 'a\0b\n'; cat "$f"; printf '%09000d\n' 0; head -c 123 "$f"; } >"$TMP/mixed"
"$CGTOP" --events --format json --kmsg-file "$TMP/mixed" >"$TMP/out" 2>"$TMP/err"
is "$?" 0 "NUL bytes, a 9000-byte line and a truncated tail: exit 0"
is "$(jq -s 'length' "$TMP/out")" "$(wc -l <"$TMP/want")" "... and the events in between are all found"
ok "... the bad lines are counted" grep -q '2 lines .* skipped' "$TMP/err"

# ---- a PATH keeps the events of that group and below it -------------------
# (the group at its limit or the process's own group; a name that only
# begins like PATH is another group)
f=$top_srcdir/tests/data/kmsg/host-hybrid-6.18/dmesg-T.txt
"$CGTOP" --events --kmsg-file "$f" --format json >"$TMP/all.json" 2>&1
cap=$(jq -r 'select(.kind == "oom_kill") | .cgroup' "$TMP/all.json" | grep -m1 '/oom32$')
cap=${cap%/oom32}
# evs FILE: the events as "kind cgroup task_cgroup" lines (the capture's own prefix cut)
evs() { jq -r --arg c "$cap" '[.kind, .cgroup // "-", .task_cgroup // "-"] | map(ltrimstr($c)) | join(" ")' "$1"; }
"$CGTOP" --events --kmsg-file "$f" --format json "$cap/oom32" >"$TMP/p.json" 2>"$TMP/err"
is "$? $(evs "$TMP/p.json" | sort | uniq -c | tr -s ' \n' ' ')" \
	"0  2 oom_invoked /oom32 - 2 oom_kill /oom32 /oom32 " "a PATH: only that group's events"
"$CGTOP" --events --kmsg-file "$f" --format json "$cap/user\x2d1000.slice/app\x2dfoo.scope" >"$TMP/p.json" 2>&1
is "$(evs "$TMP/p.json")" 'oom_kill /user\x2d1000.slice /user\x2d1000.slice/app\x2dfoo.scope' \
	"a PATH below the group at its limit: the kill of a process in it, not the invocation"
"$CGTOP" --events --kmsg-file "$f" --format json /kmsgcap-19914/pids5 >"$TMP/p.json" 2>&1
is "$(evs "$TMP/p.json")" "pids_fork_rejected - /kmsgcap-19914/pids5" \
	"a PATH keeps neither 'pids5 (b,ü)' nor pids5-nest/leaf"
"$CGTOP" --events --kmsg-file "$f" /kmsgcap-19914/pids5 >"$TMP/p.txt" 2>&1
is "$(grep -c . "$TMP/p.txt")" 1 "... in text too"
"$CGTOP" --events --kmsg-file "$f" --format json / >"$TMP/p.json" 2>&1
is "$(wc -l <"$TMP/p.json")" "$(wc -l <"$TMP/all.json")" "PATH / keeps every event"

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
is "$?" 1 "20 MB of NUL bytes: exit 1 (no kernel log record), no hang"
"$CGTOP" --follow >/dev/null 2>&1
is "$?" 2 "--follow without --events: exit 2"
"$CGTOP" --events --since yesterday >/dev/null 2>&1
is "$?" 2 "--since yesterday: exit 2"
done_testing
