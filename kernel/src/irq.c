/*
 * Interrupts owned by user level. IRQControl hands out one IRQHandler cap
 * per line; the handler binds a notification. When the line fires the
 * kernel signals the notification and masks the line until the handler
 * acknowledges it. SGIs and the kernel's timer can never be claimed.
 */
#include <kernel/interrupt.h>
#include <kernel/invocation.h>
#include <kernel/objects.h>
#include <kernel/cdt.h>
#include <kernel/ipc.h>
#include <kernel/sched.h>
#include <kernel/print.h>
#include <arch/mmu.h>
#include <irqchip.h>
#include <timer.h>
#include <board.h>
#ifdef CONFIG_PROFILER
#include <kernel/profiler.h>
#include <kernel/thread.h>
#endif

#define MAX_IRQ BOARD_MAX_IRQ
#define FIRST_USER_IRQ 16       /* 0-15 are SGIs */

enum irq_state { irq_inactive = 0, irq_signal, irq_reserved };

static uint8_t irq_state[MAX_IRQ + 1];
/* The notification cap each handler signals, as a real slot (CDT child). */
static cte_t irq_slots[MAX_IRQ + 1];

void interrupt_init(void)
{
    irqchip_init(KDEV_GICD_VADDR, KDEV_GICC_VADDR);
    timer_init();
    for (unsigned i = 0; i < FIRST_USER_IRQ; i++)
        irq_state[i] = irq_reserved;
    irq_state[BOARD_KERNEL_TIMER_IRQ] = irq_reserved;
    irqchip_unmask(BOARD_KERNEL_TIMER_IRQ);
#ifdef CONFIG_PROFILER
    /* The PMU's overflow interrupt is the profiler's (kernel/src/profiler.c). */
    irq_state[BOARD_PMU_IRQ] = irq_reserved;
    irqchip_unmask(BOARD_PMU_IRQ);
#endif
}

static void handle_timer_interrupt(void)
{
    sched_timer_tick();
}

static void deliver_user_interrupt(unsigned irq)
{
    cap_t cap = irq_slots[irq].cap;
    /* The line stays masked until the handler acknowledges it. */
    irqchip_mask(irq);
    if (cap_get_type(cap) == cap_notification && (cap_rights(cap) & RIGHT_WRITE))
        notification_signal(cap_get_ptr(cap), cap_badge(cap));
}

void handle_pending_interrupt(void)
{
    unsigned irq = irqchip_acknowledge();
    if (irq == IRQ_NONE)
        return;     /* spurious: ignore */
    if (irq == BOARD_KERNEL_TIMER_IRQ)
        handle_timer_interrupt();
    else if (irq <= MAX_IRQ && irq_state[irq] == irq_signal)
        deliver_user_interrupt(irq);
#ifdef CONFIG_PROFILER
    else if (irq == BOARD_PMU_IRQ)      /* after the others: their paths stay as they were */
        profiler_sample(current_thread);
#endif
    else
        irqchip_mask(irq);  /* nobody owns it: keep it quiet */
    irqchip_end(irq);
}

void irq_handler_release(unsigned irq)
{
    if (irq > MAX_IRQ || irq_state[irq] != irq_signal)
        return;
    irqchip_mask(irq);
    cte_delete_one(&irq_slots[irq]);
    irq_state[irq] = irq_inactive;
}

/* ---------------------------------------------------------------- IRQControl */

static seL4_Error issue_handler(invocation_t *inv, word_t irq, unsigned first_slot_mr, int trigger)
{
    if (irq > MAX_IRQ || irq > irqchip_max_irq())
        return inv_range_error(inv, 0, MIN(MAX_IRQ, irqchip_max_irq()));
    if (irq_state[irq] != irq_inactive)
        return inv_error(inv, seL4_RevokeFirst);
    cte_t *dest = inv_lookup_target_slot(inv, inv->extra[0]->cap, inv_mr(inv, first_slot_mr),
                                         inv_mr(inv, first_slot_mr + 1), false);
    if (!dest)
        return inv->error.type;
    if (!cap_is_null(dest->cap))
        return inv_error(inv, seL4_DeleteFirst);
    if (trigger >= 0)
        irqchip_set_trigger((unsigned)irq, trigger == 1);
    irq_state[irq] = irq_signal;
    /* As seL4 (setIRQState): a claimed line is enabled at once; until a
       notification is bound its first interrupt is dropped and the line
       stays masked until Ack. */
    irqchip_unmask((unsigned)irq);
    cte_insert(cap_simple_new(cap_irq_handler, irq), inv->slot, dest);
    return seL4_NoError;
}

seL4_Error decode_irq_control(invocation_t *inv)
{
    switch (inv->label) {
    case IRQIssueIRQHandler:
        if (inv->length < 3 || inv->extra_caps < 1)
            return inv_error(inv, seL4_TruncatedMessage);
        return issue_handler(inv, inv_mr(inv, 0), 1, -1);
    case ARMIRQIssueIRQHandlerTrigger:
        if (inv->length < 4 || inv->extra_caps < 1)
            return inv_error(inv, seL4_TruncatedMessage);
        return issue_handler(inv, inv_mr(inv, 0), 2, inv_mr(inv, 1) ? 1 : 0);
    default:
        /* SGI signals need several cores: refused. */
        return inv_error(inv, seL4_IllegalOperation);
    }
}

/* ---------------------------------------------------------------- IRQHandler */

seL4_Error decode_irq_handler(invocation_t *inv)
{
    unsigned irq = (unsigned)cap_simple_data(inv->cap);
    switch (inv->label) {
    case IRQAckIRQ:
        irqchip_unmask(irq);
        return seL4_NoError;
    case IRQSetIRQHandler: {
        if (inv->extra_caps < 1)
            return inv_error(inv, seL4_TruncatedMessage);
        cte_t *src = inv->extra[0];
        cap_t cap = src->cap;
        if (cap_get_type(cap) != cap_notification || !(cap_rights(cap) & RIGHT_WRITE))
            return inv_invalid_cap(inv, 0);
        cte_delete_one(&irq_slots[irq]);
        cte_insert(cap, src, &irq_slots[irq]);
        return seL4_NoError;
    }
    case IRQClearIRQHandler:
        cte_delete_one(&irq_slots[irq]);
        return seL4_NoError;
    default:
        return inv_error(inv, seL4_IllegalOperation);
    }
}
