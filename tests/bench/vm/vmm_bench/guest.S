/*
 * The benchmark guest (tests/bench/vm, docs/bench.md "Virtual machines"):
 * a few instructions at EL1, MMU off, copied by vmm_bench.c to the start of
 * guest RAM and started there with x0 = the iteration count. Its calls to
 * the VMM are HVCs with x7 = 0, which seL4 takes as an unknown system call
 * (a fault for the VMM); function ids 0xc600000N are the VMM's own
 * (vmm_bench.c). Position independent: it only uses adr.
 *
 *   1. HVC_MARK, then x0 times HVC_NOP, then HVC_MARK: the HVC round trip.
 *   2. x0 times: HVC_IRQ asks for an interrupt (the VMM notes the PMU's
 *      instruction count, then injects SPI 40); the guest takes it as soon
 *      as the HVC returns; the handler's first instruction reads the count
 *      again, then it acknowledges and ends the interrupt (GICV) and sends
 *      the count with HVC_HANDLER.
 *   3. HVC_DONE.
 */
#define HVC_NOP         0xc6000000
#define HVC_MARK        0xc6000001
#define HVC_IRQ         0xc6000002
#define HVC_HANDLER     0xc6000003
#define HVC_DONE        0xc6000004
#define GICD            0x08000000
#define GICC            0x08010000

    .text
    .global bench_guest_start, bench_guest_end
    .balign 4096
bench_guest_start:
    mov     x19, x0                 /* iterations */
    mov     x7, #0                  /* no seL4 system call has this number */
    adr     x1, vectors
    msr     vbar_el1, x1
    /* The CPU interface (the GICV, mapped): every priority, enabled. */
    mov     x1, #GICC
    mov     w2, #0xff
    str     w2, [x1, #4]            /* GICC_PMR */
    mov     w2, #1
    str     w2, [x1, #0]            /* GICC_CTLR */
    /* The distributor (emulated by the VMM): on, SPI 40 enabled. */
    mov     x1, #GICD
    str     w2, [x1, #0]            /* GICD_CTLR */
    mov     w3, #(1 << 8)
    str     w3, [x1, #0x104]        /* GICD_ISENABLER1: interrupt 40 */
    isb

    ldr     x0, =HVC_MARK
    hvc     #0
    mov     x20, x19
1:  ldr     x0, =HVC_NOP
    hvc     #0
    subs    x20, x20, #1
    b.ne    1b
    ldr     x0, =HVC_MARK
    hvc     #0

    mov     x20, x19
    msr     daifclr, #2             /* IRQs on */
2:  ldr     x0, =HVC_IRQ
    hvc     #0                      /* the interrupt is taken on return */
    subs    x20, x20, #1
    b.ne    2b

    ldr     x0, =HVC_DONE
    hvc     #0
3:  wfi
    b       3b

    .ltorg

/* Current EL with SP_ELx: IRQ at 0x280; everything else spins. */
    .balign 2048
vectors:
    .rept   5
    b       .
    .balign 128
    .endr
    .org    vectors + 0x280
irq:
    mrs     x21, pmevcntr0_el0      /* the handler's first instruction */
    mov     x1, #GICC
    ldr     w2, [x1, #0x0c]         /* GICC_IAR */
    str     w2, [x1, #0x10]         /* GICC_EOIR */
    mov     x1, x21
    ldr     x0, =HVC_HANDLER
    hvc     #0
    eret
    .ltorg
    .org    vectors + 0x800
bench_guest_end:
