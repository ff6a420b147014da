#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# dlopen.sh - libmicrohttpd and SQLite are loaded when an option needs them,
# not at start (include/base/dl.h):
#  1. the binary's NEEDED names neither (readelf -d), nor libm;
#  2. a running `cgtop -b -d 1`, its first sample out, maps neither
#     (/proc/PID/maps); `--listen` maps libmicrohttpd once /metrics answers,
#     `--record` maps libsqlite3 once it runs, and --version says which
#     versions run;
#  3. (root) each library made unloadable (an empty file bind-mounted over it
#     in a private mount namespace): --listen, --record, -b --replay and
#     --events --replay exit 1 with one line naming the library's soname and
#     the option, --record makes no file; -b -n 1 and --textfile work, and
#     --version (exit 0) says the library cannot be loaded.
# Needs readelf and curl; part 3 needs root and unshare (else skips it).
# test-lane: free (its own processes, a loopback port and a private mount namespace)
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
. "$LIVE_DIR/../prom/lib-prom.sh"
top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
command -v readelf >/dev/null || skip_all "readelf is not installed (binutils)"
command -v curl >/dev/null || skip_all "curl is not installed"
grep -qE ' - cgroup2? ' /proc/self/mountinfo || skip_all "no cgroup filesystem mounted"
export LC_ALL=C

# the sonames configure recorded (config.h), as cgtop loads them
soname()
{
	sed -n "s/^#define $1_SONAME \"\\(.*\\)\"\$/\\1/p" "$top_builddir/config.h"
}
SQLITE=$(soname SQLITE)
MHD=$(soname MICROHTTPD)
[ -n "$SQLITE" ] || bail_out "no SQLITE_SONAME in $top_builddir/config.h"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cgtop-dlopen.XXXXXX") || bail_out "mktemp failed"
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
# a small tree: the first walk stays quick on a host full of groups
SCOPE=(--depth 1)
WAIT=30
in_vm && WAIT=120

# start NAME ARGS...: cgtop ARGS in the background, output in $TMP/NAME.*; sets PID
start()
{
	local name=$1
	shift
	"$CGTOP" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" </dev/null &
	PID=$!
	PIDS+=("$PID")
}

# stop PID: SIGTERM, and its exit status in RC
stop()
{
	kill -TERM "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	RC=$?
}

# mapped PID SONAME: prints the file of PID's mapping of the library SONAME
# (libfoo.so.N is mapped as the file it links to, libfoo.so.N.M.K)
mapped()
{
	awk -v lib="/${2}" 'index($6, lib) { print $6; exit }' "/proc/$1/maps" 2>/dev/null
}

# wait_until SECONDS CMD...: polls CMD every 0.1 s until it succeeds
wait_until()
{
	local tenths=$(($1 * 10))
	shift
	while [ "$tenths" -gt 0 ]; do
		"$@" && return 0
		nap 0.1
		tenths=$((tenths - 1))
	done
	return 1
}

# ---- 1. not linked ----------------------------------------------------------------------
readelf -d "$CGTOP" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' >"$TMP/needed"
for lib in "$SQLITE" ${MHD:+"$MHD"}; do
	if grep -qxF "$lib" "$TMP/needed"; then
		fail "$lib is not among the binary's NEEDED" "NEEDED: $(tr '\n' ' ' <"$TMP/needed")"
	else
		pass "$lib is not among the binary's NEEDED"
	fi
done
# nor libm, whose mapping alone was 328 KB of the dashboard's RSS (units.h rounds)
if grep -q '^libm\.so' "$TMP/needed"; then
	fail "libm is not among the binary's NEEDED" "NEEDED: $(tr '\n' ' ' <"$TMP/needed")"
else
	pass "libm is not among the binary's NEEDED"
fi

# ---- 2. mapped only when needed -----------------------------------------------------------
start batch -b -d 1 "${SCOPE[@]}"
B=$PID
if wait_until "$WAIT" grep -q . "$TMP/batch.out"; then
	for lib in "$SQLITE" ${MHD:+"$MHD"}; do
		m=$(mapped "$B" "$lib")
		is "$m" "" "cgtop -b -d 1, its first sample out, does not map $lib"
	done
else
	fail "cgtop -b -d 1 prints a first sample" "stderr: $(head -c 400 "$TMP/batch.err")"
fi
stop "$B"

PORT=
if [ -n "$MHD" ]; then
	PORT=$(free_port) || bail_out "no free port"
	start listen --listen "127.0.0.1:$PORT" "${SCOPE[@]}"
	L=$PID
	if wait_http "http://127.0.0.1:$PORT/metrics" "$WAIT" "$L"; then
		MHD_FILE=$(mapped "$L" "$MHD")
		ok "--listen maps $MHD once it serves (${MHD_FILE:-not mapped})" test -n "$MHD_FILE"
		m=$(mapped "$L" "$SQLITE")
		is "$m" "" "--listen does not map $SQLITE"
	else
		fail "--listen serves /metrics" "stderr: $(head -c 400 "$TMP/listen.err")"
	fi
	stop "$L"
	is "$RC" 0 "--listen: SIGTERM ends it with status 0"
else
	skip "--listen maps libmicrohttpd" "built without libmicrohttpd"
fi

