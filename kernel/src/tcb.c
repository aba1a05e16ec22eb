/*
 * Thread control blocks: life cycle (resume, suspend, destroy) and the TCB
 * invocations, with seL4's argument checks and error codes.
 */
#include <kernel/tcb.h>
#include <kernel/thread.h>
#include <kernel/sched.h>
#include <kernel/ipc.h>
#include <kernel/invocation.h>
#include <kernel/objects.h>
#include <kernel/cdt.h>
#include <kernel/debug.h>
#include <kernel/assert.h>
#include <kernel/smp.h>
#include <arch/vspace.h>
#include <arch/registers.h>

void tcb_init(tcb_t *t)
{
    t->priority = 0;
    t->mcp = 0;
    arch_tcb_init(t);
    debug_register_thread(t);
}

void tcb_suspend(tcb_t *t)
{
    ipc_cancel(t);
    if (t->state == thread_running && t->fault[0] == 0) {
        /* Stopped in the middle of nothing: resume where it stands. */
        set_register(t, REG_RESTART_PC, get_register(t, REG_NEXT_PC));
    }
    thread_set_state(t, thread_inactive);
}

void tcb_resume(tcb_t *t)
{
    if (thread_is_runnable(t))
        return;
    ipc_cancel(t);
    t->fault[0] = seL4_Fault_NullFault;
    thread_set_state(t, thread_restart);
    possible_switch_to(t);
}

void tcb_set_priority(tcb_t *t, unsigned priority)
{
    /* Running on another core: it leaves it for the ready queue, where
       its new priority decides (seL4's remoteTCBStall in setPriority). */
    smp_stall_thread(t);
    bool queued = t->queued == queued_ready;
    ready_queue_remove(t);
    t->priority = (uint8_t)priority;
    if (queued) {
        ready_queue_add(t);
        smp_queue_update(t);    /* it may now outrank what its core runs */
    }
    else if (thread_is_runnable(t))
        possible_switch_to(t);
    else
        ipc_reorder(t);     /* a waiter moves to its new place in the queue */
}

void tcb_finalise(tcb_t *t)
{
    smp_stall_thread(t);
    tcb_suspend(t);
    notification_unbind_tcb(t);
    if (t->sc)
        sched_context_unbind_tcb(t->sc);
    if (t->yield_to) {
        t->yield_to->yield_from = NULL;
        t->yield_to = NULL;
    }
    fpu_release(t);
    arch_tcb_finalise(t);
#ifdef CONFIG_HARDWARE_DEBUG_API
    arch_debug_forget(t);
#endif
    debug_forget_thread(t);
    if (current_thread == t)
        current_thread = NULL;
}

/* ---------------------------------------------------------------- registers */

/* Word i of t's seL4_UserContext (arch/registers.h gives the order). */
static word_t user_context_word(const tcb_t *t, unsigned i)
{
    return get_register(t, user_context_registers[i]);
}

void tcb_set_user_register(tcb_t *t, unsigned i, word_t value)
{
    unsigned reg = user_context_registers[i];
    set_register(t, reg, sanitise_register(t, reg, value));
}

static seL4_Error read_registers(invocation_t *inv, tcb_t *target)
{
    if (inv->length < 2)
        return inv_error(inv, seL4_TruncatedMessage);
    word_t flags = inv_mr(inv, 0), count = inv_mr(inv, 1);
    if (count < 1 || count > USER_CONTEXT_WORDS)
        return inv_range_error(inv, 1, USER_CONTEXT_WORDS);
    if (target == inv->caller)
        return inv_error(inv, seL4_IllegalOperation);
    if (flags & 1)
        tcb_suspend(target);
    for (unsigned i = 0; i < count; i++)
        reply_mr(inv, i, user_context_word(target, i));
    return seL4_NoError;
}

static seL4_Error write_registers(invocation_t *inv, tcb_t *target)
{
    if (inv->length < 2)
        return inv_error(inv, seL4_TruncatedMessage);
    word_t flags = inv_mr(inv, 0), count = inv_mr(inv, 1);
    if (inv->length - 2 < count)
        return inv_error(inv, seL4_TruncatedMessage);
    if (target == inv->caller)
        return inv_error(inv, seL4_IllegalOperation);
    if (count > USER_CONTEXT_WORDS)
        count = USER_CONTEXT_WORDS;
    for (unsigned i = 0; i < count; i++)
        tcb_set_user_register(target, i, inv_mr(inv, 2 + i));
    set_next_pc_to_restart_pc(target);
    if (flags & 1)
        tcb_resume(target);
    return seL4_NoError;
}

