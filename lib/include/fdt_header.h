/*
 * The header of a flattened device tree (Devicetree Specification, chapter
 * 5): is it one, do the blocks it names lie inside it, and how many of its
 * bytes are used. Header arithmetic only, no walk of the tree. Pure and
 * freestanding: the loader, the kernel and mkpayload (host) share it.
 */
#ifndef LIB_FDT_HEADER_H
#define LIB_FDT_HEADER_H

#include <stdint.h>

#define FDT_MAGIC           0xd00dfeedu
#define FDT_HEADER_SIZE     40u     /* version 17 header */
#define FDT_TOTALSIZE_OFFSET 4u

enum fdt_header_status {
    FDT_HEADER_OK = 0,
    FDT_HEADER_TOO_SMALL,       /* fewer bytes than a header, or than totalsize */
    FDT_HEADER_BAD_MAGIC,
    FDT_HEADER_BAD_VERSION,     /* older than 16, or not readable as 17 */
    FDT_HEADER_BAD_TOTALSIZE,   /* smaller than the header */
    FDT_HEADER_BAD_LAYOUT,      /* a block outside totalsize, over the header, misaligned,
                                   or an unterminated memory reservation map */
};

struct fdt_header_facts {
    uint32_t totalsize;         /* as the header says */
    uint32_t used;              /* end of the last block: totalsize of a compact copy */
    uint32_t version;
};

/*
 * Totalsize of the tree at `blob` (8 bytes read), or 0 if the FDT magic is
 * not there: enough to decide how much memory the whole check may read.
 */
uint32_t fdt_header_totalsize(const void *blob);

/*
 * Check the tree at `blob`, of which `size` bytes are readable; reads only
 * inside min(size, totalsize). `used` is where the last block (memory
 * reservation map, structure block, strings block) ends: copying that many
 * bytes and setting totalsize to it gives an equivalent, compact tree. For a
 * version-16 tree (no structure block size) used = totalsize.
 */
enum fdt_header_status fdt_header_check(const void *blob, uint64_t size,
                                        struct fdt_header_facts *facts);
const char *fdt_header_status_text(enum fdt_header_status status);

/* Rewrite the header's totalsize (of a compact copy). */
void fdt_header_set_totalsize(void *blob, uint32_t totalsize);

#endif
