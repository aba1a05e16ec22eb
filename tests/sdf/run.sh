#!/bin/bash
# System description compiler tests (docs/sdf.md, "Tests").
#
#   tests/sdf/run.sh [--update] [--fuzz-smoke] [NAME...]
#
# Builds sdfgen with ASan and UBSan through scripts/sdfgen/Makefile (under
# $O, default build/host), builds the test program images, then runs
#   - every invalid/<name>.system with --check: the diagnostics must be
#     exactly the `<?expect ...?>` lines of the file (notes listed there
#     must appear too), and the exit status 1 when an error is expected;
#   - every valid/<name>.system in full: its diagnostics likewise (warnings
#     only), and the outputs equal golden/<name>/; system_tables.c must
#     compile against pds/monitor/include/system_tables.h and
#     system_images.S must assemble;
#   - a --headers-only run, which needs no program image;
#   - the unit tests of tests/host/sdfgen (their checks count here too).
# Expectations are processing instructions rather than comments because
# messages may contain "--", which XML comments cannot. `line:column: ...`
# refers to the test file itself. A `<?sdfgen ARGS?>` line replaces the
# default board and config options.
# --update rewrites the golden files from the current outputs.
# --fuzz-smoke also runs the fuzz target for 30 seconds when clang exists.
# The last line is "N passed, N failed".
set -u
shopt -s nullglob

