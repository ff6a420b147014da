#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# paths.sh - no group path given on the command line leads out of cgroupfs,
# and no limit kills the command before it runs: --parent, --group and the
# monitor's PATH with a "..", a "." or an empty component are refused with
# exit 2 and one line naming the argument, and nothing is created anywhere
# (the cgroup mounts, the directory holding them, its parent, /, /tmp); --mem
# and --mem-high below one page (0 as --pids 0) are refused the same way.
# Every name the test uses carries its pid, so what a broken cgtop made is
# found and removed again.  Needs root (else skips, 77).

set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")/../live" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"

top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

cg_init
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
cg_describe

ESC=cgtop-esc-$$
OUT=$CG_TMP/out
ERR=$CG_TMP/err

# every directory where an escaping path would land: each mount, the
# directory of the mounts (a tmpfs on hybrid hosts), its parent, /sys, /, /tmp
places()
{
	local i

	for ((i = 0; i < CG_NH; i++)); do
		printf '%s\n' "${CG_MNT[i]}" "${CG_MNT[i]%/*}" "${CG_MNT[i]%/*/*}"
	done
	printf '%s\n' /sys / /tmp
}

# found: every file or directory named like this test's, in those places
found()
{
	places | LC_ALL=C sort -u | while read -r d; do
		[ -n "$d" ] || d=/
		find "$d" -xdev -maxdepth 3 -name "$ESC*" 2>/dev/null
	done | LC_ALL=C sort -u
}

# remove what a broken cgtop made (a cgroup directory only goes with rmdir)
sweep()
{
	local p

	found | LC_ALL=C sort -r | while read -r p; do
		if [ "$(stat -f -c %T "$p" 2>/dev/null)" = cgroup2fs ] ||
			[ "$(stat -f -c %T "$p" 2>/dev/null)" = cgroupfs ]; then
			rmdir "$p" 2>/dev/null
		else
			rm -rf "$p"
		fi
	done
}
S=
# (a broken --attach may have moved the sleep into a group sweep removes)
trap '[ -n "$S" ] && cg_kill "$S"; sweep; cg_cleanup EXIT' EXIT

# refused DESC ARG...: cgtop ARG... exits 2 with one line naming WORD ($NAMES)
refused()
{
	local desc=$1 rc lines

	shift
	timeout 30 "$CGTOP" "$@" >"$OUT" 2>"$ERR" </dev/null
	rc=$?
	lines=$(wc -l <"$ERR")
	if [ "$rc" = 2 ] && [ "$lines" = 1 ] && grep -qF -- "$NAMES" "$ERR"; then
		pass "$desc: exit 2, one line"
	else
		fail "$desc: exit 2, one line naming $NAMES" "rc=$rc" "$(cat "$ERR")"
	fi
}

# a process of the test's own, in a leaf group, for --attach
L=$CG_TEST/leaf
cg_create "$L" memory pids || bail_out "cannot create $L"
cg_spawn "$L" sleep 600
S=$CG_LAST_PID

[ -z "$(found)" ] || bail_out "something named $ESC exists already: $(found)"
BAD=("/../$ESC" "/../../$ESC" "/../../../../$ESC" "/../../../../../../../../tmp/$ESC"
	"/$ESC/../../$ESC-b" "/./$ESC" "//$ESC" "/$ESC/" "/$ESC//$ESC-c" "/$ESC/." "/$ESC/..")
for p in "${BAD[@]}"; do
	NAMES="--parent: invalid value '$p'"
	refused "--launch --parent $p" --launch --parent "$p" --name "$ESC-n" true
	refused "--launch --mem 32M --parent $p" --launch --mem 32M --parent "$p" --name "$ESC-n" true
	refused "--attach --parent $p" --attach "$S" --mem 64M --parent "$p" --name "$ESC-n"
	NAMES="--group: invalid value '$p'"
	refused "--attach --group $p" --attach "$S" --mem 64M --group "$p"
	NAMES="'$p'"
	refused "-b PATH $p" -b -n 1 "$p"
done
left=$(found)
is "$left" "" "nothing named $ESC was created anywhere"
is "$(cg_read "$L" cgroup.procs)" "$S" "the process given to --attach stayed where it was"

# ---- limits that would kill the command before it runs ----
for v in 0 1 4095 0K 0.5K; do
	NAMES="--mem: invalid value '$v'"
	refused "--mem $v" --launch --parent self --name "$ESC-m" --mem "$v" true
	refused "--attach --mem $v" --attach "$S" --parent "$CG_TEST" --name "$ESC-m" --mem "$v"
	NAMES="--mem-high: invalid value '$v'"
	refused "--mem-high $v" --launch --parent self --name "$ESC-m" --mem-high "$v" true
done
NAMES="--pids: invalid value '0'"
refused "--pids 0" --launch --parent self --name "$ESC-m" --pids 0 true
is "$(found)" "" "refused limits created nothing"
is "$(cg_children "$CG_TEST" | grep -c "$ESC")" 0 "no group below the test group"
done_testing
