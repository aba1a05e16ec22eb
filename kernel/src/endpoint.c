/*
 * Endpoints: a queue of threads all waiting to send or all waiting to
 * receive. A message moves when a sender meets a receiver; a Call leaves the
 * caller waiting for the reply through the receiver's reply object.
 */
#include <kernel/ipc.h>
#include <arch/registers.h>
#include <kernel/endpoint_queue.h>
#include <kernel/reply_stack.h>
#include <kernel/ipc_buffer.h>
#include <kernel/thread.h>
#include <kernel/sched.h>
#include <kernel/cspace.h>
#include <kernel/cdt.h>
#include <kernel/objects.h>
#include <kernel/fault.h>
#include <kernel/assert.h>
#include <sel4/abi.h>

/* ---------------------------------------------------------------- messages */

static word_t copy_message(tcb_t *s, word_t *sbuf, tcb_t *r, word_t *rbuf, word_t length)
{
    word_t i;
    for (i = 0; i < length && i < seL4_FastMessageRegisters; i++)
        set_msg_register(r, i, get_msg_register(s, i));
    if (!sbuf || !rbuf)
        return i;
    for (; i < length; i++)
        rbuf[IPCBUF_MSG(i)] = sbuf[IPCBUF_MSG(i)];
    return i;
}

/* ---------------------------------------------------------------- capability transfer */

/* The empty slot the receiver named for an incoming cap, or NULL. */
static cte_t *receive_slot(tcb_t *r, word_t *rbuf)
{
    lookup_fault_t fault;
    cap_t root = lookup_cap(r, rbuf[IPCBUF_RECV_CNODE], &fault);
    if (cap_get_type(root) != cap_cnode)
        return NULL;
    word_t depth = rbuf[IPCBUF_RECV_DEPTH];
    if (depth < 1 || depth > seL4_WordBits)
        return NULL;
    lookup_result_t res = resolve_address_bits(root, rbuf[IPCBUF_RECV_INDEX], (unsigned)depth);
    if (!res.slot || res.bits_remaining || !cap_is_null(res.slot->cap))
        return NULL;
    return res.slot;
}

struct transfer {
    word_t extra;           /* caps (or badges) delivered */
    word_t unwrapped;       /* bit i: cap i arrived as a badge */
};

static struct transfer transfer_caps(tcb_t *s, word_t *sbuf, word_t count, endpoint_t *ep,
                                     tcb_t *r, word_t *rbuf)
{
    struct transfer out = { 0, 0 };
    if (count == 0 || !sbuf || !rbuf)
        return out;
    cte_t *dest = receive_slot(r, rbuf);
    for (word_t i = 0; i < count; i++) {
        lookup_result_t src = lookup_slot(s, sbuf[IPCBUF_CAPS + i]);
        if (!src.slot || cap_is_null(src.slot->cap))
            break;
        cap_t cap = src.slot->cap;
        if (cap_get_type(cap) == cap_endpoint && ep && cap_get_ptr(cap) == ep) {
            /* A cap to the endpoint the message travels on arrives as its badge. */
            rbuf[IPCBUF_CAPS + i] = cap_badge(cap);
            out.unwrapped |= BIT(i);
        } else {
            cap_t derived;
            if (!dest || derive_cap(src.slot, cap, &derived) != seL4_NoError || cap_is_null(derived))
                break;
            cte_insert(derived, src.slot, dest);
            dest = NULL;
        }
        out.extra = i + 1;
    }
    return out;
}

/* ---------------------------------------------------------------- transfer */

/* A message that needs the IPC buffers: longer than the message registers,
   or with caps. Out of line, so the short case needs no big stack frame.
   Returns the receiver's message info. */
static __attribute__((noinline)) word_t transfer_through_buffers(tcb_t *s, endpoint_t *ep,
                                                                 word_t label, word_t length,
                                                                 word_t extra, tcb_t *r)
{
    word_t *sbuf = ipc_buffer_of(s);
    word_t *rbuf = ipc_buffer_of(r);
    word_t sent = copy_message(s, sbuf, r, rbuf, length);
    struct transfer caps = transfer_caps(s, sbuf, extra, ep, r, rbuf);
    return seL4_MessageInfo_new(label, caps.unwrapped, caps.extra, sent).words[0];
}

