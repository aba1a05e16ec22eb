/* Arena allocation: a chain of malloc'd chunks, freed all at once. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE (64 * 1024)
#define ALIGNMENT 16

struct chunk {
    struct chunk *next;
    size_t used, size;
    _Alignas(ALIGNMENT) unsigned char data[];
};

struct arena {
    struct chunk *head;
};

static void out_of_memory(void)
{
    fputs("sdfgen: fatal error: out of memory\n", stderr);
    abort();
}

struct arena *arena_new(void)
{
    struct arena *arena = calloc(1, sizeof *arena);
    if (!arena)
        out_of_memory();
    return arena;
}

void arena_free(struct arena *arena)
{
    if (!arena)
        return;
    struct chunk *chunk = arena->head;
    while (chunk) {
        struct chunk *next = chunk->next;
        free(chunk);
        chunk = next;
    }
    free(arena);
}

static struct chunk *new_chunk(size_t min_size)
{
    size_t size = min_size > CHUNK_SIZE ? min_size : CHUNK_SIZE;
    if (size > SIZE_MAX - sizeof(struct chunk))
        out_of_memory();
    struct chunk *chunk = malloc(sizeof *chunk + size);
    if (!chunk)
        out_of_memory();
    chunk->next = NULL;
    chunk->used = 0;
    chunk->size = size;
    return chunk;
}

void *arena_alloc(struct arena *arena, size_t size)
{
    if (size > SIZE_MAX - ALIGNMENT)
        out_of_memory();
    size_t rounded = (size + ALIGNMENT - 1) & ~(size_t)(ALIGNMENT - 1);
    struct chunk *chunk = arena->head;
    if (!chunk || chunk->size - chunk->used < rounded) {
        chunk = new_chunk(rounded);
        /* A large block gets its own chunk behind the current one so the
         * free space of the current chunk is not wasted. */
        if (arena->head && rounded > CHUNK_SIZE) {
            chunk->next = arena->head->next;
            arena->head->next = chunk;
        } else {
            chunk->next = arena->head;
            arena->head = chunk;
        }
    }
    void *block = chunk->data + chunk->used;
    chunk->used += rounded;
    memset(block, 0, size);
    return block;
}

char *arena_strndup(struct arena *arena, const char *text, size_t len)
{
    char *copy = arena_alloc(arena, len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    return copy;
}

char *arena_strdup(struct arena *arena, const char *text)
{
    return arena_strndup(arena, text, strlen(text));
}

char *arena_printf(struct arena *arena, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int len = vsnprintf(NULL, 0, fmt, args);
    va_end(args);
    if (len < 0)
        out_of_memory();
    char *text = arena_alloc(arena, (size_t)len + 1);
    va_start(args, fmt);
    vsnprintf(text, (size_t)len + 1, fmt, args);
    va_end(args);
    return text;
}

void *vec_grow(struct arena *arena, void *items, size_t len, size_t *cap,
               size_t elem_size)
{
    size_t new_cap = *cap ? *cap * 2 : 8;
    if (new_cap > SIZE_MAX / elem_size)
        out_of_memory();
    void *bigger = arena_alloc(arena, new_cap * elem_size);
    if (len)
        memcpy(bigger, items, len * elem_size);
    *cap = new_cap;
    return bigger;
}
