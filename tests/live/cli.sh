#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# cli.sh - command-line contract of cgtop: every bad value exits 2 with exactly
# one line on stderr naming it and nothing on stdout; off a terminal the text
# has a header only with --header; a sysroot that is missing
# or has no cgroup filesystem exits 1 with a clear message; --help (mentioning
# every long option) and --version exit 0.  Needs no root; the checks that need
# a mounted cgroup filesystem skip without one.
# test-lane: free (runs cgtop on bad input only; tests/tap-wrap.sh)

set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"

top_srcdir=${top_srcdir:-$(cd "$LIVE_DIR/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
CGTOP=${CGTOP:-$top_builddir/cgtop}
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"

export LC_ALL=C TERM=dumb
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cgtop-cli.XXXXXX") || bail_out "mktemp failed"
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM
OUT=$TMP/out
ERR=$TMP/err

have_cgroupfs=
grep -qE ' - cgroup2? ' /proc/self/mountinfo 2>/dev/null && have_cgroupfs=1

# run ARG...: cgtop with no terminal input; sets RC.
run()
{
	timeout 30 "$CGTOP" "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
}

# names VALUE: stderr contains VALUE as a whole word (quoted or not).
names()
{
	local re

	re=$(printf '%s' "$1" | sed 's/[][\.*^$/+?(){}|]/\\&/g')
	grep -qE -- "(^|[^[:alnum:]_.-])$re([^[:alnum:]_.]|$)" "$ERR"
}

# bad VALUE DESC ARG...: cgtop ARG... is bad usage naming VALUE.
bad()
{
	local value=$1 desc=$2 why=()

	shift 2
	run "$@"
	[ "$RC" = 2 ] || why+=("exit status $RC, expected 2")
	[ -s "$OUT" ] && why+=("stdout not empty: $(head -c 300 "$OUT")")
	[ "$(wc -l <"$ERR")" = 1 ] || why+=("stderr has $(wc -l <"$ERR") lines, expected 1")
	names "$value" || why+=("stderr does not name '$value'")
	if [ ${#why[@]} = 0 ]; then
		pass "$desc: exit 2, one line naming '$value'"
	else
		fail "$desc: exit 2, one line naming '$value'" "cgtop $*" "${why[@]}" \
			"stderr: $(head -c 500 "$ERR")"
	fi
}

# ---- bad usage ------------------------------------------------------------------

bad --bogus "unknown option" -b -n 1 --bogus
bad 0 "-n 0" -b -n 0
bad -1 "-n -1" -b -n -1
bad abc "-n abc" -b -n abc
bad 0 "-d 0" -b -n 1 -d 0
bad -1 "-d -1" -b -n 1 -d -1
bad abc "-d abc" -b -n 1 -d abc
bad -1 "--depth -1" -b -n 1 --depth -1
bad xml "--format xml" -b -n 1 --format xml
bad bogus "--columns bogus" -b -n 1 --columns bogus
bad bogus "--sort bogus" -b -n 1 --sort bogus
bad --header "--header with json" -b -n 1 --header --format json
bad --no-header "--no-header with --events" --events --no-header
if [ -n "$have_cgroupfs" ]; then
	bad /no/such/group "a PATH that is no group" -b -n 1 --format json /no/such/group
else
	skip "a PATH that is no group: exit 2" "no cgroup filesystem mounted"
fi

# ---- the text header off a terminal ----------------------------------------------

# stdout is a file here: no header unless --header asks for one
if [ -n "$have_cgroupfs" ]; then
	hdr='^Control Group +Memory +Tasks$'
	run -b -n 2 -d 0.1 --depth 0 --columns memory,tasks /
	if [ "$RC" = 0 ] && [ "$(grep -cE "$hdr" "$OUT")" = 0 ] && grep -q '^/ ' "$OUT"; then
		pass "off a terminal the text has no header by default"
	else
		fail "off a terminal the text has no header by default" "exit $RC" "$(head -5 "$OUT")"
	fi
	run -b -n 2 -d 0.1 --depth 0 --header --columns memory,tasks /
	if [ "$RC" = 0 ] && [ "$(grep -cE "$hdr" "$OUT")" = 2 ] && head -1 "$OUT" | grep -qE "$hdr" &&
		[ "$(grep -c '^/ ' "$OUT")" = 2 ]; then
		pass "--header: the column titles before each of two samples, in a file"
	else
		fail "--header: the column titles before each of two samples, in a file" "exit $RC" "$(head -8 "$OUT")"
	fi
	timeout 30 "$CGTOP" -b -n 1 --depth 0 --header --columns memory,tasks / </dev/null 2>"$ERR" | cat >"$OUT"
	if head -1 "$OUT" | grep -qE "$hdr"; then
		pass "--header: the column titles in a pipe"
	else
		fail "--header: the column titles in a pipe" "$(head -3 "$OUT")" "stderr: $(head -c 300 "$ERR")"
	fi
	run -b -n 1 --depth 0 --header --no-header --columns memory,tasks /
	if [ "$RC" = 0 ] && [ "$(grep -cE "$hdr" "$OUT")" = 0 ] && grep -q '^/ ' "$OUT"; then
		pass "--no-header (the last one given) drops the header"
	else
		fail "--no-header (the last one given) drops the header" "exit $RC" "$(head -3 "$OUT")"
	fi
else
	skip "--header off a terminal" "no cgroup filesystem mounted"
fi

# ---- runtime failures -----------------------------------------------------------

# fails1 DESC REGEX ARG...: exit 1, nothing on stdout, a message on stderr
# that matches REGEX (extended, case-insensitive).
fails1()
{
	local desc=$1 word=$2 why=()

	shift 2
	run "$@"
	[ "$RC" = 1 ] || why+=("exit status $RC, expected 1")
	[ -s "$OUT" ] && why+=("stdout not empty: $(head -c 300 "$OUT")")
	[ -s "$ERR" ] || why+=("nothing on stderr")
	grep -qiE -- "$word" "$ERR" || why+=("stderr does not match /$word/")
	if [ ${#why[@]} = 0 ]; then
		pass "$desc: exit 1 with a message"
	else
		fail "$desc: exit 1 with a message" "cgtop $*" "${why[@]}" "stderr: $(head -c 500 "$ERR")"
	fi
}

fails1 "--sysroot /nonexistent" /nonexistent -b -n 1 --sysroot /nonexistent

# a tree with /proc and /sys but no cgroup filesystem in its mount table
NOCG=$TMP/nocg
mkdir -p "$NOCG/proc/self" "$NOCG/sys/fs/cgroup"
echo '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw' >"$NOCG/proc/self/mountinfo"
echo '/dev/sda1 / ext4 rw,relatime 0 0' >"$NOCG/proc/self/mounts"
ln -s self/mounts "$NOCG/proc/mounts"
: >"$NOCG/proc/self/cgroup"
printf '#subsys_name\thierarchy\tnum_cgroups\tenabled\n' >"$NOCG/proc/cgroups"
fails1 "a sysroot without a cgroup filesystem" cgroup -b -n 1 --sysroot "$NOCG"
fails1 "an empty sysroot" "cgroup|$TMP" -b -n 1 --format json --sysroot "$TMP"

# ---- --help and --version -------------------------------------------------------

run --help
if [ "$RC" = 0 ] && [ -s "$OUT" ] && [ ! -s "$ERR" ]; then
	pass "--help exits 0, prints on stdout only"
else
	fail "--help exits 0, prints on stdout only" "exit $RC" "stderr: $(head -c 300 "$ERR")"
fi
longopts=(batch iterations delay depth format raw columns sysroot fd-budget help version)
if [ -r "$top_srcdir/src/options.c" ]; then
	# and every entry of the getopt table, should it grow
	while IFS= read -r o; do
		[ -n "$o" ] || continue
		[[ " ${longopts[*]} " == *" $o "* ]] || longopts+=("$o")
	done <<<"$(sed -n 's/^[[:space:]]*{ *"\([a-z0-9-]*\)", *\(no\|required\|optional\)_argument.*/\1/p' \
		"$top_srcdir/src/options.c")"
fi
if [ -r "$top_srcdir/src/launch/launch-options.c" ]; then
	# and the launcher's options (parsed by hand: strcmp(opt, "--name"))
	while IFS= read -r o; do
		[ -n "$o" ] || continue
		[[ " ${longopts[*]} " == *" $o "* ]] || longopts+=("$o")
	done <<<"$(grep -o 'strcmp([a-z]*\(\[i\]\)\{0,1\}, "--[a-z0-9-]\{1,\}")' "$top_srcdir/src/launch/launch-options.c" |
		sed 's/.*"--\([a-z0-9-]*\)")/\1/' | sort -u)"
fi
missing=()
for o in "${longopts[@]}"; do
	grep -qE -- "--$o([^[:alnum:]-]|$)" "$OUT" || missing+=("--$o")
done
# the exporter refreshes every -d seconds and answers scrapes from the last refresh
listen_help=$(grep -A2 -e '--listen=' "$OUT" | tr -s ' \n' ' ')
if [[ $listen_help == *"refreshed every -d seconds"*"last refresh"* ]]; then
	pass "--help: --listen refreshes on a schedule, scrapes from the last refresh"
else
	fail "--help: --listen refreshes on a schedule, scrapes from the last refresh" "$listen_help"
fi
if [ ${#missing[@]} = 0 ]; then
	pass "--help mentions every long option (${#longopts[@]})"
else
	fail "--help mentions every long option" "missing: ${missing[*]}"
fi

# the man page and the bash completion document every long option too
man=$top_srcdir/man/cgtop.1.in
comp=$top_srcdir/data/cgtop.bash-completion
mantext=$(sed 's/\\//g' "$man") # troff escapes \- dropped
missing=()
for o in "${longopts[@]}"; do
	grep -qE -- "--$o([^[:alnum:]-]|$)" <<<"$mantext" || missing+=("--$o")
done
if [ ${#missing[@]} = 0 ]; then
	pass "the man page documents every long option"
else
	fail "the man page documents every long option" "missing: ${missing[*]}"
fi
# PRIVILEGES says what launching, attaching and each action key need
priv=$(sed -n '/^\.SH PRIVILEGES/,/^\.SH /p' <<<"$mantext")
missing=()
for w in '^.B --launch$' '^.B --attach$' '^.B Dashboard actions$' '^.B m$' '^.B p$' '^.B f$' '^.B a$' \
	'^.B K$' 'delegated subtree' 'Delegate='; do
	grep -qE -- "$w" <<<"$priv" || missing+=("$w")
done
is "${missing[*]}" "" "the man page's PRIVILEGES covers launch, attach, each action and delegation"
missing=()
for o in "${longopts[@]}"; do
	grep -qE -- "--$o([^[:alnum:]-]|$)" "$comp" || missing+=("--$o")
done
if [ ${#missing[@]} = 0 ]; then
	pass "the bash completion knows every long option"
else
	fail "the bash completion knows every long option" "missing: ${missing[*]}"
fi

run --version
if [ "$RC" = 0 ] && grep -q '[0-9]\.[0-9]' "$OUT" && [ ! -s "$ERR" ]; then
	pass "--version exits 0 and prints a version"
else
	fail "--version exits 0 and prints a version" "exit $RC" "stdout: $(head -c 300 "$OUT")" \
		"stderr: $(head -c 300 "$ERR")"
fi
# and the libraries it was built with, at the versions pkg-config gives here
# (libmicrohttpd: a version, or "no" when built without it)
for lib in ncurses libcgroup libcap libmnl libmicrohttpd; do
	line=$(grep -E "^  $lib +" "$OUT")
	pc=$lib
	[ "$lib" = ncurses ] && pc=ncursesw
	want=$(pkg-config --modversion "$pc" 2>/dev/null)
	if [ -z "$line" ]; then
		fail "--version names $lib" "$(cat "$OUT")"
	elif [ -n "$want" ] && [[ $line != *" no ("* ]]; then
		is "$(awk '{ print $2 }' <<<"$line")" "$want" "--version: $lib $want, as pkg-config says"
	else
		ok "--version: $lib with a version or no" grep -qE "^  $lib +([0-9][0-9.]*|no) " <<<"$line"
	fi
done

done_testing
