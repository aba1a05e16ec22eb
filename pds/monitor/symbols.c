/*
 * Names of code addresses, for fault backtraces: the function symbols of a
 * PD's program image, which the monitor embeds whole (system_images.S).
 * An image without a symbol table (stripped; see path_for_symbols) has no
 * names: the report then shows addresses, and scripts/symbolise.py names
 * them on the host from the build's ELF files.
 *
 * The image is the build's output, but it is still read defensively: every
 * offset is checked against the file before use.
 */
#include "monitor.h"

/* ELF64 layouts (the published format; only what is read here). */
struct elf64_header {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_section {
    uint32_t name, type;
    uint64_t flags, addr, offset, size;
    uint32_t link, info;
    uint64_t addralign, entsize;
};

struct elf64_symbol {
    uint32_t name;
    uint8_t info, other;
    uint16_t shndx;
    uint64_t value, size;
};

#define SHT_SYMTAB 2
#define STT_FUNC 2

static bool in_image(const struct sys_image *img, uint64_t offset, uint64_t count, uint64_t size)
{
    uint64_t len = (uint64_t)(img->end - img->start);
    return offset <= len && (size == 0 || count <= (len - offset) / size);
}

static const struct elf64_section *section(const struct sys_image *img, unsigned i)
{
    const struct elf64_header *eh = (const void *)img->start;
    return (const void *)(img->start + eh->shoff + (uint64_t)i * sizeof(struct elf64_section));
}

bool symbol_lookup(uint32_t pd, uint64_t address, struct symbol *out)
{
    const struct sys_pd *p = &sys->pds[pd];
    if (p->image >= sys->image_count)
        return false;
    const struct sys_image *img = &sys->images[p->image];
    const struct elf64_header *eh = (const void *)img->start;
    if (!in_image(img, 0, 1, sizeof *eh) || eh->ident[0] != 0x7f ||
        eh->shentsize != sizeof(struct elf64_section) ||
        !in_image(img, eh->shoff, eh->shnum, sizeof(struct elf64_section)))
        return false;
    bool found = false;
    for (unsigned i = 0; i < eh->shnum; i++) {
        const struct elf64_section *symtab = section(img, i);
        if (symtab->type != SHT_SYMTAB || symtab->entsize != sizeof(struct elf64_symbol) ||
            symtab->link >= eh->shnum ||
            !in_image(img, symtab->offset, symtab->size / symtab->entsize, symtab->entsize))
            continue;
        const struct elf64_section *strtab = section(img, symtab->link);
        if (!in_image(img, strtab->offset, 1, strtab->size))
            continue;
        const struct elf64_symbol *syms = (const void *)(img->start + symtab->offset);
        for (uint64_t k = 0; k < symtab->size / symtab->entsize; k++) {
            const struct elf64_symbol *s = &syms[k];
            if ((s->info & 0xf) != STT_FUNC || s->value > address ||
                address >= s->value + (s->size ? s->size : 1) || s->name >= strtab->size)
                continue;
            if (found && s->value <= out->start)
                continue;   /* the innermost (latest-starting) function wins */
            const char *name = (const char *)img->start + strtab->offset + s->name;
            uint64_t room = strtab->size - s->name;
            uint64_t len = 0;
            while (len < room && name[len])
                len++;
            if (len == room)
                continue;   /* not terminated inside the table */
            *out = (struct symbol){ name, s->value };
            found = true;
        }
    }
    return found;
}
