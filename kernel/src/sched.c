/*
 * MCS scheduling contexts. Each SC holds a budget split into refills
 * {release time, amount}: a thread may run while the head refill is released
 * and holds at least MIN_BUDGET. Time used is charged to the head refill and
 * given back one period later as a new refill (a sporadic server), so an SC
 * never gets more than `budget` in any window of `period`. An SC whose
 * budget equals its period is round robin: when its budget is used up it is
 * refilled at once and the thread goes to the back of its priority queue.
 *
 * The kernel is tickless: the timer is set for the moment the current
 * thread's budget runs out or the next refill is released, whichever is
 * first, and not at all when nothing needs it.
 */
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <kernel/ipc.h>
#include <kernel/fault.h>
#include <kernel/assert.h>
#include <kernel/domain.h>
#include <kernel/smp.h>
#include <timer.h>

/*
 * This core's clock, accounting and release queue are in its struct node.
 *
 * Charging is lazy. The SC the running thread uses (charged_sc) has been
 * charged up to charged_until; while it keeps running, its head refill
 * runs out at charged_until + head amount whatever is charged in between
 * (charging moves both by the same amount), so a kernel entry only
 * compares the clock with charge_at, MIN_BUDGET before that. The time used
 * is charged
 * (charge_node) when the budget is nearly gone, when another SC takes
 * over, and when something reads or changes the SC's refills. Charging a
 * sum at once leaves the refills as charging it in parts would: every part
 * before the head runs low is taken from the same head refill and returns
 * at the same release time, where refill_schedule merges it.
 *
 * The timer deadline depends on that moment, the release queue's head and
 * the domain schedule. Whatever changes one of them sets `reprogram`;
 * without it, an exit that keeps the same SC leaves the timer alone.
 */

/* MIN_BUDGET_US in ticks; the timer frequency is fixed once the kernel runs
   (sched_init_node sets it; host tests may come here first). */
word_t sched_min_budget_ticks;

static inline word_t min_budget(void)
{
    if (unlikely(!sched_min_budget_ticks))
        sched_min_budget_ticks = timer_us_to_ticks(MIN_BUDGET_US);
    return sched_min_budget_ticks;
}

/* ---------------------------------------------------------------- refills */

static refill_t *refill_at(sched_context_t *sc, word_t i)
{
    return &sc->refills[(sc->refill_head + i) % sc->refill_max];
}

/* (refill_head < refill_max always) */
static inline refill_t *head_refill(sched_context_t *sc)
{
    return &sc->refills[sc->refill_head];
}

static refill_t *tail_refill(sched_context_t *sc)
{
    return refill_at(sc, sc->refill_count - 1);
}

static bool is_round_robin(const sched_context_t *sc)
{
    return sc->period == 0;
}

static bool refill_ready(sched_context_t *sc)
{
    return head_refill(sc)->release <= NODE->now;
}

static bool refill_sufficient(sched_context_t *sc)
{
    return head_refill(sc)->amount >= min_budget();
}

static void refill_pop_head(sched_context_t *sc)
{
    sc->refill_head = (sc->refill_head + 1) % sc->refill_max;
    sc->refill_count--;
}

/* Give `amount` back at `release`: a new tail refill, or merged when full. */
static void refill_schedule(sched_context_t *sc, word_t release, word_t amount)
{
    if (sc->refill_count == 0) {
        sc->refill_head = 0;
        sc->refill_count = 1;
        *head_refill(sc) = (refill_t){ release, amount };
        return;
    }
    refill_t *tail = tail_refill(sc);
    if (sc->refill_count == sc->refill_max || release <= tail->release + tail->amount) {
        tail->amount += amount;
        if (release > tail->release)
            tail->release = release;
        return;
    }
    sc->refill_count++;
    *tail_refill(sc) = (refill_t){ release, amount };
}

/* Charge `used` ticks to the SC (see the top of the file). */
static void refill_charge(sched_context_t *sc, word_t used)
{
    if (is_round_robin(sc)) {
        refill_t *r = head_refill(sc);
        r->amount = used >= r->amount ? 0 : r->amount - used;
        return;
    }
    while (used > 0 && sc->refill_count > 0) {
        refill_t *r = head_refill(sc);
        word_t take = MIN(used, r->amount);
        word_t release = r->release + sc->period;
        used -= take;
        r->amount -= take;
        if (r->amount < min_budget()) {
            /* A sliver too small to run on goes back with the rest. */
            take += r->amount;
            refill_pop_head(sc);
        }
        refill_schedule(sc, release, take);
    }
    /* A head refill is always enough to run on (seL4's refill_budget_check
       keeps it at least MIN_BUDGET): one that is a sliver, charged off an
       earlier refill, joins the refill after it. Otherwise the thread would
       be released with too little budget to enter the kernel on. */
    while (sc->refill_count > 1 && head_refill(sc)->amount < min_budget()) {
        word_t amount = head_refill(sc)->amount;
        refill_pop_head(sc);
        head_refill(sc)->amount += amount;
    }
}

