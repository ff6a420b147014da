#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# units.sh - cgtop against real systemd 252 units, in the test VM where the
# host's systemd is PID 1 on pure cgroup v2 (tests/vm/vm-systemd.test).
# It makes a slice with limits (cgt.slice: MemoryMax, MemoryHigh, TasksMax,
# CPUQuota), a nested slice (cgt-team.slice, MemoryHigh), a service with every
# limit (MemoryMax=96M MemoryHigh=48M CPUQuota=20% TasksMax=12) running a
# memory user and a CPU burner, an unlimited service and a scope, then checks
# cgtop's batch JSON against the kernel's files of each group (limits, usage,
# counts, effective limits and who sets them, throttling) and against
# `systemd-cgtop -b -n 1 -r` on every leaf (memory, tasks); then it causes a
# real OOM kill in a service with OOMPolicy=kill (memory.oom.group=1) and
# checks what a running `cgtop --events --format json` reports, which the log
# records.
# Only inside the test VM (it makes units and an OOM kill in the system
# manager); skips elsewhere.
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")/../live" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

in_vm || skip_all "only in the systemd test VM (tests/vm/vm-systemd.test)"
[ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] || skip_all "systemd is not PID 1 here"
[ "$(id -u)" = 0 ] || skip_all "not root"
[ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ] || skip_all "not a pure cgroup v2 host"
for t in jq systemd-run systemctl systemd-cgtop; do
	command -v $t >/dev/null || skip_all "$t is not installed"
done
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
need_helper MEMHOG memhog
need_helper BURNER burner
export SYSTEMD_COLORS=0 SYSTEMD_PAGER=cat

C=/sys/fs/cgroup
S=/cgt.slice
T=$S/cgt-team.slice
WEB=$T/cgt-web.service
IDLE=$T/cgt-idle.service
BATCH=$S/cgt-batch.scope
OOMU=$S/cgt-oom.service
D=$(mktemp -d /run/cgtop-units.XXXXXX) || bail_out "mktemp failed"
CG_TMP=$D # where lib.sh's nap keeps its FIFO
UNITS="cgt-web.service cgt-idle.service cgt-batch.scope cgt-oom.service"
EV_PID= SCOPE_PID=

cleanup()
{
	[ -n "$EV_PID" ] && kill "$EV_PID" 2>/dev/null
	# shellcheck disable=SC2086 # unit names
	systemctl stop $UNITS cgt-team.slice cgt.slice 2>/dev/null
	# shellcheck disable=SC2086
	systemctl reset-failed $UNITS 2>/dev/null
	[ -n "$SCOPE_PID" ] && kill "$SCOPE_PID" 2>/dev/null
	rm -f /run/systemd/system/cgt.slice /run/systemd/system/cgt-team.slice
	systemctl daemon-reload
	rm -rf "$D"
}
trap cleanup EXIT

