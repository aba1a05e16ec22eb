#!/bin/sh
# Kernel conformance suite: build the test root task and the kernel for
# qemu_virt_aarch64, boot once in QEMU, report every test.
#
#   tests/kernel/run.sh                 all tests (build/test/kernel-tests)
#   STRESS=1 tests/kernel/run.sh        also the stress tests (build/test/kernel-tests-stress)
#   ONLY=ipc_,cnode_ tests/kernel/run.sh   only tests whose names start so
#
# Environment: O (build directory), TIMEOUT (seconds for the QEMU run;
# default 240, 3600 with STRESS=1), SILENCE (seconds without output before
# giving up, default 60), V=1 (show build commands), MACHINE (QEMU -machine,
# default virt,virtualization=on,gic-version=2).
# Last line: "N passed, N failed[, N skipped]"; exit status 1 on any failure.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1

BOARD=qemu_virt_aarch64
STRESS=${STRESS:-0}
ONLY=${ONLY:-}
V=${V:-0}
PYTHON=${PYTHON:-/usr/bin/python3}
if [ "$STRESS" = 1 ]; then
    O=${O:-build/test/kernel-tests-stress}
    TIMEOUT=${TIMEOUT:-3600}
else
    O=${O:-build/test/kernel-tests}
    TIMEOUT=${TIMEOUT:-240}
fi
SILENCE=${SILENCE:-60}
mkdir -p "$O"
O=$(cd "$O" && pwd)
ELF=$O/tests/kernel/kernel-tests.elf
IMAGE=$O/images/loader.img
BUILD_LOG=$O/kernel-tests-build.log

build() {
    # configuration and host tools, then the test root task, then the
    # kernel and the loader image around it
    make O="$O" V="$V" host-tools &&
    make -f tests/kernel/Makefile srctree="$root" O="$O" BOARD=$BOARD V="$V" \
        STRESS="$STRESS" ONLY="$ONLY" &&
    make O="$O" V="$V" ROOTTASK="$ELF" loader
}

echo "kernel-tests: building in $O"
if ! build >"$BUILD_LOG" 2>&1; then
    tail -n 40 "$BUILD_LOG" | sed 's/^/    | /'
    echo "FAIL kernel-tests/build: see $BUILD_LOG"
    echo "0 passed, 1 failed"
    exit 1
fi

# As many QEMU cores as the kernel is configured for.
CORES=$(sed -n 's/^CONFIG_MAX_NUM_NODES=//p' "$O/include/config/auto.conf" 2>/dev/null)
exec "$PYTHON" "$here/run.py" --elf "$ELF" --image "$IMAGE" --log "$O/kernel-tests.log" \
    --timeout "$TIMEOUT" --silence "$SILENCE" --only "$ONLY" --cores "${CORES:-1}"
