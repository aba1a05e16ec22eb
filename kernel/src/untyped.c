/*
 * Untyped memory: Retype carves new objects, aligned to their size, from
 * the untyped's free index and puts their caps in a window of empty slots
 * as children of the untyped cap. Once an untyped has no children left, its
 * whole range is free again.
 *
 * New objects are zero. Rather than zeroing all memory up front (at boot,
 * or when an untyped is reset), Retype zeroes just what it hands out, and
 * does so first, in chunks with a preemption point after each: the
 * untyped's clean limit records how far above the free index memory is
 * known to be zero, so a preempted Retype restarts where it stopped.
 */
#include <kernel/invocation.h>
#include <kernel/objects.h>
#include <kernel/cdt.h>
#include <kernel/sched.h>
#include <kernel/preemption.h>
#include <arch/cache.h>

#define RETYPE_FAN_OUT_LIMIT 256

static bool is_frame_type(word_t type)
{
    return type == seL4_ARM_SmallPageObject || type == seL4_ARM_LargePageObject ||
           type == seL4_ARM_HugePageObject;
}

static bool type_valid(word_t type)
{
    return type < seL4_ObjectTypeCount &&
           (type <= seL4_ReplyObject || arch_object_type_valid(type));
}

/* Check the type and size arguments; on success *bits is the object size. */
static seL4_Error check_object(invocation_t *inv, word_t type, word_t user_bits, unsigned *bits)
{
    if (!type_valid(type))
        return inv_invalid_argument(inv, 0);
    if (user_bits >= seL4_WordBits)
        return inv_range_error(inv, 0, seL4_MaxUntypedBits);
    *bits = (unsigned)sel4_object_size_bits(type, user_bits);
    if (*bits > seL4_MaxUntypedBits)
        return inv_range_error(inv, 0, seL4_MaxUntypedBits);
    if (type == seL4_CapTableObject && user_bits == 0)
        return inv_invalid_argument(inv, 1);
    if (type == seL4_UntypedObject && user_bits < seL4_MinUntypedBits)
        return inv_invalid_argument(inv, 1);
    if (type == seL4_SchedContextObject && user_bits < seL4_MinSchedContextBits)
        return inv_invalid_argument(inv, 1);
    return seL4_NoError;
}

/* The destination CNode: the root itself (depth 0) or a CNode below it. */
static seL4_Error destination_cnode(invocation_t *inv, cap_t *node)
{
    cap_t root = inv->extra[0]->cap;
    word_t index = inv_mr(inv, 2), depth = inv_mr(inv, 3);
    if (depth == 0) {
        *node = root;
    } else {
        cte_t *slot = inv_lookup_target_slot(inv, root, index, depth, false);
        if (!slot)
            return inv->error.type;
        *node = slot->cap;
    }
    if (cap_get_type(*node) != cap_cnode) {
        lookup_fault_t f = { .type = seL4_MissingCapability, .bits_left = depth };
        return inv_lookup_failed(inv, false, f);
    }
    return seL4_NoError;
}

/* Zeroing work between two preemption points. */
#define CLEAR_CHUNK_BITS 12

/*
 * Make [first, end) of the untyped in `slot` zero (in RAM, for uncached
 * mappings too) and record it in the cap's clean limit as it goes. Memory
 * in [free index, clean limit) is zero; the limit moves in whole granules.
 */
