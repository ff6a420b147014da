#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh - run one host script as root inside a throwaway qemu VM that boots
# the installed Debian kernel with a pure cgroup v2 or a pure cgroup v1
# hierarchy, or with the host's systemd as PID 1 on pure cgroup v2, and hand
# its stdout (TAP) and exit status back.  The guest sees the host's /
# read-only over virtio-9p with a tmpfs overlay on top, so the
# freshly built cgtop and the host's libraries run unchanged at the same
# paths; the initramfs (busybox-static + a few modules) and the PVH vmlinux
# are cached in $CGTOP_VM_BUILD (default $top_builddir/tests/vm/build).
#
# Usage: run.sh -M v2|v1|systemd [-t TIMEOUT] [-s CPUS] [-m MiB] [-w DIR] SCRIPT [ARGS...]
#   -M MODE  v2: cgroup_no_v1=all, cgroup2 at /sys/fs/cgroup with
#            +cpu +cpuset +memory +pids +io in the root's subtree_control;
#            v1: one v1 mount per controller under /sys/fs/cgroup (cpu,cpuacct
#            and net_cls,net_prio comounted, with symlinks), name=systemd at
#            /sys/fs/cgroup/systemd, no cgroup2 mount;
#            systemd: the host's /lib/systemd/systemd is PID 1 (cgroup_no_v1=all,
#            it mounts cgroup2 and delegates controllers itself) and SCRIPT
#            runs as the service cgtop-vm-test.service (tests/vm/guest-systemd.sh)
#   -t SECS  hard timeout for the whole VM (default 300)
#   -s N     guest CPUs (default 1);  -m MiB  guest memory (default 1024)
#   -w DIR   share host directory DIR read-write at the same path (results
#            written there survive the VM; everything else is thrown away)
# SCRIPT runs with ARGS in the guest as root, in the same cwd, with top_srcdir,
# top_builddir, CGTOP, PATH, LANG, LC_ALL and the variables named in
# $CGTOP_VM_PASSENV copied from this environment, plus CGTOP_VM_MODE=v2|v1
# and CGTOP_VM_SCRATCH (a per-run writable host directory, deleted after the
# run).  *.sh and *.test scripts run under bash, anything else is executed.
# The guest has a 16 MiB virtio disk (/dev/vda) so io.stat/blkio count.
#
# Environment: CGTOP_VM_QEMU (qemu binary), CGTOP_VM_KERNEL (a vmlinuz; default
# the newest /boot/vmlinuz-*), CGTOP_VM_BUILD (cache dir), CGTOP_VM_ACCEL
# (kvm|tcg; default kvm when /dev/kvm is usable and a probe boot with it works,
# else tcg; the probe's verdict is cached), CGTOP_VM_CPU (qemu -cpu under KVM,
# default max), CGTOP_VM_PVH=0 (boot the
# bzImage instead of the extracted vmlinux), CGTOP_VM_KEEP=1 (keep the run
# directory with console.log even on success).
#
# Exit status: the script's; 77 with "1..0 # SKIP why" when qemu, a readable
# kernel, its modules or busybox-static (for -M systemd also systemd) are
# missing; 99 with "Bail out!" on stdout on a timeout or when the guest gave no
# verdict (run directory kept).
# The script's stderr and one timing line go to stderr.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
MODE= TMO=300 SMP=1 MEM=1024 WDIR=
usage() { sed -n '/^# Usage:/,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while getopts M:t:s:m:w:h opt; do
	case $opt in
	M) MODE=$OPTARG ;;
	t) TMO=$OPTARG ;;
	s) SMP=$OPTARG ;;
	m) MEM=$OPTARG ;;
	w) WDIR=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
