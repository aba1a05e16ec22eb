/*
 * System-register access and the register bits the loader uses (values from
 * the Arm Architecture Reference Manual, ARMv8-A).
 */
#ifndef LOADER_SYSREG_H
#define LOADER_SYSREG_H

#define SCTLR_M         (1 << 0)    /* stage-1 MMU */
#define SCTLR_A         (1 << 1)    /* alignment checks */
#define SCTLR_C         (1 << 2)    /* data and unified caches */
#define SCTLR_SA        (1 << 3)    /* SP alignment check */
#define SCTLR_SA0       (1 << 4)    /* SP alignment check at EL0 */
#define SCTLR_I         (1 << 12)   /* instruction cache */
/* RES1 bits of SCTLR_EL1, SCTLR_EL2 (HCR_EL2.E2H = 0) and SCTLR_EL3, ARMv8.0:
 * the safe "everything off, little-endian" values. */
#define SCTLR_EL1_RES1  0x30d00800
#define SCTLR_EL2_RES1  0x30c50830
#define SCTLR_EL3_RES1  SCTLR_EL2_RES1  /* same RES1 bits */

#ifndef __ASSEMBLER__
#include <stdint.h>

#define read_sysreg(reg) ({ \
    uint64_t value_; \
    __asm__ volatile("mrs %0, " #reg : "=r"(value_)); \
    value_; \
})

#define write_sysreg(reg, value) \
    __asm__ volatile("msr " #reg ", %0" : : "r"((uint64_t)(value)) : "memory")

static inline void isb(void)
{
    __asm__ volatile("isb" : : : "memory");
}

static inline void dsb_sy(void)
{
    __asm__ volatile("dsb sy" : : : "memory");
}

static inline unsigned current_el(void)
{
    return (unsigned)(read_sysreg(CurrentEL) >> 2) & 3;
}

#endif /* !__ASSEMBLER__ */
#endif
