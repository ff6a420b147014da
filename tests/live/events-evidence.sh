#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# events-evidence.sh - the kernel's own evidence in a real OOM kill: a group with
# a 64M memory limit and no swap holds two processes, "big" (40 MiB, oom_score_adj
# 0) and "small" (oom_score_adj 1000), which then allocates 40 MiB too; the
# kernel kills small, the smaller one.  cgtop --events must report that kill
# with the report's task table (both processes, their rss in kB),
# largest_task = big, victim_is_largest = false, the group's memory.stat at the
# kill, and the text output's summary.  When the kernel's rate limit (10
# reports in 5 s host-wide) left the report out, the evidence must be null,
# never made up.
# Needs root, jq, a memory controller and /dev/kmsg (else skips, 77).
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
[ -r /dev/kmsg ] || skip_all "no /dev/kmsg"
cg_hier_of memory >/dev/null || skip_all "no memory controller usable below the own group"
[ "$(cat /proc/sys/vm/oom_dump_tasks 2>/dev/null)" != 0 ] || skip_all "vm.oom_dump_tasks=0: the kernel prints no task table"
need_helper MEMHOG memhog
cg_describe

G=$CG_TEST/evidence
FIFO=$CG_TMP/go
OUT=$CG_TMP/events.json
TXT=$CG_TMP/events.txt
ERR=$CG_TMP/events.err
WAIT=30
in_vm && WAIT=180

# until_true SECONDS CMD...: polls CMD every 0.1 s
until_true()
{
	local tenths=$(($1 * 10))

	shift
	until "$@"; do
		tenths=$((tenths - 1))
		[ $tenths -gt 0 ] || return 1
		sleep 0.1
	done
}

cg_create "$G" memory || bail_out "cannot create $G"
if cg_file "$G" memory.max >/dev/null; then
	cg_write "$G" memory.max 67108864 &&
		{ ! cg_file "$G" memory.swap.max >/dev/null || cg_write "$G" memory.swap.max 0; } ||
		bail_out "cannot limit $G"
else
	cg_write "$G" memory.swappiness 0 2>/dev/null
	cg_write "$G" memory.limit_in_bytes 67108864 &&
		{ ! cg_file "$G" memory.memsw.limit_in_bytes >/dev/null ||
			cg_write "$G" memory.memsw.limit_in_bytes 67108864; } ||
		bail_out "cannot limit $G"
fi

# the kernel's rate limit of OOM reports spent by other tests' kills would
# leave this test's reports out (lib.sh)
oom_reports_quiet 60
cg_spawn "$G" "$MEMHOG" 40 >"$CG_TMP/big.out"
BIG=$CG_LAST_PID
until_true "$WAIT" grep -q ready "$CG_TMP/big.out" || bail_out "big did not allocate its 40 MiB"
mkfifo "$FIFO" || bail_out "mkfifo failed"
cg_spawn "$G" sh -c 'read -r x <"$1"; exec "$2" 40' sh "$FIFO" "$MEMHOG"
SMALL=$CG_LAST_PID
echo 1000 >"/proc/$SMALL/oom_score_adj" || bail_out "cannot raise oom_score_adj"

cg_bg "$CGTOP" --events --format json -d 0.25 >"$OUT" 2>"$ERR"
CGTOP_PID=$CG_LAST_PID
# /dev/kmsg open and the first sample taken: the kill is read in the loop,
# within WAIT, even when the first sample of a large host takes seconds
wait_cgtop_ready "$CGTOP_PID" "$WAIT" || bail_out "cgtop --events did not start"

exec {W}>"$FIFO"
exec {W}>&- # small allocates now
{ wait "$SMALL"; } 2>/dev/null
is "$?" 137 "small (oom_score_adj 1000) was killed by SIGKILL"
ok "big is still alive" kill -0 "$BIG"

