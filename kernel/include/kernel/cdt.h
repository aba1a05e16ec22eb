/* Capability derivation tree: the depth-first ordered list of slots. */
#ifndef KERNEL_CDT_H
#define KERNEL_CDT_H

#include <object/structures.h>
#include <sel4/abi.h>

#define MDB_REVOCABLE       1ull
#define MDB_FIRST_BADGED    2ull
#define MDB_FLAGS           3ull

static inline cte_t *mdb_next(const cte_t *c) { return (cte_t *)(c->mdb.next & ~MDB_FLAGS); }
static inline cte_t *mdb_prev(const cte_t *c) { return (cte_t *)c->mdb.prev; }
static inline bool mdb_revocable(const cte_t *c) { return c->mdb.next & MDB_REVOCABLE; }
static inline bool mdb_first_badged(const cte_t *c) { return c->mdb.next & MDB_FIRST_BADGED; }

/* Changes whenever a CNode cap enters or leaves any slot (src/cdt.c). */
extern word_t cspace_generation;

/* Put `cap` in the empty slot `dest` as a root of its own subtree. */
void cdt_insert_root(cte_t *dest, cap_t cap, bool revocable);
/* Put `cap`, derived from the cap in `parent`, in the empty `dest` as a child. */
void cdt_insert_child(cte_t *parent, cte_t *dest, cap_t cap, bool revocable, bool first_badged);

/* seL4's isMDBParentOf / "has children" on the ordered list. */
bool cdt_is_parent_of(const cte_t *a, const cte_t *b);
bool cdt_has_children(const cte_t *slot);

/* Insert `cap`, derived from the cap in `src`, into the empty `dest`. */
void cte_insert(cap_t cap, cte_t *src, cte_t *dest);
/* Move the cap in `src` (replaced by `cap`) to the empty `dest`, keeping its place. */
void cte_move(cap_t cap, cte_t *src, cte_t *dest);
/* Exchange two slots' caps (given as the new values) and tree positions. */
void cte_swap(cap_t cap1, cte_t *slot1, cap_t cap2, cte_t *slot2);
/*
 * Delete the cap in `slot`, destroying its object if it was the last cap
 * (src/cdt.c explains zombies). Preemptible: ERR_PREEMPTED means the work
 * so far is kept and calling again carries on.
 */
seL4_Error cte_delete(cte_t *slot);
/* Delete a cap that cannot stand for a CNode or TCB: never long. */
void cte_delete_one(cte_t *slot);
/* Delete every descendant of the cap in `slot` (preemptible as cte_delete). */
seL4_Error cte_revoke(cte_t *slot);

#endif
