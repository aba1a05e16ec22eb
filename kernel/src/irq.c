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
#include <arch/vcpu.h>
#include <kernel/smp.h>
#include <irqchip.h>
#include <timer.h>
#include <board.h>
#ifdef CONFIG_PROFILER
#include <kernel/profiler.h>
#include <kernel/thread.h>
#endif

#define MAX_IRQ BOARD_MAX_IRQ
#define FIRST_USER_IRQ 16       /* 0-15 are SGIs */
#define NUM_PRIVATE    32       /* SGIs and PPIs: every core has its own */

/*
 * A line's index (seL4's IRQT_TO_IDX): the shared interrupts once, the
 * per-core ones (INTID < 32) once per core, core 0's where the shared
 * numbering has them. An IRQHandler cap holds the index.
 */
#define NUM_LINES (MAX_IRQ + 1 + (CONFIG_MAX_NUM_NODES - 1) * NUM_PRIVATE)

static unsigned line_index(unsigned irq, unsigned core)
{
    if (irq >= NUM_PRIVATE || core == 0)
        return irq;
    return MAX_IRQ + 1 + (core - 1) * NUM_PRIVATE + irq;
}

static unsigned line_irq(unsigned line)
{
    return line <= MAX_IRQ ? line : (line - MAX_IRQ - 1) % NUM_PRIVATE;
}

static unsigned line_core(unsigned line)
{
    return line <= MAX_IRQ ? 0 : (line - MAX_IRQ - 1) / NUM_PRIVATE + 1;
}

enum irq_state { irq_inactive = 0, irq_signal, irq_reserved };

static uint8_t irq_state[NUM_LINES];
/* The notification cap each handler signals, as a real slot (CDT child). */
static cte_t irq_slots[NUM_LINES];

/* Mask or unmask a line; another core's private line is masked there. */
static void line_set_masked(unsigned line, bool masked)
{
    unsigned irq = line_irq(line), core = line_core(line);
    if (irq < NUM_PRIVATE && core != cpu_index()) {
        smp_set_private_irq_masked(core, irq, masked);
    } else if (masked) {
        irqchip_mask(irq);
    } else {
        irqchip_unmask(irq);
    }
}

/* This core's own lines: its kernel timer and, for guests, its virtual
   interface (SGIs, which other cores send it, are always on). */
static void enable_core_interrupts(void)
{
    irqchip_unmask(TIMER_IRQ);
    irqchip_unmask(IPI_REMOTE_CALL);
    irqchip_unmask(IPI_RESCHEDULE);
#ifdef CONFIG_PROFILER
    /* This core's PMU interrupt: a per-core line, or a shared one that
       must be sent here. */
    unsigned pmu = BOARD_PMU_IRQ(cpu_index());
    if (pmu >= NUM_PRIVATE) {
        irqchip_set_trigger(pmu, false);
        irqchip_set_target(pmu, cpu_index());
    }
    irqchip_unmask(pmu);
#endif
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    irqchip_unmask(INTID_VGIC_MAINTENANCE);
    vcpu_boot_init();
#endif
}

void interrupt_init(void)
{
    irqchip_init(KDEV_GICD_VADDR, KDEV_GICC_VADDR);
    timer_init();
    for (unsigned core = 0; core < CONFIG_MAX_NUM_NODES; core++) {
        for (unsigned i = 0; i < FIRST_USER_IRQ; i++)
            irq_state[line_index(i, core)] = irq_reserved;
        irq_state[line_index(TIMER_IRQ, core)] = irq_reserved;
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
        /* A guest's virtual timer (unmasked only while the guest runs) and the
           virtual interface's maintenance interrupt are the kernel's. */
        irq_state[line_index(INTID_VTIMER, core)] = irq_reserved;
        irq_state[line_index(INTID_VGIC_MAINTENANCE, core)] = irq_reserved;
#endif
#ifdef CONFIG_PROFILER
        /* The PMU's overflow interrupt is the profiler's (kernel/src/profiler.c). */
        irq_state[line_index(BOARD_PMU_IRQ(core), core)] = irq_reserved;
#endif
    }
    enable_core_interrupts();
}

void interrupt_init_cpu(void)
{
    irqchip_init_cpu();
    timer_init();           /* this core's kernel timer, disarmed */
    enable_core_interrupts();
}

static void handle_timer_interrupt(void)
{
    sched_timer_tick();
}

static void deliver_user_interrupt(unsigned irq, unsigned line)
{
    cap_t cap = irq_slots[line].cap;
    /* The line stays masked until the handler acknowledges it. */
    irqchip_mask(irq);
    if (cap_get_type(cap) == cap_notification && (cap_rights(cap) & RIGHT_WRITE))
        notification_signal(cap_get_ptr(cap), cap_badge(cap));
}

void handle_pending_interrupt(void)
{
    unsigned ack = irqchip_acknowledge();
    if (ack == IRQ_NONE)
        return;     /* spurious: ignore */
    unsigned irq = IRQCHIP_ID(ack);
    unsigned line = irq <= MAX_IRQ ? line_index(irq, cpu_index()) : 0;
    if (irq == TIMER_IRQ)
        handle_timer_interrupt();
    else if (vcpu_handle_interrupt(irq))
        ;   /* a guest's event, now its VMM's */
    else if (irq <= MAX_IRQ && irq_state[line] == irq_signal)
        deliver_user_interrupt(irq, line);
    else if (irq < FIRST_USER_IRQ)
        smp_handle_ipi(irq);
#ifdef CONFIG_PROFILER
    else if (irq == BOARD_PMU_IRQ(cpu_index()))   /* after the others: their paths stay as they were */
        profiler_sample(current_thread);
#endif
    else
        irqchip_mask(irq);  /* nobody owns it: keep it quiet */
    irqchip_end(ack);
}

