#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# rmfleet.sh - remove the benchmark fleet recorded by bench/mkfleet.sh: stop only the
# processes mkfleet.sh started (pid and start time from the state file must both match),
# then rmdir every group bottom-up in every recorded hierarchy, and delete the state file.
# Only directories named cgtop-bench-* on a cgroup filesystem are touched, and only with
# rmdir. Safe to call twice, or when nothing was made.
#
#   rmfleet.sh [STATEFILE]     (default $CGTOP_BENCH_STATE or ${TMPDIR:-/tmp}/cgtop-bench-fleet.state)
#
# Exit status: 0 when everything recorded is gone, 1 otherwise.

set -u
export LC_ALL=C
trap '' PIPE INT

prog=${0##*/}
STATE=${1:-${CGTOP_BENCH_STATE:-${TMPDIR:-/tmp}/cgtop-bench-fleet.state}}
note() { echo "$prog: $*"; }

[ -f "$STATE" ] || { note "no state file $STATE: nothing to remove"; exit 0; }

starttime_of() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) }
	set -- $s
	[ "$1" = Z ] && return 1	# a zombie is gone as far as cgroups go
	echo "${20}"
}

ours() { [ "$(starttime_of "$1")" = "$2" ]; }

# ---- stop the busy processes
alive=()
while read -r tag pid st _; do
	[ "$tag" = busy ] || continue
	if ours "$pid" "$st"; then
		kill -TERM "$pid" 2>/dev/null && alive+=("$pid:$st")
	fi
done <"$STATE"
n=${#alive[@]}
for ((t = 0; t < 50 && ${#alive[@]} > 0; t++)); do
	still=()
	for e in "${alive[@]}"; do ours "${e%%:*}" "${e#*:}" && still+=("$e"); done
	alive=("${still[@]}")
	[ ${#alive[@]} -gt 0 ] && sleep 0.1
done
for e in "${alive[@]}"; do ours "${e%%:*}" "${e#*:}" && kill -KILL "${e%%:*}" 2>/dev/null; done
[ "$n" -gt 0 ] && note "stopped $n busy process(es)"

# ---- remove the groups, deepest first, in every hierarchy
rc=0
while read -r tag dir; do
	[ "$tag" = root ] || continue
	[ -d "$dir" ] || continue
	case ${dir##*/} in cgtop-bench-*) ;; *) note "refusing $dir (not cgtop-bench-*)"; rc=1; continue ;; esac
	case $dir in */../* | */./*) note "refusing $dir"; rc=1; continue ;; esac
	case $(stat -f -c %T "$dir" 2>/dev/null) in
	cgroupfs | cgroup2fs) ;;
	*) note "refusing $dir (not on a cgroup filesystem)"; rc=1; continue ;;
	esac
	for ((try = 0; try < 20; try++)); do	# a dying task may keep a leaf busy briefly
		find "$dir" -depth -type d -print0 | xargs -0 -r rmdir -- 2>/dev/null
		[ -d "$dir" ] || break
		sleep 0.1
	done
	if [ -d "$dir" ]; then
		note "could not remove $dir ($(find "$dir" -type d | wc -l) dirs left)"
		rc=1
	fi
done <"$STATE"
if [ $rc -eq 0 ]; then
	rm -f "$STATE"
	note "fleet removed"
fi
exit $rc
