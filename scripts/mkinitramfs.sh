#!/bin/sh
# Pack an initramfs (a gzip'd newc cpio archive, what Linux unpacks as its
# first root file system) from a statically linked busybox and an /init:
#
#   mkinitramfs.sh BUSYBOX INIT OUT.cpio.gz
#
# The archive holds /init, /bin/busybox and empty /proc, /sys, /dev,
# /tmp; busybox installs its applets at boot. Files are owned by root and
# dated 1970, so the same inputs always give the same bytes.
set -e
busybox=$1 init=$2 out=$3
[ -n "$out" ] || { echo "usage: $0 BUSYBOX INIT OUT.cpio.gz" >&2; exit 2; }
command -v cpio >/dev/null || { echo "mkinitramfs: cpio is missing (apt-get install cpio)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
cp "$busybox" "$root/bin/busybox"
cp "$init" "$root/init"
chmod 755 "$root/init" "$root/bin/busybox"
find "$root" -exec touch -h -d @0 {} +
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -9n > "$tmp/out"
mkdir -p "$(dirname "$out")"
mv "$tmp/out" "$out"
