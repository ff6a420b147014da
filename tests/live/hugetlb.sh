#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hugetlb.sh - live test of the hugetlb column: in a group made in the hugetlb
# controller's hierarchy, cgtop's hugetlb_current_bytes (JSON), the text cell
# and cgtop_hugetlb_current_bytes (Prometheus) are the sum of the kernel's
# hugetlb.<size>.current (v2) or hugetlb.<size>.usage_in_bytes (v1) over the
# page sizes, never null.  Skips when the controller is not mounted, and on v2
# when it is not enabled below this test's own group already (enabling it
# would mean writing the subtree_control of a group this test did not make).

set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"

top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

command -v jq >/dev/null || skip_all "jq is not installed"
cg_init
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
cg_describe

h=$(cg_hier_of hugetlb) || skip_all "no hugetlb controller mounted"
if [ "${CG_TYPE[h]}" = v2 ] && [ "${CG_OWN[h]}" = / ] &&
	! grep -qw hugetlb "${CG_MNT[h]}/cgroup.subtree_control"; then
	skip_all "hugetlb is not enabled in the cgroup2 root's subtree_control (not ours to write)"
fi
[ -d /sys/kernel/mm/hugepages ] || skip_all "no /sys/kernel/mm/hugepages"

A=$CG_TEST/a
cg_create "$A" hugetlb || bail_out "cannot create $A"
_cg_dirv "$h" "$A"
dir=$CG_DIR
suffix=usage_in_bytes
[ "${CG_TYPE[h]}" = v2 ] && suffix=current
want=0 files=0
for f in "$dir"/hugetlb.*."$suffix"; do
	size=${f#"$dir"/hugetlb.}
	size=${size%."$suffix"}
	case $size in *.*) continue ;; esac # hugetlb.2MB.rsvd.current: reservations
	want=$((want + $(cat "$f")))
	files=$((files + 1))
done
[ "$files" -gt 0 ] || skip_all "no hugetlb.<size>.$suffix in $dir"
diag "$files page size(s) in $dir, $want bytes in use"

OUT=$CG_TMP/out
"$CGTOP" -b -n 1 --format json --columns hugetlb "$CG_TEST" >"$OUT" 2>"$CG_TMP/err"
got=$(jq -r --arg p "$A" '.cgroups[] | select(.path == $p) | .hugetlb_current_bytes' "$OUT")
is "$got" "$want" "JSON hugetlb_current_bytes of $A is the sum of its hugetlb.<size>.$suffix"

"$CGTOP" -b -n 1 --raw --header --columns hugetlb "$CG_TEST" >"$OUT" 2>>"$CG_TMP/err"
ok "text: a HugeTLB column" grep -q 'HugeTLB$' "$OUT"
ok "text: $A shows $want" grep -Eq "^$A +$want\$" "$OUT"

"$CGTOP" -b --format prometheus --columns hugetlb "$CG_TEST" >"$OUT" 2>>"$CG_TMP/err"
ok "Prometheus: cgtop_hugetlb_current_bytes of $A is $want" \
	grep -qxF "cgtop_hugetlb_current_bytes{cgroup=\"$A\"} $want" "$OUT"
ok "nothing on stderr" test ! -s "$CG_TMP/err"

done_testing
