#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# capture-hybrid.sh - captures the real kernel text under tests/data/hybrid/KVER/ that the unit
# tests of the parsers read, on a host with hybrid cgroups (v1 controllers plus an empty cgroup2
# at /sys/fs/cgroup/unified).  Run by hand as root from the top of the source tree; never run by
# make.  It writes only to groups it creates: "cgtop-capture-PID" below this shell's own group
# in the memory, pids and blkio hierarchies, with a 64M memory limit, pids.max 4 and a 1 GB/s
# blk-throttle limit.  One child of its own moves there, gets a process OOM-killed, does 2 MiB
# of direct I/O and hits the pids limit; the files are copied while it waits, and the groups
# are removed on exit (trap).  The numbers differ on every run: after a new capture, update
# the values the tests in tests/unit/ expect.
set -euo pipefail

kver=$(uname -r | sed 's/^\([0-9]*\.[0-9]*\).*/\1/')
out=${1:-tests/data/hybrid/$kver}
name=cgtop-capture-$$
mkdir -p "$out"/{memory,pids,blkio,cpu,cpuacct,unified,proc}

# mount point of the first mount of filesystem type $1 whose super options include $2
mnt_of() {
	awk -v t="$1" -v c="$2" '
	{
		for (i = 7; i <= NF && $i != "-"; i++)
			;
		if ($(i + 1) != t)
			next
		n = split($(i + 3), o, ",")
		for (j = 1; j <= n; j++)
			if (c == "" || o[j] == c) {
				print $5
				exit
			}
	}' /proc/self/mountinfo
}
# this shell's group in the v1 hierarchy of controller $1
grp_of() {
	awk -F: -v c="$1" '
	{
		n = split($2, o, ",")
		for (j = 1; j <= n; j++)
			if (o[j] == c)
				print $3
	}' /proc/self/cgroup
}
# "/a" + "/" + "b" without a double slash
join() { local p="$1/$2"; echo "${p//\/\//\/}"; }

mem=$(join "$(mnt_of cgroup memory)$(grp_of memory)" "$name")
pids=$(join "$(mnt_of cgroup pids)$(grp_of pids)" "$name")
blk=$(join "$(mnt_of cgroup blkio)$(grp_of blkio)" "$name")
io=/var/tmp/$name.io
ready=/tmp/$name.ready
escdir=/tmp/$name.mnt
child=

cleanup() {
	local p procs

	set +e
	# only our own child and the processes it forked are in these new groups
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		procs=$(cat "$mem/cgroup.procs" 2>/dev/null) || break
		# cgroupfs files have size 0, so test -s cannot tell an empty group
		[ -n "$procs" ] || break
		for p in $procs; do kill "$p" 2>/dev/null; done
		sleep 0.2
	done
	[ -n "$child" ] && wait "$child" 2>/dev/null
	rm -rf "$io" "$ready" "$escdir"
	for g in "$mem" "$pids" "$blk"; do [ -d "$g" ] && rmdir "$g"; done
	true
}
trap cleanup EXIT

mkdir "$mem" "$pids" "$blk"
echo 64M >"$mem/memory.limit_in_bytes"
echo 4 >"$pids/pids.max"
# v1 blk-throttle lists a device only once a limit is set on it: the whole disk of /var/tmp
dev=$(findmnt -no MAJ:MIN -T /var/tmp)
if [ -e "/sys/dev/block/$dev/partition" ]; then
	dev=$(cat "/sys/dev/block/$dev/../dev")
fi
echo "$dev 1073741824" >"$blk/blkio.throttle.read_bps_device"
echo "$dev 1073741824" >"$blk/blkio.throttle.write_bps_device"

# The child joins the three groups, gets mawk OOM-killed (doubling a string), writes and reads
# 2 MiB with O_DIRECT, hits the pids limit with perl forks (bash would retry a failed fork for
# seconds), then signals through the fifo and waits to be captured.
mkfifo "$ready"
# shellcheck disable=SC2016 # $1.. and $BASHPID belong to the child shell
bash -c '
	for g in "$1" "$2" "$3"; do echo $BASHPID >"$g/cgroup.procs"; done
	mawk "BEGIN { s = \"x\"; while (1) s = s s }" 2>/dev/null || true
	dd if=/dev/zero of="$4" bs=1M count=2 oflag=direct status=none
	dd if="$4" of=/dev/null bs=1M iflag=direct status=none
	perl -e "for (1 .. 6) { my \$p = fork; if (defined \$p && !\$p) { sleep 30; exit } }"
	echo >"$5"
	exec sleep 30' child "$mem" "$pids" "$blk" "$io" "$ready" &
child=$!
read -r _ <"$ready"

for f in memory.stat memory.oom_control memory.limit_in_bytes memory.usage_in_bytes \
	memory.max_usage_in_bytes memory.failcnt memory.memsw.limit_in_bytes cgroup.procs tasks; do
	cat "$mem/$f" >"$out/memory/$f"
done
cat "$(mnt_of cgroup memory)/memory.limit_in_bytes" >"$out/memory/root-memory.limit_in_bytes"
for f in pids.events pids.max pids.current cgroup.procs tasks; do
	cat "$pids/$f" >"$out/pids/$f"
done
for f in blkio.throttle.io_service_bytes_recursive blkio.throttle.io_serviced_recursive; do
	cat "$blk/$f" >"$out/blkio/$f"
	cat "$(mnt_of cgroup blkio)/$f" >"$out/blkio/root-$f"
done
cat "$(mnt_of cgroup cpu)/cpu.stat" >"$out/cpu/cpu.stat"
cat "$(mnt_of cgroup cpuacct)/cpuacct.stat" >"$out/cpuacct/cpuacct.stat"
uni=$(mnt_of cgroup2 "")
for f in cpu.stat cpu.pressure memory.pressure io.pressure cgroup.procs; do
	cat "$uni/$f" >"$out/unified/$f"
done
cat /proc/"$child"/cgroup >"$out/proc/child-cgroup"
cat /proc/self/cgroup >"$out/proc/self-cgroup"
# mounts below /mnt are private to the host that ran the capture, not part of the example
grep -v ' /mnt/' /proc/self/mountinfo >"$out/proc/self-mountinfo"
cat /proc/meminfo >"$out/proc/meminfo"
cat /proc/stat >"$out/proc/stat"
cat /proc/pressure/cpu >"$out/proc/pressure-cpu"
cat /proc/pressure/memory >"$out/proc/pressure-memory"

# mountinfo escapes: a tmpfs from "cgtop src" on a path holding a space, a tab and a backslash,
# in a private mount namespace that dies with the command
mnt="$escdir/a b"$'\t'"c\\d"
mkdir -p "$mnt"
# shellcheck disable=SC2016 # $1 belongs to the inner sh
unshare -m --propagation private \
	sh -c 'mount -t tmpfs "cgtop src" "$1" && cat /proc/self/mountinfo' sh "$mnt" |
	grep -F "$name" >"$out/proc/mountinfo-escapes"

# shellcheck source=/dev/null
os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")
src="Captured with tests/data/hybrid/capture-hybrid.sh on $(uname -r) (${os:-Linux}, hybrid"
src="$src cgroups), $(date -u +%F)"
for d in "$out"/*/; do echo "$src" >"$d/SOURCE"; done
echo "$src; self-mountinfo without the host-private mounts below /mnt" >"$out/proc/SOURCE"
