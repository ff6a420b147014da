#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# completion.sh - the zsh completion (data/_cgtop): it parses (zsh -n), it
# knows every long option of the getopt table and of the launcher (as
# tests/live/cli.sh checks for bash's), and it completes in a real zsh typed
# into through a private tmux server (tests/tui/lib.sh): an option name, a
# --format value, a column of --columns, a group path below the first cgroup
# mount, and after --launch a command.  Needs zsh and tmux (else skips).
set -u

TUI_DIR=${top_srcdir:+$top_srcdir/tests/tui}
TUI_DIR=${TUI_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$TUI_DIR/../live/lib.sh"
# shellcheck source=tests/tui/lib.sh
. "$TUI_DIR/lib.sh"
top_srcdir=${top_srcdir:-$(cd "$TUI_DIR/../.." && pwd)}
COMP=$top_srcdir/data/_cgtop

command -v zsh >/dev/null || skip_all "zsh is not installed (apt-get install zsh)"
[ -r "$COMP" ] || bail_out "no $COMP"

ok "zsh -n data/_cgtop" zsh -n "$COMP"
ok "its first line is #compdef cgtop" grep -qx '#compdef cgtop' <(head -1 "$COMP")

# every long option: the getopt table and the launcher's (as tests/live/cli.sh finds them)
longopts=($(sed -n 's/^[[:space:]]*{ *"\([a-z0-9-]*\)", *\(no\|required\|optional\)_argument.*/\1/p' \
	"$top_srcdir/src/options.c"))
longopts+=($(grep -o 'strcmp([a-z]*\(\[i\]\)\{0,1\}, "--[a-z0-9-]\{1,\}")' "$top_srcdir/src/launch/launch-options.c" |
	sed 's/.*"--\([a-z0-9-]*\)")/\1/' | sort -u))
missing=()
for o in "${longopts[@]}"; do
	grep -qE -- "[{'),]--$o[]=+[}]" "$COMP" || missing+=("--$o")
done
if [ ${#longopts[@]} -gt 20 ] && [ ${#missing[@]} = 0 ]; then
	pass "the zsh completion knows every long option (${#longopts[@]})"
else
	fail "the zsh completion knows every long option" "missing: ${missing[*]}"
fi

tui_have || { skip "completing in zsh" "tmux is not installed"; done_testing; }
rc_=0
trap 'rc_=$?; tui_stop; (exit $rc_)' EXIT
TUI_OUT=$(mktemp -d /tmp/cgtop-tui.XXXXXX)
tmux_ kill-server 2>/dev/null
tmux_ new-session -d -x 120 -y 40 -s t \
	"env -i PATH=/usr/bin:/bin HOME=$TUI_OUT TERM=xterm-256color LANG=C.UTF-8 zsh -f -i" ||
	bail_out "cannot start zsh in tmux"
tmux_ set-option -g status off >/dev/null
tui_type "PS1='zsh%% '; fpath=($(printf '%q' "$top_srcdir/data") \$fpath); autoload -U compinit; compinit -u -D; echo LOADED-\$+functions[_cgtop]-\${_comps[cgtop]}"
tui_keys Enter
tui_expect '^LOADED-[01]-_cgtop$' "compinit finds _cgtop for the command cgtop" 20

# complete LINE REGEX DESC: type LINE, Tab, expect REGEX on the screen's last
# prompt line, then clear the line
complete()
{
	tmux_ send-keys -t t C-l
	tui_wait '^zsh% *$' 10 || diag "no empty prompt: $(tui_screen | head -3)"
	tui_type "$1"
	tui_keys Tab
	if tui_wait "^zsh% $2" 10; then
		pass "$3"
	else
		fail "$3" "typed '$1' Tab, wanted /$2/:" "$(tui_screen)"
	fi
	tmux_ send-keys -t t C-e C-u
}

complete "cgtop --form" 'cgtop --format=$' "cgtop --form<Tab>: --format="
complete "cgtop --format=pro" 'cgtop --format=prometheus$' "cgtop --format=pro<Tab>: prometheus"
complete "cgtop -b --columns=cpu,mem_pe" 'cgtop -b --columns=cpu,mem_peak' "--columns=cpu,mem_pe<Tab>: the second column"
complete "cgtop --launch --ns pid,ne" 'cgtop --launch --ns pid,net' "--ns pid,ne<Tab>: a namespace"
complete "cgtop --launch --mem 64M /usr/bin/whoam" 'cgtop --launch --mem 64M /usr/bin/whoami$' \
	"after --launch and a limit: the command"
complete "cgtop --launch -- ls --almost-al" 'cgtop --launch -- ls --almost-all$' \
	"... and its options, as zsh completes them for that command"

# a group: one this test makes below its own (tests/live/lib.sh), found in
# the first cgroup mount as the completion reads it
root=$(awk '$9 == "cgroup2" || $9 == "cgroup" { print $5; exit }' /proc/self/mountinfo)
if [ "$(id -u)" = 0 ] && cg_discover && [ -n "$CG_MODE" ]; then
	cg_init
	trap 'rc_=$?; tui_stop; (exit $rc_); cg_cleanup EXIT' EXIT
	G=$CG_TEST/zsh-completes-me
	first=
	for ((i = 0; i < CG_NH; i++)); do [ "${CG_MNT[i]}" = "$root" ] && first=$i; done
	if [ -n "$first" ] && cg_create "$G" all && [ -d "$(cg_dir "$first" "$G")" ]; then
		complete "cgtop -b $CG_TEST/zsh-compl" "cgtop -b $CG_TEST/zsh-completes-me/\$" \
			"a group path: its last component from the first cgroup mount ($root)"
	else
		skip "a group path" "cannot make a group in the first cgroup mount $root"
	fi
else
	skip "a group path" "making a group needs root and a cgroup filesystem"
fi
done_testing
