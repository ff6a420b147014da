#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# launch-user.sh - an unprivileged user launches under limits: a test group D
# (nested under the test's own group) is delegated to nobody (chowned, as
# systemd's Delegate= does), a process of the test is put in the leaf D/lead and
# drops to nobody, and runs `cgtop --launch --ns user,pid,mnt --parent D --mem
# 32M --pids 10`: the command must run as root inside its user namespace, under
# the limits, in D/launch-N, with its fate reported; and without a writable
# parent the refusal must say what to do.
# Runs on hybrid, pure v2 and pure v1 systems; needs root (else skips, 77).
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

command -v jq >/dev/null || skip_all "jq is not installed"
command -v setpriv >/dev/null || skip_all "no setpriv (util-linux)"
cg_init
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
"${NOBODY[@]}" unshare -U true 2>/dev/null || skip_all "unprivileged user namespaces are not allowed here"

D=$CG_TEST/deleg
cg_create "$D/lead" memory pids cpu cpuacct || bail_out "cannot create $D/lead"
for dir in $(cg_dirs "$D"); do
	chown -R 65534:65534 "$dir" || bail_out "cannot delegate $dir"
done

REP=$CG_TMP/report.json
OUT=$CG_TMP/out
ERR=$CG_TMP/err
# (the report goes to stdout, after the command's output: nobody may not
# write into the test's private directory)
cg_spawn "$D/lead" "${NOBODY[@]}" "$CGTOP" --launch --ns user,pid,mnt --parent "$D" --mem 32M --pids 10 \
	--report - -- sh -c 'id -u; grep -c . /proc/self/uid_map' >"$OUT" 2>"$ERR"
wait "$CG_LAST_PID"
rc=$?
is "$rc" 0 "nobody launches in a delegated group: exit 0"
[ "$rc" = 0 ] || diag "stderr: $(cat "$ERR")"
is "$(head -1 "$OUT")" 0 "the command is root inside its user namespace"
tail -1 "$OUT" >"$REP"
is "$(jq -r .memory_max_bytes "$REP")" 33554432 "under the 32M memory limit"
cg=$(jq -r .cgroup "$REP")
case $cg in
"$D"/launch-*) pass "in a group below the delegated parent ($cg)" ;;
*) fail "in a group below the delegated parent" "report cgroup: $cg" ;;
esac
left=$(for dir in $(cg_dirs "$D"); do find "$dir" -mindepth 1 -maxdepth 1 -type d -name 'launch-*'; done)
is "$left" "" "the group is removed afterwards"

# no writable parent: the refusal says what is needed
cg_spawn "$D/lead" "${NOBODY[@]}" "$CGTOP" --launch --ns user,pid,mnt --parent "$CG_TEST" --mem 32M true \
	>"$OUT" 2>"$ERR"
wait "$CG_LAST_PID"
rc=$?
is "$rc" 1 "a parent nobody may not write: exit 1"
if grep -q 'delegated' "$ERR" && [ "$(wc -l <"$ERR")" = 1 ]; then
	pass "one line says a delegated subtree is needed"
else
	fail "one line says a delegated subtree is needed" "$(cat "$ERR")"
fi
done_testing
