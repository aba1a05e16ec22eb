/* Arena allocation for sdfgen.
 *
 * Everything sdfgen builds while compiling one system description (strings,
 * the model, ELF copies, tables) lives in one arena that is freed in a single
 * call at the end. That keeps every error path leak-free, which the fuzzer
 * checks with LeakSanitizer, without per-object ownership rules.
 */
#ifndef SDFGEN_ARENA_H
#define SDFGEN_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *arena);

/* Zero-filled, aligned for any type. Aborts the program on exhaustion: a
 * host tool has nothing better to do when malloc fails. */
void *arena_alloc(struct arena *arena, size_t size);
char *arena_strdup(struct arena *arena, const char *text);
char *arena_strndup(struct arena *arena, const char *text, size_t len);
char *arena_printf(struct arena *arena, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Growable arrays whose storage comes from the arena. Growing copies the
 * elements into a block twice as large; the old block stays in the arena
 * until it is freed, which costs at most as much again. */
#define VEC(type) struct { type *items; size_t len, cap; }

void *vec_grow(struct arena *arena, void *items, size_t len, size_t *cap,
               size_t elem_size);

/* Appends one zeroed element and returns a pointer to it. */
#define VEC_PUSH(arena, vec)                                                  \
    ((vec)->len == (vec)->cap                                                 \
         ? (void)((vec)->items = vec_grow((arena), (vec)->items, (vec)->len, \
                                          &(vec)->cap, sizeof *(vec)->items)) \
         : (void)0,                                                           \
     &(vec)->items[(vec)->len++])

#endif
