#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# deb.sh - the Debian package (debian/): `dpkg-buildpackage -us -uc -b` on a
# copy of the source tree (the files git knows in a clone, the whole tree of
# a release tarball) builds cgtop_*.deb holding the binary, cgtop(1), the
# bash and zsh completions, the example cgtoprc, the exporter's systemd unit
# and the fleet kit (alert rules, Grafana dashboard); lintian finds no error; `apt-get install ./cgtop_*.deb` installs it,
# the installed `cgtop -b -n 1` works, SQLite and libmicrohttpd (loaded with
# dlopen, not in the binary's NEEDED) are Recommends, and `dpkg -r` removes every file it
# installed.  The build runs with DEB_BUILD_OPTIONS=nocheck (this suite is
# what would run) and -j2.
# It installs into the real system: only when no cgtop package is installed
# and none of the package's files exists already (a cgtop installed by hand is
# left alone: those steps skip), and an exit trap purges the package again.
# Needs root, dpkg-buildpackage, debhelper and lintian (else skips).
# Building takes a CPU slot; installing waits for the host lane
# (tests/tap-wrap.sh), as it changes the system.
# test-lane: cpu 120
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")/../live" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
top_srcdir=${top_srcdir:-$(cd "$LIVE_DIR/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}

[ "$(id -u)" -eq 0 ] || skip_all "installing a package needs root"
for t in dpkg-buildpackage dh lintian apt-get dpkg-deb; do
	command -v "$t" >/dev/null || skip_all "$t is not installed (apt-get install dpkg-dev debhelper lintian)"
done
[ -f "$top_srcdir/debian/control" ] || bail_out "no debian/ in $top_srcdir"

W=$(mktemp -d "${TMPDIR:-/tmp}/cgtop-deb.XXXXXX") || bail_out "mktemp failed"
installed=0
cleanup()
{
	if [ "$installed" = 1 ]; then
		DEBIAN_FRONTEND=noninteractive dpkg --purge cgtop >"$W/purge.log" 2>&1 ||
			printf '# cleanup: dpkg --purge cgtop failed: %s\n' "$(tail -1 "$W/purge.log")"
	fi
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# ---- the source: what a clean clone would hold ---------------------------------------
S=$W/cgtop
mkdir "$S"
if [ "$(git -C "$top_srcdir" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$top_srcdir" && pwd -P)" ]; then
	# tracked and new files as they are now, not what is ignored (build output)
	(cd "$top_srcdir" && git ls-files -z -c -o --exclude-standard |
		tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -C "$S" -xf - ||
		bail_out "cannot copy the git tree"
	from="the git tree"
else
	# a release tarball (make distcheck builds in _build, installs in _inst)
	tar -C "$top_srcdir" --exclude=./_build --exclude=./_inst -cf - . | tar -C "$S" -xf - ||
		bail_out "cannot copy $top_srcdir"
	from="the release tree"
fi
chmod -R u+w "$S"
(cd "$S" && dpkg-checkbuilddeps) >"$W/deps.log" 2>&1 ||
	skip_all "build dependencies missing: $(sed 's/^dpkg-checkbuilddeps: *//' "$W/deps.log" | tail -1)"

# ---- build ----------------------------------------------------------------------------
(cd "$S" && DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -us -uc -b) >"$W/build.log" 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then
	fail "dpkg-buildpackage -us -uc -b on $from" "exit status $rc" "$(tail -30 "$W/build.log")"
	done_testing
fi
debs=("$W"/cgtop_*.deb)
if [ ! -f "${debs[0]}" ] || [ ${#debs[@]} -ne 1 ]; then
	fail "dpkg-buildpackage builds one cgtop_*.deb" "got: ${debs[*]}"
	done_testing
fi
DEB=${debs[0]}
pass "dpkg-buildpackage -us -uc -b on $from builds $(basename "$DEB")"

version=$(dpkg-deb -f "$DEB" Version)
is "cgtop $version" "$(sed -n '1s/^cgtop (\([^)]*\)).*/cgtop \1/p' "$top_srcdir/debian/changelog")" \
	"the package's version is debian/changelog's"
want_version=$(sed -n 's/^AC_INIT(\[cgtop\], \[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")
is "${version%%-*}" "$want_version" "debian/changelog's version is configure.ac's ($want_version)"

# SQLite and libmicrohttpd are loaded with dlopen, so they are not in the binary's NEEDED
# (no Depends from dpkg-shlibdeps): debian/rules makes them Recommends
dpkg-deb --fsys-tarfile "$DEB" | tar -xOf - ./usr/bin/cgtop >"$W/cgtop.bin"
recs=$(dpkg-deb -f "$DEB" Recommends)
deps=$(dpkg-deb -f "$DEB" Depends)
sonames=$(sed -n 's/^#define [A-Z]*_SONAME "\(.*\)"$/\1/p' "$S/config.h")
[ -n "$sonames" ] || fail "config.h names the sonames cgtop loads" "$(grep SONAME "$S/config.h")"
for so in $sonames; do
	pkg=$(dpkg-query -S "*/$so" 2>/dev/null | head -n 1 | cut -d: -f1)
	ok "$so is not among the packaged binary's NEEDED" \
		bash -c '! readelf -d "$1" | grep -F "(NEEDED)" | grep -qF "[$2]"' _ "$W/cgtop.bin" "$so"
	if [ -z "$pkg" ]; then
		fail "a package holds $so" "dpkg-query -S '*/$so' finds none"
		continue
	fi
	ok "Recommends names $pkg, which holds $so (Recommends: $recs)" grep -qE "(^|, )$pkg( |,|\$)" <<<"$recs"
	ok "Depends does not name $pkg (Depends: $deps)" bash -c '! grep -qE "(^|, )$1( |,|$)" <<<"$2"' _ "$pkg" "$deps"
done

# the package's files (paths without the leading .)
dpkg-deb -c "$DEB" | awk '{ p = $6; sub(/^\./, "", p); if ($1 !~ /^d/) print p }' >"$W/files"
for f in /usr/bin/cgtop /usr/share/man/man1/cgtop.1.gz /usr/share/bash-completion/completions/cgtop \
	/usr/share/zsh/vendor-completions/_cgtop /usr/share/doc/cgtop/examples/cgtoprc \
	/usr/share/cgtop/prometheus/cgtop-alerts.yml /usr/share/cgtop/grafana/cgtop.json \
	/lib/systemd/system/cgtop-exporter.service /usr/share/doc/cgtop/copyright; do
	grep -qxF "$f" "$W/files" && pass "the package holds $f" ||
		fail "the package holds $f" "$(cat "$W/files")"
done
dpkg-deb --fsys-tarfile "$DEB" | tar -xOf - ./lib/systemd/system/cgtop-exporter.service >"$W/unit"
ok "the unit runs /usr/bin/cgtop" grep -qx 'ExecStart=/usr/bin/cgtop --listen 127.0.0.1:9617' "$W/unit"
dpkg-deb --fsys-tarfile "$DEB" | tar -xOf - ./usr/share/man/man1/cgtop.1.gz | gzip -dc >"$W/man"
ok "the installed man page is not empty" test -s "$W/man"
ok "... no @VAR@ left in it" bash -c '! grep -q "@[A-Za-z_]*@" "$1"' _ "$W/man"

# ---- lintian ----------------------------------------------------------------------------
changes=("$W"/cgtop_*.changes)
lintian --no-tag-display-limit "${changes[0]}" >"$W/lintian.log" 2>&1
errors=$(grep -c '^E:' "$W/lintian.log")
is "$errors" 0 "lintian on $(basename "${changes[0]}"): no error"
[ "$errors" -eq 0 ] || diag "$(grep '^E:' "$W/lintian.log")"
grep -q '^W:' "$W/lintian.log" && diag "lintian warnings:" "$(grep '^W:' "$W/lintian.log")"

# ---- install, run, remove (the host lane: this changes the system) ------------------------
L=$top_builddir/tests/lanes
if [ "${CGTOP_TEST_LANES:-1}" != 0 ] && command -v flock >/dev/null && mkdir -p "$L" 2>/dev/null; then
	exec 9>"$L/host.lock" && flock 9
fi
clash=
if dpkg-query -W -f '${Status}' cgtop 2>/dev/null | grep -q 'installed'; then
	clash="a cgtop package is installed already ($(dpkg-query -W -f '${Version}' cgtop))"
else
	while IFS= read -r f; do
		if [ -e "$f" ] || [ -L "$f" ]; then
			clash="$f exists already (a cgtop installed by hand?)"
			break
		fi
	done <"$W/files"
fi
if [ -n "$clash" ]; then
	for what in "apt-get install ./$(basename "$DEB")" "the installed cgtop -b -n 1" "dpkg -r cgtop"; do
		skip "$what" "$clash: left alone"
	done
	done_testing
fi

installed=1
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	-o DPkg::Lock::Timeout=300 "$DEB" >"$W/install.log" 2>&1
rc=$?
is "$rc" 0 "apt-get install ./$(basename "$DEB")"
[ "$rc" -eq 0 ] || diag "$(tail -20 "$W/install.log")"
is "$(dpkg-query -W -f '${Status}' cgtop 2>/dev/null)" "install ok installed" "dpkg: cgtop is installed"
missing=
while IFS= read -r f; do [ -e "$f" ] || missing="$missing $f"; done <"$W/files"
is "$missing" "" "every file of the package is on the system"

out=$(/usr/bin/cgtop -b -n 1 --raw 2>"$W/run.err")
rc=$?
is "$rc" 0 "the installed cgtop -b -n 1 exits 0"
[ -s "$W/run.err" ] && diag "stderr: $(head -5 "$W/run.err")"
ok "... and prints the root group" grep -q '^/ ' <<<"$out"
is "$(/usr/bin/cgtop --version | head -1)" "cgtop $version" "the installed cgtop --version names the package's version"
ok "man cgtop finds the installed page" bash -c 'man -w cgtop | grep -qx /usr/share/man/man1/cgtop.1.gz'
ok "bash completion loads and completes --format" bash -c \
	'. /usr/share/bash-completion/completions/cgtop; COMP_WORDS=(cgtop --format ""); COMP_CWORD=2; _cgtop; [ "${COMPREPLY[*]}" = "text json prometheus" ]'
if command -v systemd-analyze >/dev/null; then
	ok "systemd-analyze verify accepts the installed unit" \
		systemd-analyze verify /lib/systemd/system/cgtop-exporter.service
fi
command -v zsh >/dev/null && ok "zsh finds the installed completion" zsh -fc 'autoload -U compinit; compinit -u -D; (( $+_comps[cgtop] ))'
ok "the exporter is not enabled by installing" bash -c \
	'! [ -e /etc/systemd/system/multi-user.target.wants/cgtop-exporter.service ]'

DEBIAN_FRONTEND=noninteractive dpkg -r cgtop >"$W/remove.log" 2>&1
rc=$?
is "$rc" 0 "dpkg -r cgtop"
[ "$rc" -eq 0 ] || diag "$(tail -20 "$W/remove.log")"
left=
while IFS= read -r f; do [ -e "$f" ] || [ -L "$f" ] && left="$left $f"; done <"$W/files"
is "$left" "" "dpkg -r removes every file the package installed"
ok "no cgtop on the PATH's /usr/bin" test ! -e /usr/bin/cgtop
DEBIAN_FRONTEND=noninteractive dpkg --purge cgtop >>"$W/remove.log" 2>&1
st=$(dpkg-query -W -f '${Status}' cgtop 2>/dev/null)
case $st in
*not-installed | "") pass "dpkg --purge cgtop: dpkg knows it as not installed" ;;
*) fail "dpkg --purge cgtop: dpkg knows it as not installed" "status: $st" ;;
esac
installed=0
done_testing
