#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The whole test suite, from a clean clone, on Debian or Ubuntu:
#   1. installs every package the build and the tests need (apt-get);
#   2. builds with warnings as errors (cgtop and the test helpers, which the
#      qemu stages run);
#   2b. runs `make lint` (cppcheck, clang-format against .clang-format, groff -ww on the man page);
#   3. runs `make distcheck` with warnings as errors, AddressSanitizer and
#      UndefinedBehaviorSanitizer: it builds the release tarball and runs its
#      `make check` once (unit, golden, command-line, live cgroup tests on this
#      host, and the qemu stages that boot a real kernel in pure cgroup v2 and
#      pure v1 mode, and with systemd as PID 1, beside the host tests).
# It ends with one line "N passed, N failed, N skipped".
# The tests need root (they make groups, set limits, cause OOM kills).  Run by
# root (a fresh Debian has no sudo) it does everything itself.  Run by another
# user it installs through sudo, builds as that user, then runs the tests as
# root in one sudo call (it re-executes itself with --built) and hands the
# files root wrote in the tree back to the tree's owner.
set -uo pipefail
cd "$(dirname "$0")/.."
srcdir=$PWD
built=0
[ "${1:-}" = --built ] && built=1

handback=
if [ "$(id -u)" -eq 0 ]; then
	as_root=
	owner=$(stat -c %u:%g "$srcdir")
	[ "${owner%%:*}" = 0 ] || handback=$owner
elif command -v sudo >/dev/null 2>&1; then
	as_root=sudo
else
	echo "check-all: the tests need root (they make cgroups and cause OOM kills) and" \
		"there is no sudo here: run tests/check-all.sh as root" >&2
	exit 1
fi

pkgs=(build-essential autoconf automake libtool pkg-config
	libncurses-dev libcgroup-dev libcap-dev libmnl-dev libsqlite3-dev sqlite3 libjson-c-dev
	cgroup-tools jq tmux procps xz-utils file util-linux clang iproute2 iputils-ping
	qemu-system-x86 busybox-static
	prometheus libmicrohttpd-dev curl python3 systemd
	dpkg-dev debhelper lintian zsh
	docker.io podman runc apparmor
	cppcheck clang-format groff-base strace)
# apparmor: docker.io only recommends it, but on a kernel with AppArmor on (Debian's) `docker
# run` fails without its apparmor_parser ("the docker-default profile could not be loaded")

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# the VM tests boot the newest /boot/vmlinuz-*: any kernel with its modules will do
# (Debian's package is linux-image-amd64, Ubuntu's linux-image-generic)
kernel=
for k in /boot/vmlinuz-*; do
	[ -d "/lib/modules/${k#/boot/vmlinuz-}" ] && kernel=$k
done
if [ "$built" = 0 ] && { [ ${#missing[@]} -gt 0 ] || [ -z "$kernel" ]; }; then
	echo "check-all: installing ${missing[*]}$([ -n "$kernel" ] || echo " and a kernel")"
	apt() { $as_root env DEBIAN_FRONTEND=noninteractive apt-get "$@"; }
	apt update -qq || { echo "check-all: apt-get update failed" >&2; exit 1; }
	if [ -z "$kernel" ]; then
		if apt-cache policy linux-image-amd64 2>/dev/null | grep -q 'Candidate: [0-9]'; then
			missing+=(linux-image-amd64)
		else
			missing+=(linux-image-generic)
		fi
	fi
	apt install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		{ echo "check-all: apt-get install failed" >&2; exit 1; }
fi

log=$(mktemp)
cleanup() {
	rm -f "$log"
	# what root made here (objects, logs, the VM cache, the tarball) goes back to the owner
	[ -z "$handback" ] || chown -Rh --from=0 "$handback" "$srcdir"
}
trap cleanup EXIT
status=0
step() {
	echo "== $*"
	"$@" 2>&1 | tee -a "$log"
	local rc=${PIPESTATUS[0]}
	[ "$rc" -eq 0 ] || { echo "check-all: FAILED: $*" >&2; status=1; }
	return "$rc"
}

if [ "$built" = 0 ]; then
	step ./autogen.sh >/dev/null &&
		step ./configure --enable-werror &&
		step make -j"$(nproc)" &&
		step make -j"$(nproc)" check TESTS= # the test helpers, for the qemu stages
	if [ -n "$as_root" ]; then
		[ "$status" -eq 0 ] || exit 1
		rm -f "$log"
		exec sudo "$srcdir/tests/check-all.sh" --built
	fi
fi
# Many jobs: tests/tap-wrap.sh queues each test in its lane (one host test at
# a time, one VM stage per CPU and one more), so make must start them all early.
jobs=$(($(nproc) * 2 + 8))
# one VM cache (kernel, initramfs) for every run
export CGTOP_VM_BUILD=$srcdir/tests/vm/build
# The qemu stages run this plain build of the same sources (tests/vm/stage.sh:
# under TCG the sanitizers' instrumentation is emulated too, 3-4x slower); the
# host tests run distcheck's build with the sanitizers.
[ -x "$srcdir/cgtop" ] && export CGTOP_VM_BUILDDIR=$srcdir
# The suite runs once, in distcheck: the release tarball built with warnings as
# errors, AddressSanitizer and UndefinedBehaviorSanitizer, and its `make check`
# (host, VM and systemd stages).  CGTOP_CHECK_PLAIN=1 also runs `make check` on
# the plain build first (twice the time).
if [ "${CGTOP_CHECK_PLAIN:-0}" = 1 ] && [ "$status" -eq 0 ]; then
	step make -j"$jobs" check
fi
# cppcheck and the clang-format check (seconds); the tests run whatever it says
step make lint
# every file git tracks is in the release tarball (a tar format that cut long
# names once dropped the names tests' data, and only distcheck's tests saw it)
dist_complete() {
	local missing
	make dist >/dev/null || return 1
	missing=$(comm -23 <(git -C "$srcdir" ls-files | grep -v -x -e .gitignore | sort) \
		<(tar tzf "$srcdir"/cgtop-*.tar.gz | sed 's|^[^/]*/||' | sort))
	rm -f "$srcdir"/cgtop-*.tar.gz
	[ -z "$missing" ] || { echo "not in the tarball:"; echo "$missing"; return 1; }
}
git -C "$srcdir" rev-parse --git-dir >/dev/null 2>&1 && step dist_complete
step make -j"$jobs" distcheck DISTCHECK_CONFIGURE_FLAGS="--enable-werror --enable-sanitizers"
if [ "$status" -ne 0 ]; then
	for f in $(find . -path ./tests/vm/build -prune -o -name '*.log' -newer configure -print 2>/dev/null); do
		grep -q -E '^(not ok|# SKIP|ERROR)' "$f" 2>/dev/null && { echo "---- $f"; grep -E '^(not ok|ERROR|Bail)' "$f" | head -40; }
	done
fi

pass=$(awk '/^# PASS:/ {s += $3} END {print s + 0}' "$log")
fail=$(awk '/^# (FAIL|ERROR|XPASS):/ {s += $3} END {print s + 0}' "$log")
skip=$(awk '/^# SKIP:/ {s += $3} END {print s + 0}' "$log")
[ "$fail" -eq 0 ] || status=1
echo "$pass passed, $fail failed, $skip skipped"
exit "$status"
