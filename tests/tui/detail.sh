#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# detail.sh - the dashboard's detail view on a real kernel: a test group with a
# 64M memory limit and, nested in it, a group holding a memhog process (24 MiB).
# Through a private tmux server (tests/tui/lib.sh) the test selects the inner
# group with the filter (/ name Enter, Down to the last row) and opens it with Enter; the view
# must show its own limit (max) and the effective 64M naming the outer group
# that imposes it, the memory.stat breakdown (anon and file, or rss and cache
# where the memory controller is v1), and, scrolled down, the memhog process
# (its pid, state, command) in the process list; Esc goes back to the table.
# The outer group's detail shows 64M imposed by "this group", and q there goes
# back to the table instead of quitting.  Needs root and tmux (else skips, 77).

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

cg_init
tui_have || skip_all "tmux not installed"
cg_hier_of memory >/dev/null || skip_all "no memory controller usable below the own group"
need_helper MEMHOG memhog
# the tmux server and its pane go first, then the groups (cg_cleanup keeps the status)
trap 'rc_=$?; tui_stop; (exit $rc_); cg_cleanup EXIT' EXIT
trap 'tui_stop; cg_cleanup INT' INT
trap 'tui_stop; cg_cleanup TERM' TERM
cg_describe
# a settings file of its own: nothing the test toggles is saved for the user
export XDG_CONFIG_HOME=$CG_TMP/config

WAIT=${CGTOP_TUI_WAIT:-20}
in_vm && WAIT=${CGTOP_TUI_WAIT:-90}

OUTER=$CG_TEST/tuidetail
INNER=$OUTER/hogroom
cg_create "$INNER" memory pids cpu || bail_out "cannot create $INNER"
if cg_file "$OUTER" memory.max >/dev/null; then
	cg_write "$OUTER" memory.max 67108864 || bail_out "cannot set memory.max of $OUTER"
else
	cg_write "$OUTER" memory.limit_in_bytes 67108864 ||
		bail_out "cannot set memory.limit_in_bytes of $OUTER"
fi

cg_spawn "$INNER" "$MEMHOG" 24 >"$CG_TMP/memhog.out"
HOG=$CG_LAST_PID
wait_for_line "$CG_TMP/memhog.out" ready 10 || bail_out "memhog did not start"
diag "memhog pid $HOG in $INNER"

# open_detail NAME [UP]: filter the table by NAME, select the last row (the
# group, under its ancestors) or the one above it when UP is 1, and press Enter
open_detail()
{
	tui_keys /
	tui_type "$1"
	tui_keys Enter
	sleep 0.3
	# (no End: tmux sends it as \e[4~, which TERM=xterm-256color does not know)
	tui_keys Down Down Down Down Down
	[ "${2:-0}" -gt 0 ] && tui_keys Up
	sleep 0.3
	tui_keys Enter
}

# detail_pages: the whole detail page, scrolling down page by page
detail_pages()
{
	local i

	tui_screen
	for ((i = 0; i < 6; i++)); do
		tui_keys NPage
		sleep 0.2
		tui_screen
	done
}

tui_start -d 1 "$CG_TEST" || bail_out "tmux could not start"
if tui_wait hogroom "$WAIT"; then
	pass "the table shows the group hogroom"
else
	fail "the table shows the group hogroom" "screen:" "$(tui_screen)"
fi

# ---- the inner group: no limit of its own, 64M from the outer group ----------

open_detail hogroom
tui_expect "Group $INNER" "Enter opens the detail view of $INNER" 5
tui_expect "^ memory +max +64(\\.0)?M +$OUTER( |\$)" \
	"own limit max, effective 64M imposed by $OUTER" 5
if cg_file "$INNER" memory.limit_in_bytes >/dev/null; then
	stat_what="rss and cache (cgroup v1 memory.stat)"
	stat_re1='^ rss +[0-9.]+[BKMGT]'
	stat_re2='^ cache +[0-9.]+[BKMGT]'
else
	stat_what="anon and file (memory.stat)"
	stat_re1='^ anon +[0-9.]+[BKMGT]'
	stat_re2='^ file +[0-9.]+[BKMGT]'
fi
tui_expect "$stat_re1" "the memory.stat breakdown shows ${stat_what%% *}" 5
tui_expect "$stat_re2" "the memory.stat breakdown shows $stat_what" 5

# the memhog process: its pid, a state letter, an RSS near 24M, its name
found=
for ((t = 0; t < 5; t++)); do
	if detail_pages | grep -Eq "^ +$HOG [A-Z] +[0-9.]+[KMG] +[0-9]+ memhog"; then
		found=1
		break
	fi
	tui_keys PPage PPage PPage PPage PPage PPage
	sleep 0.5
