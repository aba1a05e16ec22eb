/* Sorted name indexes: lookups and duplicate detection in O(n log n), so
 * that a description with a very large number of elements cannot make the
 * checks quadratic. */
#ifndef SDFGEN_NAMES_H
#define SDFGEN_NAMES_H

#include <stddef.h>

#include "arena.h"

struct name_entry {
    const char *name;
    size_t index;
};

struct name_index {
    struct name_entry *entries; /* sorted by name, then index */
    size_t count;
};

/* name_of(ctx, i) gives the name of element i, or NULL to leave it out. */
typedef const char *(*name_of_fn)(const void *ctx, size_t i);

void name_index_build(struct name_index *index, struct arena *arena,
                      size_t count, name_of_fn name_of, const void *ctx);

/* The position in `entries` of the first entry with this name, or
 * (size_t)-1. Entries of one name follow it, in element order. */
size_t name_index_position(const struct name_index *index, const char *name);

/* The lowest element index with this name, or -1. */
long name_index_find(const struct name_index *index, const char *name);

/* The indexed name closest to `name` by edit distance, if it is close
 * enough to be a likely misspelling (at most a third of the letters
 * differ), for "did you mean" hints; NULL otherwise, and always for large
 * indexes (more than 256 names) or long names. */
const char *name_index_closest(const struct name_index *index, const char *name);

/* " (did you mean 'x'?)" with the closest name, or "". */
const char *name_hint(struct arena *arena, const struct name_index *index,
                      const char *name);

/* For each element i (0 <= i < count), first[i] receives the lowest index
 * of an element with the same name when that is not i itself, else
 * (size_t)-1. `first` must have room for `count` entries. */
void name_index_first_of(const struct name_index *index, size_t count,
                         size_t *first);

#endif
