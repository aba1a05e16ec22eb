/*
 * Interrupts: IRQControl Get/GetTrigger and IRQHandler SetNotification,
 * Clear, Ack with seL4's errors; and real interrupts in QEMU delivered to
 * user-level drivers: the EL1 physical timer (PPI, INTID 30), which EL0
 * programs directly, and the PL011 UART's transmit interrupt (SPI 1,
 * INTID 33). The kernel's own timer (INTID 27, or 26 with the kernel in
 * EL2) can never be claimed.
 */
#include "vm.h"
#include "ptimer.h"

#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
#define IRQ_KERNEL_TIMER    26      /* EL2 physical timer: the kernel's */
#else
#define IRQ_KERNEL_TIMER    27      /* EL1 virtual timer: the kernel's */
#endif
#define IRQ_UART            33      /* PL011, SPI 1 on QEMU virt */
#define IRQ_SPARE_SPI       100     /* nothing drives it on QEMU virt */

static seL4_Error get_irq(seL4_Word irq, seL4_CPtr *handler)
{
    *handler = kt_slot();
    return kt_irq_control_get(irq, KT_ROOT_CNODE, *handler, KT_DEPTH);
}

/* ------------------------------------------------------------ the EL1 physical timer */

/* A signal on `ntfn` already pending? (its badge, 0 if none) */
static seL4_Word poll(seL4_CPtr ntfn)
{
    seL4_Word badge = 0;
    seL4_Poll(ntfn, &badge);
    return badge;
}

TEST(irq_ptimer_delivered, "A user-level timer driver: the EL1 physical timer's interrupt "
                           "reaches the handler's notification with its badge, every time")
{
    seL4_CPtr ntfn = KT_NTFN(), handler;
    KT_OK(get_irq(IRQ_PTIMER, &handler));
    KT_CAP_IS(handler, KT_CAP_IRQ_HANDLER);
    KT_OK(seL4_IRQHandler_SetNotification(handler, KT_MINT(ntfn, seL4_AllRights, 0x30)));
    for (int round = 0; round < 5; round++) {
        ptimer_arm(200);
        seL4_Word badge = 0;
        seL4_Wait(ntfn, &badge);
        KT_EQ(badge, 0x30);
        KT_ASSERT(ptimer_fired());
        ptimer_stop();
        KT_OK(seL4_IRQHandler_Ack(handler));
    }
    KT_EQ(poll(ntfn), 0);
    return KT_PASS;
}

TEST(irq_masked_until_ack, "A delivered line stays masked until Ack: a still-asserted level "
                           "interrupt signals again only after Ack")
{
    seL4_CPtr ntfn = KT_NTFN(), handler;
    KT_OK(get_irq(IRQ_PTIMER, &handler));
    KT_OK(seL4_IRQHandler_SetNotification(handler, KT_MINT(ntfn, seL4_AllRights, 1)));
    ptimer_arm(100);
    seL4_Wait(ntfn, NULL);
    /* The timer keeps its line asserted; the kernel must not deliver it again. */
    spin_us(2000);
    KT_ASSERT(ptimer_fired());
    KT_EQ(poll(ntfn), 0);
    KT_OK(seL4_IRQHandler_Ack(handler));
    seL4_Word badge = 0;
    seL4_Wait(ntfn, &badge);
    KT_EQ(badge, 1);
    ptimer_stop();
    KT_OK(seL4_IRQHandler_Ack(handler));
    spin_us(500);
    KT_EQ(poll(ntfn), 0);
    return KT_PASS;
}

