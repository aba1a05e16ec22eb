#!/bin/sh
# ABI and header tests for kernel/uapi (the seL4 AArch64 MCS user API).
#
# Every compile counts as one test, and so does every test program run.
# Last line: "N passed, N failed[, N skipped]"; exit status 1 on any failure.
#
# Environment: CROSS_COMPILE (default aarch64-linux-gnu-), HOSTCC (gcc),
# HOSTCXX (g++), CLANG/CLANGXX (clang/clang++; their AArch64 builds are
# skipped if missing),
# V=1 to show each command.

set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
uapi="$root/kernel/uapi"

CROSS_COMPILE=${CROSS_COMPILE-aarch64-linux-gnu-}
TCC="${CROSS_COMPILE}gcc"
HOSTCC=${HOSTCC-gcc}
HOSTCXX=${HOSTCXX-g++}
CLANG=${CLANG-clang}
V=${V-0}

out=$(mktemp -d "${TMPDIR:-/tmp}/sel4-abi.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM

# Flags every header must survive: strict C11 (or GNU11), all warnings fatal.
WARN="-Wall -Wextra -Werror -pedantic"
KERNEL="-ffreestanding -mgeneral-regs-only"   # how the kernel builds

pass=0
fail=0
skip=0

# run NAME CMD...: one test; prints PASS/FAIL and the output on failure.
run() {
    name=$1
    shift
    [ "$V" = 1 ] && echo "  $*"
    if "$@" >"$out/log" 2>&1; then
        pass=$((pass + 1))
        echo "PASS $name"
    else
        fail=$((fail + 1))
        echo "FAIL $name"
        sed 's/^/    /' "$out/log"
    fi
}

skip() {
    skip=$((skip + 1))
    echo "SKIP $1"
}

have() { command -v "$1" >/dev/null 2>&1; }

# ---- abi_check.c: static asserts + folded bit-layout checks ----------------
for std in c11 gnu11; do
    run "abi_check aarch64 -std=$std" \
        $TCC -std=$std $KERNEL $WARN -O2 -I"$uapi" -c "$here/abi_check.c" -o "$out/abi_a64.o"
    run "abi_check host -std=$std" \
        $HOSTCC -std=$std -ffreestanding $WARN -O2 -I"$uapi" -c "$here/abi_check.c" -o "$out/abi_host.o"
done
# With seL4's hardware-debug API: the four debug labels, every later one moved.
run "abi_check aarch64 CONFIG_HARDWARE_DEBUG_API" \
    $TCC -std=c11 $KERNEL $WARN -O2 -DCONFIG_HARDWARE_DEBUG_API -I"$uapi" -c "$here/abi_check.c" \
        -o "$out/abi_a64_dbg.o"
run "abi_check host build (runtime checks)" \
    $HOSTCC -std=c11 $WARN -O0 -DABI_CHECK_RUN -I"$uapi" "$here/abi_check.c" -o "$out/abi_check"
run "abi_check host run" "$out/abi_check"

# ---- pure headers: each one on its own, with the kernel's flags ------------
pure="macros.h simple_types.h constants.h errors.h syscall.h objecttype.h invocation.h \
shared_types.h bootinfo_types.h abi.h types.h"
pure_one() {   # pure_one CC EXTRA...: every pure header alone, no libc headers
    cc=$1
    shift
    for h in $pure; do
        printf '#include <sel4/%s>\ntypedef int one_tu_not_empty;\n' "$h" >"$out/one.c"
        "$cc" -std=c11 -nostdinc "$@" $WARN -I"$uapi" -c "$out/one.c" -o "$out/one.o" || return 1
    done
}
run "pure headers standalone aarch64 (-nostdinc, kernel flags)" pure_one "$TCC" $KERNEL
run "pure headers standalone host (-nostdinc)" pure_one "$HOSTCC" -ffreestanding
printf '#include <sel4/abi.h>\n' >"$out/asm.S"
run "abi.h from assembly (aarch64)" \
    $TCC -x assembler-with-cpp -I"$uapi" -c "$out/asm.S" -o "$out/asm.o"
printf '#include <sel4/abi.h>\n' >"$out/cxx.cc"
if have "$HOSTCXX"; then
    run "abi.h as C++11 (host)" \
        $HOSTCXX -std=c++11 $WARN -I"$uapi" -c "$out/cxx.cc" -o "$out/cxx.o"
else
    skip "abi.h as C++11 (host): $HOSTCXX not found"
fi

# ---- the full user API: every inline function instantiated for AArch64 -----
for opt in -O0 -O2; do
    for std in c11 gnu11; do
        run "compile_all aarch64 -std=$std $opt" \
            $TCC -std=$std -ffreestanding $WARN $opt -I"$uapi" \
                -c "$here/compile_all.c" -o "$out/all.o"
    done
done
run "compile_all aarch64 CONFIG_HARDWARE_DEBUG_API" \
    $TCC -std=c11 -ffreestanding $WARN -O2 -DCONFIG_HARDWARE_DEBUG_API -I"$uapi" \
        -c "$here/compile_all.c" -o "$out/all_dbg.o"
if have "$CLANG"; then
    run "compile_all aarch64 clang -std=c11 -O2" \
        $CLANG --target=aarch64-linux-gnu -std=c11 -ffreestanding $WARN -O2 -I"$uapi" \
            -c "$here/compile_all.c" -o "$out/all_clang.o"
else
    skip "compile_all aarch64 clang: $CLANG not found"
fi
CLANGXX=${CLANGXX-clang++}
if have "$CLANGXX"; then
    # C++ callers: every wrapper must also compile as C++11 (extern "C").
    run "compile_all aarch64 as C++11 (clang++)" \
        $CLANGXX --target=aarch64-linux-gnu -x c++ -std=c++11 -ffreestanding $WARN \
            -Wno-missing-field-initializers -O2 -I"$uapi" \
            -c "$here/compile_all.c" -o "$out/all_cxx.o"
else
    skip "compile_all aarch64 as C++11: $CLANGXX not found"
fi
for src in "$uapi"/src/*.c; do
    run "uapi runtime $(basename "$src") aarch64" \
        $TCC -std=c11 -ffreestanding $WARN -O2 -I"$uapi" -c "$src" -o "$out/rt.o"
done

# ---- marshalling: every wrapper and stub against the documented layout -----
run "marshal_test host build -O2" \
    $HOSTCC -std=c11 $WARN -O2 -DSEL4_UAPI_TRAP_HOOK -I"$uapi" \
        "$here/marshal_test.c" -o "$out/marshal_O2"
run "marshal_test host run -O2" "$out/marshal_O2"
run "marshal_test host build CONFIG_HARDWARE_DEBUG_API" \
    $HOSTCC -std=c11 $WARN -O2 -DSEL4_UAPI_TRAP_HOOK -DCONFIG_HARDWARE_DEBUG_API -I"$uapi" \
        "$here/marshal_test.c" -o "$out/marshal_dbg"
run "marshal_test host run CONFIG_HARDWARE_DEBUG_API" "$out/marshal_dbg"
if $HOSTCC -fsanitize=address,undefined -x c -o "$out/san" - >/dev/null 2>&1 <<'EOF'
int main(void) { return 0; }
EOF
then
    run "marshal_test host build -O0 asan+ubsan" \
        $HOSTCC -std=c11 $WARN -O0 -fsanitize=address,undefined -fno-sanitize-recover=all \
            -DSEL4_UAPI_TRAP_HOOK -I"$uapi" "$here/marshal_test.c" -o "$out/marshal_O0"
    run "marshal_test host run -O0 asan+ubsan" "$out/marshal_O0"
else
    skip "marshal_test with sanitizers: $HOSTCC cannot link -fsanitize=address,undefined"
fi

if [ "$skip" -gt 0 ]; then
    echo "$pass passed, $fail failed, $skip skipped"
else
    echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