/*
 * The SC starts to run now (seL4's refill_unblock_check): a head refill
 * released in the past is moved up to now, and the refills that then
 * overlap it are merged into it. Without this, budget whose release time
 * passed while the thread did not run would be used in one burst, each
 * charge scheduling a refill that is already due.
 */
static void refill_unblock_check(sched_context_t *sc)
{
    if (is_round_robin(sc) || !refill_ready(sc))
        return;
    refill_t *head = head_refill(sc);
    head->release = NODE->now;
    while (sc->refill_count > 1 && refill_at(sc, 1)->release <= NODE->now + head->amount) {
        word_t amount = head->amount;
        refill_pop_head(sc);
        head = head_refill(sc);
        head->amount += amount;
        head->release = NODE->now;
    }
}

/* Round robin: a fresh slice at once. A round-robin SC only ever has this
   one refill, at refills[0] (the IPC fast path relies on it: sched.h). */
static void refill_reset(sched_context_t *sc, word_t budget)
{
    sc->refill_head = 0;
    sc->refill_count = 1;
    *head_refill(sc) = (refill_t){ NODE->now, budget };
}

/* Charge node n's SC for the time from charged_until to n->now. */
static void charge_node(struct node *n)
{
    sched_context_t *sc = n->charged_sc;
    n->reprogram = true;    /* budget_end may change (a refill popped) */
    if (!sc || !sched_context_active(sc))
        return;
    word_t used = n->now - n->charged_until;
    n->charged_until = n->now;
    sc->consumed += used;
    refill_charge(sc, used);
}

/* The current thread's time so far is charged; is its budget used up? */
static void charge_current(void)
{
    charge_node(NODE);
    sched_context_t *sc = NODE->charged_sc;
    if (sc && sched_context_active(sc) && (!refill_ready(sc) || !refill_sufficient(sc)))
        NODE->exhausted = true;
}

/* ---------------------------------------------------------------- life cycle */

word_t sched_context_refills_capacity(unsigned size_bits)
{
    return (BIT(size_bits) - SC_CORE_BYTES) / sizeof(refill_t);
}

void sched_context_configure(sched_context_t *sc, unsigned core, word_t budget, word_t period,
                             word_t max_refills, word_t badge, bool sporadic)
{
    NODE->now = timer_now();
    tcb_t *t = sc->tcb;
    if (t) {
        smp_stall_thread(t);    /* not while it runs on another core */
        thread_dequeue(t);
    }
    struct node *n = &nodes[sc->core];
    if (sc == n->charged_sc) {
        /* Its time so far counts as consumed; the old budget is forgotten. */
        n->now = NODE->now;
        charge_node(n);
        n->charged_sc = NULL;
    }
    sc->core = core;
    if (t)
        smp_migrate(t, core);
    sc->period = budget == period ? 0 : period;
    sc->refill_max = max_refills;
    sc->badge = badge;
    sc->sporadic = sporadic;
    sc->budget = budget;
    refill_reset(sc, budget);
    if (t && thread_is_runnable(t))
        possible_switch_to(t);
}

bool sched_context_can_bind(sched_context_t *sc, const tcb_t *t)
{
    return !thread_is_blocked(t) || (sched_context_active(sc) && refill_ready(sc));
}

void sched_context_bind_tcb(sched_context_t *sc, tcb_t *t)
{
    sc->tcb = t;
    t->sc = sc;
    smp_migrate(t, sc->core);   /* a thread runs on its SC's core */
    if (thread_is_runnable(t))
        possible_switch_to(t);
}

void sched_context_unbind_tcb(sched_context_t *sc)
{
    tcb_t *t = sc->tcb;
    if (!t)
        return;
    smp_stall_thread(t);
    thread_dequeue(t);
    t->sc = NULL;
    sc->tcb = NULL;
}

void sched_context_bind_notification(sched_context_t *sc, notification_t *n)
{
    sc->notification = n;
    n->sc = sc;
}

void sched_context_unbind_notification(sched_context_t *sc)
{
    if (sc->notification)
        sc->notification->sc = NULL;
    sc->notification = NULL;
}

void sched_context_donate(sched_context_t *sc, tcb_t *to)
{
    tcb_t *from = sc->tcb;
    if (from) {
        smp_stall_thread(from);
        if (from->queued != queued_none)
            thread_dequeue(from);
        from->sc = NULL;
    }
    sc->tcb = to;
    to->sc = sc;
    smp_migrate(to, sc->core);
}

