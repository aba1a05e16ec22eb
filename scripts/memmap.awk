# Turn board/<board>/memory.map into what the build needs from it:
#   awk -f scripts/memmap.awk memory.map              a C header (loader, kernel)
#   awk -v out=dtsi -f scripts/memmap.awk memory.map  a device-tree fragment: one
#       /memory node per RAM range and a /reserved-memory node (no-map) per
#       reserved range, for the board's device tree (board/<board>/board.dts)
# Input lines: kind base size name [flags]; '#' starts a comment. Addresses
# and sizes are hexadecimal (0x...).
function fail(msg) { printf("%s:%d: error: %s\n", FILENAME, FNR, msg) > "/dev/stderr"; bad = 1; exit 1 }
function is_hex(v) { return v ~ /^0[xX][0-9a-fA-F]+$/ }
# 0x... as two 32-bit device-tree cells "0xHIGH 0xLOW" (string arithmetic:
# awk's numbers are doubles, and mawk reads no hexadecimal).
function cells(v,    digits, high, low) {
    digits = tolower(substr(v, 3))
    sub(/^0+/, "", digits)
    if (length(digits) > 16) fail("value " v " does not fit 64 bits")
    low = length(digits) > 8 ? substr(digits, length(digits) - 7) : digits
    high = length(digits) > 8 ? substr(digits, 1, length(digits) - 8) : ""
    return "0x" (high == "" ? "0" : high) " 0x" (low == "" ? "0" : low)
}
# The unit address of a node: the address in hex without 0x or leading zeros.
function unit(v,    digits) {
    digits = tolower(substr(v, 3))
    sub(/^0+/, "", digits)
    return digits == "" ? "0" : digits
}
BEGIN { nram = 0; nres = 0; ndev = 0 }
{ sub(/#.*/, "") }
NF == 0 { next }
NF < 4 { fail("expected: kind base size name [flags]") }
!is_hex($2) || !is_hex($3) { fail("base and size must be hexadecimal (0x...)") }
$1 == "ram"      { ram[nram] = $2 ", " $3; ram_base[nram] = $2; ram_size[nram++] = $3; next }
$1 == "reserved" { res[nres] = $2 ", " $3; res_base[nres] = $2; res_size[nres] = $3; res_name[nres++] = $4; next }
$1 == "device"   { dev[ndev++] = $2 ", " $3 ", " ($5 == "kernel" ? 1 : 0) ", \"" $4 "\""; next }
{ fail("unknown kind '" $1 "' (ram, reserved, device)") }
function print_header() {
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
# Cells are two per address and size: the board's root node must say
# #address-cells = <2> and #size-cells = <2> (every AArch64 board does).
function print_dtsi() {
    print "/* Generated from the board's memory.map by scripts/memmap.awk. Do not edit. */"
    print "/ {"
    for (i = 0; i < nram; i++) {
        printf("\tmemory@%s {\n\t\tdevice_type = \"memory\";\n", unit(ram_base[i]))
        printf("\t\treg = <%s %s>;\n\t};\n", cells(ram_base[i]), cells(ram_size[i]))
    }
    if (nres > 0) {
        print "\treserved-memory {"
        print "\t\t#address-cells = <2>;\n\t\t#size-cells = <2>;\n\t\tranges;"
        for (i = 0; i < nres; i++) {
            printf("\t\t%s@%s {\n", res_name[i], unit(res_base[i]))
            printf("\t\t\treg = <%s %s>;\n\t\t\tno-map;\n\t\t};\n", cells(res_base[i]), cells(res_size[i]))
        }
        print "\t};"
    }
    print "};"
}
END {
    if (bad) exit 1
    if (nram == 0) { printf("%s: error: no ram range\n", FILENAME) > "/dev/stderr"; exit 1 }
    if (out == "dtsi") print_dtsi(); else print_header()
}
