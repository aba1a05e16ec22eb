/* Capability derivation tree: the depth-first ordered list of slots. */
#ifndef KERNEL_CDT_H
#define KERNEL_CDT_H

#include <object/structures.h>

#define MDB_REVOCABLE       1ull
#define MDB_FIRST_BADGED    2ull
#define MDB_FLAGS           3ull

static inline cte_t *mdb_next(const cte_t *c) { return (cte_t *)(c->mdb.next & ~MDB_FLAGS); }
static inline cte_t *mdb_prev(const cte_t *c) { return (cte_t *)c->mdb.prev; }
static inline bool mdb_revocable(const cte_t *c) { return c->mdb.next & MDB_REVOCABLE; }
static inline bool mdb_first_badged(const cte_t *c) { return c->mdb.next & MDB_FIRST_BADGED; }

/* Put `cap` in the empty slot `dest` as a root of its own subtree. */
void cdt_insert_root(cte_t *dest, cap_t cap, bool revocable);
/* Put `cap`, derived from the cap in `parent`, in the empty `dest` as a child. */
void cdt_insert_child(cte_t *parent, cte_t *dest, cap_t cap, bool revocable, bool first_badged);

#endif
