#!/bin/sh
# Check that the host has every Debian package the build and tests need.
# As root (or with passwordless sudo) the missing ones are installed;
# otherwise the script stops with the one apt-get line to run.
#
#   host-deps.sh            what the build needs
#   host-deps.sh --tests    and what only the tests need (scripts/testsuite.py)
set -e

# package:command-or-file that proves it is installed
NEEDS="
gcc-aarch64-linux-gnu:aarch64-linux-gnu-gcc
binutils-aarch64-linux-gnu:aarch64-linux-gnu-objcopy
gcc:cc
make:make
qemu-system-arm:qemu-system-aarch64
u-boot-tools:mkimage
device-tree-compiler:dtc
gdb-multiarch:gdb-multiarch
openocd:openocd
python3-kconfiglib:/usr/lib/python3/dist-packages/kconfiglib.py
libxml2-dev:xml2-config
graphviz:dot
u-boot-qemu:/usr/lib/u-boot/qemu_arm64/u-boot.bin
dpkg-dev:dpkg-source
cpio:cpio
clang:clang
libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a
"
# The system report test renders the report in headless Chromium and looks
# at the picture (tests/debug/run.py).
TEST_NEEDS="
chromium:chromium
python3-pil:/usr/lib/python3/dist-packages/PIL/__init__.py
libfdt-dev:/usr/include/libfdt.h
"
[ "${1:-}" = --tests ] && NEEDS="$NEEDS $TEST_NEEDS"

missing=""
for need in $NEEDS; do
    pkg=${need%%:*}
    probe=${need#*:}
    case $probe in
        /*) ls $probe >/dev/null 2>&1 && continue ;;
        *) command -v "$probe" >/dev/null 2>&1 && continue ;;
    esac
    missing="$missing $pkg"
done

[ -z "$missing" ] && exit 0

echo "host-deps: missing packages:$missing"
if [ "$(id -u)" = 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "host-deps: run this once, then make again:"
    echo "  sudo apt-get install -y$missing"
    exit 1
fi
echo "host-deps: installing them (apt-get)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q --no-install-recommends$missing >/dev/null