void sched_context_finalise(sched_context_t *sc)
{
    sched_context_unbind_tcb(sc);
    sched_context_unbind_notification(sc);
    /* Calls that borrowed this SC keep waiting, now without it. */
    for (reply_t *r = sc->reply; r; r = r->prev)
        r->sc = NULL;
    sc->reply = NULL;
    if (sc->yield_from) {
        sc->yield_from->yield_to = NULL;
        sc->yield_from = NULL;
    }
    if (nodes[sc->core].charged_sc == sc) {
        nodes[sc->core].charged_sc = NULL;
        nodes[sc->core].reprogram = true;
    }
    sc->refill_max = 0;
}

word_t sched_context_reset_consumed(sched_context_t *sc)
{
    word_t us = timer_ticks_to_us(sc->consumed);
    sc->consumed = 0;
    return us;
}

word_t sched_context_take_consumed(sched_context_t *sc)
{
    struct node *n = &nodes[sc->core];
    if (sc == NODE->charged_sc) {
        NODE->now = timer_now();
        charge_current();
    } else if (sc == n->charged_sc) {
        n->now = timer_now();   /* it runs on another core (stopped while we hold the lock) */
        charge_node(n);
    }
    return sched_context_reset_consumed(sc);
}

/* ---------------------------------------------------------------- queues */

bool thread_schedulable(const tcb_t *t)
{
    sched_context_t *sc = t->sc;
    return thread_is_runnable(t) && sched_context_active(sc) && sc->refill_count > 0 &&
           t->queued != queued_release;
}

static void release_queue_add(tcb_t *t)
{
    ready_queue_remove(t);
    if (t->queued == queued_release)
        return;
    word_t release = head_refill(t->sc)->release;
    struct node *n = tcb_node(t);
    tcb_t **link = &n->release_head, *prev = NULL;
    while (*link && head_refill((*link)->sc)->release <= release) {
        prev = *link;
        link = &(*link)->sched_next;
    }
    t->sched_next = *link;
    t->sched_prev = prev;
    if (*link)
        (*link)->sched_prev = t;
    *link = t;
    t->queued = queued_release;
    n->reprogram = true;
    smp_request_reschedule(tcb_core(t));     /* its core's timer may need an earlier deadline */
}

void release_queue_remove(tcb_t *t)
{
    if (t->queued != queued_release)
        return;
    if (t->sched_prev) {
        t->sched_prev->sched_next = t->sched_next;
    } else {
        tcb_node(t)->release_head = t->sched_next;
        tcb_node(t)->reprogram = true;
    }
    if (t->sched_next)
        t->sched_next->sched_prev = t->sched_prev;
    t->sched_next = t->sched_prev = NULL;
    t->queued = queued_none;
}

/* Move every thread whose refill is now released to the ready queues. */
static void release_due(void)
{
    while (NODE->release_head && refill_ready(NODE->release_head->sc)) {
        tcb_t *t = NODE->release_head;
        release_queue_remove(t);
        if (thread_is_runnable(t))
            ready_queue_add(t);
    }
}

/* t may run now: switch to it here, or queue it on its own core. */
static void make_ready(tcb_t *t)
{
    if (tcb_core(t) == cpu_index()) {
        thread_wake(t);
    } else {
        ready_queue_add(t);
        smp_queue_update(t);
    }
}

/* Is t what its core runs right now? */
static bool is_running(const tcb_t *t)
{
    return tcb_node(t)->running == t;
}

void possible_switch_to(tcb_t *t)
{
    if (!thread_is_runnable(t) || !sched_context_active(t->sc) || t->queued != queued_none ||
        is_running(t))
        return;
    if (refill_ready(t->sc) && refill_sufficient(t->sc))
        make_ready(t);
    else
        release_queue_add(t);
}

/* ---------------------------------------------------------------- time */

/* Kernel entry, the rare part of sched_update_time (sched.h). */
void sched_update_time_slow(void)
{
    struct node *n = NODE;
    sched_context_t *sc = current_thread ? current_thread->sc : NULL;
    if (sc != n->charged_sc) {
        /* Not the SC the last exit left charged (sched_commit charges an
           SC that stops running): this one's clock starts now. */
        n->charged_sc = sc;
        n->charged_until = n->now;
        n->reprogram = true;
        return;
    }
    /* Less than MIN_BUDGET left: charge, and the scheduler deals with the
       exhausted budget. */
    charge_current();
}

/*
 * Handling the operation anyway would let a thread that blocks in it (a
 * call to a server, a fault to its handler) escape the end of its slice:
 * sched_handle_exhausted() only requeues runnable threads, and once woken
 * (a switch candidate) it runs ahead of its equals again, so a round-robin
 * thread that keeps calling starves every other thread of its priority.
 * This is the rare part of sched_budget_allows_entry (sched.h): the budget
 * is used up, the thread repeats its system call or fault later.
 */
