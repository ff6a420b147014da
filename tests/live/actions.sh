#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# actions.sh - live test of the dashboard's actions without the dashboard
# (src/ui/actions.c through tests/helpers/actions-run): memory and pids limits
# land in the kernel file, bad values and a limit below usage change nothing
# and say why in plain words, freeze and thaw, attach a pid, kill every
# process, the root group is refused, and an unprivileged user gets
# "permission denied".  Groups nested below the test's own; needs root.

set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"

top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}

cg_init
ACTIONS_RUN=${ACTIONS_RUN:-$top_builddir/tests/helpers/actions-run}
[ -x "$ACTIONS_RUN" ] || bail_out "test helper $ACTIONS_RUN is not built (make check builds it)"
need_helper MEMHOG memhog
cg_describe
G=$CG_TEST
cg_create "$G" memory pids freezer || bail_out "cannot create $G"

OUT=$CG_TMP/out
run()
{
	"$ACTIONS_RUN" "$@" >"$OUT" 2>&1
}
says()
{
	if grep -q -- "$1" "$OUT"; then
		pass "$2"
	else
		fail "$2" "output: $(cat "$OUT")" "expected: $1"
	fi
}

if mf=$(cg_file "$G" memory.limit_in_bytes); then
	MEMFILE=memory.limit_in_bytes
else
	MEMFILE=memory.max
	mf=$(cg_file "$G" memory.max) || bail_out "no memory limit file for $G"
fi

# memory limit
run "$G" mem 48M
ok "m 48M succeeds" test $? -eq 0
is "$(cat "$mf")" 50331648 "$MEMFILE is 50331648"
says "$MEMFILE set to 48.0M (50331648)" "message names the file and the value (as the table shows sizes)"

run "$G" mem 12Q
ok "m 12Q fails" test $? -ne 0
says "invalid memory limit '12Q'" "message names the bad value"
is "$(cat "$mf")" 50331648 "$MEMFILE unchanged after 12Q"

run "$G" mem " max "
is "$(cat "$mf")" "$(if [ $MEMFILE = memory.max ]; then echo max; else cat "$(dirname "$mf")/../memory.limit_in_bytes" 2>/dev/null || echo 9223372036854771712; fi)" \
	"m max lifts the limit"
run "$G" mem 48M

# below usage: nothing changes, EBUSY in plain words
rm -f "$CG_TMP/ready"
cg_spawn "$G" sh -c "exec $MEMHOG 20 > $CG_TMP/ready"
HOG=$CG_LAST_PID
wait_for_line "$CG_TMP/ready" ready 10 || fail "memhog ready" "no ready line"
run "$G" mem 1M
ok "m 1M below usage fails" test $? -ne 0
says "below the group's usage" "EBUSY in plain words"
says "nothing changed" "says nothing changed"
is "$(cat "$mf")" 50331648 "$MEMFILE unchanged after 1M"
kill -0 "$HOG" 2>/dev/null && pass "memhog still alive" || fail "memhog still alive"

# pids limit
if pf=$(cg_file "$G" pids.max); then
	run "$G" pids 10
	is "$(cat "$pf")" 10 "p 10: pids.max is 10"
	run "$G" pids ten
	ok "p ten fails" test $? -ne 0
	says "invalid pids limit 'ten'" "message names the bad pids value"
	run "$G" pids max
	is "$(cat "$pf")" max "p max"
else
	skip "pids.max" "no pids controller"
fi

# freeze and thaw
if ff=$(cg_file "$G" freezer.state) || ff=$(cg_file "$G" cgroup.freeze); then
	run "$G" freeze
	says "frozen" "f: message says frozen"
	case $ff in
	*freezer.state) is "$(cat "$ff")" FROZEN "freezer.state FROZEN" ;;
	*) is "$(cat "$ff")" 1 "cgroup.freeze 1" ;;
	esac
	run "$G" frozen
	says "^0 frozen" "action_frozen sees it frozen"
	run "$G" thaw
	says "thawed" "f again: thawed"
	case $ff in
	*freezer.state) is "$(cat "$ff")" THAWED "freezer.state THAWED" ;;
	*) is "$(cat "$ff")" 0 "cgroup.freeze 0" ;;
	esac
else
	skip "freeze" "no freezer"
fi

# attach a process this test started
sleep 300 &
SL=$!
CG_PIDS+=("$SL")
run "$G" attach "$SL"
says "moved into $G" "a: pid moved"
grep -q ":$G\$" "/proc/$SL/cgroup" && pass "the pid is in $G" || fail "the pid is in $G" "$(cat /proc/$SL/cgroup)"
run "$G" attach 999999999
ok "a bad pid fails" test $? -ne 0
says "invalid pid\|no such process" "bad pid in plain words"

# kill every process
run "$G" kill
says "killed" "K: message says killed"
sleep 0.3
wait "$HOG" 2>/dev/null
wait "$SL" 2>/dev/null
kill -0 "$HOG" 2>/dev/null && fail "memhog gone" || pass "memhog gone"
kill -0 "$SL" 2>/dev/null && fail "attached sleep gone" || pass "attached sleep gone"

# the root group is refused, and nothing is written
run / mem 1G
ok "root group refused" test $? -ne 0
says "root group" "message names the root group"

# an unprivileged user: permission denied
if command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$ACTIONS_RUN" "$G" mem 64M >"$OUT" 2>&1
	says "permission denied writing $MEMFILE of $G" "unprivileged: permission denied in plain words"
	is "$(cat "$mf")" 50331648 "$MEMFILE unchanged"
else
	skip "unprivileged" "no setpriv"
fi

done_testing
