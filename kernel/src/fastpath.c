/*
 * IPC fast path (see include/kernel/fastpath.h). It handles exactly the
 * case a Microkit PPC produces: a message of at most four words and no
 * caps, from a thread to a server waiting on the endpoint with a reply
 * object (Call), and the server's answer (ReplyRecv) when nothing is
 * queued for it. With a passive server the scheduling context travels with
 * the call, so no time needs charging and the timer keeps its deadline.
 * With an active server (its own SC, Microkit's default) the caller's SC
 * is charged and the server's takes over, as the slow path's exit does it
 * (sched_handover, round-robin SCs only). Signal and Poll on a
 * notification, when the caller goes on running (a woken waiter at most
 * joins its ready queue), are below. Every check comes before the first
 * change: a failed check leaves the slow path a clean start.
 */
#include <kernel/fastpath.h>
#include <kernel/endpoint_queue.h>
#include <kernel/reply_stack.h>
#include <kernel/thread.h>
#include <kernel/ipc.h>
#include <kernel/cdt.h>
#include <kernel/cspace.h>
#include <kernel/smp.h>
#include <kernel/sched.h>
#include <arch/vspace.h>
#include <arch/switch.h>
#include <arch/registers.h>
#include <kernel/print.h>
#include <sel4/abi.h>

/* Message info with no extra caps and at most four words. */
#define FAST_INFO_MASK      0x1ffull
#define FAST_MAX_LENGTH     seL4_FastMessageRegisters
#define CAPS_UNWRAPPED_MASK 0xe00ull

/* Slots of the per-thread lookup cache: the endpoint (the cap register)
   and the reply object (the reply register). */
enum { LOOKUP_EP = 0, LOOKUP_REPLY = 1 };

/* A cache miss: walk the CSpace and remember the slot for next time. */
static inline __attribute__((always_inline)) cap_t fast_lookup_miss(tcb_t *t, word_t cptr,
                                                              unsigned which)
{
    cte_t *slot = cspace_resolve(t->caps[tcb_cspace_root].cap, cptr, seL4_WordBits).slot;
    if (!slot)
        return cap_null_new();
    if (t->lookup_generation != cspace_generation) {
        t->lookup_generation = cspace_generation;
        t->lookup_slot[LOOKUP_EP] = t->lookup_slot[LOOKUP_REPLY] = NULL;
    }
    t->lookup_cptr[which] = cptr;
    t->lookup_slot[which] = slot;
    return slot->cap;
}

/*
 * The cap `cptr` names. A server calls ReplyRecv with the same two CPtrs
 * every time, so the slots are cached per thread until a CNode cap changes
 * anywhere (cspace_generation); the cap itself is always read fresh.
 */
static inline __attribute__((always_inline)) cap_t fast_lookup(tcb_t *t, word_t cptr,
                                                                unsigned which)
{
    if (likely(t->lookup_generation == cspace_generation && t->lookup_cptr[which] == cptr &&
               t->lookup_slot[which]))
        return t->lookup_slot[which]->cap;
    return fast_lookup_miss(t, cptr, which);
}

static inline void copy_fast_message(tcb_t *from, tcb_t *to, word_t length)
{
    /* Exactly `length` words: the receiver never sees the sender's other
       registers. Nested so that the common short messages test least. */
    if (length) {
        set_msg_register(to, 0, get_msg_register(from, 0));
        if (length > 1) {
            set_msg_register(to, 1, get_msg_register(from, 1));
            if (length > 2) {
                set_msg_register(to, 2, get_msg_register(from, 2));
                if (length > 3)
                    set_msg_register(to, 3, get_msg_register(from, 3));
            }
        }
    }
}

/* Enter t, whose cached address-space switch the caller checked. */
static inline __attribute__((always_inline)) _Noreturn void switch_to(tcb_t *t)
{
    t->state = thread_running;
    current_thread = t;
    arch_fastpath_enter_user(t);
}

