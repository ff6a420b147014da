#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# launch.sh - live test of `cgtop --launch`: a memory hog is
# OOM-killed inside --mem and the report says so, a fork bomb is held by
# --pids, the pid and net namespaces, --veth, --drop-caps, --user, --report
# JSON, exit statuses 127/126, bad input (exit 2, one line, nothing created)
# and SIGTERM to cgtop.  Every launch uses --parent self (or a parent below the
# test's own group) and a --name of its own; after each one no group and no
# process may be left.  Needs root (else skips, 77).

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
need_helper MEMHOG memhog
need_helper FORKER forker
cg_describe

OUT=$CG_TMP/out
ERR=$CG_TMP/err
N=0
NAME=

# groups named NAME anywhere below the mounts (at most a few levels deep)
groups_named()
{
	local i

	for ((i = 0; i < CG_NH; i++)); do
		find "${CG_MNT[i]}" -maxdepth 4 -type d -name "$1" 2>/dev/null
	done
}

# all launch groups and /cgtop parents, for "nothing created"
all_launch_groups()
{
	local i

	for ((i = 0; i < CG_NH; i++)); do
		find "${CG_MNT[i]}" -maxdepth 4 -type d \( -name 'launch-*' -o -name cgtop \) 2>/dev/null
	done | LC_ALL=C sort
}

# remove what a failed run left behind (only groups with our test's names)
sweep()
{
	local d p

	for d in $(groups_named "$1"); do
		while read -r p; do
			kill -KILL "$p" 2>/dev/null
		done <"$d/cgroup.procs"
	done
	sleep 0.2
	for d in $(groups_named "$1"); do
		rmdir "$d" 2>/dev/null
	done
}

# launch ARG...: runs cgtop --launch --parent self --name NAME ARG... with a
# fresh NAME; sets RC, OUT, ERR; checks that nothing is left.
launch()
{
	N=$((N + 1))
	NAME=cgtop-launch-test-$$-$N
	timeout "${TMO:-60}" "$CGTOP" --launch --parent self --name "$NAME" "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	local left
	left=$(groups_named "$NAME")
	if [ -n "$left" ]; then
		fail "launch $N leaves no group" "$left"
		sweep "$NAME"
	fi
	return 0
}

trap 'sweep "cgtop-launch-test-$$-*"; cg_cleanup EXIT' EXIT

# ---- OOM --------------------------------------------------------------------
# the kernel's rate limit of OOM reports spent by other tests' kills would
# leave this test's reports out (lib.sh)
oom_reports_quiet 60
launch --mem 32M --report "$CG_TMP/r.json" "$MEMHOG" 100
is "$RC" 137 "memhog 100M under --mem 32M exits 137"
if grep -q "OOM-killed: yes" "$ERR"; then pass "report says OOM-killed"; else fail "report says OOM-killed" "$(cat "$ERR")"; fi
if grep -Eq "victim pid [0-9]+ \(memhog\)" "$ERR"; then
	pass "report names the victim"
elif [ ! -r /dev/kmsg ]; then
	skip "report names the victim" "/dev/kmsg not readable"
else
	fail "report names the victim" "$(cat "$ERR")"
fi
peak=$(jq -r .memory_peak_bytes "$CG_TMP/r.json")
max=$(jq -r .memory_max_bytes "$CG_TMP/r.json")
is "$max" 33554432 "report: memory_max_bytes is the limit"
if is_uint "$peak" && [ "$peak" -le 33554432 ] && [ "$peak" -gt 0 ]; then
	pass "peak $peak at most the limit"
else
	fail "peak at most the limit" "peak=$peak"
fi
is "$(jq -r .oom_killed "$CG_TMP/r.json")" true "JSON oom_killed"

# ---- fork bomb ----------------------------------------------------------------
# forker -t 50 tries 50 forks, then waits: timeout's SIGTERM to cgtop ends it
TMO=4 launch --pids 8 --report "$CG_TMP/f.json" "$FORKER" -t 50
rej=$(jq -r .pids_rejected "$CG_TMP/f.json" 2>/dev/null)
if is_uint "$rej" && [ "$rej" -gt 0 ]; then
	pass "fork bomb under --pids 8: $rej forks rejected"
else
	fail "fork bomb under --pids 8 is counted" "$(cat "$CG_TMP/f.json" "$ERR")"
fi
if grep -q "forks rejected by the pids limit: [1-9]" "$ERR"; then pass "text report counts rejected forks"; else fail "text report counts rejected forks" "$(cat "$ERR")"; fi
ok "host still answers" true

