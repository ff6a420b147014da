#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# launch-oom-pair.sh - two `cgtop --launch --mem 32M` started together, each
# running a memory hog that is OOM-killed at about the same moment as the
# other's: each report names its own victim (the pid its command started),
# never the other launch's, though both kills are in the kernel log before
# either command ends (each command waits, after its own kill, until the
# other's has happened).  The victim is found in the kernel log by its group.
# Root and a readable /dev/kmsg, else skips (77).

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
[ -r /dev/kmsg ] || skip_all "/dev/kmsg is not readable"
need_helper MEMHOG memhog
cg_describe

NAME=cgtop-oompair-$$
# groups named NAME-* anywhere below the mounts
groups_named() { cg_groups_named "$NAME-*"; }
sweep() { cg_sweep_named "$NAME-*"; }
trap 'r=$?; sweep; (exit $r); cg_cleanup EXIT' EXIT
trap 'r=$?; sweep; (exit $r); cg_cleanup INT' INT
trap 'r=$?; sweep; (exit $r); cg_cleanup TERM' TERM

# the command of launch X (other: Y): the hog in the background (its pid, a
# host pid: no pid namespace, into pid.X), its end (done.X), then up to 60 s
# for the other's end
cmd()
{
	printf '%s 100 & echo $! >%s/pid.%s; wait; : >%s/done.%s; i=0; ' "$MEMHOG" "$CG_TMP" "$1" "$CG_TMP" "$1"
	printf 'while [ ! -e %s/done.%s ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done' "$CG_TMP" "$2"
}

# the kernel's rate limit of OOM reports spent by other tests' kills would
# leave this test's reports out (lib.sh)
oom_reports_quiet 60
for x in a b; do
	y=$([ $x = a ] && echo b || echo a)
	cg_bg timeout 120 "$CGTOP" --launch --parent self --name "$NAME-$x" --mem 32M --ns ipc \
		--report "$CG_TMP/r.$x.json" -- sh -c "$(cmd $x $y)" \
		>"$CG_TMP/out.$x" 2>"$CG_TMP/err.$x" </dev/null
	eval "P_$x=\$CG_LAST_PID"
done
# shellcheck disable=SC2154
wait "$P_a"
rc_a=$?
# shellcheck disable=SC2154
wait "$P_b"
rc_b=$?
is "$rc_a/$rc_b" "0/0" "both launches end with their command's status 0"

for x in a b; do
	r=$CG_TMP/r.$x.json
	want=$(cat "$CG_TMP/pid.$x" 2>/dev/null)
	is "$(jq -r .oom_killed "$r" 2>/dev/null)" true "launch $x: OOM-killed"
	got=$(jq -r .oom_victim_pid "$r" 2>/dev/null)
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		pass "launch $x: the report names its own victim, pid $want"
	else
		fail "launch $x: the report names its own victim" "want pid ${want:-?}, report: $(cat "$r" 2>/dev/null)" \
			"$(cat "$CG_TMP/err.$x")"
	fi
	is "$(jq -r .oom_victim_name "$r" 2>/dev/null)" memhog "launch $x: the victim's name"
	if grep -Eq "victim pid $want \(memhog\)" "$CG_TMP/err.$x"; then
		pass "launch $x: the text report names the same victim"
	else
		fail "launch $x: the text report names the same victim" "$(cat "$CG_TMP/err.$x")"
	fi
done
is "$(groups_named)" "" "no group left"

done_testing
