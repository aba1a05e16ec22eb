/* Capability address resolution (seL4's guarded CNode walk). */
#ifndef KERNEL_CSPACE_H
#define KERNEL_CSPACE_H

#include <object/structures.h>

/* Why a lookup failed, with the details a cap fault reports. */
typedef struct lookup_fault {
    word_t type;            /* seL4_NoFailure, seL4_InvalidRoot, ... */
    word_t bits_left;
    word_t bits_found;      /* depth or guard mismatch: bits found */
    word_t guard_found;
} lookup_fault_t;

typedef struct lookup_result {
    cte_t *slot;            /* NULL on failure */
    word_t bits_remaining;
    lookup_fault_t fault;
} lookup_result_t;

/* Walk from `root` resolving the top `depth` bits of `cptr`. */
lookup_result_t resolve_address_bits(cap_t root, word_t cptr, unsigned depth);
/* The slot `cptr` names in thread t's CSpace (full 64-bit resolution). */
lookup_result_t lookup_slot(tcb_t *t, word_t cptr);
/* The capability `cptr` names in thread t's CSpace, or a null cap. */
cap_t lookup_cap(tcb_t *t, word_t cptr, lookup_fault_t *fault);

#endif
