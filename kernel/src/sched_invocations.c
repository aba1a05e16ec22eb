/*
 * SchedControl and SchedContext invocations (MCS) and the domain cap.
 */
#include <kernel/invocation.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <kernel/tcb.h>
#include <kernel/smp.h>
#include <timer.h>

static seL4_Error configure_flags(invocation_t *inv)
{
    if (inv->length < 5 || inv->extra_caps < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    cap_t sc_cap = inv->extra[0]->cap;
    if (cap_get_type(sc_cap) != cap_sched_context)
        return inv_invalid_cap(inv, 1);
    word_t budget_us = inv_mr(inv, 0), period_us = inv_mr(inv, 1);
    word_t extra = inv_mr(inv, 2), badge = inv_mr(inv, 3), flags = inv_mr(inv, 4);
    if (budget_us < MIN_BUDGET_US || budget_us > MAX_PERIOD_US)
        return inv_range_error(inv, MIN_BUDGET_US, MAX_PERIOD_US);
    if (period_us < MIN_BUDGET_US || period_us > MAX_PERIOD_US)
        return inv_range_error(inv, MIN_BUDGET_US, MAX_PERIOD_US);
    if (budget_us > period_us)
        return inv_range_error(inv, MIN_BUDGET_US, period_us);
    word_t capacity = sched_context_refills_capacity(cap_sched_context_size_bits(sc_cap));
    if (extra + MIN_REFILLS > capacity)
        return inv_range_error(inv, 0, capacity - MIN_REFILLS);
    sched_context_configure(cap_get_ptr(sc_cap), (unsigned)cap_simple_data(inv->cap),
                            timer_us_to_ticks(budget_us),
                            timer_us_to_ticks(period_us), extra + MIN_REFILLS, badge,
                            flags & seL4_SchedContext_Sporadic);
    return seL4_NoError;
}

seL4_Error decode_sched_control(invocation_t *inv)
{
    if (inv->label != SchedControlConfigureFlags)
        return inv_error(inv, seL4_IllegalOperation);
    return configure_flags(inv);
}

static seL4_Error bind(invocation_t *inv, sched_context_t *sc)
{
    if (inv->extra_caps < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    cap_t cap = inv->extra[0]->cap;
    switch (cap_get_type(cap)) {
    case cap_thread: {
        tcb_t *t = cap_get_ptr(cap);
        if (sc->tcb || t->sc || !sched_context_can_bind(sc, t))
            return inv_error(inv, seL4_IllegalOperation);
        sched_context_bind_tcb(sc, t);
        return seL4_NoError;
    }
    case cap_notification: {
        notification_t *n = cap_get_ptr(cap);
        if (sc->notification || n->sc)
            return inv_error(inv, seL4_IllegalOperation);
        sched_context_bind_notification(sc, n);
        return seL4_NoError;
    }
    default:
        return inv_invalid_cap(inv, 1);
    }
}

static seL4_Error unbind_object(invocation_t *inv, sched_context_t *sc)
{
    if (inv->extra_caps < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    cap_t cap = inv->extra[0]->cap;
    switch (cap_get_type(cap)) {
    case cap_thread:
        if (sc->tcb != cap_get_ptr(cap))
            return inv_error(inv, seL4_IllegalOperation);
        if (sc->tcb == inv->caller)
            return inv_error(inv, seL4_IllegalOperation);
        sched_context_unbind_tcb(sc);
        return seL4_NoError;
    case cap_notification:
        if (sc->notification != cap_get_ptr(cap))
            return inv_error(inv, seL4_IllegalOperation);
        sched_context_unbind_notification(sc);
        return seL4_NoError;
    default:
        return inv_invalid_cap(inv, 1);
    }
}

static seL4_Error unbind(invocation_t *inv, sched_context_t *sc)
{
    if (sc->tcb && sc->tcb == inv->caller)
        return inv_error(inv, seL4_IllegalOperation);
    sched_context_unbind_tcb(sc);
    sched_context_unbind_notification(sc);
    return seL4_NoError;
}

/*
 * YieldTo: the SC's thread runs before the caller if its priority is at
 * least the caller's; a lower-priority one just stays queued and the call
 * returns at once. The reply carries the SC's consumed time.
 */
static seL4_Error yield_to(invocation_t *inv, sched_context_t *sc)
{
    tcb_t *t = sc->tcb, *caller = inv->caller;
    if (!t || t == caller || t->priority > caller->mcp)
        return inv_error(inv, seL4_IllegalOperation);
    reply_mr(inv, 0, sched_context_take_consumed(sc));
    /* On another core it just goes on waiting its turn there (seL4). */
    if (thread_schedulable(t) && t->priority >= caller->priority && sc->core == cpu_index())
        thread_yield_to(caller, t);
    return seL4_NoError;
}

seL4_Error decode_sched_context(invocation_t *inv)
{
    sched_context_t *sc = cap_get_ptr(inv->cap);
    /* Its thread's state and time must be in memory, not on another core. */
    if (sc->tcb)
        smp_stall_thread(sc->tcb);
    switch (inv->label) {
    case SchedContextBind:
        return bind(inv, sc);
    case SchedContextUnbind:
        return unbind(inv, sc);
    case SchedContextUnbindObject:
        return unbind_object(inv, sc);
    case SchedContextConsumed:
        reply_mr(inv, 0, sched_context_take_consumed(sc));
        return seL4_NoError;
    case SchedContextYieldTo:
        return yield_to(inv, sc);
    default:
        return inv_error(inv, seL4_IllegalOperation);
    }
}