TEST(irq_clear_and_rebind, "Clear unbinds the notification (the interrupt is dropped and "
                           "masked); binding again and Ack delivers the pending line")
{
    seL4_CPtr ntfn = KT_NTFN(), handler;
    KT_OK(get_irq(IRQ_PTIMER, &handler));
    KT_OK(seL4_IRQHandler_SetNotification(handler, ntfn));
    KT_OK(seL4_IRQHandler_Clear(handler));
    KT_OK(seL4_IRQHandler_Clear(handler));
    ptimer_arm(100);
    spin_us(1000);
    KT_EQ(poll(ntfn), 0);
    KT_OK(seL4_IRQHandler_SetNotification(handler, KT_MINT(ntfn, seL4_AllRights, 9)));
    KT_OK(seL4_IRQHandler_Ack(handler));
    seL4_Word badge = 0;
    seL4_Wait(ntfn, &badge);
    KT_EQ(badge, 9);
    ptimer_stop();
    KT_OK(seL4_IRQHandler_Ack(handler));
    return KT_PASS;
}

TEST(irq_handler_deleted, "Deleting the last IRQHandler cap releases the line: no more "
                          "signals, and it can be claimed again")
{
    seL4_CPtr ntfn = KT_NTFN(), handler, again;
    KT_OK(get_irq(IRQ_PTIMER, &handler));
    seL4_CPtr copy = KT_COPY(handler, seL4_AllRights);
    KT_OK(seL4_IRQHandler_SetNotification(handler, ntfn));
    KT_OK(kt_delete(handler));
    KT_ERR(get_irq(IRQ_PTIMER, &again), seL4_RevokeFirst);     /* the copy holds it */
    KT_OK(kt_delete(copy));
    ptimer_arm(100);
    spin_us(1000);
    KT_EQ(poll(ntfn), 0);
    ptimer_stop();
    KT_OK(get_irq(IRQ_PTIMER, &again));
    return KT_PASS;
}

/* ------------------------------------------------------------ a device: the PL011 */

#define PL011_PHYS  0x09000000ul
#define PL011_DR    0x000
#define PL011_FR    0x018
#define PL011_IMSC  0x038
#define PL011_MIS   0x040
#define PL011_ICR   0x044
#define PL011_TXI   (1u << 5)

static void mmio_write(seL4_Word va, uint32_t v)
{
    *(volatile uint32_t *)va = v;
}

static uint32_t mmio_read(seL4_Word va)
{
    return *(volatile uint32_t *)va;
}

TEST(irq_uart_transmit, "A user-level UART driver: the PL011 transmit interrupt reaches "
                        "its notification; the driver clears it at the device and Acks")
{
    seL4_CPtr uart = VM_DEVICE_FRAME(PL011_PHYS);
    const seL4_Word regs = VM_VA_GIB;
    VM_MAP(uart, KT_ROOT_VSPACE, regs, VM_RW, 0);
    seL4_CPtr ntfn = KT_NTFN(), handler = kt_slot();
    KT_OK(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, IRQ_UART, SEL4_ARM_IRQ_TRIGGER_LEVEL,
                                     KT_ROOT_CNODE, handler, KT_DEPTH));
    KT_OK(seL4_IRQHandler_SetNotification(handler, KT_MINT(ntfn, seL4_AllRights, 0x33)));
    /* Only the transmit interrupt: leave receive state to irq_uart_receive. */
    mmio_write(regs + PL011_ICR, PL011_TXI);
    mmio_write(regs + PL011_IMSC, PL011_TXI);
    for (int round = 0; round < 3; round++) {
        const char *line = "KT|NOTE: irq_uart_transmit: sent by a user-level driver\n";
        for (const char *p = line; *p; p++)
            mmio_write(regs + PL011_DR, (uint8_t)*p);
        seL4_Word badge = 0;
        seL4_Wait(ntfn, &badge);
        KT_EQ(badge, 0x33);
        KT_ASSERT(mmio_read(regs + PL011_MIS) & PL011_TXI);
        mmio_write(regs + PL011_ICR, PL011_TXI);
        KT_OK(seL4_IRQHandler_Ack(handler));
    }
    mmio_write(regs + PL011_IMSC, 0);
    mmio_write(regs + PL011_ICR, PL011_TXI);
    return KT_PASS;
}

