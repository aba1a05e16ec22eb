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

#define CLOSEST_MAX_NAMES 256
#define CLOSEST_MAX_LENGTH 64

/* Levenshtein distance, one row at a time. */
static size_t edit_distance(const char *a, size_t a_len, const char *b, size_t b_len)
{
    size_t row[CLOSEST_MAX_LENGTH + 1];
    for (size_t j = 0; j <= b_len; j++)
        row[j] = j;
    for (size_t i = 1; i <= a_len; i++) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b_len; j++) {
            size_t above = row[j];
            size_t substitute = diagonal + (a[i - 1] != b[j - 1]);
            size_t best = above + 1 < row[j - 1] + 1 ? above + 1 : row[j - 1] + 1;
            row[j] = substitute < best ? substitute : best;
            diagonal = above;
        }
    }
    return row[b_len];
}

const char *name_index_closest(const struct name_index *index, const char *name)
{
    size_t len = strlen(name);
    if (index->count > CLOSEST_MAX_NAMES || len > CLOSEST_MAX_LENGTH)
        return NULL;
    const char *best = NULL;
    size_t best_distance = len / 3 + 1, best_index = 0;
    for (size_t k = 0; k < index->count; k++) {
        const char *candidate = index->entries[k].name;
        size_t candidate_len = strlen(candidate);
        if (candidate_len > CLOSEST_MAX_LENGTH)
            continue;
        size_t distance = edit_distance(name, len, candidate, candidate_len);
        /* Ties go to the element defined first, whatever the sort order. */
        if (distance < best_distance ||
            (best && distance == best_distance && index->entries[k].index < best_index)) {
            best = candidate;
            best_distance = distance;
            best_index = index->entries[k].index;
        }
    }
    return best;
}

const char *name_hint(struct arena *arena, const struct name_index *index,
                      const char *name)
{
    const char *closest = name_index_closest(index, name);
    return closest ? arena_printf(arena, " (did you mean '%s'?)", closest) : "";
}
