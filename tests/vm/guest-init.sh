#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# guest-init.sh - /init (PID 1, busybox sh) of the cgtop test VM.  It mounts
# the kernel filesystems, loads the virtio/9p/overlay/veth modules, sets up a
# pure cgroup v2 or a pure cgroup v1 hierarchy under /sys/fs/cgroup, stacks a
# tmpfs overlay on the host's / (9p tag "host", read-only), and runs the host's
# command file RUN/cmd.sh (written by tests/vm/run.sh; RUN is the 9p tag "run",
# read-write) chrooted into it.  Channels: ttyS0 = console/log, ttyS1 = the
# command's stdout, ttyS2 = its stderr, ttyS3 = control lines for run.sh
# ("CGTOP-VM-RC=N", timings).  The guest always ends with poweroff -f.
#
# In cgtop.mode=systemd the command runs instead as a service of the host's own
# systemd, made PID 1 of a pure cgroup v2 guest over the same overlay root
# (guest-systemd.sh writes its configuration, then switch_root).
#
# Kernel command line (read from /proc/cmdline; dotted words are not passed to
# init's environment): cgtop.mode=v2|v1|systemd, or probe (just power off).

PATH=/bin:/sbin:/usr/bin:/usr/sbin
export PATH

# No /dev/console node in the initramfs (it is built as non-root): mount
# devtmpfs first, then re-open stdio on the console.
mount -t devtmpfs devtmpfs /dev
exec 0</dev/console 1>/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=1777 tmpfs /tmp
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
# devtmpfs lacks the fd links (bash process substitution needs /dev/fd)
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
T_INIT=$(cut -d' ' -f1 /proc/uptime)

