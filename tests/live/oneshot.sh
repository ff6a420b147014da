#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# oneshot.sh - live test of the one-shot path and of the watches set up after it.
#  1. `cgtop -b -n 1` (text, JSON, Prometheus) sets up no inotify watch and
#     keeps no fd: strace counts no inotify_init1 / inotify_add_watch, and
#     no file opened below a hierarchy's mount is open when the sample is
#     written (the walk's directories are, until a second sample).  A text
#     sample does not read the counters of rates (%CPU, I/O).  A group's
#     files are opened from its directory or its parent's, as the walk
#     opened them, not by their path from the mount.
#  2. A longer run sets its watches up after the first sample, and from then
#     on sees what changes: groups made below a leaf of the first walk (whose
#     directory was never listed: its link count said it had no children), a
#     group made just after the first sample, a group removed after it.
# Counts syscalls, not time.  Needs root and strace (else skips, 77).

set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"

top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

command -v jq >/dev/null || skip_all "jq is not installed"
command -v strace >/dev/null || skip_all "strace is not installed"
cg_init
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"

CTRLS=(memory pids cpu cpuacct)
T=$CG_TEST
cg_describe
for g in a a/leaf a/x b gone; do
	cg_create "$T/$g" "${CTRLS[@]}" || bail_out "cannot create $T/$g"
done

WAIT=30
in_vm && WAIT=120
OUT=$CG_TMP/out
ERR=$CG_TMP/err
TR=$CG_TMP/trace

# ---- 1. one sample: no watches, no kept fds -----------------------------------

