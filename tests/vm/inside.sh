#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# inside.sh - what the VM tests run inside the guest: the live tests whose
# results depend on the cgroup mode (the lists below, per CGTOP_VM_MODE), one
# after the other in one boot, their TAP merged into one stream: tests renumbered and named after their script, a skipped script one
# "ok # SKIP" line, one plan at the end.  Exits 1 if any test failed or any
# script ended badly.  A script named DIR/NAME is tests/DIR/NAME, a bare NAME
# is tests/live/NAME.
# A comment after each script says how long it took.  Instead of scripts, the
# first argument may be @part:I/N, the I-th of N parts of the list below, or
# @systemd, the tests that need systemd as PID 1 (run.sh -M systemd): make
# check boots one VM per part and mode (tests/vm/vm-*.test) and runs them side
# by side (tests/tap-wrap.sh's cpu lane).
set -u
: "${top_srcdir:?}"
part=
case ${1:-} in
@part:[0-9]*/[0-9]*) part=${1#@part:} && shift ;;
@systemd) set -- systemd/units.sh systemd/runtimes.sh ;;
@*) echo "Bail out! inside.sh: no such set: $1" && exit 99 ;;
esac
scripts=("$@")
# The VMs run what behaves differently on a pure v2 or a pure v1 kernel than
# on the hybrid host, where make check runs every live test anyway: a guest
# under TCG is slow (a tmux test takes minutes), and the whole suite must stay
# well inside CI's 30 minutes.  Pure v2 (controllers only on cgroup2: memory.max,
# memory.events, pids.events, cpu.max, cgroup.kill, memory.oom.group) gets the
# engine, every event source, the launcher and attach, the limits and task
# counts, the exposition, the dashboard's writes and counts, the launched
# command's containment, and the notified counters (tiers.sh: on the hybrid
# host memory and pids are v1, read every refresh); pure v1 (no cgroup2
# mount at all) gets discovery, the
# task counts (batch and dashboard), the limits, the events (fork rejections
# under a parent's limit, a burst of kills, the dashboard's backlog), the
# launcher and the launched command's containment.  Not here, run on the host only:
# tui startup/basic/events/watch/keys/names (drawing, keys, names),
# launch-user, launch-pty, security/launch-tty, files, names, exporter (a
# terminal, files, output encoding, sockets: no cgroup version in them),
# events-paste (log framing; its kills are events.sh's).  security/paths runs
# in both: "nothing created" looks at every hierarchy.  Both also get the fork
# storm and the pids rejection named from the proc connector (fork-storm: the
# pids controller's files and its kernel line differ, and the test needs the
# group of each fork on either kernel), and the recorder (record: every value
# of the column table from the mode's files, null where absent; its SIGKILL
# loop, SQLite's durability in any mode, runs on the host only) and the kills
# it records while it refreshes every 10 ms (record-cut: a report cut by a
# refresh: the code before the fix failed 4 of 6 runs in the one-CPU guest,
# none of 3 on the host); pure v2 also
# the recorder's quiet prune (record-quiet: it trusts that CPU time, memory
# and pids in use count the whole subtree, which cgroup2's files say apart).
# Both get the one-shot path (oneshot: what the first sample opens and how,
# v2's cgroup.controllers of every group and v1's I/O files included).  Pure
# v1 also gets the walk the kernel's counts of groups end early (walk-count:
# nothing else makes groups in the guest, so the saving of /proc/cgroups'
# counts is checked there; cgroup2's, from the test group, on the host).
# Pure v1 also gets the process lists' gate (procs-gate: nothing else runs
# in the guest, so its savings are checked there).  Pure v2 also gets the
# inotify watches' count (watches: there the notified files have watches of
# their own).
if [ ${#scripts[@]} -eq 0 ]; then
	case ${CGTOP_VM_MODE:-v2} in
	v1) scripts=(engine.sh events.sh events-evidence.sh launch.sh tasks.sh tui/tasks.sh limits.sh
		events-pids.sh events-burst.sh tui/events-past.sh security/launch-contained.sh security/paths.sh
		fork-storm.sh record.sh record-cut.sh oneshot.sh walk-count.sh procs-gate.sh) ;;
	*) scripts=(engine.sh cgroupns.sh events.sh launch.sh attach.sh launch-priv.sh prom/format.sh
		tui/detail.sh tui/actions.sh tasks.sh limits.sh tui/tasks.sh
		events-pids.sh events-group.sh events-burst.sh events-evidence.sh tui/events-past.sh
		security/launch-contained.sh security/paths.sh fork-storm.sh record.sh record-cut.sh record-quiet.sh
		oneshot.sh watches.sh) ;;
	esac
	[ "${CGTOP_VM_MODE:-v2}" = v1 ] || scripts+=(tiers.sh)
