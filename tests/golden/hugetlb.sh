#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hugetlb.sh - the hugetlb column on the captured trees (tests/golden/dumps),
# with huge page sizes and usage added to a copy: the sizes come from
# sys/kernel/mm/hugepages (hugepages-64kB, -2048kB, -1048576kB name the files
# hugetlb.64KB.*, hugetlb.2MB.*, hugetlb.1GB.*), the value is the sum of a
# group's hugetlb.<size>.current (v2) or .usage_in_bytes (v1) over the sizes
# it has; a group without them is null / "-" / no sample, and without the
# sizes directory every group is null.
# test-lane: free (captured trees only; tests/tap-wrap.sh)
set -u
: "${top_srcdir:?}" "${CGTOP:?}"
dumps=$top_srcdir/tests/golden/dumps
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
is() { if [ "$1" = "$2" ]; then ok "$3"; else notok "$3: got '$1', want '$2'"; fi; }
command -v jq >/dev/null || { echo "1..0 # SKIP jq is not installed"; exit 77; }
[ -f "$dumps/v2.tar.xz" ] && [ -f "$dumps/v1.tar.xz" ] || { echo "1..0 # SKIP no dumps"; exit 77; }

json() { # root path: hugetlb_current_bytes of path
	CGTOP_TEST_CLOCK=1764400000 "$CGTOP" --sysroot "$1" -b -n 1 --format json --columns hugetlb |
		jq -r --arg p "$2" '.cgroups[] | select(.path == $p) | .hugetlb_current_bytes'
}

# v2: demo and demo/a have 64KB, 2MB and 1GB pages, demo/b one size at 0,
# demo/b/b1 none
r=$tmp/v2
mkdir -p "$r"
tar -xJf "$dumps/v2.tar.xz" -C "$r"
cg=$r/sys/fs/cgroup
is "$(json "$r" /demo/a)" null "v2 without sys/kernel/mm/hugepages: null"
mkdir -p "$r/sys/kernel/mm/hugepages/"{hugepages-64kB,hugepages-2048kB,hugepages-1048576kB,hugepages-xkB}
for g in demo demo/a; do
	echo 131072 >"$cg/$g/hugetlb.64KB.current"
	echo 4194304 >"$cg/$g/hugetlb.2MB.current"
	echo 1073741824 >"$cg/$g/hugetlb.1GB.current"
	echo 2097152 >"$cg/$g/hugetlb.2MB.rsvd.current" # a reservation: not usage
done
echo 0 >"$cg/demo/b/hugetlb.2MB.current"
is "$(json "$r" /demo/a)" 1078067200 "v2 /demo/a: 64KB + 2MB + 1GB files summed"
is "$(json "$r" /demo)" 1078067200 "v2 /demo: its own files (the kernel counts the subtree)"
is "$(json "$r" /demo/b)" 0 "v2 /demo/b: one size at 0 is 0, not null"
is "$(json "$r" /demo/b/b1)" null "v2 /demo/b/b1: no hugetlb files, null"
is "$(json "$r" /)" null "v2 root: no hugetlb files, null"
out=$(CGTOP_TEST_CLOCK=1764400000 "$CGTOP" --sysroot "$r" -b -n 1 --header --columns hugetlb,memory /demo)
if grep -Eq '^/demo/a +1\.0G +' <<<"$out" && grep -Eq '^/demo/b/b1 +- +' <<<"$out" &&
	grep -q 'HugeTLB' <<<"$out"; then
	ok "v2 text: HugeTLB column, 1.0G and -"
else
	notok "v2 text: HugeTLB column, 1.0G and -"
	sed 's/^/# /' <<<"$out"
fi
out=$(CGTOP_TEST_CLOCK=1764400000 "$CGTOP" --sysroot "$r" -b --format prometheus)
if grep -qxF 'cgtop_hugetlb_current_bytes{cgroup="/demo/a"} 1078067200' <<<"$out" &&
	grep -qxF '# TYPE cgtop_hugetlb_current_bytes gauge' <<<"$out" &&
	! grep -q 'cgtop_hugetlb_current_bytes{cgroup="/demo/b/b1"}' <<<"$out"; then
	ok "v2 Prometheus: cgtop_hugetlb_current_bytes by default, no sample where null"
else
	notok "v2 Prometheus: cgtop_hugetlb_current_bytes by default, no sample where null"
	grep hugetlb <<<"$out" | sed 's/^/# /'
fi

# v1: the captured hugetlb hierarchy has hugetlb.2MB.usage_in_bytes (all 0)
r=$tmp/v1
mkdir -p "$r"
tar -xJf "$dumps/v1.tar.xz" -C "$r"
mkdir -p "$r/sys/kernel/mm/hugepages/hugepages-2048kB"
is "$(json "$r" /demo/a)" 0 "v1 /demo/a: hugetlb.2MB.usage_in_bytes read (0)"
echo 6291456 >"$r/sys/fs/cgroup/hugetlb/demo/a/hugetlb.2MB.usage_in_bytes"
is "$(json "$r" /demo/a)" 6291456 "v1 /demo/a: hugetlb.2MB.usage_in_bytes"

echo "1..$n"
[ "$failed" -eq 0 ]
