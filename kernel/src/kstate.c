/*
 * Reading the kernel's state from user level (debug kernels; the interface
 * and why: kernel/uapi/kstate.h): one thread of the debug list, or one
 * capability of another thread's CSpace, decoded into the caller's IPC
 * buffer.
 */
#include <kstate.h>
#include <kernel/debug.h>
#include <kernel/cspace.h>
#include <kernel/node.h>
#include <kernel/thread.h>
#include <kernel/ipc_buffer.h>
#include <arch/registers.h>
#include <timer.h>
#include <string.h>

_Static_assert(sizeof(struct kstate_thread) <= seL4_MsgMaxLength * sizeof(word_t) &&
               sizeof(struct kstate_cap) <= seL4_MsgMaxLength * sizeof(word_t),
               "a record fits the message words");

#define SAME_TYPE(k, c) _Static_assert((int)k == (int)c, #k " is the kernel's " #c)
SAME_TYPE(KSTATE_CAP_NULL, cap_null);
SAME_TYPE(KSTATE_CAP_FRAME, cap_frame);
SAME_TYPE(KSTATE_CAP_UNTYPED, cap_untyped);
SAME_TYPE(KSTATE_CAP_PAGE_TABLE, cap_page_table);
SAME_TYPE(KSTATE_CAP_ENDPOINT, cap_endpoint);
SAME_TYPE(KSTATE_CAP_NOTIFICATION, cap_notification);
SAME_TYPE(KSTATE_CAP_REPLY, cap_reply);
SAME_TYPE(KSTATE_CAP_VSPACE, cap_vspace);
SAME_TYPE(KSTATE_CAP_CNODE, cap_cnode);
SAME_TYPE(KSTATE_CAP_ASID_CONTROL, cap_asid_control);
SAME_TYPE(KSTATE_CAP_THREAD, cap_thread);
SAME_TYPE(KSTATE_CAP_ASID_POOL, cap_asid_pool);
SAME_TYPE(KSTATE_CAP_IRQ_CONTROL, cap_irq_control);
SAME_TYPE(KSTATE_CAP_VCPU, cap_vcpu);
SAME_TYPE(KSTATE_CAP_IRQ_HANDLER, cap_irq_handler);
SAME_TYPE(KSTATE_CAP_ZOMBIE, cap_zombie);
SAME_TYPE(KSTATE_CAP_DOMAIN, cap_domain);
SAME_TYPE(KSTATE_CAP_SCHED_CONTEXT, cap_sched_context);
SAME_TYPE(KSTATE_CAP_SCHED_CONTROL, cap_sched_control);
SAME_TYPE(KSTATE_CAP_SMC, cap_smc);
SAME_TYPE(KSTATE_INACTIVE, thread_inactive);
SAME_TYPE(KSTATE_RUNNING, thread_running);
SAME_TYPE(KSTATE_RESTART, thread_restart);
SAME_TYPE(KSTATE_BLOCKED_ON_RECEIVE, thread_blocked_on_receive);
SAME_TYPE(KSTATE_BLOCKED_ON_SEND, thread_blocked_on_send);
SAME_TYPE(KSTATE_BLOCKED_ON_REPLY, thread_blocked_on_reply);
SAME_TYPE(KSTATE_BLOCKED_ON_NOTIFICATION, thread_blocked_on_notification);
SAME_TYPE(KSTATE_QUEUE_NONE, queued_none);
SAME_TYPE(KSTATE_QUEUE_READY, queued_ready);
SAME_TYPE(KSTATE_QUEUE_RELEASE, queued_release);
SAME_TYPE(KSTATE_QUEUE_CANDIDATE, queued_candidate);

/* Ticks the SC has used: what is charged, and for the running one what
   this kernel entry has not charged yet. */
static word_t sc_consumed(const sched_context_t *sc, const struct node *n)
{
    word_t used = sc->consumed;
    if (n->charged_sc == sc && n->now > n->charged_until)
        used += n->now - n->charged_until;
    return used;
}

/* The configured period: a round-robin SC (budget = period) keeps 0. */
static word_t sc_period(const sched_context_t *sc)
{
    return sc->period ? sc->period : sc->budget;
}

static void describe_thread(const tcb_t *t, word_t index, struct kstate_thread *out)
{
    const struct node *n = tcb_node(t);
    *out = (struct kstate_thread){
        .index = index,
        .tcb = paddr_from_ptr(t),
        .state = t->state,
        .priority = t->priority,
        .mcp = t->mcp,
        .domain = t->domain,
        .core = tcb_core(t),
        .queue = t->queued,
        .current = n->running == t,
        .pc = get_register((tcb_t *)t, REG_NEXT_PC),
        .fault_handler_badge = cap_get_type(t->caps[tcb_fault_handler].cap) == cap_endpoint
                                   ? cap_badge(t->caps[tcb_fault_handler].cap) : 0,
        .now = n->now,
        .timer_hz = timer_frequency(),
    };
    if (t->sc) {
        out->has_sc = 1;
        out->sc_budget = t->sc->budget;
        out->sc_period = sc_period(t->sc);
        out->sc_consumed = sc_consumed(t->sc, n);
        out->sc_refills = t->sc->refill_count;
        out->sc_sporadic = t->sc->sporadic;
    }
#ifdef CONFIG_DEBUG_BUILD
    _Static_assert(sizeof(t->name) <= KSTATE_NAME_BYTES, "thread names fit");
    memcpy(out->name, t->name, sizeof(t->name));
    out->name[KSTATE_NAME_BYTES - 1] = '\0';
#endif
}

