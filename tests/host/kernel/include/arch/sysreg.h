/*
 * Host stand-in for kernel/arch/aarch64/include/arch/sysreg.h. The host unit tests put
 * tests/host/kernel/include before the kernel's include paths, so the kernel sources
 * that touch system registers (thread.c's idle loop, traps.c) compile for
 * the host: register accesses go to the fake machine (host.c), WFI moves
 * its clock to the next interrupt, barriers do nothing. The ESR constants
 * are those of the real header; add any other one a compiled source needs.
 */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <kernel/types.h>

word_t host_read_sysreg(const char *name);
void host_write_sysreg(const char *name, word_t value);
void host_wfi(void);

#define read_sysreg(reg) read_sysreg_(reg)
#define write_sysreg(reg, v) write_sysreg_(reg, v)
#define read_sysreg_(reg) host_read_sysreg(#reg)
#define write_sysreg_(reg, v) host_write_sysreg(#reg, (word_t)(v))
/* The kernel's own EL's registers: the host runs the EL1 kernel. */
#define read_kreg(name) host_read_sysreg(#name "_el1")
#define write_kreg(name, v) host_write_sysreg(#name "_el1", (word_t)(v))

static inline void dsb_sy(void) { }
static inline void dsb_ish(void) { }
static inline void dsb_ishst(void) { }
static inline void isb(void) { }
static inline void wfi(void) { host_wfi(); }

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
#define ESR_EC_BRK64        0x3c

static inline unsigned esr_class(word_t esr)
{
    return (esr >> ESR_EC_SHIFT) & 0x3f;
}

#endif
