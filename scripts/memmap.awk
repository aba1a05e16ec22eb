# Turn board/<board>/memory.map into a C header for the loader and kernel.
# Input lines: kind base size name [flags]; '#' starts a comment.
function fail(msg) { printf("%s:%d: error: %s\n", FILENAME, FNR, msg) > "/dev/stderr"; bad = 1; exit 1 }
BEGIN { nram = 0; nres = 0; ndev = 0 }
{ sub(/#.*/, "") }
NF == 0 { next }
NF < 4 { fail("expected: kind base size name [flags]") }
$1 == "ram"      { ram[nram++] = $2 ", " $3; next }
$1 == "reserved" { res[nres++] = $2 ", " $3; next }
$1 == "device"   { dev[ndev++] = $2 ", " $3 ", " ($5 == "kernel" ? 1 : 0) ", \"" $4 "\""; next }
{ fail("unknown kind '" $1 "' (ram, reserved, device)") }
END {
    if (bad) exit 1
    if (nram == 0) { printf("%s: error: no ram range\n", FILENAME) > "/dev/stderr"; exit 1 }
    print "/* Generated from the board's memory.map by scripts/memmap.awk. Do not edit. */"
    print "#ifndef MEMORY_MAP_H"
    print "#define MEMORY_MAP_H"
    split(ram[0], first, ", ")
    printf("#define BOARD_RAM_BASE %sUL\n", first[1])
    printf("#define BOARD_NUM_RAM_RANGES %d\n", nram)
    printf("#define BOARD_RAM_RANGES {")
    for (i = 0; i < nram; i++) printf(" { %s },", ram[i])
    # Compile-time bounds the kernel's static asserts check (C evaluates them).
    printf(" }\n#define BOARD_RAM_ALL_BELOW(limit) (1")
    for (i = 0; i < nram; i++) { split(ram[i], r, ", "); printf(" && %s + %s <= (limit)", r[1], r[2]) }
    printf(")\n#define BOARD_RAM_GIB_BOUND (0")
    for (i = 0; i < nram; i++) { split(ram[i], r, ", "); printf(" + (%s >> 30) + 2", r[2]) }
    printf(")\n#define BOARD_NUM_RESERVED_RANGES %d\n", nres)
    printf("#define BOARD_RESERVED_RANGES {")
    for (i = 0; i < nres; i++) printf(" { %s },", res[i])
    printf(" }\n#define BOARD_NUM_DEVICE_RANGES %d\n", ndev)
    printf("#define BOARD_DEVICE_RANGES {")
    for (i = 0; i < ndev; i++) printf(" { %s },", dev[i])
    print " }"
    print "#endif"
}
