/*
 * IPC fast path (see include/kernel/fastpath.h). It handles exactly the
 * case a Microkit PPC produces: a message of at most four words and no
 * caps, from a thread to a passive server waiting on the endpoint with a
 * reply object (Call), and the server's answer (ReplyRecv) when nothing is
 * queued for it. The scheduling context travels with the call, so no time
 * needs charging and the timer keeps its deadline. Every check comes before
 * the first change: a failed check leaves the slow path a clean start.
 */
#include <kernel/fastpath.h>
#include <kernel/endpoint_queue.h>
#include <kernel/reply_stack.h>
#include <kernel/thread.h>
#include <kernel/ipc.h>
#include <kernel/cdt.h>
#include <kernel/cspace.h>
#include <kernel/smp.h>
#include <arch/vspace.h>
#include <arch/switch.h>
#include <arch/registers.h>
#include <sel4/abi.h>

/* Message info with no extra caps and at most four words. */
#define FAST_INFO_MASK      0x1ffull
#define FAST_MAX_LENGTH     seL4_FastMessageRegisters
#define CAPS_UNWRAPPED_MASK 0xe00ull

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

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
    /* A passive server with a reply object, and nothing queued that should
       run before it. */
    if (unlikely(server->sc || !reply || !sc || tcb_core(server) != cpu_index() ||
                 (int)server->priority < highest_ready_priority() ||
                 !arch_fastpath_can_enter(server) || (DOMAINS_ENABLED && server->domain != cur_domain)))
        return;

    /* Point of no return. */
    ep_dequeue(ep, server);
    server->reply = NULL;
    caller->state = thread_blocked_on_reply;
    set_register(caller, REG_RESTART_PC, get_register(caller, REG_NEXT_PC) - ARCH_SYSCALL_INSTRUCTION_SIZE);
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
    /* The caller waits on this reply, lent us the SC we run on, and is
       the one to run next. */
    if (unlikely(!caller || caller->state != thread_blocked_on_reply || caller->fault[0] ||
                 !sc || reply->sc != sc || sc->reply != reply || caller->sc ||
                 tcb_core(caller) != cpu_index() ||
                 (int)caller->priority < highest_ready_priority() || !arch_fastpath_can_enter(caller) ||
                 (DOMAINS_ENABLED && caller->domain != cur_domain)))
        return;

    /* Point of no return: the server waits for the next call ... */
    server->state = thread_blocked_on_receive;
    set_register(server, REG_RESTART_PC, get_register(server, REG_NEXT_PC) - ARCH_SYSCALL_INSTRUCTION_SIZE);
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

/*
 * With several cores the fast path holds the kernel lock too: a system
 * call stalled while waiting for it is restarted later (kernel/smp.h), so
 * its restart pc is set first. A fast path that declines lets go: the slow
 * path takes the lock afresh.
 */
void fastpath_call(tcb_t *caller)
{
#if CONFIG_MAX_NUM_NODES > 1
    set_register(caller, REG_RESTART_PC, get_register(caller, REG_NEXT_PC) - ARCH_SYSCALL_INSTRUCTION_SIZE);
    if (!kernel_lock_acquire())
        return_to_user();
    fast_call(caller);
    kernel_lock_release();
#else
    fast_call(caller);
#endif
}

void fastpath_reply_recv(tcb_t *server)
{
#if CONFIG_MAX_NUM_NODES > 1
    set_register(server, REG_RESTART_PC, get_register(server, REG_NEXT_PC) - ARCH_SYSCALL_INSTRUCTION_SIZE);
    if (!kernel_lock_acquire())
        return_to_user();
    fast_reply_recv(server);
    kernel_lock_release();
#else
    fast_reply_recv(server);
#endif
}