# load FILE: the first sample of cgtop's batch JSON in FILE into J, keyed
# "PATH KEY" (numbers and strings as text, objects as compact JSON), so that
# reading a value costs no process (each is slow in a TCG guest).
declare -A J
load()
{
	local p k v

	J=()
	while IFS=$'\t' read -r p k v; do
		J["$p $k"]=$v
	done < <(head -n 1 "$1" | jq -r '.cgroups[] | .path as $p | to_entries[] |
		"\($p)\t\(.key)\t\(.value | if type == "string" then . else tojson end)"')
}
# val PATH KEY: the value, or "absent" when cgtop has no such key
val() { printf '%s\n' "${J["$1 $2"]-absent}"; }
has() { [ -n "${J["$1 $2"]+set}" ]; }

# within LO HI X: LO <= X <= HI (integers)
within() { [ "$3" -ge "$1" ] && [ "$3" -le "$2" ]; }
min() { if [ "$1" -le "$2" ]; then echo "$1"; else echo "$2"; fi; }
max() { if [ "$1" -ge "$2" ]; then echo "$1"; else echo "$2"; fi; }

# wait_until SECONDS CMD...: polls CMD by the clock (a TCG guest is slow).
wait_until()
{
	local end=$((SECONDS + $1))

	shift
	while ! "$@" 2>/dev/null; do
		[ $SECONDS -ge "$end" ] && return 1
		nap 0.2
	done
}

# ---- the units ----------------------------------------------------------------

# slices are units of their own: runtime unit files (systemd-run makes none)
mkdir -p /run/systemd/system
cat >/run/systemd/system/cgt.slice <<EOF
[Slice]
MemoryMax=160M
MemoryHigh=128M
TasksMax=40
CPUQuota=50%
EOF
cat >/run/systemd/system/cgt-team.slice <<EOF
[Slice]
MemoryHigh=64M
EOF
systemctl daemon-reload || bail_out "systemctl daemon-reload failed"

# systemd expands \$ in a transient unit's command line: shell logic goes in files
cat >"$D/web.sh" <<EOF
#!/bin/sh
'$MEMHOG' 24 &
'$BURNER' 600 &
wait
EOF
cat >"$D/batch.sh" <<EOF
#!/bin/sh
sleep 600 &
sleep 600 &
wait
EOF
chmod 755 "$D/web.sh" "$D/batch.sh"

systemd-run -q --unit=cgt-web -p Slice=cgt-team.slice -p MemoryMax=96M -p MemoryHigh=48M \
	-p CPUQuota=20% -p TasksMax=12 "$D/web.sh" || bail_out "systemd-run cgt-web failed"
systemd-run -q --unit=cgt-idle -p Slice=cgt-team.slice sleep 600 ||
	bail_out "systemd-run cgt-idle failed"
systemd-run -q --scope --unit=cgt-batch --slice=cgt.slice -p TasksMax=16 "$D/batch.sh" \
	</dev/null >/dev/null 2>&1 &
SCOPE_PID=$!

nprocs() { [ "$(wc -l <"$C$1/cgroup.procs")" = "$2" ]; }
mem_at_least() { [ "$(cat "$C$1/memory.current")" -ge "$2" ]; }
wait_until 120 nprocs $WEB 3 || bail_out "cgt-web did not start its 3 processes"
wait_until 120 mem_at_least $WEB $((24 << 20)) || bail_out "cgt-web's memory user did not get to 24M"
wait_until 120 nprocs $IDLE 1 || bail_out "cgt-idle did not start"
wait_until 120 nprocs $BATCH 3 || bail_out "cgt-batch.scope did not start its 3 processes"
pass "systemd made the slices, the services and the scope"
diag "$(systemd-cgls --no-pager $S 2>&1)"

GROUPS_OURS="$S $T $WEB $IDLE $BATCH"
for g in $GROUPS_OURS; do
	ok "$g exists where systemd put it" test -d "$C$g"
done
is "$(systemctl show -p ControlGroup --value cgt-web.service)" $WEB "systemd names cgt-web's group $WEB"

# ---- cgtop's JSON against the kernel's files ---------------------------------

# snap FILE: the kernel's files of our groups, one "group file value" per line
snap()
{
	local g f
	for g in $GROUPS_OURS; do
		for f in memory.current pids.current; do
			echo "$g $f $(cat "$C$g/$f")"
		done
		echo "$g procs $(wc -l <"$C$g/cgroup.procs")"
		echo "$g threads $(wc -l <"$C$g/cgroup.threads")"
		# nr_throttled only where systemd enabled the cpu controller
		echo "$g nr_throttled $(awk '$1 == "nr_throttled" { print $2 }' "$C$g/cpu.stat")"
	done >"$1"
}
kv() { awk -v g="$2" -v f="$3" '$1 == g && $2 == f { print $3 }' "$1"; }

snap "$D/k1"
"$CGTOP" -b -n 1 --format json $S >"$D/j1" 2>"$D/j1.err"
rc=$?
snap "$D/k2"
is "$rc" 0 "cgtop -b -n 1 --format json $S exits 0"
is "$(cat "$D/j1.err")" "" "... with nothing on stderr"
load "$D/j1"
for g in $GROUPS_OURS; do
	has $g path || { fail "$g is in cgtop's JSON" "$(cat "$D/j1")"; continue; }
	for pair in memory_current_bytes:memory.current pids_current:pids.current tasks:procs \
		threads:threads cpu_nr_throttled:nr_throttled; do
		k=${pair%%:*} f=${pair#*:}
		a=$(kv "$D/k1" $g $f) b=$(kv "$D/k2" $g $f) got=$(val $g $k)
		if [ -z "$a$b" ]; then
			is "$got" null "$g: $k null, as the kernel has no $f here"
		elif is_uint "$got" && within "$(min $a $b)" "$(max $a $b)" "$got"; then
			pass "$g: $k $got agrees with $f ($a, $b)"
		else
			fail "$g: $k agrees with $f" "cgtop: $got; kernel before and after: $a, $b"
		fi
	done
	is "$(val $g memory_max_bytes)" "$(cat $C$g/memory.max)" "$g: memory_max_bytes is memory.max"
	is "$(val $g pids_max)" "$(cat $C$g/pids.max)" "$g: pids_max is pids.max"
	is "$(val $g memory_high_bytes)" "$(cat $C$g/memory.high)" "$g: memory_high_bytes is memory.high"
	read -r quota period <"$C$g/cpu.max"
	if [ "$quota" = max ]; then want=max; else want=$(awk -v q="$quota" -v p="$period" 'BEGIN { print q / p }'); fi
	ok "$g: cpu_max $(val $g cpu_max) is cpu.max as CPUs ($want)" \
		awk -v a="$(val $g cpu_max)" -v b="$want" 'BEGIN { exit !(a == b) }'
done

# the limits systemd wrote, as the kernel has them
is "$(cat $C$WEB/memory.max)" $((96 << 20)) "MemoryMax=96M is memory.max"
is "$(cat $C$WEB/memory.high)" $((48 << 20)) "MemoryHigh=48M is memory.high"
is "$(cat $C$WEB/cpu.max)" "20000 100000" "CPUQuota=20% is cpu.max"
is "$(cat $C$WEB/pids.max)" 12 "TasksMax=12 is pids.max"

# effective limits: the nearest limit on the path to the root and who sets it
is "$(val $IDLE memory_effective_max_bytes)" $((160 << 20)) "$IDLE: effective memory limit 160M"
is "$(val $IDLE memory_effective_max_from)" $S "... set by $S"
is "$(val $IDLE pids_effective_max)" 40 "$IDLE: effective pids limit 40"
is "$(val $IDLE pids_effective_max_from)" $S "... set by $S"
is "$(val $IDLE memory_effective_high_bytes)" $((64 << 20)) "$IDLE: effective memory.high 64M"
is "$(val $IDLE memory_effective_high_from)" $T "... set by $T"
is "$(val $IDLE cpu_effective_max)" 0.5 "$IDLE: effective CPU limit 0.5 CPUs"
is "$(val $IDLE cpu_effective_max_from)" $S "... set by $S"
is "$(val $WEB memory_effective_max_bytes)" $((96 << 20)) "$WEB: its own 96M is the effective limit"
is "$(val $WEB memory_effective_max_from)" $WEB "... set by itself"
is "$(val $WEB pids_effective_max)" 12 "$WEB: its own pids limit 12 is the effective one"
is "$(val $WEB memory_effective_high_bytes)" $((48 << 20)) "$WEB: its own memory.high 48M is the effective one"
is "$(val $WEB cpu_effective_max)" 0.2 "$WEB: its own 0.2 CPUs is the effective CPU limit"
throttled() { [ "$(awk '$1 == "nr_throttled" { print $2 }' $C$WEB/cpu.stat)" -gt 0 ]; }
wait_until 60 throttled &&
	pass "$WEB: the burner is throttled under CPUQuota=20% (cpu.stat nr_throttled > 0)" ||
	fail "$WEB: the burner is throttled under CPUQuota=20%" "$(cat $C$WEB/cpu.stat)"

# ---- every leaf against systemd-cgtop -----------------------------------------

# sdcgtop FILE: "path tasks memory" per group (paths as cgtop names them, "-" as systemd-cgtop has it)
sdcgtop()
{
	systemd-cgtop -b -n 1 -r --depth=16 2>"$1.err" |
		awk 'NF >= 5 { p = $1; if (p != "/") p = "/" p; print p, $2, $4 }' >"$1"
}
sdcgtop "$D/s1"
"$CGTOP" -b -n 1 --format json >"$D/j2" 2>>"$D/j1.err"
sdcgtop "$D/s2"
# leaves: groups of cgtop's tree that have no child group, but for the test's
# own service (where cgtop and systemd-cgtop themselves run)
self=$(awk -F:: '$1 == "0" { print $2 }' /proc/self/cgroup)
load "$D/j2"
jq -r '.cgroups[].path' "$D/j2" | sort >"$D/paths"
awk '{ print $1 }' "$D/s1" | sort >"$D/sdpaths"
leaves=$(awk 'NR > 1 && index($0, prev "/") != 1 { print prev } { prev = $0 } END { print prev }' "$D/paths" |
	grep -v -x -F -e / -e "$self")
if d=$(diff "$D/paths" "$D/sdpaths"); then
	pass "cgtop and systemd-cgtop list the same groups"
else
	fail "cgtop and systemd-cgtop list the same groups" "$d"
fi
nleaves=0
for g in $leaves; do
	nleaves=$((nleaves + 1))
	read -r _ t1 m1 < <(awk -v p="$g" '$1 == p' "$D/s1")
	read -r _ t2 m2 < <(awk -v p="$g" '$1 == p' "$D/s2")
	# systemd-cgtop counts tasks as pids.current (threads) and shows "-" for none
	[ "${t1:--}" = - ] && t1=0
	[ "${t2:--}" = - ] && t2=0
	got=$(val "$g" threads)
	if is_uint "$got" && within "$(min $t1 $t2)" "$(max $t1 $t2)" "$got"; then
		pass "$g: threads $got as systemd-cgtop's Tasks ($t1, $t2)"
	else
		fail "$g: threads as systemd-cgtop's Tasks" "cgtop: $got; systemd-cgtop: $t1, $t2"
	fi
	got=$(val "$g" memory_current_bytes)
	if [ "${m1:--}" = - ] || [ "${m2:--}" = - ]; then
		is "$got" null "$g: no memory for cgtop either, as for systemd-cgtop"
	elif is_uint "$got" && within "$(min $m1 $m2)" "$(max $m1 $m2)" "$got"; then
		pass "$g: memory $got as systemd-cgtop's ($m1, $m2)"
	else
		fail "$g: memory as systemd-cgtop's" "cgtop: $got; systemd-cgtop: $m1, $m2"
	fi
done
diag "compared $nleaves leaves:" $leaves
for g in $WEB $IDLE $BATCH /init.scope /system.slice/systemd-journald.service; do
	grep -qx -F "$g" <<<"$leaves" || fail "$g is among the leaves compared"
done
# slices: systemd-cgtop's Tasks count the subtree (pids.current)
for g in $S $T; do
	t1=$(awk -v p="$g" '$1 == p { print $2 }' "$D/s1")
	t2=$(awk -v p="$g" '$1 == p { print $2 }' "$D/s2")
	got=$(val "$g" tasks_subtree)
	ok "$g: tasks_subtree $got as systemd-cgtop's Tasks ($t1, $t2)" \
		within "$(min $t1 $t2)" "$(max $t1 $t2)" "$got"
done
# the load is no longer needed (a TCG guest has one slow CPU)
systemctl stop cgt-web.service cgt-idle.service cgt-batch.scope

# ---- an OOM kill with OOMPolicy=kill: the whole group goes ----------------------

# (memhog is not exec'd: it refuses to run as a child of PID 1)
cat >"$D/oom.sh" <<EOF
#!/bin/sh
echo \$\$ >>'$D/oom.pids'
sleep 600 &
echo \$! >>'$D/oom.pids'
sleep 600 &
echo \$! >>'$D/oom.pids'
'$MEMHOG' 200 &
echo \$! >>'$D/oom.pids'
wait
EOF
chmod 755 "$D/oom.sh"
: >"$D/oom.pids"
"$CGTOP" --events --format json >"$D/ev" 2>"$D/ev.err" &
EV_PID=$!
kmsg_open() { ls -l /proc/$EV_PID/fd | grep -q /dev/kmsg; }
wait_until 60 kmsg_open || bail_out "cgtop --events did not open /dev/kmsg"
events_before=$(awk '/^oom_group_kill / { print $2 }' $C$S/memory.events)
marker="cgtop-units-oom-$$"
echo "$marker" >/dev/kmsg
# (not --wait: that needs D-Bus, which the guest does not run)
systemd-run -q --unit=cgt-oom -p Slice=cgt.slice -p MemoryMax=32M -p MemorySwapMax=0 \
	-p OOMPolicy=kill "$D/oom.sh" || bail_out "systemd-run cgt-oom failed"
ended() { case $(systemctl show -p ActiveState --value cgt-oom.service) in failed | inactive) ;; *) return 1 ;; esac; }
wait_until 120 ended || fail "cgt-oom.service ended within 120 s"
diag "$(systemctl status --no-pager cgt-oom.service 2>&1)"
is "$(systemctl show -p Result --value cgt-oom.service)" oom-kill "cgt-oom.service ended with result oom-kill"
mapfile -t oompids <"$D/oom.pids"
is "${#oompids[@]}" 4 "cgt-oom.service ran 4 processes (sh, 2 sleeps, memhog)"
is "$(awk '/^oom_group_kill / { print $2 }' $C$S/memory.events)" $((events_before + 1)) \
	"$S memory.events: one oom_group_kill more"
