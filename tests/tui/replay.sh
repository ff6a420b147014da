#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# replay.sh - the dashboard on a recording (cgtop --replay FILE), through a
# private tmux server (tests/tui/lib.sh).  The recording is made by the
# recorder itself, deterministically: the captured v2 tree
# (tests/golden/dumps/v2.tar.xz) under --sysroot, one sample a run under
# CGTOP_TEST_CLOCK a minute apart, with the memory.current of /demo/a raised
# between the runs (10M, 20M, 30M, 40M, 47.7M, then 5M an hour later), and
# one OOM kill of /demo/a between the 4th and the 5th sample: the oom_kill
# event --events parses from a captured kernel log
# (tests/data/kmsg/qemu-v2-6.1), stored as the recorder stores events (its
# group set to /demo/a; a sysroot has no kernel log to record one from).
# Checks: the header shows REPLAY and the cursor's time, opening at the last
# sample; [ ] { } ( ) step a sample, a minute, an hour and the table shows
# the values recorded then; . lands on the kill's sample with the kill in the
# events pane, i shows its evidence (task table, memory.stat), , finds no
# earlier one; T takes 07:07:50, -1m (from the cursor)
# and an ISO date; --at opens there; the detail view of /demo/a has the
# recorded history; an action key is refused; q exits 0; n and the detail
# view show the name recorded for a group, not one of this host.  Bad input (a
# missing file, a file that is no recording, --at garbage, --at with -b)
# gives one line, the exit code of -b --replay (or 2) and the terminal back.
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
tui_have || skip_all "tmux not installed"
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed"
dump=$top_srcdir/tests/golden/dumps/v2.tar.xz
kmsg=$top_srcdir/tests/data/kmsg/qemu-v2-6.1/dmesg.txt
[ -f "$dump" ] && [ -f "$kmsg" ] || skip_all "no captured tree or kernel log"

TMP=$(mktemp -d /tmp/cgtop-replay.XXXXXX)
trap 'tui_stop; rm -rf "$TMP"' EXIT
export XDG_CONFIG_HOME=$TMP/config # no cgtoprc of the user's
mkdir -p "$XDG_CONFIG_HOME" "$TMP/root"
tar -xJf "$dump" -C "$TMP/root" || bail_out "cannot unpack $dump"
DB=$TMP/rec.db
T0=1764400000 # 2025-11-29 07:06:40 UTC
cur=$TMP/root/sys/fs/cgroup/demo/a/memory.current
i=0
for m in 10485760 20971520 31457280 41943040 50000000; do
	echo "$m" >"$cur"
	CGTOP_TEST_CLOCK=$((T0 + 60 * i)) "$CGTOP" --sysroot "$TMP/root" --record "$DB" -n 1 ||
		bail_out "--record failed"
	i=$((i + 1))
done
echo 5242880 >"$cur"
CGTOP_TEST_CLOCK=$((T0 + 4000)) "$CGTOP" --sysroot "$TMP/root" --record "$DB" -n 1 || bail_out "--record failed"
ev=$("$CGTOP" --events --format json --kmsg-file "$kmsg" | grep -m1 '"kind":"oom_kill"')
[ -n "$ev" ] || bail_out "no oom_kill in $kmsg"
sqlite3 "$DB" "INSERT INTO events(time, kind, source, pid, task, cgroup, json, text)
	SELECT $((T0 + 230)), json_extract(j, '\$.kind'), json_extract(j, '\$.source'), json_extract(j, '\$.pid'),
	json_extract(j, '\$.task'), json_extract(j, '\$.cgroup'), j, 'oom_kill'
	FROM (SELECT json_set('${ev//\'/\'\'}', '\$.cgroup', '/demo/a', '\$.task_cgroup', '/demo/a',
	'\$.time', $((T0 + 230))) AS j)" || bail_out "cannot store the event"

TUI_ENV="TZ=UTC"
WAIT=${CGTOP_TUI_WAIT:-20}

# at TIME MEM DESC: the header's cursor is at 2025-11-29 TIME and the row of
# /demo/a (" a ", under demo) shows MEM
at()
{
	if tui_wait "^at 2025-11-29 $1 " "$WAIT" && tui_wait "─.a +[0-9]+ .* $2 " "$WAIT"; then
		pass "$3"
	else
		fail "$3" "want the cursor at $1 and /demo/a at $2:" "$(tui_screen)"
	fi
}

