/*
 * Object-type rules for the generic (architecture independent) objects;
 * architecture objects are delegated to arch/aarch64/objects.c.
 */
#include <kernel/objects.h>
#include <kernel/cdt.h>
#include <kernel/thread.h>
#include <kernel/ipc.h>
#include <kernel/sched.h>
#include <kernel/tcb.h>
#include <kernel/interrupt.h>
#include <kernel/debug.h>
#include <kernel/assert.h>
#include <string.h>

cap_t object_create(word_t type, void *obj, paddr_t paddr, word_t user_bits, bool device)
{
    switch (type) {
    case seL4_UntypedObject:
        return cap_untyped_new(paddr, (unsigned)user_bits, device, 0);
    case seL4_TCBObject: {
        tcb_t *t = obj;
        tcb_init(t);
        return cap_thread_new(t);
    }
    case seL4_EndpointObject:
        return cap_ipc_new(cap_endpoint, obj, 0, RIGHTS_ALL);
    case seL4_NotificationObject:
        return cap_ipc_new(cap_notification, obj, 0, RIGHT_READ | RIGHT_WRITE);
    case seL4_CapTableObject:
        return cap_cnode_new(obj, (unsigned)user_bits, 0, 0);
    case seL4_SchedContextObject:
        /* Zeroed memory is an unconfigured SC (no refills: not runnable). */
        return cap_sched_context_new(obj, (unsigned)user_bits);
    case seL4_ReplyObject:
        return cap_reply_new(obj, true);
    default:
        return arch_object_create(type, obj, paddr, device);
    }
}

/* ---------------------------------------------------------------- identity */

void cap_region(cap_t cap, paddr_t *base, word_t *size)
{
    switch (cap_get_type(cap)) {
    case cap_untyped:
        *base = cap_untyped_base(cap);
        *size = BIT(cap_untyped_size_bits(cap));
        return;
    case cap_endpoint:
        *base = paddr_from_ptr(cap_get_ptr(cap));
        *size = BIT(seL4_EndpointBits);
        return;
    case cap_notification:
        *base = paddr_from_ptr(cap_get_ptr(cap));
        *size = BIT(seL4_NotificationBits);
        return;
    case cap_reply:
        *base = paddr_from_ptr(cap_get_ptr(cap));
        *size = BIT(seL4_ReplyBits);
        return;
    case cap_thread:
        *base = paddr_from_ptr(cap_get_ptr(cap));
        *size = BIT(seL4_TCBBits);
        return;
    case cap_cnode:
        *base = paddr_from_ptr(cap_get_ptr(cap));
        *size = BIT(cap_cnode_radix(cap) + seL4_SlotBits);
        return;
    case cap_sched_context:
        *base = paddr_from_ptr(cap_get_ptr(cap));
        *size = BIT(cap_sched_context_size_bits(cap));
        return;
    case cap_zombie:
        *base = paddr_from_ptr(cap_get_ptr(cap));
        *size = 1;
        return;
    default:
        arch_cap_region(cap, base, size);
        return;
    }
}

/* Caps that name no memory: identity is type (and data). */
static bool is_memoryless(cap_t cap)
{
    switch (cap_get_type(cap)) {
    case cap_irq_control:
    case cap_irq_handler:
    case cap_domain:
    case cap_sched_control:
    case cap_asid_control:
    case cap_smc:
        return true;
    default:
        return false;
    }
}