# fds of groups' files open when the sample is written (the first write to
# stdout): openat lines relative to a directory fd (the hierarchies' mount
# fds are opened from "/" once and live as long as the tree), not of a
# directory (the first walk's, which pin no file's buffer), whose fd was
# not closed before (by close, or by close_range: the sampler closes the
# files it read in runs)
kept()
{
	awk '/^openat\([0-9]+, "/ && !/O_DIRECTORY/ && / = [0-9]+$/ { open[$NF] = 1 }
	     /^close\(/ { fd = $0; sub(/^close\(/, "", fd); sub(/\).*/, "", fd); delete open[fd] }
	     /^close_range\(/ { r = $0; sub(/^close_range\(/, "", r); split(r, a, /, */)
	                        for (f in open) if (f + 0 >= a[1] + 0 && f + 0 <= a[2] + 0) delete open[f] }
	     /^write\(1,/ { n = 0; for (f in open) n++; print n; exit }' "$1"
}

# LeakSanitizer cannot run under ptrace (the sanitizer build): leaks are
# checked by the other tests
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0

for fmt in text json prometheus; do
	strace -qq -e trace=inotify_init1,inotify_add_watch,openat,close,close_range,write -o "$TR" \
		"$CGTOP" -b -n 1 --format "$fmt" "$T" >"$OUT" 2>"$ERR"
	rc=$?
	is "$rc" 0 "-n 1 --format $fmt: exit 0"
	is "$(grep -c 'inotify_' "$TR")" 0 "-n 1 --format $fmt: no inotify_init1, no inotify_add_watch"
	is "$(kept "$TR")" 0 "-n 1 --format $fmt: no fd of a group is open when the sample is written"
	[ -s "$OUT" ] || fail "-n 1 --format $fmt: prints a sample" "$(head -c 300 "$ERR")"
done

# the files of a/leaf (a leaf: the walk did not open it) from a's directory
# ("leaf/pids.current"), not by a path of every level from the mount
strace -qq -e trace=openat -o "$TR" "$CGTOP" -b -n 1 "$T" >/dev/null 2>"$ERR"
deep=$(grep -cE '^openat\([0-9]+, "([^"]*/)?a/leaf/[^/"]+"' "$TR")
short=$(grep -cE '^openat\([0-9]+, "leaf/[^/"]+"' "$TR")
is "$deep" 0 "-n 1: no file of a/leaf opened by a path through a/"
ok "-n 1: the files of a/leaf opened from a's directory ($short)" test "$short" -gt 0

# a single text sample shows no rate: the files of %CPU and I/O are not read
# (JSON shows their counters, so it reads them)
rates='[/"](cpuacct\.usage|cpu\.stat|blkio\.throttle\.io_serv[a-z_]*)"'
for fmt in text json; do
	strace -qq -e trace=openat -o "$TR" "$CGTOP" -b -n 1 --format "$fmt" "$T" >/dev/null 2>"$ERR"
	n=$(grep -cE "$rates" "$TR")
	if [ "$fmt" = text ]; then
		is "$n" 0 "-n 1 text: no CPU or I/O counter file opened (rates need two samples)"
	else
		ok "-n 1 json: the CPU and I/O counters are read ($n files)" test "$n" -gt 0
	fi
done

# the text columns show I/O bytes, not operations: on v1 those are a file of
# their own (blkio.throttle.io_serviced_recursive), which text output never
# reads and JSON does, with their rates from the second sample on
if h=$(cg_hier_of blkio) && [ "${CG_TYPE[h]}" = v1 ]; then
	cg_create "$T/io" memory blkio || bail_out "cannot create $T/io"
	for fmt in text json; do
		strace -qq -e trace=openat -o "$TR" "$CGTOP" -b -n 3 -d 0.1 --format "$fmt" "$T" >"$OUT" 2>"$ERR"
		nb=$(grep -c 'blkio\.throttle\.io_service_bytes_recursive"' "$TR")
		no=$(grep -c 'blkio\.throttle\.io_serviced_recursive"' "$TR")
		ok "-n 3 $fmt: the I/O bytes are read ($nb opens)" test "$nb" -gt 0
		if [ "$fmt" = text ]; then
			is "$no" 0 "-n 3 text: the I/O operations are not read (no column shows them)"
			# the last sample's row of io: Input/s and Output/s (the last two
			# default columns) are numbers, not "-"
			is "$(awk -v p="$T/io" '$1 == p { r = $(NF - 1) " " $NF } END { print r }' "$OUT" |
				sed -E 's/[0-9][0-9.]*[KMGT]?B?/N/g')" "N N" "-n 3 text: io's Input/s and Output/s are shown"
		else
			ok "-n 3 json: the I/O operations are read ($no opens)" test "$no" -gt 0
			is "$(sed -n 3p "$OUT" | jq -r --arg p "$T/io" '.cgroups[] | select(.path == $p) |
				[.io_read_ios_per_sec, .io_write_ios_per_sec, .io_read_bytes_per_sec] | map(type) | join(",")')" \
				number,number,number "-n 3 json: io's operations and bytes per second are numbers"
		fi
	done
else
	skip "the I/O operations left out of text output" "no v1 blkio hierarchy (v2 io.stat holds bytes and operations)"
fi

# a second sample is coming: then the watches pay back (the check above can fail)
strace -qq -e trace=inotify_add_watch -o "$TR" "$CGTOP" -b -n 2 -d 0.1 "$T" >/dev/null 2>"$ERR"
nw=$(grep -c '^inotify_add_watch(' "$TR")
ok "-n 2: watches are set up for the second sample ($nw)" test "$nw" -gt 0

# ---- 2. after the first sample, changes are seen --------------------------------

samples() { wc -l <"$1" 2>/dev/null || echo 0; }
# wait_samples FILE N: waits until FILE holds N samples
wait_samples()
{
	local end=$(($(date +%s) + WAIT))

	while [ "$(samples "$1")" -lt "$2" ]; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.05
	done
}
# has_in FILE N PATH: "yes" when sample N (1-based) of FILE lists PATH, else "no"
has_in()
{
	sed -n "$2p" "$1" | jq -r --arg p "$3" '[.cgroups[] | select(.path == $p)] |
		if length > 0 then "yes" else "no" end'
}

cg_bg "$CGTOP" -b -n 100000 -d 0.3 --columns tasks --format json "$T" >"$OUT" 2>"$ERR"
BG=$CG_LAST_PID
wait_samples "$OUT" 1 || bail_out "cgtop gave no sample: $(head -c 500 "$ERR")"
cg_create "$T/a/leaf/new1" "${CTRLS[@]}" || bail_out "cannot create $T/a/leaf/new1"
cg_create "$T/c" "${CTRLS[@]}" || bail_out "cannot create $T/c"
cg_rmdir "$T/gone"
n=$(samples "$OUT")
wait_samples "$OUT" $((n + 2)) || bail_out "cgtop stopped sampling: $(head -c 500 "$ERR")"
m=$((n + 2))
is "$(has_in "$OUT" 1 "$T/a/leaf")" yes "first sample: a/leaf listed"
is "$(has_in "$OUT" "$m" "$T/a/leaf/new1")" yes "a group made below a leaf after the first sample is seen"
is "$(has_in "$OUT" "$m" "$T/c")" yes "a group made after the first sample is seen"
is "$(has_in "$OUT" "$m" "$T/gone")" no "a group removed after the first sample goes"
# and with the watches in place (third sample on): below a leaf again
cg_create "$T/a/x/new2" "${CTRLS[@]}" || bail_out "cannot create $T/a/x/new2"
n=$(samples "$OUT")
wait_samples "$OUT" $((n + 2)) || bail_out "cgtop stopped sampling: $(head -c 500 "$ERR")"
is "$(has_in "$OUT" $((n + 2)) "$T/a/x/new2")" yes "a group made below a leaf later is seen (inotify)"
cg_kill "$BG"
if [ -s "$ERR" ]; then
	fail "nothing on stderr" "$(head -c 1000 "$ERR")"
else
	pass "nothing on stderr"
fi

done_testing
