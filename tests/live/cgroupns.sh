#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# cgroupns.sh - cgtop inside a cgroup namespace names groups relative to the
# namespace's root, as the kernel does there.  A process of the test joins a
# test group G with a 48M memory limit in every hierarchy, unshares its cgroup
# namespace (unshare -C) and execs cgtop: the cgroup mounts then show roots of
# "/.." (they were made outside the namespace), and cgtop must show G as "/",
# with G's limit and its one process, and not the path that leads to G.
# Runs on hybrid, pure v2 and pure v1 systems; needs root (else skips, 77).
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

command -v jq >/dev/null || skip_all "jq is not installed"
command -v unshare >/dev/null || skip_all "unshare (util-linux) is not installed"
cg_init
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
unshare -C true 2>/dev/null || skip_all "cannot create a cgroup namespace here"

G=$CG_TEST/ns
cg_create "$G" memory pids cpu cpuacct || bail_out "cannot create test group $G"
if cg_file "$G" memory.max >/dev/null; then MEMMAX=memory.max; else MEMMAX=memory.limit_in_bytes; fi
# roomy: hierarchies the child is not moved into show the whole host, which may hold
# thousands of groups (other tenants, a benchmark fleet), under ASan
cg_write "$G" "$MEMMAX" 268435456 || bail_out "cannot set $MEMMAX of $G"

fifo=$CG_TMP/go
mkfifo "$fifo"
out=$CG_TMP/out
err=$CG_TMP/err
# the child waits until it is in G, then becomes "unshare -C cgtop"
cg_bg bash -c 'read -r _ <"$1"; shift; exec unshare -C "$@"' _ "$fifo" \
	sh -c 'grep -E " - cgroup2? " /proc/self/mountinfo >"$1"; shift; exec "$@"' _ "$CG_TMP/mountinfo" \
	"$CGTOP" -b -n 1 --format json --columns tasks,memory,mem_max,mem_limit >"$out" 2>"$err"
pid=$CG_LAST_PID
cg_join "$G" "$pid" || bail_out "cannot move the test's child into $G"
echo go >"$fifo"
wait "$pid"
rc=$?

is "$rc" 0 "cgtop in a cgroup namespace exits 0"
is "$(cat "$err")" "" "nothing on stderr"
if grep -q ' /\.\.' "$CG_TMP/mountinfo"; then
	pass "the mounts show roots outside the namespace (/..)"
else
	fail "the mounts show roots outside the namespace (/..)" "$(cat "$CG_TMP/mountinfo")"
fi
is "$(jq -r '.cgroups[0].path' "$out")" "/" "the namespace root is named /"
# (hierarchies the child was not moved in, e.g. devices, keep their root)
is "$(jq -r --arg t "${CG_TEST##*/}" '[.cgroups[].path | select(contains($t))] | length' "$out")" 0 \
	"the path above the namespace root is hidden"
is "$(jq -r '[.cgroups[].path | select(startswith("/.."))] | length' "$out")" 0 "no path leaves the namespace"
is "$(jq -r '.cgroups[0].memory_max_bytes' "$out")" 268435456 "/ has the test group's memory limit"
is "$(jq -r '.cgroups[0].memory_effective_max_bytes' "$out")" 268435456 "... and it is the effective limit"
is "$(jq -r '.cgroups[0].tasks' "$out")" 1 "/ holds one process: cgtop itself"
done_testing
