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
#include <kernel/thread.h>
#include <kernel/ipc.h>
#include <kernel/cdt.h>
#include <kernel/cspace.h>
#include <arch/vspace.h>
#include <arch/switch.h>
#include <sel4/abi.h>

/* Message info with no extra caps and at most four words. */
#define FAST_INFO_MASK      0x1ffull
#define FAST_MAX_LENGTH     seL4_FastMessageRegisters
#define CAPS_UNWRAPPED_MASK 0xe00ull

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

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
        to->ctx.x[2] = from->ctx.x[2];
        if (length > 1) {
            to->ctx.x[3] = from->ctx.x[3];
            if (length > 2) {
                to->ctx.x[4] = from->ctx.x[4];
                if (length > 3)
                    to->ctx.x[5] = from->ctx.x[5];
            }
        }
    }
}

/* Enter t, whose cached TTBR0 the caller checked (no call: no stack frame). */
static inline __attribute__((always_inline)) _Noreturn void switch_to(tcb_t *t)
{
    t->state = thread_running;
    current_thread = t;
    arch_switch_to_thread_with(t, t->ttbr0);
    /* A jump, not a call: the fast path stays a leaf without a stack frame. */
    __asm__ volatile("mov x0, %0\n\tb restore_user_context" :: "r"(&t->ctx) : "x0", "memory");
    __builtin_unreachable();
}

void fastpath_call(tcb_t *caller)
{
    word_t info = caller->ctx.x[1];
    if (unlikely((info & FAST_INFO_MASK) > FAST_MAX_LENGTH))
        return;
    cap_t cap = fast_lookup(caller, caller->ctx.x[0], LOOKUP_EP);
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
    if (unlikely(server->sc || !reply || !sc || (int)server->priority < highest_ready_priority() ||
                 !arch_ttbr0_cached(server)))
        return;

    /* Point of no return. */
    ep_dequeue(ep, server);
    server->reply = NULL;
    caller->state = thread_blocked_on_reply;
    caller->restart_pc = caller->ctx.elr - 4;
    caller->reply = reply;
    reply->tcb = caller;
    reply->sc = sc;
    reply->next = NULL;
    reply->prev = sc->reply;
    if (sc->reply)
        sc->reply->next = reply;
    sc->reply = reply;
    caller->sc = NULL;
    sc->tcb = server;
    server->sc = sc;

    copy_fast_message(caller, server, info & 0x7f);
    server->ctx.x[0] = cap_badge(cap);
    server->ctx.x[1] = info & ~CAPS_UNWRAPPED_MASK;
    switch_to(server);
}

void fastpath_reply_recv(tcb_t *server)
{
    word_t info = server->ctx.x[1];
    if (unlikely((info & FAST_INFO_MASK) > FAST_MAX_LENGTH))
        return;
    cap_t ep_cap = fast_lookup(server, server->ctx.x[0], LOOKUP_EP);
    cap_t reply_cap = fast_lookup(server, server->ctx.x[6], LOOKUP_REPLY);
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
                 (int)caller->priority < highest_ready_priority() || !arch_ttbr0_cached(caller)))
        return;

    /* Point of no return: the server waits for the next call ... */
    server->state = thread_blocked_on_receive;
    server->restart_pc = server->ctx.elr - 4;
    server->blocking_object = (word_t)(uintptr_t)ep;
    server->reply = reply;
    ep_enqueue(ep, server, ep_recv);
    /* ... and the SC goes back to the caller with the answer. */
    sc->reply = reply->prev;
    if (reply->prev)
        reply->prev->next = NULL;
    caller->reply = NULL;
    reply->tcb = server;
    reply->sc = NULL;
    reply->prev = NULL;
    server->sc = NULL;
    sc->tcb = caller;
    caller->sc = sc;

    copy_fast_message(server, caller, info & 0x7f);
    caller->ctx.x[0] = 0;
    caller->ctx.x[1] = info & ~CAPS_UNWRAPPED_MASK;
    switch_to(caller);
}
