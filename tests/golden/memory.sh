#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# memory.sh - what a group costs in memory: the captured hybrid tree
# (tests/golden/dumps) with 3000 groups added to it in four of its ten
# hierarchies (memory, cpuacct, pids, systemd; a few files each, hard links
# of the root's), and the peak RSS of `-b -n 3` (three samples: the one-shot
# walk, then the walk that adds the inotify watches and kept fds, then a
# steady one) against the tree without them.  A group of the default columns
# must cost at most 640 bytes, everything included (node, values, path,
# watches, hash; 586 to 602 here): it took 1.2 KB when a node held 38 values,
# a copy of the files' plan and every fork count, and the watches an
# open-addressing table, 828 to 864 while it kept the quiet prune's state and
# whole inode numbers, and 645 to 682 while it kept a wd a hierarchy, 64-bit
# counts of samples and the process lists' gate's deadlines at 40 bytes.
# test-lane: free (captured trees only; tests/tap-wrap.sh)
set -u
: "${top_srcdir:?}" "${CGTOP:?}"
dumps=$top_srcdir/tests/golden/dumps
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
N=3000
MAX_BYTES=640

[ -f "$dumps/hybrid.tar.xz" ] || { echo "1..0 # SKIP no dumps"; exit 77; }
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 is not installed"; exit 77; }
echo "1..2"
# peak RSS in KiB of cgtop on root $1 (GNU time is not everywhere: /proc)
peak_kb() {
	local out=$tmp/out pid hwm=0 h comm=${CGTOP##*/}
	comm=${comm:0:15}
	CGTOP_TEST_CLOCK=1764400000 "$CGTOP" --sysroot "$1" -b -n 3 -d 0.05 >"$out" 2>&1 &
	pid=$!
	# the shell's fork before its exec of cgtop is not cgtop (Name: the
	# program's file name, cut to 15 bytes)
	while h=$(awk -v c="$comm" '/^Name:/ { n = $2 } /^VmHWM:/ { print n == c ? $2 : 0 }' "/proc/$pid/status" 2>/dev/null) &&
		[ -n "$h" ]; do
		[ "$h" -gt 0 ] && hwm=$h
		sleep 0.01
	done
	wait "$pid" || { echo "# cgtop failed: $(head -c 300 "$out")" >&2; echo 0; return; }
	echo "$hwm"
}

for kind in base fleet; do
	r=$tmp/$kind
	mkdir -p "$r" && tar -xJf "$dumps/hybrid.tar.xz" -C "$r" || exit 1
done
cg=$tmp/fleet/sys/fs/cgroup
# one process for the 12,000 directories and their links
python3 - "$cg" "$N" <<'PY' || exit 1
import os, sys
cg, n = sys.argv[1], int(sys.argv[2])
keep = {"memory.usage_in_bytes", "memory.limit_in_bytes", "cpuacct.usage", "pids.current", "pids.max",
        "cgroup.procs"}
for h in ("memory", "cpuacct", "pids", "systemd"):
    root = os.path.join(cg, h)
    files = [f for f in os.listdir(root) if f in keep]
    for i in range(n):
        d = os.path.join(root, "mfleet", "g%d" % (i % 50), "g%d" % i)
        os.makedirs(d)
        for f in files:
            os.link(os.path.join(root, f), os.path.join(d, f))
PY
rows=$(CGTOP_TEST_CLOCK=1764400000 "$CGTOP" --sysroot "$tmp/fleet" -b -n 1 --raw | grep -c '/mfleet/')
if [ "$rows" -ge "$N" ]; then
	echo "ok 1 - the $N groups are shown ($rows rows)"
else
	echo "not ok 1 - the $N groups are shown: $rows rows"
fi
# AddressSanitizer's allocator puts redzones and a quarantine around every
# block: its RSS says nothing about cgtop's
if ldd "$CGTOP" 2>/dev/null | grep -q libasan; then
	echo "ok 2 # SKIP a sanitizer build"
	exit 0
fi
# the lower of three each: a peak is never below what the program needs
best() { local k=$1 m=999999999 x; for _ in 1 2 3; do x=$(peak_kb "$k"); [ "$x" -gt 0 ] && [ "$x" -lt $m ] && m=$x; done; echo $m; }
base=$(best "$tmp/base")
fleet=$(best "$tmp/fleet")
per=$(( (fleet - base) * 1024 / (N + 50) ))
if [ "$base" -ge 999999999 ] || [ "$fleet" -ge 999999999 ]; then
	echo "not ok 2 - no peak RSS read (base $base KiB, fleet $fleet KiB)"
elif [ "$per" -le $MAX_BYTES ]; then
	echo "ok 2 - a group costs $per bytes (at most $MAX_BYTES; peak RSS $base KiB, $fleet KiB with the groups)"
else
	echo "not ok 2 - a group costs $per bytes, more than $MAX_BYTES (peak RSS $base KiB, $fleet KiB with the groups)"
fi
