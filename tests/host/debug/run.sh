#!/bin/bash
# Host unit tests of the debugging tools' pure parts (scripts/pddebug,
# scripts/sysreport.py, scripts/symbolise.py): page-table walks, capability
# decoding (checked against the kernel's cap.h), core files, the profile
# format and the report. Run by tests/host/run.sh; ends with "N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=${O:-$root/build/test/host/debug}
mkdir -p "$out"
cd "$root" || exit 2
if ! ${HOSTCC:-gcc} -std=gnu11 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
        -include tests/host/kernel/include/host_config.h -I kernel/include -I kernel/arch/aarch64/include -I kernel/uapi \
        tests/host/debug/cap_encodings.c -o "$out/cap_encodings"; then
    echo "FAIL debug/build: cap_encodings.c"
    echo "0 passed, 1 failed"
    exit 1
fi
if ! ${HOSTCC:-gcc} -std=gnu11 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
        -I pds/include -I kernel/uapi \
        tests/host/debug/profiler_layout.c -o "$out/profiler_layout"; then
    echo "FAIL debug/build: profiler_layout.c"
    echo "0 passed, 1 failed"
    exit 1
fi
CAP_ENCODINGS="$out/cap_encodings" PROFILER_LAYOUT="$out/profiler_layout" \
    exec /usr/bin/python3 tests/host/debug/test_pddebug.py
