/* AArch64 stage-1 translation table descriptors (4 KiB granule, 48-bit VA). */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#include <kernel/types.h>

#define PTE_VALID       BIT(0)
#define PTE_TABLE       (BIT(0) | BIT(1))   /* levels 0-2: next-level table */
#define PTE_BLOCK       BIT(0)              /* levels 1-2: block */
#define PTE_PAGE        (BIT(0) | BIT(1))   /* level 3: page */
#define PTE_TYPE_MASK   3ull
#define PTE_ATTR(idx)   ((word_t)(idx) << 2)
#define PTE_AP_EL0      BIT(6)              /* EL0 may access */
#define PTE_AP_RO       BIT(7)              /* read only */
#define PTE_SH_INNER    (3ull << 8)
#define PTE_AF          BIT(10)
#define PTE_NG          BIT(11)
#define PTE_PXN         BIT(53)
#define PTE_UXN         BIT(54)
#define PTE_ADDR_MASK   0x0000fffffffff000ull

/* MAIR_EL1 indices (docs/architecture.md). */
#define MAIR_DEVICE_NGNRNE  0
#define MAIR_DEVICE_NGNRE   1
#define MAIR_DEVICE_GRE     2
#define MAIR_NORMAL_NC      3
#define MAIR_NORMAL_WB      4
#define MAIR_NORMAL_WT      5
#define MAIR_VALUE  (0x00ull | 0x04ull << 8 | 0x0cull << 16 | 0x44ull << 24 | \
                     0xffull << 32 | 0xbbull << 40)

/* Index of `vaddr` in the table at `level` (0 = root). */
static inline unsigned pt_index(vaddr_t vaddr, unsigned level)
{
    return (vaddr >> (39 - 9 * level)) & 0x1ff;
}

/* Bytes one entry at `level` covers: 512 GiB, 1 GiB, 2 MiB, 4 KiB. */
static inline unsigned pt_level_bits(unsigned level)
{
    return 39 - 9 * level;
}

static inline paddr_t pte_address(word_t pte)
{
    return pte & PTE_ADDR_MASK;
}

static inline bool pte_is_table(word_t pte, unsigned level)
{
    return level < 3 && (pte & PTE_TYPE_MASK) == PTE_TABLE;
}

/* A page (level 3, `bits` 12) or block (levels 1-2) entry mapping a frame. */
static inline bool pte_is_page(word_t pte, unsigned bits)
{
    return (pte & PTE_TYPE_MASK) == (bits == PAGE_BITS ? PTE_PAGE : PTE_BLOCK);
}

#endif