DB=$TMP/rec.db
start record --record "$DB" -d 0.2 "${SCOPE[@]}"
R=$PID
SQLITE_FILE=
wait_until "$WAIT" eval 'SQLITE_FILE=$(mapped "$R" "$SQLITE"); [ -n "$SQLITE_FILE" ]'
ok "--record maps $SQLITE (${SQLITE_FILE:-not mapped})" test -n "$SQLITE_FILE"
[ -n "$MHD" ] && is "$(mapped "$R" "$MHD")" "" "--record does not map $MHD"
# until a sample is stored, so the replays below have one
wait_until "$WAIT" eval '[ "$("$CGTOP" -b --replay "$DB" 2>/dev/null | wc -l)" -gt 0 ]'
stop "$R"
is "$RC" 0 "--record: SIGTERM ends it with status 0"

"$CGTOP" --version >"$OUT" 2>"$ERR"
ok "--version: sqlite with the version running" grep -qE '^  sqlite +[0-9.]+ \(running: [0-9.]+\)$' "$OUT"
[ -n "$MHD" ] &&
	ok "--version: libmicrohttpd with the version running" \
		grep -qE '^  libmicrohttpd +[0-9.]+ \(running: [0-9.]+\)$' "$OUT"

# ---- 3. a library that cannot be loaded ---------------------------------------------------
# without LIBFILE ARGS...: cgtop ARGS in a private mount namespace where the
# file LIBFILE is an empty file (dlopen: "file too short"); the host's mounts
# do not change.  Output in $OUT and $ERR, the exit status in RC.
without()
{
	local libfile=$1
	shift
	timeout 60 unshare -m --propagation private \
		sh -c 'mount --bind "$1" "$2" || exit 99; shift 2; exec "$@"' sh "$TMP/empty" "$libfile" \
		"$CGTOP" "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
}

# refused LIBFILE SONAME OPTION DESC ARGS...: cgtop ARGS without LIBFILE exits 1
# with one line on stderr that names SONAME and OPTION, and nothing on stdout
refused()
{
	local libfile=$1 so=$2 opt=$3 desc=$4 why=()
	shift 4
	without "$libfile" "$@"
	[ "$RC" = 1 ] || why+=("exit status $RC, expected 1")
	[ -s "$OUT" ] && why+=("stdout not empty")
	[ "$(wc -l <"$ERR")" = 1 ] || why+=("stderr has $(wc -l <"$ERR") lines")
	grep -qF -- "$so" "$ERR" || why+=("the line does not name $so")
	grep -qF -- "$opt" "$ERR" || why+=("the line does not name $opt")
	if [ ${#why[@]} = 0 ]; then
		pass "$desc without $so: exit 1, one line: $(cat "$ERR")"
	else
		fail "$desc without $so: exit 1, one line naming it and $opt" "cgtop $*" "${why[@]}" \
			"stderr: $(head -c 400 "$ERR")"
	fi
}

# works LIBFILE DESC ARGS...: cgtop ARGS without LIBFILE exits 0 with output
works()
{
	local libfile=$1 desc=$2
	shift 2
	without "$libfile" "$@"
	if [ "$RC" = 0 ] && [ -s "$OUT" ]; then
		pass "$desc: exit 0 with output"
	else
		fail "$desc: exit 0 with output" "cgtop $*" "exit status $RC" "stderr: $(head -c 400 "$ERR")"
	fi
}

if [ "$(id -u)" != 0 ]; then
	skip "a missing library" "needs root (a bind mount in a private mount namespace)"
elif ! command -v unshare >/dev/null; then
	skip "a missing library" "unshare is not installed"
elif ! unshare -m --propagation private true 2>/dev/null; then
	skip "a missing library" "cannot make a mount namespace here"
else
	: >"$TMP/empty"
	if [ -n "$SQLITE_FILE" ]; then
		NEW=$TMP/new.db
		refused "$SQLITE_FILE" "$SQLITE" --record "--record" --record "$NEW" -n 1 "${SCOPE[@]}"
		ok "--record without $SQLITE makes no file" test ! -e "$NEW"
		refused "$SQLITE_FILE" "$SQLITE" --replay "-b --replay" -b --replay "$DB"
		refused "$SQLITE_FILE" "$SQLITE" --replay "--events --replay" --events --replay "$DB"
		works "$SQLITE_FILE" "-b -n 1 without $SQLITE" -b -n 1 "${SCOPE[@]}"
		works "$SQLITE_FILE" "--version without $SQLITE" --version
		ok "--version says $SQLITE cannot be loaded" \
			grep -qE "^  sqlite +[0-9.]+ \\(cannot be loaded: .*$SQLITE.*; no --record" "$OUT"
	else
		skip "without $SQLITE" "no mapping of it was seen"
	fi
	if [ -n "$MHD" ] && [ -n "${MHD_FILE:-}" ]; then
		refused "$MHD_FILE" "$MHD" --listen "--listen" --listen "127.0.0.1:$PORT" "${SCOPE[@]}"
		works "$MHD_FILE" "-b -n 1 without $MHD" -b -n 1 "${SCOPE[@]}"
		works "$MHD_FILE" "--version without $MHD" --version
		ok "--version says $MHD cannot be loaded" \
			grep -qE "^  libmicrohttpd +[0-9.]+ \\(cannot be loaded: .*$MHD.*; no --listen" "$OUT"
		mkdir "$TMP/tf"
		without "$MHD_FILE" --textfile "$TMP/tf" -n 1 "${SCOPE[@]}"
		if [ "$RC" = 0 ] && grep -q '^cgtop_' "$TMP/tf/cgtop.prom" 2>/dev/null; then
			pass "--textfile without $MHD writes the exposition"
		else
			fail "--textfile without $MHD writes the exposition" "exit status $RC" \
				"stderr: $(head -c 400 "$ERR")"
		fi
	else
		skip "without libmicrohttpd" "built without it, or no mapping of it was seen"
	fi
fi

done_testing
