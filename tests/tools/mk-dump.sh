#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# mk-dump.sh - capture a "sysroot dump" of this machine's cgroup state for
# cgtop's golden tests (cgtop --sysroot DIR reads the same absolute paths
# under DIR): for every cgroup mount in /proc/self/mountinfo the group
# directories and every readable regular file in them, laid out at the same
# paths (sys/fs/cgroup/...), the symlinks beside the mount points (cpu ->
# cpu,cpuacct), and proc/self/{mountinfo,cgroup}, proc/{cgroups,meminfo,stat,
# loadavg,uptime}, proc/pressure/*, the huge page sizes (the directories of
# sys/kernel/mm/hugepages) and a SOURCE file, packed as OUT.tar.xz.
#
# Usage: mk-dump.sh [--demo] OUT.tar.xz [CGROUP_PATH...]
#   CGROUP_PATH  capture only these subtrees (kernel names, e.g. /demo) plus
#                each hierarchy's root group and the groups on the way down
#                (their own files, not their other children); a path missing
#                from a hierarchy is ignored there.  Default: every group.
#   --demo       first create demo groups below this process's own group B in
#                every hierarchy: B/demo, B/demo/a (memory limit 48M, pids.max
#                20, cpu quota 50%, a read-bps rule on /dev/vda if present, a
#                sleeping process holding ~8 MB, a short CPU burn),
#                B/demo/b (memory limit 64M) and B/demo/b/b1 (memory limit
#                32M, pids.max 10, a sleeping process), capture B/demo, then
#                kill those processes and remove the groups (also on failure).
#                Needs root; touches only groups it creates.
# Files that cannot be read (write-only ones such as cgroup.event_control,
# memory.force_empty, cgroup.kill; EINVAL/EIO) are left out.  Only the
# mountinfo lines of /, /proc, /sys, /dev and the cgroup mounts are kept.
set -u -o pipefail
umask 022

DEMO=
if [ "${1:-}" = --demo ]; then
	DEMO=1
	shift
