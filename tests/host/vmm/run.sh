#!/bin/bash
# libvmm (pds/libvmm) on the host: its unit tests against a simulated
# kernel with ASan and UBSan, the generated device tree through dtc, and
# the library built freestanding for the target as PDs build it. Run by
# tests/host/run.sh; ends with "N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=${O:-$root/build/test/host/vmm}
mkdir -p "$out"
cd "$root" || exit 2
here=tests/host/vmm
pass=0
fail=0
result() {   # name ok detail
    if [ "$2" = 1 ]; then pass=$((pass + 1)); echo "PASS vmm/$1"
    else fail=$((fail + 1)); echo "FAIL vmm/$1${3:+: $3}"; fi
}

# The pure parts of the library; src/sel4_arch.c is the kernel's side.
srcs="pds/libvmm/src/guest.c pds/libvmm/src/vgic.c pds/libvmm/src/psci.c
      pds/libvmm/src/mmio.c pds/libvmm/src/pl011.c pds/libvmm/src/console.c
      pds/libvmm/src/linux.c pds/libvmm/src/guest_fdt.c lib/format.c"
CFLAGS="-std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined -fno-sanitize-recover=all"
# lib/include after the system headers: the host's string.h, our format.h.
INC="-I pds/libvmm/include -idirafter lib/include"
if ! ${HOSTCC:-gcc} $CFLAGS $INC $srcs $here/fake_arch.c $here/test_vmm.c -lfdt \
        -o "$out/test_vmm" 2>"$out/build.log"; then
    cat "$out/build.log"
    echo "FAIL vmm/build"
    echo "0 passed, 1 failed"
    exit 1
fi

# lib/'s stdlib and string pieces under other names, beside the host's.
rename="-Dstrtoul=lib_strtoul -Datoi=lib_atoi -Dmemchr=lib_memchr -Dstrchr=lib_strchr -Dstrrchr=lib_strrchr -Dstrstr=lib_strstr -Dstrlen=lib_strlen -Dstrncmp=lib_strncmp"
if ! ${HOSTCC:-gcc} $CFLAGS -ffreestanding -fno-builtin -nostdinc -isystem "$(${HOSTCC:-gcc} -print-file-name=include)" \
        -I lib/include $rename -c lib/stdlib.c -o "$out/lib_stdlib.o" 2>>"$out/build.log" ||
   ! ${HOSTCC:-gcc} $CFLAGS -ffreestanding -fno-builtin -nostdinc -isystem "$(${HOSTCC:-gcc} -print-file-name=include)" \
        -I lib/include $rename -c lib/string.c -o "$out/lib_string.o" 2>>"$out/build.log"; then
    cat "$out/build.log"
    result lib-build 0
fi
# Only the renamed functions of string.o: the rest would clash with libc.
objcopy --keep-global-symbol=lib_memchr --keep-global-symbol=lib_strchr \
    --keep-global-symbol=lib_strrchr --keep-global-symbol=lib_strstr \
    --keep-global-symbol=lib_strlen --keep-global-symbol=lib_strncmp "$out/lib_string.o" "$out/lib_string_kept.o" 2>/dev/null
${HOSTCC:-gcc} $CFLAGS $here/test_lib.c "$out/lib_stdlib.o" "$out/lib_string_kept.o" \
    -o "$out/test_lib" 2>>"$out/build.log" || result lib-build 0 "$(tail -3 "$out/build.log")"

for t in "test_vmm $out/guest.dtb" test_lib; do
    unit=$("$out"/$t 2>&1)
    grep -v ' passed, [0-9]* failed$' <<<"$unit"
    if [[ $(tail -1 <<<"$unit") =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
        pass=$((pass + BASH_REMATCH[1])); fail=$((fail + BASH_REMATCH[2]))
    else
        result "${t%% *}" 0 "no closing line (crashed?)"
    fi
done

# dtc reads the generated tree back without a warning.
if dtc -I dtb -O dts -o "$out/guest.dts" "$out/guest.dtb" 2>"$out/dtc.log" && [ ! -s "$out/dtc.log" ]; then
    result device-tree-passes-dtc 1
else
    result device-tree-passes-dtc 0 "$(head -5 "$out/dtc.log")"
fi

# The library is freestanding target code (-Werror, PD flags).
cross=aarch64-linux-gnu-gcc
if command -v $cross >/dev/null; then
    ok=1
    # libfdt's headers without the host's other ones (its env header
    # takes <stdlib.h> and <string.h> from lib/include).
    mkdir -p "$out/fdt-include"
    cp /usr/include/libfdt.h /usr/include/fdt.h /usr/include/libfdt_env.h "$out/fdt-include/"
    for s in $srcs lib/stdlib.c lib/stack_protector.c; do
        $cross -std=gnu11 -O2 -ffreestanding -nostdinc -isystem "$($cross -print-file-name=include)" \
            -Wall -Wextra -Werror -Wmissing-prototypes -I pds/libvmm/include -I lib/include \
            -I "$out/fdt-include" -c "$s" -o "$out/$(basename "$s" .c).aarch64.o" \
            2>>"$out/cross.log" || ok=0
    done
    result builds-freestanding-for-aarch64 $ok "$(tail -3 "$out/cross.log" 2>/dev/null)"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
