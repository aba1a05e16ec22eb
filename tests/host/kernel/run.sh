#!/bin/bash
# Host unit tests of the kernel: build tests/host/kernel/test_*.c with the
# kernel sources (ASan + UBSan, host compiler) and run every test binary.
# Prints each test's PASS/FAIL line and ends with "N passed, N failed";
# exits 1 if anything failed (a build failure counts as one failed test).
#
#   tests/host/kernel/run.sh [test-name-substring...]
#
# Environment: HOSTCC (gcc), O (build/test/host/kernel), V=1 (commands).

set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root" || exit 2
out=${O:-build/test/host/kernel}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

log=$(mktemp "${TMPDIR:-/tmp}/host-kernel-build.XXXXXX")
trap 'rm -f "$log"' EXIT
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
if ! make -f tests/host/kernel/Makefile O="$out" HOSTCC="${HOSTCC:-gcc}" V="${V:-0}" -j"$jobs" \
        >"$log" 2>&1; then
    sed 's/^/    /' "$log"
    echo "FAIL kernel/build: the host unit tests do not build"
    echo "0 passed, 1 failed"
    exit 1
fi

pass=0
fail=0
for bin in "$out"/test_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    # Every binary ends with its own "N passed, N failed" line.
    summary=
    status=
    while IFS= read -r line; do
        if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
            summary=$line
            pass=$((pass + BASH_REMATCH[1]))
            fail=$((fail + BASH_REMATCH[2]))
        elif [[ $line =~ ^@exit-status\ ([0-9]+)$ ]]; then
            status=${BASH_REMATCH[1]}
        else
            printf '%s\n' "$line"
        fi
    done < <("$bin" "$@" 2>&1; echo "@exit-status $?")
    if [ -z "$summary" ]; then
        echo "FAIL $name: ended without its summary line (exit status $status)"
        fail=$((fail + 1))
    elif [ "$status" != 0 ] && [[ $summary =~ \ 0\ failed$ ]]; then
        echo "FAIL $name: exit status $status with no failed test"
        fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