/* t, blocked in (or stalled before) its system call, runs it again from
   its svc when it next runs. */
static ALWAYS_INLINE void restart_at_syscall(tcb_t *t)
{
    set_register(t, REG_RESTART_PC, get_register(t, REG_NEXT_PC) - ARCH_SYSCALL_INSTRUCTION_SIZE);
}

/*
 * The Call to an active server (fast_call checked the rest): the caller's
 * SC stays with it, charged up to now, and the server runs on its own.
 */
static ALWAYS_INLINE void fast_call_active(tcb_t *caller, tcb_t *server,
                                                       endpoint_t *ep, word_t badge, word_t info)
{
    sched_context_t *sc = caller->sc, *server_sc = server->sc;
    word_t now = timer_now_inline();
    if (unlikely(!sched_handover_ok(sc, server_sc, now)))
        return;

    /* Point of no return. */
    reply_t *reply = server->reply;
    ep_dequeue(ep, server);
    server->reply = NULL;
    caller->state = thread_blocked_on_reply;
    restart_at_syscall(caller);
    caller->reply = reply;
    reply->tcb = caller;
    reply->sc = NULL;
    reply->prev = reply->next = NULL;
    sched_handover(sc, server_sc, now);

    copy_fast_message(caller, server, info & 0x7f);
    set_register(server, REG_BADGE, badge);
    set_register(server, REG_MSG_INFO, info & ~CAPS_UNWRAPPED_MASK);
    switch_to(server);
}

static inline __attribute__((always_inline)) void fast_call(tcb_t *caller)
{
    word_t info = get_register(caller, REG_MSG_INFO);
    if (unlikely((info & FAST_INFO_MASK) > FAST_MAX_LENGTH))
        return;
    cap_t cap = fast_lookup(caller, get_register(caller, REG_CAP), LOOKUP_EP);
    word_t rights = cap_rights(cap);
    if (unlikely(cap_get_type(cap) != cap_endpoint || !(rights & RIGHT_WRITE) ||
                 !(rights & (RIGHT_GRANT | RIGHT_GRANT_REPLY))))
        return;
    endpoint_t *ep = cap_get_ptr(cap);
    tcb_t *server = ep->head;
    if (unlikely(ep_state(ep) != ep_recv))
        return;
    reply_t *reply = server->reply;
    sched_context_t *sc = caller->sc;
    /* A server with a reply object, and nothing queued that should run
       before it. */
    if (unlikely(!reply || !sc || tcb_core(server) != cpu_index() ||
                 (int)server->priority < highest_ready_priority() ||
                 !arch_fastpath_can_enter(server) || (DOMAINS_ENABLED && server->domain != cur_domain)))
        return;
    if (server->sc) {
        fast_call_active(caller, server, ep, cap_badge(cap), info);
        return;
    }

    /* Point of no return. */
    ep_dequeue(ep, server);
    server->reply = NULL;
    caller->state = thread_blocked_on_reply;
    restart_at_syscall(caller);
    caller->reply = reply;
    reply->tcb = caller;
    reply_stack_push(sc, reply);
    caller->sc = NULL;
    sc->tcb = server;
    server->sc = sc;

    copy_fast_message(caller, server, info & 0x7f);
    set_register(server, REG_BADGE, cap_badge(cap));
    set_register(server, REG_MSG_INFO, info & ~CAPS_UNWRAPPED_MASK);
    switch_to(server);
}

/*
 * The ReplyRecv of an active server (fast_reply_recv checked the rest):
 * the reply lent no SC; the server's is charged up to now and the
 * caller's runs again.
 */
