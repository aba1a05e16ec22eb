/* mkelf: writes small AArch64 ELF64 executables for the sdfgen tests, with
 * exactly the segments and symbols a test needs, so that the golden files
 * do not depend on a cross compiler's version.
 *
 *   mkelf OUT [--entry ADDR] [--machine N]
 *             [--segment VADDR:FILESZ:MEMSZ:FLAGS]...   (FLAGS of r, w, x)
 *             [--symbol NAME:VADDR:SIZE[:local]]...
 *
 * Segment bytes are a fixed pattern. Symbols are absolute (SHN_ABS). The
 * builder is also used by the fuzz target (define MKELF_NO_MAIN). */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MKELF_MAX 64

struct mkelf_segment {
    uint64_t vaddr, filesz, memsz;
    uint32_t flags;
};

struct mkelf_symbol {
    const char *name;
    uint64_t vaddr, size;
    int local;
};

struct mkelf_spec {
    uint64_t entry;
    uint16_t machine;
    struct mkelf_segment segments[MKELF_MAX];
    size_t segment_count;
    struct mkelf_symbol symbols[MKELF_MAX];
    size_t symbol_count;
};

/* Builds the file into a malloc'd buffer; returns its size (0 on error). */
static size_t mkelf_build(const struct mkelf_spec *spec, unsigned char **out)
{
    size_t phoff = sizeof(Elf64_Ehdr);
    size_t data_off = phoff + spec->segment_count * sizeof(Elf64_Phdr);
    size_t data_len = 0;
    for (size_t i = 0; i < spec->segment_count; i++)
        data_len += spec->segments[i].filesz;
    size_t strtab_len = 1;
    for (size_t i = 0; i < spec->symbol_count; i++)
        strtab_len += strlen(spec->symbols[i].name) + 1;
    static const char shstrtab[] = "\0.symtab\0.strtab\0.shstrtab";
    size_t symtab_off = (data_off + data_len + 7) & ~(size_t)7;
    size_t symtab_len = (spec->symbol_count + 1) * sizeof(Elf64_Sym);
    size_t strtab_off = symtab_off + symtab_len;
    size_t shstrtab_off = strtab_off + strtab_len;
    size_t shoff = (shstrtab_off + sizeof shstrtab + 7) & ~(size_t)7;
    size_t total = shoff + 4 * sizeof(Elf64_Shdr);
    unsigned char *buf = calloc(1, total);
    if (!buf)
        return 0;

    Elf64_Ehdr eh = { 0 };
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = spec->machine ? spec->machine : EM_AARCH64;
    eh.e_version = EV_CURRENT;
    eh.e_entry = spec->entry;
    eh.e_phoff = phoff;
    eh.e_shoff = shoff;
    eh.e_ehsize = sizeof eh;
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = (uint16_t)spec->segment_count;
    eh.e_shentsize = sizeof(Elf64_Shdr);
    eh.e_shnum = 4;
    eh.e_shstrndx = 3;
    memcpy(buf, &eh, sizeof eh);

    size_t offset = data_off;
    for (size_t i = 0; i < spec->segment_count; i++) {
        const struct mkelf_segment *s = &spec->segments[i];
        Elf64_Phdr ph = {
            .p_type = PT_LOAD, .p_flags = s->flags, .p_offset = offset,
            .p_vaddr = s->vaddr, .p_paddr = s->vaddr, .p_filesz = s->filesz,
            .p_memsz = s->memsz, .p_align = 0x1000,
        };
        memcpy(buf + phoff + i * sizeof ph, &ph, sizeof ph);
        for (uint64_t b = 0; b < s->filesz; b++)
            buf[offset + b] = (unsigned char)(0xa0 + i + b);
        offset += s->filesz;
    }

    size_t name_at = 1;
    for (size_t i = 0; i < spec->symbol_count; i++) {
        const struct mkelf_symbol *sym = &spec->symbols[i];
        Elf64_Sym es = {
            .st_name = (uint32_t)name_at,
            .st_info = ELF64_ST_INFO(sym->local ? STB_LOCAL : STB_GLOBAL, STT_OBJECT),
            .st_shndx = SHN_ABS,
            .st_value = sym->vaddr,
            .st_size = sym->size,
        };
        memcpy(buf + symtab_off + (i + 1) * sizeof es, &es, sizeof es);
        strcpy((char *)buf + strtab_off + name_at, sym->name);
        name_at += strlen(sym->name) + 1;
    }
    memcpy(buf + shstrtab_off, shstrtab, sizeof shstrtab);

    Elf64_Shdr sh[4] = { { 0 } };
    sh[1] = (Elf64_Shdr){ .sh_name = 1, .sh_type = SHT_SYMTAB, .sh_offset = symtab_off,
                          .sh_size = symtab_len, .sh_link = 2, .sh_info = 1,
                          .sh_entsize = sizeof(Elf64_Sym), .sh_addralign = 8 };
    sh[2] = (Elf64_Shdr){ .sh_name = 9, .sh_type = SHT_STRTAB, .sh_offset = strtab_off,
                          .sh_size = strtab_len, .sh_addralign = 1 };
    sh[3] = (Elf64_Shdr){ .sh_name = 17, .sh_type = SHT_STRTAB,
                          .sh_offset = shstrtab_off, .sh_size = sizeof shstrtab,
                          .sh_addralign = 1 };
    memcpy(buf + shoff, sh, sizeof sh);
    *out = buf;
    return total;
}