case $MODE in v1 | v2 | systemd) ;; *) echo "run.sh: -M v2, v1 or systemd is required" >&2; usage ;; esac
[ $# -ge 1 ] || usage

skip() { echo "1..0 # SKIP $*"; exit 77; }
bail() { echo "Bail out! cgtop vm ($MODE): $*"; echo "run.sh: $*" >&2; exit 99; }

# --- what we need -------------------------------------------------------------
QEMU=${CGTOP_VM_QEMU:-qemu-system-x86_64}
QEMU=$(command -v "$QEMU" 2>/dev/null) || skip "qemu-system-x86_64 not found (apt-get install qemu-system-x86)"
[ -x "$QEMU" ] || skip "qemu ${CGTOP_VM_QEMU:-} not executable"
KERNEL=${CGTOP_VM_KERNEL:-$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)}
[ -n "$KERNEL" ] && [ -r "$KERNEL" ] ||
	skip "no readable kernel /boot/vmlinuz-* (apt-get install linux-image-amd64)"
KVER=${KERNEL##*/vmlinuz-}
[ -d "/lib/modules/$KVER" ] || skip "no /lib/modules/$KVER for kernel $KERNEL"
BB=$(command -v busybox 2>/dev/null) || skip "busybox-static not installed"
ldd "$BB" >/dev/null 2>&1 && skip "busybox is not the static build (apt-get install busybox-static)"
command -v timeout >/dev/null || skip "timeout(1) not found"
[ "$MODE" != systemd ] || [ -x /lib/systemd/systemd ] || skip "no /lib/systemd/systemd (apt-get install systemd)"

SCRIPT=$1
shift
case $SCRIPT in /*) ;; *) SCRIPT=$PWD/$SCRIPT ;; esac
[ -r "$SCRIPT" ] || bail "no such script: $SCRIPT"
if [ -n "$WDIR" ]; then
	WDIR=$(cd "$WDIR" 2>/dev/null && pwd) || bail "-w: no such directory"
fi

BUILD=${CGTOP_VM_BUILD:-${top_builddir:-$HERE/../..}/tests/vm/build}
mkdir -p "$BUILD" || bail "cannot create $BUILD"
BUILD=$(cd "$BUILD" && pwd)

# --- cached artefacts (built once, under a lock: make -j runs v1 and v2 at once)
# extract_vmlinux BZIMAGE OUT: find the compressed payload in the bzImage and
# keep the first candidate that unpacks to an ELF with a PVH entry note (Xen
# note type 0x12); qemu boots that directly, skipping the decompressor.
extract_vmlinux() {
	local m cmd off
	command -v readelf >/dev/null || return 1
	for m in 'xz -dc --single-stream:\xfd7zXZ\x00' 'zstd -qdc:\x28\xb5\x2f\xfd' 'gzip -dc:\x1f\x8b\x08'; do
		cmd=${m%%:*}
		command -v "${cmd%% *}" >/dev/null || continue
		for off in $(LC_ALL=C grep -obUaP "${m#*:}" "$1" | cut -d: -f1); do
			tail -c +$((off + 1)) "$1" | $cmd >"$2.tmp" 2>/dev/null
			if [ "$(head -c 4 "$2.tmp" | od -An -c | tr -d ' ')" = '177ELF' ] &&
				readelf -n "$2.tmp" 2>/dev/null | grep -q '(0x00000012)'; then
				mv "$2.tmp" "$2"
				return 0
			fi
		done
	done
	rm -f "$2.tmp"
	return 1
}
INITRD=$BUILD/initramfs-$KVER.cpio.gz
VMLINUX=$BUILD/vmlinux-$KVER
build_cache() {
	local stale= f rc
	[ -s "$INITRD" ] || stale=1
	for f in mkinitramfs.sh guest-init.sh guest-systemd.sh; do
		[ "$HERE/$f" -nt "$INITRD" ] && stale=1
	done
	if [ -n "$stale" ]; then
		sh "$HERE/mkinitramfs.sh" -k "$KVER" -o "$INITRD" >&2
		rc=$?
		[ $rc -eq 77 ] && skip "cannot build the initramfs (see stderr)"
		[ $rc -eq 0 ] || bail "mkinitramfs.sh failed ($rc)"
	fi
	if [ "${CGTOP_VM_PVH:-1}" != 0 ] && ! { [ -s "$VMLINUX" ] && [ "$VMLINUX" -nt "$KERNEL" ]; } &&
		! [ -e "$VMLINUX.none" ]; then
		extract_vmlinux "$KERNEL" "$VMLINUX" || : >"$VMLINUX.none"
	fi
}
locked() { # locked FUNC: run FUNC holding the cache lock (when flock exists)
	if command -v flock >/dev/null; then
		exec 9>"$BUILD/.lock"
		flock 9
		"$1"
		flock -u 9
		exec 9>&-
	else
		"$1"
	fi
}
locked build_cache
BOOT=$KERNEL
[ "${CGTOP_VM_PVH:-1}" != 0 ] && [ -s "$VMLINUX" ] && BOOT=$VMLINUX

# --- the per-run directory (9p tag "run", read-write) ------------------------
RUN=$(mktemp -d "$BUILD/run-$MODE.XXXXXX") || bail "mktemp failed"
case $RUN$WDIR in *,*) bail "qemu -virtfs cannot take a path with a comma: $RUN $WDIR" ;; esac
cleanup() {
	if [ -n "${KEEP:-}" ] || [ "${CGTOP_VM_KEEP:-0}" = 1 ]; then
		echo "run.sh: run directory kept: $RUN" >&2
	else
		rm -rf "$RUN"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$RUN/scratch"
printf '%s\n' "$RUN" >"$RUN/path"
[ -n "$WDIR" ] && printf '%s\n' "$WDIR" >"$RUN/wdir"
# /tmp on the overlay is slow (every new name is looked up over 9p): give the
# guest a plain tmpfs /tmp unless something we hand over lives below /tmp
case "/$PWD/:/$SCRIPT:/$RUN/:/$WDIR/:/${top_srcdir:-}/:/${top_builddir:-}/:/${CGTOP:-}" in
*//tmp/*) ;;
*) : >"$RUN/tmpfs-tmp" ;;
esac

q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }	# single-quote for /bin/sh
{
	echo "# generated by tests/vm/run.sh: runs in the guest's chroot"
	echo "cd $(q "$PWD") || exit 99"
	printf 'exec /usr/bin/env -i HOME=/root TERM=dumb'
	for v in PATH LANG LC_ALL top_srcdir top_builddir CGTOP ${CGTOP_VM_PASSENV:-}; do
		[ -n "${!v+set}" ] && printf ' %s=%s' "$v" "$(q "${!v}")"
	done
	printf ' CGTOP_VM_MODE=%s CGTOP_VM_SCRATCH=%s' "$MODE" "$(q "$RUN/scratch")"
	case $SCRIPT in *.sh | *.test) printf ' bash' ;; esac
	printf ' %s' "$(q "$SCRIPT")"
	for a in "$@"; do printf ' %s' "$(q "$a")"; done
	echo
} >"$RUN/cmd.sh"

# --- boot ------------------------------------------------------------------------
# KVM when /dev/kvm is usable: some hosts offer a /dev/kvm that cannot run a
# stock kernel (e.g. nested or software "PVM" KVM), so boot it once with the
# probe mode and remember the verdict for this kernel in the cache.
probe_kvm() {
	local d
	d=$(mktemp -d "$BUILD/probe.XXXXXX") || return 1
	(timeout -k 2 "${CGTOP_VM_PROBE_TIMEOUT:-15}" "$QEMU" -nodefaults -no-user-config \
		-machine pc -accel kvm -cpu "${CGTOP_VM_CPU:-max}" -m 256 -display none \
		-no-reboot -kernel "$BOOT" -initrd "$INITRD" \
		-append "console=ttyS0 panic=-1 quiet cgtop.mode=probe" \
		-chardev "file,id=con,path=$d/console.log" -serial chardev:con \
		-serial null -serial null -chardev "file,id=ctl,path=$d/control.log" \
		-serial chardev:ctl || :) </dev/null >/dev/null 2>&1
	grep -q '^CGTOP-VM-RC=0' "$d/control.log" 2>/dev/null
	local rc=$?
	rm -rf "$d"
	return $rc
}
ACCEL=${CGTOP_VM_ACCEL:-}
if [ -z "$ACCEL" ]; then
	ACCEL=tcg
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		PROBE=$BUILD/accel-${BOOT##*/}
		probe_cached() {
			[ -s "$PROBE" ] && [ "$PROBE" -nt "$INITRD" ] && [ "$PROBE" -nt "$QEMU" ] &&
				return 0
			if probe_kvm; then echo kvm; else echo tcg; fi >"$PROBE.tmp"
			mv "$PROBE.tmp" "$PROBE"
			echo "run.sh: KVM probe boot: using $(cat "$PROBE") (cached in $PROBE)" >&2
		}
		locked probe_cached
		ACCEL=$(cat "$PROBE")
	fi
