#!/bin/bash
# Builds and runs the sdfgen fuzz target (docs/sdf.md, "Fuzzing").
#
#   FUZZ_SECONDS=600 tests/fuzz/sdfgen/run.sh [libFuzzer options...]
#
# Seeds: tests/fuzz/sdfgen/seeds, tests/sdf/valid, tests/sdf/invalid. New
# inputs go to $O/tests/fuzz/sdfgen/corpus (O defaults to build/host), a
# crash or leak to $O/tests/fuzz/sdfgen/crash-*. The run stops after
# FUZZ_SECONDS (default 600) and the script exits non-zero if libFuzzer
# found anything. It ends with "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
srctree=$(cd "$here/../../.." && pwd)
O=${O:-$srctree/build/host}
case $O in /*) ;; *) O=$srctree/$O ;; esac
out=$O/tests/fuzz/sdfgen
seconds=${FUZZ_SECONDS:-600}

if ! command -v clang-14 >/dev/null && ! command -v clang >/dev/null; then
    echo "clang not found: the fuzz target needs clang with libFuzzer"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi
mkdir -p "$out/corpus"
if ! make -f "$here/Makefile" srctree="$srctree" O="$O" >"$out/build.log" 2>&1; then
    cat "$out/build.log"
    echo "0 passed, 1 failed"
    exit 1
fi

export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
"$out/fuzz_sdf" -max_total_time="$seconds" -timeout=10 -max_len=16384 \
    -dict="$here/sdf.dict" -artifact_prefix="$out/" -print_final_stats=1 \
    "$@" "$out/corpus" "$here/seeds" "$srctree/tests/sdf/valid" \
    "$srctree/tests/sdf/invalid" 2>&1 | tee "$out/fuzz.log" | grep -v '^#[0-9]*.*\(NEW\|REDUCE\|pulse\)'
status=${PIPESTATUS[0]}
if [ "$status" -eq 0 ]; then
    echo "1 passed, 0 failed"
else
    echo "fuzzer found a problem (exit status $status), see $out/fuzz.log"
    echo "0 passed, 1 failed"
fi
[ "$status" -eq 0 ]
