#include "elf_file.h"
#include "file.h"

#include <elf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const struct elf_file *elf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(const struct elf_file *elf, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "mkpayload: %s: ", elf->path);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

/* True when [offset, offset + length) lies inside a buffer of `size` bytes. */
static bool in_bounds(uint64_t offset, uint64_t length, uint64_t size)
{
    return offset <= size && length <= size - offset;
}

static int check_ident(const struct elf_file *elf, const Elf64_Ehdr *eh)
{
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
        return fail(elf, "not an ELF file (bad magic)");
    if (eh->e_ident[EI_CLASS] != ELFCLASS64)
        return fail(elf, "not a 64-bit ELF file (class %u)", eh->e_ident[EI_CLASS]);
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return fail(elf, "not a little-endian ELF file");
    if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
        return fail(elf, "unknown ELF version");
    if (eh->e_machine != EM_AARCH64)
        return fail(elf, "not an AArch64 ELF file (e_machine %u)", eh->e_machine);
    if (eh->e_type != ET_EXEC)
        return fail(elf, "not an executable (e_type %u; link with -static -no-pie)", eh->e_type);
    return 0;
}

static int check_program_headers(const struct elf_file *elf, const Elf64_Ehdr *eh)
{
    if (eh->e_phnum == 0)
        return fail(elf, "no program headers");
    if (eh->e_phentsize != sizeof(Elf64_Phdr))
        return fail(elf, "program header size %u, expected %zu", eh->e_phentsize,
                    sizeof(Elf64_Phdr));
    if (eh->e_phoff % 8 != 0)
        return fail(elf, "misaligned program header table (offset 0x%llx)",
                    (unsigned long long)eh->e_phoff);
    if (!in_bounds(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), elf->size))
        return fail(elf, "program header table (offset 0x%llx, %u entries) extends past the end of the file",
                    (unsigned long long)eh->e_phoff, eh->e_phnum);
    return 0;
}

static int check_segment(const struct elf_file *elf, unsigned index, const Elf64_Phdr *ph)
{
    if (ph->p_filesz > ph->p_memsz)
        return fail(elf, "segment %u: file size 0x%llx exceeds memory size 0x%llx", index,
                    (unsigned long long)ph->p_filesz, (unsigned long long)ph->p_memsz);
    if (!in_bounds(ph->p_offset, ph->p_filesz, elf->size))
        return fail(elf, "segment %u: data (offset 0x%llx, 0x%llx bytes) extends past the end of the file",
                    index, (unsigned long long)ph->p_offset, (unsigned long long)ph->p_filesz);
    if (ph->p_vaddr + ph->p_memsz < ph->p_vaddr || ph->p_paddr + ph->p_memsz < ph->p_paddr)
        return fail(elf, "segment %u: address range wraps around", index);
    return 0;
}

static int by_vaddr(const void *a, const void *b)
{
    const struct segment *x = a, *y = b;
    return (x->vaddr > y->vaddr) - (x->vaddr < y->vaddr);
}

static int check_no_overlap(const struct elf_file *elf)
{
    for (size_t i = 1; i < elf->num_segments; i++) {
        const struct segment *prev = &elf->segments[i - 1], *cur = &elf->segments[i];
        if (prev->vaddr + prev->mem_size > cur->vaddr)
            return fail(elf, "segments at 0x%llx and 0x%llx overlap",
                        (unsigned long long)prev->vaddr, (unsigned long long)cur->vaddr);
    }
    return 0;
}

static int check_entry(const struct elf_file *elf)
{
    for (size_t i = 0; i < elf->num_segments; i++) {
        const struct segment *s = &elf->segments[i];
        if (elf->entry >= s->vaddr && elf->entry - s->vaddr < s->mem_size)
            return 0;
    }
    return fail(elf, "entry point 0x%llx is outside every loadable segment",
                (unsigned long long)elf->entry);
}

static int collect_segments(struct elf_file *elf, const Elf64_Ehdr *eh)
{
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(elf->bytes + eh->e_phoff);
    elf->segments = calloc(eh->e_phnum, sizeof(*elf->segments));
    if (!elf->segments)
        return fail(elf, "out of memory");
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
            continue;
        if (check_segment(elf, i, &ph[i]) != 0)
            return -1;
        elf->segments[elf->num_segments++] = (struct segment){
            .vaddr = ph[i].p_vaddr,
            .paddr = ph[i].p_paddr,
            .file_size = ph[i].p_filesz,
            .mem_size = ph[i].p_memsz,
            .data = elf->bytes + ph[i].p_offset,
        };
    }
    if (elf->num_segments == 0)
        return fail(elf, "no loadable (PT_LOAD) segment");
    qsort(elf->segments, elf->num_segments, sizeof(*elf->segments), by_vaddr);
    return 0;
}

int elf_file_load(struct elf_file *elf, const char *path)
{
    *elf = (struct elf_file){ .path = path };
    if (file_read(path, &elf->bytes, &elf->size) != 0)
        return -1;
    if (elf->size < sizeof(Elf64_Ehdr))
        return fail(elf, "too small for an ELF header (%zu bytes)", elf->size);
    Elf64_Ehdr eh;
    memcpy(&eh, elf->bytes, sizeof(eh));
    if (check_ident(elf, &eh) != 0 || check_program_headers(elf, &eh) != 0)
        return -1;
    elf->entry = eh.e_entry;
    if (collect_segments(elf, &eh) != 0 || check_no_overlap(elf) != 0 || check_entry(elf) != 0)
        return -1;
    return 0;
}

void elf_file_free(struct elf_file *elf)
{
    free(elf->segments);
    free(elf->bytes);
    *elf = (struct elf_file){ 0 };
}
