/*
 * The domain capability (seL4's DomainSet): a thread's domain, and the
 * domain schedule (seL4 15's runtime schedule, durations in timer ticks as
 * for MCS). The scheduler (src/thread.c, src/sched.c) picks threads of
 * cur_domain only and ends the current slot at domain_end.
 */
#include <kernel/domain.h>
#include <kernel/invocation.h>
#include <kernel/thread.h>
#include <kernel/sched.h>

/* Durations fit in 56 bits, as seL4's packed schedule entries. */
#define DOMAIN_MAX_DURATION MASK(56)

struct domain_slot {
    word_t domain;
    word_t duration;        /* ticks; 0: end marker */
};

/* Until configured: domain 0 for ever (seL4's boot schedule). */
static struct domain_slot schedule_slots[CONFIG_NUM_DOMAIN_SCHEDULES] = {
    [0] = { 0, DOMAIN_MAX_DURATION },
};
static word_t schedule_start, schedule_index;

static bool is_end_marker(word_t index)
{
    return schedule_slots[index].duration == 0;
}

#if DOMAINS_ENABLED
word_t cur_domain;
word_t domain_end = ~0ull;

bool domain_advance(word_t now, word_t min_budget)
{
    if (domain_end > now && domain_end - now > min_budget)
        return false;
    schedule_index++;
    if (schedule_index >= CONFIG_NUM_DOMAIN_SCHEDULES || is_end_marker(schedule_index))
        schedule_index = schedule_start;
    cur_domain = schedule_slots[schedule_index].domain;
    word_t duration = schedule_slots[schedule_index].duration;
    domain_end = duration > ~0ull - now ? ~0ull : now + duration;
    return true;
}
#endif

static seL4_Error schedule_configure(invocation_t *inv)
{
    if (inv->length < 3)
        return inv_error(inv, seL4_TruncatedMessage);
    word_t index = inv_mr(inv, 0), domain = inv_mr(inv, 1), duration = inv_mr(inv, 2);
    /* The last entry stays an end marker. */
    if (index >= CONFIG_NUM_DOMAIN_SCHEDULES - 1)
        return inv_range_error(inv, 0, CONFIG_NUM_DOMAIN_SCHEDULES - 2);
    if (domain >= CONFIG_NUM_DOMAINS)
        return inv_range_error(inv, 0, CONFIG_NUM_DOMAINS - 1);
    if (duration > DOMAIN_MAX_DURATION)
        return inv_invalid_argument(inv, 2);
    if (duration == 0 && domain != 0)
        return inv_invalid_argument(inv, 1);     /* an end marker is all zero */
    if (index == schedule_start && duration == 0)
        return inv_invalid_argument(inv, 2);     /* the start must not end */
    schedule_slots[index] = (struct domain_slot){ domain, duration };
    return seL4_NoError;
}

static seL4_Error schedule_set_start(invocation_t *inv)
{
    if (inv->length < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    word_t index = inv_mr(inv, 0);
    if (index >= CONFIG_NUM_DOMAIN_SCHEDULES)
        return inv_range_error(inv, 0, CONFIG_NUM_DOMAIN_SCHEDULES - 1);
    if (is_end_marker(index))
        return inv_invalid_argument(inv, 0);
    schedule_start = index;
    /* End the current slot now: the next schedule() starts the new one. */
    schedule_index = CONFIG_NUM_DOMAIN_SCHEDULES - 1;
#if DOMAINS_ENABLED
    domain_end = 0;
#endif
    thread_reschedule();
    return seL4_NoError;
}

static seL4_Error set_domain(invocation_t *inv)
{
    if (inv->length < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    word_t domain = inv_mr(inv, 0);
    if (domain >= CONFIG_NUM_DOMAINS)
        return inv_invalid_argument(inv, 0);
    if (inv->extra_caps < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    cap_t cap = inv->extra[0]->cap;
    if (cap_get_type(cap) != cap_thread)
        return inv_invalid_argument(inv, 1);
    thread_set_domain(cap_get_ptr(cap), (unsigned)domain);
    return seL4_NoError;
}

seL4_Error decode_domain(invocation_t *inv)
{
    switch (inv->label) {
    case DomainSetSet:
        return set_domain(inv);
    case DomainScheduleConfigure:
        return schedule_configure(inv);
    case DomainScheduleSetStart:
        return schedule_set_start(inv);
    default:
        return inv_error(inv, seL4_IllegalOperation);
    }
}