static void do_normal_transfer(tcb_t *s, endpoint_t *ep, word_t badge, bool can_grant, tcb_t *r)
{
    seL4_MessageInfo_t info = { { get_register(s, REG_MSG_INFO) } };
    word_t label = seL4_MessageInfo_get_label(info);
    word_t length = seL4_MessageInfo_get_length(info);
    word_t extra = can_grant ? seL4_MessageInfo_get_extraCaps(info) : 0;
    if (length > seL4_MsgMaxLength)
        length = seL4_MsgMaxLength;
    word_t received;
    if (length > seL4_FastMessageRegisters || extra)
        received = transfer_through_buffers(s, ep, label, length, extra, r);
    else    /* short messages without caps never touch the IPC buffers */
        received = seL4_MessageInfo_new(label, 0, 0,
                                        copy_message(s, NULL, r, NULL, length)).words[0];
    set_register(r, REG_MSG_INFO, received);
    set_register(r, REG_BADGE, badge);
}

static void do_fault_transfer(tcb_t *s, word_t badge, tcb_t *r)
{
    word_t *rbuf = ipc_buffer_of(r);
    word_t length = fault_write_message(s, r, rbuf);
    set_register(r, REG_MSG_INFO, seL4_MessageInfo_new(s->fault[0], 0, 0, length).words[0]);
    set_register(r, REG_BADGE, badge);
}

static void do_ipc_transfer(tcb_t *s, endpoint_t *ep, word_t badge, bool can_grant, tcb_t *r)
{
    if (s->fault[0] == seL4_Fault_NullFault)
        do_normal_transfer(s, ep, badge, can_grant, r);
    else
        do_fault_transfer(s, badge, r);
}

/* ---------------------------------------------------------------- replies */

/* `caller` now waits for `callee` to answer through `reply`. */
static void reply_push(tcb_t *caller, tcb_t *callee, reply_t *reply, bool donate)
{
    assert(reply->tcb == NULL);
    thread_set_state(caller, thread_blocked_on_reply);
    caller->reply = reply;
    reply->tcb = caller;
    reply->sc = NULL;
    reply->prev = reply->next = NULL;
    sched_context_t *sc = caller->sc;
    if (donate && sc && !callee->sc) {
        reply_stack_push(sc, reply);
        sched_context_donate(sc, callee);
    }
}

/* Undo reply_push: unlink from the call stack, returning a donated SC. */
static void reply_pop(reply_t *reply)
{
    tcb_t *caller = reply->tcb;
    sched_context_t *sc = reply->sc;
    if (sc) {
        bool top = sc->reply == reply;
        reply_stack_remove(sc, reply);
        if (top && caller && !caller->sc)
            sched_context_donate(sc, caller);
    }
    assert(!reply->sc && !reply->prev && !reply->next);
    if (caller)
        caller->reply = NULL;
    reply->tcb = NULL;
}

void reply_clear(reply_t *r)
{
    tcb_t *t = r->tcb;
    if (!t)
        return;
    if (t->state == thread_blocked_on_reply) {
        reply_pop(r);
        t->fault[0] = seL4_Fault_NullFault;
        thread_set_state(t, thread_inactive);
    } else {
        ipc_cancel(t);
    }
}

void reply_finalise(reply_t *r)
{
    reply_clear(r);
}

void reply_invoke(tcb_t *t, reply_t *reply, bool can_grant)
{
    tcb_t *caller = reply->tcb;
    if (!caller || caller->state != thread_blocked_on_reply)
        return;
    reply_pop(reply);
    word_t fault = caller->fault[0];
    if (fault == seL4_Fault_NullFault) {
        do_ipc_transfer(t, NULL, 0, can_grant, caller);
        thread_set_state(caller, thread_running);
    } else {
        bool restart = fault_handle_reply(caller, t);
        caller->fault[0] = seL4_Fault_NullFault;
        thread_set_state(caller, restart ? thread_restart : thread_inactive);
    }
    sched_resume_replied(caller, fault == seL4_Fault_Timeout);
}

