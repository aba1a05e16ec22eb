/*
 * Decoding emulated accesses (include/vmm/mmio.h): the ISS fields of a
 * data abort (Arm ARM, ESR_ELx for EC 0x24): ISV [24], SAS [23:22], SSE
 * [21], SRT [20:16], SF [15], WnR [6].
 */
#include <vmm/mmio.h>

#define ISS_ISV         (1u << 24)
#define ISS_SAS_SHIFT   22
#define ISS_SSE         (1u << 21)
#define ISS_SRT_SHIFT   16
#define ISS_SF          (1u << 15)
#define ISS_WNR         (1u << 6)
#define XZR             31

bool mmio_decode(uint64_t esr, struct mmio_access *out)
{
    if (esr_class(esr) != ESR_EC_DABT_LOWER || !(esr & ISS_ISV))
        return false;
    *out = (struct mmio_access){
        .write = esr & ISS_WNR,
        .sign_extend = esr & ISS_SSE,
        .wide = esr & ISS_SF,
        .size = 1u << ((esr >> ISS_SAS_SHIFT) & 3),
        .reg = (esr >> ISS_SRT_SHIFT) & 0x1f,
    };
    return true;
}

static uint64_t size_mask(unsigned size)
{
    return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

uint64_t mmio_store_value(const struct vmm_regs *regs, const struct mmio_access *a)
{
    if (a->reg == XZR)
        return 0;
    return regs->x[a->reg] & size_mask(a->size);
}

void mmio_load_result(struct vmm_regs *regs, const struct mmio_access *a, uint64_t value)
{
    if (a->reg == XZR)
        return;
    value &= size_mask(a->size);
    if (a->sign_extend && a->size < 8) {
        uint64_t sign = 1ull << (8 * a->size - 1);
        value = (value ^ sign) - sign;
    }
    /* A W register load zeroes the upper half. */
    if (!a->wide)
        value &= 0xffffffffull;
    regs->x[a->reg] = value;
}

unsigned mmio_regs_needed(const struct mmio_access *a)
{
    return a->reg == XZR ? 0 : a->reg + 1;
}
