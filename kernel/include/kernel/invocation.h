/*
 * Invocations: system calls on kernel-object capabilities. A decoder checks
 * every argument and either fails with a seL4 error (and its details) or
 * performs the operation. Results go back to a calling thread as a reply
 * message, exactly as seL4 formats them.
 */
#ifndef KERNEL_INVOCATION_H
#define KERNEL_INVOCATION_H

#include <object/structures.h>
#include <kernel/cspace.h>
#include <sel4/abi.h>

/* A failed invocation: the error code and the words seL4 reports with it. */
typedef struct syscall_error {
    seL4_Error type;
    word_t invalid_argument;        /* InvalidArgument: argument index */
    word_t invalid_cap;             /* InvalidCapability: extra cap index */
    word_t range_min;               /* RangeError */
    word_t range_max;
    word_t memory_left;             /* NotEnoughMemory: bytes available */
    bool lookup_was_source;         /* FailedLookup: in the source? */
    lookup_fault_t lookup;          /* FailedLookup: the lookup failure */
} syscall_error_t;

typedef struct invocation {
    tcb_t *caller;
    word_t label;
    word_t length;              /* message words the caller sent */
    cap_t cap;                  /* the invoked capability */
    cte_t *slot;                /* and its slot */
    word_t *buffer;             /* the caller's IPC buffer (NULL if none) */
    unsigned extra_caps;
    cte_t *extra[seL4_MsgMaxExtraCaps];
    bool call;                  /* a Call: the caller expects a reply */
    syscall_error_t error;      /* filled in by a failing decoder */
    word_t reply_length;        /* result words set with reply_mr() */
} invocation_t;

/* The helpers every decoder uses (src/invocation_args.c). */

/* Message register i of the invocation (0-3 from registers, then buffer). */
word_t inv_mr(const invocation_t *inv, unsigned i);
/* Set result word i of the reply to a calling thread. */
void reply_mr(invocation_t *inv, unsigned i, word_t value);

/* Record an error and return it: decoders `return inv_...(inv, ...)`. */
static inline seL4_Error inv_error(invocation_t *inv, seL4_Error type)
{
    inv->error.type = type;
    return type;
}

static inline seL4_Error inv_invalid_argument(invocation_t *inv, word_t index)
{
    inv->error.invalid_argument = index;
    return inv_error(inv, seL4_InvalidArgument);
}

static inline seL4_Error inv_invalid_cap(invocation_t *inv, word_t index)
{
    inv->error.invalid_cap = index;
    return inv_error(inv, seL4_InvalidCapability);
}

static inline seL4_Error inv_range_error(invocation_t *inv, word_t min, word_t max)
{
    inv->error.range_min = min;
    inv->error.range_max = max;
    return inv_error(inv, seL4_RangeError);
}

static inline seL4_Error inv_lookup_failed(invocation_t *inv, bool source, lookup_fault_t fault)
{
    inv->error.lookup_was_source = source;
    inv->error.lookup = fault;
    return inv_error(inv, seL4_FailedLookup);
}

/* Resolve a (root, index, depth) triple the way CNode invocations do. */
cte_t *inv_lookup_target_slot(invocation_t *inv, cap_t root, word_t index, word_t depth,
                              bool source);

/* Per-object decoders: return seL4_NoError after performing the operation. */
seL4_Error decode_untyped(invocation_t *inv);
seL4_Error decode_cnode(invocation_t *inv);
seL4_Error decode_tcb(invocation_t *inv);
seL4_Error decode_irq_control(invocation_t *inv);
seL4_Error decode_irq_handler(invocation_t *inv);
seL4_Error decode_sched_control(invocation_t *inv);
seL4_Error decode_sched_context(invocation_t *inv);
seL4_Error decode_domain(invocation_t *inv);
seL4_Error decode_arch(invocation_t *inv);     /* frames, tables, ASIDs, SMC */

#endif
