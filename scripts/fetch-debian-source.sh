#!/bin/sh
# Fetch and unpack a Debian source package, as `apt-get source` would, into
# DEST, without touching the machine's apt configuration:
#
#   fetch-debian-source.sh PACKAGE UPSTREAM-VERSION DEST
#
# The deb-src lines are made from the machine's own Debian sources (every
# `deb` entry of /etc/apt/sources.list and sources.list.d, as deb-src) in a
# private apt state directory; apt verifies the archive's signature and the
# files' checksums, dpkg-source verifies the .dsc and applies Debian's
# patches. Used for lwIP (drivers/network/lwip/lwip.mk). DEST is made only
# on success, so an interrupted fetch is retried by the next build.
set -e
pkg=$1 version=$2 dest=$3
[ -n "$dest" ] || { echo "usage: $0 PACKAGE UPSTREAM-VERSION DEST" >&2; exit 2; }
[ -d "$dest" ] && exit 0
command -v dpkg-source >/dev/null || { echo "fetch: dpkg-source is missing (apt-get install dpkg-dev)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/apt-private.sh"
apt_private_setup "$tmp" deb-src
mkdir -p "$tmp/src"
echo "  FETCH   Debian source package $pkg ($version)"
# shellcheck disable=SC2086
if ! apt-get $apt_opts update >"$tmp/log" 2>&1 ||
   ! (cd "$tmp/src" && apt-get $apt_opts source --download-only "$pkg") >>"$tmp/log" 2>&1; then
    cat "$tmp/log" >&2
    echo "fetch: could not download the Debian source package $pkg (is the Debian archive reachable?)" >&2
    exit 1
fi
dsc=$(ls "$tmp/src/${pkg}_${version}"*.dsc 2>/dev/null | head -n 1)
[ -n "$dsc" ] || { echo "fetch: Debian offers no $pkg $version:" >&2; ls "$tmp/src" >&2; exit 1; }
dpkg-source -x "$dsc" "$tmp/unpacked" >>"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }
mkdir -p "$(dirname "$dest")"
cp "$dsc" "$tmp/unpacked/debian/source.dsc"
mv "$tmp/unpacked" "$dest"
