/*
 * The timer driver's device-independent part (timer.h): a deadline per
 * client, the device's alarm set to the earliest one, and the clients whose
 * deadline has passed notified when it fires.
 */
#include "timer.h"

#define NO_DEADLINE UINT64_MAX

static const struct timer_hw *hw;
static uint64_t deadline[TIMER_MAX_CLIENTS];

static void program_alarm(void)
{
    uint64_t first = NO_DEADLINE;
    for (unsigned n = 0; n < TIMER_MAX_CLIENTS; n++)
        if (deadline[n] < first)
            first = deadline[n];
    if (first == NO_DEADLINE)
        hw->stop_alarm();
    else
        hw->set_alarm(first);
}

static void fire_due(void)
{
    uint64_t now = hw->now_ns();
    for (unsigned n = 0; n < TIMER_MAX_CLIENTS; n++) {
        if (deadline[n] <= now) {
            deadline[n] = NO_DEADLINE;
            microkit_notify(TIMER_CH_CLIENT0 + n);
        }
    }
    program_alarm();
}

void timer_driver_init(const struct timer_hw *h)
{
    hw = h;
    for (unsigned n = 0; n < TIMER_MAX_CLIENTS; n++)
        deadline[n] = NO_DEADLINE;
    hw->stop_alarm();
}

void timer_driver_notified(microkit_channel ch)
{
    if (ch != TIMER_CH_IRQ)
        return;
    hw->irq_clear();
    fire_due();
    microkit_deferred_irq_ack(ch);
}

microkit_msginfo timer_driver_protected(microkit_channel ch, microkit_msginfo msg)
{
    if (ch < TIMER_CH_CLIENT0)
        return microkit_msginfo_new(TIMER_BAD_REQUEST, 0);
    unsigned n = ch - TIMER_CH_CLIENT0;
    switch (microkit_msginfo_get_label(msg)) {
    case TIMER_TIME_NOW:
        microkit_mr_set(0, hw->now_ns());
        return microkit_msginfo_new(TIMER_OK, 1);
    case TIMER_SET_TIMEOUT: {
        if (microkit_msginfo_get_count(msg) < 1)
            return microkit_msginfo_new(TIMER_BAD_REQUEST, 0);
        uint64_t now = hw->now_ns(), delay = microkit_mr_get(0);
        deadline[n] = delay >= NO_DEADLINE - now ? NO_DEADLINE - 1 : now + delay;
        if (delay == 0) {
            fire_due();
            return microkit_msginfo_new(TIMER_OK, 0);
        }
        program_alarm();
        return microkit_msginfo_new(TIMER_OK, 0);
    }
    case TIMER_CANCEL:
        deadline[n] = NO_DEADLINE;
        program_alarm();
        return microkit_msginfo_new(TIMER_OK, 0);
    default:
        return microkit_msginfo_new(TIMER_BAD_REQUEST, 0);
    }
}
