#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# capture-paste.sh - record the real kernel log behind the pasted-log tests of
# `cgtop --events --kmsg-file`: runs tests/live/paste-scenario.sh (two OOM kills
# of memhog and a fork rejection of forker in ci/build-42 under ci's limits, in
# test groups below this process's own groups), then writes
# tests/data/kmsg/paste-<label>-<mode>-<kernel>/ with the clean renderings (raw
# /dev/kmsg records, dmesg, dmesg -T, dmesg --notime, journalctl -k when a
# private journald can run), every one of them as people paste it
# (NAME.SPEC.paste, made by tests/tools/paste-render.sh SPEC), EXPECTED and
# SOURCE.  Run by hand as root, never by make; it touches only groups it creates
# and ends only processes it started.
#
# Usage: capture-paste.sh [-o OUTROOT] [-l LABEL]
#   -o OUTROOT  where the directory is written (default: tests/data/kmsg)
#   -l LABEL    first part of its name after "paste-" (default: host)
# Needs: root, a build tree with tests/helpers/memhog and forker (top_builddir,
# default the source tree), dmesg; journalctl, unshare and
# /lib/systemd/systemd-journald for the journal rendering.
set -u -o pipefail
umask 022
export LC_ALL=C.UTF-8

HERE=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$HERE/../.." && pwd)
OUTROOT=$SRCDIR/tests/data/kmsg
LABEL=host
while [ $# -gt 0 ]; do
	case $1 in
	-o) OUTROOT=$2; shift 2 ;;
	-l) LABEL=$2; shift 2 ;;
	-h | --help) sed -n '/^# Usage:/,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "capture-paste.sh: unknown argument: $1" >&2; exit 2 ;;
	esac
done
export top_builddir=${top_builddir:-$SRCDIR}

# shellcheck source=tests/live/lib.sh
. "$SRCDIR/tests/live/lib.sh"
# shellcheck source=tests/live/paste-scenario.sh
. "$SRCDIR/tests/live/paste-scenario.sh"
cg_init
mkdir -p "$OUTROOT" || bail_out "cannot create $OUTROOT"
OUTROOT=$(cd "$OUTROOT" && pwd)

T_BEGIN=$(date -u +%FT%T.%NZ)
ps_run "$CG_TMP/run" || bail_out "the scenario failed"
T_END=$(date -u +%FT%T.%NZ)

OUT=$OUTROOT/paste-$LABEL-$CG_MODE-$(uname -r | cut -d. -f1,2)
mkdir -p "$OUT" || bail_out "cannot create $OUT"
rm -f "$OUT"/*
for f in kmsg.raw dmesg.txt dmesg-T.txt dmesg-notime.txt journal-short.txt; do
	[ -f "$CG_TMP/run/$f" ] && cp "$CG_TMP/run/$f" "$OUT/"
done
# every rendering of dmesg; a few of each of the others
for spec in $("$HERE/paste-render.sh" --list); do
	"$HERE/paste-render.sh" "$spec" <"$OUT/dmesg.txt" >"$OUT/dmesg.$spec.paste"
done
for base in kmsg.raw dmesg-notime.txt journal-short.txt; do
	[ -f "$OUT/$base" ] || continue
	for spec in crlf indent4 tab quote wrap80 wrap80+quote quote+wrap80; do
		"$HERE/paste-render.sh" "$spec" <"$OUT/$base" >"$OUT/${base%.*}.$spec.paste"
	done
done

{
	echo "# Events every rendering of this directory must give (the clean ones and every"
	echo "# .paste one), in time order; one per line, TAB-separated: kind, then key=value."
	echo "# pids are the helpers' own (\$! of the shell that started them), not parsed from the"
	echo "# log; limit= is the memory limit in bytes of the group named by cgroup=;"
	echo "# limit_cgroup= is the group whose pids.max was reached: not in the log, so a parser"
	echo "# reports no cgroup (cgroup=) for the fork rejection, the forking group as task_cgroup."
	cat "$CG_TMP/run/EXPECTED"
} >"$OUT/EXPECTED"

{
	echo "Real kernel log of a CI job group outgrowing its parent's limits, for cgtop's tests of logs"
	echo "as people paste them.  Made by tests/tools/capture-paste.sh (run as root by hand) on"
	echo "$(hostname), $T_BEGIN .. $T_END"
	echo "Kernel: $(uname -srvm)"
	echo "cgroup mode: $CG_MODE"
	echo "Window: from the record 'cgtop-paste-scenario: scenario begin id=$PS_ID' to"
	echo "'... scenario end id=$PS_ID' (written to /dev/kmsg by tests/live/paste-scenario.sh)."
	echo
	echo "Groups (kernel paths, the same in the memory and pids hierarchies):"
	echo "  $PS_CI: memory limit 32M, no swap; pids.max=8"
	echo "  $PS_BUILD: no limit of its own; every process ran here"
	echo "A wrap that cuts '$PS_BUILD' after '$PS_CI/' leaves the path of a real group."
	echo
	echo "What happened, in order:"
	sed 's/^/  /' "$CG_TMP/run/steps"
	echo
	echo "Files:"
	echo "  kmsg.raw            the records as read from /dev/kmsg (dd, one read() each)"
	echo "  dmesg.txt           dmesg ($(dmesg --version))"
	echo "  dmesg-T.txt         TZ=UTC dmesg -T"
	echo "  dmesg-notime.txt    dmesg --notime"
	if [ -f "$OUT/journal-short.txt" ]; then
		echo "  journal-short.txt   journalctl -k -o short ($(journalctl --version | head -n 1)), of a"
		echo "                      systemd-journald run in a private mount namespace during the window"
	else
		echo "  (no journal-short.txt: $PS_JOURNAL)"
	fi
	echo "  NAME.SPEC.paste     NAME as people paste it: tests/tools/paste-render.sh SPEC <NAME"
	echo "                      (every SPEC of paste-render.sh --list for dmesg.txt; crlf, indent4,"
	echo "                      tab, quote, wrap80, wrap80+quote and quote+wrap80 for the others)"
	echo "  EXPECTED            the events, see its header"
} >"$OUT/SOURCE"
echo "capture-paste: wrote $OUT"
ls "$OUT" | head -5
echo "... $(ls "$OUT" | wc -l) files"
