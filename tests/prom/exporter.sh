#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# exporter.sh - `cgtop --listen` and `cgtop --textfile` as a headless exporter:
# a malformed address or a bad combination exits 2 with one line naming it; a
# port in use, an address not on this host, a missing, non-directory or (as
# root, tried as nobody) unwritable textfile directory exit 1 with one line;
# GET /metrics answers 200 with the exposition's content type and a body
# promtool accepts, HEAD too, / links to /metrics, anything else is 404 and
# other methods 405; garbage, half requests and clients that hang up in the
# middle of a response leave the exporter serving; SIGTERM and SIGHUP end it
# with status 0, its port closed and no file left behind; the textfile, read in a loop while cgtop rewrites it every 50 ms,
# is never seen half-written, and -n limits the writes.  Needs curl (and
# promtool for the body check); no root except for the unwritable directory.
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")/../live" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
. "$LIVE_DIR/../prom/lib-prom.sh"
top_srcdir=${top_srcdir:-$(cd "$LIVE_DIR/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
CGTOP=${CGTOP:-$top_builddir/cgtop}
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
command -v curl >/dev/null || skip_all "curl is not installed"
grep -qE ' - cgroup2? ' /proc/self/mountinfo || skip_all "no cgroup filesystem mounted"
export LC_ALL=C

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cgtop-exporter.XXXXXX") || bail_out "mktemp failed"
PIDS=()
cleanup()
{
	local p
	for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
OUT=$TMP/out ERR=$TMP/err
RUNAS=()
# a small tree: the exporter's first walk stays quick on a host full of groups
SCOPE=(--depth 1)

# start NAME ARGS...: cgtop ARGS in the background, stderr to $TMP/NAME.err; sets PID
start()
{
	local name=$1
	shift
	"$CGTOP" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
	PID=$!
	PIDS+=("$PID")
}

# one_line RC DESC ARGS...: cgtop ARGS exits RC with one line on stderr, nothing on stdout
one_line()
{
	local want=$1 desc=$2 why=()
	shift 2
	timeout 60 "${RUNAS[@]}" "$CGTOP" "$@" >"$OUT" 2>"$ERR" </dev/null
	local rc=$?
	[ "$rc" = "$want" ] || why+=("exit status $rc, expected $want")
	[ -s "$OUT" ] && why+=("stdout not empty")
	[ "$(wc -l <"$ERR")" = 1 ] || why+=("stderr has $(wc -l <"$ERR") lines")
	if [ ${#why[@]} = 0 ]; then
		pass "$desc: exit $want, one line: $(cat "$ERR")"
	else
		fail "$desc: exit $want, one line" "cgtop $*" "${why[@]}" "stderr: $(head -c 400 "$ERR")"
	fi
}

# ---- bad usage: exit 2 ------------------------------------------------------------------
for a in abc 127.0.0.1 127.0.0.1:0 127.0.0.1:70000 1.2.3.4.5:80 example.org:80 ::1:80 '[::1]' '[nope]:80' \
	127.0.0.1:80x ''; do
	one_line 2 "--listen '$a'" --listen "$a"
	grep -qF -- "'$a'" "$ERR" || fail "--listen '$a': the line names the value" "$(cat "$ERR")"
done
one_line 2 "--textfile ''" --textfile ''
one_line 2 "--listen with --format json" --listen 9617 --format json
one_line 2 "--listen with --events" --listen 9617 --events
one_line 2 "--listen with -n" --listen 9617 -n 3

# ---- runtime failures: exit 1 -------------------------------------------------------------
PORT=$(free_port) || bail_out "no free port"
start a --listen "127.0.0.1:$PORT" "${SCOPE[@]}"
A=$PID
wait_http "http://127.0.0.1:$PORT/metrics" 60 "$A" || bail_out "cgtop --listen did not answer: $(cat "$TMP/a.err")"
pass "cgtop --listen 127.0.0.1:$PORT answers"
# scrapes are answered from the last refresh (every 15 s without -d): two
# scrapes in a row give the same refresh time, and no second read of the tree
t1=$(curl -s "http://127.0.0.1:$PORT/metrics" | sed -n 's/^cgtop_last_refresh_timestamp_seconds //p')
t2=$(curl -s "http://127.0.0.1:$PORT/metrics" | sed -n 's/^cgtop_last_refresh_timestamp_seconds //p')
if [ -n "$t1" ] && [ "$t1" = "$t2" ]; then
	pass "two scrapes within one refresh interval serve the same refresh ($t1)"
else
	fail "two scrapes within one refresh interval serve the same refresh" "got '$t1' and '$t2'"
fi
one_line 1 "a port in use" --listen "127.0.0.1:$PORT" "${SCOPE[@]}"
grep -qi 'in use' "$ERR" || fail "a port in use: says so" "$(cat "$ERR")"
one_line 1 "an address not on this host" --listen "192.0.2.1:$PORT" "${SCOPE[@]}"
one_line 1 "a missing --textfile directory" --textfile "$TMP/nonexistent" "${SCOPE[@]}"
: >"$TMP/plainfile"
one_line 1 "a --textfile that is a file" --textfile "$TMP/plainfile" "${SCOPE[@]}"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	mkdir "$TMP/ro" && chmod 755 "$TMP/ro" && chmod 755 "$TMP"
	RUNAS=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
	one_line 1 "an unwritable --textfile directory (as nobody)" --textfile "$TMP/ro" "${SCOPE[@]}"
	RUNAS=()
else
	skip "an unwritable --textfile directory" "needs root and setpriv"
fi

# ---- HTTP ---------------------------------------------------------------------------------
U=http://127.0.0.1:$PORT
code=$(curl -s -D "$TMP/h" -o "$TMP/m.prom" -w '%{http_code}' "$U/metrics")
is "$code" 200 "GET /metrics: 200"
is "$(tr -d '\r' <"$TMP/h" | sed -n 's/^[Cc]ontent-[Tt]ype: //p')" "text/plain; version=0.0.4; charset=utf-8" \
	"GET /metrics: the exposition's content type"
if command -v promtool >/dev/null; then
	if msg=$(promtool check metrics <"$TMP/m.prom" 2>&1); then pass "GET /metrics: promtool accepts the body"
	else fail "GET /metrics: promtool accepts the body" "$msg"; fi
else
	skip "GET /metrics: promtool accepts the body" "no promtool"
fi
ok "GET /metrics: cgtop_up 1" grep -qx 'cgtop_up 1' "$TMP/m.prom"
is "$(curl -s -I -o /dev/null -w '%{http_code}' "$U/metrics")" 200 "HEAD /metrics: 200"
is "$(curl -s -o "$TMP/root" -w '%{http_code}' "$U/")" 200 "GET /: 200"
ok "GET /: links to /metrics" grep -q 'href="/metrics"' "$TMP/root"
is "$(curl -s -o /dev/null -w '%{http_code}' "$U/nope")" 404 "GET /nope: 404"
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST -d x=1 "$U/metrics")" 405 "POST /metrics: 405"

# ---- garbage and clients that hang up ----------------------------------------------------
for ((i = 0; i < 5; i++)); do
	(exec 3<>"/dev/tcp/127.0.0.1/$PORT" && head -c 8192 /dev/urandom >&3 && timeout 2 cat <&3 >/dev/null) 2>/dev/null
done
(exec 3<>"/dev/tcp/127.0.0.1/$PORT" && printf 'GARBAGE\r\n\r\n' >&3 && timeout 2 cat <&3 >/dev/null) 2>/dev/null
(exec 3<>"/dev/tcp/127.0.0.1/$PORT" && printf 'GET /metr' >&3) 2>/dev/null
(exec 3<>"/dev/tcp/127.0.0.1/$PORT" && printf 'GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\nabc' >&3) 2>/dev/null
for ((i = 0; i < 20; i++)); do
	# ask for the exposition, read 100 bytes of it, hang up
	(exec 3<>"/dev/tcp/127.0.0.1/$PORT" && printf 'GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n' >&3 &&
		head -c 100 <&3 >/dev/null) 2>/dev/null
done
for ((i = 0; i < 5; i++)); do
	curl -s --max-time 0.01 -o /dev/null "$U/metrics" 2>/dev/null
done
ok "after garbage and hang-ups: cgtop still runs" kill -0 "$A"
is "$(curl -s -o "$TMP/m2.prom" -w '%{http_code}' --max-time 30 "$U/metrics")" 200 \
	"after garbage and hang-ups: /metrics still answers 200"
ok "after garbage and hang-ups: a whole exposition" grep -q '^cgtop_refresh_duration_seconds ' "$TMP/m2.prom"
kill -TERM "$A"
wait "$A"
is "$?" 0 "SIGTERM: --listen exits 0"
is "$(cat "$TMP/a.err")" "cgtop: serving http://127.0.0.1:$PORT/metrics" "stderr: only the line saying where it serves"

# ---- SIGHUP: a hang-up stops it as cleanly as SIGTERM ----------------------------------------
PORT=$(free_port) || bail_out "no free port"
start h --listen "127.0.0.1:$PORT" "${SCOPE[@]}"
H=$PID
wait_http "http://127.0.0.1:$PORT/metrics" 60 "$H" || bail_out "cgtop --listen did not answer: $(cat "$TMP/h.err")"
kill -HUP "$H"
wait "$H"
is "$?" 0 "SIGHUP: --listen exits 0"
is "$(cat "$TMP/h.err")" "cgtop: serving http://127.0.0.1:$PORT/metrics" "SIGHUP: stderr only says where it served"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
	fail "SIGHUP: nothing listens on $PORT afterwards" "a connection was accepted"
else
	pass "SIGHUP: nothing listens on $PORT afterwards"
fi

# ---- --textfile -----------------------------------------------------------------------------
D=$TMP/textfile
mkdir "$D"
start t --textfile "$D" -d 0.05 "${SCOPE[@]}"
T=$PID
for ((i = 0; i < 300; i++)); do [ -s "$D/cgtop.prom" ] && break; sleep 0.1; done
[ -s "$D/cgtop.prom" ] || bail_out "no $D/cgtop.prom after 30 s: $(cat "$TMP/t.err")"
declare -A sums=()
bad=0 reads=0 t_end=$((SECONDS + 4))
while [ $SECONDS -lt $t_end ]; do
	cp "$D/cgtop.prom" "$TMP/copy" 2>/dev/null || { bad=$((bad + 1)); continue; }
	reads=$((reads + 1))
	sums[$(cksum <"$TMP/copy")]=1
	if [ "$(head -c 7 "$TMP/copy")" != "# HELP " ] || [ "$(tail -c 1 "$TMP/copy" | od -An -c | tr -d ' ')" != '\n' ] ||
		! tail -1 "$TMP/copy" | grep -q '^cgtop_last_refresh_timestamp_seconds [0-9.]*$'; then
		bad=$((bad + 1))
		cp "$TMP/copy" "$TMP/bad.$bad"
	fi
done
is "$bad" 0 "textfile read $reads times while rewritten every 50 ms: never partial"
[ ${#sums[@]} -gt 2 ] && pass "textfile rewritten meanwhile (${#sums[@]} versions seen)" ||
	fail "textfile rewritten meanwhile" "${#sums[@]} versions seen"
if command -v promtool >/dev/null; then
	ok "textfile: promtool accepts it" promtool check metrics <"$TMP/copy"
fi
kill -TERM "$T"
wait "$T"
is "$?" 0 "SIGTERM: --textfile exits 0"
is "$(ls -A "$D")" cgtop.prom "no temporary file left behind"
rm -f "$D/cgtop.prom"
start th --textfile "$D" -d 0.05 "${SCOPE[@]}"
T=$PID
for ((i = 0; i < 300; i++)); do [ -s "$D/cgtop.prom" ] && break; sleep 0.1; done
kill -HUP "$T"
wait "$T"
is "$?" 0 "SIGHUP: --textfile exits 0"
is "$(ls -A "$D")" cgtop.prom "SIGHUP: no temporary file left behind"
rm -f "$D/cgtop.prom"
timeout 60 "$CGTOP" --textfile "$D" -n 3 -d 0.05 "${SCOPE[@]}" 2>"$ERR"
is "$?" 0 "--textfile -n 3 exits 0 by itself"
ok "--textfile -n 3 wrote the file" test -s "$D/cgtop.prom"
done_testing
