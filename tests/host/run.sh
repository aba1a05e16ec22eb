#!/bin/bash
# Host unit tests: runs every suite under tests/host/ and adds up their
# results (docs/testing.md, "Host unit tests"). `make test` and
# `make test-host` call this through scripts/testsuite.py.
#
# A suite is a directory tests/host/<suite>/ with
#   - run.sh    run as `bash tests/host/<suite>/run.sh`, or else
#   - Makefile  run as `make -f tests/host/<suite>/Makefile srctree=<root> O=<out> test`
# from the source root, with O=<root>/build/test/host/<suite> in the
# environment (whatever O the caller had). Its output is shown as is; its
# last line must be "N passed, N failed[, N skipped]", and it exits non-zero
# when a test failed. A suite that ends without that line, or exits non-zero
# while reporting no failure, counts as one failed test.
#
# The last line here is the sum: "N passed, N failed[, N skipped]"; the exit
# status is 1 if anything failed.
#
#   tests/host/run.sh [suite...]     only the named suites

set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2

summary_re='([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?[[:space:]]*$'
pass=0
fail=0
skip=0
suites=0

for dir in tests/host/*/; do
    dir=${dir%/}
    suite=$(basename "$dir")
    if [ $# -gt 0 ]; then
        wanted=0
        for s in "$@"; do [ "$s" = "$suite" ] && wanted=1; done
        [ "$wanted" = 1 ] || continue
    fi
    out="$root/build/test/host/$suite"
    if [ -f "$dir/run.sh" ]; then
        cmd=(bash "$dir/run.sh")
    elif [ -f "$dir/Makefile" ]; then
        cmd=(make --no-print-directory -f "$dir/Makefile" srctree="$root" O="$out" test)
    else
        continue
    fi
    suites=$((suites + 1))
    echo "--- host/$suite: ${cmd[*]}"
    start=$SECONDS
    last=
    status=
    while IFS= read -r line; do
        if [[ $line =~ ^@host-suite-exit\ ([0-9]+)$ ]]; then
            status=${BASH_REMATCH[1]}
            continue
        fi
        printf '%s\n' "$line"
        [[ $line =~ $summary_re ]] && last=$line
    done < <(O="$out" "${cmd[@]}" 2>&1; echo "@host-suite-exit $?")
    if [[ $last =~ $summary_re ]]; then
        pass=$((pass + BASH_REMATCH[1]))
        fail=$((fail + BASH_REMATCH[2]))
        skip=$((skip + ${BASH_REMATCH[4]:-0}))
        if [ "$status" != 0 ] && [ "${BASH_REMATCH[2]}" = 0 ]; then
            echo "FAIL host/$suite: exit status $status with no failed test"
            fail=$((fail + 1))
        fi
    else
        echo "FAIL host/$suite: no closing 'N passed, N failed' line (exit status $status)"
        fail=$((fail + 1))
    fi
    echo "--- host/$suite done in $((SECONDS - start)) s"
done

if [ "$suites" = 0 ]; then
    echo "no host test suite found${1:+ named $*}"
    fail=$((fail + 1))
fi
line="$pass passed, $fail failed"
[ "$skip" -gt 0 ] && line="$line, $skip skipped"
echo "$line"
[ "$fail" -eq 0 ]
