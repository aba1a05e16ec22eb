/* Sorted name indexes. */
#include "names.h"

#include <stdlib.h>
#include <string.h>

static int compare_entries(const void *a, const void *b)
{
    const struct name_entry *x = a, *y = b;
    int order = strcmp(x->name, y->name);
    if (order)
        return order;
    return (x->index > y->index) - (x->index < y->index);
}

void name_index_build(struct name_index *index, struct arena *arena,
                      size_t count, name_of_fn name_of, const void *ctx)
{
    index->entries = arena_alloc(arena, (count ? count : 1) * sizeof(struct name_entry));
    index->count = 0;
    for (size_t i = 0; i < count; i++) {
        const char *name = name_of(ctx, i);
        if (name)
            index->entries[index->count++] = (struct name_entry){ name, i };
    }
    if (index->count > 1)
        qsort(index->entries, index->count, sizeof *index->entries,
              compare_entries);
}

size_t name_index_position(const struct name_index *index, const char *name)
{
    size_t low = 0, high = index->count;
    while (low < high) { /* first entry whose name is >= name */
        size_t mid = low + (high - low) / 2;
        if (strcmp(index->entries[mid].name, name) < 0)
            low = mid + 1;
        else
            high = mid;
    }
    if (low < index->count && strcmp(index->entries[low].name, name) == 0)
        return low;
    return (size_t)-1;
}

long name_index_find(const struct name_index *index, const char *name)
{
    size_t position = name_index_position(index, name);
    return position == (size_t)-1 ? -1 : (long)index->entries[position].index;
}

void name_index_first_of(const struct name_index *index, size_t count,
                         size_t *first)
{
    for (size_t i = 0; i < count; i++)
        first[i] = (size_t)-1;
    size_t run_start = 0;
    for (size_t k = 0; k < index->count; k++) {
        if (k > 0 && strcmp(index->entries[k].name,
                            index->entries[run_start].name) != 0)
            run_start = k;
        if (k != run_start)
            first[index->entries[k].index] = index->entries[run_start].index;
    }
}