#define PL011_FR_RXFE   (1u << 4)
#define PL011_RXI       (1u << 4)
#define SERIAL_INPUT    "kt-rx\n"     /* what tests/kernel/run.py sends */

/* Wait (up to ~0.2 s of virtual time) for the harness's first character. */
static bool input_ready(seL4_Word regs)
{
    for (int i = 0; i < 200; i++) {
        if (!(mmio_read(regs + PL011_FR) & PL011_FR_RXFE))
            return true;
        spin_us(1000);
    }
    return false;
}

TEST(irq_uart_receive, "A user-level UART driver: each character the harness sends on the "
                       "serial input raises a PL011 receive interrupt")
{
    seL4_CPtr uart = VM_DEVICE_FRAME(PL011_PHYS);
    const seL4_Word regs = VM_VA_GIB;
    VM_MAP(uart, KT_ROOT_VSPACE, regs, VM_RW, 0);
    if (!input_ready(regs))
        return kt_skip("no characters on the serial input (tests/kernel/run.py sends them)");
    seL4_CPtr ntfn = KT_NTFN(), handler;
    KT_OK(get_irq(IRQ_UART, &handler));
    KT_OK(seL4_IRQHandler_SetNotification(handler, KT_MINT(ntfn, seL4_AllRights, 0x34)));
    /* As a driver starting up: take what is already there (its interrupt
       may have been cleared before), then let interrupts bring the rest. */
    char got[sizeof(SERIAL_INPUT)] = { 0 };
    unsigned n = 0, interrupts = 0;
    got[n++] = (char)(mmio_read(regs + PL011_DR) & 0xff);
    mmio_write(regs + PL011_IMSC, PL011_RXI);
    while (n < sizeof(SERIAL_INPUT) - 1) {
        seL4_Word badge = 0;
        seL4_Wait(ntfn, &badge);
        KT_EQ(badge, 0x34);
        interrupts++;
        /* Drain the receive FIFO: the interrupt drops with it. */
        while (!(mmio_read(regs + PL011_FR) & PL011_FR_RXFE) && n < sizeof(got) - 1)
            got[n++] = (char)(mmio_read(regs + PL011_DR) & 0xff);
        KT_OK(seL4_IRQHandler_Ack(handler));
    }
    mmio_write(regs + PL011_IMSC, 0);
    KT_ASSERT(strcmp(got, SERIAL_INPUT) == 0);
    KT_GE(interrupts, 1);
    KT_LE(interrupts, sizeof(SERIAL_INPUT) - 2);
    return KT_PASS;
}

/* ------------------------------------------------------------ IRQControl errors */

TEST(irq_get_errors, "IRQControl_Get: the kernel's timer and SGIs (RevokeFirst), a claimed "
                     "line (RevokeFirst), out of range (RangeError), slot errors, truncated")
{
    seL4_CPtr h, ep = KT_EP();
    KT_ERR(get_irq(IRQ_KERNEL_TIMER, &h), seL4_RevokeFirst);
    KT_ERR(get_irq(0, &h), seL4_RevokeFirst);
    KT_ERR(get_irq(15, &h), seL4_RevokeFirst);
    KT_ERR(get_irq(100000, &h), seL4_RangeError);
    KT_MR_EQ(0, 0);
    seL4_Word max = seL4_GetMR(1);
    KT_GE(max, IRQ_SPARE_SPI);
    KT_ERR(get_irq(max + 1, &h), seL4_RangeError);
    KT_ERR(get_irq(~0ul, &h), seL4_RangeError);
    KT_OK(get_irq(max, &h));
    KT_OK(get_irq(IRQ_SPARE_SPI, &h));
    KT_ERR(get_irq(IRQ_SPARE_SPI, &h), seL4_RevokeFirst);
    KT_ERR(kt_irq_control_get(IRQ_PTIMER, KT_ROOT_CNODE, ep, KT_DEPTH), seL4_DeleteFirst);
    KT_ERR(kt_irq_control_get(IRQ_PTIMER, ep, kt_slot(), KT_DEPTH), seL4_FailedLookup);
    seL4_SetCap(0, KT_ROOT_CNODE);
    KT_ERR(kt_call_raw(seL4_CapIRQControl, IRQIssueIRQHandler, 2, 1, IRQ_SPARE_SPI + 2, kt_slot(),
                       0, 0), seL4_TruncatedMessage);
    KT_ERR(kt_call_raw(seL4_CapIRQControl, IRQIssueIRQHandler, 3, 0, IRQ_SPARE_SPI + 2, kt_slot(),
                       KT_DEPTH, 0), seL4_TruncatedMessage);
    KT_ERR(kt_call_raw(seL4_CapIRQControl, IRQAckIRQ, 0, 0, 0, 0, 0, 0), seL4_IllegalOperation);
    /* None of the failures claimed the timer line. */
    KT_OK(get_irq(IRQ_PTIMER, &h));
    return KT_PASS;
}