static seL4_Error copy_registers(invocation_t *inv, tcb_t *target)
{
    if (inv->length < 1 || inv->extra_caps < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    cap_t src_cap = inv->extra[0]->cap;
    if (cap_get_type(src_cap) != cap_thread)
        return inv_invalid_cap(inv, 1);
    tcb_t *source = cap_get_ptr(src_cap);
    smp_stall_thread(source);
    word_t flags = inv_mr(inv, 0);
    if (flags & 1)
        tcb_suspend(source);
    if (flags & 2)
        tcb_resume(target);
    for (unsigned i = 0; i < USER_CONTEXT_WORDS; i++) {
        bool frame = i < FRAME_REGISTERS;
        if ((frame && (flags & 4)) || (!frame && (flags & 8)))
            tcb_set_user_register(target, i, user_context_word(source, i));
    }
    if (flags & 4)
        set_next_pc_to_restart_pc(target);
    return seL4_NoError;
}

/* ---------------------------------------------------------------- spaces and buffers */

static bool valid_fault_handler(cap_t cap)
{
    if (cap_is_null(cap))
        return true;
    word_t rights = cap_rights(cap);
    return cap_get_type(cap) == cap_endpoint && (rights & RIGHT_WRITE) &&
           (rights & (RIGHT_GRANT | RIGHT_GRANT_REPLY));
}

static bool valid_vspace_root(cap_t cap)
{
    return cap_get_type(cap) == cap_vspace && cap_is_mapped(cap);
}

/*
 * Replace the TCB's own copy in `slot` by a copy of the cap in `src`. The
 * old cap's delete may be long (the last cap to a CNode) and preempted: the
 * call restarts and finds the work done so far.
 */
static seL4_Error install_cap(tcb_t *t, enum tcb_cap_slot slot, cap_t cap, cte_t *src)
{
    if (slot == tcb_vspace_root)
        vspace_roots_changed();
    seL4_Error err = cte_delete(&t->caps[slot]);
    if (err != seL4_NoError)
        return err;
    if (!cap_is_null(cap) && src && same_object_as(src->cap, cap))
        cte_insert(cap, src, &t->caps[slot]);
    return seL4_NoError;
}

static seL4_Error check_ipc_buffer(invocation_t *inv, word_t vaddr, cap_t frame)
{
    if (cap_get_type(frame) != cap_frame || cap_frame_is_device(frame))
        return inv_error(inv, seL4_IllegalOperation);
    if (!IS_ALIGNED(vaddr, seL4_IPCBufferSizeBits))
        return inv_error(inv, seL4_AlignmentError);
    return seL4_NoError;
}

/* Check and derive the new IPC buffer; *frame stays null for "no buffer". */
static seL4_Error decode_buffer(invocation_t *inv, word_t vaddr, cte_t *slot, cap_t *frame)
{
    *frame = cap_null_new();
    if (vaddr == 0)
        return seL4_NoError;
    seL4_Error err = derive_cap(slot, slot->cap, frame);
    if (err != seL4_NoError)
        return inv_error(inv, err);
    return check_ipc_buffer(inv, vaddr, *frame);
}

static seL4_Error decode_cspace(invocation_t *inv, word_t data, cte_t *slot, cap_t *out)
{
    cap_t cap = slot->cap;
    if (data != 0 && cap_get_type(cap) == cap_cnode) {
        unsigned guard_size = data & 0x3f;
        if (guard_size + cap_cnode_radix(cap) > seL4_WordBits)
            return inv_error(inv, seL4_IllegalOperation);
        cap = cap_cnode_new(cap_get_ptr(cap), cap_cnode_radix(cap), guard_size,
                            guard_size ? (data >> 6) & MASK(guard_size) : 0);
    }
    seL4_Error err = derive_cap(slot, cap, out);
    if (err != seL4_NoError)
        return inv_error(inv, err);
    if (cap_get_type(*out) != cap_cnode)
        return inv_error(inv, seL4_IllegalOperation);
    return seL4_NoError;
}

static seL4_Error decode_vspace(invocation_t *inv, cte_t *slot, cap_t *out)
{
    seL4_Error err = derive_cap(slot, slot->cap, out);
    if (err != seL4_NoError)
        return inv_error(inv, err);
    if (!valid_vspace_root(*out))
        return inv_error(inv, seL4_IllegalOperation);
    return seL4_NoError;
}

static seL4_Error configure(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 3 || inv->extra_caps < 3)
        return inv_error(inv, seL4_TruncatedMessage);
    cap_t cspace, vspace, frame;
    word_t buffer = inv_mr(inv, 2);
    seL4_Error err = decode_cspace(inv, inv_mr(inv, 0), inv->extra[0], &cspace);
    if (!err)
        err = decode_vspace(inv, inv->extra[1], &vspace);
    if (!err)
        err = decode_buffer(inv, buffer, inv->extra[2], &frame);
    if (err)
        return err;
    err = install_cap(t, tcb_cspace_root, cspace, inv->extra[0]);
    if (!err)
        err = install_cap(t, tcb_vspace_root, vspace, inv->extra[1]);
    if (!err)
        err = install_cap(t, tcb_ipc_buffer_frame, frame, inv->extra[2]);
    if (err)
        return err;
    t->ipc_buffer = buffer;
    return seL4_NoError;
}

