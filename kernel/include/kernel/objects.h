/*
 * Object-type rules shared by every capability operation: object sizes,
 * creation from untyped memory, derivation (what a copy of a cap is),
 * identity (do two caps name the same object or region) and finalisation
 * (what happens when the last cap to an object goes).
 */
#ifndef KERNEL_OBJECTS_H
#define KERNEL_OBJECTS_H

#include <object/structures.h>
#include <sel4/abi.h>

/* Object sizes: sel4_object_size_bits (sel4/objecttype.h). */
/* Initialise the zeroed memory at `obj` as `type` and return its original cap. */
cap_t object_create(word_t type, void *obj, paddr_t paddr, word_t user_bits, bool device);

/* The cap a Copy/Mint/IPC transfer of `cap` (in `slot`) produces, or an error. */
seL4_Error derive_cap(cte_t *slot, cap_t cap, cap_t *derived);
/* Do a and b name the same object (same_region: or overlapping memory)? */
bool same_object_as(cap_t a, cap_t b);
bool same_region_as(cap_t a, cap_t b);
/* Is `cap` in `slot` the last cap to its object (nothing else names it)? */
bool is_final_cap(cte_t *slot);
/*
 * A cap is being deleted (`final`: the last cap to its object): release
 * what must go with it. Returns what remains in the slot: null, or for the
 * last cap to a CNode or TCB a zombie whose slots are still to empty.
 */
cap_t finalise_cap(cap_t cap, bool final);
/* Physical extent of the memory an object cap covers (0 size if none). */
void cap_region(cap_t cap, paddr_t *base, word_t *size);

/* Architecture part of the same rules (arch/aarch64/objects.c). */
bool arch_object_type_valid(word_t type);
cap_t arch_object_create(word_t type, void *obj, paddr_t paddr, bool device);
seL4_Error arch_derive_cap(cap_t cap, cap_t *derived);
/* Mint/Mutate data for an architecture cap (an SMC cap's badge); null: refused. */
cap_t arch_update_cap_data(bool preserve, word_t data, cap_t cap);
bool arch_same_object_as(cap_t a, cap_t b);
void arch_finalise_cap(cap_t cap, bool final);
void arch_cap_region(cap_t cap, paddr_t *base, word_t *size);

#endif