fi
CPU=()
[ "$ACCEL" = kvm ] && CPU=(-cpu "${CGTOP_VM_CPU:-max}")
APPEND="console=ttyS0 panic=-1 quiet cgtop.mode=$MODE"
[ "$MODE" = v2 ] && APPEND="$APPEND cgroup_no_v1=all"
# systemd: straight to cgtop-vm.target (basic.target and the test), no status
# on the console, nothing from disks, fstab or first-boot set-up
[ "$MODE" = systemd ] && APPEND="$APPEND cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1" &&
	APPEND="$APPEND systemd.unit=cgtop-vm.target systemd.show_status=0 systemd.gpt_auto=0" &&
	APPEND="$APPEND systemd.firstboot=0 fstab=0 audit=0"
truncate -s 16M "$RUN/disk.img"
ARGS=(-nodefaults -no-user-config -machine pc -accel "$ACCEL" "${CPU[@]}"
	-m "$MEM" -smp "$SMP" -display none -no-reboot -nic none
	-kernel "$BOOT" -initrd "$INITRD" -append "$APPEND"
	-chardev "file,id=con,path=$RUN/console.log" -serial chardev:con
	-chardev stdio,id=out,signal=off -serial chardev:out
	-chardev "file,id=err,path=$RUN/stderr.log" -serial chardev:err
	-chardev "file,id=ctl,path=$RUN/control.log" -serial chardev:ctl
	-drive "file=$RUN/disk.img,if=virtio,format=raw"
	-virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap
	-virtfs "local,path=$RUN,mount_tag=run,security_model=none")
