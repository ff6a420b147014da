#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# quickstart.sh - the README's first command, on Debian or Ubuntu: installs the
# packages the build needs (apt-get), builds cgtop in this clone as the user
# who runs it, and opens the dashboard (arguments go to cgtop).
# Only apt-get and cgtop itself run as root: directly when root runs this
# (a fresh Debian has no sudo), through sudo otherwise.
set -eu
cd "$(dirname "$0")"

deps="build-essential autoconf automake libtool pkg-config libncurses-dev libcgroup-dev
libcap-dev libmnl-dev libsqlite3-dev libjson-c-dev libmicrohttpd-dev"

missing=
for p in $deps; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done

if [ "$(id -u)" -eq 0 ]; then
	as_root=
elif command -v sudo >/dev/null 2>&1; then
	as_root=sudo
else
	as_root=none
fi

if [ -n "$missing" ]; then
	if [ "$as_root" = none ]; then
		echo "quickstart.sh: installing packages needs root and there is no sudo here; as root run:" >&2
		echo "  apt-get update && apt-get install -y$missing" >&2
		echo "then run ./quickstart.sh again (or run it as root)" >&2
		exit 1
	fi
	echo "quickstart.sh: installing$missing"
	$as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
	# shellcheck disable=SC2086 # one word per package
	$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
fi

[ -f Makefile ] || { ./autogen.sh && ./configure; }
make -j"$(nproc 2>/dev/null || echo 1)"

case $as_root in
none)
	echo "quickstart.sh: no root and no sudo: the dashboard runs as $(id -un) (values" \
		"it cannot read show as -, and changing a group needs root)" >&2
	exec ./cgtop "$@"
	;;
*) exec $as_root ./cgtop "$@" ;;
esac
