# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# paste-scenario.sh - the real kills behind the pasted-log tests (sourced by bash
# scripts after lib.sh and cg_init): in test groups below the test's own group,
# ci (memory limit 32M without swap, pids.max 8) and its child ci/build-42 (no
# limit of its own), memhog is OOM-killed twice and forker is refused forks in
# between, all in build-42, as on a CI runner whose job group outgrows its
# parent's limits.  The kernel log of that window, cut at two marker records,
# is saved as /dev/kmsg records and as dmesg, dmesg -T, dmesg --notime and, when
# systemd-journald can run privately here, journalctl -k print it; EXPECTED
# lists the events.  A wrap of a log that cuts ".../ci/build-42" after ".../ci/"
# leaves the path of another real group: the reason for the names.
#
#   ps_run DIR   runs it all and writes DIR/{kmsg.raw,dmesg.txt,dmesg-T.txt,
#                dmesg-notime.txt,journal-short.txt,EXPECTED,steps}; sets
#                PS_CI, PS_BUILD (kernel paths), PS_KILLS (victims' pids) and
#                PS_JOURNAL (why there is no journal rendering, or empty)
# Needs root, the helpers memhog and forker, dmesg; journalctl, unshare and
# /lib/systemd/systemd-journald for the journal rendering.

PS_JOURNAL=
PS_KILLS=()

_ps_mark()
{
	printf '<6>cgtop-paste-scenario: %s id=%s\n' "$1" "$PS_ID" >/dev/kmsg
}

# _ps_cut: lines from the begin marker's through the end marker's
_ps_cut()
{
	awk -v b="scenario begin id=$PS_ID" -v e="scenario end id=$PS_ID" \
		'!on && index($0, b) { on = 1 } on { print } on && index($0, e) { exit }'
}

# _ps_cut_raw: /dev/kmsg records (a record and its " KEY=value" lines)
_ps_cut_raw()
{
	awk -v b="scenario begin id=$PS_ID" -v e="scenario end id=$PS_ID" '
		/^[^ ]/ { if (stop) exit; if (!on && index($0, b)) on = 1; if (on && index($0, e)) stop = 1 }
		on { print }'
}

# _ps_journald: a systemd-journald of our own, in a private mount namespace
# (/run and /var/log/journal bind-mounted from CG_TMP), so that it never meets
# the system's; sets PS_JDIR, or PS_JOURNAL to why not.
_ps_journald()
{
	local jd=/lib/systemd/systemd-journald n=100

	if [ ! -x "$jd" ] || ! command -v journalctl >/dev/null || ! command -v unshare >/dev/null ||
		[ ! -s /etc/machine-id ]; then
		PS_JOURNAL="systemd-journald, journalctl, unshare or /etc/machine-id missing"
		return 1
	fi
	mkdir -p "$CG_TMP/jrun" "$CG_TMP/jvar"
	cg_bg unshare --mount --propagation private -- /bin/sh -c '
		mount --bind "$1/jrun" /run || exit 1
		if [ -d /var/log/journal ]; then mount --bind "$1/jvar" /var/log/journal || exit 1; fi
		exec "$2"' sh "$CG_TMP" "$jd" >"$CG_TMP/journald.out" 2>&1
	PS_JD_PID=$CG_LAST_PID
	PS_JDIR=$CG_TMP/jrun/log/journal/$(cat /etc/machine-id)
	_ps_mark "journal probe"
	until journalctl -D "$PS_JDIR" -k -o cat 2>/dev/null | grep -qF "journal probe id=$PS_ID"; do
		n=$((n - 1))
		if [ $n -le 0 ]; then
			PS_JOURNAL="journald did not record a probe line within 10 s: $(head -c 200 "$CG_TMP/journald.out")"
			cg_kill "$PS_JD_PID"
			return 1
		fi
		sleep 0.1
	done
}

