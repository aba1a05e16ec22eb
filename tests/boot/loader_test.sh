#!/bin/sh
# Boot-loader tests (QEMU boot modes, Odroid-C4 image, mkpayload input checks).
#   tests/boot/loader_test.sh [O]      O: a qemu_virt_aarch64 build directory
# The work is done by loader_test.py (stdlib Python); see its header.
exec /usr/bin/python3 "$(dirname "$0")/loader_test.py" "$@"
