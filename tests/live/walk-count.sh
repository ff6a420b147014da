#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# walk-count.sh - live test of the walk that the kernel's count of groups ends
# early (cg-tree.c walk_count(), walk_by_level()): the first walk goes level
# by level, and once it has found as many directories as cgroup2's
# cgroup.stat nr_descendants (of the top) or a v1 hierarchy's num_cgroups in
# /proc/cgroups (walked from its root) say there are, it does not look into
# the ones left (leaves).
#  1. Every group of a test tree is shown, in every hierarchy it exists in:
#     leaves at several depths, a wide level, a group in one hierarchy alone,
#     a chain of single children found last, whose last groups exist in one
#     hierarchy each (a walk that ends one directory early misses them).
#     The truth is find(1) in each hierarchy.  With the count (top /, and top
#     the test group) and without it (CGTOP_NO_WALK_COUNT=1), at the last of
#     three samples (the second walk, with watches, which looks into every
#     directory), and with --depth.
#  2. The count saves work: with the test group as top, cgroup2's count ends
#     the walk there (fewer fstatat below its mount than without the count);
#     in a test VM, where no one else makes groups, so does each v1
#     hierarchy's whose num_cgroups is its number of directories, walked from
#     /.  On a shared host other tenants change the tree all the time: there
#     the v1 part is only reported.
# Needs root, jq and strace (else skips, 77).

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

T=$CG_TEST
cg_describe
# LeakSanitizer cannot run under ptrace (the sanitizer build)
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0

# ---- the tree -----------------------------------------------------------------

# the chain in every hierarchy, the rest in those of four controllers (a
# fork per directory is slow in a test VM, whose v1 has 14 hierarchies)
cg_create "$T/d/a/b/c/d/e/f" all || bail_out "cannot create $T/d/a/b/c/d/e/f"
groups=(w/n0/c0 w/n0/c1 w/n1/c0)
for i in 0 1 2 3 4 5 6 7; do
	groups+=("w/l$i")
done
for g in "${groups[@]}"; do
	cg_create "$T/$g" memory pids cpu cpuacct || bail_out "cannot create $T/$g"
done
# a group in one hierarchy alone (pids: v1 on a hybrid host, cgroup2 on v2)
one=
if cg_create "$T/only/p/q" pids; then
	one=$T/only/p/q
fi
# the last groups a walk finds, each in one hierarchy alone, so that a walk
# that ends one directory too early misses them whatever the other
# hierarchies hold: g in the v1 pids hierarchy (counted when walked from /),
# h in cgroup2 (counted from any top)
last=()
mk_only()	# I NAME
{
	local dir

	dir=$(cg_dir "$1" "$T/d/a/b/c/d/e/f")/$2
	mkdir "$dir" || bail_out "cannot create $dir"
	CG_CREATED+=("$dir")
	last+=("$T/d/a/b/c/d/e/f/$2")
}
for ((i = 0; i < CG_NH; i++)); do
	if [ "${CG_TYPE[i]}" = v1 ] && cg_has "$i" pids; then
		mk_only "$i" g
	elif [ "${CG_TYPE[i]}" = v2 ]; then
		mk_only "$i" h
	fi
done

OUT=$CG_TMP/out
ERR=$CG_TMP/err
TR=$CG_TMP/trace

# truth: every directory below T in every hierarchy, "PATH<TAB>I" sorted
truth()
{
	local i d tdir

	for ((i = 0; i < CG_NH; i++)); do
		tdir=$(cg_dir "$i" "$T")
		[ -d "$tdir" ] || continue
		while IFS= read -r d; do
			printf '%s\t%s\n' "$T${d#"$tdir"}" "$i"
		done < <(find "$tdir" -mindepth 1 ${1:+-maxdepth "$1"} -type d)
	done | LC_ALL=C sort
}
# the paths below T, as find sees them and as cgtop printed them
truth_paths()
{
	truth "$@" | cut -f1 | LC_ALL=C sort -u
}
shown_paths()	# FILE [LAST]: the paths below T of the sample (the last one with LAST)
{
	if [ -n "${2:-}" ]; then
		tail -n 1 "$1"
	else
		cat "$1"
	fi | jq -r --arg t "$T/" '.cgroups[].path | select(startswith($t))' | LC_ALL=C sort -u
}
# "PATH controllers" of the sample, for one run against another
shown_ctrls()
{
	jq -r --arg t "$T/" '.cgroups[] | select(.path | startswith($t)) |
		"\(.path) \(.controllers | sort | join(","))"' "$1" | LC_ALL=C sort
}

want=$(truth_paths)
[ -n "$one" ] && { grep -qxF "$one" <<<"$want" || bail_out "find does not see $one"; }
diag "test tree: $(wc -l <<<"$want") groups below $T"

# ---- 1. every group shown --------------------------------------------------------