# _ps_oom: one memhog of 64M in build-42 under ci's 32M; it must be SIGKILLed
_ps_oom()
{
	local rc

	cg_spawn "$PS_BUILD" "$MEMHOG" 64
	{ wait "$CG_LAST_PID"; } 2>/dev/null
	rc=$?
	[ $rc = 137 ] || { diag "memhog $CG_LAST_PID was not OOM-killed (exit $rc)"; return 1; }
	PS_KILLS+=("$CG_LAST_PID")
	printf 'oom_invoked\tpid=%s\ttask=memhog\tcgroup=%s\n' "$CG_LAST_PID" "$PS_CI" >>"$1/EXPECTED"
	printf 'oom_kill\tpid=%s\ttask=memhog\tuid=0\tcgroup=%s\ttask_cgroup=%s\tlimit=33554432\n' \
		"$CG_LAST_PID" "$PS_CI" "$PS_BUILD" >>"$1/EXPECTED"
	echo "OOM: memhog pid $CG_LAST_PID allocated 64 MiB in $PS_BUILD (limit 32M on $PS_CI, no swap) and was OOM-killed" >>"$1/steps"
}

ps_run()
{
	local out=$1 i printed

	need_helper MEMHOG memhog
	need_helper FORKER forker
	PS_ID=$(date +%s)-$$
	PS_CI=$CG_TEST/ci
	PS_BUILD=$PS_CI/build-42
	cg_create "$PS_BUILD" memory pids || return 1
	cg_mem_limit "$PS_CI" 33554432 || return 1
	cg_write "$PS_CI" pids.max 8 || return 1
	mkdir -p "$out"
	: >"$out/EXPECTED"
	: >"$out/steps"
	PS_JOURNAL=
	_ps_journald

	# each kill's whole report, not a "Killed process" line alone: the kernel leaves
	# reports out for 5 s after 10 (events-burst.sh, just before, makes 24)
	oom_reports_quiet 60
	_ps_mark "scenario begin"
	_ps_oom "$out" || return 1
	sleep 0.3
	cg_spawn "$PS_BUILD" "$FORKER" -t 16 >"$CG_TMP/forker.out"
	for ((i = 0; i < 100; i++)); do
		grep -q '^ready' "$CG_TMP/forker.out" && break
		sleep 0.1
	done
	grep -q '^rejected [1-9]' "$CG_TMP/forker.out" ||
		{ diag "forker saw no rejection: $(cat "$CG_TMP/forker.out")"; return 1; }
	echo "PIDS: forker pid $CG_LAST_PID in $PS_BUILD (pids.max=8 on $PS_CI) tried 16 forks: $(head -n 1 "$CG_TMP/forker.out")" >>"$out/steps"
	cg_kill "$CG_LAST_PID"
	cg_kill_in "$PS_BUILD"
	printf 'pids_fork_rejected\tcgroup=\ttask_cgroup=@PRINTED@\tlimit_cgroup=%s\n' "$PS_CI" >>"$out/EXPECTED"
	sleep 0.3
	_ps_oom "$out" || return 1
	sleep 0.5 # the oom_reaper lines
	_ps_mark "scenario end"

	dd if=/dev/kmsg iflag=nonblock bs=65536 status=none 2>/dev/null | LC_ALL=C _ps_cut_raw >"$out/kmsg.raw"
	dmesg | _ps_cut >"$out/dmesg.txt"
	TZ=UTC dmesg -T | _ps_cut >"$out/dmesg-T.txt"
	dmesg --notime | _ps_cut >"$out/dmesg-notime.txt"
	[ -s "$out/kmsg.raw" ] && [ -s "$out/dmesg.txt" ] || { diag "the scenario is not in the kernel log"; return 1; }
	if [ -z "$PS_JOURNAL" ]; then
		for ((i = 0; i < 100; i++)); do
			journalctl -D "$PS_JDIR" -k -o cat 2>/dev/null | grep -qF "scenario end id=$PS_ID" && break
			sleep 0.1
		done
		journalctl -D "$PS_JDIR" -k -o short | _ps_cut >"$out/journal-short.txt"
		cg_kill "$PS_JD_PID"
		[ -s "$out/journal-short.txt" ] || { PS_JOURNAL="journald did not record the scenario"; rm -f "$out/journal-short.txt"; }
	fi
	# which group did the kernel name in its "fork rejected" line?
	printed=$(sed -n 's/.*cgroup: fork rejected by pids controller in //p' "$out/dmesg.txt" | head -n 1)
	[ "$printed" = "$PS_BUILD" ] || [ "$printed" = "$PS_CI" ] ||
		{ diag "the fork rejection names '$printed'"; return 1; }
	sed -i "s|task_cgroup=@PRINTED@|task_cgroup=$(printf '%s' "$printed" | sed 's/[\\&|]/\\&/g')|" "$out/EXPECTED"
	return 0
}