static word_t object_of(cap_t c)
{
    switch (cap_get_type(c)) {
    case cap_frame:
        return cap_frame_base(c);
    case cap_page_table:
    case cap_vspace:
    case cap_asid_pool:
        return cap_table_base(c);
    case cap_untyped:
        return cap_untyped_base(c);
    case cap_endpoint:
    case cap_notification:
    case cap_reply:
    case cap_cnode:
    case cap_thread:
    case cap_sched_context:
    case cap_vcpu:
    case cap_zombie:
        return paddr_from_ptr(cap_get_ptr(c));
    default:
        return 0;
    }
}

static void describe_cap(cap_t c, struct kstate_cap *out)
{
    enum cap_type type = cap_get_type(c);
    *out = (struct kstate_cap){ .type = type, .object = object_of(c) };
    switch (type) {
    case cap_endpoint:
    case cap_notification:
        out->rights = cap_rights(c);
        out->badge = cap_badge(c);
        break;
    case cap_cnode:
        out->a = cap_cnode_radix(c);
        out->b = cap_cnode_guard_size(c);
        out->c = cap_cnode_guard(c) & MASK(cap_cnode_guard_size(c));
        break;
    case cap_frame:
        out->rights = cap_frame_rights(c) == vm_read_write ? RIGHT_READ | RIGHT_WRITE
                      : cap_frame_rights(c) == vm_read_only ? RIGHT_READ : 0;
        out->a = frame_size_bits(cap_frame_size(c));
        out->b = (cap_is_mapped(c) ? KSTATE_CAP_MAPPED : 0) |
                 (cap_frame_is_device(c) ? KSTATE_CAP_DEVICE : 0);
        out->c = cap_is_mapped(c) ? cap_mapped_vaddr(c) : 0;
        out->d = cap_is_mapped(c) ? cap_mapped_asid(c) : 0;
        break;
    case cap_page_table:
    case cap_vspace:
        out->b = cap_is_mapped(c) ? KSTATE_CAP_MAPPED : 0;
        out->c = cap_is_mapped(c) ? cap_mapped_vaddr(c) : 0;
        out->d = cap_is_mapped(c) ? cap_mapped_asid(c) : 0;
        break;
    case cap_untyped:
        out->a = cap_untyped_size_bits(c);
        out->b = cap_untyped_is_device(c) ? KSTATE_CAP_DEVICE : 0;
        out->c = cap_untyped_free_index(c);
        break;
    case cap_reply:
        out->a = cap_reply_can_grant(c);
        break;
    case cap_sched_context:
        out->a = cap_sched_context_size_bits(c);
        break;
    case cap_irq_handler:
    case cap_sched_control:
        out->a = cap_simple_data(c);
        break;
    case cap_smc:
        out->badge = cap_simple_data(c);
        break;
    case cap_asid_pool:
        out->a = cap_asid_pool_base(c);
        break;
    default:
        break;
    }
}

/* KSTATE_THREAD: the first known thread at or after `cursor`. */
static seL4_Error read_thread(word_t cursor, word_t *buffer, word_t *next)
{
    word_t index = cursor;
    const tcb_t *t = debug_thread_from(&index);
    if (!t) {
        *next = KSTATE_END;
        return seL4_InvalidArgument;
    }
    describe_thread(t, index, (struct kstate_thread *)&buffer[IPCBUF_MSG(0)]);
    *next = index;
    return seL4_NoError;
}

/* KSTATE_CAP: the cap `cptr` names to `depth` bits in the CSpace of the
   thread whose TCB cap is `tcb_cptr` in the caller's. */
static seL4_Error read_cap(tcb_t *caller, word_t tcb_cptr, word_t cptr, word_t depth,
                           word_t *buffer)
{
    lookup_fault_t fault;
    cap_t tcb_cap = lookup_cap(caller, tcb_cptr, &fault);
    if (cap_get_type(tcb_cap) != cap_thread)
        return seL4_InvalidCapability;
    if (depth > seL4_WordBits)
        return seL4_RangeError;
    const tcb_t *target = tcb_from_cap(tcb_cap);
    cap_t root = target->caps[tcb_cspace_root].cap;
    cap_t found = root;
    if (depth > 0) {
        lookup_result_t r = resolve_address_bits(root, cptr, (unsigned)depth);
        if (!r.slot || r.bits_remaining)
            return seL4_FailedLookup;
        found = r.slot->cap;
    }
    describe_cap(found, (struct kstate_cap *)&buffer[IPCBUF_MSG(0)]);
    return seL4_NoError;
}

void kstate_syscall(tcb_t *caller)
{
    word_t op = get_register(caller, REG_SYSCALL_ARG(0));
    word_t next = 0;
    word_t *buffer = ipc_buffer_of(caller);
    seL4_Error err;
    if (!buffer)
        err = seL4_IllegalOperation;
    else if (op == KSTATE_THREAD)
        err = read_thread(get_register(caller, REG_SYSCALL_ARG(1)), buffer, &next);
    else if (op == KSTATE_CAP)
        err = read_cap(caller, get_register(caller, REG_SYSCALL_ARG(1)),
                       get_register(caller, REG_SYSCALL_ARG(2)),
                       get_register(caller, REG_SYSCALL_ARG(3)), buffer);
    else
        err = seL4_InvalidArgument;
    set_register(caller, REG_SYSCALL_ARG(0), err);
    set_register(caller, REG_SYSCALL_ARG(1), next);
}