static ALWAYS_INLINE void fast_reply_recv_active(tcb_t *server, tcb_t *caller,
                                                             endpoint_t *ep, reply_t *reply,
                                                             word_t info)
{
    sched_context_t *sc = server->sc, *caller_sc = caller->sc;
    word_t now = timer_now_inline();
    if (unlikely(!sched_handover_ok(sc, caller_sc, now)))
        return;

    /* Point of no return: the server waits for the next call ... */
    server->state = thread_blocked_on_receive;
    restart_at_syscall(server);
    server->blocking_object = (word_t)(uintptr_t)ep;
    server->reply = reply;
    ep_enqueue(ep, server, ep_recv);
    caller->reply = NULL;
    reply->tcb = server;
    /* ... and the caller runs on its own SC again. */
    sched_handover(sc, caller_sc, now);

    copy_fast_message(server, caller, info & 0x7f);
    set_register(caller, REG_BADGE, 0);
    set_register(caller, REG_MSG_INFO, info & ~CAPS_UNWRAPPED_MASK);
    switch_to(caller);
}

static inline __attribute__((always_inline)) void fast_reply_recv(tcb_t *server)
{
    word_t info = get_register(server, REG_MSG_INFO);
    if (unlikely((info & FAST_INFO_MASK) > FAST_MAX_LENGTH))
        return;
    cap_t ep_cap = fast_lookup(server, get_register(server, REG_CAP), LOOKUP_EP);
    cap_t reply_cap = fast_lookup(server, get_register(server, REG_REPLY), LOOKUP_REPLY);
    if (unlikely(cap_get_type(ep_cap) != cap_endpoint || !(cap_rights(ep_cap) & RIGHT_READ) ||
                 cap_get_type(reply_cap) != cap_reply))
        return;
    endpoint_t *ep = cap_get_ptr(ep_cap);
    reply_t *reply = cap_get_ptr(reply_cap);
    tcb_t *caller = reply->tcb;
    sched_context_t *sc = server->sc;
    notification_t *bound = server->bound_notification;
    if (unlikely(ep_state(ep) == ep_send || (bound && bound->state == ntfn_active)))
        return;
    /* The caller waits on this reply and is the one to run next. */
    if (unlikely(!caller || caller->state != thread_blocked_on_reply || caller->fault[0] ||
                 !sc || tcb_core(caller) != cpu_index() ||
                 (int)caller->priority < highest_ready_priority() || !arch_fastpath_can_enter(caller) ||
                 (DOMAINS_ENABLED && caller->domain != cur_domain)))
        return;
    if (!reply->sc) {
        /* It lent us no SC: it has its own (an active server). */
        if (caller->sc)
            fast_reply_recv_active(server, caller, ep, reply, info);
        return;
    }
    /* It lent us the SC we run on. */
    if (unlikely(reply->sc != sc || sc->reply != reply || caller->sc))
        return;

    /* Point of no return: the server waits for the next call ... */
    server->state = thread_blocked_on_receive;
    restart_at_syscall(server);
    server->blocking_object = (word_t)(uintptr_t)ep;
    server->reply = reply;
    ep_enqueue(ep, server, ep_recv);
    /* ... and the SC goes back to the caller with the answer. */
    reply_stack_pop(sc, reply);
    caller->reply = NULL;
    reply->tcb = server;
    server->sc = NULL;
    sc->tcb = caller;
    caller->sc = sc;

    copy_fast_message(server, caller, info & 0x7f);
    set_register(caller, REG_BADGE, 0);
    set_register(caller, REG_MSG_INFO, info & ~CAPS_UNWRAPPED_MASK);
    switch_to(caller);
}

/* ---------------------------------------------------------------- notifications */

/*
 * Signal, Poll and Wait on a notification when the caller simply goes on:
 * nobody is woken and nobody blocks. The slow path would make no choice
 * either (keep_running, then the exit's "nothing changed"): the running
 * thread still has MIN_BUDGET left (the entry's clock check), nothing
 * outranks it or asks for a switch, and its address space, FPU and debug
 * registers are already what the exit would load (the last exit loaded
 * them for this thread). Anything else is the slow path's.
 */