fi
[ $# -ge 1 ] || { sed -n '/^# Usage:/,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
OUT=$1
shift
case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac
PATHS=("$@")

D=$(mktemp -d "${TMPDIR:-/tmp}/mk-dump.XXXXXX") || exit 1
DEMO_DIRS=()	# created group directories, parents first
cleanup() {
	local i d p
	for ((i = ${#DEMO_DIRS[@]} - 1; i >= 0; i--)); do
		d=${DEMO_DIRS[i]}
		[ -d "$d" ] || continue
		# only processes we started live in groups we created
		for p in $(cat "$d/cgroup.procs" 2>/dev/null); do
			kill -9 "$p" 2>/dev/null
		done
	done
	[ ${#DEMO_DIRS[@]} -gt 0 ] && sleep 0.2
	for ((i = ${#DEMO_DIRS[@]} - 1; i >= 0; i--)); do
		d=${DEMO_DIRS[i]}
		[ -d "$d" ] || continue
		rmdir "$d" 2>/dev/null || { sleep 0.5; rmdir "$d"; } ||
			echo "mk-dump: could not remove $d" >&2
	done
	rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# mounts: "MOUNTPOINT FSTYPE SUPEROPTIONS" of every cgroup/cgroup2 mount
# (mountinfo escapes blanks as \040; cgroup mount points have none in practice)
MOUNTS=()
mapfile -t MOUNTS < <(awk '{ for (i = 7; $i != "-"; i++); if ($(i + 1) == "cgroup" || $(i + 1) == "cgroup2") print $5, $(i + 1), $(i + 3) }' /proc/self/mountinfo)
[ ${#MOUNTS[@]} -gt 0 ] || { echo "mk-dump: no cgroup filesystem mounted" >&2; exit 1; }

# own_group FSTYPE SUPEROPTIONS: this process's group in that hierarchy
own_group() {
	if [ "$1" = cgroup2 ]; then
		sed -n 's/^0:://p' /proc/self/cgroup
		return
	fi
	# the controllers (and name=) in the super options, sorted, must equal
	# the controller list of one /proc/self/cgroup line
	local want
	want=$(tr ',' '\n' <<<"$2" |
		awk 'NR == FNR { if (FNR > 1) ok[$1] = 1; next } ($0 in ok) || /^name=/' /proc/cgroups - |
		LC_ALL=C sort | paste -sd,)
	awk -F: -v want="$want" '$1 != 0 {
		n = split($2, c, ","); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (c[j] < c[i]) { t = c[i]; c[i] = c[j]; c[j] = t }
		s = c[1]; for (i = 2; i <= n; i++) s = s "," c[i]
		if (s == want) { sub(/^[^:]*:[^:]*:/, ""); print; exit }
	}' /proc/self/cgroup
}

# --- demo groups ------------------------------------------------------------------
mkgroup() { mkdir "$1" && DEMO_DIRS+=("$1"); }
try_write() { # try_write FILE VALUE: best effort, silent when the file is absent
	[ -e "$1" ] || return 0
	echo "$2" >"$1" 2>/dev/null || echo "mk-dump: writing '$2' to $1 failed" >&2
}
make_demo() {
	local line mnt fs opts base g ctl dev= a_procs=() b1_procs=()
	[ -r /sys/block/vda/dev ] && [ -n "${CGTOP_VM_MODE:-}" ] && dev=$(cat /sys/block/vda/dev)
	for line in "${MOUNTS[@]}"; do
		read -r mnt fs opts <<<"$line"
		base=$(own_group "$fs" "$opts")
		[ -n "$base" ] || { echo "mk-dump: no own group for $mnt" >&2; continue; }
		base=${base%/}
		g=$mnt$base/demo
		PATHS+=("$base/demo")
		if [ -e "$g" ]; then
			echo "mk-dump: $g exists already; not touching it" >&2
			exit 1
		fi
		mkgroup "$g" || exit 1
		if [ "$fs" = cgroup2 ]; then
			# enable below demo what its parent passes down
			ctl=$(sed 's/\([^ ]*\)/+\1/g' "$g/cgroup.controllers")
			[ -n "$ctl" ] && try_write "$g/cgroup.subtree_control" "$ctl"
			mkgroup "$g/a" && mkgroup "$g/b" || exit 1
			[ -n "$ctl" ] && try_write "$g/b/cgroup.subtree_control" "$ctl"
			mkgroup "$g/b/b1" || exit 1
			try_write "$g/a/memory.max" 48M
			try_write "$g/a/memory.swap.max" 0
			try_write "$g/a/pids.max" 20
			try_write "$g/a/cpu.max" "50000 100000"
			[ -n "$dev" ] && try_write "$g/a/io.max" "$dev rbps=8388608"
			try_write "$g/b/memory.max" 64M
			try_write "$g/b/memory.high" 60M
			try_write "$g/b/b1/memory.max" 32M
			try_write "$g/b/b1/pids.max" 10
		else
			mkgroup "$g/a" && mkgroup "$g/b" && mkgroup "$g/b/b1" || exit 1
			# v1 cpuset: a new group has no cpus/mems; nothing can join it
			if [ -e "$g/cpuset.cpus" ]; then
				for s in "$g" "$g/a" "$g/b" "$g/b/b1"; do
					cat "${s%/*}/cpuset.cpus" >"$s/cpuset.cpus"
					cat "${s%/*}/cpuset.mems" >"$s/cpuset.mems"
				done
			fi
			try_write "$g/a/memory.limit_in_bytes" 48M
			try_write "$g/a/pids.max" 20
			try_write "$g/a/cpu.cfs_quota_us" 50000
			[ -n "$dev" ] && try_write "$g/a/blkio.throttle.read_bps_device" "$dev 8388608"
			try_write "$g/b/memory.limit_in_bytes" 64M
			try_write "$g/b/memory.soft_limit_in_bytes" 60M
			try_write "$g/b/b1/memory.limit_in_bytes" 32M
			try_write "$g/b/b1/pids.max" 10
		fi
		a_procs+=("$g/a/cgroup.procs")
		b1_procs+=("$g/b/b1/cgroup.procs")
	done
	# a: joins every hierarchy, then burns a little CPU, reads the disk
	# (O_DIRECT, so io.stat/blkio count) and sleeps holding ~8 MB
	(
		for f in "${a_procs[@]}"; do echo $BASHPID >"$f"; done
		timeout 0.3 bash -c 'while :; do :; done'
		[ -n "$dev" ] && dd if=/dev/vda of=/dev/null bs=64k count=16 iflag=direct 2>/dev/null
		x=$(head -c 8000000 /dev/zero | tr '\0' x)
		: >"$D/.ready-a"
		sleep 100000
		echo "${#x}"	# keeps x (and bash, not exec'd sleep) alive
	) &
	(
		for f in "${b1_procs[@]}"; do echo $BASHPID >"$f"; done
		: >"$D/.ready-b1"
		exec sleep 100000
	) &
	disown -a
	local i
	for ((i = 0; i < 300; i++)); do
		[ -e "$D/.ready-a" ] && [ -e "$D/.ready-b1" ] && break
		sleep 0.1
	done
	rm -f "$D/.ready-a" "$D/.ready-b1"
	sleep 0.5
}
[ -n "$DEMO" ] && make_demo

# --- capture ---------------------------------------------------------------------
copy_files() { # copy_files DIR [FIND_TESTS...]: copy DIR and what find lists
	local kind mode path c dirs=("$D$1") files=() ro=()
	# one find and one mkdir per call: forks are slow under qemu TCG
	while IFS=' ' read -r -d '' kind mode path; do
		if [ "$kind" = d ]; then
			dirs+=("$D$path")
		else
			files+=("$path")
			[ "$mode" = 644 ] || ro+=("$D$path")
		fi
	done < <(find "$@" \( -type d -printf 'd %m %p\0' \) -o \( -type f -printf 'f %m %p\0' \))
	[ ${#dirs[@]} -eq 0 ] || mkdir -p "${dirs[@]}"
	# bash builtins per file.  A failed open or read makes the redirection
	# fail or read print an error; such files (write-only ones, EINVAL,
	# EIO) are left out.  cgroupfs files are 0644 or 0444; umask 022 gives
	# 0644, the others get a chmod 444.
	for path in "${files[@]}"; do
		c=
		{ IFS= read -r -d '' c <"$path"; } 2>"$D/.err"
		[ -s "$D/.err" ] && continue
		printf '%s' "$c" >"$D$path"
	done
	for path in "${ro[@]}"; do
		[ -e "$path" ] || continue
		chmod 444 "$path"
	done
}
copy_group() { # copy_group DIR: the group's own files, not its subgroups
	copy_files "$1" -maxdepth 1 -type f
}
copy_tree() { # copy_tree DIR: DIR and every group below it
	copy_files "$1"
}
declare -A PARENTS=()
# the same subtree may be named for several hierarchies (--demo): once is enough
[ ${#PATHS[@]} -eq 0 ] || mapfile -t PATHS < <(printf '%s\n' "${PATHS[@]}" | sed 's|^/*|/|; s|/*$||' | sort -u)
for line in "${MOUNTS[@]}"; do
	read -r mnt fs opts <<<"$line"
	PARENTS[${mnt%/*}]=1
	copy_group "$mnt"
	if [ ${#PATHS[@]} -eq 0 ]; then
		copy_tree "$mnt"
		continue
	fi
	for p in "${PATHS[@]}"; do
		p=/${p#/}
		p=${p%/}
		[ -n "$p" ] && [ -d "$mnt$p" ] || { [ -z "$p" ] && copy_tree "$mnt"; continue; }
		a=
		IFS=/ read -r -a parts <<<"${p#/}"
		for ((i = 0; i < ${#parts[@]} - 1; i++)); do
			a=$a/${parts[i]}
			copy_group "$mnt$a"
		done
		copy_tree "$mnt$p"
	done
done
# symlinks beside the mount points (cpu -> cpu,cpuacct on systemd systems)
for par in "${!PARENTS[@]}"; do
	for l in "$par"/*; do
		[ -L "$l" ] || continue
		mkdir -p "$D$par"
		ln -sfn "$(readlink "$l")" "$D$l"
	done
done

mkdir -p "$D/proc/self" "$D/proc/pressure" "$D/proc/sys/kernel"
awk '{ if ($5 == "/" || $5 == "/proc" || $5 == "/sys" || $5 == "/dev" || $5 ~ /^\/sys\/fs\/cgroup(\/|$)/) print }' \
	/proc/self/mountinfo >"$D/proc/self/mountinfo"
cat /proc/self/cgroup >"$D/proc/self/cgroup"
for f in cgroups meminfo stat loadavg uptime sys/kernel/pid_max sys/kernel/threads-max /proc/pressure/*; do
	f=${f#/proc/}
	[ -r "/proc/$f" ] || continue
	cat "/proc/$f" >"$D/proc/$f" 2>/dev/null || rm -f "$D/proc/$f"
done
rmdir "$D/proc/pressure" 2>/dev/null
# the huge page sizes (the names alone: cgtop reads which sizes exist)
for d in /sys/kernel/mm/hugepages/hugepages-*; do
	[ -d "$d" ] && mkdir -p "$D$d"
done

rm -f "$D/.err"
mode=v1
grep -q ' - cgroup2 ' "$D/proc/self/mountinfo" && mode=hybrid
grep -q ' /sys/fs/cgroup .* - cgroup2 ' "$D/proc/self/mountinfo" && mode=v2
{
	echo "cgtop sysroot dump (tests/tools/mk-dump.sh)"
	echo "kernel: $(uname -r) $(uname -v)"
	echo "machine: $(uname -m)"
	echo "cgroup layout: $mode"
	echo "captured: $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
	echo "how: mk-dump.sh ${DEMO:+--demo }${OUT##*/}${*:+ $*}${CGTOP_VM_MODE:+, inside the tests/vm qemu guest (run.sh -M $CGTOP_VM_MODE)}"
	echo "subtrees: $(printf '%s\n' "${PATHS[@]:-all groups}" | sort -u | paste -sd' ')"
	echo "groups and files: $(cd "$D" && find sys -type d | wc -l) directories, $(cd "$D" && find . -type f | wc -l) files"
} >"$D/SOURCE"

tar --sort=name --owner=0 --group=0 --numeric-owner -C "$D" -cf - SOURCE proc sys |
	xz -9 >"$OUT.tmp" && mv "$OUT.tmp" "$OUT" || { rm -f "$OUT.tmp"; exit 1; }
echo "mk-dump: $OUT ($(du -k "$OUT" | cut -f1) KiB; $(sed -n 's/^groups and files: //p' "$D/SOURCE"))" >&2
