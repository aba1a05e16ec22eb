#!/bin/bash
# The GDB remote-protocol engine of the future debug PD (pds/libgdbstub):
# unit tests against a simulated machine, then a real gdb-multiarch session
# through it, both with ASan/UBSan; and the engine must build freestanding
# for the target. Run by tests/host/run.sh; ends with "N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=${O:-$root/build/test/host/gdbstub}
mkdir -p "$out"
cd "$root" || exit 2
here=tests/host/gdbstub
pass=0
fail=0
result() {   # name ok detail
    if [ "$2" = 1 ]; then pass=$((pass + 1)); echo "PASS gdbstub/$1"
    else fail=$((fail + 1)); echo "FAIL gdbstub/$1${3:+: $3}"; fi
}

CFLAGS="-std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined -fno-sanitize-recover=all"
INC="-I pds/libgdbstub/include -I $here"
if ! ${HOSTCC:-gcc} $CFLAGS $INC pds/libgdbstub/src/rsp.c $here/fake_target.c $here/test_rsp.c -o "$out/test_rsp" ||
   ! ${HOSTCC:-gcc} $CFLAGS $INC pds/libgdbstub/src/rsp.c $here/fake_target.c $here/rsp_server.c -o "$out/rsp_server"; then
    echo "FAIL gdbstub/build"
    echo "0 passed, 1 failed"
    exit 1
fi

# The engine is freestanding target code: it must build as the PDs do.
cross=aarch64-linux-gnu-gcc
if command -v $cross >/dev/null; then
    $cross -std=gnu11 -O2 -ffreestanding -nostdinc -isystem "$($cross -print-file-name=include)" \
        -mgeneral-regs-only -Wall -Wextra -Werror -Wmissing-prototypes -I pds/libgdbstub/include \
        -I lib/include -c pds/libgdbstub/src/rsp.c -o "$out/rsp.aarch64.o" 2>"$out/cross.log"
    result builds-freestanding-for-aarch64 $([ $? = 0 ] && echo 1 || echo 0) "$(tail -3 "$out/cross.log")"
fi

# The unit tests' own closing line is folded into this suite's.
unit=$("$out/test_rsp" 2>&1)
grep -v ' passed, [0-9]* failed$' <<<"$unit"
if [[ $(tail -1 <<<"$unit") =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    pass=$((pass + BASH_REMATCH[1])); fail=$((fail + BASH_REMATCH[2]))
else
    result unit-tests 0 "no closing line (crashed?)"
fi

log="$out/gdb-session.log"
timeout 60 gdb-multiarch -q -nx -batch -x $here/session.gdb >"$log" 2>&1
section() { sed -n "/^@@ $1\$/,/^@@ /p" "$log"; }
has() { section "$1" | grep -Eq "$2"; }
has threads '1\.1 +Thread 1\.1 \(parser\) 0x0*200000' && has threads '2\.1 +Thread 2\.1 \(driver\)'
result gdb/threads-are-pds $([ $? = 0 ] && echo 1 || echo 0) "$(section threads)"
has regs '^x1 +0x101 ' && has regs '^pc +0x200000 '
result gdb/registers $([ $? = 0 ] && echo 1 || echo 0) "$(section regs)"
has mem '0x200000:.*0xd503201f.*0xd503201f'
result gdb/memory-read $([ $? = 0 ] && echo 1 || echo 0) "$(section mem)"
has break 'hit Breakpoint 1, 0x0*200010'
result gdb/software-breakpoint $([ $? = 0 ] && echo 1 || echo 0) "$(section break)"
has step '= 0x200014'
result gdb/stepi $([ $? = 0 ] && echo 1 || echo 0) "$(section step)"
has write '0x210000:.*0x00001234'
result gdb/memory-write $([ $? = 0 ] && echo 1 || echo 0) "$(section write)"
has watch 'hit Hardware watchpoint 2' && has watch 'New value = 1'
result gdb/hardware-watchpoint $([ $? = 0 ] && echo 1 || echo 0) "$(section watch)"
has thread2 '= 0x200$' && has thread2 '0x200000:.*0x14000000'
result gdb/second-pd-registers-and-memory $([ $? = 0 ] && echo 1 || echo 0) "$(section thread2)"
has monitor '^from the stub$'
result gdb/monitor-command $([ $? = 0 ] && echo 1 || echo 0) "$(section monitor)"
grep -q '^@@ end' "$log"
result gdb/session-completes $([ $? = 0 ] && echo 1 || echo 0) "$(tail -5 "$log")"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
