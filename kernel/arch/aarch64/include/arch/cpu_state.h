/*
 * Values the kernel keeps in the processor's control registers while
 * native threads run, and (EL2 kernel) the ones a guest runs with: one
 * definition for boot (cpu.c) and for switching to and from vCPUs (vcpu.c).
 */
#ifndef ARCH_CPU_STATE_H
#define ARCH_CPU_STATE_H

#include <kernel/types.h>

/* SCTLR_EL1 bits letting EL0 read CTR_EL0 (UCT) and clean/invalidate the
   caches by address (UCI), as seL4 allows by default (libsel4 users rely
   on it for DMA buffers and self-modifying code). */
#define SCTLR_EL1_UCT       BIT(15)
#define SCTLR_EL1_UCI       BIT(26)
#define SCTLR_EL1_USER_CACHE_OPS (SCTLR_EL1_UCT | SCTLR_EL1_UCI)

/* CNTKCTL_EL1: EL0 may read both counters and the frequency (EL0PCTEN,
   EL0VCTEN) and drive the EL1 physical timer (EL0PTEN) for a user-level
   timer driver; the virtual timer stays the kernel's or a guest's. */
#define CNTKCTL_NATIVE      (BIT(0) | BIT(1) | BIT(9))

#ifdef CONFIG_KERNEL_EL2
/* HCR_EL2 bits (Arm ARM D13.2.46). */
#define HCR_VM      BIT(0)      /* stage 2 on */
#define HCR_SWIO    BIT(1)
#define HCR_FMO     BIT(3)      /* physical FIQ, IRQ, SError to EL2 */
#define HCR_IMO     BIT(4)
#define HCR_AMO     BIT(5)
#define HCR_DC      BIT(12)     /* stage 1 off reads as Normal write-back */
#define HCR_TWI     BIT(13)     /* WFI, WFE trap to EL2 */
#define HCR_TWE     BIT(14)
#define HCR_TSC     BIT(19)     /* SMC traps to EL2 */
#define HCR_TAC     BIT(21)
#define HCR_TTLB    BIT(25)
#define HCR_TVM     BIT(26)
#define HCR_TGE     BIT(27)     /* EL0 runs under EL2: exceptions come here */
#define HCR_RW      BIT(31)     /* EL1 is AArch64 */
#define HCR_COMMON  (HCR_VM | HCR_RW | HCR_AMO | HCR_IMO | HCR_FMO | HCR_TSC)
/* Native threads (as seL4 runs them): EL0, stage 1 off, stage 2 on. */
#define HCR_NATIVE  (HCR_COMMON | HCR_TGE | HCR_TVM | HCR_TTLB | HCR_DC | HCR_TAC | HCR_SWIO)
/* A guest: its own stage 1 at EL1; WFI and WFE trap (its VMM decides). */
#define HCR_GUEST   (HCR_COMMON | HCR_TWE | HCR_TWI)

/* SCTLR_EL1 (seL4's values): RES1, CP15 barriers, WFI and WFE run as
   normal (nTWI, nTWE), then for native threads caches on (stage 1 stays
   off) and EL0 cache maintenance; a new guest starts with its MMU and
   caches off and EL0 cache maintenance allowed. The RES1 value has EIS
   (bit 22) and EOS (bit 11) set, as the loader's: exception entry and
   return synchronise the context (the kernel's exit relies on it:
   arch/switch.h). */
#define SCTLR_EL1_RES1      0x30d00800ull
#define SCTLR_EL1_BASE      (SCTLR_EL1_RES1 | BIT(5) | BIT(16) | BIT(18))
#define SCTLR_EL1_NATIVE    (SCTLR_EL1_BASE | BIT(2) | BIT(12) | SCTLR_EL1_USER_CACHE_OPS)
#define SCTLR_EL1_GUEST     (SCTLR_EL1_BASE | SCTLR_EL1_USER_CACHE_OPS)

/* CNTHCTL_EL2: EL1/EL0 may read the physical count (EL1PCTEN) and, for
   native threads, use the EL1 physical timer (EL1PCEN); a guest's accesses
   to that timer trap, as it belongs to the native threads. */
#define CNTHCTL_EL1PCTEN    BIT(0)
#define CNTHCTL_EL1PCEN     BIT(1)
#define CNTHCTL_NATIVE      (CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN)
#define CNTHCTL_GUEST       CNTHCTL_EL1PCTEN

/* VTCR_EL2: 40-bit IPA (T0SZ 24) from level 1 (SL0 1), write-back inner
   shareable walks, 4 KiB granule, 40-bit output (PS 2), RES1 bit 31. */
#define VTCR_VALUE  (24 | (1ull << 6) | (1ull << 8) | (1ull << 10) | (3ull << 12) | \
                     (2ull << 16) | (1ull << 31))
#endif

#endif
