/*
 * AArch64 translation table descriptors (4 KiB granule).
 *
 * The kernel's own tables are stage-1 tables of its EL (4 levels, 48-bit
 * VA). User address spaces (VSpaces) are stage-1 tables walked from level 0
 * with an EL1 kernel; with an EL2 kernel they are stage-2 tables for a
 * 40-bit IPA, walked from level 1 whose root is two concatenated tables
 * (1024 entries, seL4_VSpaceIndexBits).
 */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#include <kernel/types.h>
#include <sel4/constants.h>

#define PTE_VALID       BIT(0)
#define PTE_TABLE       (BIT(0) | BIT(1))   /* levels 0-2: next-level table */
#define PTE_BLOCK       BIT(0)              /* levels 1-2: block */
#define PTE_PAGE        (BIT(0) | BIT(1))   /* level 3: page */
#define PTE_TYPE_MASK   3ull
#define PTE_SH_INNER    (3ull << 8)
#define PTE_AF          BIT(10)
#define PTE_ADDR_MASK   0x0000fffffffff000ull

/* Stage-1 attributes. */
#define PTE_ATTR(idx)   ((word_t)(idx) << 2)
#define PTE_AP_EL0      BIT(6)              /* EL0 may access; RES1 in the EL2 regime */
#define PTE_AP_RO       BIT(7)              /* read only */
#define PTE_NG          BIT(11)
#define PTE_PXN         BIT(53)             /* RES0 in the EL2 regime */
#define PTE_UXN         BIT(54)             /* XN in the EL2 regime */

/* Stage-2 attributes. */
#define S2_MEMATTR(x)   ((word_t)(x) << 2)
#define S2_DEVICE_NGNRNE 0x0
#define S2_NORMAL_NC    0x5                 /* outer and inner non-cacheable */
#define S2_NORMAL_WB    0xf                 /* outer and inner write-back */
#define S2_AP_RO        (1ull << 6)
#define S2_AP_RW        (3ull << 6)
#define S2_XN           BIT(54)

/* MAIR indices (docs/architecture.md). */
#define MAIR_DEVICE_NGNRNE  0
#define MAIR_DEVICE_NGNRE   1
#define MAIR_DEVICE_GRE     2
#define MAIR_NORMAL_NC      3
#define MAIR_NORMAL_WB      4
#define MAIR_NORMAL_WT      5
#define MAIR_VALUE  (0x00ull | 0x04ull << 8 | 0x0cull << 16 | 0x44ull << 24 | \
                     0xffull << 32 | 0xbbull << 40)

/* Bytes one entry at `level` covers: 512 GiB, 1 GiB, 2 MiB, 4 KiB. */
static inline unsigned pt_level_bits(unsigned level)
{
    return 39 - 9 * level;
}

/* Index of `va` in a kernel table at `level` (0 = the kernel's root). */
static inline unsigned kernel_pt_index(word_t va, unsigned level)
{
    return (va >> pt_level_bits(level)) & 0x1ff;
}

/* User address spaces: the level of the VSpace root. */
#ifdef CONFIG_KERNEL_EL2
#define VSPACE_ROOT_LEVEL 1
#else
#define VSPACE_ROOT_LEVEL 0
#endif

/* Index of `vaddr` in a VSpace's table at `level`. */
static inline unsigned pt_index(vaddr_t vaddr, unsigned level)
{
    unsigned bits = level == VSPACE_ROOT_LEVEL ? seL4_VSpaceIndexBits : seL4_PageTableIndexBits;
    return (vaddr >> pt_level_bits(level)) & MASK(bits);
}

/* The entries of a table (a VSpace root has more than a page table's 512). */
static inline word_t *pt_entries(void *table)
{
    return (word_t *)table;
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

/* Does a leaf entry of a thread's VSpace let the thread read normal memory
   (not device memory) through it? Stage-1 entries (EL1 kernel) and stage-2
   ones (EL2 kernel) say so differently. */
static inline bool pte_user_reads_normal_memory(word_t pte)
{
#ifdef CONFIG_KERNEL_EL2
    unsigned memattr = (pte >> 2) & 0xf;
    return (pte & S2_AP_RO) && (memattr == S2_NORMAL_WB || memattr == S2_NORMAL_NC);
#else
    unsigned attr = (pte >> 2) & 7;
    return (pte & PTE_AP_EL0) &&
           (attr == MAIR_NORMAL_WB || attr == MAIR_NORMAL_WT || attr == MAIR_NORMAL_NC);
#endif
}

#endif
