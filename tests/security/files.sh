#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# files.sh - files cgtop writes as root never follow a link they did not make, and a FIFO
# cannot hang cgtop.  Another user (nobody) plants a symbolic link to a root-only file, a FIFO
# and a file of its own at each name cgtop writes, in a directory of its own: the --report
# file, the settings file cgtoprc and its temporary name (root with that user's HOME or
# XDG_CONFIG_HOME, as sudo -E gives), the --textfile exposition and its temporary name.  The
# planted names that are only known once cgtop runs (the temporary names held the pid) are
# made by a wrapper that execs cgtop, so they hold its pid.  Every target stays untouched,
# every cgtop ends within its timeout, what cgtop writes is its own regular file, and a
# settings directory of another user's is neither read nor written (one line says so).
# Root; TAP.
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")/../live" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
top_srcdir=${top_srcdir:-$(cd "$LIVE_DIR/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
CGTOP=${CGTOP:-$top_builddir/cgtop}
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
command -v setpriv >/dev/null || skip_all "setpriv (util-linux) is not installed"
id -u nobody >/dev/null 2>&1 || skip_all "no user nobody"
export LC_ALL=C

cg_init
NOBODY=$(id -u nobody)
NOGROUP=$(id -g nobody)
chmod 755 "$CG_TMP"

# as_nobody CMD...: runs CMD as the other user
as_nobody()
{
	setpriv --reuid="$NOBODY" --regid="$NOGROUP" --clear-groups -- "$@"
}

# victim VAR NAME: a root-only file with a known text, its path in VAR (no subshell: the list
# of victims is checked at the end)
VICTIMS=()
victim()
{
	local f=$CG_TMP/$2
	printf 'secret %s\n' "$2" >"$f"
	chmod 600 "$f"
	VICTIMS+=("$f")
	printf -v "$1" '%s' "$f"
}

# untouched DESC: every victim still holds its text and belongs to root
untouched()
{
	local f bad=
	[ ${#VICTIMS[@]} -gt 0 ] || bad=" (no victims to check)"
	for f in "${VICTIMS[@]}"; do
		if [ "$(cat "$f" 2>/dev/null)" != "secret ${f##*/}" ] || [ "$(stat -c %u "$f")" != 0 ]; then
			bad+=" $f"
		fi
	done
	if [ -z "$bad" ]; then
		pass "$1: every planted link's target is untouched"
	else
		fail "$1: every planted link's target is untouched" "changed:$bad" "$(ls -la "${VICTIMS[@]}")"
	fi
}

# kind PATH: what is at PATH (lstat)
kind()
{
	stat -c %F "$1" 2>/dev/null || echo missing
}

# ---- --report FILE in a directory of the other user's ------------------------------------
# (in a sticky directory such as /tmp, fs.protected_symlinks already stops root from
# following another user's link; in that user's own directory nothing does)
RD=$CG_TMP/shared
mkdir "$RD" && chown "$NOBODY:$NOGROUP" "$RD"
victim v report-victim
as_nobody ln -s "$v" "$RD/report.json"
as_nobody mkfifo "$RD/report.fifo"
N=0
launch_report()
{
	N=$((N + 1))
	timeout -k 5 30 "$CGTOP" --launch --parent self --name "cgtop-sec-files-$$-$N" --report "$1" -- true \
		>"$CG_TMP/out" 2>"$CG_TMP/err" </dev/null
	RC=$?
}
launch_report "$RD/report.json"
is "$RC" 1 "report: a symbolic link planted at the report: exit 1"
if [ "$(wc -l <"$CG_TMP/err")" = 1 ] && grep -q "symbolic link" "$CG_TMP/err"; then
	pass "report: one line says it is a symbolic link"
else
	fail "report: one line says it is a symbolic link" "$(cat "$CG_TMP/err")"
fi
is "$(kind "$RD/report.json")" "symbolic link" "report: the planted link is left as it was"
launch_report "$RD/report.fifo"
is "$RC" 1 "report: a FIFO planted at the report: exit 1 at once, not hung"
grep -q "FIFO" "$CG_TMP/err" && pass "report: the line says it is a FIFO" ||
	fail "report: the line says it is a FIFO" "$(cat "$CG_TMP/err")"
is "$(kind "$RD/report.fifo")" "fifo" "report: the FIFO is left as it was"
# a file of the other user's: replaced by root's own, not written into
as_nobody sh -c 'echo theirs >"$1"' sh "$RD/theirs.json"
launch_report "$RD/theirs.json"
is "$RC" 0 "report: over another user's regular file: exit 0"
is "$(stat -c %u "$RD/theirs.json")" 0 "report: the report is root's own file, not the planter's"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$RD/theirs.json" 2>/dev/null &&
	pass "report: it holds the report" || fail "report: it holds the report" "$(cat "$RD/theirs.json")"
# nothing ran: nothing new, and an old report as it was
N=$((N + 1))
timeout -k 5 30 "$CGTOP" --launch --parent self --name "cgtop-sec-files-$$-$N" --cpuset 4095 \
	--report "$RD/none.json" -- true >/dev/null 2>&1 </dev/null
[ "$(kind "$RD/none.json")" = missing ] && pass "report: a launch that fails leaves no file" ||
	fail "report: a launch that fails leaves no file" "$(ls -la "$RD")"
[ -z "$(find "$RD" -name '.*' -newer "$v")" ] && pass "report: and no temporary file" ||
	fail "report: and no temporary file" "$(ls -la "$RD")"
untouched "report"

# ---- cgtoprc, as root with another user's HOME -----------------------------------------
if command -v tmux >/dev/null; then
	# shellcheck source=tests/tui/lib.sh
	. "$top_srcdir/tests/tui/lib.sh"
	trap 'tui_stop; cg_cleanup EXIT' EXIT
	REAL=$CGTOP
	H=$CG_TMP/home
	mkdir -p "$H" && chown "$NOBODY:$NOGROUP" "$H"
	victim v1 rc-victim
	victim v2 rc-tmp-victim
	# mkwrap DIR WHAT: cgtop behind a wrapper that, as nobody, makes DIR and
	# plants WHAT (link, fifo) at the old temporary name DIR/cgtoprc.tmp.PID,
	# PID being cgtop's own (the wrapper execs it); the name goes to $CG_TMP/planted
	mkwrap()
	{
		cat >"$CG_TMP/wrap" <<-EOF
			#!/bin/sh
			t="$1/cgtoprc.tmp.\$\$"
			echo "\$t" >"$CG_TMP/planted"
			setpriv --reuid=$NOBODY --regid=$NOGROUP --clear-groups -- sh -c '
				mkdir -p "\$1" || exit 1
				case \$2 in link) ln -sf "\$3" "\$4" ;; fifo) mkfifo "\$4" ;; esac' sh "$1" "$2" "$v2" "\$t"
			exec "$REAL" "\$@"
		EOF
		chmod 755 "$CG_TMP/wrap"
		CGTOP=$CG_TMP/wrap
	}
	# rc_case DESC: the dashboard starts, a sort changes, q: no hang, targets untouched
	rc_case()
	{
		local pid i
		tui_start --delay 60 "$CG_BASE"
		for ((i = 0; i < 50; i++)); do
			pid=$(tui_pid) && [ -n "$pid" ] && break
			sleep 0.1
		done
		if tui_wait 'Control Group' 20; then
			pass "cgtoprc, $1: the dashboard starts (not hung on a FIFO)"
		else
			fail "cgtoprc, $1: the dashboard starts (not hung on a FIFO)" "$(tui_screen | grep -v '^$' | head -5)"
		fi
		tui_keys M
		tui_wait '[▼v]Memory' 10
		tui_keys q
		if tui_wait 'PROMPT-BACK' 20; then
			pass "cgtoprc, $1: q ends it (not hung on a FIFO)"
		else
			fail "cgtoprc, $1: q ends it (not hung on a FIFO)" "$(tui_screen | grep -v '^$' | tail -5)"
		fi
		# -J: the line as one, however the pane wrapped it
		if tmux_ capture-pane -p -J -t t | grep -q "cgtop: settings not \(read\|saved\):.*uid $NOBODY"; then
			pass "cgtoprc, $1: one line says why the settings are not used"
		else
			fail "cgtoprc, $1: one line says why the settings are not used" \
				"$(tui_screen | grep -v '^$' | tail -4)"
		fi
		tui_stop
		# a cgtop hung on a FIFO does not die with its terminal: end it here
		[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
		untouched "cgtoprc, $1"
		local t
		t=$(cat "$CG_TMP/planted" 2>/dev/null)
		case ${2:-} in
		link) is "$(kind "$t")" "symbolic link" "cgtoprc, $1: the link at the temporary name is left as it was" ;;
		fifo) is "$(kind "$t")" "fifo" "cgtoprc, $1: the FIFO at the temporary name is left as it was" ;;
		esac
	}

	# HOME of another user, no cgtoprc: a link, then a FIFO at the temporary name
	TUI_ENV="HOME=$H XDG_CONFIG_HOME="
	mkwrap "$H/.config/cgtop" link
	rc_case "HOME of another user, a link at the temporary name" link
	is "$(kind "$H/.config/cgtop/cgtoprc")" missing "cgtoprc, HOME of another user: no cgtoprc made there"
	mkwrap "$H/.config/cgtop" fifo
	rc_case "HOME of another user, a FIFO at the temporary name" fifo
	# a link at cgtoprc itself (reading it would show root's file in an error)
	mkwrap "$H/.config/cgtop" none
	as_nobody ln -sf "$v1" "$H/.config/cgtop/cgtoprc"
	rc_case "a link at cgtoprc"
	is "$(kind "$H/.config/cgtop/cgtoprc")" "symbolic link" "cgtoprc: the link at cgtoprc is left as it was"
	# a FIFO at cgtoprc (reading it would hang the start)
	as_nobody rm -f "$H/.config/cgtop/cgtoprc"
	as_nobody mkfifo "$H/.config/cgtop/cgtoprc"
	rc_case "a FIFO at cgtoprc"
	# XDG_CONFIG_HOME of another user
	X=$CG_TMP/xdg
	mkdir -p "$X" && chown "$NOBODY:$NOGROUP" "$X"
	TUI_ENV="HOME=$CG_TMP XDG_CONFIG_HOME=$X"
	mkwrap "$X/cgtop" link
	rc_case "XDG_CONFIG_HOME of another user" link
	is "$(kind "$X/cgtop/cgtoprc")" missing "cgtoprc, XDG_CONFIG_HOME of another user: no cgtoprc made there"
	CGTOP=$REAL
	TUI_ENV=
else
	skip "cgtoprc" "tmux is not installed"
fi

# ---- --textfile DIR, a directory of the other user's (node_exporter's, say) -------------
TD=$CG_TMP/textfile
mkdir "$TD" && chown "$NOBODY:$NOGROUP" "$TD"
victim v3 prom-victim
victim v4 prom-tmp-victim
as_nobody ln -s "$v3" "$TD/cgtop.prom"
# textfile_run WHAT: cgtop --textfile TD -n 1 (one write: a second would hide whose file the
# first made), with WHAT planted at the old temporary name
textfile_run()
{
	timeout -k 5 60 sh -c '
		case $1 in
		link) setpriv --reuid="$2" --regid="$3" --clear-groups -- ln -s "$5" "$4/.cgtop.prom.$$.tmp" ;;
		fifo) setpriv --reuid="$2" --regid="$3" --clear-groups -- mkfifo "$4/.cgtop.prom.$$.tmp" ;;
		file) setpriv --reuid="$2" --regid="$3" --clear-groups -- sh -c "echo theirs >\"\$0\"" "$4/.cgtop.prom.$$.tmp" ;;
		esac
		exec "$6" --textfile "$4" -n 1 --depth 1
	' sh "$1" "$NOBODY" "$NOGROUP" "$TD" "$v4" "$CGTOP" >"$CG_TMP/out" 2>"$CG_TMP/err"
	RC=$?
}
for what in link fifo file; do
	textfile_run "$what"
	is "$RC" 0 "textfile, a $what planted at its temporary name: exit 0 within 60 s"
	if [ "$(kind "$TD/cgtop.prom")" = "regular file" ] && [ "$(stat -c %u "$TD/cgtop.prom")" = 0 ] &&
		grep -q '^cgtop_up 1$' "$TD/cgtop.prom"; then
		pass "textfile, a $what planted: cgtop.prom is root's own regular file, written"
	else
		fail "textfile, a $what planted: cgtop.prom is root's own regular file, written" \
			"$(ls -la "$TD")" "$(cat "$CG_TMP/err")"
	fi
	rm -f "$TD"/.cgtop.prom.*.tmp
done
untouched "textfile"
# a FIFO planted at cgtop.prom itself
rm -f "$TD/cgtop.prom"
as_nobody mkfifo "$TD/cgtop.prom"
timeout -k 5 60 "$CGTOP" --textfile "$TD" -n 1 --depth 1 >"$CG_TMP/out" 2>"$CG_TMP/err"
is "$?" 0 "textfile, a FIFO planted at cgtop.prom: exit 0 within 60 s"
is "$(kind "$TD/cgtop.prom")" "regular file" "textfile: the FIFO is replaced by the exposition"
# a --textfile directory that is a symbolic link is refused
ln -s "$TD" "$CG_TMP/textlink"
timeout -k 5 60 "$CGTOP" --textfile "$CG_TMP/textlink" -n 1 >"$CG_TMP/out" 2>"$CG_TMP/err"
is "$?" 1 "textfile: a directory given as a symbolic link: exit 1"
grep -q "symbolic link" "$CG_TMP/err" && pass "textfile: one line says so" ||
	fail "textfile: one line says so" "$(cat "$CG_TMP/err")"

done_testing
