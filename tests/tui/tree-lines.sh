#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tree-lines.sh - the tree lines of the dashboard's first column (LANG=C: "|-", "`-", "| "):
# each row's lines say which of its ancestors are last children, in name order (the tree's
# own order of siblings), in reverse name order (sorted rows), scrolled so that the first
# row drawn is deep in a subtree (its lines found by going back through the rows), with a
# group collapsed and with a filter.  Root and tmux are needed.
#
# Groups (memory controller, nested under the test's own group), the dashboard's root:
#   $CG_TEST/a/a1/k01 .. k09, $CG_TEST/a/a2/m, $CG_TEST/b/c/j1 .. j6

. "${top_srcdir:-.}/tests/live/lib.sh"
. "${top_srcdir:-.}/tests/tui/lib.sh"

[ -x "${CGTOP:-}" ] || skip_all "CGTOP is not set to the built cgtop"
tui_have || skip_all "tmux is not installed"
cg_init
cg_hier_of memory >/dev/null || skip_all "no memory controller"
trap 'rc=$?; tui_stop; (exit $rc); cg_cleanup EXIT' EXIT
trap 'tui_stop; cg_cleanup INT' INT
trap 'tui_stop; cg_cleanup TERM' TERM
cg_describe

for k in 01 02 03 04 05 06 07 08 09; do
	cg_create "$CG_TEST/a/a1/k$k" memory || bail_out "cannot create $CG_TEST/a/a1/k$k"
done
cg_create "$CG_TEST/a/a2/m" memory || bail_out "cannot create $CG_TEST/a/a2/m"
for j in 1 2 3 4 5 6; do
	cg_create "$CG_TEST/b/c/j$j" memory || bail_out "cannot create $CG_TEST/b/c/j$j"
done

export XDG_CONFIG_HOME=$CG_TMP/config
mkdir -p "$XDG_CONFIG_HOME"

# the rows below the root in name order, as the first column draws them
name_order='|- a
| |- a1
| | |- k01
| | |- k02
| | |- k03
| | |- k04
| | |- k05
| | |- k06
| | |- k07
| | |- k08
| | `- k09
| `- a2
|   `- m
`- b
  `- c
    |- j1
    |- j2
    |- j3
    |- j4
    |- j5
    `- j6'
# in reverse name order
reverse_order='|- b
| `- c
|   |- j6
|   |- j5
|   |- j4
|   |- j3
|   |- j2
|   `- j1
`- a
  |- a2
  | `- m
  `- a1
    |- k09
    |- k08
    |- k07
    |- k06
    |- k05
    |- k04
    |- k03
    |- k02
    `- k01'

# rows: the first column of the table's rows below the root row, up to the status line
rows()
{
	tui_screen | awk -v top="$CG_TEST" '
		index($0, top) == 1 && !r { r = 1; next }
		r && /^[|` ]*[|`]-[ +!]+[a-z0-9]+( |$)/ {
			sub(/ +[0-9.-]+[A-Za-z%]*( .*)?$/, ""); sub(/ +$/, ""); print; next }
		r && NF == 0 { exit }'
}

# expect_rows WANT DESC: wait until rows() prints WANT (at most 10 s)
expect_rows()
{
	local i got

	for ((i = 0; i < 50; i++)); do
		got=$(rows)
		[ "$got" = "$1" ] && break
		sleep 0.2
	done
	if [ "$got" = "$1" ]; then
		pass "$2"
	else
		fail "$2" "want:" "$1" "got:" "$got" "screen:" "$(tui_screen)"
	fi
}

TUI_LANG=C tui_start --columns tasks -d 0.5 "$CG_TEST" || bail_out "cannot start tmux"
tui_wait "k09" 15 || bail_out "the dashboard did not show $CG_TEST/a/a1/k09: $(tui_screen | head -20)"
expect_rows "$name_order" "name order: each row's lines from its ancestors' places"

# reverse name order: the rows of a sort (tree mode, siblings sorted)
tui_keys I
expect_rows "$reverse_order" "reverse name order: the lines follow the sorted siblings"
tui_keys I
expect_rows "$name_order" "name order again"

# a window of 9 lines and the last row selected: the first row drawn is below b/c, both last
# children, whose lines come from going back through the rows before it
tui_resize 120 9
tui_keys End
shown_tail=
for ((i = 0; i < 50; i++)); do
	got=$(tui_screen | grep -E '^[|` ]*[|`]- [a-z0-9]+' | sed -E 's/ +[0-9.-]+[A-Za-z%]*( .*)?$//; s/ +$//')
	first=$(echo "$got" | head -1)
	n=$(echo "$got" | grep -c .)
	if [ "$n" -ge 3 ] && echo "$got" | tail -1 | grep -q -- '- j6$' &&
		echo "$first" | grep -qE -- '- j[1-5]$'; then
		shown_tail=$(echo "$name_order" | tail -n "$n")
		break
	fi
	sleep 0.2
done
if [ -n "$shown_tail" ] && [ "$got" = "$shown_tail" ]; then
	pass "scrolled to the end ($n rows from '$first'): the same lines as in the whole table"
else
	fail "scrolled to the end: the same lines as in the whole table" \
		"want:" "${shown_tail:-(the table did not scroll)}" "got:" "$got" "$(tui_screen)"
fi
# scrolling back up one row at a time keeps them (each row from the one above)
tui_keys Home
tui_resize 120 40
expect_rows "$name_order" "back at 120x40: name order"

# a1 collapsed: its leaves go, the lines of a2 and below stay
tui_keys Down Down
tui_keys -
expect_rows "$(echo "$name_order" | grep -v -- '- k0' | sed 's/^| |- a1$/| |-+a1/')" \
	"a1 collapsed: a2 is still a's last child"
tui_keys +

# a filter: only the paths to k05 and to c; a1's k05 is its last shown child
tui_keys /
tui_type 'k05'
tui_keys Enter
expect_rows '`- a
  `- a1
    `- k05' "filter k05: each group on the path is the last one shown"

tui_keys q
tui_wait 'PROMPT-BACK' 10 || diag "cgtop did not quit"
done_testing
