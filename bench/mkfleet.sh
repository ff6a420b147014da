#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# mkfleet.sh - build the benchmark fleet: N cgroups, DEPTH levels deep, below one parent
# directory (cgtop-bench-<pid>) in EVERY mounted cgroup hierarchy (v1 controllers, named v1
# hierarchies, cgroup2), each nested under the caller's own group in that hierarchy (found
# from /proc/self/cgroup and /proc/self/mountinfo), with the same relative paths everywhere,
# and BUSY sleeping processes placed in evenly spread leaves (in the memory hierarchy and,
# where possible, in the same leaf of every other hierarchy) so tasks and memory are non-zero.
# Everything made is recorded in a state file first, so bench/rmfleet.sh can undo it.
#
#   mkfleet.sh N [DEPTH] [BUSY]      (defaults: DEPTH 3, BUSY 8)
#   mkfleet.sh --list N [DEPTH]      print the relative paths only
#
# Environment:
#   CGTOP_BENCH_STATE  state file (default ${TMPDIR:-/tmp}/cgtop-bench-fleet.state); an
#                      existing fleet recorded there is removed first, unless its busy
#                      processes still run (another run measuring it): then exit 1
#   CGTOP_BENCH_NAME   parent directory name (default cgtop-bench-<pid of this script>);
#                      must start with "cgtop-bench-"
#
# Tree shape: the smallest fan-out F with F + F^2 + ... + F^DEPTH >= N; levels 1..DEPTH-1
# are full, the last level holds the remainder spread round-robin over its parents, so N
# counts every group below the parent directory. Names: g<i>, e.g. g3/g0/g12.
# Prints one line per hierarchy, then "fleet: ..." and "state: FILE". Exit 0 ok, 1 error.

set -u
export LC_ALL=C
trap '' PIPE

prog=${0##*/}
HERE=$(cd "$(dirname "$0")" && pwd)
STATE=${CGTOP_BENCH_STATE:-${TMPDIR:-/tmp}/cgtop-bench-fleet.state}
NAME=${CGTOP_BENCH_NAME:-cgtop-bench-$$}

die() { echo "$prog: $*" >&2; exit 1; }
note() { echo "$prog: $*"; }

# relative paths of the tree, parents before children
gen_paths() {	# $1 N, $2 DEPTH
	awk -v N="$1" -v D="$2" 'BEGIN {
		if (N <= 0)
			exit
		for (f = 1; ; f++) {
			s = 0; p = 1
			for (k = 1; k <= D; k++) { p *= f; s += p }
			if (s >= N) break
		}
		n = 0; done = 0
		for (i = 0; i < f && done < N; i++) { cur[n++] = "g" i; done++; print "g" i }
		for (lvl = 2; lvl <= D && done < N; lvl++) {
			delete prev
			for (i = 0; i < n; i++) prev[i] = cur[i]
			pn = n
			want = N - done < pn * f ? N - done : pn * f
			delete cur
			for (j = 0; j < want; j++) {
				cur[j] = prev[j % pn] "/g" int(j / pn)
				print cur[j]
			}
			n = want; done += want
		}
	}'
}

leaves_of() {	# stdin: paths; stdout: those without children, in order
	awk '{ p[NR] = $0; q = $0; if (sub(/\/[^\/]*$/, "", q)) kid[q] = 1 }
	     END { for (i = 1; i <= NR; i++) if (!(p[i] in kid)) print p[i] }'
}