/* ---------------------------------------------------------------- send and receive */

static void send_ipc(bool blocking, bool call, word_t badge, bool can_grant, bool can_grant_reply,
                     bool donate, tcb_t *t, endpoint_t *ep)
{
    if (ep_state(ep) != ep_recv) {
        if (!blocking)
            return;     /* nobody is listening: a non-blocking send is dropped */
        thread_set_state(t, thread_blocked_on_send);
        t->blocking_object = (word_t)(uintptr_t)ep;
        t->blocking_badge = badge;
        t->blocking_flags = (can_grant ? BLOCK_CAN_GRANT : 0) |
                            (can_grant_reply ? BLOCK_CAN_GRANT_REPLY : 0) | (call ? BLOCK_IS_CALL : 0);
        ep_enqueue(ep, t, ep_send);
        return;
    }
    tcb_t *dest = ep->head;
    ep_dequeue(ep, dest);
    do_ipc_transfer(t, ep, badge, can_grant, dest);
    reply_t *reply = dest->reply;
    if (reply) {
        reply->tcb = NULL;
        dest->reply = NULL;
    }
    if (call || t->fault[0] != seL4_Fault_NullFault) {
        if (reply && (can_grant || can_grant_reply))
            reply_push(t, dest, reply, donate);
        else
            thread_set_state(t, thread_inactive);
    } else if (donate && t->sc && !dest->sc) {
        sched_context_donate(t->sc, dest);
    }
    thread_set_state(dest, thread_running);
    possible_switch_to(dest);
}

void ipc_send(tcb_t *t, cap_t ep_cap, bool blocking, bool call, bool donate)
{
    word_t rights = cap_rights(ep_cap);
    send_ipc(blocking, call, cap_badge(ep_cap), rights & RIGHT_GRANT, rights & RIGHT_GRANT_REPLY,
             donate, t, cap_get_ptr(ep_cap));
}

bool send_fault_ipc(tcb_t *t, cap_t handler)
{
    word_t rights = cap_rights(handler);
    if (cap_get_type(handler) != cap_endpoint || !(rights & RIGHT_WRITE) ||
        !(rights & (RIGHT_GRANT | RIGHT_GRANT_REPLY)))
        return false;
    send_ipc(true, false, cap_badge(handler), rights & RIGHT_GRANT, rights & RIGHT_GRANT_REPLY,
             t->fault[0] != seL4_Fault_Timeout, t, cap_get_ptr(handler));
    return true;
}

static void receive_ipc(tcb_t *t, endpoint_t *ep, bool blocking, reply_t *reply)
{
    if (reply && reply->tcb)
        reply_clear(reply);
    notification_t *bound = t->bound_notification;
    if (bound && bound->state == ntfn_active) {
        notification_complete(bound, t);
        return;
    }
    if (ep_state(ep) != ep_send) {
        if (!blocking) {
            set_register(t, REG_BADGE, 0);
            return;
        }
        thread_set_state(t, thread_blocked_on_receive);
        t->blocking_object = (word_t)(uintptr_t)ep;
        t->reply = reply;
        if (reply)
            reply->tcb = t;
        ep_enqueue(ep, t, ep_recv);
        return;
    }
    tcb_t *sender = ep->head;
    ep_dequeue(ep, sender);
    word_t flags = sender->blocking_flags;
    bool can_grant = flags & BLOCK_CAN_GRANT;
    do_ipc_transfer(sender, ep, sender->blocking_badge, can_grant, t);
    if ((flags & BLOCK_IS_CALL) || sender->fault[0] != seL4_Fault_NullFault) {
        if (reply && (flags & (BLOCK_CAN_GRANT | BLOCK_CAN_GRANT_REPLY)))
            reply_push(sender, t, reply, sender->sc != NULL);
        else
            thread_set_state(sender, thread_inactive);
    } else {
        thread_set_state(sender, thread_running);
        possible_switch_to(sender);
    }
}