done
if [ -n "$found" ]; then
	pass "the process list has memhog, pid $HOG"
else
	fail "the process list has memhog, pid $HOG" "screen:" "$(tui_screen)"
fi
# against the kernel's VmRSS of the same process (a sanitizer build of memhog
# holds more than the 24M it touches, and may still be growing: in a TCG
# guest it was 30.3M on the screen and 37.8M a moment later), read before and
# after the screen, retried a few times until it settles
rss_ok=
for ((t = 0; t < 10; t++)); do
	k1=$(awk '/^VmRSS:/ { print $2 }' "/proc/$HOG/status" 2>/dev/null)
	rss=$(detail_pages | awk -v p="$HOG" '$1 == p && $5 == "memhog" { print $3; exit }')
	kern=$(awk '/^VmRSS:/ { print $2 }' "/proc/$HOG/status" 2>/dev/null)
	shown=$(awk -v r="$rss" 'BEGIN {
		n = r + 0; u = substr(r, length(r), 1)
		if (u == "K") k = n; else if (u == "M") k = n * 1024; else if (u == "G") k = n * 1048576; else k = -1
		printf "%d", k }')
	if [ -n "$k1" ] && [ -n "$kern" ] && [ "$shown" -gt 0 ] && [ "$kern" -ge 20000 ] &&
		awk -v a="$shown" -v lo="$k1" -v hi="$kern" 'BEGIN {
			if (lo > hi) { t = lo; lo = hi; hi = t }
			exit !(a >= lo - lo / 10 - 2048 && a <= hi + hi / 10 + 2048) }'; then
		rss_ok=1
		break
	fi
	sleep 0.5
done
if [ -n "$rss_ok" ]; then
	pass "memhog's RSS matches the kernel's VmRSS ($rss, VmRSS $k1..$kern kB)"
else
	fail "memhog's RSS matches the kernel's VmRSS" "shown '$rss', VmRSS '${kern:-?}' kB"
fi

tui_keys PPage PPage PPage PPage PPage PPage
tui_keys Escape
if tui_wait_gone "Group $INNER" 5 && tui_wait "hogroom" 5; then
	pass "Esc goes back to the table"
else
	fail "Esc goes back to the table" "screen:" "$(tui_screen)"
fi

# ---- the outer group: its own 64M limit -------------------------------------

tui_keys Escape # clear the filter
sleep 0.3
open_detail tuidetail 1
tui_expect "Group $OUTER " "Enter opens the detail view of $OUTER" 5
tui_expect "^ memory +64(\\.0)?M +64(\\.0)?M +this group" "own and effective limit 64M, imposed by this group" 5
tui_keys q
if tui_wait_gone "Group $OUTER " 5 && tui_running; then
	pass "q in the detail view goes back to the table, cgtop keeps running"
else
	fail "q in the detail view goes back to the table, cgtop keeps running" "screen:" "$(tui_screen)"
fi

# ---- a group outside the memory hierarchy: its processes all the same ---------
# (in the pids and cpu hierarchies only: the list comes from one it exists in)
NOMEM=$CG_TEST/tuinomem
if cg_create "$NOMEM" pids cpu && [ ! -d "$(cg_dir "$(cg_hier_of memory)" "$NOMEM")" ]; then
	cg_spawn "$NOMEM" sleep 600
	SLP=$CG_LAST_PID
	tui_keys Escape # clear the filter
	tui_wait tuinomem "$WAIT" >/dev/null
	open_detail tuinomem
	tui_expect "Group $NOMEM" "Enter opens the detail view of $NOMEM (no memory controller)" 5
	found=
	for ((t = 0; t < 10; t++)); do
		pages=$(detail_pages)
		if grep -Eq "^ +$SLP [A-Z] +.* sleep" <<<"$pages"; then
			found=1
			break
		fi
		tui_keys PPage PPage PPage PPage PPage PPage
		sleep 0.5
	done
	if [ -n "$found" ]; then
		pass "its process list has sleep, pid $SLP, from the pids or cpu hierarchy"
	else
		fail "its process list has sleep, pid $SLP, from the pids or cpu hierarchy" "$pages"
	fi
	tui_keys PPage PPage PPage PPage PPage PPage Escape Escape
	tui_wait_gone "Group $NOMEM" 5
else
	skip "a group outside the memory hierarchy" "the memory controller is not a v1 hierarchy of its own here"
fi

tui_keys q
st=$(tui_status) || st="(still running after 10 s)"
is "$st" 0 "q in the table exits with status 0"

done_testing