word_t irq_max(void)
{
    return MIN(MAX_IRQ, irqchip_max_irq());
}

void irq_handler_release(unsigned line)
{
    if (line >= NUM_LINES || irq_state[line] != irq_signal)
        return;
    line_set_masked(line, true);
    cte_delete_one(&irq_slots[line]);
    irq_state[line] = irq_inactive;
}

/* ---------------------------------------------------------------- IRQControl */

/* IRQControl Get, GetTrigger (trigger: -1 none) and GetTriggerCore (core). */
static seL4_Error issue_handler(invocation_t *inv, word_t irq, unsigned first_slot_mr, int trigger,
                                unsigned core)
{
    if (irq > irq_max())
        return inv_range_error(inv, 0, irq_max());
    unsigned line = line_index((unsigned)irq, core);
    if (irq_state[line] != irq_inactive)
        return inv_error(inv, seL4_RevokeFirst);
    cte_t *dest = inv_lookup_target_slot(inv, inv->extra[0]->cap, inv_mr(inv, first_slot_mr),
                                         inv_mr(inv, first_slot_mr + 1), false);
    if (!dest)
        return inv->error.type;
    if (!cap_is_null(dest->cap))
        return inv_error(inv, seL4_DeleteFirst);
    if (trigger >= 0)
        irqchip_set_trigger((unsigned)irq, trigger == 1);
    /* A shared line is delivered to the core asked for (core 0 by default). */
    irqchip_set_target((unsigned)irq, core);
    irq_state[line] = irq_signal;
    /* As seL4 (setIRQState): a claimed line is enabled at once; until a
       notification is bound its first interrupt is dropped and the line
       stays masked until Ack. */
    line_set_masked(line, false);
    cte_insert(cap_simple_new(cap_irq_handler, line), inv->slot, dest);
    return seL4_NoError;
}

seL4_Error decode_irq_control(invocation_t *inv)
{
    switch (inv->label) {
    case IRQIssueIRQHandler:
        if (inv->length < 3 || inv->extra_caps < 1)
            return inv_error(inv, seL4_TruncatedMessage);
#if CONFIG_MAX_NUM_NODES > 1
        /* Which core's copy of a private line? GetTriggerCore says. */
        if (inv_mr(inv, 0) < NUM_PRIVATE)
            return inv_error(inv, seL4_IllegalOperation);
#endif
        return issue_handler(inv, inv_mr(inv, 0), 1, -1, 0);
    case ARMIRQIssueIRQHandlerTrigger:
        if (inv->length < 4 || inv->extra_caps < 1)
            return inv_error(inv, seL4_TruncatedMessage);
#if CONFIG_MAX_NUM_NODES > 1
        if (inv_mr(inv, 0) < NUM_PRIVATE)
            return inv_error(inv, seL4_IllegalOperation);
#endif
        return issue_handler(inv, inv_mr(inv, 0), 2, inv_mr(inv, 1) ? 1 : 0, 0);
#if CONFIG_MAX_NUM_NODES > 1
    case ARMIRQIssueIRQHandlerTriggerCore: {
        if (inv->length < 5 || inv->extra_caps < 1)
            return inv_error(inv, seL4_TruncatedMessage);
        word_t irq = inv_mr(inv, 0), core = inv_mr(inv, 4);
        if (irq > irq_max())
            return inv_range_error(inv, 0, irq_max());
        if (core >= CONFIG_MAX_NUM_NODES)
            return inv_error(inv, seL4_InvalidArgument);
        return issue_handler(inv, irq, 2, inv_mr(inv, 1) ? 1 : 0, (unsigned)core);
    }
#endif
    default:
        /* SGI signals (IssueSGISignal) are not offered: refused. */
        return inv_error(inv, seL4_IllegalOperation);
    }
}

/* ---------------------------------------------------------------- IRQHandler */

seL4_Error decode_irq_handler(invocation_t *inv)
{
    unsigned line = (unsigned)cap_simple_data(inv->cap);
    switch (inv->label) {
    case IRQAckIRQ:
        line_set_masked(line, false);
        return seL4_NoError;
    case IRQSetIRQHandler: {
        if (inv->extra_caps < 1)
            return inv_error(inv, seL4_TruncatedMessage);
        cte_t *src = inv->extra[0];
        cap_t cap = src->cap;
        if (cap_get_type(cap) != cap_notification || !(cap_rights(cap) & RIGHT_WRITE))
            return inv_invalid_cap(inv, 0);
        cte_delete_one(&irq_slots[line]);
        cte_insert(cap, src, &irq_slots[line]);
        return seL4_NoError;
    }
    case IRQClearIRQHandler:
        cte_delete_one(&irq_slots[line]);
        return seL4_NoError;
    default:
        return inv_error(inv, seL4_IllegalOperation);
    }
}
