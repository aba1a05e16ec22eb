/*
 * Emulated device registers. A guest access to guest-physical memory that
 * no stage-2 mapping backs stops the vCPU with a VM fault whose syndrome
 * (ESR_EL2) says, for a single load or store, its size, direction and
 * register (Arm ARM D13.2.39, ISS of a data abort with ISV set). The VMM
 * finds the device registered for the address, performs the access on
 * its model, writes a load's result into the register and steps the vCPU
 * past the instruction.
 */
#ifndef VMM_MMIO_H
#define VMM_MMIO_H

#include <stdbool.h>
#include <stdint.h>
#include <vmm/arch.h>

#define ESR_EC_SHIFT            26
#define ESR_EC_MASK             0x3fu
#define ESR_EC_WFX              0x01u
#define ESR_EC_HVC64            0x16u
#define ESR_EC_SMC64            0x17u
#define ESR_EC_SYSREG           0x18u
#define ESR_EC_IABT_LOWER       0x20u
#define ESR_EC_DABT_LOWER       0x24u
#define ESR_IL                  (1u << 25)

static inline unsigned esr_class(uint64_t esr)
{
    return (unsigned)(esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
}

/* The instruction's length: 4 bytes (A64), or 2 for a 16-bit T32 one. */
static inline unsigned esr_instruction_length(uint64_t esr)
{
    return (esr & ESR_IL) ? 4 : 2;
}

struct mmio_access {
    bool write;
    bool sign_extend;           /* a load sign-extends to ... */
    bool wide;                  /* ... 64 bits (else 32) */
    unsigned size;              /* bytes: 1, 2, 4 or 8 */
    unsigned reg;               /* 0..30, or 31 for xzr */
};

/* Decode a data abort's syndrome; false if it is not one, or the access
 * is not a single register load or store (ISV clear: a pair, an atomic,
 * a write-back form), which the VMM cannot emulate. */
bool mmio_decode(uint64_t esr, struct mmio_access *out);

/* The value a store writes (xzr reads as zero). */
uint64_t mmio_store_value(const struct vmm_regs *regs, const struct mmio_access *a);
/* Put a load's result into its register, extended as the load says. */
void mmio_load_result(struct vmm_regs *regs, const struct mmio_access *a, uint64_t value);
/* The registers the access needs read (x0..x[n-1]), for vmm_arch_read_regs. */
unsigned mmio_regs_needed(const struct mmio_access *a);

/* A device model at [base, base + size) of guest-physical memory. */
struct vmm_guest;
typedef uint64_t (*mmio_read_fn)(struct vmm_guest *g, unsigned vcpu, uint64_t offset,
                                 unsigned size, void *cookie);
typedef void (*mmio_write_fn)(struct vmm_guest *g, unsigned vcpu, uint64_t offset,
                              unsigned size, uint64_t value, void *cookie);

struct mmio_device {
    const char *name;
    uint64_t base, size;
    mmio_read_fn read;
    mmio_write_fn write;
    void *cookie;
};

#endif
