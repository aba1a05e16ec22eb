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

/* Message register i of the invocation (0-3 from registers, then buffer). */
word_t inv_mr(const invocation_t *inv, unsigned i);
/* Set result word i of the reply to a calling thread. */
void reply_mr(invocation_t *inv, unsigned i, word_t value);

/* Record an error; decoders `return fail(...)` style helpers. */
seL4_Error inv_error(invocation_t *inv, seL4_Error type);
seL4_Error inv_invalid_argument(invocation_t *inv, word_t index);
seL4_Error inv_invalid_cap(invocation_t *inv, word_t index);
seL4_Error inv_range_error(invocation_t *inv, word_t min, word_t max);
seL4_Error inv_lookup_failed(invocation_t *inv, bool source, lookup_fault_t fault);

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

/*
 * Handle a Call or Send on the cap `cptr` names. `blocking`: the caller
 * may wait (Call/Send) rather than drop (NBSend); `donate`: the caller's
 * scheduling context may go with the message (ReplyRecv, NBSendRecv...).
 */
void handle_invocation(tcb_t *t, word_t cptr, bool call, bool blocking, bool donate);

#endif
