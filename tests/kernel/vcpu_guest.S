/*
 * Guest code of the VCPU tests (vcpu.c; vcpu_guest.h says how it runs):
 * short sequences that a thread with a VCPU runs at EL1, each ending in a
 * trap its VMM (the test) receives; and single instructions with known
 * addresses for native threads at EL0. Nothing here uses a stack or
 * memory of its own: the VMM passes arguments and reads results in the
 * thread's registers.
 */
#include "vcpu_guest.h"

#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT

    .text

/*
 * A guest exception vector table (VBAR_EL1): entry n reports with
 * `smc #(VG_SMC_VECTOR + n)` and stays there.
 */
    .balign 2048
    .global vg_vectors
vg_vectors:
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    .balign VG_VECTOR_ENTRY_SIZE
    smc     #(VG_SMC_VECTOR + \n)
    b       .
    .endr

/* The end of every sequence: trap for good (the VMM never answers). */
    .global vg_done
vg_done:
    smc     #VG_SMC_DONE
    b       vg_done

/* Two `smc`s in a row: the VMM moves the pc past the first to reach the second. */
    .global vg_smc
vg_smc:
    smc     #VG_SMC_FIRST
    smc     #VG_SMC_SECOND
    b       vg_done

/* A guest that takes the EL1 debug registers for itself (the kernel's
   hardware-debug API must restore them for native threads): debug
   exceptions off (MDSCR_EL1 = 0), the OS lock on, breakpoint 0 and
   watchpoint 0 cleared; then a report. */
    .global vg_debug_clobber
vg_debug_clobber:
    msr     mdscr_el1, xzr
    mov     x0, #1
    msr     oslar_el1, x0
    msr     dbgbcr0_el1, xzr
    msr     dbgbvr0_el1, xzr
    msr     dbgwcr0_el1, xzr
    isb
    smc     #VG_SMC_REPORT
    b       vg_done

/* WFI (trapped for guests: HCR_EL2.TWI), then a report. */
    .global vg_wfi
    .global vg_wfi_report
vg_wfi:
    wfi
vg_wfi_report:
    smc     #VG_SMC_REPORT
    b       vg_done

/* The EL1 physical timer belongs to native threads: these accesses trap. */
    .global vg_cntp_read
vg_cntp_read:
    mrs     x5, cntp_ctl_el0
    smc     #VG_SMC_REPORT
    b       vg_done

    .global vg_cntp_write
vg_cntp_write:                  /* x6: the value */
    msr     cntp_tval_el0, x6
    smc     #VG_SMC_REPORT
    b       vg_done

/* A hypervisor call: x0..x7 as the VMM set them (x7 the system call number). */
    .global vg_hvc
vg_hvc:
    hvc     #0
    smc     #VG_SMC_REPORT
    b       vg_done

/* A system call at the guest's EL0: its own kernel (vector table) takes it. */
    .global vg_svc
vg_svc:
    svc     #0
    b       vg_done

/* An undefined instruction: the guest's own vector table takes it. */
    .global vg_udf
vg_udf:
    udf     #0
    b       vg_done

/* A breakpoint instruction (BRK #7). */
    .global vg_brk
vg_brk:
    brk     #7
    b       vg_done

/*
 * Memory accesses (x0: the address; x1: the value stored or loaded).
 * vg_load_entry first discards the guest's stage-1 TLB entries, for a
 * guest whose VMM just gave it translation tables.
 */
    .global vg_load_entry
    .global vg_load
    .global vg_store
    .global vg_jump
vg_load_entry:
    tlbi    vmalle1
    dsb     nsh
    isb
vg_load:
    ldr     x1, [x0]
    smc     #VG_SMC_REPORT
    b       vg_done
vg_store:
    str     x1, [x0]
    smc     #VG_SMC_REPORT
    b       vg_done
vg_jump:
    br      x0

/*
 * EL1 state a VMM sets: read TPIDR_EL1, VBAR_EL1, CONTEXTIDR_EL1,
 * MAIR_EL1, MPIDR_EL1 (= VMPIDR_EL2), SP_EL1 (the guest's sp at EL1h) and
 * the physical and virtual counts into x0..x7; write x10 to TPIDR_EL1, x11
 * to CONTEXTIDR_EL1, x12 to FAR_EL1, x13 to ELR_EL1 and x14 to SP_EL1;
 * report; and from the instruction after the report, all over again.
 */
    .global vg_sysregs
    .global vg_sysregs_report
vg_sysregs:
    mrs     x0, tpidr_el1
    mrs     x1, vbar_el1
    mrs     x2, contextidr_el1
    mrs     x3, mair_el1
    mrs     x4, mpidr_el1
    mov     x5, sp
    mrs     x6, cntpct_el0
    mrs     x7, cntvct_el0
    msr     tpidr_el1, x10
    msr     contextidr_el1, x11
    msr     far_el1, x12
    msr     elr_el1, x13
    mov     sp, x14
vg_sysregs_report:
    smc     #VG_SMC_REPORT
    b       vg_sysregs

/*
 * TPIDR_EL1 changed under the running guest (by its VMM, on another
 * core): write x10 into it, then read it (into x1) until it differs or
 * x6 reads in a row gave x10 (x5 counts them); report; again from the
 * instruction after the report.
 */
    .global vg_tpidr_wait
    .global vg_tpidr_wait_report
