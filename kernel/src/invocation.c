/*
 * The Call/Send path of a capability invocation: look up the cap and the
 * extra caps, route IPC objects (endpoint, notification, reply) to the IPC
 * code and every other object to its decoder, then answer a calling thread
 * with the result or seL4's error (the helpers decoders use are in
 * invocation_args.c).
 */
#include <kernel/invocation.h>
#include <kernel/syscall.h>
#include <kernel/ipc.h>
#include <kernel/fault.h>
#include <kernel/thread.h>
#include <kernel/ipc_buffer.h>
#include <arch/registers.h>
#include <kernel/preemption.h>
#include <kernel/interrupt.h>

static void reply_with_error(invocation_t *inv)
{
    const syscall_error_t *e = &inv->error;
    tcb_t *t = inv->caller;
    word_t length = 0;
    switch (e->type) {
    case seL4_InvalidArgument:
        set_message_register(t, inv->buffer, 0, e->invalid_argument);
        length = 1;
        break;
    case seL4_InvalidCapability:
        set_message_register(t, inv->buffer, 0, e->invalid_cap);
        length = 1;
        break;
    case seL4_RangeError:
        set_message_register(t, inv->buffer, 0, e->range_min);
        set_message_register(t, inv->buffer, 1, e->range_max);
        length = 2;
        break;
    case seL4_FailedLookup:
        set_message_register(t, inv->buffer, 0, e->lookup_was_source);
        length = 1 + set_lookup_fault_mrs(t, inv->buffer, 1, &e->lookup);
        break;
    case seL4_NotEnoughMemory:
        set_message_register(t, inv->buffer, 0, e->memory_left);
        length = 1;
        break;
    default:
        break;
    }
    set_register(t, REG_BADGE, 0);
    set_register(t, REG_MSG_INFO, seL4_MessageInfo_new(e->type, 0, 0, length).words[0]);
}

static void reply_with_success(invocation_t *inv)
{
    set_register(inv->caller, REG_BADGE, 0);
    set_register(inv->caller, REG_MSG_INFO, seL4_MessageInfo_new(0, 0, 0, inv->reply_length).words[0]);
}

static seL4_Error decode(invocation_t *inv)
{
    switch (cap_get_type(inv->cap)) {
    case cap_untyped:
        return decode_untyped(inv);
    case cap_cnode:
        return decode_cnode(inv);
    case cap_thread:
        return decode_tcb(inv);
    case cap_irq_control:
        return decode_irq_control(inv);
    case cap_irq_handler:
        return decode_irq_handler(inv);
    case cap_sched_control:
        return decode_sched_control(inv);
    case cap_sched_context:
        return decode_sched_context(inv);
    case cap_domain:
        return decode_domain(inv);
    case cap_frame:
    case cap_page_table:
    case cap_vspace:
    case cap_asid_control:
    case cap_asid_pool:
    case cap_smc:
    case cap_vcpu:
        return decode_arch(inv);
    default:
        /* Null caps, zombies and the rest cannot be invoked. */
        return inv_invalid_cap(inv, 0);
    }
}

/* Look up the extra caps named in the IPC buffer; false (and a fault) on failure. */
static bool lookup_extra_caps(invocation_t *inv, word_t info, bool blocking)
{
    word_t count = seL4_MessageInfo_get_extraCaps((seL4_MessageInfo_t){ { info } });
    inv->extra_caps = 0;
    if (!inv->buffer)
        return true;
    for (unsigned i = 0; i < count; i++) {
        word_t cptr = inv->buffer[IPCBUF_CAPS + i];
        lookup_result_t r = lookup_slot(inv->caller, cptr);
        if (!r.slot) {
            if (blocking)
                fault_cap(inv->caller, cptr, false, &r.fault);
            return false;
        }
        inv->extra[i] = r.slot;
        inv->extra_caps = i + 1;
    }
    return true;
}