n_kills() { jq -s --arg g $OOMU '[.[] | select(.kind == "oom_kill" and .cgroup == $g)] | length' "$D/ev"; }
# The processes the kernel killed are those it logged after the marker: the
# victim, then (memory.oom.group) every task of the group, the victim again
# among them; a task systemd's own OOMPolicy=kill SIGKILL reached first is
# skipped as "already exiting" (the two race; on a slow guest systemd often
# wins for some), so the log, not the unit's process list, says who was killed.
dmesg >"$D/dmesg" 2>&1
klog=$(sed -n "/$marker/,\$p" "$D/dmesg")
killed=$(sed -n 's/.*Killed process \([0-9]*\) .*/\1/p' <<<"$klog" | sort -un)
seen_all()
{
	local p
	for p in $killed; do
		# (jq -e is true on an empty file: grep for a line printed)
		jq -c --argjson p "$p" 'select(.kind == "oom_kill" and .pid == $p)' "$D/ev" 2>/dev/null | grep -q . || return 1
	done
}
wait_until 60 seen_all
diag "cgtop --events --format json:" "$(cat "$D/ev")"
memhog=${oompids[3]:-}
ev=$(jq -c --argjson p "${memhog:-0}" 'select(.kind == "oom_kill" and .pid == $p)' "$D/ev" | head -1)
if [ -n "$ev" ]; then
	pass "an oom_kill event for memhog (pid $memhog)"
	is "$(jq -r .task <<<"$ev")" memhog "... task memhog"
	is "$(jq -r .cgroup <<<"$ev")" $OOMU "... cgroup $OOMU (whose limit was hit)"
	is "$(jq -r .task_cgroup <<<"$ev")" $OOMU "... task_cgroup $OOMU"
	is "$(jq -r .source <<<"$ev")" kmsg "... from the kernel log"