static ALWAYS_INLINE bool fast_resume_ok(tcb_t *t, word_t *now)
{
    struct node *n = NODE;
    sched_context_t *sc = t->sc;
    if (unlikely(!sc || sc != n->charged_sc || n->exhausted || n->switch_required ||
                 n->reprogram || n->switch_candidate || DOMAINS_ENABLED ||
                 t->queued != queued_none || tcb_core(t) != cpu_index() ||
                 highest_ready_priority() > (int)t->priority || !arch_fastpath_can_enter(t) ||
                 arch_fpu_load_eagerly(t)))
        return false;
    *now = timer_now_inline();
    return *now <= n->charge_at;
}

/* The notification a one-level CSpace names at `cptr` (else NULL), if the
   cap has `right`. */
static ALWAYS_INLINE notification_t *fast_notification(tcb_t *t, word_t cptr, word_t right,
                                                       word_t *badge)
{
    cap_t root = t->caps[tcb_cspace_root].cap;
    if (unlikely(!cspace_one_level(root, cptr)))
        return NULL;
    cap_t cap = cspace_one_level_slot(root, cptr)->cap;
    if (unlikely(cap_get_type(cap) != cap_notification || !(cap_rights(cap) & right)))
        return NULL;
    *badge = cap_badge(cap);
    return cap_get_ptr(cap);
}

/*
 * The Signal wakes the first waiter, which does not outrank the signaller:
 * it goes to the back of its ready queue and the signaller goes on (what
 * wake, possible_switch_to and keep_running do), when it has its own SC
 * with a released refill of at least MIN_BUDGET, on this core. Anything
 * else (a release to wait for, an SC to lend) is the slow path's.
 */
static ALWAYS_INLINE void fast_signal_wake(tcb_t *t, notification_t *n, word_t badge)
{
    tcb_t *w = n->queue.head;
    sched_context_t *sc = w->sc;
    word_t now;
    if (unlikely(w->priority > t->priority || !sc || !sched_context_active(sc) ||
                 w->queued != queued_none || tcb_core(w) != cpu_index() ||
                 (DOMAINS_ENABLED && w->domain != cur_domain) || !sched_min_budget_ticks ||
                 sc->refills[sc->refill_head].amount < sched_min_budget_ticks))
        return;
    if (unlikely(!fast_resume_ok(t, &now) || sc->refills[sc->refill_head].release > now))
        return;
    /* Point of no return. */
    notification_dequeue(n, w);
    set_register(w, REG_BADGE, badge);
    w->state = thread_running;
    ready_queue_add(w);
    arch_fastpath_resume_user(t);
}

/* Send or NBSend to a notification (seL4_Signal) that does not switch. */
static ALWAYS_INLINE void fast_signal(tcb_t *t)
{
    if (unlikely(seL4_MessageInfo_get_extraCaps((seL4_MessageInfo_t){ { get_register(t, REG_MSG_INFO) } })))
        return;     /* the slow path looks the extra caps up (and may fault) */
    word_t badge, now;
    notification_t *n = fast_notification(t, get_register(t, REG_CAP), RIGHT_WRITE, &badge);
    if (unlikely(!n))
        return;
    if (n->state == ntfn_waiting) {
        fast_signal_wake(t, n, badge);
        return;
    }
    tcb_t *bound = n->bound_tcb;
    if (unlikely(n->state == ntfn_idle && bound && bound->state == thread_blocked_on_receive))
        return;
    if (unlikely(!fast_resume_ok(t, &now)))
        return;
    /* Point of no return: as notification_signal. */
    if (n->state == ntfn_active) {
        n->word |= badge;
    } else {
        n->state = ntfn_active;
        n->word = badge;
    }
    arch_fastpath_resume_user(t);
}

/* NBWait (seL4_Poll) on a notification. (A Wait that may block is the slow
   path's: the vector sends it there directly.) */
