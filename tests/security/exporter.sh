#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# exporter.sh - one client cannot keep the exporter from others.  A client at 127.0.0.1 opens
# 80 connections to `cgtop --listen` and sends half a request on each, adding a header line
# every second so that no idle timeout ends them; meanwhile a scrape from another client
# address (127.0.0.2, the loopback's own range) must be answered in full within 10 s, and the
# flooding client must have been held to a few connections.  A connection that sends nothing
# is closed within the idle timeout.  No root needed.  TAP.
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")/../live" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
top_srcdir=${top_srcdir:-$(cd "$LIVE_DIR/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
CGTOP=${CGTOP:-$top_builddir/cgtop}
# shellcheck source=tests/prom/lib-prom.sh
. "$top_srcdir/tests/prom/lib-prom.sh"
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
command -v curl >/dev/null || skip_all "curl is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"
grep -q 'define HAVE_MICROHTTPD 1' "$top_builddir/config.h" 2>/dev/null ||
	skip_all "built without libmicrohttpd (no --listen)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cgtop-sec-exporter.XXXXXX") || bail_out "mktemp failed"
PIDS=()
cleanup()
{
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

PORT=$(free_port) || bail_out "no free port"
"$CGTOP" --listen "127.0.0.1:$PORT" --depth 1 >"$TMP/cgtop.out" 2>"$TMP/cgtop.err" &
CG=$!
PIDS+=("$CG")
wait_http "http://127.0.0.1:$PORT/metrics" 60 "$CG" || bail_out "cgtop --listen did not answer: $(cat "$TMP/cgtop.err")"
curl -s --max-time 10 --interface 127.0.0.2 -o /dev/null "http://127.0.0.1:$PORT/" ||
	skip_all "cannot connect from 127.0.0.2 here"

# the flood: N connections from 127.0.0.1, each half a request, kept busy; prints "ready" when
# all are made, then every second how many the server has closed, until killed
cat >"$TMP/flood.py" <<'EOF'
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
socks = []
for i in range(n):
    s = socket.socket()
    s.settimeout(5)
    try:
        s.bind(('127.0.0.1', 0))
        s.connect(('127.0.0.1', port))
        s.sendall(b'GET /metrics HTTP/1.1\r\nHost: flood\r\n')
        socks.append(s)
    except OSError:
        s.close()
print('ready %d' % len(socks), flush=True)
closed = set()
while True:
    for i, s in enumerate(socks):
        if i in closed:
            continue
        try:
            s.sendall(b'X-Slow: 1\r\n')
            s.setblocking(False)
            try:
                if s.recv(4096) == b'':
                    closed.add(i)
            except BlockingIOError:
                pass
            s.setblocking(True)
        except OSError:
            closed.add(i)
    print('open %d' % (len(socks) - len(closed)), flush=True)
    time.sleep(1)
EOF
python3 "$TMP/flood.py" "$PORT" 80 >"$TMP/flood.out" 2>&1 &
FLOOD=$!
PIDS+=("$FLOOD")
for ((i = 0; i < 300; i++)); do
	grep -q '^ready' "$TMP/flood.out" && break
	sleep 0.1
done
grep -q '^ready' "$TMP/flood.out" || bail_out "the flood did not start: $(cat "$TMP/flood.out")"
# two rounds of keeping busy, so the server has seen every connection
n0=$(grep -c '^open' "$TMP/flood.out")
for ((i = 0; i < 100; i++)); do
	[ "$(grep -c '^open' "$TMP/flood.out")" -ge $((n0 + 2)) ] && break
	sleep 0.1
done

code=$(curl -s --max-time 10 --interface 127.0.0.2 -o "$TMP/scrape" -w '%{http_code}' \
	"http://127.0.0.1:$PORT/metrics" 2>"$TMP/curl.err")
is "$code" 200 "80 half-open connections from 127.0.0.1: a scrape from 127.0.0.2 is answered within 10 s"
if grep -q '^cgtop_up 1$' "$TMP/scrape" 2>/dev/null; then
	pass "and the exposition is whole"
else
	fail "and the exposition is whole" "$(tail -3 "$TMP/scrape" 2>&1)" "$(cat "$TMP/curl.err")"
fi
open=$(grep '^open' "$TMP/flood.out" | tail -1 | awk '{ print $2 }')
if [ -n "$open" ] && [ "$open" -le 8 ]; then
	pass "the flooding client keeps at most 8 connections (it has $open)"
else
	fail "the flooding client keeps at most 8 connections" "open: ${open:-?}" "$(tail -3 "$TMP/flood.out")"
fi
kill "$FLOOD" 2>/dev/null
wait "$FLOOD" 2>/dev/null
kill -0 "$CG" 2>/dev/null && pass "cgtop still runs" || fail "cgtop still runs" "$(cat "$TMP/cgtop.err")"

# a connection that sends nothing more is closed by the idle timeout (10 s), timed from its
# last byte (python's own start-up is slow in an emulated VM)
took=$(python3 - "$PORT" <<'EOF'
import socket, sys, time
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
s.settimeout(60)
s.sendall(b'GET /metrics HTTP/1.1\r\n')
t = time.monotonic()
try:
    s.recv(1)
except OSError:
    pass
print(int(time.monotonic() - t))
EOF
)
if [ -n "$took" ] && [ "$took" -le 30 ]; then
	pass "a half-sent request is cut off after the idle timeout (${took}s)"
else
	fail "a half-sent request is cut off after the idle timeout" "held ${took:-?}s"
fi

done_testing