TEST(irq_get_trigger_errors, "IRQControl_GetTrigger: edge and level SPIs, the same refusals "
                             "as Get")
{
    seL4_CPtr a = kt_slot(), b = kt_slot(), c = kt_slot();
    KT_OK(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, IRQ_SPARE_SPI,
                                     SEL4_ARM_IRQ_TRIGGER_EDGE, KT_ROOT_CNODE, a, KT_DEPTH));
    KT_OK(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, IRQ_SPARE_SPI + 1,
                                     SEL4_ARM_IRQ_TRIGGER_LEVEL, KT_ROOT_CNODE, b, KT_DEPTH));
    KT_ERR(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, IRQ_SPARE_SPI,
                                      SEL4_ARM_IRQ_TRIGGER_LEVEL, KT_ROOT_CNODE, c, KT_DEPTH),
           seL4_RevokeFirst);
#if CONFIG_MAX_NUM_NODES > 1
    /* A private line: GetTriggerCore's (irq_private_lines_per_core). */
    KT_ERR(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, IRQ_KERNEL_TIMER,
                                      SEL4_ARM_IRQ_TRIGGER_LEVEL, KT_ROOT_CNODE, c, KT_DEPTH),
           seL4_IllegalOperation);
#else
    KT_ERR(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, IRQ_KERNEL_TIMER,
                                      SEL4_ARM_IRQ_TRIGGER_LEVEL, KT_ROOT_CNODE, c, KT_DEPTH),
           seL4_RevokeFirst);
#endif
    KT_ERR(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, 5000, SEL4_ARM_IRQ_TRIGGER_EDGE,
                                      KT_ROOT_CNODE, c, KT_DEPTH), seL4_RangeError);
    KT_MR_EQ(0, 0);
    KT_ERR(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, IRQ_SPARE_SPI + 4,
                                      SEL4_ARM_IRQ_TRIGGER_EDGE, KT_ROOT_CNODE, a, KT_DEPTH),
           seL4_DeleteFirst);
    seL4_SetCap(0, KT_ROOT_CNODE);
    KT_ERR(kt_call_raw(seL4_CapIRQControl, ARMIRQIssueIRQHandlerTrigger, 3, 1, IRQ_SPARE_SPI + 4,
                       0, c, KT_DEPTH), seL4_TruncatedMessage);
    return KT_PASS;
}