check_run()	# DESC WANT [ENV=VALUE...] -- ARGS...
{
	local desc=$1 exp=$2 got rc
	local -a envs=()

	shift 2
	while [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	shift
	env "${envs[@]}" "$CGTOP" --format json "$@" >"$OUT" 2>"$ERR"
	rc=$?
	is "$rc" 0 "$desc: exit 0"
	got=$(shown_paths "$OUT" last)
	if [ "$got" = "$exp" ]; then
		pass "$desc: every group below the test group, as find sees them"
	else
		fail "$desc: every group below the test group, as find sees them" \
			"missing: $(comm -13 <(echo "$got") <(echo "$exp") | head -5 | tr '\n' ' ')" \
			"extra: $(comm -23 <(echo "$got") <(echo "$exp") | head -5 | tr '\n' ' ')" \
			"$(head -c 300 "$ERR")"
	fi
}

check_run "-b -n 1, top /" "$want" -- -b -n 1 --depth 40
cp "$OUT" "$CG_TMP/on.json"
check_run "-b -n 1, top /, CGTOP_NO_WALK_COUNT=1" "$want" CGTOP_NO_WALK_COUNT=1 -- -b -n 1 --depth 40
cp "$OUT" "$CG_TMP/off.json"
is "$(shown_ctrls "$CG_TMP/on.json")" "$(shown_ctrls "$CG_TMP/off.json")" \
	"-b -n 1, top /: each group's hierarchies the same with and without the count"
check_run "-b -n 1, top the test group" "$want" -- -b -n 1 "$T"
cp "$OUT" "$CG_TMP/top-on.json"
check_run "-b -n 1, top the test group, CGTOP_NO_WALK_COUNT=1" "$want" CGTOP_NO_WALK_COUNT=1 -- -b -n 1 "$T"
is "$(shown_ctrls "$CG_TMP/top-on.json")" "$(shown_ctrls "$OUT")" \
	"-b -n 1, top the test group: each group's hierarchies the same with and without the count"
check_run "-b -n 3 (the walk with watches), top /" "$want" -- -b -n 3 -d 0.2 --depth 40
check_run "-b -n 3 (the walk with watches), top the test group" "$want" -- -b -n 3 -d 0.2 "$T"
check_run "-b -n 1 --depth 3, top the test group" "$(truth_paths 3)" -- -b -n 1 --depth 3 "$T"
for g in "${last[@]}"; do
	if grep -qxF "$g" <(shown_paths "$CG_TMP/on.json") &&
		grep -qxF "$g" <(shown_paths "$CG_TMP/top-on.json"); then
		pass "the last group found, in one hierarchy alone, is shown ($g)"
	else
		fail "the last group found, in one hierarchy alone, is shown ($g)"
	fi
done
if [ -n "$one" ]; then
	if grep -qxF "$one" <(shown_paths "$CG_TMP/on.json"); then
		pass "a group in one hierarchy alone is shown ($one)"
	else
		fail "a group in one hierarchy alone is shown ($one)"
	fi
else
	skip "a group in one hierarchy alone is shown" "no pids controller here"
fi

# ---- 2. the count saves work -------------------------------------------------------

# fstatat calls relative to a directory of hierarchy I in a trace (strace -y)
stats_in()	# TRACE I
{
	grep -c "^newfstatat([0-9]*<${CG_MNT[$2]}[/>]" "$1"
}
v2=
for ((i = 0; i < CG_NH; i++)); do
	[ "${CG_TYPE[i]}" = v2 ] && v2=$i
done
if [ -n "$v2" ]; then
	strace -qq -y -e trace=newfstatat -o "$TR.on" "$CGTOP" -b -n 1 "$T" >/dev/null 2>&1
	CGTOP_NO_WALK_COUNT=1 strace -qq -y -e trace=newfstatat -o "$TR.off" \
		"$CGTOP" -b -n 1 "$T" >/dev/null 2>&1
	on=$(stats_in "$TR.on" "$v2")
	off=$(stats_in "$TR.off" "$v2")
	diag "cgroup2, top the test group: $on fstatat with the count, $off without"
	if [ "$on" -lt "$off" ]; then
		pass "cgroup2, top the test group: nr_descendants ends the walk early"
	else
		fail "cgroup2, top the test group: nr_descendants ends the walk early" \
			"$on fstatat with the count, $off without"
	fi
else
	skip "cgroup2, top the test group: nr_descendants ends the walk early" "no cgroup2 mount"
fi

# v1 hierarchies walked from /: those whose count matches their directories
strace -qq -y -e trace=newfstatat -o "$TR.on" "$CGTOP" -b -n 1 --depth 40 >/dev/null 2>&1
CGTOP_NO_WALK_COUNT=1 strace -qq -y -e trace=newfstatat -o "$TR.off" \
	"$CGTOP" -b -n 1 --depth 40 >/dev/null 2>&1
counted=0
for ((i = 0; i < CG_NH; i++)); do
	[ "${CG_TYPE[i]}" = v1 ] && [ "${CG_ROOT[i]}" = / ] || continue
	[[ ${CG_CTRL[i]} == name=* ]] && continue
	ctl=${CG_CTRL[i]%%,*}
	num=$(awk -v c="$ctl" '$1 == c { print $3 }' /proc/cgroups)
	dirs=$(find "${CG_MNT[i]}" -type d | wc -l)
	on=$(stats_in "$TR.on" "$i")
	off=$(stats_in "$TR.off" "$i")
	diag "${CG_MNT[i]}: num_cgroups $num, $dirs directories; $on fstatat with the count, $off without"
	[ "$num" = "$dirs" ] || continue
	counted=$((counted + 1))
	if ! in_vm; then
		continue
	fi
	if [ "$on" -lt "$off" ]; then
		pass "${CG_MNT[i]}: num_cgroups ends the walk from / early"
	else
		fail "${CG_MNT[i]}: num_cgroups ends the walk from / early" \
			"$on fstatat with the count, $off without"
	fi
done
if ! in_vm; then
	skip "v1 hierarchies: num_cgroups ends the walk from / early" \
		"a shared host: other tenants change the tree meanwhile (reported above)"
elif [ "$counted" = 0 ] && [ "$CG_MODE" != v2 ]; then
	fail "v1 hierarchies: a hierarchy whose num_cgroups is its number of directories"
fi

done_testing
