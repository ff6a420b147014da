#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# stage.sh MODE SET - one VM stage of make check (the tests/vm/vm-*.test files
# call it): boots a throwaway qemu VM through tests/vm/run.sh in MODE (v2: pure
# cgroup v2; v1: pure cgroup v1; systemd: the host's systemd as PID 1 on pure
# v2) and runs tests/vm/inside.sh's SET of scripts in it, one after the other;
# the inner TAP passes through unchanged, so every assertion counts.  SET is
# part:I/N or systemd (see inside.sh); make -j runs the stages side by side
# (tests/tap-wrap.sh's cpu lane).  Skips (77) without qemu, a kernel or busybox-static, or when
# CGTOP_VM_SKIP=1.  CGTOP_VM_SCRIPT overrides the script to run (a stand-in
# while developing), CGTOP_VM_TIMEOUT the timeout of the VM (default 1800 s).
# CGTOP_VM_BUILDDIR names another build of the same sources whose cgtop and
# test helpers the guest runs instead: tests/check-all.sh points it at its
# plain build (warnings as errors, no sanitizers) while distcheck runs the
# host tests under ASan and UBSan, because under TCG every instrumented memory
# access is emulated too and the guests ran 3-4x slower.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$PWD}"
if [ -n "${CGTOP_VM_BUILDDIR:-}" ]; then
	if [ ! -x "$CGTOP_VM_BUILDDIR/cgtop" ] || [ ! -x "$CGTOP_VM_BUILDDIR/tests/helpers/memhog" ]; then
		echo "Bail out! CGTOP_VM_BUILDDIR=$CGTOP_VM_BUILDDIR has no built cgtop and test helpers"
		exit 99
	fi
	top_builddir=$CGTOP_VM_BUILDDIR CGTOP=$CGTOP_VM_BUILDDIR/cgtop
	echo "# the guest runs the build in $CGTOP_VM_BUILDDIR"
fi
: "${CGTOP:=$top_builddir/cgtop}"
export top_srcdir top_builddir CGTOP
if [ $# -ne 2 ]; then
	echo "usage: stage.sh v2|v1|systemd SET" >&2
	exit 2
fi
if [ "${CGTOP_VM_SKIP:-0}" = 1 ]; then
	echo "1..0 # SKIP CGTOP_VM_SKIP=1"
	exit 77
fi
script=${CGTOP_VM_SCRIPT:-$top_srcdir/tests/vm/inside.sh}
if [ ! -r "$script" ]; then
	echo "1..0 # SKIP $script not found"
	exit 77
fi
exec bash "$top_srcdir/tests/vm/run.sh" -M "$1" -t "${CGTOP_VM_TIMEOUT:-1800}" "$script" "@$2"
