#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# guest-systemd.sh - run by the VM's /init (guest-init.sh) in cgtop.mode=systemd,
# before it hands PID 1 to the host's /lib/systemd/systemd on a pure cgroup v2
# kernel: writes the guest-only systemd configuration into the overlay root
# (the host is never modified; the overlay vanishes at power-off) and the unit
# that runs run.sh's command file as a real service, cgtop-vm-test.service in
# system.slice, with the same channels as the other modes: ttyS1 its stdout,
# ttyS2 its stderr, ttyS3 "CGTOP-VM-TIMES ..." and "CGTOP-VM-RC=N".  The unit
# powers the guest off when it ends (SuccessAction=, FailureAction=).
#
# Usage: guest-systemd.sh NEWROOT RUNPATH T_INIT
set -eu
R=$1 RUNPATH=$2 T_INIT=$3
E=$R/etc/systemd/system

# The host may run in a container: with /.dockerenv (or /run/.containerenv)
# systemd 252 detects "docker", runs in container mode and ignores the kernel
# command line (systemd.unit= among it).  The overlay hides them.
rm -f "$R/.dockerenv" "$R/run/.containerenv"
# the guest's own machine-id (the host's would be shared), no host fstab (its
# disks are not here), a volatile journal kept off the console
echo 6367746f70766d0000000000c0ffee00 >"$R/etc/machine-id"
echo "# cgtop test VM: no fstab" >"$R/etc/fstab"
mkdir -p "$R/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\nForwardToConsole=no\nForwardToWall=no\n' \
	>"$R/etc/systemd/journald.conf.d/cgtop-vm.conf"

# What boot pulls in beyond the bare manager: everything wanted by sysinit,
# sockets, local-fs and timers (in /etc or /lib) is masked except journald,
# whose sockets carry the units' output, and the two API mounts.  Whatever the
# host enabled, the guest thus starts the same small set.  udev, the gettys and
# the emergency shells are masked too: there is no hardware to manage and a
# failed boot must not wait for a login until the timeout.  Each masked unit
# would otherwise be a fork and exec over 9p, or worse (tmpfiles-setup takes
# 12 s there).
keep=" systemd-journald.service systemd-journald.socket systemd-journald-dev-log.socket "
keep="$keep systemd-journald-audit.socket dev-hugepages.mount dev-mqueue.mount "
mask=
for w in sysinit sockets local-fs timers; do
	for d in "$R/etc/systemd/system/$w.target.wants" "$R/lib/systemd/system/$w.target.wants"; do
		[ -d "$d" ] || continue
		for u in "$d"/*; do
			[ -e "$u" ] || [ -L "$u" ] || continue
			u=${u##*/}
			case $keep in *" $u "*) continue ;; esac
			case $u in *.target) continue ;; esac
			mask="$mask $u"
		done
	done
done
mask="$mask timers.target getty.target serial-getty@ttyS0.service console-getty.service
getty@tty1.service emergency.service rescue.service tmp.mount systemd-remount-fs.service
systemd-fsck-root.service systemd-udevd.service systemd-udev-trigger.service
systemd-udev-settle.service systemd-udevd-control.socket systemd-udevd-kernel.socket
systemd-tmpfiles-setup.service systemd-tmpfiles-setup-dev.service systemd-journal-flush.service
systemd-journal-catalog-update.service systemd-update-done.service ldconfig.service
systemd-logind.service"
for u in $mask; do
	ln -sfn /dev/null "$E/$u"
done
# generators are each a fork and exec over 9p, and some scan all of /etc;
# the guest needs none (no fstab, no gettys, no SysV scripts)
mkdir -p "$R/etc/systemd/system-generators"
for g in "$R"/lib/systemd/system-generators/*; do
	[ -e "$g" ] && ln -sfn /dev/null "$R/etc/systemd/system-generators/${g##*/}"
done

# The boot target (systemd.unit=cgtop-vm.target): basic.target plus the test.
cat >"$E/cgtop-vm.target" <<EOT
[Unit]
Description=cgtop test VM: basic system and the test
Requires=basic.target cgtop-vm-test.service
After=basic.target
AllowIsolate=yes
EOT

# The test: run.sh's command file, as a plain service (Type=exec, so the boot
# completes and systemd is "running" while the test works).  It ends by
# powering off at once: nothing in the guest is worth an orderly shutdown.
mkdir -p "$R/run/cgtop-vm"
cat >"$R/run/cgtop-vm/run-test" <<EOT
#!/bin/sh
for t in /dev/ttyS1 /dev/ttyS2 /dev/ttyS3; do
	stty -F \$t raw -echo 2>/dev/null
done
ready=\$(cut -d' ' -f1 /proc/uptime)
echo "cgtop-vm: systemd \$(systemctl is-system-running 2>/dev/null) at \${ready}s, running $RUNPATH/cmd.sh" >/dev/console
/bin/sh '$RUNPATH/cmd.sh' </dev/null >/dev/ttyS1 2>/dev/ttyS2
rc=\$?
# the last close of a serial tty waits until its buffer has been sent
: >/dev/ttyS1
: >/dev/ttyS2
done=\$(cut -d' ' -f1 /proc/uptime)
echo "cgtop-vm: uptime init=$T_INIT ready=\$ready done=\$done rc=\$rc" >/dev/console
echo "CGTOP-VM-TIMES init=$T_INIT ready=\$ready done=\$done" >/dev/ttyS3
echo "CGTOP-VM-RC=\$rc" >/dev/ttyS3
exit 0
EOT
chmod 755 "$R/run/cgtop-vm/run-test"
cat >"$E/cgtop-vm-test.service" <<EOT
[Unit]
Description=cgtop test VM: $RUNPATH/cmd.sh
After=basic.target
SuccessAction=poweroff-force
FailureAction=poweroff-force
[Service]
Type=exec
ExecStart=/run/cgtop-vm/run-test
StandardInput=null
StandardOutput=journal+console
StandardError=journal+console
TimeoutStartSec=infinity
EOT
