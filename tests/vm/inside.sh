#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# inside.sh - what the VM tests run inside the guest: every live test that
# needs a real kernel (engine, cgroup namespace, events, launch, attach,
# launch-priv, tasks, limits; tests/prom/format.sh: promtool check metrics; and
# the dashboard's tmux tests, tests/tui/*.sh), one after the other in one boot, their TAP merged into one
# stream: tests renumbered and named after their script, a skipped script one
# "ok # SKIP" line, one plan at the end.  Exits 1 if any test failed or any
# script ended badly.  A script named DIR/NAME is tests/DIR/NAME, a bare NAME
# is tests/live/NAME.
set -u
: "${top_srcdir:?}"
scripts=("$@")
[ ${#scripts[@]} -gt 0 ] || scripts=(engine.sh cgroupns.sh events.sh launch.sh attach.sh launch-priv.sh launch-user.sh launch-pty.sh prom/format.sh
	tui/startup.sh tui/basic.sh tui/detail.sh tui/events.sh tui/actions.sh tui/watch.sh tui/keys.sh tui/names.sh
	tasks.sh limits.sh tui/tasks.sh
	events-pids.sh events-group.sh events-burst.sh events-paste.sh tui/events-past.sh
	security/paths.sh security/launch-contained.sh security/launch-tty.sh)
n=0 bad=0
for s in "${scripts[@]}"; do
	case $s in
	*/*) f=$top_srcdir/tests/$s ;; # another area's test: prom/format.sh, tui/startup.sh
	*) f=$top_srcdir/tests/live/$s ;;
	esac
	out=$(bash "$f" 2>&1)
	rc=$?
	while IFS= read -r line; do
		case $line in
		"1..0 # SKIP"* | "1..0 #"*)
			n=$((n + 1))
			echo "ok $n - $s # SKIP ${line#1..0 # SKIP }"
			;;
		1..*) ;;
		"ok "* | "not ok "*)
			n=$((n + 1))
			[[ $line == "not ok "* ]] && bad=1
			prefix=${line%% [0-9]*}
			rest=${line#"$prefix "}
			rest=${rest#* }
			rest=${rest#- }
			echo "$prefix $n - $s: $rest"
			;;
		*) echo "# $line" ;;
		esac
	done <<<"$out"
	if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
		n=$((n + 1))
		bad=1
		echo "not ok $n - $s exited with status $rc"
	fi
done
echo "1..$n"
exit $bad
