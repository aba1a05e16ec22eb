/*
 * timer_arm: the timer driver PD on the Arm generic timer's EL1 physical
 * timer (CNTP_*), which the kernel leaves to user level (it uses the
 * virtual timer; CNTKCTL_EL1 lets EL0 reach the physical one). Its
 * interrupt is a per-core PPI (INTID 30). No MMIO: system registers only.
 */
#include <timer/generic_counter.h>
#include <timer/timer.h>

#define CTL_ENABLE  1u
#define CTL_IMASK   2u

static uint64_t freq;

static uint64_t ns_to_ticks(uint64_t ns)   /* rounded up: never early */
{
    return ns / NS_PER_S * freq + (ns % NS_PER_S * freq + NS_PER_S - 1) / NS_PER_S;
}

static uint64_t now_ns(void)
{
    return generic_counter_convert(generic_counter(), freq, NS_PER_S);
}

static void set_alarm(uint64_t deadline_ns)
{
    uint64_t cval = ns_to_ticks(deadline_ns);
    __asm__ volatile("msr cntp_cval_el0, %0; msr cntp_ctl_el0, %1; isb"
                     :: "r"(cval), "r"((uint64_t)CTL_ENABLE) : "memory");
}

static void stop_alarm(void)
{
    __asm__ volatile("msr cntp_ctl_el0, %0; isb" :: "r"((uint64_t)CTL_IMASK) : "memory");
}

/* The interrupt is level: it stays up until the alarm is moved or stopped,
   which fire_due() does; mask it meanwhile. */
static void irq_clear(void)
{
    stop_alarm();
}

static const struct timer_hw arm_timer = {
    .now_ns = now_ns, .set_alarm = set_alarm, .stop_alarm = stop_alarm, .irq_clear = irq_clear,
};

void init(void)
{
    freq = generic_counter_freq();
    timer_driver_init(&arm_timer);
}

void notified(microkit_channel ch)
{
    timer_driver_notified(ch);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msg)
{
    return timer_driver_protected(ch, msg);
}