static seL4_Error set_space(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 2 || inv->extra_caps < 3)
        return inv_error(inv, seL4_TruncatedMessage);
    cap_t fault_ep = inv->extra[0]->cap, cspace, vspace;
    if (!valid_fault_handler(fault_ep))
        return inv_invalid_cap(inv, 1);
    seL4_Error err = decode_cspace(inv, inv_mr(inv, 0), inv->extra[1], &cspace);
    if (!err)
        err = decode_vspace(inv, inv->extra[2], &vspace);
    if (err)
        return err;
    err = install_cap(t, tcb_fault_handler, fault_ep, inv->extra[0]);
    if (!err)
        err = install_cap(t, tcb_cspace_root, cspace, inv->extra[1]);
    if (!err)
        err = install_cap(t, tcb_vspace_root, vspace, inv->extra[2]);
    return err;
}

static seL4_Error set_ipc_buffer(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 1 || inv->extra_caps < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    word_t buffer = inv_mr(inv, 0);
    cap_t frame;
    seL4_Error err = decode_buffer(inv, buffer, inv->extra[0], &frame);
    if (err)
        return err;
    err = install_cap(t, tcb_ipc_buffer_frame, frame, inv->extra[0]);
    if (err)
        return err;
    t->ipc_buffer = buffer;
    return seL4_NoError;
}

/* ---------------------------------------------------------------- scheduling parameters */

static seL4_Error authority(invocation_t *inv, unsigned cap_index, tcb_t **auth)
{
    cap_t cap = inv->extra[cap_index]->cap;
    if (cap_get_type(cap) != cap_thread)
        return inv_invalid_cap(inv, cap_index + 1);
    *auth = cap_get_ptr(cap);
    return seL4_NoError;
}

static seL4_Error check_priority(invocation_t *inv, word_t prio, const tcb_t *auth)
{
    if (prio > auth->mcp)
        return inv_range_error(inv, seL4_MinPrio, auth->mcp);
    return seL4_NoError;
}

static seL4_Error set_priority(invocation_t *inv, tcb_t *t, bool mcp)
{
    if (inv->length < 1 || inv->extra_caps < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    tcb_t *auth = NULL;
    word_t prio = inv_mr(inv, 0);
    seL4_Error err = authority(inv, 0, &auth);
    if (!err)
        err = check_priority(inv, prio, auth);
    if (err)
        return err;
    if (mcp)
        t->mcp = (uint8_t)prio;
    else
        tcb_set_priority(t, (unsigned)prio);
    return seL4_NoError;
}

static seL4_Error decode_sched_context_arg(invocation_t *inv, tcb_t *t, cap_t cap,
                                           sched_context_t **sc)
{
    *sc = NULL;
    if (cap_is_null(cap)) {
        /* A thread cannot take its own SC away mid-call. */
        if (t == inv->caller)
            return inv_error(inv, seL4_IllegalOperation);
        return seL4_NoError;
    }
    if (cap_get_type(cap) != cap_sched_context)
        return inv_invalid_cap(inv, 2);
    *sc = cap_get_ptr(cap);
    /* The SC the thread already has is fine: only the rest changes. */
    if (*sc != t->sc && (t->sc || (*sc)->tcb))
        return inv_error(inv, seL4_IllegalOperation);
    if (!sched_context_can_bind(*sc, t))
        return inv_error(inv, seL4_IllegalOperation);
    return seL4_NoError;
}

static seL4_Error set_sched_params(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 2 || inv->extra_caps < 3)
        return inv_error(inv, seL4_TruncatedMessage);
    tcb_t *auth = NULL;
    sched_context_t *sc;
    word_t mcp = inv_mr(inv, 0), prio = inv_mr(inv, 1);
    cap_t fault_ep = inv->extra[2]->cap;
    seL4_Error err = authority(inv, 0, &auth);
    if (!err)
        err = check_priority(inv, mcp, auth);
    if (!err)
        err = check_priority(inv, prio, auth);
    if (!err)
        err = decode_sched_context_arg(inv, t, inv->extra[1]->cap, &sc);
    if (!err && !valid_fault_handler(fault_ep))
        err = inv_invalid_cap(inv, 3);
    if (err)
        return err;
    err = install_cap(t, tcb_fault_handler, fault_ep, inv->extra[2]);
    if (err)
        return err;
    t->mcp = (uint8_t)mcp;
    tcb_set_priority(t, (unsigned)prio);
    if (sc && sc != t->sc)
        sched_context_bind_tcb(sc, t);
    else if (!sc && t->sc && t->sc->tcb == t)
        sched_context_unbind_tcb(t->sc);
    return seL4_NoError;
}