bool sched_budget_restart(tcb_t *t)
{
    /* Sent back last time (and no other thread of this core since): the
       entry proceeds even if the budget ran out again before the thread
       could make it (a slice shorter than a kernel entry, or time that
       passed while an emulator ran other cores), so every thread makes
       progress; schedule() then deals with the exhausted budget after the
       operation. Only compared, never followed: a deleted thread's stale
       pointer lets at most one entry of a new TCB there through. */
    struct node *n = NODE;
    if (n->budget_restarted == t) {
        n->budget_restarted = NULL;
        return true;
    }
    n->budget_restarted = t;
    thread_set_state(t, thread_restart);
    return false;
}

void sched_handle_exhausted(void)
{
    if (!NODE->exhausted)
        return;
    NODE->exhausted = false;
    tcb_t *t = current_thread;
    sched_context_t *sc = t ? t->sc : NULL;
    if (!t || !sched_context_active(sc))
        return;
    if (is_round_robin(sc)) {
        refill_reset(sc, sc->budget);
        if (thread_is_runnable(t))
            ready_queue_add(t);     /* to the back of its priority */
        return;
    }
    if (fault_has_timeout_handler(t) && thread_is_runnable(t)) {
        fault_timeout(t, sc->badge);
        return;
    }
    if (thread_is_runnable(t))
        release_queue_add(t);
}

/*
 * A reply made t runnable again (seL4's doReplyTransfer): with budget it
 * may run; without, it takes a timeout fault if it has a handler and the
 * fault just answered was not itself a timeout, else it waits for its refill.
 */
void sched_resume_replied(tcb_t *t, bool answered_timeout_fault)
{
    sched_context_t *sc = t->sc;
    if (!sched_context_active(sc) || !thread_is_runnable(t))
        return;
    if (sc->sporadic && sc != nodes[sc->core].charged_sc)
        refill_unblock_check(sc);
    if (refill_ready(sc) && refill_sufficient(sc)) {
        /* possible_switch_to's remaining conditions */
        if (t->queued == queued_none && !is_running(t))
            make_ready(t);
    } else if (!answered_timeout_fault && fault_has_timeout_handler(t)) {
        fault_timeout(t, sc->badge);
    } else if (t->queued == queued_none && !is_running(t)) {
        release_queue_add(t);   /* it waits for its refill */
    }
}

void sched_yield(void)
{
    tcb_t *t = current_thread;
    sched_context_t *sc = t->sc;
    if (!sched_context_active(sc))
        return;
    /* Give up what is left of the head refill. */
    charge_current();
    refill_charge(sc, head_refill(sc)->amount);
    NODE->exhausted = true;
    if (is_round_robin(sc))
        return;
    /* A sporadic SC waits for its next refill without a timeout fault. */
    NODE->exhausted = false;
    if (thread_is_runnable(t))
        release_queue_add(t);
}

#if DOMAINS_ENABLED
bool sched_domain_due(void)
{
    return domain_advance(NODE->now, min_budget());
}
#endif

void sched_init_node(void)
{
    (void)min_budget();
    NODE->programmed = ~0ull;   /* nothing programmed yet */
    NODE->reprogram = true;
}

void sched_timer_tick(void)
{
    /* The deadline passed: stop the (level) interrupt; sched_commit sets the next. */
    timer_disarm();
    NODE->programmed = ~0ull;
    NODE->reprogram = true;
    sched_update_time();
    release_due();
}

void sched_commit_deadline(void)
{
    tcb_t *t = current_thread;
    sched_context_t *sc = t && sched_context_active(t->sc) ? t->sc : NULL;
    bool switched = sc != NODE->charged_sc;
    if (switched)
        charge_node(NODE);  /* the old SC, up to this entry's time */
    NODE->reprogram = false;
    NODE->now = timer_now();
    release_due();
    if (switched) {
        /* The new SC's clock starts as it starts to run. */
        NODE->charged_sc = sc;
        NODE->charged_until = NODE->now;
        if (sc)
            refill_unblock_check(sc);
    }
    word_t deadline = ~0ull;
    if (sc) {
        deadline = NODE->charged_until + head_refill(sc)->amount;
        NODE->charge_at = deadline > min_budget() ? deadline - min_budget() : 0;
    }
    if (NODE->release_head) {
        word_t release = head_refill(NODE->release_head->sc)->release;
        if (release < deadline)
            deadline = release;
    }
#if DOMAINS_ENABLED
    if (domain_end < deadline)
        deadline = domain_end;      /* the current domain's slot ends */
#endif
    /* Most kernel entries leave the deadline where it was. */
    if (deadline == NODE->programmed)
        return;
    NODE->programmed = deadline;
    if (deadline == ~0ull)
        timer_disarm();
    else
        timer_set_deadline(deadline);
}