[ -n "$WDIR" ] && ARGS+=(-virtfs "local,path=$WDIR,mount_tag=wdir,security_model=none")

T0=$(date +%s%N)
timeout -k 5 "$TMO" "$QEMU" "${ARGS[@]}" </dev/null 2>"$RUN/qemu.err"
QRC=$?
T1=$(date +%s%N)
WALL=$(awk -v a="$T0" -v b="$T1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')

# the script's stderr (a file, so it cannot mix with the TAP on stdout)
[ -s "$RUN/stderr.log" ] && cat "$RUN/stderr.log" >&2
TIMES=$(sed -n 's/^CGTOP-VM-TIMES //p' "$RUN/control.log" 2>/dev/null | tr -d '\r')
echo "run.sh: $MODE guest ($ACCEL, ${BOOT##*/}): qemu wall ${WALL}s, guest uptime ${TIMES:-?}" >&2
if [ $QRC -eq 124 ] || [ $QRC -eq 137 ]; then
	KEEP=1
	bail "timeout after ${TMO}s (console log: $RUN/console.log)"
fi
RC=$(sed -n 's/^CGTOP-VM-RC=\([0-9]*\)\r\{0,1\}$/\1/p' "$RUN/control.log" 2>/dev/null | tail -n 1)
if [ -z "$RC" ]; then
	KEEP=1
	sed 's/^/qemu: /' "$RUN/qemu.err" >&2
	tail -n 20 "$RUN/console.log" 2>/dev/null | sed 's/^/console: /' >&2
	bail "the guest gave no verdict, qemu exit $QRC (console log: $RUN/console.log)"
fi
[ "$RC" -eq 0 ] || KEEP=1
exit "$RC"