# every mounted cgroup hierarchy (deduplicated by device) and the caller's group in it:
# prints "KIND MOUNTPOINT OWN_DIR" with KIND "v2" or "v1:<controllers or name=...>"
hierarchies() {
	awk '
	FILENAME == "/proc/self/cgroup" {
		i = index($0, ":"); rest = substr($0, i + 1); j = index(rest, ":")
		ctl = substr(rest, 1, j - 1); path = substr(rest, j + 1)
		if (ctl == "" && substr($0, 1, 2) == "0:") v2path = path
		else if (ctl != "") { nl++; lctl[nl] = ctl; lpath[nl] = path }
		next
	}
	{
		for (s = 7; s <= NF && $s != "-"; s++)
			;
		fs = $(s + 1); if (fs != "cgroup" && fs != "cgroup2") next
		if ($3 in seen) next
		seen[$3] = 1
		root = $4; mnt = $5; gsub(/\\040/, " ", mnt)
		if (fs == "cgroup2") {
			if (v2path == "") next
			kind = "v2"; path = v2path
		} else {
			n = split($(s + 3), o, ","); delete opt
			for (k = 1; k <= n; k++) opt[o[k]] = 1
			path = ""; kind = ""
			for (l = 1; l <= nl; l++) {
				m = split(lctl[l], c, ","); ok = 1
				for (k = 1; k <= m; k++) if (!(c[k] in opt)) ok = 0
				if (ok) { path = lpath[l]; kind = "v1:" lctl[l]; break }
			}
			if (kind == "") next
		}
		if (path ~ /^\/\.\./) next		# outside our view (cgroup namespace)
		if (root != "/" && index(path, root) == 1) path = substr(path, length(root) + 1)
		if (path == "/") path = ""
		print kind, mnt, mnt path
	}' /proc/self/cgroup /proc/self/mountinfo
}

starttime_of() {	# field 22 of /proc/PID/stat
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) }
	set -- $s
	echo "${20}"
}

case ${1:-} in
--list)
	gen_paths "${2:?N}" "${3:-3}"
	exit 0
	;;
-h | --help | '')
	sed -n '4,/^$/p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
	;;
esac

N=$1 DEPTH=${2:-3} BUSY=${3:-8}
for v in "$N" "$DEPTH" "$BUSY"; do
	case $v in '' | *[!0-9]*) die "usage: $prog N [DEPTH] [BUSY] (non-negative integers)" ;; esac