else
	fail "an oom_kill event for memhog (pid $memhog)" "$(cat "$D/ev")"
fi
diag "the kernel log from the marker on:" "$(grep -i -e oom -e kill <<<"$klog")"
if grep -q "Tasks in $OOMU are going to be killed due to memory.oom.group set" <<<"$klog"; then
	pass "the kernel killed the group (memory.oom.group set by OOMPolicy=kill)"
else
	fail "the kernel killed the group (memory.oom.group set by OOMPolicy=kill)"
fi
for p in $killed; do
	ev=$(jq -c --argjson p "$p" 'select(.kind == "oom_kill" and .pid == $p)' "$D/ev" | head -1)
	if [ -n "$ev" ]; then
		pass "pid $p, killed by the kernel: an oom_kill event"
	else
		fail "pid $p, killed by the kernel: an oom_kill event" "$(cat "$D/ev")"
	fi
	is "$(jq -r .group_kill <<<"${ev:-null}")" true "... pid $p: group_kill true"
done
# the kernel logs the victim twice (once as the victim, once in the group)
n_killed=$(wc -w <<<"$killed")
is "$(n_kills)" "$n_killed" "one oom_kill event per killed process ($n_killed), no more"
kill "$EV_PID"
wait "$EV_PID"
is "$?" 0 "cgtop --events exits 0 on SIGTERM"
EV_PID=
is "$(cat "$D/ev.err")" "" "... with nothing on stderr"

# the slice keeps the record once systemd has removed the unit's group
"$CGTOP" -b -n 1 --format json $S >"$D/j3" 2>/dev/null
load "$D/j3"
want=$(awk '{ printf "%s\"%s\":%s", (NR > 1 ? "," : "{"), $1, $2 } END { print "}" }' $C$S/memory.events | jq -cS .)
is "$(jq -cS . <<<"$(val $S memory_events)")" "$want" "$S: memory_events as memory.events after the kill"

done_testing
