#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# capture-kmsg.sh - record the real kernel-log corpus of cgtop's OOM/pids event
# parser tests (tests/data/kmsg/): in test groups nested below this process's
# own group in each hierarchy it triggers real memory-cgroup OOM kills (32M
# limit, no swap; victims and groups named with spaces, commas, parentheses,
# UTF-8 and an escaped systemd unit name) and real pids-controller fork
# rejections (pids.max=5), plus a few unrelated lines, between two marker
# records, and saves that window as the raw /dev/kmsg records and as rendered
# by dmesg (plain, -T, -x, -r, --notime), rsyslog (imklog: traditional and
# RFC 3339 timestamps; imkmsg) and systemd-journald (journalctl -k -o short,
# short-monotonic, short-iso, short-precise, short-full, short-unix, cat,
# with-unit, export, json, json-pretty; short and short-precise again in the
# locales of JOURNAL_LOCALES that are installed, for their month names), and
# as a container's log shows `dmesg --follow` run in it (a CRI log file's
# "TIME stdout F line", kubectl logs --timestamps' and crictl logs
# --timestamps' "TIME line", stamped as the lines came), with an EXPECTED list
# of the events (pids from the helper's own output) and a SOURCE file.  Run by
# hand as root, never by make; it touches only groups it creates and ends only
# processes it started.
#
# Usage: capture-kmsg.sh [-o OUTROOT] [-l LABEL] [-H HELPER] [--vm v2|v1]
#   -o OUTROOT  where <LABEL>-<mode>-<kernel>/ is written
#               (default: tests/data/kmsg next to this script)
#   -l LABEL    first part of the directory name (default host; qemu in the VM)
#   -H HELPER   the oomnamed binary (default: tests/helpers/oomnamed of the
#               build tree, else compiled from tests/helpers/oomnamed.c with cc)
#   --vm MODE   instead, run this script as root in the qemu VM of
#               tests/vm/run.sh (pure v2 or pure v1, kernel 6.1) with OUTROOT
#               shared read-write; CGTOP_VM_ACCEL etc. are honoured
# Needs: root, dmesg (util-linux), rsyslogd (Debian package rsyslog; missing ->
# the syslog files are left out), /lib/systemd/systemd-journald + journalctl
# and unshare (missing -> the journal files are left out); python3 for the
# container-log copies (missing -> left out); locales for the localized journal
# renderings (localedef -i de_DE -f UTF-8 de_DE.UTF-8; JOURNAL_LOCALES, default
# "de_DE.UTF-8 fr_FR.UTF-8"; missing -> left out).
set -u -o pipefail
umask 022
export LC_ALL=C.UTF-8

ARGS="$0${*:+ $*}"
HERE=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$HERE/../.." && pwd)
OUTROOT=$SRCDIR/tests/data/kmsg
LABEL=
HELPER=
VM=
while [ $# -gt 0 ]; do
	case $1 in
	-o) OUTROOT=$2; shift 2 ;;
	-l) LABEL=$2; shift 2 ;;
	-H) HELPER=$2; shift 2 ;;
	--vm) VM=$2; shift 2 ;;
	-h | --help) sed -n '/^# Usage:/,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "capture-kmsg.sh: unknown argument: $1" >&2; exit 2 ;;
	esac
done

die() { echo "capture-kmsg.sh: $*" >&2; exit 1; }
log() { echo "capture-kmsg: $*"; }

[ "$(id -u)" = 0 ] || die "must run as root"
mkdir -p "$OUTROOT" || die "cannot create $OUTROOT"
OUTROOT=$(cd "$OUTROOT" && pwd)

# --- the helper ------------------------------------------------------------------
if [ -z "$HELPER" ]; then
	for h in "${top_builddir:-$SRCDIR}/tests/helpers/oomnamed" "$SRCDIR/tests/helpers/oomnamed"; do
		[ -x "$h" ] && { HELPER=$h; break; }
	done
fi
if [ -z "$HELPER" ]; then
	# Compiled where the VM can see it too (the host's / is shared there).
	HELPER=$(mktemp /var/tmp/oomnamed.XXXXXX) || die "mktemp failed"
	HELPER_TMP=$HELPER
	${CC:-cc} -std=gnu11 -O2 -Wall -o "$HELPER" "$SRCDIR/tests/helpers/oomnamed.c" ||
		die "cannot compile tests/helpers/oomnamed.c"
fi
HELPER=$(cd "$(dirname "$HELPER")" && pwd)/$(basename "$HELPER")
[ -x "$HELPER" ] || die "no helper $HELPER"

# --- VM mode: run ourselves in the guest --------------------------------------------
if [ -n "$VM" ]; then
	rc=0
	"$SRCDIR/tests/vm/run.sh" -M "$VM" -t "${CGTOP_VM_TIMEOUT:-900}" -w "$OUTROOT" \
		"$HERE/capture-kmsg.sh" -o "$OUTROOT" -l "${LABEL:-qemu}" -H "$HELPER" || rc=$?
	[ -n "${HELPER_TMP:-}" ] && rm -f "$HELPER_TMP"
	exit $rc
fi
[ -n "$LABEL" ] || LABEL=host
[ -n "${CGTOP_VM_MODE:-}" ] && [ "$LABEL" = host ] && LABEL=qemu
[ -w /dev/kmsg ] || die "/dev/kmsg is not writable"

