/*
 * What every invocation decoder uses: the caller's arguments (message
 * registers, slot lookups) and its answer (result words, seL4's errors with
 * their details). Decoders call into this file and it calls none of them;
 * the routing of a cap to its decoder is in invocation.c.
 */
#include <kernel/invocation.h>
#include <kernel/ipc.h>
#include <kernel/ipc_buffer.h>

word_t inv_mr(const invocation_t *inv, unsigned i)
{
    return get_message_register(inv->caller, inv->buffer, i);
}

void reply_mr(invocation_t *inv, unsigned i, word_t value)
{
    if (i >= seL4_FastMessageRegisters && (!inv->buffer || i >= seL4_MsgMaxLength))
        return;
    set_message_register(inv->caller, inv->buffer, i, value);
    if (i + 1 > inv->reply_length)
        inv->reply_length = i + 1;
}

cte_t *inv_lookup_target_slot(invocation_t *inv, cap_t root, word_t index, word_t depth, bool source)
{
    if (cap_get_type(root) != cap_cnode) {
        inv_lookup_failed(inv, source, (lookup_fault_t){ .type = seL4_InvalidRoot });
        return NULL;
    }
    if (depth < 1 || depth > seL4_WordBits) {
        inv_range_error(inv, 1, seL4_WordBits);
        return NULL;
    }
    lookup_result_t r = resolve_address_bits(root, index, (unsigned)depth);
    if (!r.slot) {
        inv_lookup_failed(inv, source, r.fault);
        return NULL;
    }
    if (r.bits_remaining != 0) {
        /* The walk stopped early at a non-CNode: the depth does not fit. */
        lookup_fault_t f = { .type = seL4_DepthMismatch, .bits_left = r.bits_remaining };
        inv_lookup_failed(inv, source, f);
        return NULL;
    }
    return r.slot;
}

/* Words a lookup failure adds to a message, from MR `first` on. */
word_t set_lookup_fault_mrs(tcb_t *t, word_t *buffer, unsigned first, const lookup_fault_t *f)
{
    word_t words[4] = { f->type, f->bits_left, 0, 0 };
    unsigned n = 1;
    switch (f->type) {
    case seL4_MissingCapability:
        n = 2;
        break;
    case seL4_DepthMismatch:
        words[2] = f->bits_found;
        n = 3;
        break;
    case seL4_GuardMismatch:
        words[2] = f->guard_found;
        words[3] = f->bits_found;
        n = 4;
        break;
    default:
        break;
    }
    for (unsigned i = 0; i < n; i++)
        set_message_register(t, buffer, first + i, words[i]);
    return n;
}

