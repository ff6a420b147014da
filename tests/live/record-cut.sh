#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# record-cut.sh - a refresh does not cut an OOM report the kernel is still
# writing (events_settle, src/events/events.c).  The kernel writes a report
# line by line over a few milliseconds (longer through a slow console); a
# recorder refreshing every 10 ms records KILLS kills (8 by default,
# CGTOP_CUT_KILLS) made one after another by memhog in a 16M group without
# swap.  The events table must hold each kill once, from the kernel log, with
# the limit of its report's usage line (memory_limit_kb), the sizes of its
# "Killed process" line (anon_rss_kb) and its group, and each kill's
# oom_invoked with its group.  Before the fix a refresh inside a report emitted
# what the parser had so far: a kill without its sizes or its limit
# (tests/unit/test-events-settle), an oom_invoked without its group (the
# failure seen here: 4 of 6 runs of the old code in the one-CPU v1 and v2
# VMs; none of 3 on the 2-core host, where a report takes 0.3 ms).  The kills
# wait for the kernel's rate limit of reports (lib.sh oom_reports_quiet), so
# that every one has a report to be cut.
# Needs root (else skips, 77), sqlite3, a memory controller and /dev/kmsg.

set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"

top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed"
cg_init
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
[ -r /dev/kmsg ] || skip_all "no /dev/kmsg"
cg_hier_of memory >/dev/null || skip_all "no memory controller usable below the own group"
need_helper MEMHOG memhog
cg_describe

T=$CG_TEST
K=$T/cut
DB=$CG_TMP/cut.db
ERR=$CG_TMP/err
KILLS=${CGTOP_CUT_KILLS:-8}
q() { sqlite3 -batch -noheader "$@" 2>&1; }

cg_create "$K" memory || bail_out "cannot create $K"
cg_mem_limit "$K" 16777216 || bail_out "cannot limit $K"

oom_reports_quiet 60
"$CGTOP" --record "$DB" -d 0.01 "$T" 2>"$ERR" </dev/null &
REC=$!
CG_PIDS+=("$REC")
wait_cgtop_ready "$REC" || bail_out "the recorder did not start"
pids=()
for ((i = 0; i < KILLS; i++)); do
	cg_spawn "$K" "$MEMHOG" 64 >/dev/null
	wait "$CG_LAST_PID" 2>/dev/null
	rc=$?
	[ "$rc" = 137 ] || bail_out "memhog $CG_LAST_PID in a 16M group exited $rc, not SIGKILLed"
	pids+=("$CG_LAST_PID")
done
pass "$KILLS memhogs of 64M in a 16M group were OOM-killed"
# the last report's lines are read within a refresh; a second for the
# recorder to have stored them
nap 1
kill -TERM "$REC"
wait "$REC"
is "$? $(head -c 300 "$ERR")" "0 " "the recorder at -d 0.01 exits 0 on SIGTERM without a word"

kills="select json from events where kind = 'oom_kill' and source = 'kmsg' and
	(cgroup = '$K' or json_extract(json, '\$.task_cgroup') = '$K')"
is "$(q "$DB" "select group_concat(json_extract(json, '\$.pid'), ' ') from ($kills order by
	json_extract(json, '\$.kernel_ts'))")" "${pids[*]}" "each kill once, from the kernel log, in order"
whole="json_extract(json, '\$.anon_rss_kb') > 0 and json_extract(json, '\$.memory_limit_kb') = 16384 and
	json_extract(json, '\$.cgroup') = '$K' and json_extract(json, '\$.task') = 'memhog'"
bad=$(q "$DB" "select json from ($kills) where not ($whole)")
is "$bad" "" "every kill whole: its group, the report's limit (16384 kB) and the sizes of its \"Killed process\" line"
is "$(q "$DB" "select count(*) from events where kind = 'oom_invoked' and source = 'kmsg' and cgroup = '$K'")" \
	"$KILLS" "every kill's oom_invoked names its group"
[ "$T_FAIL" = 0 ] || diag "events: $(q "$DB" "select kind, source, substr(json, 1, 300) from events")"
done_testing