here=$(cd "$(dirname "$0")" && pwd)
srctree=$(cd "$here/../.." && pwd)
O=${O:-$srctree/build/host}
case $O in /*) ;; *) O=$srctree/$O ;; esac
build=$O/tests/sdf
update=0
fuzz_smoke=0
only=()
for arg in "$@"; do
    case $arg in
    --update) update=1 ;;
    --fuzz-smoke) fuzz_smoke=1 ;;
    -*) echo "run.sh: unknown option $arg" >&2; exit 2 ;;
    *) only+=("$arg") ;;
    esac
done

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() {
    failed=$((failed + 1))
    echo "FAIL: $1"
    [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /'
}

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

# ------------------------------------------------------------------- setup

mkdir -p "$build"
if ! make -f "$srctree/scripts/sdfgen/Makefile" srctree="$srctree" O="$O" asan \
        >"$build/build.log" 2>&1; then
    fail "build sdfgen (asan)" "$(cat "$build/build.log")"
    finish
fi
sdfgen=$O/scripts/sdfgen/asan/sdfgen
if ! cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -o "$build/mkelf" "$here/mkelf.c" ||
   ! "$here/make_elfs.sh" "$build/mkelf" "$build/elf"; then
    fail "build test program images"
    finish
fi

export ASAN_OPTIONS=detect_leaks=1:exitcode=99:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98
default_args=(--board boards/qemu_virt_aarch64 --config config/qemu.conf)
search_args=(--search-path "$build/elf" --search-path files)

selected() {
    [ ${#only[@]} -eq 0 ] && return 0
    local name
    for name in "${only[@]}"; do [ "$name" = "$1" ] && return 0; done
    return 1
}

# The ARGS of a `<?sdfgen ARGS?>` line, or the defaults.
case_args() {
    local line
    line=$(sed -n 's/^[[:space:]]*<?sdfgen \(.*\)?>[[:space:]]*$/\1/p' "$1" | head -1)
    if [ -n "$line" ]; then
        # shellcheck disable=SC2206
        args=($line)
    else
        args=("${default_args[@]}")
    fi
}

# Expected diagnostics, with the system file's name put back in front of
# those that start with line:column.
expected_lines() {
    sed -n 's/^[[:space:]]*<?expect \(.*\)?>[[:space:]]*$/\1/p' "$1" |
        sed "s|^\([0-9][0-9]*:[0-9]*: \)|$1:\1|"
}

# Compares diagnostics on stderr ($2) with the expectations of file $1.
# Sets $problem.
check_diagnostics() {
    local file=$1 stderr=$2 expected actual missing_notes
    if grep -q 'Sanitizer\|runtime error' "$stderr"; then
        problem="sanitizer report:
$(cat "$stderr")"
        return 1
    fi
    expected=$(expected_lines "$file" | grep -E ': (error|warning): ' | sort)
    actual=$(grep -E ': (error|warning): ' "$stderr" | sort)
    missing_notes=$(expected_lines "$file" | grep -E ': note: ' | while IFS= read -r note; do
        grep -qxF -- "$note" "$stderr" || echo "$note"
    done)
    if [ "$expected" != "$actual" ] || [ -n "$missing_notes" ]; then
        problem="diagnostics differ (- expected, + actual):
$(diff <(echo "$expected") <(echo "$actual") | grep '^[<>]' | sed 's/^</-/; s/^>/+/')${missing_notes:+
missing notes:
$missing_notes}"
        return 1
    fi
    return 0
}

# ----------------------------------------------------------------- invalid

cd "$here"
for file in invalid/*.system; do
    name=$(basename "$file" .system)
    selected "$name" || continue
    case_args "$file"
    stderr=$build/invalid-$name.err
    "$sdfgen" --check "${args[@]}" "${search_args[@]}" "$file" 2>"$stderr" >/dev/null
    status=$?
    want=0
    expected_lines "$file" | grep -q ': error: ' && want=1
    problem=
    if ! expected_lines "$file" | grep -q .; then
        fail "invalid/$name" "no <?expect ...?> line"
    elif ! check_diagnostics "$file" "$stderr"; then
        fail "invalid/$name" "$problem"
    elif [ "$status" -ne "$want" ]; then
        fail "invalid/$name" "exit status $status, expected $want"
    else
        pass
    fi
done

# ------------------------------------------------------------------- valid

golden_files() {
    (cd "$1" && find . -type f \( -name '*.h' -o -name system_tables.c -o \
        -name report.txt -o -name system.dot \) | sed 's|^\./||' | sort)
}

compile_outputs() {
    local out=$1
    cc -std=c11 -Wall -Wextra -Werror -I "$srctree/pds/monitor/include" -I "$srctree/pds/include" \
        -c -o "$out/system_tables.o" "$out/system_tables.c" 2>&1 &&
        { ! command -v aarch64-linux-gnu-gcc >/dev/null ||
          { aarch64-linux-gnu-gcc -std=c11 -ffreestanding -Wall -Wextra -Werror \
              -I "$srctree/pds/monitor/include" -I "$srctree/pds/include" -c -o "$out/system_tables.a64.o" \
              "$out/system_tables.c" &&
            aarch64-linux-gnu-gcc -c -o "$out/system_images.o" "$out/system_images.S"; } 2>&1; }
}

for file in valid/*.system; do
    name=$(basename "$file" .system)
    selected "$name" || continue
    case_args "$file"
    out=$build/valid/$name
    rm -rf "$out"
    stderr=$build/valid-$name.err
    "$sdfgen" "${args[@]}" "${search_args[@]}" --out "$out" "$file" 2>"$stderr" >/dev/null
    status=$?
    problem=
    if [ "$status" -ne 0 ]; then
        fail "valid/$name" "exit status $status:
$(cat "$stderr")"
        continue
    fi
    if ! check_diagnostics "$file" "$stderr"; then
        fail "valid/$name" "$problem"
        continue
    fi
    if [ "$update" -eq 1 ]; then
        rm -rf "golden/$name"
        mkdir -p "golden/$name"
        (cd "$out" && golden_files . | while read -r f; do
            mkdir -p "$here/golden/$name/$(dirname "$f")"
            cp "$f" "$here/golden/$name/$f"
        done)
    fi
    if [ ! -d "golden/$name" ]; then
        fail "valid/$name" "no golden/$name (run with --update)"
        continue
    fi
    differences=$({
        diff <(golden_files "golden/$name") <(golden_files "$out") | sed -n 's/^[<>]/file list: &/p'
        for f in $(golden_files "golden/$name"); do
            [ -f "$out/$f" ] && diff -u "golden/$name/$f" "$out/$f"
        done
    } | head -80)
    if [ -n "$differences" ]; then
        fail "valid/$name" "outputs differ from golden/$name:
$differences"
    elif ! errors=$(compile_outputs "$out"); then
        fail "valid/$name" "generated sources do not build:
$errors"
    else
        pass
    fi
done

# --------------------------------------------------------- headers only

if selected headers-only; then
    out=$build/headers-only
    rm -rf "$out"
    if "$sdfgen" --headers-only --out "$out" valid/full.system 2>"$build/headers-only.err" &&
       diff -r -u golden/full/include "$out/include" >"$build/headers-only.diff" 2>&1; then
        pass
    else
        fail "headers-only" "$(cat "$build/headers-only.err" "$build/headers-only.diff")"
    fi
fi

# ------------------------------------------------------------ large inputs
# Pathological sizes must stay fast (no quadratic pass): 50000 overlapping
# maps, 50000 channels reusing ids, 50000 fixed regions, an element with too
# many attributes. Each must finish within the time limit.

stress() {
    local name=$1 seconds=$2 file=$build/stress-$1.system
    shift 2
    "$@" >"$file"
    if timeout "$seconds" "$sdfgen" --check "${default_args[@]}" "${search_args[@]}" \
            "$file" >/dev/null 2>"$build/stress-$name.err"; then
        status=0
    else
        status=$?
    fi
    if [ "$status" -eq 1 ] && ! grep -q 'Sanitizer\|runtime error' "$build/stress-$name.err"; then
        pass
    else
        fail "stress/$name" "exit status $status (124: timed out):
$(tail -5 "$build/stress-$name.err")"
    fi
}

gen_maps() {
    awk 'BEGIN { print "<system><memory_region name=\"m\" size=\"0x1000\"/>";
        print "<protection_domain name=\"a\"><program_image path=\"pd.elf\"/>";
        for (i = 0; i < 50000; i++) print "<map mr=\"m\" vaddr=\"0x10000000\"/>";
        print "</protection_domain></system>" }'
}
gen_channels() {
    awk 'BEGIN { print "<system>";
        print "<protection_domain name=\"a\"><program_image path=\"pd.elf\"/></protection_domain>";
        print "<protection_domain name=\"b\"><program_image path=\"pd.elf\"/></protection_domain>";
        for (i = 0; i < 50000; i++)
            printf "<channel><end pd=\"a\" id=\"%d\"/><end pd=\"b\" id=\"%d\"/></channel>\n", i % 62, i % 62;
        print "</system>" }'
}
gen_fixed() {
    awk 'BEGIN { print "<system>";
        for (i = 0; i < 50000; i++)
            printf "<memory_region name=\"m%d\" size=\"0x2000\" phys_addr=\"0x%x\"/>\n", i, 1342177280 + i * 4096;
        print "<protection_domain name=\"a\"><program_image path=\"pd.elf\"/></protection_domain></system>" }'
}
gen_attributes() {
    awk 'BEGIN { printf "<system"; for (i = 0; i < 100000; i++) printf " a%d=\"1\"", i; print "/>" }'
}

if selected stress; then
    stress maps 60 gen_maps
    stress channels 60 gen_channels
    stress fixed 60 gen_fixed
    stress attributes 60 gen_attributes
fi

# ------------------------------------------------------------ unit tests

if [ ${#only[@]} -eq 0 ]; then
    "$srctree/tests/host/sdfgen/run.sh" >"$build/unit.log" 2>&1
    summary=$(tail -1 "$build/unit.log")
    if [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
        passed=$((passed + BASH_REMATCH[1]))
        failed=$((failed + BASH_REMATCH[2]))
        grep '^FAIL' "$build/unit.log"
    else
        fail "unit tests (tests/host/sdfgen)" "$(tail -20 "$build/unit.log")"
    fi
fi

# ---------------------------------------------------------- fuzz smoke

if [ "$fuzz_smoke" -eq 1 ]; then
    if FUZZ_SECONDS=30 "$srctree/tests/fuzz/sdfgen/run.sh" >"$build/fuzz-smoke.log" 2>&1; then
        pass
    else
        fail "fuzz smoke run" "$(tail -30 "$build/fuzz-smoke.log")"
    fi
fi

finish