TEST(irq_handler_errors, "IRQHandler: SetNotification needs a notification cap with the "
                         "send right; truncated; wrong label")
{
    seL4_CPtr handler, ntfn = KT_NTFN(), ep = KT_EP();
    KT_OK(get_irq(IRQ_SPARE_SPI, &handler));
    KT_ERR(seL4_IRQHandler_SetNotification(handler, ep), seL4_InvalidCapability);
    KT_MR_EQ(0, 0);
    KT_ERR(seL4_IRQHandler_SetNotification(handler, KT_MINT(ntfn, seL4_CanRead, 0)),
           seL4_InvalidCapability);
    KT_MR_EQ(0, 0);
    KT_ERR(seL4_IRQHandler_SetNotification(handler, kt_slot()), seL4_InvalidCapability);
    KT_ERR(kt_call_raw(handler, IRQSetIRQHandler, 0, 0, 0, 0, 0, 0), seL4_TruncatedMessage);
    KT_ERR(kt_call_raw(handler, IRQIssueIRQHandler, 3, 0, 0, 0, 0, 0), seL4_IllegalOperation);
    KT_OK(seL4_IRQHandler_SetNotification(handler, KT_MINT(ntfn, seL4_CanWrite, 0)));
    KT_OK(seL4_IRQHandler_Ack(handler));
    KT_OK(seL4_IRQHandler_Clear(handler));
    return KT_PASS;
}

#if CONFIG_MAX_NUM_NODES > 1
TEST(irq_private_lines_per_core, "With several cores: Get and GetTrigger refuse private lines "
     "(IllegalOperation); GetTriggerCore claims each core's own copy of a PPI, checks the core "
     "(InvalidArgument) and the range; a shared line goes to the core asked for")
{
    seL4_CPtr h = kt_slot();
    KT_ERR(seL4_IRQControl_Get(seL4_CapIRQControl, IRQ_PTIMER, KT_ROOT_CNODE, h, KT_DEPTH),
           seL4_IllegalOperation);
    KT_ERR(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, IRQ_PTIMER, SEL4_ARM_IRQ_TRIGGER_LEVEL,
                                      KT_ROOT_CNODE, h, KT_DEPTH), seL4_IllegalOperation);
    KT_ERR(seL4_IRQControl_GetTriggerCore(seL4_CapIRQControl, IRQ_PTIMER, 0, KT_ROOT_CNODE, h,
                                          KT_DEPTH, CONFIG_MAX_NUM_NODES), seL4_InvalidArgument);
    KT_ERR(seL4_IRQControl_GetTriggerCore(seL4_CapIRQControl, 100000, 0, KT_ROOT_CNODE, h,
                                          KT_DEPTH, 0), seL4_RangeError);
    seL4_CPtr per_core[CONFIG_MAX_NUM_NODES];
    for (seL4_Word core = 0; core < CONFIG_MAX_NUM_NODES; core++) {
        per_core[core] = kt_slot();
        KT_OK(seL4_IRQControl_GetTriggerCore(seL4_CapIRQControl, IRQ_PTIMER, 0, KT_ROOT_CNODE,
                                             per_core[core], KT_DEPTH, core));
        KT_ERR(seL4_IRQControl_GetTriggerCore(seL4_CapIRQControl, IRQ_PTIMER, 0, KT_ROOT_CNODE,
                                              kt_slot(), KT_DEPTH, core), seL4_RevokeFirst);
        /* Every core's kernel timer stays the kernel's. */
        KT_ERR(seL4_IRQControl_GetTriggerCore(seL4_CapIRQControl, IRQ_KERNEL_TIMER, 0,
                                              KT_ROOT_CNODE, kt_slot(), KT_DEPTH, core),
               seL4_RevokeFirst);
    }
    /* Acks and deletion reach the line's own core. */
    for (seL4_Word core = 0; core < CONFIG_MAX_NUM_NODES; core++) {
        KT_OK(seL4_IRQHandler_Ack(per_core[core]));
        KT_OK(kt_delete(per_core[core]));
    }
    seL4_CPtr spi = kt_slot();
    KT_OK(seL4_IRQControl_GetTriggerCore(seL4_CapIRQControl, IRQ_SPARE_SPI + 3, 1, KT_ROOT_CNODE,
                                         spi, KT_DEPTH, CONFIG_MAX_NUM_NODES - 1));
    KT_ERR(seL4_IRQControl_Get(seL4_CapIRQControl, IRQ_SPARE_SPI + 3, KT_ROOT_CNODE, kt_slot(),
                               KT_DEPTH), seL4_RevokeFirst);
    return KT_PASS;
}
#endif