tui_start --replay "$DB"
tui_expect '^cgtop REPLAY .* 2025-11-29 08:13:20$' "the header says REPLAY and shows the cursor's time" "$WAIT"
at 08:13:20 5.0M "it opens at the last sample, with its values"
tui_expect 'sample 6 of 6 +recorded 2025-11-29 07:06:40 \.\. 2025-11-29 08:13:20' "the header shows the position and the range"
tui_keys '('
at 07:10:40 47.7M "( goes back an hour (to the last sample at or before)"
tui_keys '['
at 07:09:40 40.0M "[ steps back a sample: the value recorded then"
tui_keys ']'
at 07:10:40 47.7M "] steps forward a sample"
tui_keys '{'
at 07:09:40 40.0M "{ goes back a minute"
tui_keys '}'
at 07:10:40 47.7M "} goes forward a minute"
tui_keys ')'
at 08:13:20 5.0M ") goes forward an hour (to the next sample)"

tui_keys '[' '[' '[' '['
at 07:07:40 20.0M "four samples back"
tui_keys '.'
at 07:10:40 47.7M ". jumps to the OOM kill's sample"
tui_expect 'Events: 1 OOM kill, 0 rejected forks in this sample' "the events pane has the kill in this sample"
tui_expect 'OOM kill +kmsg +pid 197 .*/demo/a' "the kill's line names the pid and the group"
tui_expect '^OOM kills: 1 ' "the header counts the kill up to the cursor"
tui_keys i
tui_expect 'largest task: pid 197 ' "i: the incident view has the kill's recorded evidence (the task table)"
tui_expect 'memory.stat at the kill' "... and its memory.stat"
tui_keys Escape
tui_wait 'Control Group' "$WAIT"
tui_keys ','
tui_expect 'no earlier OOM kill or fork rejection' ", finds no earlier event"
tui_keys '['
at 07:09:40 40.0M "a sample before the kill"
tui_expect '^OOM kills: 0 ' "the header counts no kill before it"
tui_expect 'No OOM kills or fork rejections in this sample' "the events pane has no kill before it"

tui_keys T
tui_expect 'go to TIME' "T asks for a time"
tui_type '07:07:50'
tui_keys Enter
at 07:07:40 20.0M "T 07:07:50 goes to the last sample at or before it"
tui_keys T
tui_type '-1m'
tui_keys Enter
at 07:06:40 10.0M "T -1m goes back a minute from the cursor"
tui_keys T
tui_type '2025-11-29T07:09:40'
tui_keys Enter
at 07:09:40 40.0M "T takes an ISO date"
tui_keys T
tui_type 'garbage'
tui_keys Enter
tui_expect "invalid time 'garbage'" "T refuses a bad time with a message"
at 07:09:40 40.0M "... and the cursor stays"

tui_keys m
tui_expect 'actions that change the kernel are off' "m (a limit) is refused"
tui_keys K
tui_expect 'actions that change the kernel are off' "K (kill) is refused"
tui_wait_gone 'kill every process' 2 && pass "K asks nothing" || fail "K asks nothing" "$(tui_screen)"

# the detail view of /demo/a: its recorded memory, its history up to the cursor
tui_keys /
tui_type 'demo/a'
tui_keys Enter
tui_wait '─.a ' "$WAIT"
tui_keys Down Down Enter
if tui_wait 'Group /demo/a' "$WAIT"; then
	pass "Enter opens the detail of /demo/a"
	tui_wait_gone 'no history yet' 3 && pass "the detail view has the recorded history" ||
		fail "the detail view has the recorded history" "$(tui_screen)"
	tui_expect 'memory +48.0M +48.0M +this group' "the detail view has the recorded limit and its controller"
	tui_keys NPage NPage NPage
	tui_expect 'not recorded' "the processes are not read from the host"
else
	fail "Enter opens the detail of /demo/a" "$(tui_screen)"
fi
tui_keys q
tui_wait 'Control Group' "$WAIT"
tui_keys q
if tui_wait 'PROMPT-BACK' "$WAIT"; then
	is "$(tui_status)" 0 "q exits 0"
else
	fail "q exits 0" "$(tui_screen)"
fi

tui_start --replay "$DB" --at 07:08:40
at 07:08:40 30.0M "--at 07:08:40 opens there"
tui_keys q
tui_wait 'PROMPT-BACK' "$WAIT"

tui_start --replay "$DB" --at -1h
at 07:10:40 47.7M "--at -1h opens an hour before the last sample"
tui_keys q
tui_wait 'PROMPT-BACK' "$WAIT"

# names are the recording's, never this host's: /demo/a recorded as a
# container (of another host; none of this one has its name)
sqlite3 "$DB" "UPDATE groups SET name = 'web-recorded', kind = 'docker', container_id = '$(printf 'c%.0s' {1..64})'
	WHERE path = '/demo/a'" || bail_out "cannot name /demo/a in the recording"