# ---- namespaces ---------------------------------------------------------------
launch --ns pid sh -c 'echo $$'
is "$RC/$(cat "$OUT")" "0/1" "--ns pid: the command is pid 1"
launch --ns pid --init sh -c 'echo $$'
is "$RC/$(cat "$OUT")" "0/2" "--ns pid --init: a reaper is pid 1, the command pid 2"
if command -v ip >/dev/null; then
	launch --ns net ip -o link
	links=$(awk -F': ' '{ print $2 }' "$OUT" | tr '\n' ' ')
	is "$RC/$links" "0/lo " "--ns net: only lo"
	if grep -q "lo: <.*UP" "$OUT"; then pass "--ns net: lo is up"; else fail "--ns net: lo is up" "$(cat "$OUT" "$ERR")"; fi
else
	skip "--ns net" "no ip(8)"
fi
# --veth: cgtop itself runs in a network namespace made here (unshare --net),
# so the host end lands there and no traffic touches the real host's network;
# the child pings the host end, and afterwards the host end is gone.
if command -v ip >/dev/null && command -v ping >/dev/null && command -v unshare >/dev/null &&
	unshare --net true 2>/dev/null; then
	N=$((N + 1))
	NAME=cgtop-launch-test-$$-$N
	# shellcheck disable=SC2016 # expanded by the inner sh
	timeout 60 unshare --net -- sh -c '"$0" --launch --parent self --name "$1" --ns net,pid,mnt \
		--veth 10.213.9.1/30 sh -c "ip -o -4 addr show; ping -c 1 -W 5 10.213.9.1"
		rc=$?; echo "links after: $(ip -o link show | grep -vc ": lo:")"; exit $rc' \
		"$CGTOP" "$NAME" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	if [ "$RC" = 0 ] && grep -q "inet 10.213.9.2/30" "$OUT" && grep -q " 0% packet loss" "$OUT"; then
		pass "--veth: the child has 10.213.9.2/30 and reaches the host end"
	else
		fail "--veth: the child reaches the host end" "rc=$RC" "$(cat "$OUT" "$ERR")"
	fi
	is "$(sed -n 's/^links after: //p' "$OUT")" 0 "--veth: the host end is removed afterwards"
	[ -z "$(groups_named "$NAME")" ] || { fail "--veth leaves no group"; sweep "$NAME"; }
else
	skip "--veth" "needs ip(8), ping and unshare --net"
fi
launch --ns uts --hostname cgtop-test-host hostname
is "$RC/$(cat "$OUT")" "0/cgtop-test-host" "--hostname in a uts namespace"

# ---- privileges -------------------------------------------------------------------
launch --drop-caps grep -E '^(CapEff|CapBnd|NoNewPrivs):' /proc/self/status
is "$(awk '{ print $1 $2 }' "$OUT" | tr '\n' ' ')" \
	"CapEff:0000000000000000 CapBnd:0000000000000000 NoNewPrivs:1 " "--drop-caps: no capabilities, no_new_privs"
launch --user 65534 id -u
is "$RC/$(cat "$OUT")" "0/65534" "--user 65534 runs as nobody"
launch --ns user --user 65534 true
if [ "$RC" = 126 ] && grep -q 'maps only your own uid' "$ERR" && [ "$(wc -l <"$ERR")" = 1 ]; then
	pass "--ns user --user 65534: one line saying why (only uid 0 is mapped), exit 126"
elif grep -qi 'user namespaces disabled\|not permitted' "$ERR" && ! grep -q setgroups "$ERR"; then
	skip "--ns user --user 65534" "user namespaces not available here: $(head -1 "$ERR")"
else
	fail "--ns user --user 65534: one line saying why" "rc=$RC" "$(cat "$ERR")"
fi

# ---- report, exit statuses ------------------------------------------------------------
rm -f "$CG_TMP/none.json"
launch --report "$CG_TMP/none.json" --cpuset 4095 true
if [ "$RC" != 0 ] && [ ! -e "$CG_TMP/none.json" ]; then
	pass "a launch that fails before CMD runs leaves no report file (exit $RC)"
else
	fail "a launch that fails before CMD runs leaves no report file" "rc=$RC" "$(ls -la "$CG_TMP/none.json" 2>&1)"
fi
echo old >"$CG_TMP/old.json"
launch --report "$CG_TMP/old.json" --cpuset 4095 true
is "$(cat "$CG_TMP/old.json")" old "a failed launch leaves an existing report file as it was"
launch --report - sh -c 'exit 3'
is "$RC" 3 "exit status passed on"
keys=$(jq -r 'keys_unsorted | join(",")' <"$OUT" 2>/dev/null)
for k in exit_code signal oom_killed oom_kills memory_peak_bytes memory_max_bytes memory_failcnt \
	pids_rejected cpu_usage_usec wall_usec cgroup; do
	[[ ,$keys, == *",$k,"* ]] || fail "--report - has key $k" "keys: $keys"
