#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# events-paste.sh - logs as people paste them, from a kill made now: on this
# kernel, memhog is OOM-killed twice and forker refused forks in a CI job group
# ci/build-42 under ci's limits (tests/live/paste-scenario.sh), the kernel log of
# that window is saved as /dev/kmsg records and as dmesg, dmesg -T, dmesg
# --notime and journalctl -k (when a private journald can run) print it, and
# every one of them is pasted every way tests/tools/paste-render.sh knows (CRLF,
# four blanks, a tab, "> ", ">> ", "> > ", a quote around a code block, wrapped
# at 80 or 72 columns by a cut, a word wrap or a mailer, and mixes).
# `cgtop --events --kmsg-file` must give for every paste exactly the events of
# the clean log, which are the ones made (the victims' pids, memhog, ci and
# ci/build-42), in time order; a log without time stamps that was wrapped may
# drop an event it cannot know whole, with a warning, and report nothing else.
# A wrap that cuts ".../ci/build-42" right after ".../ci/" never reports the
# cut path.  Root only (else skips, 77); hybrid, pure v1 and pure v2.
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
# shellcheck source=tests/live/paste-scenario.sh
. "$LIVE_DIR/paste-scenario.sh"
top_srcdir=${top_srcdir:-$(cd "$LIVE_DIR/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
CGTOP=${CGTOP:-$top_builddir/cgtop}
RENDER=$top_srcdir/tests/tools/paste-render.sh

command -v jq >/dev/null || skip_all "jq is not installed"
command -v dmesg >/dev/null || skip_all "no dmesg"
cg_init
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
[ -r /dev/kmsg ] && [ -w /dev/kmsg ] || skip_all "no /dev/kmsg to read and write"

RUN=$CG_TMP/run
ps_run "$RUN" || bail_out "the scenario did not run"
[ -n "$PS_JOURNAL" ] && diag "no journal rendering: $PS_JOURNAL"
cg_describe

# events FILE OUT: cgtop's JSON events of FILE into OUT, stderr into OUT.err;
# sets RC
events()
{
	"$CGTOP" --events --format json --kmsg-file "$1" >"$2" 2>"$2.err"
	RC=$?
}
in_order()
{
	jq -e -s '
		def mono(f): [.[] | f | select(. != null)] as $v | $v == ($v | sort);
		mono(.kernel_ts) and mono(.time) and mono(.seq)' "$1" >/dev/null
}
paths() { jq -r '.cgroup // empty, .task_cgroup // empty' "$1" | sort -u; }
tuples() { jq -r '[.kind, (.pid // "" | tostring), (.task // ""), (.cgroup // ""), (.task_cgroup // "")] | join("|")' "$1"; }

# ---- the clean renderings give the events made ----
want=$(awk -F'\t' '!/^#/ && NF {
	k = $1; pid = ""; task = ""; cg = ""; tcg = ""
	for (i = 2; i <= NF; i++) {
		split($i, kv, "="); key = kv[1]; val = substr($i, length(key) + 2)
		if (key == "pid") pid = val; else if (key == "task") task = val
		else if (key == "cgroup") cg = val; else if (key == "task_cgroup") tcg = val
	}
	if (k == "oom_invoked") tcg = ""
	if (k == "pids_fork_rejected") { pid = ""; task = "" }
	print k "|" pid "|" task "|" cg "|" tcg
}' "$RUN/EXPECTED")
REAL=$(printf '%s\n%s\n' "$PS_CI" "$PS_BUILD" | sort -u)
CLEAN=()
for f in kmsg.raw dmesg.txt dmesg-T.txt dmesg-notime.txt journal-short.txt; do
	[ -f "$RUN/$f" ] || continue
	CLEAN+=("$f")
	events "$RUN/$f" "$CG_TMP/$f.json"
	# the window may hold true records that are not the scenario's: another
	# tenant's kill, or the kernel's "oom_kill_process: N callbacks
	# suppressed" after a kill made earlier by another test
	got=$(tuples "$CG_TMP/$f.json" | awk -F'|' -v OFS='|' -v ci="$PS_CI" '
		$4 != ci && index($4, ci "/") != 1 && $5 != ci && index($5, ci "/") != 1 { next }
		$1 == "oom_invoked" { $5 = "" } { print }')
	if [ "$RC" = 0 ] && [ ! -s "$CG_TMP/$f.json.err" ] && [ "$got" = "$want" ] && in_order "$CG_TMP/$f.json"; then
		pass "$f of the kills made now: the events made, in time order"
	else
		fail "$f of the kills made now: the events made, in time order" "exit $RC" \
			"$(cat "$CG_TMP/$f.json.err")" "got:" "$got" "want:" "$want"
	fi
done
is "$(paths "$CG_TMP/dmesg.txt.json")" "$REAL" "the groups named are ci and ci/build-42"

# ---- every clean rendering pasted every way ----
for f in "${CLEAN[@]}"; do
	clean=$CG_TMP/$f.json
	bad=
	n=0
	for spec in $("$RENDER" --list); do
		n=$((n + 1))
		"$RENDER" "$spec" <"$RUN/$f" >"$CG_TMP/pasted"
		events "$CG_TMP/pasted" "$CG_TMP/json"
		why=
		if [ "$RC" = 0 ] && [ ! -s "$CG_TMP/json.err" ] && cmp -s "$CG_TMP/json" "$clean"; then
			:
		elif [ "$RC" != 0 ]; then
			why="exit $RC: $(cat "$CG_TMP/json.err")"
		elif ! in_order "$CG_TMP/json"; then
			why="out of time order"
		elif [ -n "$(paths "$CG_TMP/json" | comm -23 - <(printf '%s\n' "$REAL"))" ]; then
			why="a group that is not ci or ci/build-42: $(paths "$CG_TMP/json" | tr '\n' ' ')"
		elif [ "$f" = dmesg-notime.txt ] && [[ $spec == *wrap* ]]; then
			dropped=$(sed -n 's/^cgtop: \([0-9]*\) kernel log records\{0,1\} of .* skipped: a line wrap.*/\1/p' "$CG_TMP/json.err")
			if [[ $spec != *mailwrap* ]] &&
				[ -n "$(tuples "$CG_TMP/json" | sort | comm -23 - <(tuples "$clean" | sort))" ]; then
				why="an event the clean log does not have"
			elif [[ $spec != *mailwrap* ]] &&
				[ $(($(wc -l <"$CG_TMP/json") + ${dropped:-0})) != "$(wc -l <"$clean")" ]; then
				why="$(wc -l <"$CG_TMP/json") events, ${dropped:-0} dropped; want $(wc -l <"$clean")"
			fi
		else
			why="not the clean log's events: $(head -c 300 "$CG_TMP/json.err") $(diff "$clean" "$CG_TMP/json" | head -c 600)"
		fi
		[ -n "$why" ] && bad+="$spec: $why"$'\n'
	done
	if [ -z "$bad" ]; then
		pass "$f pasted $n ways: the clean log's events, in time order, only ci and ci/build-42"
	else
		fail "$f pasted $n ways: the clean log's events, in time order, only ci and ci/build-42" "$bad"
	fi
done

# ---- a wrap that cuts the path right after ".../ci/" ----
for f in dmesg.txt dmesg-notime.txt journal-short.txt; do
	[ -f "$RUN/$f" ] || continue
	line=$(grep -m1 -F 'cgroup: fork rejected by pids controller in ' "$RUN/$f")
	head=${line%"/build-42"}/
	w=$(printf '%s' "$head" | wc -c)
	fold -w "$w" "$RUN/$f" >"$CG_TMP/cut"
	if ! grep -qxF -- "$head" "$CG_TMP/cut"; then
		fail "$f folded at $w: the fork rejection cut right after .../ci/"
		continue
	fi
	events "$CG_TMP/cut" "$CG_TMP/json"
	if paths "$CG_TMP/json" | grep -q '/ci/$'; then
		fail "$f wrapped at $w, after .../ci/: the cut path is never reported" "$(paths "$CG_TMP/json")"
	elif ! cmp -s "$CG_TMP/json" "$CG_TMP/$f.json"; then
		fail "$f wrapped at $w, after .../ci/: the clean log's events" "$(cat "$CG_TMP/json.err")" \
			"$(diff "$CG_TMP/$f.json" "$CG_TMP/json" | head -c 800)"
	else
		pass "$f wrapped at $w, right after .../ci/: the whole path ci/build-42, the clean log's events"
	fi
	# the same paste, its last line lost: the cut path is dropped with a warning
	n=$(grep -nxF -- "$head" "$CG_TMP/cut" | head -n 1 | cut -d: -f1)
	head -n "$n" "$CG_TMP/cut" >"$CG_TMP/cut-short"
	events "$CG_TMP/cut-short" "$CG_TMP/json"
	if [ "$RC" = 0 ] && ! paths "$CG_TMP/json" | grep -q '/ci/$' &&
		! jq -e 'select(.kind == "pids_fork_rejected")' "$CG_TMP/json" >/dev/null &&
		grep -q "skipped: a line wrap may have cut it (the first at line $n)" "$CG_TMP/json.err"; then
		pass "$f cut after .../ci/ at its end: no event for the cut path, one line saying so"
	else
		fail "$f cut after .../ci/ at its end: no event for the cut path, one line saying so" \
			"exit $RC" "$(cat "$CG_TMP/json.err")" "$(paths "$CG_TMP/json")"
	fi
done
done_testing
