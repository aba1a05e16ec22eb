/*
 * Layout of the payload that scripts/mkpayload packs and the loader unpacks
 * (the kernel and root-task segments embedded in loader.img). Shared by the
 * host tool and the loader, so it only uses fixed-size types. Everything is
 * little-endian; docs/boot.md describes the format.
 *
 *   struct payload_header
 *   struct payload_region  regions[num_regions]
 *   data                   each region's bytes at its `offset`, 8-byte aligned
 */
#ifndef LOADER_PAYLOAD_FORMAT_H
#define LOADER_PAYLOAD_FORMAT_H

#include <stdint.h>

#define PAYLOAD_MAGIC   0x314459504c52444cULL   /* "LDRLPYD1" read as bytes */
#define PAYLOAD_VERSION 1u
#define PAYLOAD_ALIGN   8u      /* header, table and every data offset */
#define PAYLOAD_PAGE    4096u   /* root-task placement granule */

/* Virtual base of the kernel's physical-memory window (docs/architecture.md). */
#define PAYLOAD_PPTR_BASE 0xffffff8000000000ULL

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
};

struct payload_region {
    uint64_t paddr;                 /* physical destination */
    uint64_t file_size;             /* bytes stored in the payload */
    uint64_t mem_size;              /* bytes at paddr; the part past file_size is zeroed */
    uint64_t offset;                /* of the stored bytes from the payload start */
};

/*
 * Checksum over the data area, 64-bit words (the data area is padded to a
 * multiple of 8 bytes). A rotate-and-add sum: cheap enough to run with the
 * MMU off, and it catches a truncated or stale image, the usual result of an
 * interrupted TFTP or serial transfer.
 */
static inline uint64_t payload_checksum(const uint64_t *words, uint64_t count)
{
    uint64_t sum = 0;
    for (uint64_t i = 0; i < count; i++)
        sum = ((sum << 1) | (sum >> 63)) + words[i];
    return sum;
}

#endif
