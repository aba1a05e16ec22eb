#!/bin/bash
# Host tests of the driver transport (drivers/transport/): every test with
# ASan+UBSan, then the two-thread test again with ThreadSanitizer, which
# checks the queues' memory ordering. Ends with "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
srctree=$(cd "$here/../../.." && pwd)
O=${O:-$srctree/build/test/host/transport}
mkdir -p "$O"
src=("$here/test_queue.c" "$srctree/drivers/transport/queue.c" "$srctree/drivers/transport/connection.c")
flags=(-std=gnu11 -Wall -Wextra -Werror -g -O1 -pthread -I "$srctree/drivers/transport")
pass=0 fail=0
build() {   # build NAME SANITIZER-FLAGS...
    local name=$1; shift
    if ! cc "${flags[@]}" "$@" -o "$O/$name" "${src[@]}" >"$O/$name.build.log" 2>&1; then
        cat "$O/$name.build.log"
        echo "FAIL transport/build-$name"
        fail=$((fail + 1))
        return 1
    fi
}
tally() {   # add the closing line of a run
    local line
    line=$(tail -n 1 "$1")
    if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
        pass=$((pass + BASH_REMATCH[1])); fail=$((fail + BASH_REMATCH[2]))
    else
        echo "FAIL transport/$2: no closing line"; fail=$((fail + 1))
    fi
}
if build test_queue_asan -fsanitize=address,undefined -fno-sanitize-recover=all; then
    ASAN_OPTIONS=detect_leaks=1 "$O/test_queue_asan" | tee "$O/asan.log" | grep -v "passed,.*failed"
    tally "$O/asan.log" asan
fi
if build test_queue_tsan -fsanitize=thread; then
    TSAN_OPTIONS=halt_on_error=1 "$O/test_queue_tsan" --threads 2>&1 | sed 's/^PASS transport\/threads/PASS transport\/threads-tsan/' \
        | tee "$O/tsan.log" | grep -v "passed,.*failed"
    tally "$O/tsan.log" tsan
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
