/* AArch64 system-register access and barriers. */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#ifndef __ASSEMBLER__
#include <kernel/types.h>

/* The register name may be a macro (KREG(), USER_SPACE_REG...): expanded first. */
#define read_sysreg(reg) read_sysreg_(reg)
#define write_sysreg(reg, v) write_sysreg_(reg, v)
#define read_sysreg_(reg) ({ word_t v_; __asm__ volatile("mrs %0, " #reg : "=r"(v_)); v_; })
#define write_sysreg_(reg, v) __asm__ volatile("msr " #reg ", %0" :: "r"((word_t)(v)))

static inline void dsb_sy(void) { __asm__ volatile("dsb sy" ::: "memory"); }
static inline void dsb_ish(void) { __asm__ volatile("dsb ish" ::: "memory"); }
static inline void dsb_ishst(void) { __asm__ volatile("dsb ishst" ::: "memory"); }
static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void wfi(void) { __asm__ volatile("wfi" ::: "memory"); }
#endif

/*
 * The kernel's own exception-level registers: `_el1` for the EL1 kernel,
 * `_el2` for the EL2 (hypervisor) kernel. In C: read_kreg(esr) reads
 * esr_el1 or esr_el2; in assembly the REG_* names below.
 */
#ifdef CONFIG_KERNEL_EL2
#define KREG(name) name##_el2
#else
#define KREG(name) name##_el1
#endif
#ifndef __ASSEMBLER__
#define read_kreg(name) read_sysreg(KREG(name))
#define write_kreg(name, v) write_sysreg(KREG(name), v)
#endif

/* ESR_ELx exception classes the kernel handles. */
#define ESR_EC_SHIFT        26
#define ESR_EC_UNKNOWN      0x00
#define ESR_EC_WFX          0x01
#define ESR_EC_FP_ASIMD     0x07
#define ESR_EC_ILLEGAL      0x0e
#define ESR_EC_SVC64        0x15
#define ESR_EC_HVC64        0x16
#define ESR_EC_SMC64        0x17
#define ESR_EC_SYSREG       0x18
#define ESR_EC_IABT_LOWER   0x20
#define ESR_EC_IABT_CUR     0x21
#define ESR_EC_PC_ALIGN     0x22
#define ESR_EC_DABT_LOWER   0x24
#define ESR_EC_DABT_CUR     0x25
#define ESR_EC_SP_ALIGN     0x26
#define ESR_EC_FP_EXC64     0x2c
#define ESR_EC_SERROR       0x2f
#define ESR_EC_BREAKPOINT_LOWER 0x30
#define ESR_EC_STEP_LOWER   0x32
#define ESR_EC_WATCHPOINT_LOWER 0x34
#define ESR_EC_BRK64        0x3c

#ifndef __ASSEMBLER__
static inline unsigned esr_class(word_t esr)
{
    return (esr >> ESR_EC_SHIFT) & 0x3f;
}
#endif

#endif