# --- where am I: hierarchies and my own groups ---------------------------------------------
CG2MNT= MEMMNT= PIDMNT= CPUMNT= MEMROOT=/ PIDROOT=/ CPUROOT=/ CG2ROOT=/
while read -r line; do
	pre=${line%% - *}
	post=${line#* - }
	read -r _ _ _ mroot mnt _ <<<"$pre"
	read -r fstype _ sopts <<<"$post"
	case $fstype in
	cgroup2) [ -z "$CG2MNT" ] && { CG2MNT=$mnt; CG2ROOT=$mroot; } ;;
	cgroup)
		case ",$sopts," in *,memory,*) MEMMNT=$mnt; MEMROOT=$mroot ;; esac
		case ",$sopts," in *,pids,*) PIDMNT=$mnt; PIDROOT=$mroot ;; esac
		case ",$sopts," in *,cpuset,*) CPUMNT=$mnt; CPUROOT=$mroot ;; esac
		;;
	esac
done </proc/self/mountinfo
own_v1() { awk -F: -v c="$1" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) { sub(/^[^:]*:[^:]*:/, ""); print; exit } }' /proc/self/cgroup; }
own_v2() { sed -n 's/^0:://p' /proc/self/cgroup; }
# dir_of MNT MOUNTROOT KERNELPATH: the directory of a group
dir_of() {
	local rel=$3
	[ "$2" != / ] && rel=${rel#"$2"}
	echo "$1${rel%/}"
}
join() { if [ "$1" = / ]; then echo "/$2"; else echo "$1/$2"; fi; }

if [ -n "$MEMMNT" ] && [ -n "$PIDMNT" ]; then
	MODE=v1
	[ -n "$CG2MNT" ] && MODE=hybrid
	MEMB=$(own_v1 memory)
	PIDB=$(own_v1 pids)
	MEMDIR=$(dir_of "$MEMMNT" "$MEMROOT" "$MEMB")
	PIDDIR=$(dir_of "$PIDMNT" "$PIDROOT" "$PIDB")
	# the OOM report names the victim's cpuset group (cpuset=NAME): put the
	# victims in cpuset groups named like their memory groups when we can
	CPUDIR=
	if [ -n "$CPUMNT" ]; then
		CPUB=$(own_v1 cpuset)
		CPUDIR=$(dir_of "$CPUMNT" "$CPUROOT" "$CPUB")
		[ -d "$CPUDIR" ] || CPUDIR=
	fi
elif [ -n "$CG2MNT" ] && [ -z "$MEMMNT" ] && [ -z "$PIDMNT" ]; then
	MODE=v2
	MEMB=$(own_v2)
	PIDB=$MEMB
	MEMDIR=$(dir_of "$CG2MNT" "$CG2ROOT" "$MEMB")
	PIDDIR=$MEMDIR
	CPUDIR=
	CS2=
	grep -qw cpuset "$MEMDIR/cgroup.subtree_control" && CS2=" +cpuset"
	for c in memory pids; do
		grep -qw $c "$MEMDIR/cgroup.subtree_control" ||
			die "$c is not enabled in $MEMDIR/cgroup.subtree_control (run in a group that delegates it)"
	done
else
	die "need v1 memory and pids hierarchies, or cgroup2 with memory and pids"
fi
[ -d "$MEMDIR" ] && [ -d "$PIDDIR" ] || die "cannot find my groups ($MEMDIR, $PIDDIR)"

KREL=$(uname -r)
KSHORT=$(echo "$KREL" | cut -d. -f1,2)
OUT=$OUTROOT/$LABEL-$MODE-$KSHORT
RUNID=$(date +%s)-$$
TNAME=kmsgcap-$$

# --- cleanup: processes, daemons, groups, temp files --------------------------------------
TMP=$(mktemp -d /tmp/capture-kmsg.XXXXXX) || die "mktemp failed"
KIDS=() GROUPS_MADE=() DAEMONS=()
cleanup() {
	local p g i
	for p in "${KIDS[@]}" "${DAEMONS[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	for p in "${KIDS[@]}" "${DAEMONS[@]}"; do
		wait "$p" 2>/dev/null
	done
	for ((i = ${#GROUPS_MADE[@]} - 1; i >= 0; i--)); do
		g=${GROUPS_MADE[i]}
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			rmdir "$g" 2>/dev/null && break
			[ -d "$g" ] || break
			sleep 0.2
		done
		[ -d "$g" ] && echo "capture-kmsg.sh: could not remove $g" >&2
	done
	rm -rf "$TMP"
	[ -n "${HELPER_TMP:-}" ] && rm -f "$HELPER_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# mkg DIR [CONTROLLERS]: create a group; on v2 enable CONTROLLERS for its children
mkg() {
	mkdir "$1" || die "mkdir $1 failed"
	GROUPS_MADE+=("$1")
	if [ $MODE = v2 ] && [ -n "${2:-}" ]; then
		echo "$2" >"$1/cgroup.subtree_control" || die "enabling $2 in $1 failed"
	fi
}
limit_mem() {
	if [ $MODE = v2 ]; then
		echo 32M >"$1/memory.max" || die "memory.max in $1"
		[ -e "$1/memory.swap.max" ] && { echo 0 >"$1/memory.swap.max" || die "memory.swap.max in $1"; }
	else
		echo 0 >"$1/memory.swappiness" 2>/dev/null
		echo 32M >"$1/memory.limit_in_bytes" || die "memory.limit_in_bytes in $1"
		[ -e "$1/memory.memsw.limit_in_bytes" ] &&
			{ echo 32M >"$1/memory.memsw.limit_in_bytes" || die "memory.memsw.limit_in_bytes in $1"; }
	fi
}
limit_pids() { echo 5 >"$1/pids.max" || die "pids.max in $1"; }

# launch OUT MEMDIR PIDSDIR ARGS...: start the helper in those groups ("" = stay),
# and in the v1 cpuset group $CSDIR when that is set
CSDIR=
launch() {
	local out=$1 md=$2 pd=$3
	shift 3
	(
		if [ -n "$CSDIR" ]; then echo $BASHPID >"$CSDIR/cgroup.procs" || exit 97; fi
		if [ -n "$md" ]; then echo $BASHPID >"$md/cgroup.procs" || exit 97; fi
		if [ -n "$pd" ] && [ "$pd" != "$md" ]; then echo $BASHPID >"$pd/cgroup.procs" || exit 97; fi
		exec "$HELPER" "$@"
	) >"$out" 2>&1 &
	LAST=$!
	KIDS+=("$LAST")
}
wait_for() { # wait_for FILE TEXT [TENTHS]
	local n=${3:-300}
	while ! grep -qF -- "$2" "$1" 2>/dev/null; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.1
	done
}
helper_pid() { sed -n 's/^pid=\([0-9]*\) comm=.*/\1/p' "$1" | head -n 1; }
inject() { # a clearly marked userspace line written to /dev/kmsg (facility user)
	printf '%s\n' "$1" >/dev/kmsg
	INJECTED+=("$1")
}
INJECTED=()
tab() { # TAB-joined non-empty arguments
	local IFS=$'\t' f out=()
	for f in "$@"; do [ -n "$f" ] && out+=("$f"); done
	echo "${out[*]}"
}

# --- test groups ------------------------------------------------------------------------------
MEMT=$(join "$MEMB" "$TNAME")
PIDT=$(join "$PIDB" "$TNAME")
MT=$MEMDIR/$TNAME
PT=$PIDDIR/$TNAME
if [ $MODE = v2 ]; then
	mkg "$MT" "+memory +pids${CS2}"
else
	mkg "$MT"
	mkg "$PT"
fi
G_OOM=oom32
G_ODD='grp (a,b) ü'
G_SLICE='user\x2d1000.slice'
G_SCOPE='app\x2dfoo.scope'
G_P1=pids5
G_P2='pids5 (b,ü)'
G_P3=pids5-nest
G_P3L=leaf
G_GLOB='global oom'
# A system-wide OOM kill only where the whole machine is a throwaway (the VM)
# or when asked for explicitly with CAPTURE_GLOBAL_OOM=1.
GLOBAL=
[ -n "${CGTOP_VM_MODE:-}" ] || [ "${CAPTURE_GLOBAL_OOM:-0}" = 1 ] && GLOBAL=1
mkg "$MT/$G_OOM"
limit_mem "$MT/$G_OOM"
[ -n "$GLOBAL" ] && mkg "$MT/$G_GLOB"
mkg "$MT/$G_ODD"
limit_mem "$MT/$G_ODD"
mkg "$MT/$G_SLICE" "+memory${CS2:-}"
limit_mem "$MT/$G_SLICE"
mkg "$MT/$G_SLICE/$G_SCOPE"
# mkcs DIR: a v1 cpuset group with its parent's cpus and mems
mkcs() {
	mkg "$1"
	cat "$1/../cpuset.cpus" >"$1/cpuset.cpus" && cat "$1/../cpuset.mems" >"$1/cpuset.mems" ||
		die "cannot set up cpuset group $1"
}
CT=
if [ -n "$CPUDIR" ]; then
	CT=$CPUDIR/$TNAME
	mkcs "$CT"
	mkcs "$CT/$G_OOM"
	mkcs "$CT/$G_ODD"
	mkcs "$CT/$G_SLICE"
	mkcs "$CT/$G_SLICE/$G_SCOPE"
fi
# cs_field REL: the cpuset= the OOM report will show for a victim in group REL
cs_field() {
	if [ -n "$CT" ] || [ -n "${CS2:-}" ]; then printf 'cpuset=%s' "${1##*/}"; fi
}
cs_dir() { if [ -n "$CT" ]; then echo "$CT/$1"; fi; }
if [ $MODE != v2 ]; then
	mkg "$PT/$G_P1"
	mkg "$PT/$G_P2"
	mkg "$PT/$G_P3"
else
	mkg "$PT/$G_P1"
	mkg "$PT/$G_P2"
	mkg "$PT/$G_P3" "+pids"
fi
mkg "$PT/$G_P3/$G_P3L"
limit_pids "$PT/$G_P1"
limit_pids "$PT/$G_P2"
limit_pids "$PT/$G_P3"

# --- the log readers that must run live: rsyslogd (imklog, imkmsg), systemd-journald -------
marker() { printf '<6>cgtop-capture-kmsg: %s id=%s (injected by tests/tools/capture-kmsg.sh)\n' "$1" "$RUNID" >/dev/kmsg; }
NO_SYSLOG= NO_JOURNAL=
RSYSLOGD=$(command -v rsyslogd || ls /usr/sbin/rsyslogd 2>/dev/null)
if [ -n "$RSYSLOGD" ]; then
	mkdir -p "$TMP/rs-a" "$TMP/rs-b"
	cat >"$TMP/rs-a/conf" <<-EOF
		global(workDirectory="$TMP/rs-a")
		module(load="imklog" PermitNonKernelFacility="on")
		*.* action(type="omfile" file="$TMP/syslog.txt" template="RSYSLOG_TraditionalFileFormat")
		*.* action(type="omfile" file="$TMP/syslog-rfc3339.txt" template="RSYSLOG_FileFormat")
	EOF
	cat >"$TMP/rs-b/conf" <<-EOF
		global(workDirectory="$TMP/rs-b")
		module(load="imkmsg")
		*.* action(type="omfile" file="$TMP/syslog-imkmsg.txt" template="RSYSLOG_TraditionalFileFormat")
	EOF
	"$RSYSLOGD" -n -f "$TMP/rs-a/conf" -i "$TMP/rs-a/pid" >"$TMP/rs-a/out" 2>&1 &
	DAEMONS+=("$!")
	RS_A=$!
	"$RSYSLOGD" -n -f "$TMP/rs-b/conf" -i "$TMP/rs-b/pid" >"$TMP/rs-b/out" 2>&1 &
	DAEMONS+=("$!")
	RS_B=$!
else
	NO_SYSLOG="rsyslogd not installed (apt-get install rsyslog)"
fi
JOURNALD=/lib/systemd/systemd-journald
if [ -x "$JOURNALD" ] && command -v journalctl >/dev/null && command -v unshare >/dev/null &&
	[ -s /etc/machine-id ]; then
	# Private mount namespace: /run and /var/log/journal are bind-mounted
	# from our temp dir, so this journald never meets the system's.
	mkdir -p "$TMP/jrun" "$TMP/jvar"
	unshare --mount --propagation private -- /bin/sh -c '
		mount --bind "$1/jrun" /run || exit 1
		if [ -d /var/log/journal ]; then mount --bind "$1/jvar" /var/log/journal || exit 1; fi
		exec "$2"' sh "$TMP" "$JOURNALD" >"$TMP/journald.out" 2>&1 &
	DAEMONS+=("$!")
	JD=$!
	JDIR=$TMP/jrun/log/journal/$(cat /etc/machine-id)
else
	NO_JOURNAL="systemd-journald, journalctl, unshare or /etc/machine-id missing"
fi
# wait until both readers are live
marker "readers probe"
if [ -z "$NO_SYSLOG" ]; then
	wait_for "$TMP/syslog.txt" "readers probe id=$RUNID" 150 ||
		NO_SYSLOG="rsyslogd+imklog did not log the probe line within 15 s: $(head -c 300 "$TMP/rs-a/out")"
	wait_for "$TMP/syslog-imkmsg.txt" "readers probe id=$RUNID" 150 ||
		NO_IMKMSG="rsyslogd+imkmsg did not log the probe line within 15 s: $(head -c 300 "$TMP/rs-b/out")"
fi
jgrep() { journalctl -D "$JDIR" -k -o cat 2>/dev/null | grep -qF -- "$1"; }
if [ -z "$NO_JOURNAL" ]; then
	n=150
	until jgrep "readers probe id=$RUNID"; do
		n=$((n - 1))
		if [ $n -le 0 ]; then
			NO_JOURNAL="journald did not record the probe line within 15 s: $(head -c 300 "$TMP/journald.out")"
			break
		fi
		sleep 0.1
	done
fi

# `dmesg --follow` as a container runtime logs it: each line stamped with the time it was read,
# as containerd's CRI logger and the kubelet do (Go's time.RFC3339Nano in UTC: trailing zeros of
# the fraction dropped), one file per shape
NO_CRI= JLOCS=
if command -v python3 >/dev/null; then
	python3 -c '
import ctypes, signal, subprocess, sys, time
def stamp():
    ns = time.time_ns()
    s, f = divmod(ns, 10**9)
    frac = ("." + ("%09d" % f).rstrip("0")) if f else ""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(s)) + frac + "Z"
# PR_SET_PDEATHSIG: dmesg ends with us, even when the cleanup SIGKILLs us
d = subprocess.Popen(["dmesg", "--follow"], stdout=subprocess.PIPE,
                     preexec_fn=lambda: ctypes.CDLL(None).prctl(1, signal.SIGKILL))
signal.signal(signal.SIGTERM, lambda *a: (d.kill(), sys.exit(0)))
cri = open(sys.argv[1], "wb", buffering=0)
kub = open(sys.argv[2], "wb", buffering=0)
for line in d.stdout:
    t = stamp().encode()
    cri.write(t + b" stdout F " + line)   # the CRI log file (/var/log/pods/...)
    kub.write(t + b" " + line)            # kubectl logs --timestamps, crictl logs -t
' "$TMP/cri.all" "$TMP/kubectl.all" &
	DAEMONS+=("$!")
	CRI_PID=$!
else
	NO_CRI="python3 missing"
fi

# --- the scenario --------------------------------------------------------------------------
EXP=$TMP/EXPECTED
STEPS=$TMP/steps
: >"$EXP"
: >"$STEPS"
step() { echo "$*" >>"$STEPS"; log "$*"; }
UID0=$(id -u)
# oom_run NAME GROUPDIR GROUPPATH: one process that allocates 64 MiB in a 32M group
oom_run() {
	local name=$1 dir=$2 path=$3 rel=$4 pid rc
	CSDIR=$(cs_dir "$rel")
	launch "$TMP/h.out" "$dir" "" "$name" 64
	CSDIR=
	{ wait "$LAST"; } 2>/dev/null
	rc=$?
	pid=$(helper_pid "$TMP/h.out")
	[ $rc = 137 ] && [ "$pid" = "$LAST" ] || die "OOM victim '$name' was not SIGKILLed (rc $rc, output: $(cat "$TMP/h.out"))"
	step "OOM: pid $pid comm '$name' allocated 64 MiB in $path (memory limit 32M, no swap) and was OOM-killed (exit by SIGKILL)"
	tab oom_invoked "pid=$pid" "task=$name" "cgroup=$path" >>"$EXP"
	tab oom_kill "pid=$pid" "task=$name" "uid=$UID0" "cgroup=$path" "task_cgroup=$path" "limit=33554432" "$(cs_field "$rel")" >>"$EXP"
}
pids_run() { # pids_run NAME N GROUPDIR GROUPPATH LIMITPATH FIRST
	local name=$1 n=$2 dir=$3 path=$4 lpath=$5 first=$6 pid res
	if [ $MODE = v2 ]; then launch "$TMP/h.out" "$dir" "$dir" "$name" fork "$n"; else launch "$TMP/h.out" "" "$dir" "$name" fork "$n"; fi
	{ wait "$LAST"; } 2>/dev/null || die "forker '$name' failed: $(cat "$TMP/h.out")"
	pid=$(helper_pid "$TMP/h.out")
	res=$(sed -n 's/^\(forked=.*\)/\1/p' "$TMP/h.out")
	case $res in *" failed=0 "*) die "forker '$name' saw no rejection: $res" ;; esac
	step "PIDS: pid $pid comm '$name' in $path (pids.max=5 on $lpath) tried $n forks: $res"
	if [ "$first" = first ]; then
		tab pids_fork_rejected "cgroup=" "task_cgroup=$PRINTED" "limit_cgroup=$lpath" "forker_pid=$pid" "forker=$name" >>"$EXP"
	else
		echo "# counter only (the kernel prints the pids line once per group): $(tab pids_fork_rejected "cgroup=$lpath" "forker_pid=$pid" "forker=$name" "$res")" >>"$EXP"
	fi
}

marker "scenario begin"
T_BEGIN=$(date -u +%FT%T.%NZ)
sleep 0.2
inject "<6>myprog: pid=1234 task=foo oom-kill-ish text"
launch "$TMP/h.out" "" "" "segv (x,y)" segv
{ wait "$LAST"; } 2>/dev/null
rc=$?
step "DISTRACTOR: pid $(helper_pid "$TMP/h.out") comm 'segv (x,y)' dereferenced NULL (a real kernel 'segfault at 0' line; exit status $rc)"

oom_run "a b,c(d)" "$MT/$G_OOM" "$MEMT/$G_OOM" "$G_OOM"
sleep 0.5
inject "<5>audit: type=1300 audit(1764397000.000:42): arch=c000003e syscall=59 success=yes exit=0 pid=4242 uid=0 comm=\"oom_reaper\" key=(null)"
oom_run "x)y (z" "$MT/$G_OOM" "$MEMT/$G_OOM" "$G_OOM"
sleep 0.5
oom_run "héllo,wörld" "$MT/$G_ODD" "$MEMT/$G_ODD" "$G_ODD"
sleep 0.5

# a holder (the victim) and a smaller allocator (the invoker) in one unit-named group
SL=$MT/$G_SLICE
SLP=$MEMT/$G_SLICE
CSDIR=$(cs_dir "$G_SLICE/$G_SCOPE")
launch "$TMP/hold.out" "$SL/$G_SCOPE" "" 'user\x2d1000' hold 24
HOLD=$LAST
wait_for "$TMP/hold.out" ready || die "holder not ready: $(cat "$TMP/hold.out")"
launch "$TMP/inv.out" "$SL/$G_SCOPE" "" "small,invoker" 16
CSDIR=
INV=$LAST
{ wait "$INV"; } 2>/dev/null
rc=$?
[ $rc = 0 ] && grep -q '^done' "$TMP/inv.out" || die "invoker failed (rc $rc: $(cat "$TMP/inv.out"))"
{ wait "$HOLD"; } 2>/dev/null
rc=$?
[ $rc = 137 ] || die "holder not killed (rc $rc)"
step "OOM: pid $HOLD comm 'user\\x2d1000' (literal backslash) held 24 MiB in $SLP/$G_SCOPE; pid $INV comm 'small,invoker' then allocated 16 MiB there and invoked the OOM killer (limit 32M, no swap, on $SLP); the holder was killed, the invoker finished"
tab oom_invoked "pid=$INV" "task=small,invoker" "cgroup=$SLP" >>"$EXP"
tab oom_kill "pid=$HOLD" 'task=user\x2d1000' "uid=$UID0" "cgroup=$SLP" "task_cgroup=$SLP/$G_SCOPE" "limit=33554432" "$(cs_field "$G_SCOPE")" >>"$EXP"
sleep 0.5

if [ -n "$GLOBAL" ]; then
	# no memory limit anywhere: more than the machine's RAM (no swap here)
	MIB=$(awk '/^MemTotal:/ { print int($2 / 1024) + 512 }' /proc/meminfo)
	launch "$TMP/h.out" "$MT/$G_GLOB" "" "glob,al (ü)" "$MIB"
	{ wait "$LAST"; } 2>/dev/null
	rc=$?
	pid=$(helper_pid "$TMP/h.out")
	[ $rc = 137 ] && [ "$pid" = "$LAST" ] || die "global OOM victim was not SIGKILLed (rc $rc: $(cat "$TMP/h.out"))"
	step "GLOBAL OOM: pid $pid comm 'glob,al (ü)' allocated $MIB MiB (more than MemTotal, no swap) in $MEMT/$G_GLOB (no memory limit) and was killed by the system-wide OOM killer"
	tab oom_invoked "pid=$pid" "task=glob,al (ü)" >>"$EXP"
	tab global_oom "pid=$pid" "task=glob,al (ü)" "uid=$UID0" "task_cgroup=$MEMT/$G_GLOB" >>"$EXP"
	sleep 0.5
fi
PRINTED=$PIDT/$G_P1
pids_run "fork,bomb (1)" 10 "$PT/$G_P1" "$PIDT/$G_P1" "$PIDT/$G_P1" first
pids_run "fork,bomb (1)" 10 "$PT/$G_P1" "$PIDT/$G_P1" "$PIDT/$G_P1" again
PRINTED=$PIDT/$G_P2
pids_run "forkü b" 8 "$PT/$G_P2" "$PIDT/$G_P2" "$PIDT/$G_P2" first
# nested: the limit is on the parent, the forker in a child; the kernel decides
# which of the two it names (checked against the log below)
PRINTED=@NESTED@
pids_run "nested fork" 10 "$PT/$G_P3/$G_P3L" "$PIDT/$G_P3/$G_P3L" "$PIDT/$G_P3" first
inject "<6>myprog: Killed processes: none (pid=77, task=bar) - not an OOM line"
sleep 1 # let the oom_reaper lines in
marker "scenario end"
T_END=$(date -u +%FT%T.%NZ)

# --- cut the window out of every rendering -----------------------------------------------
mkdir -p "$OUT" || die "cannot create $OUT"
rm -f "$OUT"/*
B="scenario begin id=$RUNID"
E="scenario end id=$RUNID"
# cut_text: lines from the begin marker's line through the end marker's line
cut_text() { awk -v b="$B" -v e="$E" '!on && index($0, b) { on = 1 } on { print } on && index($0, e) { exit }'; }
# cut_raw: /dev/kmsg records (a record line and its " KEY=value" dictionary lines)
cut_raw() { awk -v b="$B" -v e="$E" '/^[^ ]/ { if (stop) exit; if (!on && index($0, b)) on = 1; if (on && index($0, e)) stop = 1 } on { print }'; }
# cut_blocks ENDRE: entries of several lines, each ending with a line matching ENDRE, from the
# begin marker's entry through the end marker's
cut_blocks() {
	awk -v b="$B" -v e="$E" -v endre="$1" '
		{ blk = blk $0 "\n" }
		$0 ~ endre { if (!on && index(blk, b)) on = 1; if (on) printf "%s", blk; if (on && index(blk, e)) exit; blk = "" }'
}
# one read() per record, exact bytes, from the oldest record still in the ring
dd if=/dev/kmsg of="$TMP/kmsg.all" iflag=nonblock bs=65536 status=none 2>/dev/null
LC_ALL=C cut_raw <"$TMP/kmsg.all" >"$OUT/kmsg.raw"
[ -s "$OUT/kmsg.raw" ] || die "the scenario window is not in /dev/kmsg"
dmesg >"$TMP/d" && cut_text <"$TMP/d" >"$OUT/dmesg.txt"
dmesg -T >"$TMP/d" && cut_text <"$TMP/d" >"$OUT/dmesg-T.txt"
dmesg -x >"$TMP/d" && cut_text <"$TMP/d" >"$OUT/dmesg-x.txt"
dmesg -r >"$TMP/d" && cut_text <"$TMP/d" >"$OUT/dmesg-r.txt"
dmesg --notime >"$TMP/d" && cut_text <"$TMP/d" >"$OUT/dmesg-notime.txt"

if [ -z "$NO_SYSLOG" ]; then
	wait_for "$TMP/syslog.txt" "$E" 100 || NO_SYSLOG="imklog did not deliver the end marker"
	[ -z "${NO_IMKMSG:-}" ] && { wait_for "$TMP/syslog-imkmsg.txt" "$E" 100 || NO_IMKMSG="imkmsg did not deliver the end marker"; }
	sleep 0.3
	kill -TERM "$RS_A" "$RS_B" 2>/dev/null
	wait "$RS_A" "$RS_B" 2>/dev/null
	if [ -z "$NO_SYSLOG" ]; then
		cut_text <"$TMP/syslog.txt" >"$OUT/syslog.txt"
		cut_text <"$TMP/syslog-rfc3339.txt" >"$OUT/syslog-rfc3339.txt"
	fi
	[ -z "${NO_IMKMSG:-}" ] && cut_text <"$TMP/syslog-imkmsg.txt" >"$OUT/syslog-imkmsg.txt"
fi
if [ -z "$NO_JOURNAL" ]; then
	n=100
	until jgrep "$E"; do
		n=$((n - 1))
		[ $n -gt 0 ] || { NO_JOURNAL="journald did not record the end marker"; break; }
		sleep 0.1
	done
	kill -TERM "$JD" 2>/dev/null
	wait "$JD" 2>/dev/null
	if [ -z "$NO_JOURNAL" ]; then
		journalctl -D "$JDIR" -k -o short | cut_text >"$OUT/journal-short.txt"
		journalctl -D "$JDIR" -k -o short-monotonic | cut_text >"$OUT/journal-monotonic.txt"
		journalctl -D "$JDIR" -k -o short-iso | cut_text >"$OUT/journal-iso.txt"
		journalctl -D "$JDIR" -k -o short-precise | cut_text >"$OUT/journal-precise.txt"
		journalctl -D "$JDIR" -k -o short-full | cut_text >"$OUT/journal-full.txt"
		journalctl -D "$JDIR" -k -o short-unix | cut_text >"$OUT/journal-unix.txt"
		journalctl -D "$JDIR" -k -o cat | cut_text >"$OUT/journal-cat.txt"
		journalctl -D "$JDIR" -k -o with-unit | cut_text >"$OUT/journal-with-unit.txt"
		# one JSON object a line: cut as text (the markers are in MESSAGE); the JSON and
		# export renderings are not named .txt: a paste that wraps or indents them is
		# not undone (the paste tests take every .txt)
		journalctl -D "$JDIR" -k -o json | cut_text >"$OUT/journal.json"
		# an entry is a block: "KEY=value" lines and a blank line (export); "{", a line a
		# field, "}" (json-pretty)
		journalctl -D "$JDIR" -k -o export | cut_blocks '^$' >"$OUT/journal.export"
		journalctl -D "$JDIR" -k -o json-pretty | cut_blocks '^}$' >"$OUT/journal.json-pretty"
		for loc in ${JOURNAL_LOCALES-de_DE.UTF-8 fr_FR.UTF-8}; do
			# only a locale that is there: glibc falls back to C (English) silently
			[ "$(LC_ALL=$loc locale charmap 2>/dev/null)" = UTF-8 ] &&
				locale -a | grep -qix "$(echo "$loc" | sed 's/UTF-8/utf8/')" || continue
			l=${loc%%.*}
			LC_ALL=$loc journalctl -D "$JDIR" -k -o short | cut_text >"$OUT/journal-short.$l.txt"
			LC_ALL=$loc journalctl -D "$JDIR" -k -o short-precise | cut_text >"$OUT/journal-precise.$l.txt"
			JLOCS="$JLOCS $loc"
		done
	fi
fi
if [ -z "$NO_CRI" ]; then
	wait_for "$TMP/kubectl.all" "$E" 100 || NO_CRI="dmesg --follow did not deliver the end marker"
	kill -TERM "$CRI_PID" 2>/dev/null
	wait "$CRI_PID" 2>/dev/null
	if [ -z "$NO_CRI" ]; then
		cut_text <"$TMP/cri.all" >"$OUT/cri.txt"
		cut_text <"$TMP/kubectl.all" >"$OUT/kubectl-timestamps.txt"
	fi
fi

# the nested pids case: which group did the kernel name?
NEST=$PIDT/$G_P3
if grep -qF "fork rejected by pids controller in $PIDT/$G_P3/$G_P3L" "$OUT/dmesg.txt"; then
	NEST=$PIDT/$G_P3/$G_P3L
fi
NEST_ESC=$(printf '%s' "$NEST" | sed 's/[\\&|]/\\&/g')
sed -i "s|task_cgroup=@NESTED@|task_cgroup=$NEST_ESC|" "$EXP"

# records that are not ours (other programs on this machine log concurrently)
FOREIGN=$(grep -a -E 'invoked oom-killer|oom-kill:|Killed process|Kill process|oom_reaper:|fork rejected by pids|Out of memory' \
	"$OUT/dmesg.txt" | grep -avF -e "$TNAME" -e 'a b,c(d)' -e 'x)y (z' -e 'héllo,wörld' -e 'small,invoker' \
	-e 'user\x2d1000' -e 'glob,al (ü)' -e 'myprog:' | head -n 20)

# --- EXPECTED and SOURCE ------------------------------------------------------------------------
{
	echo "# Events a parser must find in every rendering of this directory, in log order;"
	echo "# one per line, TAB-separated: kind, then key=value (values literal: UTF-8 as is,"
	echo "# a backslash is a backslash).  Lines starting with # are not events.  pids"
	echo "# are the helper's own (getpid() printed before it acted), not parsed from the log."
	echo "# uid=0; limit= is the memory limit in bytes of the group named by cgroup=;
# cpuset= is the name (last component) of the victim's cpuset group as the report shows it.
# pids_fork_rejected: the kernel's line names the forking group (task_cgroup); the group whose
# pids.max was reached (limit_cgroup) is not in the log, so a parser reports no cgroup (cgroup=)."
	cat "$EXP"
} >"$OUT/EXPECTED"

{
	echo "Real kernel log capture for cgtop's OOM/pids event parser tests."
	echo "Made by tests/tools/capture-kmsg.sh (run as root by hand) on $(hostname), $T_BEGIN .. $T_END"
	echo "Command: $ARGS"
	echo "Kernel: $(uname -srvm)"
	echo "cgroup mode: $MODE (memory hierarchy: ${MEMMNT:-$CG2MNT}, pids hierarchy: ${PIDMNT:-$CG2MNT})"
	echo "Own groups of the script: memory $MEMB, pids $PIDB; test groups below them named $TNAME"
	echo "Window: from the record 'cgtop-capture-kmsg: $B ...' to 'cgtop-capture-kmsg: $E ...'"
	echo "(both written to /dev/kmsg by the script, facility user, level info)."
	echo
	echo "Groups (kernel paths):"
	echo "  $MEMT/$G_OOM: memory limit 32M, swap off"
	echo "  $MEMT/$G_ODD: memory limit 32M, swap off (name with space, parentheses, comma, UTF-8)"
	echo "  $SLP: memory limit 32M, swap off (literal backslash: an escaped systemd unit name)"
	echo "  $SLP/$G_SCOPE: no limit of its own; the holder and the invoker ran here"
	echo "  $PIDT/$G_P1, $PIDT/$G_P2: pids.max=5"
	echo "  $PIDT/$G_P3: pids.max=5; the forker ran in $PIDT/$G_P3/$G_P3L (no limit of its own)"
	[ -n "$CT" ] && echo "  v1 cpuset: the OOM helpers ran in cpuset groups $CPUB/$TNAME/<same names as their memory groups>"
	[ -n "${CS2:-}" ] && echo "  cpuset enabled down to the leaves, so cpuset= in the OOM report is the victim's own group name"
	[ $MODE = v2 ] && echo "  memory.swap.max=0 on the memory groups" ||
		echo "  v1: memory.swappiness=0, memory.memsw.limit_in_bytes=32M where the file exists ($( [ -e "$MT/$G_OOM/memory.memsw.limit_in_bytes" ] && echo present || echo absent))"
	echo
	echo "What happened, in order:"
	sed 's/^/  /' "$STEPS"
	echo
	echo "Nested pids group: the kernel named $NEST in its 'fork rejected' line."
	echo
	echo "Lines injected by the script with a write to /dev/kmsg (userspace, facility user; not kernel"
	echo "messages; a parser must produce nothing for them):"
	for l in "${INJECTED[@]}"; do echo "  $l"; done
	echo "  plus the three marker lines 'cgtop-capture-kmsg: readers probe|scenario begin|scenario end id=$RUNID ...'"
	echo "Real but unrelated kernel lines: the 'segv (x,y)[PID]: segfault at 0 ...' line and its 'Code:' line."
	echo "Other distractors in every OOM report: 'Call Trace', registers, 'Mem-Info'/memory.stat dumps,"
	echo "the 'Tasks state (memory values in pages)' table."
	if [ -n "$FOREIGN" ]; then
		echo
		echo "WARNING: records from other programs on this machine fell into the window:"
		echo "$FOREIGN" | sed 's/^/  /'
	fi
	echo
	echo "Files:"
	echo "  kmsg.raw            the records as read from /dev/kmsg (one read() each, exact bytes, dictionary"
	echo "                      lines start with a space), from the begin marker to the end marker"
	echo "  dmesg.txt           dmesg ($(dmesg --version))"
	echo "  dmesg-T.txt         dmesg -T        (TZ=${TZ:-$(date +%Z)})"
	echo "  dmesg-x.txt         dmesg -x"
	echo "  dmesg-r.txt         dmesg -r"
	echo "  dmesg-notime.txt    dmesg --notime"
	if [ -z "$NO_SYSLOG" ]; then
		echo "  syslog.txt          rsyslogd $("$RSYSLOGD" -v | head -n 1 | awk '{print $2}' | tr -d ,) with imklog (reads /proc/kmsg; keeps the kernel's [ts]),"
		echo "                      template RSYSLOG_TraditionalFileFormat ('Mon DD HH:MM:SS host kernel: [ts] msg')"
		echo "  syslog-rfc3339.txt  the same imklog input, template RSYSLOG_FileFormat (RFC 3339 time)"
	else
		echo "  (no syslog*.txt: $NO_SYSLOG)"
	fi
	if [ -z "$NO_SYSLOG" ] && [ -z "${NO_IMKMSG:-}" ]; then
		echo "  syslog-imkmsg.txt   rsyslogd with imkmsg (reads /dev/kmsg; no [ts]), RSYSLOG_TraditionalFileFormat;"
		echo "                      imkmsg keeps /dev/kmsg's \\xNN escapes: UTF-8 and '\\' appear escaped, and a"
		echo "                      multi-line record (v2 memory.stat) stays one line with \\x0a"
	elif [ -n "${NO_IMKMSG:-}" ]; then
		echo "  (no syslog-imkmsg.txt: $NO_IMKMSG)"
	fi
	if [ -z "$NO_JOURNAL" ]; then
		echo "  journal-short.txt   journalctl -k -o short            (systemd $(journalctl --version | head -n 1 | awk '{print $2}'); journald"
		echo "  journal-monotonic.txt  journalctl -k -o short-monotonic   ran live, in a private mount namespace)"
		echo "  journal-iso.txt     journalctl -k -o short-iso"
		echo "  journal-precise.txt journalctl -k -o short-precise"
		echo "  journal-full.txt    journalctl -k -o short-full"
		echo "  journal-unix.txt    journalctl -k -o short-unix"
		echo "  journal-cat.txt     journalctl -k -o cat"
		echo "  journal-with-unit.txt  journalctl -k -o with-unit"
		echo "  journal.json        journalctl -k -o json (one object a line)"
		echo "  journal.export      journalctl -k -o export (the entries from the begin marker's to the end marker's)"
		echo "  journal.json-pretty journalctl -k -o json-pretty (likewise)"
		for loc in $JLOCS; do
			l=${loc%%.*}
			echo "  journal-short.$l.txt, journal-precise.$l.txt:"
			echo "                      LC_ALL=$loc journalctl -k -o short, short-precise"
			echo "                      (the month names of that locale: $(LC_ALL=$loc date -d "$T_BEGIN" '+%b'))"
		done
		[ -n "$JLOCS" ] && echo "                      (-o short-full prints the same English weekday in every locale: not repeated)"
	else
		echo "  (no journal*.txt: $NO_JOURNAL)"
	fi
	if [ -z "$NO_CRI" ]; then
		echo "  cri.txt             dmesg --follow ($(dmesg --version)) started before the begin marker, each"
		echo "                      line stamped with the time python3 read it from the pipe, as containerd's"
		echo "                      CRI logger writes a container's output to /var/log/pods/.../0.log:"
		echo "                      'TIME stdout F line', TIME in Go's time.RFC3339Nano, UTC (trailing zeros"
		echo "                      of the fraction dropped; F: a whole line, shorter than 16 KiB); there is no"
		echo "                      cluster here, so the runtime's stamping was done by this script"
		echo "  kubectl-timestamps.txt  the same lines as kubectl logs --timestamps and crictl logs"
		echo "                      --timestamps print that file: 'TIME line'"
	else
		echo "  (no cri.txt, kubectl-timestamps.txt: $NO_CRI)"
	fi
	echo "  EXPECTED            the events, see its header"
} >"$OUT/SOURCE"
log "wrote $OUT"
ls -l "$OUT"
[ -n "$FOREIGN" ] && echo "capture-kmsg.sh: WARNING: foreign records in the window (see $OUT/SOURCE)" >&2
exit 0
