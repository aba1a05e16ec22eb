/*
 * Layout of the payload that scripts/mkpayload packs and the loader unpacks
 * (the kernel and root-task segments and the board's device tree, embedded in
 * loader.img). Shared by the host tool and the loader, so it only uses
 * fixed-size types. Everything is little-endian; docs/boot.md describes the
 * format.
 *
 *   struct payload_header
 *   struct payload_region  regions[num_regions]
 *   data                   each region's bytes at its `offset`, then the
 *                          built-in DTB at dtb_offset, all 8-byte aligned
 *
 * The DTB is not a region: the loader copies either it or a compact copy of
 * the one the boot loader passed (never both) to dtb_phys, the first page
 * after the root task, where it may take up to dtb_phys_limit.
 */
#ifndef LOADER_PAYLOAD_FORMAT_H
#define LOADER_PAYLOAD_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define PAYLOAD_MAGIC   0x314459504c52444cULL   /* "LDRLPYD1" read as bytes */
#define PAYLOAD_VERSION 2u
#define PAYLOAD_ALIGN   8u      /* header, table and every data offset */
#define PAYLOAD_PAGE    4096u   /* root-task placement granule */


struct payload_header {
    uint64_t magic;                 /* PAYLOAD_MAGIC */
    uint32_t version;               /* PAYLOAD_VERSION */
    uint32_t header_size;           /* sizeof(struct payload_header) */
    uint64_t total_size;            /* header + table + data, in bytes */
    uint64_t checksum;              /* payload_checksum() of everything after the table */
    uint64_t kernel_entry;          /* kernel virtual entry point */
    uint64_t kernel_phys_start;     /* lowest physical byte of the kernel image */
    uint64_t kernel_phys_end;       /* one past the highest (memsz included) */
    uint64_t roottask_phys_start;   /* page aligned, after the kernel */
    uint64_t roottask_phys_end;     /* page aligned */
    uint64_t roottask_pv_offset;    /* paddr - vaddr of every root-task byte (two's complement) */
    uint64_t roottask_entry;        /* root-task virtual entry point */
    uint32_t num_regions;
    uint32_t region_size;           /* sizeof(struct payload_region) */
    uint64_t dtb_phys;              /* where the kernel's DTB goes: page aligned, after the root task */
    uint64_t dtb_phys_limit;        /* end of the space it may take (the kernel region's end) */
    uint64_t dtb_offset;            /* built-in DTB in the data area, from the payload start */
    uint64_t dtb_size;              /* its bytes (its totalsize); 0: none built in */
};

/* The loader reads these words with the MMU off: natural alignment everywhere. */
_Static_assert(sizeof(struct payload_header) == 128, "payload header is 128 bytes (docs/boot.md)");
_Static_assert(offsetof(struct payload_header, num_regions) == 88, "payload header layout");
_Static_assert(offsetof(struct payload_header, dtb_phys) == 96, "payload header layout");
_Static_assert(offsetof(struct payload_header, dtb_size) == 120, "payload header layout");
_Static_assert(sizeof(struct payload_header) % PAYLOAD_ALIGN == 0, "table stays aligned");

struct payload_region {
    uint64_t paddr;                 /* physical destination */
    uint64_t file_size;             /* bytes stored in the payload */
    uint64_t mem_size;              /* bytes at paddr; the part past file_size is zeroed */
    uint64_t offset;                /* of the stored bytes from the payload start */
};

_Static_assert(sizeof(struct payload_region) == 32, "payload region entry is 32 bytes");

/*
 * Checksum over the data area, 64-bit words (the data area is padded to a
 * multiple of 8 bytes). A rotate-and-add sum: cheap enough to run with the
 * MMU off, and it catches a truncated or stale image, the usual result of an
 * interrupted TFTP or serial transfer.
 */
static inline uint64_t payload_checksum_step(uint64_t sum, uint64_t word)
{
    return ((sum << 1) | (sum >> 63)) + word;
}

static inline uint64_t payload_checksum(const uint64_t *words, uint64_t count)
{
    uint64_t sum = 0, i = 0;
    /* Eight words a round (the loader's boot time is counted in instructions). */
    for (; i + 8 <= count; i += 8) {
        const uint64_t *w = words + i;
        sum = payload_checksum_step(sum, w[0]);
        sum = payload_checksum_step(sum, w[1]);
        sum = payload_checksum_step(sum, w[2]);
        sum = payload_checksum_step(sum, w[3]);
        sum = payload_checksum_step(sum, w[4]);
        sum = payload_checksum_step(sum, w[5]);
        sum = payload_checksum_step(sum, w[6]);
        sum = payload_checksum_step(sum, w[7]);
    }
    for (; i < count; i++)
        sum = payload_checksum_step(sum, words[i]);
    return sum;
}

#endif