done
[ "$N" -ge 1 ] || die "N must be at least 1"
[ "$DEPTH" -ge 1 ] || die "DEPTH must be at least 1"
case $NAME in cgtop-bench-*) ;; *) die "CGTOP_BENCH_NAME must start with cgtop-bench-" ;; esac
case $NAME in */* | *' '*) die "bad CGTOP_BENCH_NAME '$NAME'" ;; esac
[ "$(id -u)" = 0 ] || die "must run as root (creates cgroups)"

if [ -s "$STATE" ]; then
	# A fleet whose busy processes still run is someone's measurement in progress
	# (two benchmarks at once on one host): refuse rather than pull it from under them.
	while read -r tag pid st _; do
		[ "$tag" = busy ] || continue
		s=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
		s=${s##*) }
		set -- $s
		[ "$1" != Z ] && [ "${20}" = "$st" ] &&
			die "the fleet in $STATE is in use (busy pid $pid runs): remove it with bench/rmfleet.sh $STATE, or give a second fleet its own CGTOP_BENCH_STATE"
	done <"$STATE"
	note "removing the fleet recorded in $STATE first"
	CGTOP_BENCH_STATE=$STATE bash "$HERE/rmfleet.sh" >/dev/null || die "could not remove the old fleet"
fi

HIERS=$(hierarchies)
[ -n "$HIERS" ] || die "no mounted cgroup hierarchy found in /proc/self/mountinfo"
memdir=
while read -r kind mnt own; do
	case $kind in
	v1:*) case ,${kind#v1:}, in *,memory,*) memdir=$own ;; esac ;;
	v2) [ -z "$memdir" ] && grep -qw memory "$own/cgroup.controllers" 2>/dev/null &&
		memdir=$own ;;
	esac
done <<<"$HIERS"
[ -n "$memdir" ] || note "warning: no memory hierarchy (memory counters will stay empty)"

work=$(mktemp -d "${TMPDIR:-/tmp}/mkfleet.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$work"' EXIT
gen_paths "$N" "$DEPTH" >"$work/paths"
leaves_of <"$work/paths" >"$work/leaves"

# record every root before creating anything, so a half-made fleet can be removed
mkdir -p "$(dirname "$STATE")" || die "cannot create $(dirname "$STATE")"
{
	echo "name $NAME"
	echo "params n=$N depth=$DEPTH busy=$BUSY"
	[ -n "$memdir" ] && echo "memory $memdir/$NAME"
	while read -r kind mnt own; do echo "root $own/$NAME"; done <<<"$HIERS"
} >"$STATE" || die "cannot write $STATE"

t0=$(date +%s%N)
while read -r kind mnt own; do
	root=$own/$NAME
	[ -e "$root" ] && die "$root exists already (left over? remove it with rmfleet.sh)"
	mkdir "$root" || die "cannot create $root"
	if [ -f "$root/cpuset.cpus" ]; then
		# children copy cpus/mems at creation; needed to attach tasks to them
		cat "$own/cpuset.cpus" >"$root/cpuset.cpus" &&
			cat "$own/cpuset.mems" >"$root/cpuset.mems" &&
			echo 1 >"$root/cgroup.clone_children" ||
			note "warning: could not prepare cpuset $root"
	fi
	# parents come first in the list, so plain mkdir (no -p) is enough
	(cd "$root" && xargs -d '\n' -r mkdir -- <"$work/paths") || die "mkdir failed below $root"
	note "$kind: $N groups below $root"
done <<<"$HIERS"
t1=$(date +%s%N)
nleaves=$(wc -l <"$work/leaves")
note "fleet: $N groups per hierarchy, depth $DEPTH, $nleaves leaves, made in" \
	"$(((t1 - t0) / 1000000)) ms"

# busy processes: each writes its own pid into its leaf in every hierarchy (memory first,
# which must work), records its pid, then execs sleep; setsid keeps them out of the
# caller's terminal signals, so only rmfleet.sh stops them
[ "$BUSY" -gt "$nleaves" ] && BUSY=$nleaves
mapfile -t leaves <"$work/leaves"
started=0
for ((i = 0; i < BUSY; i++)); do
	leaf=${leaves[$((i * nleaves / BUSY))]}
	files=()
	[ -n "$memdir" ] && files+=("$memdir/$NAME/$leaf/cgroup.procs")
	while read -r kind mnt own; do
		[ "$own" = "$memdir" ] || files+=("$own/$NAME/$leaf/cgroup.procs")
	done <<<"$HIERS"
	pidf=$work/busy.$i
	setsid sh -c '
		pidf=$1; shift
		echo $$ >"$1" || exit 1		# the memory leaf (or first hierarchy) must work
		shift
		for f; do echo $$ >"$f" 2>/dev/null || echo "$f" >>"$pidf.fail"; done
		echo $$ >"$pidf.tmp" && mv "$pidf.tmp" "$pidf" && exec sleep 2147483647
	' busy "$pidf" "${files[@]}" </dev/null >/dev/null 2>&1 &
	for ((t = 0; t < 100; t++)); do
		[ -s "$pidf" ] && break
		sleep 0.02
	done
	[ -s "$pidf" ] || die "busy process $i did not start (could not join $leaf?)"
	pid=$(cat "$pidf")
	st=$(starttime_of "$pid") || die "busy process $pid vanished"
	echo "busy $pid $st $leaf" >>"$STATE"	# the start time does not change at exec
	for ((t = 0; t < 100; t++)); do		# wait for the exec
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sleep ] && break
		sleep 0.01
	done
	[ -f "$pidf.fail" ] && note "warning: busy $pid not placed in: $(tr '\n' ' ' <"$pidf.fail")"
	started=$((started + 1))
done
[ "$started" -gt 0 ] && note "busy: $started sleeping process(es) in leaves"
note "state: $STATE"
exit 0
