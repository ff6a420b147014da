#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# mkinitramfs.sh - build the initramfs of the cgtop test VM: a static busybox
# with its applet links, tests/vm/guest-init.sh as /init (and guest-systemd.sh
# beside it, for the systemd mode), and the installed
# kernel's modules needed for virtio-pci, the virtio disk, the 9p host share,
# overlayfs and veth (the launcher's --veth; /init loads them all, as the
# guest has no modprobe for the kernel to call) with their dependencies,
# resolved from modules.dep (no kmod needed).  It creates no device nodes, so
# it also works as non-root.  The result is a gzip'd newc cpio, written
# atomically (tmp + rename).
#
# Usage: mkinitramfs.sh -k KVER -o OUT.cpio.gz
# Exit status: 0 ok; 77 when a needed tool, static busybox or the kernel's
# modules are missing (the automake "skip" code); 1 on other failures.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
KVER= OUT=
MODS="virtio_pci virtio_blk 9pnet_virtio 9p overlay veth"
while getopts k:o: opt; do
	case $opt in
	k) KVER=$OPTARG ;;
	o) OUT=$OPTARG ;;
	*) echo "usage: mkinitramfs.sh -k KVER -o OUT.cpio.gz" >&2; exit 2 ;;
	esac
done
[ -n "$KVER" ] && [ -n "$OUT" ] || { echo "usage: mkinitramfs.sh -k KVER -o OUT.cpio.gz" >&2; exit 2; }

skip() { echo "mkinitramfs: $*" >&2; exit 77; }
MD=/lib/modules/$KVER
[ -r "$MD/modules.dep" ] || skip "no $MD/modules.dep (install the kernel's modules)"
for t in cpio gzip awk; do
	command -v $t >/dev/null || skip "$t not installed"
done
# busybox must be the static build (package busybox-static): the initramfs
# has no libc.  ldd fails ("not a dynamic executable") on a static binary.
BB=$(command -v busybox || true)
if [ -z "$BB" ] || ! [ -x "$BB" ] || ldd "$BB" >/dev/null 2>&1; then
	skip "needs a static busybox (apt-get install busybox-static)"
fi

case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac
ROOT=$(mktemp -d "${OUT%/*}/root.XXXXXX")
trap 'rm -rf "$ROOT" "$OUT.tmp"' EXIT
cd "$ROOT"
mkdir -p bin sbin usr/bin usr/sbin dev proc sys tmp etc lib/modules host newroot rw share wdir

cp "$BB" bin/busybox
for a in $("$BB" --list-full); do
	[ -e "$a" ] || ln -s /bin/busybox "$a"
done
cp "$HERE/guest-init.sh" init
cp "$HERE/guest-systemd.sh" guest-systemd.sh
chmod 755 init guest-systemd.sh

# Modules in dependency order -> lib/modules/load.list (for busybox insmod).
# A name missing from modules.dep must be built into the kernel.
: >"$ROOT/missing"
awk -v want="$MODS" -v missing="$ROOT/missing" '
function base(p) { sub(/.*\//, "", p); sub(/\.ko.*/, "", p); gsub(/-/, "_", p); return p }
function visit(n,   a, k, i) {
	if (n in done)
		return
	done[n] = 1
	if (!(n in path)) {
		print n > missing
		return
	}
	k = split(deps[n], a, " ")
	for (i = 1; i <= k; i++)
		visit(a[i])
	print path[n]
}
{
	key = $1; sub(/:$/, "", key); n = base(key); path[n] = key; deps[n] = ""
	for (i = 2; i <= NF; i++)
		deps[n] = deps[n] " " base($i)
}
END { k = split(want, w, " "); for (i = 1; i <= k; i++) visit(w[i]) }
' "$MD/modules.dep" >"$ROOT/mods"
while read -r m; do
	sed 's/-/_/g' "$MD/modules.builtin" 2>/dev/null | grep -q "/$m\.ko" ||
		skip "module $m not found for kernel $KVER"
done <"$ROOT/missing"
: >lib/modules/load.list
while read -r ko; do
	mkdir -p "lib/modules/$(dirname "$ko")"
	# newer kernels ship compressed modules; busybox insmod wants plain ELF
	case $ko in
	*.ko.xz) xz -dc "$MD/$ko" >"lib/modules/${ko%.xz}"; ko=${ko%.xz} ;;
	*.ko.zst) zstd -qdc "$MD/$ko" >"lib/modules/${ko%.zst}"; ko=${ko%.zst} ;;
	*.ko.gz) gzip -dc "$MD/$ko" >"lib/modules/${ko%.gz}"; ko=${ko%.gz} ;;
	*) cp "$MD/$ko" "lib/modules/$ko" ;;
	esac
	echo "$ko" >>lib/modules/load.list
done <"$ROOT/mods"
rm -f "$ROOT/missing" "$ROOT/mods"

find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1 >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "mkinitramfs: $OUT ($(du -k "$OUT" | cut -f1) KiB, kernel $KVER, $(wc -l <lib/modules/load.list) modules)" >&2