static seL4_Error set_timeout_endpoint(invocation_t *inv, tcb_t *t)
{
    if (inv->extra_caps < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    cap_t ep = inv->extra[0]->cap;
    if (!valid_fault_handler(ep))
        return inv_invalid_cap(inv, 1);
    return install_cap(t, tcb_timeout_handler, ep, inv->extra[0]);
}

/* ---------------------------------------------------------------- notifications, TLS, flags */

static seL4_Error bind_notification(invocation_t *inv, tcb_t *t)
{
    if (inv->extra_caps < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    if (t->bound_notification)
        return inv_error(inv, seL4_IllegalOperation);
    cap_t cap = inv->extra[0]->cap;
    if (cap_get_type(cap) != cap_notification)
        return inv_error(inv, seL4_IllegalOperation);
    notification_t *n = cap_get_ptr(cap);
    if (!(cap_rights(cap) & RIGHT_READ) || n->queue.head || n->bound_tcb)
        return inv_error(inv, seL4_IllegalOperation);
    notification_bind(n, t);
    return seL4_NoError;
}

static seL4_Error unbind_notification(invocation_t *inv, tcb_t *t)
{
    if (!t->bound_notification)
        return inv_error(inv, seL4_IllegalOperation);
    notification_unbind_tcb(t);
    return seL4_NoError;
}

static seL4_Error set_tls_base(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    set_register(t, REG_TLS_BASE, inv_mr(inv, 0));
    return seL4_NoError;
}

static seL4_Error set_flags(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 2)
        return inv_error(inv, seL4_TruncatedMessage);
    word_t valid = seL4_TCBFlag_fpuDisabled;
    t->flags = ((t->flags & ~inv_mr(inv, 0)) | inv_mr(inv, 1)) & valid;
    if (t->flags & seL4_TCBFlag_fpuDisabled)
        fpu_release(t);     /* so it traps (and faults) on its next FP use */
    reply_mr(inv, 0, t->flags);
    return seL4_NoError;
}

seL4_Error decode_tcb(invocation_t *inv)
{
    tcb_t *t = cap_get_ptr(inv->cap);
    /* Every TCB invocation sees (and changes) a thread that runs nowhere. */
    smp_stall_thread(t);
    switch (inv->label) {
    case TCBReadRegisters:
        return read_registers(inv, t);
    case TCBWriteRegisters:
        return write_registers(inv, t);
    case TCBCopyRegisters:
        return copy_registers(inv, t);
    case TCBConfigure:
        return configure(inv, t);
    case TCBSetPriority:
        return set_priority(inv, t, false);
    case TCBSetMCPriority:
        return set_priority(inv, t, true);
    case TCBSetSchedParams:
        return set_sched_params(inv, t);
    case TCBSetTimeoutEndpoint:
        return set_timeout_endpoint(inv, t);
    case TCBSetIPCBuffer:
        return set_ipc_buffer(inv, t);
    case TCBSetSpace:
        return set_space(inv, t);
    case TCBSuspend:
        tcb_suspend(t);
        return seL4_NoError;
    case TCBResume:
        tcb_resume(t);
        return seL4_NoError;
    case TCBBindNotification:
        return bind_notification(inv, t);
    case TCBUnbindNotification:
        return unbind_notification(inv, t);
#ifdef CONFIG_HARDWARE_DEBUG_API
    case TCBSetBreakpoint:
    case TCBGetBreakpoint:
    case TCBUnsetBreakpoint:
    case TCBConfigureSingleStepping:
        return decode_tcb_debug(inv, t);
#endif
    case TCBSetTLSBase:
        return set_tls_base(inv, t);
    case TCBSetFlags:
        return set_flags(inv, t);
    default:
        return inv_error(inv, seL4_IllegalOperation);
    }
}