tui_start --replay "$DB"
tui_wait '─.a ' "$WAIT"
tui_keys n
tui_expect '─.web-recorded ' "n shows the name recorded for /demo/a" "$WAIT"
tui_keys /
tui_type 'demo/a'
tui_keys Enter
tui_wait '─.web-recorded ' "$WAIT"
tui_keys Down Down Enter
tui_expect 'Name  web-recorded  \(docker, id cccccccccccc\)' \
	"the detail view's Name line is the recorded name, kind and container id" "$WAIT"
tui_keys q
tui_wait 'Control Group' "$WAIT"
tui_keys q
tui_wait 'PROMPT-BACK' "$WAIT"

# a step reads again the groups whose rows changed, also when only their
# memory.stat did (the recorder reads it once a minute, its own table): a
# 7th sample 100 s after the 6th where /demo/a has no samples row, only a
# memory.stat with another anon; its detail view shows it after ]
sqlite3 "$DB" "INSERT INTO ticks(time) VALUES ($((T0 + 4100)));
	UPDATE groups SET last_seen = $((T0 + 4100)) WHERE last_seen = $((T0 + 4000));
	INSERT INTO memory_stat(time, group_id, json)
	SELECT $((T0 + 4100)), m.group_id, json_set(m.json, '\$.anon', 777777777) FROM memory_stat m
	JOIN groups g ON g.id = m.group_id WHERE g.path = '/demo/a' ORDER BY m.time DESC LIMIT 1" ||
	bail_out "cannot add a memory.stat row"
tui_start --replay "$DB" --at 08:13:20
tui_keys /
tui_type 'demo/a'
tui_keys Enter
tui_wait '─.a ' "$WAIT"
tui_keys Down Down Enter
tui_expect ' anon +[0-9.]+[KMG]? ' "the detail view of /demo/a shows memory.stat's anon" "$WAIT"
tui_screen | grep -q ' anon  *741.7M ' && fail "before ], anon is the 6th sample's" "$(tui_screen)" ||
	pass "before ], anon is the 6th sample's"
tui_keys ']'
tui_expect 'forward a sample: 2025-11-29 08:15:00 \(sample 7 of 7\)' "] to the 7th sample" "$WAIT"
tui_expect ' anon +741\.7M ' "the detail view shows the memory.stat recorded at it, the group's samples row unchanged" "$WAIT"
tui_keys '['
tui_wait_gone ' anon +741\.7M ' "$WAIT" && pass "[ back: the memory.stat of the 6th sample again" ||
	fail "[ back: the memory.stat of the 6th sample again" "$(tui_screen)"
tui_keys q
tui_wait 'Control Group' "$WAIT"
tui_keys q
tui_wait 'PROMPT-BACK' "$WAIT"

# bad input: NAME WANT-STATUS REGEX ARGS...: one line matching REGEX, the
# status, the terminal back (no alternate screen left, the cursor shown)
bad()
{
	local name=$1 want=$2 re=$3 lines
	shift 3
	tui_start "$@"
	if ! tui_wait 'PROMPT-BACK' "$WAIT"; then
		fail "$name" "$(tui_screen)"
		return
	fi
	lines=$(tui_screen | grep -c .)
	if [ "$(tui_status)" = "$want" ] && tui_screen | grep -Eq -- "$re" && [ "$lines" -eq 2 ] &&
		[ "$(tmux_ display-message -p -t t '#{alternate_on}')" = 0 ]; then
		pass "$name: one line, exit $want, terminal back"
	else
		fail "$name" "status $(tui_status), want $want; screen:" "$(tui_screen)"
	fi
}
bstatus()
{
	"$CGTOP" -b "$@" >/dev/null 2>&1
	echo $?
}
echo 'not a recording' >"$TMP/text"
bad "a missing file" "$(bstatus --replay "$TMP/none.db")" "cannot open the recording $TMP/none.db" \
	--replay "$TMP/none.db"
bad "a file that is no recording" "$(bstatus --replay "$TMP/text")" "$TMP/text is not a cgtop recording" \
	--replay "$TMP/text"
bad "--at garbage" 2 "invalid time \(--at\), want .*: 'garbage'" --replay "$DB" --at garbage
is "$(bstatus --replay "$DB" --at 07:08)" 2 "--at with -b: a usage error"
ls "$TMP"/text-* "$TMP"/none.db* >/dev/null 2>&1 && fail "nothing left beside the bad files" || pass "nothing left beside the bad files"

done_testing
