#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# names.sh - no name is cut silently in the dashboard.  Long, deep groups (a
# Kubernetes-like slice, pod and container scope, a short name three levels
# deep, a name of wide UTF-8 characters) are shown through a private tmux
# server (tests/tui/lib.sh) at 120x40 and 80x24, as a tree and as a flat list:
# each row shows its name (its path in the flat list) whole, or its start and
# its end around an ellipsis ("…", or "..." under LANG=C), never a silent cut;
# with only one column, the name column takes the width left and the longest
# name shows whole.  The selected group's whole path shows in the status line
# when its name is shortened, and in the detail view (over several lines when
# the screen is narrower than the path).  Needs root and tmux (else skips, 77).

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

cg_init
tui_have || skip_all "tmux not installed"
cg_hier_of memory >/dev/null || skip_all "no memory controller usable below the own group"
trap 'rc_=$?; tui_stop; (exit $rc_); cg_cleanup EXIT' EXIT
trap 'tui_stop; cg_cleanup INT' INT
trap 'tui_stop; cg_cleanup TERM' TERM
cg_describe
export XDG_CONFIG_HOME=$CG_TMP/config
mkdir -p "$XDG_CONFIG_HOME"
# the screen is parsed as UTF-8 text (by bash and the tools here, not by
# cgtop: tui_start gives it LANG)
LC_ALL=C.UTF-8
export -n LC_ALL
U8=(env LC_ALL=C.UTF-8)

WAIT=${CGTOP_TUI_WAIT:-20}
in_vm && WAIT=${CGTOP_TUI_WAIT:-90}

KS=$CG_TEST/kubepods-burstable.slice
POD=$KS/kubepods-burstable-pod5f1d8c0e_3b1a_4c2e_9d7f_0a1b2c3d4e5f.slice
SCOPE=$POD/cri-containerd-7e3b9a1f0c2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b.scope
BAR=$CG_TEST/a1/b2/c3/bartui16302
WIDE=$CG_TEST/日本語のとても長いグループの名前-0123456789
for g in "$SCOPE" "$BAR" "$WIDE"; do
	cg_create "$g" memory || bail_out "cannot create $g"
done
# the rows in tree order (siblings by name, as the kernel's bytes compare)
GRP=("$CG_TEST" "$CG_TEST/a1" "$CG_TEST/a1/b2" "$CG_TEST/a1/b2/c3" "$BAR" "$KS" "$POD" "$SCOPE" "$WIDE")