fi
n=0 bad=0
if [ -n "$part" ]; then
	# The parts are made by cost, the seconds a script took in a TCG guest on
	# a loaded host (mean of v1 and v2; others count 120): each script, the
	# costliest first, goes to the part with the least so far, so that the
	# parts end at about the same time.  Each part keeps the list's order.
	declare -A cost=([engine.sh]=116 [cgroupns.sh]=32 [events.sh]=121 [launch.sh]=197
		[attach.sh]=61 [launch-priv.sh]=54 [launch-user.sh]=17 [prom/format.sh]=82
		[tui/startup.sh]=31 [tui/basic.sh]=275 [tui/detail.sh]=65 [tui/events.sh]=55
		[tui/actions.sh]=45 [tui/watch.sh]=29 [tui/keys.sh]=95 [tui/names.sh]=210
		[limits.sh]=67 [events-pids.sh]=50 [events-burst.sh]=110 [tasks.sh]=60 [tui/tasks.sh]=60
		[events-group.sh]=50 [security/launch-contained.sh]=60 [events-evidence.sh]=40
		[fork-storm.sh]=80 [record.sh]=70 [record-cut.sh]=10 [record-quiet.sh]=30 [oneshot.sh]=50
		[procs-gate.sh]=40 [watches.sh]=40 [walk-count.sh]=60)
	declare -A part_of=()
	want=$((${part%/*} - 1)) nparts=${part#*/} load=()
	for ((i = 0; i < nparts; i++)); do load[i]=0; done
	while read -r c s; do
		b=0
		for ((i = 1; i < nparts; i++)); do
			[ "${load[i]}" -lt "${load[b]}" ] && b=$i
		done
		part_of[$s]=$b
		load[b]=$((load[b] + c))
	done < <(for i in "${!scripts[@]}"; do
		echo "${cost[${scripts[i]}]:-120} $i ${scripts[i]}"
	done | sort -k1,1nr -k2,2n | cut -d' ' -f1,3)
	mine=()
	for s in "${scripts[@]}"; do
		[ "${part_of[$s]}" = "$want" ] && mine+=("$s")
	done
	scripts=("${mine[@]}")
	echo "# inside: part $part of ${#part_of[@]} scripts: ${scripts[*]} (about ${load[want]} s)"
fi
for s in "${scripts[@]}"; do
	case $s in
	*/*) f=$top_srcdir/tests/$s ;; # another area's test: prom/format.sh, tui/startup.sh
	*) f=$top_srcdir/tests/live/$s ;;
	esac
	t0=${EPOCHREALTIME//[!0-9]/}
	out=$(bash "$f" 2>&1)
	rc=$?
	t1=${EPOCHREALTIME//[!0-9]/}
	why= # a script's last "Bail out!" and the diag line before it
	last_diag=
	while IFS= read -r line; do
		case $line in
		"1..0 # SKIP"* | "1..0 #"*)
			n=$((n + 1))
			echo "ok $n - $s # SKIP ${line#1..0 # SKIP }"
			;;
		1..*) ;;
		"ok "* | "not ok "*)
			n=$((n + 1))
			# a "not ok ... # TODO" is a known gap, not a failure
			[[ $line == "not ok "* && $line != *"# TODO"* ]] && bad=1
			prefix=${line%% [0-9]*}
			rest=${line#"$prefix "}
			rest=${rest#* }
			rest=${rest#- }
			echo "$prefix $n - $s: $rest"
			;;
		"Bail out!"*)
			why="${line#Bail out! }${last_diag:+ ($last_diag)}"
			echo "# $line"
			;;
		*)
			[[ $line == "# "* ]] && last_diag=${line#\# }
			echo "# $line"
			;;
		esac
	done <<<"$out"
	if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
		n=$((n + 1))
		bad=1
		# the reason on the line itself: a CI summary shows only that line
		echo "not ok $n - $s exited with status $rc${why:+: $why}"
	fi
	echo "# inside: $s took $(((t1 - t0) / 1000)) ms"
done
echo "1..$n"
exit $bad
