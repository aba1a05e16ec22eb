#include <esr.h>
#include <stddef.h>

struct name {
    unsigned code;
    const char *text;
};

static const struct name classes[] = {
    { 0x00, "unknown reason" },
    { 0x01, "WFI/WFE" },
    { 0x07, "SVE/SIMD/FP access" },
    { 0x0e, "illegal execution state" },
    { 0x11, "SVC (AArch32)" },
    { 0x15, "SVC (AArch64)" },
    { 0x16, "HVC (AArch64)" },
    { 0x17, "SMC (AArch64)" },
    { 0x18, "MSR/MRS/system instruction" },
    { 0x20, "instruction abort from a lower EL" },
    { 0x21, "instruction abort from the same EL" },
    { 0x22, "PC alignment fault" },
    { 0x24, "data abort from a lower EL" },
    { 0x25, "data abort from the same EL" },
    { 0x26, "SP alignment fault" },
    { 0x2c, "floating-point exception" },
    { 0x2f, "SError interrupt" },
    { 0x30, "breakpoint from a lower EL" },
    { 0x31, "breakpoint from the same EL" },
    { 0x32, "software step from a lower EL" },
    { 0x33, "software step from the same EL" },
    { 0x34, "watchpoint from a lower EL" },
    { 0x35, "watchpoint from the same EL" },
    { 0x3c, "BRK instruction" },
};

static const struct name fault_statuses[] = {
    { 0x00, "address size fault, level 0" },
    { 0x01, "address size fault, level 1" },
    { 0x02, "address size fault, level 2" },
    { 0x03, "address size fault, level 3" },
    { 0x04, "translation fault, level 0" },
    { 0x05, "translation fault, level 1" },
    { 0x06, "translation fault, level 2" },
    { 0x07, "translation fault, level 3" },
    { 0x09, "access flag fault, level 1" },
    { 0x0a, "access flag fault, level 2" },
    { 0x0b, "access flag fault, level 3" },
    { 0x0d, "permission fault, level 1" },
    { 0x0e, "permission fault, level 2" },
    { 0x0f, "permission fault, level 3" },
    { 0x10, "synchronous external abort" },
    { 0x11, "synchronous tag check fault" },
    { 0x14, "external abort on table walk, level 0" },
    { 0x15, "external abort on table walk, level 1" },
    { 0x16, "external abort on table walk, level 2" },
    { 0x17, "external abort on table walk, level 3" },
    { 0x18, "synchronous parity/ECC error" },
    { 0x21, "alignment fault" },
    { 0x30, "TLB conflict abort" },
};

static const char *lookup(const struct name *table, size_t n, unsigned code)
{
    for (size_t i = 0; i < n; i++)
        if (table[i].code == code)
            return table[i].text;
    return "reserved or unrecognised";
}

const char *esr_class_name(unsigned ec)
{
    return lookup(classes, sizeof(classes) / sizeof(classes[0]), ec);
}

const char *esr_fault_status_name(unsigned fsc)
{
    return lookup(fault_statuses, sizeof(fault_statuses) / sizeof(fault_statuses[0]), fsc);
}
