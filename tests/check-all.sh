#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The whole test suite, from a clean clone, as root on Debian or Ubuntu:
#   1. installs every package the build and the tests need (apt-get);
#   2. builds with warnings as errors and runs `make check` (unit, golden,
#      command-line, live cgroup tests on this host, and the qemu stages that
#      boot a real kernel in pure cgroup v2 and pure v1 mode);
#   3. runs `make distcheck` with AddressSanitizer and UndefinedBehaviorSanitizer,
#      which builds the release tarball and runs the same suite under them.
# It ends with one line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
srcdir=$PWD

pkgs=(build-essential autoconf automake libtool pkg-config
	libncurses-dev libcgroup-dev libcap-dev libmnl-dev
	cgroup-tools jq tmux procps xz-utils file util-linux clang iproute2 iputils-ping
	qemu-system-x86 linux-image-amd64 busybox-static
	prometheus libmicrohttpd-dev curl python3)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "check-all: run as root (sudo) to install: ${missing[*]}" >&2
		exit 1
	fi
	echo "check-all: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		{ echo "check-all: apt-get install failed" >&2; exit 1; }
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
step() {
	echo "== $*"
	"$@" 2>&1 | tee -a "$log"
	local rc=${PIPESTATUS[0]}
	[ "$rc" -eq 0 ] || { echo "check-all: FAILED: $*" >&2; status=1; }
	return "$rc"
}

step ./autogen.sh >/dev/null &&
	step ./configure --enable-werror &&
	step make -j"$(nproc)" &&
	step make -j1 check
if [ "$status" -ne 0 ]; then
	for f in $(find tests -name '*.log' -newer configure 2>/dev/null); do
		grep -q -E '^(not ok|# SKIP|ERROR)' "$f" 2>/dev/null && { echo "---- $f"; tail -40 "$f"; }
	done
fi
step make -j1 distcheck DISTCHECK_CONFIGURE_FLAGS="--enable-werror --enable-sanitizers"

pass=$(awk '/^# PASS:/ {s += $3} END {print s + 0}' "$log")
fail=$(awk '/^# (FAIL|ERROR|XPASS):/ {s += $3} END {print s + 0}' "$log")
skip=$(awk '/^# SKIP:/ {s += $3} END {print s + 0}' "$log")
[ "$fail" -eq 0 ] || status=1
echo "$pass passed, $fail failed, $skip skipped"
exit "$status"
