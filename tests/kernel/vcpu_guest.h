/*
 * vcpu_guest.h - what the VCPU tests (vcpu.c) and their guest code
 * (vcpu_guest.S) share: the immediates the guest's `smc` reports carry,
 * the GIC CPU interface registers the guest uses, and the guest entry
 * points. Hypervisor configuration only (CONFIG_ARM_HYPERVISOR_SUPPORT).
 *
 * The guest sequences run at EL1 in a thread with a VCPU, in the root
 * task's VSpace: with the guest's MMU off a virtual address is the
 * intermediate physical address, which is the root task's own address, so
 * the code runs where it was linked. Each sequence ends in a trap that
 * the VMM (the test) receives as a fault; `smc` is the usual one, since
 * the kernel neither executes nor forwards it: its immediate says where
 * the guest is.
 */
#ifndef KT_VCPU_GUEST_H
#define KT_VCPU_GUEST_H

#define VG_SMC_FIRST    0x11    /* vg_smc: the first of two `smc`s */
#define VG_SMC_SECOND   0x22    /* ... and the second, right after it */
#define VG_SMC_REPORT   0x5e    /* a sequence's result is in its registers */
#define VG_SMC_DONE     0xdd    /* the end of a sequence (it traps there for good) */
#define VG_SMC_VECTOR   0xe0    /* + n: the guest took exception vector entry n */

/* Entry 4 of an AArch64 vector table: a synchronous exception from the
   current EL using SP_ELx (offset 0x200). */
#define VG_VECTOR_CURRENT_SPX_SYNC  4
/* Entry 8: a synchronous exception from a lower EL in AArch64 (offset 0x400). */
#define VG_VECTOR_LOWER_A64_SYNC    8
#define VG_VECTOR_ENTRY_SIZE        0x80

/* GICv2 CPU interface registers as a guest sees them (the GICV frame). */
#define GICC_CTLR       0x00
#define GICC_PMR        0x04
#define GICC_IAR        0x0c
#define GICC_EOIR       0x10
#define GICC_CTLR_ENABLE_GRP0   1
#define GICC_PMR_ALLOW_ALL      0xf8    /* the lowest priority a virtual CPU interface has */
#define GICC_INTID_MASK 0x3ff
#define GICC_SPURIOUS   1023

#ifndef __ASSEMBLER__
/* Guest sequences (vcpu_guest.S); the registers each one uses are listed there. */
extern char vg_vectors[];
extern char vg_smc[], vg_done[];
extern char vg_wfi[], vg_wfi_report[];
extern char vg_cntp_read[], vg_cntp_write[];
extern char vg_hvc[];
extern char vg_udf[], vg_svc[], vg_brk[];
extern char vg_load_entry[], vg_load[], vg_store[], vg_jump[];
extern char vg_sysregs[], vg_sysregs_report[];
extern char vg_tpidr_wait[], vg_tpidr_wait_report[];
extern char vg_debugregs[], vg_debugregs_set[], vg_debugregs_read[], vg_debugregs_report[];
extern char vg_gic[], vg_gic_report[];
extern char vg_gic_poll[], vg_gic_poll_report[];
extern char vg_vtimer[], vg_spin[], vg_spin_report[];
extern char vg_debug_clobber[];

/* Instructions for native threads (EL0, no VCPU), each followed by `ret`. */
void vg_native_smc(void);
extern char vg_native_smc_insn[];
void vg_native_hvc(void);
extern char vg_native_hvc_insn[];
void vg_native_dc_zva(void *line);
extern char vg_native_dc_zva_insn[];
void vg_native_wfi(void);
extern char vg_native_wfi_insn[];
unsigned long vg_native_read_ctr(void);
extern char vg_native_read_ctr_insn[];
void vg_native_dc_cvau(void *line);
extern char vg_native_dc_cvau_insn[];
#endif

#endif /* KT_VCPU_GUEST_H */