MODE=v2
for w in $(cat /proc/cmdline); do
	case $w in
	cgtop.mode=*) MODE=${w#*=} ;;
	esac
done
echo "cgtop-vm: init at ${T_INIT}s, mode $MODE, kernel $(uname -r)"

ctl() { echo "$*" >/dev/ttyS3; }
for t in /dev/ttyS1 /dev/ttyS2 /dev/ttyS3; do
	stty -F $t raw -echo 2>/dev/null
done
if [ "$MODE" = probe ]; then
	# run.sh checks once whether this accelerator boots the kernel at all
	ctl "CGTOP-VM-RC=0"
	poweroff -f
	sleep 10
fi

# finish RC: report the verdict on the control port and power off.
finish() {
	# End what the test left behind (PID 1 survives kill -1), then open
	# and close the output ports once: the last close of a serial tty
	# waits until its buffer has been sent, so nothing is cut off.
	kill -9 -1 2>/dev/null
	sleep 0.05
	: >/dev/ttyS1
	: >/dev/ttyS2
	T_END=$(cut -d' ' -f1 /proc/uptime)
	echo "cgtop-vm: uptime init=$T_INIT ready=${T_READY:-} done=$T_END rc=$1"
	ctl "CGTOP-VM-TIMES init=$T_INIT ready=${T_READY:-} done=$T_END"
	ctl "CGTOP-VM-RC=$1"
	sync
	poweroff -f
	sleep 10
}
fail() {
	echo "cgtop-vm: $*"
	echo "Bail out! cgtop-vm: $*" >/dev/ttyS1
	finish 99
}

# Modules in dependency order (mkinitramfs.sh wrote the list).
while read -r ko; do
	insmod "/lib/modules/$ko" || echo "cgtop-vm: insmod $ko failed"
done </lib/modules/load.list
hostname cgtop-vm
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up

# 9p shares: "host" = the host's / (read-only), "run" = run.sh's per-run
# directory (read-write), optional "wdir" = a writable host directory.
TAGS=
for t in /sys/bus/virtio/drivers/9pnet_virtio/*/mount_tag; do
	[ -r "$t" ] && TAGS="$TAGS $(tr -d '\0' <"$t")"
done
case " $TAGS " in *" host "*) ;; *) fail "no 9p share 'host' (tags:$TAGS)" ;; esac
case " $TAGS " in *" run "*) ;; *) fail "no 9p share 'run' (tags:$TAGS)" ;; esac
O9P=trans=virtio,version=9p2000.L,msize=262144
mount -t 9p -o $O9P,ro,cache=loose host /host || fail "mounting the host share failed"
mount -t 9p -o $O9P,rw run /share || fail "mounting the run share failed"
case " $TAGS " in
*" wdir "*) mount -t 9p -o $O9P,rw wdir /wdir || fail "mounting the wdir share failed" ;;
esac
read -r RUNPATH </share/path || fail "no path file in the run share"
WDIRPATH=
[ -r /share/wdir ] && read -r WDIRPATH </share/wdir

# cgroups.
if [ "$MODE" = v2 ]; then
	# the options systemd uses on a pure v2 host
	mount -t cgroup2 -o nsdelegate,memory_recursiveprot cgroup2 /sys/fs/cgroup ||
		fail "mounting cgroup2 failed"
	for c in cpu cpuset memory pids io; do
		echo "+$c" >/sys/fs/cgroup/cgroup.subtree_control ||
			echo "cgtop-vm: enabling $c failed"
	done
	echo "cgtop-vm: subtree_control: $(cat /sys/fs/cgroup/cgroup.subtree_control)"
elif [ "$MODE" = v1 ]; then
	# the legacy layout of systemd/Debian: one hierarchy per controller,
	# cpu,cpuacct and net_cls,net_prio comounted with symlinks, the
	# named systemd hierarchy, and no cgroup2 mount at all
	mount -t tmpfs -o mode=755 tmpfs /sys/fs/cgroup
	for c in $(awk '!/^#/ && $4 == 1 { print $1 }' /proc/cgroups); do
		case $c in
		cpu | cpuacct) d=cpu,cpuacct ;;
		net_cls | net_prio) d=net_cls,net_prio ;;
		*) d=$c ;;
		esac
		[ -d /sys/fs/cgroup/$d ] && continue
		mkdir /sys/fs/cgroup/$d
		mount -t cgroup -o "$d" cgroup "/sys/fs/cgroup/$d" ||
			echo "cgtop-vm: mounting v1 $d failed"
	done
	for l in cpu cpuacct; do ln -s cpu,cpuacct /sys/fs/cgroup/$l; done
	for l in net_cls net_prio; do ln -s net_cls,net_prio /sys/fs/cgroup/$l; done
	mkdir /sys/fs/cgroup/systemd
	mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd ||
		echo "cgtop-vm: mounting name=systemd failed"
	echo "cgtop-vm: v1 hierarchies: $(ls /sys/fs/cgroup | tr '\n' ' ')"
elif [ "$MODE" = systemd ]; then
	: # systemd mounts cgroup2 itself (the kernel has cgroup_no_v1=all)
else
	fail "unknown cgtop.mode=$MODE"
fi

# The root for the command: the host's / with a tmpfs overlay (writes vanish
# at power-off; the host is never modified), the guest's kernel filesystems,
# a fresh /run, and the writable shares at their host paths.
mount -t tmpfs tmpfs /rw
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/host,upperdir=/rw/upper,workdir=/rw/work overlay /newroot ||
	fail "overlay mount failed"
N=/newroot
if [ "$MODE" != systemd ]; then
	mount --rbind /dev $N/dev
	mount --rbind /proc $N/proc
	mount --rbind /sys $N/sys
fi
mount -t tmpfs -o mode=755 tmpfs $N/run
# run.sh asks for a tmpfs /tmp when none of its paths lives there (faster
# than the overlay, whose every new name is first looked up over 9p)
[ -e /share/tmpfs-tmp ] && mount -t tmpfs -o mode=1777 tmpfs $N/tmp
mkdir -p "$N$RUNPATH"
mount --bind /share "$N$RUNPATH" || fail "bind-mounting the run share failed"
if [ -n "$WDIRPATH" ]; then
	mkdir -p "$N$WDIRPATH"
	mount --bind /wdir "$N$WDIRPATH" || fail "bind-mounting the writable dir failed"
fi
if [ "$MODE" = systemd ]; then
	# the mounts made here go along with the new root (/run, /tmp and the
	# shares are below it; /dev, /proc and /sys are moved there)
	sh /guest-systemd.sh $N "$RUNPATH" "$T_INIT" || fail "writing the systemd configuration failed"
	for m in dev proc sys; do
		mount --move /$m $N/$m || fail "moving /$m into the new root failed"
	done
	echo "cgtop-vm: exec /lib/systemd/systemd at $(cut -d' ' -f1 $N/proc/uptime)s"
	exec switch_root $N /lib/systemd/systemd
	fail "switch_root failed"
fi

T_READY=$(cut -d' ' -f1 /proc/uptime)
echo "cgtop-vm: ready at ${T_READY}s, running $RUNPATH/cmd.sh"

chroot $N /bin/sh "$RUNPATH/cmd.sh" </dev/null >/dev/ttyS1 2>/dev/ttyS2
finish $?