/* Does a's region contain b's (seL4's sameRegionAs)? */
bool same_region_as(cap_t a, cap_t b)
{
    if (cap_is_null(a) || cap_is_null(b))
        return false;
    if (is_memoryless(a) || is_memoryless(b)) {
        if (cap_get_type(a) == cap_irq_control)
            return cap_get_type(b) == cap_irq_control || cap_get_type(b) == cap_irq_handler;
        if (cap_get_type(a) != cap_get_type(b))
            return false;
        if (cap_get_type(a) == cap_irq_handler || cap_get_type(a) == cap_sched_control)
            return cap_simple_data(a) == cap_simple_data(b);
        return true;
    }
    paddr_t ba, bb;
    word_t sa, sb;
    cap_region(a, &ba, &sa);
    cap_region(b, &bb, &sb);
    if (cap_get_type(a) == cap_untyped)
        return bb >= ba && bb + sb <= ba + sa && sb > 0;
    if (cap_get_type(a) != cap_get_type(b)) {
        /* A zombie stands for the object it is destroying. */
        return (cap_get_type(a) == cap_zombie || cap_get_type(b) == cap_zombie) && ba == bb;
    }
    if (cap_get_type(a) == cap_frame || cap_get_type(a) == cap_page_table ||
        cap_get_type(a) == cap_vspace || cap_get_type(a) == cap_asid_pool)
        return arch_same_object_as(a, b);
    return ba == bb && sa == sb;
}

bool same_object_as(cap_t a, cap_t b)
{
    /* An untyped cap's region may hold many objects: only itself is the same. */
    if (cap_get_type(a) == cap_untyped || cap_get_type(b) == cap_untyped)
        return cap_get_type(a) == cap_get_type(b) && a.w0 == b.w0;
    if (cap_get_type(a) == cap_irq_control && cap_get_type(b) == cap_irq_handler)
        return false;
    return same_region_as(a, b);
}

bool is_final_cap(cte_t *slot)
{
    cte_t *prev = mdb_prev(slot), *next = mdb_next(slot);
    bool before = prev && same_object_as(prev->cap, slot->cap);
    bool after = next && same_object_as(next->cap, slot->cap);
    return !before && !after;
}

/* ---------------------------------------------------------------- derivation */

seL4_Error derive_cap(cte_t *slot, cap_t cap, cap_t *derived)
{
    switch (cap_get_type(cap)) {
    case cap_zombie:
    case cap_irq_control:
        *derived = cap_null_new();
        return seL4_NoError;
    case cap_untyped:
        if (cdt_has_children(slot))
            return seL4_RevokeFirst;
        *derived = cap;
        return seL4_NoError;
    case cap_null:
    case cap_endpoint:
    case cap_notification:
    case cap_reply:
    case cap_cnode:
    case cap_thread:
    case cap_irq_handler:
    case cap_domain:
    case cap_sched_context:
    case cap_sched_control:
        *derived = cap;
        return seL4_NoError;
    default:
        return arch_derive_cap(cap, derived);
    }
}

/* ---------------------------------------------------------------- finalisation */

cap_t finalise_cap(cap_t cap, bool final)
{
    switch (cap_get_type(cap)) {
    case cap_endpoint:
        if (final)
            endpoint_cancel_all(cap_get_ptr(cap));
        return cap_null_new();
    case cap_notification:
        if (final)
            notification_finalise(cap_get_ptr(cap));
        return cap_null_new();
    case cap_reply:
        if (final)
            reply_finalise(cap_get_ptr(cap));
        return cap_null_new();
    case cap_cnode:
        /* Its slots are emptied by the zombie (src/cdt.c). */
        return final ? cap_zombie_new(cap, BIT(cap_cnode_radix(cap))) : cap_null_new();
    case cap_thread:
        if (!final)
            return cap_null_new();
        tcb_finalise(cap_get_ptr(cap));
        return cap_zombie_new(cap, tcb_cap_slots);
    case cap_zombie:
        return cap;
    case cap_sched_context:
        if (final)
            sched_context_finalise(cap_get_ptr(cap));
        return cap_null_new();
    case cap_irq_handler:
        if (final)
            irq_handler_release((unsigned)cap_simple_data(cap));
        return cap_null_new();
    default:
        /* A frame's mapping belongs to its one cap: unmapped on every delete. */
        arch_finalise_cap(cap, final);
        return cap_null_new();
    }
}
