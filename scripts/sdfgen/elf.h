/* Reading AArch64 ELF64 program images: loadable segments and the symbol
 * table. Every offset and size read from the file is checked against the
 * file's length before use, so a truncated or hostile file yields an error
 * message, never an out-of-bounds read. */
#ifndef SDFGEN_ELF_H
#define SDFGEN_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "names.h"

struct elf_segment {
    uint64_t vaddr, mem_size, file_offset, file_size;
    unsigned perms; /* PERM_R/W/X of model.h */
};

struct elf_image {
    const unsigned char *data;
    size_t len;
    uint64_t entry;
    struct elf_segment *segments;
    size_t segment_count;
    /* Symbol table and its string table (validated bounds), or NULL. */
    const unsigned char *symtab;
    size_t symbol_count;
    const char *strtab;
    size_t strtab_len;
    struct name_index symbols; /* defined symbols by name */
};

/* Parses `data` (which must outlive the image). Returns NULL on success,
 * else a message saying what is wrong ("not an ELF file", ...). */
const char *elf_parse(struct elf_image *image, struct arena *arena,
                      const unsigned char *data, size_t len);

/* Looks up a defined symbol (global or weak preferred over local). */
bool elf_find_symbol(const struct elf_image *image, const char *name,
                     uint64_t *value, uint64_t *size);

#endif