#ifndef MKELF_NO_MAIN
static uint32_t parse_flags(const char *text)
{
    uint32_t flags = 0;
    for (; *text; text++)
        flags |= *text == 'r' ? PF_R : *text == 'w' ? PF_W : *text == 'x' ? PF_X : 0;
    return flags;
}

static int fail(const char *message, const char *arg)
{
    fprintf(stderr, "mkelf: %s: %s\n", message, arg);
    return 1;
}

int main(int argc, char **argv)
{
    struct mkelf_spec spec = { .entry = 0x200000 };
    if (argc < 2)
        return fail("usage", "mkelf OUT [options]");
    for (int i = 2; i < argc; i++) {
        if (i + 1 >= argc)
            return fail("missing value for", argv[i]);
        const char *value = argv[++i];
        if (strcmp(argv[i - 1], "--entry") == 0) {
            spec.entry = strtoull(value, NULL, 0);
        } else if (strcmp(argv[i - 1], "--machine") == 0) {
            spec.machine = (uint16_t)strtoul(value, NULL, 0);
        } else if (strcmp(argv[i - 1], "--segment") == 0 && spec.segment_count < MKELF_MAX) {
            struct mkelf_segment *s = &spec.segments[spec.segment_count++];
            char flags[8] = "";
            if (sscanf(value, "%lx:%lx:%lx:%7s", &s->vaddr, &s->filesz, &s->memsz,
                       flags) != 4)
                return fail("bad segment", value);
            s->flags = parse_flags(flags);
        } else if (strcmp(argv[i - 1], "--symbol") == 0 && spec.symbol_count < MKELF_MAX) {
            struct mkelf_symbol *sym = &spec.symbols[spec.symbol_count++];
            char *copy = strdup(value);
            char *name = strtok(copy, ":"), *vaddr = strtok(NULL, ":");
            char *size = strtok(NULL, ":"), *local = strtok(NULL, ":");
            if (!name || !vaddr || !size)
                return fail("bad symbol", value);
            sym->name = name;
            sym->vaddr = strtoull(vaddr, NULL, 16);
            sym->size = strtoull(size, NULL, 0);
            sym->local = local != NULL;
        } else {
            return fail("unknown option", argv[i - 1]);
        }
    }
    unsigned char *data;
    size_t len = mkelf_build(&spec, &data);
    FILE *file = fopen(argv[1], "wb");
    if (!len || !file || fwrite(data, 1, len, file) != len || fclose(file) != 0)
        return fail("cannot write", argv[1]);
    free(data);
    return 0;
}
#endif
