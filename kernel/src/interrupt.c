/*
 * Interrupt dispatch. The kernel's timer interrupt drives scheduling; every
 * other line belongs to user level through IRQHandler caps (not yet handed
 * out: such lines stay masked).
 */
#include <kernel/interrupt.h>
#include <kernel/print.h>
#include <arch/mmu.h>
#include <irqchip.h>
#include <timer.h>
#include <board.h>

void interrupt_init(void)
{
    irqchip_init(kdev_address(KDEV_GICD), kdev_address(KDEV_GICC));
    timer_init();
    irqchip_unmask(BOARD_KERNEL_TIMER_IRQ);
}

static void handle_timer_interrupt(void)
{
    /* No budgets are enforced yet: nothing to do but stop the timer. */
    timer_disarm();
}

void handle_pending_interrupt(void)
{
    unsigned irq = irqchip_acknowledge();
    if (irq == IRQ_NONE)
        return;
    if (irq == BOARD_KERNEL_TIMER_IRQ) {
        handle_timer_interrupt();
    } else {
        /* Nobody owns this line: keep it quiet. */
        irqchip_mask(irq);
    }
    irqchip_end(irq);
}
