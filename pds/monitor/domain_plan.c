/*
 * The domain schedule arithmetic (domain_plan.h): durations in timer
 * ticks, which slots are written.
 */
#include "domain_plan.h"

bool domain_entry_ticks(const struct sys_schedule_entry *e, uint64_t hz, uint64_t *ticks)
{
    if (e->duration == 0 || e->ticks) {
        *ticks = e->duration;
        return e->duration <= DOMAIN_MAX_TICKS;
    }
    /* ceil(us * hz / 10^6) in two parts that cannot overflow 64 bits for
       any timer below 2^44 Hz: whole seconds, then the rest. */
    const uint64_t us_per_s = 1000000;
    uint64_t seconds = e->duration / us_per_s, rest = e->duration % us_per_s;
    if (hz == 0 || hz >= (UINT64_C(1) << 44) || seconds > DOMAIN_MAX_TICKS / hz)
        return false;
    uint64_t result = seconds * hz + (rest * hz + us_per_s - 1) / us_per_s;
    if (result > DOMAIN_MAX_TICKS)
        return false;
    *ticks = result;
    return true;
}

bool domain_entry_written(const struct system_tables *t, uint32_t i)
{
    return t->schedule[i].duration != 0 || domain_slot(t, i) != 0;
}