static seL4_Error zero_for_retype(cte_t *slot, word_t first, word_t end)
{
    cap_t ut = slot->cap;
    unsigned granule = untyped_clean_granule_bits(cap_untyped_size_bits(ut));
    word_t clean = cap_untyped_clean_limit(ut);
    if (clean < first) {
        /* Not contiguous with what is known clean: start from `first`; the
           alignment gap below it is given up, as this Retype would. */
        ut = cap_untyped_set_free_index(ut, first);
        clean = ROUND_DOWN(first, granule);
    }
    word_t target = ROUND_UP(end, granule);
    uintptr_t base = (uintptr_t)ptr_from_paddr(cap_untyped_base(ut));
    for (word_t z = MAX(first, clean); z < target;) {
        word_t next = MIN(ROUND_DOWN(z, CLEAR_CHUNK_BITS) + BIT(CLEAR_CHUNK_BITS), target);
        clear_memory_to_ram(base + z, next - z);
        z = next;
        if (IS_ALIGNED(z, granule))
            ut = cap_untyped_set_clean_limit(ut, z);
        slot->cap = ut;
        if (z < target && preemption_point())
            return ERR_PREEMPTED;
    }
    slot->cap = ut;
    return seL4_NoError;
}

seL4_Error decode_untyped(invocation_t *inv)
{
    if (inv->label != UntypedRetype)
        return inv_error(inv, seL4_IllegalOperation);
    if (inv->length < 6 || inv->extra_caps < 1)
        return inv_error(inv, seL4_TruncatedMessage);
    word_t type = inv_mr(inv, 0), user_bits = inv_mr(inv, 1);
    word_t offset = inv_mr(inv, 4), window = inv_mr(inv, 5);
    unsigned bits = 0;
    cap_t node = cap_null_new();
    seL4_Error err = check_object(inv, type, user_bits, &bits);
    if (!err)
        err = destination_cnode(inv, &node);
    if (err)
        return err;

    word_t slots = BIT(cap_cnode_radix(node));
    if (offset > slots - 1)
        return inv_range_error(inv, 0, slots - 1);
    if (window < 1 || window > RETYPE_FAN_OUT_LIMIT)
        return inv_range_error(inv, 1, RETYPE_FAN_OUT_LIMIT);
    if (window > slots - offset)
        return inv_range_error(inv, 1, slots - offset);
    cte_t *dest = (cte_t *)cap_get_ptr(node) + offset;
    for (word_t i = 0; i < window; i++)
        if (!cap_is_null(dest[i].cap))
            return inv_error(inv, seL4_DeleteFirst);

    cap_t ut = inv->cap;
    bool device = cap_untyped_is_device(ut);
    paddr_t base = cap_untyped_base(ut);
    word_t size = BIT(cap_untyped_size_bits(ut));
    if (device && !is_frame_type(type) && type != seL4_UntypedObject)
        return inv_invalid_argument(inv, 1);
    /* No children: every object is gone and the whole range is free again. */
    bool reset = !cdt_has_children(inv->slot);
    word_t free_index = reset ? 0 : cap_untyped_free_index(ut);
    if (bits > cap_untyped_size_bits(ut)) {
        inv->error.memory_left = size - free_index;
        return inv_error(inv, seL4_NotEnoughMemory);
    }
    paddr_t first = ROUND_UP(base + free_index, bits);
    if (first + (window << bits) > base + size || first < base) {
        inv->error.memory_left = size - free_index;
        return inv_error(inv, seL4_NotEnoughMemory);
    }
    word_t end = first + (window << bits) - base;

    /* Perform: zero what the objects will use (preemptible), then create
       them on it and make their caps the untyped's children. A reset also
       forgets what was known clean: the memory below held objects. An
       untyped child is not zeroed: it zeroes what it hands out itself. */
    if (reset && cap_untyped_free_index(ut) != 0)
        inv->slot->cap = cap_untyped_set_clean_limit(cap_untyped_set_free_index(ut, 0), 0);
    if (!device && type != seL4_UntypedObject) {
        err = zero_for_retype(inv->slot, first - base, end);
        if (err != seL4_NoError)
            return err;
    }
    inv->slot->cap = cap_untyped_set_free_index(inv->slot->cap, end);
    for (word_t i = 0; i < window; i++) {
        paddr_t p = first + (i << bits);
        void *obj = device ? NULL : ptr_from_paddr(p);
        cap_t cap = object_create(type, obj, p, user_bits, device);
        cdt_insert_child(inv->slot, &dest[i], cap, true, true);
    }
    return seL4_NoError;
}