static void receive_fault(tcb_t *t, word_t cptr)
{
    lookup_fault_t f = { .type = seL4_MissingCapability, .bits_left = 0 };
    fault_cap(t, cptr, true, &f);
}

void handle_receive(tcb_t *t, bool blocking, bool can_reply)
{
    word_t cptr = get_register(t, REG_CAP);
    lookup_fault_t fault;
    cap_t cap = lookup_cap(t, cptr, &fault);
    if (cap_is_null(cap)) {
        fault_cap(t, cptr, true, &fault);
        return;
    }
    switch (cap_get_type(cap)) {
    case cap_endpoint: {
        if (!(cap_rights(cap) & RIGHT_READ)) {
            receive_fault(t, cptr);
            return;
        }
        reply_t *reply = NULL;
        if (can_reply) {
            word_t reply_cptr = get_register(t, REG_REPLY);
            cap_t rcap = lookup_cap(t, reply_cptr, &fault);
            if (cap_get_type(rcap) != cap_reply) {
                receive_fault(t, reply_cptr);
                return;
            }
            reply = cap_get_ptr(rcap);
        }
        receive_ipc(t, cap_get_ptr(cap), blocking, reply);
        return;
    }
    case cap_notification: {
        notification_t *n = cap_get_ptr(cap);
        if (!(cap_rights(cap) & RIGHT_READ) || (n->bound_tcb && n->bound_tcb != t)) {
            receive_fault(t, cptr);
            return;
        }
        notification_receive(t, n, blocking);
        return;
    }
    default:
        receive_fault(t, cptr);
        return;
    }
}

/* ---------------------------------------------------------------- cancelling */

void ipc_cancel(tcb_t *t)
{
    switch (t->state) {
    case thread_blocked_on_send:
    case thread_blocked_on_receive:
        ep_dequeue((endpoint_t *)(uintptr_t)t->blocking_object, t);
        if (t->reply) {
            t->reply->tcb = NULL;
            t->reply = NULL;
        }
        break;
    case thread_blocked_on_notification:
        notification_dequeue((notification_t *)(uintptr_t)t->blocking_object, t);
        break;
    case thread_blocked_on_reply:
        if (t->reply)
            reply_pop(t->reply);
        t->fault[0] = seL4_Fault_NullFault;
        break;
    default:
        return;
    }
    thread_set_state(t, thread_inactive);
}

void ipc_reorder(tcb_t *t)
{
    switch (t->state) {
    case thread_blocked_on_send:
    case thread_blocked_on_receive: {
        endpoint_t *ep = (endpoint_t *)(uintptr_t)t->blocking_object;
        enum endpoint_state state = ep_state(ep);
        ep_set_queue(ep, tcb_queue_insert(tcb_queue_remove(ep_queue(ep), t), t), state);
        return;
    }
    case thread_blocked_on_notification:
        notification_reorder((notification_t *)(uintptr_t)t->blocking_object, t);
        return;
    default:
        return;
    }
}

/* A thread released from a destroyed queue retries its system call. */
static void restart_released(tcb_t *t)
{
    if (t->reply) {
        t->reply->tcb = NULL;
        t->reply = NULL;
    }
    if (t->fault[0] == seL4_Fault_NullFault) {
        thread_set_state(t, thread_restart);
        possible_switch_to(t);
    } else {
        thread_set_state(t, thread_inactive);
    }
}

void endpoint_cancel_all(endpoint_t *ep)
{
    tcb_t *t = ep->head;
    ep_set_queue(ep, (tcb_queue_t){ NULL, NULL }, ep_idle);
    while (t) {
        tcb_t *next = t->ep_next;
        t->ep_next = t->ep_prev = NULL;
        restart_released(t);
        t = next;
    }
}

void endpoint_cancel_badged_sends(endpoint_t *ep, word_t badge)
{
    if (ep_state(ep) != ep_send)
        return;
    tcb_t *t = ep->head;
    while (t) {
        tcb_t *next = t->ep_next;
        if (t->blocking_badge == badge) {
            ep_dequeue(ep, t);
            restart_released(t);
        }
        t = next;
    }
}
