#!/bin/sh
# The boards' device trees against the facts the rest of the tree holds:
# memory.map, board.h, and on QEMU the machine's own tree. See check_dtb.py.
exec /usr/bin/python3 "$(dirname "$0")/check_dtb.py" "$@"