/*
 * An IPC object invoked without extra caps, with the rights it needs: the
 * common case, done without decoding an invocation (handle_invocation
 * would do the same). Returns false for anything else.
 */
static bool invoke_ipc_object(tcb_t *t, cap_t cap, word_t info, bool call, bool blocking,
                              bool donate)
{
    if (seL4_MessageInfo_get_extraCaps((seL4_MessageInfo_t){ { info } }))
        return false;
    switch (cap_get_type(cap)) {
    case cap_endpoint:
        if (!(cap_rights(cap) & RIGHT_WRITE))
            return false;
        ipc_send(t, cap, blocking, call, donate);
        break;
    case cap_notification:
        if (!(cap_rights(cap) & RIGHT_WRITE))
            return false;
        notification_signal(cap_get_ptr(cap), cap_badge(cap));
        break;
    case cap_reply:
        reply_invoke(t, cap_get_ptr(cap), cap_reply_can_grant(cap));
        break;
    default:
        return false;
    }
    /* A caller that is still running gets an empty answer, as below. */
    if (call && t->state == thread_running) {
        set_register(t, REG_BADGE, 0);
        set_register(t, REG_MSG_INFO, seL4_MessageInfo_new(0, 0, 0, 0).words[0]);
    }
    return true;
}

void handle_invocation(tcb_t *t, word_t cptr, bool call, bool blocking, bool donate)
{
    word_t info = get_register(t, REG_MSG_INFO);
    cte_t *slot = lookup_slot_or_null(t, cptr);
    if (unlikely(!slot)) {
        if (blocking) {
            lookup_result_t r = lookup_slot(t, cptr);   /* why it failed */
            fault_cap(t, cptr, false, &r.fault);
        }
        return;
    }
    if (invoke_ipc_object(t, slot->cap, info, call, blocking, donate))
        return;
    invocation_t inv = {
        .caller = t,
        .label = seL4_MessageInfo_get_label((seL4_MessageInfo_t){ { info } }),
        .length = seL4_MessageInfo_get_length((seL4_MessageInfo_t){ { info } }),
        .cap = slot->cap,
        .slot = slot,
        .buffer = ipc_buffer_of(t),
        .call = call,
    };
    if (inv.length > seL4_MsgMaxLength)
        inv.length = seL4_MsgMaxLength;
    if (inv.length > seL4_FastMessageRegisters && !inv.buffer)
        inv.length = seL4_FastMessageRegisters;
    if (!lookup_extra_caps(&inv, info, blocking))
        return;

    seL4_Error err = seL4_NoError;
    switch (cap_get_type(inv.cap)) {
    case cap_endpoint:
        if (!(cap_rights(inv.cap) & RIGHT_WRITE))
            err = inv_invalid_cap(&inv, 0);
        else
            ipc_send(t, inv.cap, blocking, call, donate);
        break;
    case cap_notification:
        if (!(cap_rights(inv.cap) & RIGHT_WRITE))
            err = inv_invalid_cap(&inv, 0);
        else
            notification_signal(cap_get_ptr(inv.cap), cap_badge(inv.cap));
        break;
    case cap_reply:
        reply_invoke(t, cap_get_ptr(inv.cap), cap_reply_can_grant(inv.cap));
        break;
    default:
        err = decode(&inv);
        break;
    }
    if (err == ERR_PREEMPTED) {
        /* A long operation stopped for an interrupt, its progress kept:
           take the interrupt now; the caller re-executes its system call
           when it next runs, and carries on where this one stopped. */
        thread_set_state(t, thread_restart);
        handle_pending_interrupt();
        return;
    }
    /* A caller that is still running gets the kernel's answer (an empty one
       for a notification or reply, as in seL4); one now waiting in IPC
       gets its reply from the other side. */
    if (!call)
        return;
    if (err != seL4_NoError)
        reply_with_error(&inv);
    else if (t->state == thread_running)
        reply_with_success(&inv);
}
