#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# format.sh - the Prometheus text exposition of `cgtop -b --format prometheus`:
# accepted by `promtool check metrics` (Debian package prometheus) on every
# golden dump and on this host (and in the qemu v1 and v2 VMs, through
# tests/vm/inside.sh); every family has one HELP and one TYPE and its samples
# together, counters end in _total, no timestamps, no NaN or "max"; -n 2 gives
# two expositions apart; every metric name of the column table is in the man
# page; and, as root, groups named with a double quote, a backslash, a newline
# and a byte that is not UTF-8 come out escaped as the format requires (the
# last as U+FFFD, with the exact name in a cgroup_hex label), with an
# unlimited group's limit left out and a limited one's exact.
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")/../live" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
top_srcdir=${top_srcdir:-$(cd "$LIVE_DIR/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
CGTOP=${CGTOP:-$top_builddir/cgtop}
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
command -v promtool >/dev/null || skip_all "promtool is not installed (apt-get install prometheus)"
export LC_ALL=C

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cgtop-prom.XXXXXX") || bail_out "mktemp failed"
trap 'rm -rf "$TMP"' EXIT

# promtool_ok FILE DESC
promtool_ok()
{
	local out
	if out=$(promtool check metrics <"$1" 2>&1); then
		pass "$2"
	else
		fail "$2" "$out" "$(head -20 "$1")"
	fi
}

# structure FILE DESC: one HELP and TYPE per family, before its samples, the
# samples of a family together, counters named *_total, two fields per sample
structure()
{
	local why
	why=$(awk '
		/^# HELP / { if (help[$3]++) { print "two HELP for " $3; bad = 1 } next }
		/^# TYPE / { if (type[$3]++) { print "two TYPE for " $3; bad = 1 }
			     if ($4 == "counter" && $3 !~ /_total$/) { print "counter " $3 " without _total"; bad = 1 }
			     if ($4 != "counter" && $3 ~ /_total$/) { print "gauge " $3 " named _total"; bad = 1 }
			     next }
		/^$/ { next }
		{
			name = $0; sub(/[{ ].*/, "", name)
			if (!(name in type)) { print "sample before TYPE: " $0; bad = 1 }
			if (name != last && (name in seen)) { print "family " name " split"; bad = 1 }
			seen[name] = 1; last = name
			v = $0; sub(/.*[} ]/, "", v)
			if (v !~ /^[0-9]+(\.[0-9]+)?$/) { print "bad value: " $0; bad = 1 }
			n = split($0, f, "} ")
			if ($0 ~ /}/ && (n != 2 || f[2] ~ / /)) { print "timestamp or junk: " $0; bad = 1 }
		}
		END { exit bad }' "$1")
	if [ $? = 0 ]; then
		pass "$2"
	else
		fail "$2" "$(head -5 <<<"$why")"
	fi
}

# ---- golden dumps -------------------------------------------------------------------

shopt -s nullglob
for tar in "$top_srcdir"/tests/golden/dumps/*.tar.xz; do
	name=$(basename "$tar" .tar.xz)
	mkdir -p "$TMP/$name"
	tar -xJf "$tar" -C "$TMP/$name" || { fail "$name: cannot unpack"; continue; }
	CGTOP_TEST_CLOCK=1764400000 "$CGTOP" --sysroot "$TMP/$name" -b --format prometheus >"$TMP/$name.prom"
	promtool_ok "$TMP/$name.prom" "$name dump: promtool check metrics accepts it"
	structure "$TMP/$name.prom" "$name dump: families whole, counters _total, plain values"
	rm -rf "${TMP:?}/$name"
done

# ---- label escaping, on a captured tree with odd group names ----------------------------
# The kernel refuses some names (a newline), so the names are made as plain
# directories in an unpacked v2 dump, each with a cgroup.procs of one task.
if [ -r "$top_srcdir/tests/golden/dumps/v2.tar.xz" ]; then
	mkdir -p "$TMP/odd"
	tar -xJf "$top_srcdir/tests/golden/dumps/v2.tar.xz" -C "$TMP/odd"
	onames=('q"uote' 'back\slash' $'new\nline' $'bad\xffbyte')
	olabels=('q\"uote"' 'back\\slash"' 'new\nline"' $'bad\xef\xbf\xbdbyte",cgroup_hex="2f626164ff62797465"')
	for ((i = 0; i < ${#onames[@]}; i++)); do
		mkdir -p "$TMP/odd/sys/fs/cgroup/${onames[i]}"
		printf '1\n' >"$TMP/odd/sys/fs/cgroup/${onames[i]}/cgroup.procs"
	done
	"$CGTOP" --sysroot "$TMP/odd" -b --format prometheus >"$TMP/odd.prom"
	promtool_ok "$TMP/odd.prom" "odd group names: promtool check metrics accepts it"
	for ((i = 0; i < ${#onames[@]}; i++)); do
		if grep -qxF "cgtop_tasks{cgroup=\"/${olabels[i]}} 1" "$TMP/odd.prom"; then
			pass "captured tree: escaped label for $(printf %q "${onames[i]}")"
		else
			fail "captured tree: escaped label for $(printf %q "${onames[i]}")" \
				"wanted /${olabels[i]}" "$(grep '^cgtop_tasks' "$TMP/odd.prom")"
		fi
	done
	rm -rf "${TMP:?}/odd"
else
	skip "label escaping on a captured tree" "no v2 dump"
fi

# ---- this host ----------------------------------------------------------------------

if grep -qE ' - cgroup2? ' /proc/self/mountinfo; then
	"$CGTOP" -b --format prometheus --depth 3 >"$TMP/host.prom" 2>"$TMP/host.err"
	is "$?" 0 "this host: cgtop -b --format prometheus exits 0"
	promtool_ok "$TMP/host.prom" "this host: promtool check metrics accepts it"
	structure "$TMP/host.prom" "this host: families whole, counters _total, plain values"
	ok "this host: cgtop_up 1" grep -qx 'cgtop_up 1' "$TMP/host.prom"
	ok "this host: no unlimited limit written as a number" \
		bash -c "! grep -E '^cgtop_(memory|pids)_(effective_)?max(_bytes)?\{.*\} (max|9223372036854|18446744073709551615)' '$TMP/host.prom'"
	"$CGTOP" -b --format prometheus --depth 1 -n 2 -d 0.1 >"$TMP/two.prom"
	awk -v d="$TMP" 'BEGIN { n = 1 } /^$/ { n++; next } { print >(d "/two." n) }' "$TMP/two.prom"
	is "$(grep -c '^$' "$TMP/two.prom")" 1 "-n 2: two expositions, one blank line apart"
	promtool_ok "$TMP/two.2" "-n 2: the second exposition passes promtool too"
else
	skip "this host" "no cgroup filesystem mounted"
fi

# ---- the man page names every metric of the column table ----------------------------

names=$(grep -o '"cgtop_[a-z_]*"' "$top_srcdir/src/sample/column.c" | tr -d '"' | sort -u)
mantext=$(sed 's/\\//g' "$top_srcdir/man/cgtop.1.in")
missing=()
for m in $names; do
	grep -qw -- "$m" <<<"$mantext" || missing+=("$m")
done
if [ ${#missing[@]} = 0 ] && [ -n "$names" ]; then
	pass "the man page documents every metric ($(wc -w <<<"$names"))"
else
	fail "the man page documents every metric" "missing: ${missing[*]}"
fi
extra=()
for m in $(grep -o 'cgtop_[a-z_]*' <<<"$mantext" | sort -u); do
	grep -qx -- "$m" <<<"$names" || extra+=("$m")
done
if [ ${#extra[@]} = 0 ]; then
	pass "the man page names no metric the column table lacks"
else
	fail "the man page names no metric the column table lacks" "${extra[*]}"
fi

# ---- escaping and limits on live groups (root) --------------------------------------

if [ "$(id -u)" != 0 ] || ! cg_discover; then
	skip "label escaping on live groups" "needs root and a cgroup filesystem"
	done_testing
fi
trap - EXIT
rm -rf "$TMP"
cg_init
# (a newline the kernel refuses in a group name: that one is checked on the
# captured tree above)
weird=('q"uote' 'back\slash' $'bad\xffbyte')
want=('q\"uote' 'back\\slash' $'bad\xef\xbf\xbdbyte')
cg_create "$CG_TEST/limited" memory pids || bail_out "cannot create $CG_TEST/limited"
if cg_file "$CG_TEST/limited" memory.max >/dev/null; then
	cg_write "$CG_TEST/limited" memory.max 33554432
else
	cg_write "$CG_TEST/limited" memory.limit_in_bytes 33554432
fi
cg_create "$CG_TEST/unlimited" memory pids || bail_out "cannot create $CG_TEST/unlimited"
# odd names made by hand below the test group in each hierarchy (lib.sh
# splits paths on newlines), registered so the cleanup removes them
made=()
_cg_dirsv "$CG_TEST"
for w in "${weird[@]}"; do
	m=0
	for d in "${CG_DIRS[@]}"; do
		mkdir -- "$d/$w" 2>/dev/null && CG_CREATED+=("$d/$w") && m=1
	done
	made+=("$m")
done
P=$CG_TMP/live.prom
"$CGTOP" -b --format prometheus "$CG_TEST" >"$P" 2>"$CG_TMP/live.err"
is "$?" 0 "live groups: exit 0"
promtool_ok "$P" "live groups with odd names: promtool check metrics accepts it"
structure "$P" "live groups: families whole"
for i in "${!weird[@]}"; do
	label="cgroup=\"$CG_TEST/${want[i]}\""
	# a name that is not UTF-8 also has its exact bytes, in hex
	[[ ${want[i]} == *$'\xef\xbf\xbd'* ]] &&
		label+=",cgroup_hex=\"$(printf '%s' "$CG_TEST/${weird[i]}" | od -An -tx1 -v | tr -d ' \n')\""
	if [ "${made[i]}" != 1 ]; then
		skip "escaped label for $(printf %q "${weird[i]}")" "cannot create that group here"
	elif grep -qF -- "cgtop_tasks{$label} 0" "$P"; then
		pass "escaped label for $(printf %q "${weird[i]}")"
	else
		fail "escaped label for $(printf %q "${weird[i]}")" "wanted $label" "$(grep cgtop_tasks "$P")"
	fi
done
is "$(grep -F "cgtop_memory_max_bytes{cgroup=\"$CG_TEST/limited\"}" "$P" | awk '{ print $2 }')" 33554432 \
	"a 32M limit is cgtop_memory_max_bytes 33554432"
is "$(grep -cF "cgtop_memory_max_bytes{cgroup=\"$CG_TEST/unlimited\"}" "$P")" 0 \
	"an unlimited group has no cgtop_memory_max_bytes sample"
ok "the unlimited group is there all the same" grep -qF "cgtop_tasks{cgroup=\"$CG_TEST/unlimited\"} 0" "$P"
done_testing
