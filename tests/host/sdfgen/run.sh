#!/bin/bash
# Unit tests of sdfgen's pure parts (test_sdfgen.c), built with ASan and
# UBSan against the objects of scripts/sdfgen's asan build. Ends with
# "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
srctree=$(cd "$here/../../.." && pwd)
O=${O:-$srctree/build/host}
case $O in /*) ;; *) O=$srctree/$O ;; esac
out=$O/tests/host/sdfgen
mkdir -p "$out"
objs=$O/scripts/sdfgen/asan/obj
if ! make -f "$srctree/scripts/sdfgen/Makefile" srctree="$srctree" O="$O" asan \
        >"$out/build.log" 2>&1 ||
   ! cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -g -O1 \
        -fsanitize=address,undefined -fno-sanitize-recover=all \
        -iquote "$srctree/scripts/sdfgen" -I "$srctree/pds/monitor/include" -I "$srctree/pds/include" \
        $(xml2-config --cflags) \
        -o "$out/test_sdfgen" "$here/test_sdfgen.c" \
        $(ls "$objs"/*.o | grep -v -e '/main\.o$' -e '/options\.o$' -e '/output\.o$') \
        $(xml2-config --libs) >>"$out/build.log" 2>&1; then
    cat "$out/build.log"
    echo "0 passed, 1 failed"
    exit 1
fi
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 "$out/test_sdfgen"