# rows: the name cells of the table's rows, one a line (tree lines, the
# marker and what follows the name stripped)
rows()
{
	tui_screen | "${U8[@]}" awk '/Control Group/ { on = 1; next } on' | head -${#GRP[@]} |
		"${U8[@]}" sed -E 's/^[│├└─|`+! -]*//; s/[[:space:]].*//'
}

# shown_ok NAME CELL ELL: the cell is the name whole, or a start and an end of
# it around ELL (both not empty, shorter than the name)
shown_ok()
{
	local name=$1 t=$2 ell=$3 h s

	[ "$t" = "$name" ] && return 0
	[[ $t == *"$ell"* ]] || return 1
	h=${t%%"$ell"*}
	s=${t#*"$ell"}
	[ -n "$h" ] && [ -n "$s" ] && [[ $name == "$h"* ]] && [[ $name == *"$s" ]] &&
		[ $((${#h} + ${#s})) -lt ${#name} ]
}

# check_rows WHAT ELL flat|tree: every row shows its name (flat: path) whole
# or shortened around ELL; at least one is shortened (the test means something)
check_rows()
{
	local what=$1 ell=$2 mode=$3 i name cell bad=() cut=0 r

	for ((r = 0; r < 30; r++)); do
		mapfile -t CELLS < <(rows)
		[ ${#CELLS[@]} = ${#GRP[@]} ] && [ -n "${CELLS[-1]}" ] && break
		sleep 0.1
	done
	for ((i = 0; i < ${#GRP[@]}; i++)); do
		name=${GRP[i]}
		[ "$mode" = tree ] && [ "$i" -gt 0 ] && name=${name##*/}
		cell=${CELLS[i]:-}
		if ! shown_ok "$name" "$cell" "$ell"; then
			bad+=("row $i: '$cell' for '$name'")
		elif [ "$cell" != "$name" ]; then
			cut=$((cut + 1))
		fi
	done
	if [ ${#bad[@]} = 0 ] && [ $cut -gt 0 ]; then
		pass "$what: every name whole or with both ends around '$ell' ($cut shortened)"
	else
		fail "$what: every name whole or with both ends around '$ell'" "${bad[@]}" \
			"shortened: $cut" "screen:" "$(tui_screen)"
	fi
}

# status_ok PATH COLS: the status line (the last) shows PATH whole, or, wider
# than the screen, its start and end around …
status_ok()
{
	local last i

	for ((i = 0; i < 30; i++)); do
		last=$(tui_screen | tail -1 | "${U8[@]}" sed -E 's/[[:space:]]+$//')
		if [ "${#1}" -lt "$2" ]; then
			[ "$last" = "$1" ] && return 0
		else
			shown_ok "$1" "$last" "…" && return 0
		fi
		sleep 0.1
	done
	return 1
}

# select NAME: F3 search NAME, Enter
select_group()
{
	tui_keys F3
	tui_wait 'Search' 5 || return 1
	tui_type "$1"
	tui_keys Enter
	tui_wait_gone 'Search' 5
}

# detail_ok PATH: the top of the detail view holds PATH whole (perhaps over
# several lines)
detail_ok()
{
	local i

	for ((i = 0; i < 30; i++)); do
		tui_screen | head -8 | tr -d ' \n' | "${U8[@]}" grep -qF -- "Group$1" && return 0
		sleep 0.1
	done
	return 1
}

for size in 120x40 80x24; do
	TUI_COLS=${size%x*}
	TUI_LINES=${size#*x}
	tui_start --tree "$CG_TEST" || bail_out "tmux could not start"
	tui_expect 'Control Group' "$size: the table shows" "$WAIT"
	tui_wait 'bartui' "$WAIT"
	check_rows "$size tree" "…" tree

	# the status line, for the two deepest rows when shortened
	for i in 4 7; do
		select_group "${GRP[i]##*/}"
		if [ "${CELLS[i]}" = "${GRP[i]##*/}" ]; then
			skip "$size: the status line shows ${GRP[i]##*/}'s path" "its name is not shortened"
		elif status_ok "${GRP[i]}" "$TUI_COLS"; then
			pass "$size: the status line shows the selected ${CELLS[i]}'s whole path (${#GRP[i]} characters)"
		else
			fail "$size: the status line shows the selected ${CELLS[i]}'s whole path" \
				"want: ${GRP[i]}" "screen:" "$(tui_screen)"
		fi
	done
	select_group cri-containerd
	tui_keys Enter
	if detail_ok "$SCOPE"; then
		pass "$size: the detail view shows the whole path"
	else
		fail "$size: the detail view shows the whole path" "want: $SCOPE" "screen:" "$(tui_screen)"
	fi
	tui_keys Escape
	tui_wait_gone "^ Group " 5

	select_group bartui
	tui_keys Enter
	if detail_ok "$BAR"; then
		pass "$size: the detail view of bartui16302 shows its whole path"
	else
		fail "$size: the detail view of bartui16302 shows its whole path" "screen:" "$(tui_screen)"
	fi
	tui_keys Escape
	tui_wait_gone "^ Group " 5

	tui_keys t
	tui_wait_gone '├─|└─' 5
	check_rows "$size flat" "…" flat
	tui_keys q
	is "$(tui_status)" 0 "$size: q exits 0"
	tui_stop
done

# ASCII: the ellipsis is "..."
TUI_COLS=80
TUI_LINES=24
TUI_LANG=C tui_start --tree "$CG_TEST" || bail_out "tmux could not start"
tui_expect 'Control Group' "LANG=C: the table shows" "$WAIT"
tui_wait 'bartui' "$WAIT"
# the wide name is bytes the C locale cannot decode: its row is left out
GRP=("${GRP[@]:0:8}")
check_rows "LANG=C 80x24 tree" "..." tree
if tui_screen | grep -q '…'; then
	fail "LANG=C: no UTF-8 ellipsis" "$(tui_screen)"
else
	pass "LANG=C: no UTF-8 ellipsis"
fi
tui_keys q
is "$(tui_status)" 0 "LANG=C: q exits 0"
tui_stop

# one column: the name takes the width the numbers leave, the longest whole
TUI_COLS=120
TUI_LINES=40
tui_start --tree --columns memory "$CG_TEST" || bail_out "tmux could not start"
tui_expect 'Control Group' "--columns memory: the table shows" "$WAIT"
scope_name=${SCOPE##*/}
if tui_wait "└─ $scope_name +[0-9.]+[BKMGT]" 5; then
	pass "with one column the container scope's name shows whole (${#scope_name} characters)"
else
	fail "with one column the container scope's name shows whole" "screen:" "$(tui_screen)"
fi
tui_keys q
is "$(tui_status)" 0 "--columns memory: q exits 0"
tui_stop

done_testing
