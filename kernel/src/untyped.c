/*
 * Untyped memory: Retype carves new objects, aligned to their size, from
 * the untyped's free index and puts their caps in a window of empty slots
 * as children of the untyped cap. Once an untyped has no children left, its
 * whole range is free again.
 */
#include <kernel/invocation.h>
#include <kernel/objects.h>
#include <kernel/cdt.h>
#include <kernel/sched.h>
#include <arch/cache.h>
#include <string.h>

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

static void clean_new_frames(word_t type, void *start, word_t bytes, bool device)
{
    /* Zeroed through the cached window: clean it out so that an uncached
       user mapping does not see stale lines later. */
    if (is_frame_type(type) && !device)
        cache_clean_invalidate_range((uintptr_t)start, bytes);
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
    word_t free_index = cdt_has_children(inv->slot) ? cap_untyped_free_index(ut) : 0;
    if (device && !is_frame_type(type) && type != seL4_UntypedObject)
        return inv_invalid_argument(inv, 1);
    if (bits > cap_untyped_size_bits(ut)) {
        inv->error.memory_left = size - free_index;
        return inv_error(inv, seL4_NotEnoughMemory);
    }
    paddr_t first = ROUND_UP(base + free_index, bits);
    if (first + (window << bits) > base + size || first < base) {
        inv->error.memory_left = size - free_index;
        return inv_error(inv, seL4_NotEnoughMemory);
    }

    /* Perform: objects are zeroed, their caps become the untyped's children.
       Untyped objects are not: their memory is cleared when it becomes an
       object (as in seL4), so carving large untypeds stays cheap. */
    inv->slot->cap = cap_untyped_set_free_index(ut, first + (window << bits) - base);
    for (word_t i = 0; i < window; i++) {
        paddr_t p = first + (i << bits);
        void *obj = device ? NULL : ptr_from_paddr(p);
        if (obj && type != seL4_UntypedObject) {
            memset(obj, 0, BIT(bits));
            clean_new_frames(type, obj, BIT(bits), device);
        }
        cap_t cap = object_create(type, obj, p, user_bits, device);
        cdt_insert_child(inv->slot, &dest[i], cap, true, true);
    }
    return seL4_NoError;
}
