#include "fdt_header.h"

/* Header fields: big-endian 32-bit words at these offsets. */
enum {
    OFF_MAGIC = 0, OFF_TOTALSIZE = 4, OFF_DT_STRUCT = 8, OFF_DT_STRINGS = 12,
    OFF_MEM_RSVMAP = 16, OFF_VERSION = 20, OFF_LAST_COMP_VERSION = 24,
    OFF_SIZE_DT_STRINGS = 32, OFF_SIZE_DT_STRUCT = 36,
};

#define RSVMAP_ENTRY_SIZE 16u   /* two big-endian 64-bit words: address, size */

/* Byte by byte: the blob may sit anywhere, and with the MMU off (the loader)
 * memory is Device memory, where an unaligned word access faults. */
static uint32_t be32_at(const void *blob, uint64_t offset)
{
    const uint8_t *p = (const uint8_t *)blob + offset;
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint32_t fdt_header_totalsize(const void *blob)
{
    return be32_at(blob, OFF_MAGIC) == FDT_MAGIC ? be32_at(blob, OFF_TOTALSIZE) : 0;
}

/* [offset, offset + length) inside [FDT_HEADER_SIZE, total)? No wrap-around:
 * 64-bit sums of 32-bit fields. */
static int block_fits(uint64_t offset, uint64_t length, uint64_t total)
{
    return offset >= FDT_HEADER_SIZE && offset + length <= total;
}

/* End of the memory reservation map (its zero terminator included), or 0 if
 * it runs past `total` unterminated. */
static uint64_t rsvmap_end(const void *blob, uint64_t offset, uint64_t total)
{
    for (; offset + RSVMAP_ENTRY_SIZE <= total; offset += RSVMAP_ENTRY_SIZE) {
        uint32_t any = 0;
        for (unsigned word = 0; word < RSVMAP_ENTRY_SIZE; word += 4)
            any |= be32_at(blob, offset + word);
        if (!any)
            return offset + RSVMAP_ENTRY_SIZE;
    }
    return 0;
}

static uint64_t max64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

enum fdt_header_status fdt_header_check(const void *blob, uint64_t size,
                                        struct fdt_header_facts *facts)
{
    if (size < FDT_HEADER_SIZE)
        return FDT_HEADER_TOO_SMALL;
    if (be32_at(blob, OFF_MAGIC) != FDT_MAGIC)
        return FDT_HEADER_BAD_MAGIC;
    uint64_t total = be32_at(blob, OFF_TOTALSIZE);
    uint32_t version = be32_at(blob, OFF_VERSION);
    if (version < 16 || be32_at(blob, OFF_LAST_COMP_VERSION) > 17)
        return FDT_HEADER_BAD_VERSION;
    if (total < FDT_HEADER_SIZE)
        return FDT_HEADER_BAD_TOTALSIZE;
    if (total > size)
        return FDT_HEADER_TOO_SMALL;

    uint64_t rsvmap = be32_at(blob, OFF_MEM_RSVMAP);
    uint64_t strings = be32_at(blob, OFF_DT_STRINGS);
    uint64_t strings_size = be32_at(blob, OFF_SIZE_DT_STRINGS);
    uint64_t structure = be32_at(blob, OFF_DT_STRUCT);
    if (rsvmap % 8 != 0 || structure % 4 != 0 || !block_fits(rsvmap, 0, total) ||
        !block_fits(structure, 0, total) || !block_fits(strings, strings_size, total))
        return FDT_HEADER_BAD_LAYOUT;
    uint64_t rsvmap_stop = rsvmap_end(blob, rsvmap, total);
    if (rsvmap_stop == 0)
        return FDT_HEADER_BAD_LAYOUT;

    uint64_t used = total;
    if (version >= 17) {
        uint64_t structure_size = be32_at(blob, OFF_SIZE_DT_STRUCT);
        if (!block_fits(structure, structure_size, total))
            return FDT_HEADER_BAD_LAYOUT;
        used = max64(max64(rsvmap_stop, structure + structure_size), strings + strings_size);
    }
    facts->totalsize = (uint32_t)total;
    facts->used = (uint32_t)used;
    facts->version = version;
    return FDT_HEADER_OK;
}

const char *fdt_header_status_text(enum fdt_header_status status)
{
    switch (status) {
    case FDT_HEADER_OK: return "valid";
    case FDT_HEADER_TOO_SMALL: return "truncated (shorter than its header or its totalsize)";
    case FDT_HEADER_BAD_MAGIC: return "no FDT magic 0xd00dfeed";
    case FDT_HEADER_BAD_VERSION: return "unsupported version (need 16 or 17)";
    case FDT_HEADER_BAD_TOTALSIZE: return "totalsize smaller than the header";
    case FDT_HEADER_BAD_LAYOUT: return "a block lies outside the tree or is misaligned";
    }
    return "unknown status";
}

void fdt_header_set_totalsize(void *blob, uint32_t totalsize)
{
    uint8_t *p = (uint8_t *)blob + FDT_TOTALSIZE_OFFSET;
    p[0] = (uint8_t)(totalsize >> 24);
    p[1] = (uint8_t)(totalsize >> 16);
    p[2] = (uint8_t)(totalsize >> 8);
    p[3] = (uint8_t)totalsize;
}
