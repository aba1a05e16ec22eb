/* The timer client library (timer.h): protected procedure calls. */
#include "timer.h"

uint64_t timer_now_ns(microkit_channel ch)
{
    microkit_ppcall(ch, microkit_msginfo_new(TIMER_TIME_NOW, 0));
    return microkit_mr_get(0);
}

void timer_set_timeout(microkit_channel ch, uint64_t ns_from_now)
{
    microkit_mr_set(0, ns_from_now);
    microkit_ppcall(ch, microkit_msginfo_new(TIMER_SET_TIMEOUT, 1));
}

void timer_cancel(microkit_channel ch)
{
    microkit_ppcall(ch, microkit_msginfo_new(TIMER_CANCEL, 0));
}
