#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# record-unit.sh - data/cgtop-record.service, as make builds it: it runs
# `cgtop --record /var/lib/cgtop/record.db` from bindir, keeps its state in
# StateDirectory=cgtop, stops with SIGTERM (which commits the sample in hand),
# holds CAP_SYSLOG and nothing else, and systemd-analyze verify accepts it
# (with ExecStart pointed at the cgtop just built, which is not installed);
# a unit whose ExecStart is broken is refused, so the check can fail.
# test-lane: free (reads files, runs systemd-analyze; tests/tap-wrap.sh)
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

UNIT=$top_builddir/data/cgtop-record.service
[ -f "$UNIT" ] || bail_out "$UNIT is not built (make)"
TMP=$(mktemp -d) || bail_out "mktemp failed"
trap 'rm -rf "$TMP"' EXIT

key() { sed -n "s/^$1=//p" "$UNIT"; }
exec_start=$(key ExecStart)
is "${exec_start#* }" "--record /var/lib/cgtop/record.db" "ExecStart: cgtop --record /var/lib/cgtop/record.db"
case ${exec_start%% *} in
/*/cgtop) pass "ExecStart runs cgtop by its absolute path (${exec_start%% *})" ;;
*) fail "ExecStart runs cgtop by its absolute path" "$exec_start" ;;
esac
is "$(key StateDirectory)" cgtop "StateDirectory=cgtop"
is "$(key KillSignal)" SIGTERM "stopped with SIGTERM"
is "$(key CapabilityBoundingSet) $(key AmbientCapabilities)" "CAP_SYSLOG CAP_SYSLOG" "CAP_SYSLOG (the kernel log) and no other capability"
is "$(key ProtectSystem) $(key NoNewPrivileges) $(key PrivateNetwork)" "strict yes yes" \
	"ProtectSystem=strict, NoNewPrivileges, no network"

if ! command -v systemd-analyze >/dev/null; then
	skip 2 "systemd-analyze is not installed (systemd)"
else
	sed "s|^ExecStart=[^ ]*|ExecStart=$CGTOP|" "$UNIT" >"$TMP/cgtop-record.service"
	out=$(systemd-analyze verify --man=no "$TMP/cgtop-record.service" 2>&1)
	is "$? $out" "0 " "systemd-analyze verify accepts the unit"
	sed "s|^ExecStart=[^ ]*|ExecStart=$TMP/no-such-cgtop|" "$UNIT" >"$TMP/cgtop-record.service"
	out=$(systemd-analyze verify --man=no "$TMP/cgtop-record.service" 2>&1)
	if [ $? -ne 0 ] && [[ $out == *no-such-cgtop* ]]; then
		pass "systemd-analyze verify refuses a unit whose ExecStart is missing"
	else
		fail "systemd-analyze verify refuses a broken unit" "$out"
	fi
fi

done_testing
