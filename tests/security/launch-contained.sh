#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# launch-contained.sh - a launched command without CAP_SYS_ADMIN cannot
# change its own limits, leave its group or write sysctls: as --user 65534
# and as uid 0 with --drop-caps (which owns every root file), the command
# tries to raise its memory and pids limits, to write its pid into the
# parent group's and a sibling group's cgroup.procs, and to write
# kernel.core_pattern (its current value, so that nothing changes should it
# get through); every attempt fails, the command is still in its group, its
# limit is still 32M, and the fate report (--report -) says 32M.  A uid 0
# command without capabilities and without a mount namespace is refused (exit
# 2, one line, nothing made); --user gets that user's HOME, USER, LOGNAME,
# SHELL and PATH.  Needs root (else skips, 77); jq.

set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")/../live" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"

top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
CGTOP=${CGTOP:-$top_builddir/cgtop}

command -v jq >/dev/null || skip_all "jq is not installed"
cg_init
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
cg_describe

MEMI=$(cg_hier_of memory) || skip_all "no memory controller"
PIDI=$(cg_hier_of pids) || PIDI=
if [ "${CG_TYPE[MEMI]}" = v2 ]; then MEMMAX=memory.max; else MEMMAX=memory.limit_in_bytes; fi
# the parent, made here in every hierarchy; a sibling leaf to move into
P=$CG_TEST
cg_create "$P/sib" all || bail_out "cannot create $P/sib"
chmod 711 "$CG_TMP"
PUB=$CG_TMP/pub
mkdir -m 1777 "$PUB"
OUT=$CG_TMP/out
ERR=$CG_TMP/err
N=0
groups_named()
{
	local i

	for ((i = 0; i < CG_NH; i++)); do
		find "${CG_MNT[i]}" -maxdepth 6 -type d -name "$1" 2>/dev/null
	done
}

# The attempts, run by the launched command; each writes KEY=RC (0: it
# worked) to $1, then where the command is and what its limit reads.
# shellcheck disable=SC2016 # expanded by the command's shell
ATTEMPTS='
out=$1 limit=$2 pidsmax=$3 parent=$4 sibling=$5
{ echo 2147483648 >"$limit"; } 2>/dev/null; echo "limit=$?" >>"$out"
if [ -n "$pidsmax" ]; then { echo max >"$pidsmax"; } 2>/dev/null; echo "pids=$?" >>"$out"; fi
{ echo $$ >"$parent"; } 2>/dev/null; echo "parent=$?" >>"$out"
{ echo $$ >"$sibling"; } 2>/dev/null; echo "sibling=$?" >>"$out"
core=$(cat /proc/sys/kernel/core_pattern)
{ printf "%s\n" "$core" >/proc/sys/kernel/core_pattern; } 2>/dev/null; echo "sysctl=$?" >>"$out"
echo "limit_now=$(cat "$limit")" >>"$out"
echo "self=$(grep -c "/sib$" /proc/self/cgroup)" >>"$out"
'

# contained DESC OPTIONS...: the attempts under --launch OPTIONS
contained()
{
	local desc=$1 name dir pdir sdir res v
	local -a args

	shift
	N=$((N + 1))
	name=cgtop-contain-$$-$N
	res=$PUB/$N.out
	: >"$res"
	chmod 666 "$res"
	_cg_dirv "$MEMI" "$P/$name"
	dir=$CG_DIR
	_cg_dirv "$MEMI" "$P"
	pdir=$CG_DIR
	_cg_dirv "$MEMI" "$P/sib"
	sdir=$CG_DIR
	args=("$res" "$dir/$MEMMAX" "" "$pdir/cgroup.procs" "$sdir/cgroup.procs")
	if [ -n "$PIDI" ]; then
		_cg_dirv "$PIDI" "$P/$name"
		args[2]=$CG_DIR/pids.max
	fi
	# no cgroup namespace, so that /proc/self/cgroup shows where it really is
	timeout 60 "$CGTOP" --launch --parent "$P" --name "$name" --mem 32M --pids 50 \
		--ns pid,mnt,ipc,uts --report - "$@" -- sh -c "$ATTEMPTS" sh "${args[@]}" \
		>"$OUT" 2>"$ERR" </dev/null
	is "$?" 0 "$desc: the command ran"
	diag "$desc: $(tr '\n' ' ' <"$res")"
	for v in limit pids parent sibling sysctl; do
		[ "$v" = pids ] && [ -z "$PIDI" ] && continue
		case $(sed -n "s/^$v=//p" "$res") in
		'' | 0) fail "$desc: $v: the attempt fails" "$(cat "$res")" ;;
		*) pass "$desc: $v: the attempt fails" ;;
		esac
	done
	is "$(sed -n 's/^limit_now=//p' "$res")" 33554432 "$desc: its limit still reads 32M"
	is "$(sed -n 's/^self=//p' "$res")" 0 "$desc: it is not in the sibling group"
	is "$(tail -1 "$OUT" | jq -r .memory_max_bytes)" 33554432 "$desc: the fate report shows the 32M limit"
	is "$(groups_named "$name")" "" "$desc: no group left"
}

contained "--user 65534" --user 65534
contained "--drop-caps (uid 0)" --drop-caps
contained "--caps net_raw (uid 0)" --caps net_raw

# ---- no mount namespace: refused when the command would be uid 0 ----
refused()
{
	local desc=$1 rc
	shift
	N=$((N + 1))
	timeout 60 "$CGTOP" --launch --parent "$P" --name "cgtop-contain-$$-$N" "$@" -- true \
		>"$OUT" 2>"$ERR" </dev/null
	rc=$?
	if [ "$rc" = 2 ] && [ "$(wc -l <"$ERR")" = 1 ] && grep -q -- "--ns" "$ERR"; then
		pass "$desc: refused, exit 2, one line"
	else
		fail "$desc: refused, exit 2, one line" "rc=$rc" "$(cat "$ERR")"
	fi
	is "$(groups_named "cgtop-contain-$$-$N")" "" "$desc: nothing made"
}
refused "--drop-caps --ns net" --drop-caps --ns net
refused "--caps net_raw --ns none" --caps net_raw --ns none
refused "--user 0 --drop-caps --ns uts" --user 0 --drop-caps --ns uts
refused "--user 65534 --caps dac_override --ns net" --user 65534 --caps dac_override --ns net
N=$((N + 1))
timeout 60 "$CGTOP" --launch --parent "$P" --name "cgtop-contain-$$-$N" --user 65534 --ns net -- true \
	>"$OUT" 2>"$ERR" </dev/null
is "$?" 0 "--user 65534 --ns net (file permissions keep it out): runs"

# ---- --user: that user's environment ----
N=$((N + 1))
IFS=: read -r _ _ _ _ _ home shell < <(getent passwd 65534)
name=$(getent passwd 65534 | cut -d: -f1)
timeout 60 env HOME=/root USER=root LOGNAME=root SHELL=/bin/bash PATH=/usr/sbin:/usr/bin:/sbin:/bin:/root/bin \
	"$CGTOP" --launch --parent "$P" --name "cgtop-contain-$$-$N" --user 65534 -- \
	sh -c 'printf "%s|%s|%s|%s|%s\n" "$HOME" "$USER" "$LOGNAME" "$SHELL" "$PATH"' >"$OUT" 2>"$ERR" </dev/null
is "$(cat "$OUT")" "$home|$name|$name|$shell|/usr/local/bin:/usr/bin:/bin" \
	"--user 65534: HOME, USER, LOGNAME, SHELL from the passwd database, a user's PATH"
done_testing
