#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fd-share.sh - the dashboard's share of the fd budget (--fd-budget) on cgroup v1, whose process
# lists are opened anew at every read, from a kept directory fd of the group (O_PATH) while the
# budget leaves room for the hot files a sample reads.  The dashboard reads the hot files of the
# rows on its screen (and of its sort column), so the groups off the screen keep their
# directories: their lists are not looked up from the mount, level by level.  Sorted by %CPU,
# every group's CPU time is a hot file, and each one takes its group's place in the budget.
#   1. 120 groups, a 12-line window, --fd-budget 200: groups off the screen keep directories.
#   2. P (sort by %CPU): every group's cpuacct.usage is kept open, the budget still holds.
# Root, tmux and a v1 cpuacct hierarchy are needed (else skips).

. "${top_srcdir:-.}/tests/live/lib.sh"
. "${top_srcdir:-.}/tests/tui/lib.sh"

[ -x "${CGTOP:-}" ] || skip_all "CGTOP is not set to the built cgtop"
tui_have || skip_all "tmux is not installed"
cg_init
h=$(cg_hier_of cpuacct) || skip_all "no cpuacct controller"
[ "${CG_TYPE[h]}" = v1 ] || skip_all "cpuacct is not on cgroup v1 here (cgroup2 process lists are kept open)"
hm=$(cg_hier_of memory) || skip_all "no memory controller"
[ "${CG_TYPE[hm]}" = v1 ] || skip_all "memory is not on cgroup v1 here"
trap 'rc=$?; tui_stop; (exit $rc); cg_cleanup EXIT' EXIT
trap 'tui_stop; cg_cleanup INT' INT
trap 'tui_stop; cg_cleanup TERM' TERM
cg_describe

N=120
BUDGET=200
for ((i = 0; i < N; i++)); do
	cg_create "$CG_TEST/fds/g$(printf %03d $i)" cpuacct memory || bail_out "cannot create group $i"
done
export XDG_CONFIG_HOME=$CG_TMP/config
mkdir -p "$XDG_CONFIG_HOME"

# kept: cgtop's fds on the groups' directories (dirs), on their CPU times (cpu), and on the
# groups' directories and files in all (cg, all of them in the budget)
kept()
{
	local p l
	dirs=0 cpu=0 cg=0
	p=$(tui_pid) || return 1
	while read -r l; do
		case $l in
		*/fds/g[0-9][0-9][0-9]) dirs=$((dirs + 1)) ;;
		*/fds/g[0-9][0-9][0-9]/cpuacct.usage) cpu=$((cpu + 1)) ;;
		esac
		case $l in */fds/g*) cg=$((cg + 1)) ;; esac
	done < <(find "/proc/$p/fd" -mindepth 1 -maxdepth 1 -printf '%l\n' 2>/dev/null)
}

TUI_LINES=12 tui_start --fd-budget $BUDGET -d 0.3 --depth 10 "$CG_TEST/fds" || bail_out "cannot start tmux"
tui_wait "g000" 15 || bail_out "the dashboard did not show g000: $(tui_screen)"

for ((t = 0; t < 50; t++)); do
	kept
	[ "$dirs" -ge 60 ] && break
	sleep 0.2
done
if [ "$dirs" -ge 60 ] && [ "$cg" -le $BUDGET ]; then
	pass "name order: $dirs groups off the screen keep their directories ($cg cgroup fds, budget $BUDGET)"
else
	fail "name order: the groups off the screen keep their directories" \
		"directories kept: $dirs (want 60 or more), cgroup fds: $cg (budget $BUDGET)"
fi

tui_keys P
for ((t = 0; t < 50; t++)); do
	kept
	[ "$cpu" -ge $N ] && break
	sleep 0.2
done
if [ "$cpu" -ge $N ] && [ "$cg" -le $BUDGET ]; then
	pass "sorted by %CPU: every group's cpuacct.usage is kept ($cpu), $dirs directories left ($cg cgroup fds)"
else
	fail "sorted by %CPU: every group's cpuacct.usage is kept" \
		"cpuacct.usage kept: $cpu of $N, directories: $dirs, cgroup fds: $cg (budget $BUDGET)" \
		"$(tui_screen | head -8)"
fi
tui_expect 'g[0-9]{3}' "the dashboard still shows the groups"
tui_keys q
tui_wait 'PROMPT-BACK' 10 || diag "cgtop did not quit"
done_testing
