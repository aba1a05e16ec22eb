/* ELF64 parsing with bounds checks (host <elf.h> for the layouts). */
#include "elf.h"

#include <elf.h>
#include <string.h>

#include "model.h"

/* True when [offset, offset + count * size) lies inside the file. */
static bool in_file(size_t file_len, uint64_t offset, uint64_t count,
                    uint64_t size)
{
    if (offset > file_len)
        return false;
    if (size != 0 && count > (file_len - offset) / size)
        return false;
    return true;
}

static const char *check_header(const Elf64_Ehdr *eh, size_t len)
{
    if (len < EI_NIDENT || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
        return "not an ELF file";
    if (eh->e_ident[EI_CLASS] != ELFCLASS64)
        return "not a 64-bit ELF file";
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return "not a little-endian ELF file";
    if (len < sizeof *eh)
        return "ELF header is truncated";
    if (eh->e_machine != EM_AARCH64)
        return "not an AArch64 ELF file";
    if (eh->e_type != ET_EXEC)
        return "not an executable ELF file (a PD must be statically linked)";
    if (eh->e_phnum == 0)
        return "ELF file has no program headers";
    if (eh->e_phentsize != sizeof(Elf64_Phdr))
        return "ELF program header size is not that of ELF64";
    if (!in_file(len, eh->e_phoff, eh->e_phnum, sizeof(Elf64_Phdr)))
        return "ELF program headers lie outside the file";
    return NULL;
}

static unsigned segment_perms(uint32_t flags)
{
    return ((flags & PF_R) ? PERM_R : 0) | ((flags & PF_W) ? PERM_W : 0) |
           ((flags & PF_X) ? PERM_X : 0);
}

static const char *read_segments(struct elf_image *image, struct arena *arena,
                                 const Elf64_Ehdr *eh)
{
    image->segments = arena_alloc(arena, eh->e_phnum * sizeof *image->segments);
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, image->data + eh->e_phoff + i * sizeof ph, sizeof ph);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (ph.p_filesz > ph.p_memsz)
            return "ELF segment has more file bytes than memory bytes";
        if (!in_file(image->len, ph.p_offset, 1, ph.p_filesz))
            return "ELF segment data lies outside the file";
        if (ph.p_vaddr > UINT64_MAX - ph.p_memsz)
            return "ELF segment wraps around the address space";
        image->segments[image->segment_count++] = (struct elf_segment){
            .vaddr = ph.p_vaddr,
            .mem_size = ph.p_memsz,
            .file_offset = ph.p_offset,
            .file_size = ph.p_filesz,
            .perms = segment_perms(ph.p_flags),
        };
    }
    if (image->segment_count == 0)
        return "ELF file has no loadable segment";
    return NULL;
}

static bool read_section(const struct elf_image *image, const Elf64_Ehdr *eh,
                         unsigned index, Elf64_Shdr *sh)
{
    if (index >= eh->e_shnum)
        return false;
    memcpy(sh, image->data + eh->e_shoff + (uint64_t)index * sizeof *sh,
           sizeof *sh);
    return true;
}

/* A missing or malformed symbol table is not an error by itself: symbols
 * are looked up later, and a missing symbol is reported where it is
 * needed. */
static void read_symbol_table(struct elf_image *image, const Elf64_Ehdr *eh)
{
    if (eh->e_shnum == 0 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
        !in_file(image->len, eh->e_shoff, eh->e_shnum, sizeof(Elf64_Shdr)))
        return;
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        Elf64_Shdr symtab, strtab;
        if (!read_section(image, eh, i, &symtab) ||
            symtab.sh_type != SHT_SYMTAB ||
            symtab.sh_entsize != sizeof(Elf64_Sym) ||
            !in_file(image->len, symtab.sh_offset, 1, symtab.sh_size) ||
            !read_section(image, eh, symtab.sh_link, &strtab) ||
            strtab.sh_type != SHT_STRTAB ||
            !in_file(image->len, strtab.sh_offset, 1, strtab.sh_size))
            continue;
        image->symtab = image->data + symtab.sh_offset;
        image->symbol_count = symtab.sh_size / sizeof(Elf64_Sym);
        image->strtab = (const char *)image->data + strtab.sh_offset;
        image->strtab_len = strtab.sh_size;
        return;
    }
}

/* The symbol's name, if its string-table offset leaves a terminated
 * string inside the table; NULL otherwise. */
static const char *symbol_name(const struct elf_image *image, uint32_t offset)
{
    if (offset >= image->strtab_len)
        return NULL;
    const char *name = image->strtab + offset;
    if (!memchr(name, '\0', image->strtab_len - offset))
        return NULL;
    return name;
}

static Elf64_Sym symbol_at(const struct elf_image *image, size_t i)
{
    Elf64_Sym sym;
    memcpy(&sym, image->symtab + i * sizeof sym, sizeof sym);
    return sym;
}

/* Names of the symbols worth looking up: defined data and code symbols. */
static const char *indexed_name(const void *ctx, size_t i)
{
    const struct elf_image *image = ctx;
    Elf64_Sym sym = symbol_at(image, i);
    unsigned type = ELF64_ST_TYPE(sym.st_info);
    if (sym.st_shndx == SHN_UNDEF || type == STT_FILE || type == STT_SECTION)
        return NULL;
    const char *name = symbol_name(image, sym.st_name);
    return name && *name ? name : NULL;
}

static void index_symbols(struct elf_image *image, struct arena *arena)
{
    name_index_build(&image->symbols, arena, image->symbol_count, indexed_name,
                     image);
}

bool elf_find_symbol(const struct elf_image *image, const char *name,
                     uint64_t *value, uint64_t *size)
{
    const struct name_index *index = &image->symbols;
    size_t k = name_index_position(index, name);
    if (k == (size_t)-1)
        return false;
    /* Among symbols of that name, a global or weak one wins over a local
     * one; otherwise the first. */
    size_t chosen = index->entries[k].index;
    for (; k < index->count && strcmp(index->entries[k].name, name) == 0; k++)
        if (ELF64_ST_BIND(symbol_at(image, index->entries[k].index).st_info) !=
            STB_LOCAL) {
            chosen = index->entries[k].index;
            break;
        }
    Elf64_Sym sym = symbol_at(image, chosen);
    *value = sym.st_value;
    *size = sym.st_size;
    return true;
}

const char *elf_parse(struct elf_image *image, struct arena *arena,
                      const unsigned char *data, size_t len)
{
    memset(image, 0, sizeof *image);
    image->data = data;
    image->len = len;
    Elf64_Ehdr eh;
    memset(&eh, 0, sizeof eh);
    memcpy(&eh, data, len < sizeof eh ? len : sizeof eh);
    const char *problem = check_header(&eh, len);
    if (problem)
        return problem;
    image->entry = eh.e_entry;
    problem = read_segments(image, arena, &eh);
    if (problem)
        return problem;
    read_symbol_table(image, &eh);
    index_symbols(image, arena);
    return NULL;
}
