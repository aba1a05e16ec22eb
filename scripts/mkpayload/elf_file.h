/* Reading and validating the AArch64 ELF64 executables that mkpayload packs. */
#ifndef MKPAYLOAD_ELF_FILE_H
#define MKPAYLOAD_ELF_FILE_H

#include <stddef.h>
#include <stdint.h>

struct segment {
    uint64_t vaddr;
    uint64_t paddr;
    uint64_t file_size;
    uint64_t mem_size;
    const uint8_t *data;    /* file_size bytes inside the loaded file */
};

struct elf_file {
    const char *path;
    uint8_t *bytes;
    size_t size;
    uint64_t entry;
    struct segment *segments;   /* PT_LOAD segments with mem_size > 0, by vaddr */
    size_t num_segments;
};

/*
 * Read `path` and check it is a well-formed little-endian AArch64 ELF64
 * executable whose loadable segments lie inside the file, do not overlap and
 * contain the entry point. Prints "mkpayload: <path>: <problem>" and returns
 * -1 on any error.
 */
int elf_file_load(struct elf_file *elf, const char *path);
void elf_file_free(struct elf_file *elf);

#endif
