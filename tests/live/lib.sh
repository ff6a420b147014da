# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh - shared shell functions of the live tests (sourced by bash scripts):
# TAP output with counters, discovery of every cgroup hierarchy (mount point,
# controllers, the test's own group) from /proc/self/mountinfo and
# /proc/self/cgroup, creation of test groups nested under the own group, moving
# the test's own child processes into them, and a cleanup trap that kills what
# the test started (by pid) and removes the groups it made, bottom-up.
#
# Rules kept here: a process is only ever moved into a group this script made;
# only files of groups this script made are written (cgroup.subtree_control of
# the v2 root only when the own group is that root, i.e. inside a test VM).

# ---- TAP ------------------------------------------------------------------

T_N=0
T_FAIL=0

diag()
{
	local arg line

	for arg in "$@"; do
		while IFS= read -r line; do
			printf '# %s\n' "$line"
		done <<<"$arg"
	done
}

pass()
{
	T_N=$((T_N + 1))
	printf 'ok %d - %s\n' "$T_N" "$1"
}

fail()
{
	T_N=$((T_N + 1))
	T_FAIL=$((T_FAIL + 1))
	printf 'not ok %d - %s\n' "$T_N" "$1"
	shift
	[ $# -gt 0 ] && diag "$@"
	return 0
}

# ok DESC CMD [ARG...]: passes when the command succeeds.
ok()
{
	local desc=$1

	shift
	if "$@" >/dev/null; then
		pass "$desc"
	else
		fail "$desc" "command failed: $*"
	fi
}

# is GOT WANT DESC: exact string comparison.
is()
{
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3" "got:      '$1'" "expected: '$2'"
	fi
}

# skip DESC WHY: one test that cannot run here.
skip()
{
	T_N=$((T_N + 1))
	printf 'ok %d - %s # SKIP %s\n' "$T_N" "$1" "$2"
}

# skip_all WHY: the whole script cannot run here (before any test output).
skip_all()
{
	printf '1..0 # SKIP %s\n' "$1"
	exit 77
}

bail_out()
{
	printf 'Bail out! %s\n' "$1"
	exit 99
}

done_testing()
{
	printf '1..%d\n' "$T_N"
	[ "$T_FAIL" -eq 0 ] && exit 0
	diag "$T_FAIL of $T_N tests failed"
	exit 1
}

# ---- small helpers ----------------------------------------------------------

# is_uint VALUE: a non-negative decimal integer.
is_uint()
{
	[[ $1 =~ ^[0-9]+$ ]]
}

# nap SECONDS: sleeps without starting a process (read -t on a FIFO nobody
# writes to, in CG_TMP once cg_init made it; sleep(1) before that).  A fork
# and exec costs a tenth of a second or more in a TCG guest (tests/vm), where
# the polling loops of the tests would otherwise take much of the one CPU
# from the program they wait for.
nap()
{
	if [ -n "${CG_TMP:-}" ] && { [ -p "$CG_TMP/nap" ] || mkfifo -m 600 "$CG_TMP/nap" 2>/dev/null; }; then
		read -r -t "$1" <>"$CG_TMP/nap"
	else
		sleep "$1"
	fi
	return 0
}

# now_ms: sets NOW_MS to the wall clock in milliseconds, without a process.
now_ms()
{
	local t=${EPOCHREALTIME//[!0-9]/}

	NOW_MS=$((10#$t / 1000))
}

# wait_for_line FILE TEXT [SECONDS]: waits until FILE has a line TEXT.
wait_for_line()
{
	local file=$1 text=$2 tenths=$((${3:-10} * 10))

	while [ "$tenths" -gt 0 ]; do
		grep -qx -- "$text" "$file" 2>/dev/null && return 0
		nap 0.1
		tenths=$((tenths - 1))
	done
	return 1
}

# need_helper VAR NAME: sets VAR to the path of the built test helper
# tests/helpers/NAME (found in $top_builddir), or bails out.
need_helper()
{
	local p=${top_builddir:-.}/tests/helpers/$2

	[ -x "$p" ] || bail_out "test helper $p is not built (make check builds it)"
	printf -v "$1" '%s' "$p"
}

# in_vm: true inside the qemu test VM (tests/vm) rather than on a real host.
in_vm()
{
	[ -n "${CGTOP_VM_MODE:-}" ] && return 0
	grep -qE '(^| )(v2lab|cgtop)\.mode=' /proc/cmdline 2>/dev/null
}

# json_group FILE SUFFIX [KEYS]: the KEYS (default name,kind,container_id) of
# each named group (batch JSON) or event (--events JSON, its group_name) whose
# path ends in SUFFIX; the JSON read strictly (no key twice in an object).
json_group()
{
	python3 - "$1" "$2" "${3:-name,kind,container_id}" <<'EOF'
import json, sys
def strict(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key in %s" % keys)
    return dict(pairs)
for line in open(sys.argv[1]):
    d = json.loads(line, object_pairs_hook=strict)
    for g in d.get("cgroups", [d]):
        p = g.get("path") or g.get("task_cgroup") or ""
        if p.endswith(sys.argv[2]):
            gn = g.get("group_name", g)
            if gn.get("name"):
                print(*[gn.get(k) for k in sys.argv[3].split(",")])
EOF
}

# json_complete FILE: the complete lines of FILE (a sample being written by a
# batch cgtop is left out)
json_complete()
{
	local n

	n=$(wc -l <"$1" 2>/dev/null) || n=0
	head -n "$n" "$1"
}

# json_after FILE T PATH FIELD [FROM]: FIELD of group PATH in the first sample
# of FILE (batch JSON) taken after time T (JSON text: a number, null, or
# "gone" when the group is not in that sample); waits up to $WAIT (default 30)
# seconds for that sample, else prints nothing and fails.  FROM: the lines
# FILE had before T (those are not read again: a sample of the whole tree of
# a host with many groups is large)
json_after()
{
	local file=$1 t=$2 end v

	end=$(($(date +%s) + ${WAIT:-30}))
	while :; do
		v=$(json_complete "$file" | tail -n +$((${5:-0} + 1)) | jq -r --argjson t "$t" --arg p "$3" --arg f "$4" '
			select(.time > $t) |
			([.cgroups[] | select(.path == $p)] | if length == 0 then "gone"
			 else .[0][$f] | tojson end)' 2>/dev/null | head -n 1)
		[ -n "$v" ] && { echo "$v"; return 0; }
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.05
	done
}

# ---- discovery ----------------------------------------------------------------
#
# After cg_discover, for i in 0 .. CG_NH-1:
#   CG_TYPE[i]  v1 or v2
#   CG_MNT[i]   mount point
#   CG_ROOT[i]  the hierarchy path mounted there ("/" normally)
#   CG_CTRL[i]  v1: the mount's controllers and name=, sorted, comma separated
#               ("cpu,cpuacct", "name=systemd"); v2: the controllers this
#               script can enable below its own group
#   CG_OWN[i]   the test process's own group in it, as the kernel names it
# CG_MODE is v1, v2 or hybrid (v1 controllers and a cgroup2 mount).

CG_NH=0
CG_TYPE=()
CG_MNT=()
CG_ROOT=()
CG_CTRL=()
CG_OWN=()
CG_MODE=
CG_PIDS=()
CG_CREATED=()
CG_SHARED=()
CG_TMP=
CG_BASE=
CG_TEST=

_cg_unescape()
{
	# mountinfo escapes space, tab, newline and backslash as \ooo
	printf '%b' "${1//\\/\\0}"
}

_cg_sort_list()
{
	tr ',' '\n' <<<"$1" | sed '/^$/d' | LC_ALL=C sort -u | paste -sd, -
}

cg_discover()
{
	local known line fields mnt root rest fstype super opt ctrl key own i
	local -A seen=() owns=()

	CG_NH=0
	CG_TYPE=() CG_MNT=() CG_ROOT=() CG_CTRL=() CG_OWN=()
	known=" $(awk '!/^#/ { printf "%s ", $1 }' /proc/cgroups 2>/dev/null) "

	# own groups: "ID:CONTROLLERS:PATH" (PATH may contain ':')
	while IFS= read -r line; do
		rest=${line#*:}
		ctrl=${rest%%:*}
		own=${rest#*:}
		if [ -z "$ctrl" ]; then
			owns[v2]=$own
		else
			owns[$(_cg_sort_list "$ctrl")]=$own
		fi
	done <"/proc/$$/cgroup"

	while IFS= read -r line; do
		read -r -a fields <<<"${line%% - *}"
		rest=${line#* - }
		fstype=${rest%% *}
		[ "$fstype" = cgroup ] || [ "$fstype" = cgroup2 ] || continue
		root=$(_cg_unescape "${fields[3]}")
		mnt=$(_cg_unescape "${fields[4]}")
		super=${rest##* }
		if [ "$fstype" = cgroup2 ]; then
			key=v2
		else
			ctrl=
			for opt in ${super//,/ }; do
				case $opt in
				name=*) ctrl+=",$opt" ;;
				*) [[ $known == *" $opt "* ]] && ctrl+=",$opt" ;;
				esac
			done
			key=$(_cg_sort_list "$ctrl")
			[ -n "$key" ] || continue
		fi
		[ -n "${seen[$key]:-}" ] && continue
		[ -n "${owns[$key]+set}" ] || continue
		[ -d "$mnt" ] || continue
		seen[$key]=1
		i=$CG_NH
		CG_TYPE[i]=v1
		[ "$key" = v2 ] && CG_TYPE[i]=v2
		CG_MNT[i]=$mnt
		CG_ROOT[i]=$root
		CG_OWN[i]=${owns[$key]}
		CG_CTRL[i]=$key
		if [ "$key" = v2 ]; then
			CG_CTRL[i]=$(_cg_v2_available "$i")
		fi
		CG_NH=$((CG_NH + 1))
	done </proc/self/mountinfo

	local v1=0 v2=0
	for ((i = 0; i < CG_NH; i++)); do
		if [ "${CG_TYPE[i]}" = v2 ]; then
			v2=1
		elif [[ ${CG_CTRL[i]} != name=* ]]; then
			v1=1
		fi
	done
	if [ $v1 = 1 ] && [ $v2 = 1 ]; then
		CG_MODE=hybrid
	elif [ $v1 = 1 ]; then
		CG_MODE=v1
	elif [ $v2 = 1 ]; then
		CG_MODE=v2
	else
		CG_MODE=
	fi
	[ "$CG_NH" -gt 0 ]
}

# _cg_dirv I PATH: sets CG_DIR to the directory of group PATH (kernel name)
# in hierarchy I (no subshell: forks are slow in an emulated test VM).
_cg_dirv()
{
	local p=$2 root=${CG_ROOT[$1]}

	if [ "$root" != / ] && [[ $p == "$root" || $p == "$root"/* ]]; then
		p=${p#"$root"}
	fi
	[ "$p" = / ] && p=
	CG_DIR=${CG_MNT[$1]}$p
}

# cg_dir I PATH: prints the directory of group PATH in hierarchy I.
cg_dir()
{
	_cg_dirv "$1" "$2"
	printf '%s\n' "$CG_DIR"
}

# The v2 controllers usable below the own group: all of the root's when the
# own group is the root (a test VM), else those already enabled by the owner.
_cg_v2_available()
{
	local i=$1 dir

	_cg_dirv "$i" "${CG_OWN[i]}"
	dir=$CG_DIR
	if [ "${CG_OWN[i]}" = / ]; then
		tr ' ' ',' <"$dir/cgroup.controllers" 2>/dev/null
	else
		tr ' ' ',' <"$dir/cgroup.subtree_control" 2>/dev/null
	fi
}

# cg_has I CTRL: hierarchy I has controller CTRL (v2: can enable it below us).
cg_has()
{
	[[ ,${CG_CTRL[$1]}, == *",$2,"* ]]
}

# cg_hier_of CTRL: index of the hierarchy with controller CTRL, or fails.
cg_hier_of()
{
	local i

	for ((i = 0; i < CG_NH; i++)); do
		cg_has "$i" "$1" && { printf '%s\n' "$i"; return 0; }
	done
	return 1
}

# cg_is_ours DIR: DIR is a group this script created.
cg_is_ours()
{
	local d

	for d in "${CG_CREATED[@]}"; do
		[ "$d" = "$1" ] && return 0
	done
	return 1
}

# ---- groups -------------------------------------------------------------------

# cg_create PATH CTRL...: creates group PATH (kernel name, below CG_BASE's
# owner) in every hierarchy that has one of the controllers (all: in every
# hierarchy, also those without controllers below us), with the missing
# parents.  On v2 the wanted controllers are enabled in the parents' subtree
# control of groups made here (and of the root when it is the own group).
cg_create()
{
	local path=$1 i c own rel comp cur dir parent made=0 want
	local -a comps

	shift
	for ((i = 0; i < CG_NH; i++)); do
		want=
		for c in "$@"; do
			if [ "$c" = all ] || cg_has "$i" "$c"; then
				want+=" $c"
			fi
		done
		[ -n "$want" ] || continue
		own=${CG_OWN[i]}
		if [ "$own" = / ]; then
			rel=${path#/}
		elif [[ $path == "$own"/* ]]; then
			rel=${path#"$own"/}
		else
			diag "cg_create: $path is not below own group $own in ${CG_MNT[i]}"
			return 1
		fi
		cur=$own
		IFS=/ read -r -a comps <<<"$rel"
		for comp in "${comps[@]}"; do
			[ -n "$comp" ] || continue
			_cg_dirv "$i" "$cur"
			parent=$CG_DIR
			cur=${cur%/}/$comp
			_cg_dirv "$i" "$cur"
			dir=$CG_DIR
			if [ "${CG_TYPE[i]}" = v2 ]; then
				_cg_v2_enable "$i" "$parent" "$want" || return 1
			fi
			if [[ $CG_TEST == "$cur"/* ]]; then
				# a parent of the test group, which others may share
				_cg_share "$dir" || return 1
				continue
			fi
			[ -d "$dir" ] && continue
			mkdir "$dir" || return 1
			CG_CREATED+=("$dir")
			if [ "${CG_TYPE[i]}" = v1 ] && [ -f "$dir/cpuset.cpus" ]; then
				cat "$parent/cpuset.cpus" >"$dir/cpuset.cpus" &&
					cat "$parent/cpuset.mems" >"$dir/cpuset.mems" || return 1
			fi
		done
		made=1
	done
	[ $made = 1 ]
}

# _cg_v2_enable I PARENT_DIR "CTRL...": enable the controllers the parent
# offers in its subtree control, only in a group made here or the root when it
# is the own group.
_cg_v2_enable()
{
	local i=$1 parent=$2 c ctl

	if ! cg_is_ours "$parent"; then
		[ "$parent" = "${CG_MNT[i]}" ] && [ "${CG_OWN[i]}" = / ] || return 0
	fi
	for c in $3; do
		ctl=" $(cat "$parent/cgroup.controllers") "
		[[ $ctl == *" $c "* ]] || continue
		grep -qw -- "$c" "$parent/cgroup.subtree_control" && continue
		echo "+$c" >"$parent/cgroup.subtree_control" || {
			diag "cannot enable $c in $parent/cgroup.subtree_control"
			return 1
		}
	done
	return 0
}

# _cg_dirsv PATH: sets the array CG_DIRS to the directories of PATH in every
# hierarchy where it exists.
_cg_dirsv()
{
	local i

	CG_DIRS=()
	for ((i = 0; i < CG_NH; i++)); do
		_cg_dirv "$i" "$1"
		[ -d "$CG_DIR" ] && CG_DIRS+=("$CG_DIR")
	done
	return 0
}

# cg_dirs PATH: prints the directories of PATH in every hierarchy where it exists.
cg_dirs()
{
	_cg_dirsv "$1"
	[ ${#CG_DIRS[@]} -eq 0 ] || printf '%s\n' "${CG_DIRS[@]}"
}

# cg_file PATH FILE: the first existing FILE of group PATH in any hierarchy.
cg_file()
{
	local dir
	local -a dirs

	_cg_dirsv "$1"
	dirs=("${CG_DIRS[@]}")
	for dir in "${dirs[@]}"; do
		[ -e "$dir/$2" ] && { printf '%s\n' "$dir/$2"; return 0; }
	done
	return 1
}

# cg_read PATH FILE: prints FILE of group PATH.
cg_read()
{
	local f

	f=$(cg_file "$1" "$2") || return 1
	cat "$f"
}

# cg_write PATH FILE VALUE: writes VALUE to FILE of group PATH (made here only).
cg_write()
{
	local f

	f=$(cg_file "$1" "$2") || { diag "no file $2 in group $1"; return 1; }
	cg_is_ours "${f%/*}" || { diag "refusing to write $f: not our group"; return 1; }
	printf '%s\n' "$3" >"$f"
}

# cg_tasks_dir PATH: the directory cgtop counts the tasks of PATH in: memory,
# else pids, cpuacct, cpu, v2.
cg_tasks_dir()
{
	local c i dir

	for c in memory pids cpuacct cpu; do
		for ((i = 0; i < CG_NH; i++)); do
			if [ "${CG_TYPE[i]}" != v1 ] || ! cg_has "$i" "$c"; then
				continue
			fi
			_cg_dirv "$i" "$1"
			dir=$CG_DIR
			[ -d "$dir" ] && { printf '%s\n' "$dir"; return 0; }
		done
	done
	for ((i = 0; i < CG_NH; i++)); do
		[ "${CG_TYPE[i]}" = v2 ] || continue
		_cg_dirv "$i" "$1"
		dir=$CG_DIR
		[ -d "$dir" ] && { printf '%s\n' "$dir"; return 0; }
	done
	return 1
}

# cg_join PATH PID: moves PID (a process this script started) into PATH in
# every hierarchy where PATH exists.
cg_join()
{
	local dir rc=0
	local -a dirs

	_cg_dirsv "$1"
	dirs=("${CG_DIRS[@]}")
	for dir in "${dirs[@]}"; do
		cg_is_ours "$dir" || { diag "refusing to join $dir: not our group"; return 1; }
		echo "$2" >"$dir/cgroup.procs" || rc=1
	done
	return $rc
}

# cg_spawn PATH CMD [ARG...]: starts CMD in the background inside PATH (it
# joins before exec, so all it does is charged there); sets CG_LAST_PID.
cg_spawn()
{
	local path=$1

	shift
	(cg_join "$path" "$BASHPID" || exit 126; exec "$@") &
	CG_LAST_PID=$!
	CG_PIDS+=("$CG_LAST_PID")
}

# cg_mem_limit PATH BYTES: limits group PATH (made here) to BYTES of memory
# without swap, so that a process above it is OOM-killed: v2 memory.max and
# memory.swap.max 0; v1 memory.limit_in_bytes, swappiness 0 and, with swap
# accounting, memory.memsw.limit_in_bytes.  Returns 1 when the limit could
# not be set.
cg_mem_limit()
{
	if cg_file "$1" memory.max >/dev/null; then
		cg_write "$1" memory.max "$2" || return 1
		cg_file "$1" memory.swap.max >/dev/null && cg_write "$1" memory.swap.max 0
	else
		cg_write "$1" memory.limit_in_bytes "$2" || return 1
		cg_write "$1" memory.swappiness 0 2>/dev/null
		cg_file "$1" memory.memsw.limit_in_bytes >/dev/null && cg_write "$1" memory.memsw.limit_in_bytes "$2"
	fi
	return 0
}

# cg_spawned PID...: waits (up to 30 s each) until each process cg_spawn
# started has exec'd its command, so that it is in its group in every
# hierarchy: cg_join writes them one after another, so one hierarchy's list
# can have it while the next ones do not yet (a loaded host takes long
# between the writes).  Returns 1, after a diag line, when one did not.
cg_spawned()
{
	local p i sh rc=0

	sh=$(readlink "/proc/$$/exe")
	for p in "$@"; do
		for ((i = 0; i < 300; i++)); do
			[ "$(readlink "/proc/$p/exe" 2>/dev/null)" != "$sh" ] && break
			sleep 0.1
		done
		[ "$i" -lt 300 ] || { diag "process $p did not exec its command within 30 s"; rc=1; }
	done
	return $rc
}

# cg_bg CMD [ARG...]: starts CMD in the background, killed on cleanup.
cg_bg()
{
	"$@" &
	CG_LAST_PID=$!
	CG_PIDS+=("$CG_LAST_PID")
}

# cg_kill PID...: kills processes this script started and reaps them.
cg_kill()
{
	local p q keep

	for p in "$@"; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
		keep=()
		for q in "${CG_PIDS[@]}"; do
			[ "$q" = "$p" ] || keep+=("$q")
		done
		CG_PIDS=("${keep[@]}")
	done
	return 0
}

# cg_kill_in PATH: kills every process left in group PATH (descendants of the
# processes this script started, e.g. forker's children) and waits until the
# group is empty.
cg_kill_in()
{
	local dir p tries=50
	local -a dirs

	_cg_dirsv "$1"
	dirs=("${CG_DIRS[@]}")
	for dir in "${dirs[@]}"; do
		cg_is_ours "$dir" || continue
		# cgroupfs files report size 0: test the content, not [ -s ]
		while [ -n "$(cat "$dir/cgroup.procs" 2>/dev/null)" ] && [ $tries -gt 0 ]; do
			for p in $(cat "$dir/cgroup.procs" 2>/dev/null); do
				kill -KILL "$p" 2>/dev/null
			done
			sleep 0.1
			tries=$((tries - 1))
		done
	done
	[ $tries -gt 0 ]
}

# _cg_rmdir DIR: rmdir, retried while the kernel still releases the group.
_cg_rmdir()
{
	local tries=30

	while ! rmdir "$1" 2>/dev/null; do
		[ -d "$1" ] || return 0
		tries=$((tries - 1))
		[ $tries -gt 0 ] || { rmdir "$1"; return 1; }
		sleep 0.1
	done
	return 0
}

# cg_rmdir PATH: removes group PATH (made here) from every hierarchy.
cg_rmdir()
{
	local dir d keep rc=0
	local -a dirs

	_cg_dirsv "$1"
	dirs=("${CG_DIRS[@]}")
	for dir in "${dirs[@]}"; do
		cg_is_ours "$dir" || { diag "refusing to remove $dir: not our group"; rc=1; continue; }
		_cg_rmdir "$dir" || rc=1
		keep=()
		for d in "${CG_CREATED[@]}"; do
			[ "$d" = "$dir" ] || keep+=("$d")
		done
		CG_CREATED=("${keep[@]}")
	done
	return $rc
}

# cg_recreate PATH: removes group PATH (made here, empty) and at once makes it
# again in the same hierarchies (the parents' v2 subtree control stays set).
cg_recreate()
{
	local dir rc=0
	local -a dirs

	_cg_dirsv "$1"
	dirs=("${CG_DIRS[@]}")
	for dir in "${dirs[@]}"; do
		[ -n "$dir" ] || continue
		cg_is_ours "$dir" || { diag "refusing to remove $dir: not our group"; return 1; }
	done
	for dir in "${dirs[@]}"; do
		[ -n "$dir" ] || continue
		_cg_rmdir "$dir" || rc=1
	done
	for dir in "${dirs[@]}"; do
		[ -n "$dir" ] || continue
		mkdir "$dir" || rc=1
	done
	return $rc
}

# cg_children PATH: kernel names of the direct child groups of PATH in any
# hierarchy, sorted.
cg_children()
{
	local dir sub
	local -a dirs

	_cg_dirsv "$1"
	dirs=("${CG_DIRS[@]}")
	for dir in "${dirs[@]}"; do
		for sub in "$dir"/*/; do
			[ -d "$sub" ] || continue
			sub=${sub%/}
			printf '%s/%s\n' "${1%/}" "${sub##*/}"
		done
	done | LC_ALL=C sort -u
}

# ---- parents shared between tests ------------------------------------------
#
# On a hybrid host the test group's parents (e.g. /process_api/ID, the own
# memory group) may be missing in the other hierarchies, where the test is in
# the root; the first test makes them there and concurrent tests share them.
# $CG_REG/<dir with / as %>/ holds one file per test (pid) using such a parent
# made by a test; the last one to leave removes it, under flock.

CG_REG=/run/cgtop-live-tests
[ -w /run ] || CG_REG=/tmp/cgtop-live-tests
CG_LOCK_FD=

_cg_lock()
{
	mkdir -p "$CG_REG" || return 1
	[ -n "$CG_LOCK_FD" ] || exec {CG_LOCK_FD}>>"$CG_REG/lock"
	command -v flock >/dev/null || return 0
	flock "$CG_LOCK_FD"
}

_cg_unlock()
{
	[ -n "$CG_LOCK_FD" ] && command -v flock >/dev/null && flock -u "$CG_LOCK_FD"
	return 0
}

# _cg_share DIR: makes DIR (a parent of the test group) or joins its users.
_cg_share()
{
	local dir=$1 key rc=0

	key=$CG_REG/${dir//\//%}
	_cg_lock || return 1
	if [ ! -d "$dir" ]; then
		if mkdir "$dir"; then
			mkdir -p "$key"
			# a new v1 cpuset has no CPUs and no memory nodes: no process
			# could join below it (ENOSPC)
			if [ -f "$dir/cpuset.cpus" ] && [ -z "$(cat "$dir/cpuset.cpus")" ]; then
				cat "${dir%/*}/cpuset.cpus" >"$dir/cpuset.cpus" &&
					cat "${dir%/*}/cpuset.mems" >"$dir/cpuset.mems" || rc=1
			fi
		else
			rc=1
		fi
	fi
	if [ $rc = 0 ] && [ -d "$key" ]; then
		# made by a test: keep it until the last user leaves
		: >"$key/$$"
		CG_SHARED+=("$dir")
		CG_CREATED+=("$dir")
	fi
	_cg_unlock
	return $rc
}

# _cg_unshare: leaves the shared parents, removing those no test uses now.
_cg_unshare()
{
	local i dir key f rc=0

	[ ${#CG_SHARED[@]} -gt 0 ] || return 0
	_cg_lock || return 1
	for ((i = ${#CG_SHARED[@]} - 1; i >= 0; i--)); do
		dir=${CG_SHARED[i]}
		key=$CG_REG/${dir//\//%}
		rm -f "$key/$$"
		for f in "$key"/*; do
			[ -e "$f" ] || continue
			kill -0 "${f##*/}" 2>/dev/null || rm -f "$f" # a test that died
		done
		compgen -G "$key/*" >/dev/null && continue
		if [ -d "$dir" ] && [ -n "$(find "$dir" -mindepth 1 -maxdepth 1 -type d -print -quit 2>/dev/null)" ]; then
			# groups of someone who does not register here (a benchmark's
			# fleet, another tenant) are inside: theirs, and so is the parent
			# until they leave; the key stays for the next test to retry
			continue
		fi
		if [ ! -d "$dir" ] || _cg_rmdir "$dir"; then
			rmdir "$key" 2>/dev/null
		else
			echo "cleanup: cannot remove $dir" >&2
			rc=1
		fi
	done
	_cg_unlock
	return $rc
}

_cg_is_shared()
{
	local d

	for d in "${CG_SHARED[@]}"; do
		[ "$d" = "$1" ] && return 0
	done
	return 1
}

# wait_event JQ-FILTER: waits up to $WAIT s for a line of the JSON events in
# $OUT matching the filter; prints it.
wait_event()
{
	local i line
	for ((i = 0; i < WAIT * 20; i++)); do
		line=$(jq -c "select($1)" "$OUT" 2>/dev/null | head -1)
		[ -n "$line" ] && { printf '%s\n' "$line"; return 0; }
		sleep 0.05
	done
	return 1
}

# wait_cgtop_ready PID [SECONDS [nokmsg]]: waits (default 60 s: a whole
# host's tree under ASan on a loaded machine takes seconds) until cgtop PID
# has /dev/kmsg open (not with nokmsg: a cgtop without the privilege) and has
# been seen waiting in poll(2) or ppoll(2) (/proc/PID/syscall), which its
# loops only do after the first sample: its kernel log and its counters both
# start before what the test does next.  Returns 1, after a diag line, when
# it did not get there.
wait_cgtop_ready()
{
	local pid=$1 steps=$((${2:-60} * 20)) kmsg="/dev/kmsg" fds sc state

	[ "${3:-}" = nokmsg ] && kmsg=
	while [ "$steps" -gt 0 ]; do
		state=
		read -r _ _ state _ 2>/dev/null </proc/"$pid"/stat # (comm "cgtop": no blank)
		if [ -z "$state" ] || [ "$state" = Z ]; then
			# gone: its status, and what it said when the caller keeps that in $ERR
			wait "$pid" 2>/dev/null
			diag "cgtop (pid $pid) exited with status $? before its loop${ERR:+; its stderr: $(head -c 400 "$ERR" 2>/dev/null | tr '\n' ' ')}"
			return 1
		fi
		# (not ls's status: it says 1 when an fd closes while it lists them,
		# as cgtop's do during its first sample; that once failed a CI run)
		fds=$(ls -l "/proc/$pid/fd" 2>/dev/null)
		read -r sc _ 2>/dev/null </proc/"$pid"/syscall
		# x86-64 and i386: poll 7 / 168, ppoll 271 / 309; aarch64: ppoll 73
		case ${sc:-} in 7 | 168 | 271 | 309 | 73) [[ $fds == *"$kmsg"* ]] && return 0 ;; esac
		nap 0.05
		steps=$((steps - 1))
	done
	diag "cgtop (pid $pid) was not seen waiting in its loop${kmsg:+ with /dev/kmsg open} (syscall ${sc:-?})"
	return 1
}

# oom_reports_quiet [SECONDS]: waits (default 30 s) until the kernel's rate
# limit of OOM reports (mm/oom_kill.c oom_rs: 10 reports in 5 s, host-wide)
# cannot leave out the next kill's report: no OOM kill in the kernel log for
# 5.5 s, by the log's own clock (a probe record written to /dev/kmsg now says
# what "now" is there; the log's clock is not CLOCK_MONOTONIC's).  For a test
# that needs a kill's whole report, after other tests' kills (events-burst.sh
# makes 24 in a second).  Returns 1, after a diag line, when the log did not
# get quiet (another tenant's kills) or cannot be probed.
oom_reports_quiet()
{
	local end=$((SECONDS + ${1:-30})) gap

	while :; do
		printf '<7>cgtop-test: oom-quiet probe %s\n' "$$" >/dev/kmsg 2>/dev/null || {
			diag "cannot write a probe record to /dev/kmsg"
			return 1
		}
		# the seconds from the last kill's lines to the probe's record
		gap=$(dmesg 2>/dev/null | LC_ALL=C awk -v probe="cgtop-test: oom-quiet probe $$" '
			{ t = $0; sub(/^\[ */, "", t); sub(/\].*/, "", t) }
			/invoked oom-killer:|: Killed process / { last = t }
			index($0, probe) { now = t }
			END { if (now == "") print "-1"; else if (last == "") print "999"
				else { d = (now - last) * 10; printf "%.0f\n", d < 0 ? 0 : d } }')
		[ "${gap:--1}" -ge 55 ] && return 0
		if [ "${gap:--1}" -lt 0 ] || [ "$SECONDS" -ge "$end" ]; then
			diag "the kernel log did not go 5.5 s without an OOM kill (last gap ${gap:-?} tenths of a second)"
			return 1
		fi
		sleep 0.5
	done
}

# wait_ticks DB N: waits (up to 60 s) until DB has N sample times
wait_ticks()
{
	local tenths=600 n

	while [ "$tenths" -gt 0 ]; do
		n=$(sqlite3 -batch "$1" 'select count(*) from ticks' 2>/dev/null)
		[ -n "$n" ] && [ "$n" -ge "$2" ] && return 0
		nap 0.1
		tenths=$((tenths - 1))
	done
	return 1
}

# ---- setup and cleanup ------------------------------------------------------

_CG_CLEANED=

# cg_groups_named PATTERN: the groups whose name matches PATTERN (find -name)
# anywhere below the mounts, such as the ones cgtop --launch made for a test
cg_groups_named()
{
	local i

	for ((i = 0; i < CG_NH; i++)); do
		find "${CG_MNT[i]}" -maxdepth 5 -type d -name "$1" 2>/dev/null
	done
}

# cg_sweep_named PATTERN: what a failed run left behind in those groups is
# SIGKILLed and the groups removed (only groups with the test's own name)
cg_sweep_named()
{
	local d p

	for d in $(cg_groups_named "$1"); do
		for p in $(cat "$d/cgroup.procs" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		rmdir "$d" 2>/dev/null
	done
}

cg_cleanup()
{
	local rc=$? why=${1:-EXIT} p i dir left=0

	[ -n "$_CG_CLEANED" ] && return 0
	_CG_CLEANED=1
	trap - INT TERM
	# TERM first, so timeout(1) passes it on and forker takes its children
	for p in "${CG_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	[ ${#CG_PIDS[@]} -gt 0 ] && sleep 0.2
	for p in "${CG_PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	for p in "${CG_PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	for ((i = ${#CG_CREATED[@]} - 1; i >= 0; i--)); do
		dir=${CG_CREATED[i]}
		_cg_is_shared "$dir" && continue
		[ -f "$dir/cgroup.procs" ] || continue
		# read the file whole: a cgroupfs file reports size 0, and reading
		# it line by line while killing can skip pids
		for p in $(cat "$dir/cgroup.procs" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
	done
	for ((i = ${#CG_CREATED[@]} - 1; i >= 0; i--)); do
		dir=${CG_CREATED[i]}
		[ -d "$dir" ] || continue
		_cg_is_shared "$dir" && continue
		if ! _cg_rmdir "$dir"; then
			echo "cleanup: cannot remove $dir" >&2
			left=1
		fi
	done
	_cg_unshare || left=1
	[ -n "$CG_TMP" ] && rm -rf "$CG_TMP"
	if [ "$why" != EXIT ]; then
		exit 1
	fi
	[ $left = 1 ] && [ "$rc" = 0 ] && exit 1
	exit "$rc"
}

# cg_init: skips (77) unless root with a cgroup filesystem; discovers the
# hierarchies, chooses the test group CG_TEST and registers the cleanup.
# CG_BASE is the deepest own group (on a hybrid host the memory one); it must
# be at or below the own group of every hierarchy, so the test groups get the
# same kernel name everywhere.
cg_init()
{
	local i

	[ "$(id -u)" = 0 ] || skip_all "not root"
	cg_discover || skip_all "no cgroup filesystem mounted"
	[ -n "$CG_MODE" ] || skip_all "no cgroup hierarchy with controllers"
	CG_BASE=/
	for ((i = 0; i < CG_NH; i++)); do
		[ ${#CG_OWN[i]} -gt ${#CG_BASE} ] && CG_BASE=${CG_OWN[i]}
	done
	for ((i = 0; i < CG_NH; i++)); do
		[ "${CG_OWN[i]}" = / ] && continue
		[[ $CG_BASE == "${CG_OWN[i]}" || $CG_BASE == "${CG_OWN[i]}"/* ]] ||
			skip_all "own groups ${CG_OWN[i]} and $CG_BASE are not nested"
	done
	CG_TEST=${CG_BASE%/}/cgtop-test-$$
	CG_TMP=$(mktemp -d "${TMPDIR:-/tmp}/cgtop-test.XXXXXX") || bail_out "mktemp failed"
	trap 'cg_cleanup EXIT' EXIT
	trap 'cg_cleanup INT' INT
	trap 'cg_cleanup TERM' TERM
}

# cg_describe: the discovered hierarchies, as TAP comments.
cg_describe()
{
	local i

	diag "cgroup mode: $CG_MODE; test group: $CG_TEST"
	for ((i = 0; i < CG_NH; i++)); do
		diag "  ${CG_TYPE[i]} ${CG_MNT[i]} [${CG_CTRL[i]}] own=${CG_OWN[i]} root=${CG_ROOT[i]}"
	done
}