# (jq -e is true on an empty file: nothing printed is no event)
has_kill() { jq -c --argjson p "$SMALL" 'select(.kind == "oom_kill" and .pid == $p)' "$OUT" 2>/dev/null | grep -q .; }
until_true "$WAIT" has_kill || diag "no oom_kill event for $SMALL after $WAIT s"
kill -TERM "$CGTOP_PID"
wait "$CGTOP_PID"
is "$?" 0 "cgtop --events exits 0"
is "$(cat "$ERR")" "" "nothing on stderr"

# the kill from the kernel log: first, or (when a refresh's counters came
# before the log was read, on a loaded host) an update of the counters' event
EV=$(jq -c --argjson p "$SMALL" 'select(.kind == "oom_kill" and .pid == $p and .source == "kmsg")' "$OUT" | head -1)
ok "an oom_kill event for small ($SMALL) from the kernel log" test -n "$EV"
is "$(jq -s --arg g "$G" '[.[] | select(.kind == "oom_kill" and .update == false and
	((.task_cgroup // .cgroup) == $g))] | length' "$OUT")" 1 "one kill counted in $G (update false once)"
diag "event: $(jq -c '{pid, task_cgroup, tasks, largest_task, victim_is_largest, page_kb, page_kb_from}' <<<"$EV")"
if [ "$(jq -r .task_cgroup_from <<<"$EV")" != kernel ]; then
	# the kernel's rate limit left the report out (another test's OOM kills within 5 s)
	is "$(jq -c '[.tasks, .largest_task, .victim_is_largest, .memory_stat]' <<<"$EV")" \
		"[null,null,null,null]" "report rate-limited: no evidence, none made up"
	skip "the evidence of the kill" "the kernel left its report out (rate limit)"
	done_testing
	exit
fi
is "$(jq -r .victim_is_largest <<<"$EV")" false "victim_is_largest: false"
is "$(jq -r .largest_task.pid <<<"$EV")" "$BIG" "largest_task is big ($BIG)"
is "$(jq -c --argjson a "$BIG" --argjson b "$SMALL" '[.tasks[].pid | select(. == $a or . == $b)] | sort' <<<"$EV")" \
	"$(jq -nc --argjson a "$BIG" --argjson b "$SMALL" '[$a, $b] | sort')" "tasks lists both processes"
# big holds its 40 MiB (40960 kB) plus its binary and libc
rss_big=$(jq --argjson a "$BIG" '.tasks[] | select(.pid == $a) | .rss_kb' <<<"$EV")
ok "big's rss in kB ($rss_big) holds its 40 MiB" test "${rss_big:-0}" -ge 40960 -a "${rss_big:-0}" -lt 65536
rss_small=$(jq --argjson a "$SMALL" '.tasks[] | select(.pid == $a) | .rss_kb' <<<"$EV")
ok "small's rss in kB ($rss_small) is below big's" test "${rss_small:-0}" -gt 0 -a "${rss_small:-0}" -lt "${rss_big:-0}"
is "$(jq -r '.page_kb_from' <<<"$EV")" victim "the page size is learned from the victim's row"
# memory.stat of the group at the kill: anon (v2, v1 6.x) or rss (v1 before 6.x), in bytes
anon=$(jq '.memory_stat.anon // .memory_stat.rss // .memory_stat.total_rss // 0' <<<"$EV")
ok "memory_stat at the kill holds the group's anonymous memory ($anon bytes)" test "$anon" -ge 41943040

# the same kill in the text output of the saved log
dmesg >"$CG_TMP/dmesg.txt" 2>/dev/null || skip_all "dmesg cannot read the log"
"$CGTOP" --events --kmsg-file "$CG_TMP/dmesg.txt" >"$TXT" 2>"$ERR"
line=$(grep -a " oom_kill .* pid=$SMALL " "$TXT" | tail -1)
ok "text output: largest=$BIG and victim_is_largest=no for small" \
	grep -q "largest=$BIG/.* victim_is_largest=no" <<<"$line"
done_testing