vg_tpidr_wait:
    msr     tpidr_el1, x10
    mov     x5, #0
1:  mrs     x1, tpidr_el1
    cmp     x1, x10
    b.ne    vg_tpidr_wait_report
    add     x5, x5, #1
    cmp     x5, x6
    b.ne    1b
vg_tpidr_wait_report:
    smc     #VG_SMC_REPORT
    b       vg_tpidr_wait

/*
 * The guest's own debug registers: write DBGBVR0_EL1, DBGBCR0_EL1 (x10,
 * x11), DBGWVR0_EL1, DBGWCR0_EL1 (x12, x13) and MDSCR_EL1 (x14), report;
 * then (vg_debugregs_read) read them into x0..x4 and report; from the
 * instruction after the report, read again.
 */
    .global vg_debugregs
    .global vg_debugregs_set
    .global vg_debugregs_read
    .global vg_debugregs_report
vg_debugregs:
    msr     dbgbvr0_el1, x10
    msr     dbgbcr0_el1, x11
    msr     dbgwvr0_el1, x12
    msr     dbgwcr0_el1, x13
    msr     mdscr_el1, x14
    isb
vg_debugregs_set:
    smc     #VG_SMC_REPORT
vg_debugregs_read:
    mrs     x0, dbgbvr0_el1
    mrs     x1, dbgbcr0_el1
    mrs     x2, dbgwvr0_el1
    mrs     x3, dbgwcr0_el1
    mrs     x4, mdscr_el1
vg_debugregs_report:
    smc     #VG_SMC_REPORT
    b       vg_debugregs_read

/* Enable the GIC CPU interface at x0: group 0, every priority (w1 used). */
    .macro gicc_enable
    mov     w1, #GICC_CTLR_ENABLE_GRP0
    str     w1, [x0, #GICC_CTLR]
    mov     w1, #GICC_PMR_ALLOW_ALL
    str     w1, [x0, #GICC_PMR]
    .endm

/*
 * Virtual interrupts through the GIC CPU interface at x0 (the GICV frame
 * where the guest expects a GICC): enable group 0 and every priority, then
 * poll: acknowledge (IAR into x2), report, and unless that was the
 * spurious ID, end the interrupt (EOIR); from the instruction after the
 * report, again. Interrupts stay masked (PSTATE.I): polling needs none.
 */
    .global vg_gic
    .global vg_gic_report
vg_gic:
    gicc_enable
1:  ldr     w2, [x0, #GICC_IAR]
vg_gic_report:
    smc     #VG_SMC_REPORT
    and     w4, w2, #GICC_INTID_MASK
    cmp     w4, #GICC_SPURIOUS
    b.eq    1b
    str     w2, [x0, #GICC_EOIR]
    b       1b

/*
 * The same interface, polled without trapping (the VMM injects while the
 * guest runs, on another core): enable it, then read IAR (into x2) until
 * it gives an interrupt or x6 reads in a row were spurious (x5 counts
 * them); report; a real interrupt is then ended (EOIR) and the polling
 * starts again.
 */
    .global vg_gic_poll
    .global vg_gic_poll_report
vg_gic_poll:
    gicc_enable
1:  mov     x5, #0
2:  ldr     w2, [x0, #GICC_IAR]
    and     w4, w2, #GICC_INTID_MASK
    cmp     w4, #GICC_SPURIOUS
    b.ne    vg_gic_poll_report
    add     x5, x5, #1
    cmp     x5, x6
    b.ne    2b
vg_gic_poll_report:
    smc     #VG_SMC_REPORT
    cmp     w4, #GICC_SPURIOUS
    b.eq    1b
    str     w2, [x0, #GICC_EOIR]
    b       1b

/*
 * The virtual timer: fire x0 ticks of the virtual count from now (CNTV_CVAL
 * in x2), then spin: count x5 from 0 up to x6 and report; from the
 * instruction after the report, count again.
 */
    .global vg_vtimer
    .global vg_spin
    .global vg_spin_report
vg_vtimer:
    mrs     x2, cntvct_el0
    add     x2, x2, x0
    msr     cntv_cval_el0, x2
    mov     x1, #1                  /* CNTV_CTL.ENABLE, IMASK clear */
    msr     cntv_ctl_el0, x1
    isb
vg_spin:
    mov     x5, #0
1:  add     x5, x5, #1
    cmp     x5, x6
    b.ne    1b
vg_spin_report:
    smc     #VG_SMC_REPORT
    b       vg_spin

/* ------------------------------------------ native threads (EL0, no VCPU) */

    .macro native name, insn:vararg
    .global vg_native_\name
    .global vg_native_\name\()_insn
    .type vg_native_\name, %function
vg_native_\name:
vg_native_\name\()_insn:
    \insn
    ret
    .size vg_native_\name, . - vg_native_\name
    .endm

    native smc, smc #0
    native hvc, hvc #0
    native dc_zva, dc zva, x0
    native wfi, wfi
    native read_ctr, mrs x0, ctr_el0
    native dc_cvau, dc cvau, x0

#endif /* CONFIG_ARM_HYPERVISOR_SUPPORT */