done
pass "--report - has every key"
is "$(jq -r .exit_code <"$OUT")" 3 "JSON exit_code"
# (not pid 1 of a namespace, which would ignore its own SIGTERM)
launch --ns none sh -c 'kill -TERM $$'
is "$RC" 143 "killed by a signal: 128 + signal"
launch --init sh -c 'kill -TERM $$'
is "$RC" 143 "killed by a signal under --init: 128 + signal"
launch /nonexistent/command
is "$RC" 127 "command not found: 127"
if grep -q "not found" "$ERR"; then pass "says not found"; else fail "says not found" "$(cat "$ERR")"; fi
printf 'true\n' >"$CG_TMP/noexec"
chmod 644 "$CG_TMP/noexec"
launch "$CG_TMP/noexec"
is "$RC" 126 "cannot execute: 126"

# ---- bad input ------------------------------------------------------------------------
before=$(all_launch_groups)
bad()
{
	local desc=$1 lines
	shift
	"$CGTOP" "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	lines=$(wc -l <"$ERR")
	if [ "$RC" = 2 ] && [ "$lines" = 1 ]; then
		pass "bad input: $desc"
	else
		fail "bad input: $desc (exit 2, one line)" "rc=$RC" "$(cat "$ERR")"
	fi
}
for v in 32Q -1 1e99 '' 9223372036854775809 18446744073709551616; do
	bad "--mem '$v'" --launch --parent self --mem "$v" true
	grep -qF -- "'$v'" "$ERR" || fail "message names '$v'" "$(cat "$ERR")"
done
bad "--swap 12X" --launch --parent self --swap 12X true
bad "--pids abc" --launch --parent self --pids abc true
bad "--pids -3" --launch --parent self --pids -3 true
bad "--cpu 2x" --launch --parent self --cpu 2x true
bad "--cpu 0" --launch --parent self --cpu 0 true
bad "--ns pid,bogus" --launch --parent self --ns pid,bogus true
bad "missing CMD" --launch --parent self --mem 32M
bad "--attach x12" --attach x12 --parent self
# --sysroot reads a captured tree; groups are made on the live system only
bad "--sysroot before --launch" --sysroot "$CG_TMP" --launch --parent self true
grep -qF -- "--sysroot '$CG_TMP'" "$ERR" || fail "message names --sysroot '$CG_TMP'" "$(cat "$ERR")"
bad "--sysroot=DIR among the --launch options" --launch --parent self --sysroot="$CG_TMP" true
bad "--sysroot with --attach" --sysroot "$CG_TMP" --attach $$ --parent self
# a CPU list longer than one write to a cgroup file (a page) takes
bad "--cpuset of 4097 characters" --launch --parent self --cpuset "$(printf '0,%.0s' {1..2048})0" true
after=$(all_launch_groups)
is "$after" "$before" "bad input created no group"

# ---- a deep --parent: every level made is removed -------------------------------------
# the test group exists in every hierarchy, so all cgtop makes is below it
cg_create "$CG_TEST" all || bail_out "cannot create $CG_TEST"
DEEP=$CG_TEST
for k in $(seq 12); do
	DEEP=$DEEP/l$k
done
N=$((N + 1))
NAME=cgtop-launch-test-$$-$N
# (no cgroup namespace: /proc/self/cgroup shows the whole path)
timeout 60 "$CGTOP" --launch --parent "$DEEP" --name "$NAME" --mem 32M --pids 10 --ns pid,mnt,ipc,uts \
	sh -c 'grep -c "^[0-9]*:[^:]*:.*/l12/'"$NAME"'\$" /proc/self/cgroup' >"$OUT" 2>"$ERR" </dev/null
RC=$?
if [ "$RC" = 0 ] && [ "$(cat "$OUT")" -gt 0 ]; then
	pass "--parent 12 levels deep: the command ran in $DEEP/$NAME"
else
	fail "--parent 12 levels deep: the command ran in the deep group" "rc=$RC" "$(cat "$OUT" "$ERR")"
fi
left=$(for d in $(cg_dirs "$CG_TEST"); do find "$d" -mindepth 1 -type d; done)
is "$left" "" "--parent 12 levels deep: all 13 levels made are removed in every hierarchy"
for d in $(cg_dirs "$CG_TEST"); do
	find "$d" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null
done

# ---- CMD options belong to CMD --------------------------------------------------------
launch --mem 32M echo --mem 1
is "$RC/$(cat "$OUT")" "0/--mem 1" "options after CMD belong to CMD"

# ---- SIGTERM to cgtop ---------------------------------------------------------------------
N=$((N + 1))
NAME=cgtop-launch-test-$$-$N
"$CGTOP" --launch --parent self --name "$NAME" sleep 100 >"$OUT" 2>"$ERR" </dev/null &
CP=$!
CG_PIDS+=("$CP")
for _ in $(seq 50); do
	[ -n "$(groups_named "$NAME")" ] && break
	sleep 0.1
done
sleep 0.3
kill -TERM "$CP"
wait "$CP"
RC=$?
is "$RC" 137 "SIGTERM to cgtop: the command is killed (pid 1 ignores TERM: KILL after 2 s)"
left=$(groups_named "$NAME")
is "$left" "" "SIGTERM to cgtop: the group is removed (so no process is left in it)"
done_testing
