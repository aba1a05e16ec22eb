#!/bin/sh
# Fetch a Debian binary package of any architecture and unpack it into
# DEST, as `apt-get download` + `dpkg-deb -x` would, without touching the
# machine's apt or dpkg configuration:
#
#   fetch-debian-package.sh PACKAGE ARCH DEST
#
# PACKAGE may be a meta-package whose first dependency is the real one
# ("linux-image-cloud-arm64" -> linux-image-6.1.0-N-cloud-arm64); a
# "+unsigned" suffix then asks for that package's -unsigned twin (the
# same kernel without the Secure Boot signature wrapper). The apt state
# is private: the machine's Debian sources (every `deb` entry, as apt
# reads them), the foreign architecture set for this fetch alone. apt
# verifies the archive's signature and the package's checksum. DEST is
# made only on success, so an interrupted fetch is retried by the next
# build; DEST/.package names what was fetched.
set -e
pkg=$1 arch=$2 dest=$3
[ -n "$dest" ] || { echo "usage: $0 PACKAGE ARCH DEST" >&2; exit 2; }
[ -d "$dest" ] && exit 0
command -v dpkg-deb >/dev/null || { echo "fetch: dpkg-deb is missing (apt-get install dpkg)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/apt-private.sh"
apt_private_setup "$tmp" deb "$arch"
mkdir -p "$tmp/dl"
unsigned=
case $pkg in *+unsigned) pkg=${pkg%+unsigned}; unsigned=-unsigned ;; esac
echo "  FETCH   Debian package $pkg ($arch)"
# shellcheck disable=SC2086
if ! apt-get $apt_opts update >"$tmp/log" 2>&1; then
    cat "$tmp/log" >&2
    echo "fetch: could not read the Debian archive's package lists (is it reachable?)" >&2
    exit 1
fi
# A meta-package names the real one as its first dependency.
# shellcheck disable=SC2086
real=$(apt-cache $apt_opts depends "$pkg" 2>/dev/null | sed -n 's/^ *Depends: \([a-z0-9.+-]*\).*/\1/p' | head -n 1)
case $real in
    "$pkg"-*|linux-image-*) [ -n "$real" ] && pkg=$real ;;
esac
pkg=$pkg$unsigned
# shellcheck disable=SC2086
if ! (cd "$tmp/dl" && apt-get $apt_opts download "$pkg") >>"$tmp/log" 2>&1; then
    cat "$tmp/log" >&2
    echo "fetch: could not download the Debian package $pkg for $arch" >&2
    exit 1
fi
deb=$(ls "$tmp/dl"/*.deb | head -n 1)
dpkg-deb -x "$deb" "$tmp/unpacked"
basename "$deb" > "$tmp/unpacked/.package"
mkdir -p "$(dirname "$dest")"
mv "$tmp/unpacked" "$dest"
