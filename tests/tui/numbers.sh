#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# numbers.sh - numbers that agree with each other, on this host: the root
# group's memory counts what a child's does (MemTotal - MemFree of
# /proc/meminfo, read around it) and so is at least every top-level group's
# (on a hybrid host the kernel's v1 root figure was less than a child's);
# JSON marks it from_proc.  In the dashboard (a private tmux server,
# tests/tui/lib.sh) the header's Mem is used memory as free(1) counts it
# (MemTotal - MemAvailable, read around the screen) and the help screen
# defines both.  Needs a memory controller; the dashboard part needs tmux.
set -u

TUI_DIR=${top_srcdir:+$top_srcdir/tests/tui}
TUI_DIR=${TUI_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$TUI_DIR/../live/lib.sh"
# shellcheck source=tests/tui/lib.sh
. "$TUI_DIR/lib.sh"
top_srcdir=${top_srcdir:-$(cd "$TUI_DIR/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
CGTOP=${CGTOP:-$top_builddir/cgtop}
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
command -v jq >/dev/null || skip_all "jq is not installed"
cg_discover || skip_all "no cgroup filesystem mounted"
cg_hier_of memory >/dev/null || skip_all "no memory controller"

# meminfo KEY...: the sum of keys, in bytes
meminfo()
{
	awk -v keys=" $* " 'index(keys, " " substr($1, 1, length($1) - 1) " ") { s += $2 } END { printf "%.0f\n", s * 1024 }' /proc/meminfo
}
used_free() { echo $(($(meminfo MemTotal) - $(meminfo MemFree))); }
used_avail() { echo $(($(meminfo MemTotal) - $(meminfo MemAvailable))); }
# within X LO HI SLACK: LO - SLACK <= X <= HI + SLACK (LO and HI in either order)
within()
{
	awk -v x="$1" -v a="$2" -v b="$3" -v s="$4" 'BEGIN {
		lo = a < b ? a : b; hi = a < b ? b : a; exit !(x >= lo - s && x <= hi + s) }'
}

# ---- batch: the root and the top-level groups --------------------------------------
before=$(used_free)
json=$("$CGTOP" -b -n 1 --depth 1 --format json --columns memory / 2>/dev/null)
after=$(used_free)
root=$(jq -r '.cgroups[] | select(.path == "/") | .memory_current_bytes' <<<"$json")
if is_uint "$root" && within "$root" "$before" "$after" $((64 << 20)); then
	pass "the root's memory is MemTotal - MemFree ($root, /proc/meminfo $before..$after)"
else
	fail "the root's memory is MemTotal - MemFree" "root: $root" "/proc/meminfo: $before..$after"
fi
is "$(jq -r '.cgroups[] | select(.path == "/") | .from_proc' <<<"$json")" true "JSON: the root's from_proc is true"
bigger=$(jq -r --argjson r "${root:-0}" '.cgroups[] | select(.path != "/" and .memory_current_bytes != null and
	.memory_current_bytes > $r * 1.01) | "\(.path) \(.memory_current_bytes)"' <<<"$json")
n=$(jq '[.cgroups[] | select(.path != "/" and .memory_current_bytes != null)] | length' <<<"$json")
is "$bigger" "" "no top-level group shows more memory than the root ($n groups)"

# ---- the dashboard: the header's Mem as free counts it, and the help -------------------
tui_have || { skip "the dashboard's header" "tmux is not installed"; done_testing; }
trap 'tui_stop' EXIT
WAIT=${CGTOP_TUI_WAIT:-20}
in_vm && WAIT=${CGTOP_TUI_WAIT:-90}
TUI_OUT=$(mktemp -d /tmp/cgtop-tui.XXXXXX)
export XDG_CONFIG_HOME=$TUI_OUT/config
tui_start -d 1 --depth 0 / || bail_out "tmux could not start"
tui_wait 'Mem \[' "$WAIT" >/dev/null
ok=
for ((t = 0; t < 5; t++)); do
	a1=$(used_avail)
	shown=$(tui_screen | grep -o 'Mem \[.*\] *[0-9.]*[KMGT]*/' | sed 's/.*\] *//; s/\/$//')
	a2=$(used_avail)
	bytes=$(awk -v r="$shown" 'BEGIN { n = r + 0; u = substr(r, length(r), 1)
		m = u == "K" ? 1024 : u == "M" ? 1048576 : u == "G" ? 1073741824 : u == "T" ? 1099511627776 : 1
		printf "%.0f", n * m }')
	# one decimal of a unit: 5% of the number, and what moved in a second
	if [ -n "$shown" ] && within "$bytes" "$a1" "$a2" $((bytes / 20 + (32 << 20))); then
		ok=1
		break
	fi
	sleep 1
done
if [ -n "$ok" ]; then
	pass "the header's Mem is used memory as free counts it ($shown; MemTotal - MemAvailable $a1..$a2)"
else
	fail "the header's Mem is used memory as free counts it" "shown '$shown'" "MemTotal - MemAvailable: $a1..$a2"
fi
tui_keys h
tui_expect 'Mem bar +used: total - available \(free\)' "the help defines the header's Mem" 10
tui_expect '/ Memory +in use: total - free' "the help defines the root's Memory" 10
tui_keys q
tui_keys q
st=$(tui_status) || st="(still running after 10 s)"
is "$st" 0 "q exits with status 0"
done_testing