static ALWAYS_INLINE void fast_poll(tcb_t *t)
{
    word_t badge, now;
    notification_t *n = fast_notification(t, get_register(t, REG_CAP), RIGHT_READ, &badge);
    if (unlikely(!n || (n->bound_tcb && n->bound_tcb != t) || !fast_resume_ok(t, &now)))
        return;
    /* As notification_receive: t has an SC, so none is donated. */
    if (n->state == ntfn_active) {
        set_register(t, REG_BADGE, n->word);
        n->word = 0;
        n->state = ntfn_idle;
    } else {
        set_register(t, REG_BADGE, 0);
    }
    arch_fastpath_resume_user(t);
}

/*
 * With several cores the fast path holds the kernel lock too. A system
 * call stalled while waiting for it is restarted later (kernel/smp.h), so
 * its restart pc must be set before a wait; a lock found free means no
 * wait and no stall, and the fast path sets the restart pc of the thread
 * it blocks itself (a thread that goes on running needs none: its next
 * entry sets it). A fast path that declines lets go: the slow path takes
 * the lock afresh. With one core this is the fast path alone.
 */
#if CONFIG_MAX_NUM_NODES > 1
/* The lock was held: wait for it, then let the general path handle the
   call. Reached by a jump, so that the fast path makes no call and needs
   no stack frame. */
_Noreturn void fastpath_lock_contended(void)
{
    struct node *n = NODE;
    tcb_t *t = current_thread;
    restart_at_syscall(t);
    if (!kernel_lock_wait(n, n->lock_pred))
        return_to_user();
    handle_user_syscall_locked();
}
#endif

static ALWAYS_INLINE void fastpath_lock(void)
{
#if CONFIG_MAX_NUM_NODES > 1
    if (unlikely(!kernel_lock_enqueue())) {
        __asm__ volatile("b fastpath_lock_contended" ::: "memory");
        __builtin_unreachable();
    }
#endif
}

void fastpath_call(tcb_t *caller)
{
    fastpath_lock();
    fast_call(caller);
    kernel_lock_release_local();
}

void fastpath_reply_recv(tcb_t *server)
{
    fastpath_lock();
    fast_reply_recv(server);
    kernel_lock_release_local();
}

void fastpath_signal(tcb_t *t)
{
    fastpath_lock();
    fast_signal(t);
    kernel_lock_release_local();
}

void fastpath_poll(tcb_t *t)
{
    fastpath_lock();
    fast_poll(t);
    kernel_lock_release_local();
}

#ifdef CONFIG_PRINTING
/*
 * DebugPutChar (the monitor prints its boot summary with it, one system
 * call a character): the character to the console and straight back to
 * the caller, without the big kernel lock and without a scheduling
 * decision; the console has its own lock (console.c). This is safe
 * because the call reads and writes no kernel object: only the caller's
 * registers, saved in its TCB at this entry and restored from there, and
 * the UART. The caller runs on this core and stays current here: another
 * core can change that only by stalling it (smp_stall_thread, a remote
 * call this core answers at its next kernel entry, which the interrupt
 * masked since this entry causes right after the return) and must wait
 * for that answer before it touches the thread. Whatever else happened
 * meanwhile waits in the same way as if the thread had stayed at user
 * level: an exhausted budget or a reschedule is a pending interrupt (the
 * timer's, a reschedule IPI), taken as soon as the thread runs again; the
 * time spent is charged at that next entry. With one core this also
 * leaves out the scheduling checks, for the same reasons. The general
 * path (CONFIG_FASTPATH=n, or while the hardware-debug API is in use)
 * does the same under the kernel lock.
 */
void fastpath_debug_putchar(tcb_t *t)
{
#ifdef CONFIG_HARDWARE_DEBUG_API
    if (arch_debug_in_use)
        return;
#endif
    console_putc((char)get_register(t, REG_CAP));
    arch_enter_user(t);
}
#endif
