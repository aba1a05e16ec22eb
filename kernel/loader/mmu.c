/*
 * Boot page tables and the switch to virtual addressing at the kernel's EL,
 * per the "Boot page tables and MMU contract" in docs/boot.md:
 *   the kernel window: every RAM block of the board memory map (minus
 *          reserved ranges) at PPTR_BASE + paddr, 1 GiB blocks where a
 *          whole aligned GiB is usable RAM, 2 MiB blocks elsewhere, Normal
 *          write-back (EL1: in TTBR1; EL2: in TTBR0_EL2, its only table);
 *   the loader's own footprint identity-mapped (so execution goes on after
 *          SCTLR.M is set) and the UART's block as Device memory (EL1: TTBR0).
 * 48-bit virtual addresses, 4 KiB granule: L0 -> L1 (-> L2) blocks.
 */
#include <board.h>
#include <string.h>

#include "loader.h"
#include "sysreg.h"

#define ENTRIES             512
#define BLOCK_SIZE          (1ul << 21)
#define GIB_SIZE            (1ul << 30)
#define BOOT_TABLES         16

#define PTE_VALID           (1ul << 0)
#define PTE_TABLE           (3ul << 0)
#define PTE_BLOCK           (1ul << 0)
#define PTE_ATTR(index)     ((uint64_t)(index) << 2)
#define PTE_SH_INNER        (3ul << 8)
#define PTE_AF              (1ul << 10)
#define PTE_PXN             (1ul << 53)
#define PTE_UXN             (1ul << 54)
#define PTE_ADDR_MASK       0x0000fffffffff000ul

/* MAIR_EL1 attribute indices (seL4's numbering). */
#define MT_DEVICE_nGnRnE    0
#define MT_DEVICE_nGnRE     1
#define MT_DEVICE_GRE       2
#define MT_NORMAL_NC        3
#define MT_NORMAL           4
#define MT_NORMAL_WT        5
#define MAIR_VALUE          ((0x00ul << (8 * MT_DEVICE_nGnRnE)) | (0x04ul << (8 * MT_DEVICE_nGnRE)) | \
                             (0x0cul << (8 * MT_DEVICE_GRE)) | (0x44ul << (8 * MT_NORMAL_NC)) |     \
                             (0xfful << (8 * MT_NORMAL)) | (0xbbul << (8 * MT_NORMAL_WT)))

#ifdef CONFIG_KERNEL_EL2
/* EL2's regime: one privilege level, AP[1] RES1, bit 54 is XN, PXN RES0. */
#define PTE_AP1             (1ul << 6)
#define PTE_XN              (1ul << 54)
#define KERNEL_RAM_BLOCK    (PTE_BLOCK | PTE_ATTR(MT_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_AP1)
#define DEVICE_BLOCK        (PTE_BLOCK | PTE_ATTR(MT_DEVICE_nGnRnE) | PTE_AF | PTE_AP1 | PTE_XN)
#else
/* EL1 read/write, EL0 none (AP = 00), global, never executable at EL0. */
#define KERNEL_RAM_BLOCK    (PTE_BLOCK | PTE_ATTR(MT_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_UXN)
#define DEVICE_BLOCK        (PTE_BLOCK | PTE_ATTR(MT_DEVICE_nGnRnE) | PTE_AF | PTE_PXN | PTE_UXN)
#endif

/* TCR_EL1: 48-bit halves, 4 KiB granules, write-back inner-shareable walks, 16-bit ASIDs. */
#define TCR_T0SZ(bits)      ((uint64_t)(64 - (bits)) << 0)
#define TCR_T1SZ(bits)      ((uint64_t)(64 - (bits)) << 16)
#define TCR_WALK_WB_INNER0  ((1ul << 8) | (1ul << 10) | (3ul << 12))
#define TCR_WALK_WB_INNER1  ((1ul << 24) | (1ul << 26) | (3ul << 28))
#define TCR_TG0_4K          (0ul << 14)
#define TCR_TG1_4K          (2ul << 30)
#define TCR_IPS(pa_range)   ((uint64_t)(pa_range) << 32)
#define TCR_AS_16BIT        (1ul << 36)

#define SCTLR_EL1_MMU_ON    (SCTLR_EL1_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_SA0 | SCTLR_I)

typedef uint64_t pte_t;

/* Not zeroed by head.S (.noinit): only the tables taken are. */
static pte_t boot_tables[BOOT_TABLES][ENTRIES]
    __attribute__((aligned(4096), section(".noinit.boot_tables")));
static unsigned boot_tables_used;

static pte_t *new_table(void)
{
    if (boot_tables_used == BOOT_TABLES)
        fatal("boot page tables: all %u tables used (too many RAM ranges?)", BOOT_TABLES);
    pte_t *table = boot_tables[boot_tables_used++];
    memset(table, 0, sizeof(boot_tables[0]));
    return table;
}

static unsigned table_index(uint64_t va, unsigned level)
{
    return (unsigned)(va >> (39 - 9 * level)) & (ENTRIES - 1);
}

static pte_t *next_level(pte_t *table, unsigned index)
{
    if (!(table[index] & PTE_VALID))
        table[index] = (uintptr_t)new_table() | PTE_TABLE;
    return (pte_t *)(uintptr_t)(table[index] & PTE_ADDR_MASK);
}

static void map_block(pte_t *root, uint64_t va, uint64_t pa, uint64_t attributes)
{
    pte_t *l1 = next_level(root, table_index(va, 0));
    pte_t *l2 = next_level(l1, table_index(va, 1));
    l2[table_index(va, 2)] = pa | attributes;
}

/* A 1 GiB block at level 1 (va and pa GiB aligned, nothing mapped there yet). */
static void map_gib(pte_t *root, uint64_t va, uint64_t pa, uint64_t attributes)
{
    pte_t *l1 = next_level(root, table_index(va, 0));
    l1[table_index(va, 1)] = pa | attributes;
}

static bool is_mapped(const pte_t *root, uint64_t va)
{
    const pte_t *table = root;
    for (unsigned level = 0; level < 2; level++) {
        pte_t entry = table[table_index(va, level)];
        if (!(entry & PTE_VALID))
            return false;
        if (level == 1 && (entry & PTE_TABLE) == PTE_BLOCK)
            return true;
        table = (const pte_t *)(uintptr_t)(entry & PTE_ADDR_MASK);
    }
    return table[table_index(va, 2)] & PTE_VALID;
}

static bool range_is_mapped(const pte_t *root, uint64_t va, uint64_t size)
{
    for (uint64_t b = va & ~(BLOCK_SIZE - 1); b < va + size; b += BLOCK_SIZE)
        if (!is_mapped(root, b))
            return false;
    return true;
}

/* The kernel window: whole 2 MiB blocks of RAM that touch no reserved range. */
static void map_kernel_window(pte_t *root)
{
    unsigned count;
    const struct mem_range *ram = board_ram_ranges(&count);
    uint64_t mapped = 0;
    for (unsigned i = 0; i < count; i++) {
        uint64_t start = (ram[i].base + BLOCK_SIZE - 1) & ~(BLOCK_SIZE - 1);
        uint64_t end = (ram[i].base + ram[i].size) & ~(BLOCK_SIZE - 1);
        if (start != ram[i].base || end != ram[i].base + ram[i].size)
            log_warn("RAM [0x%lx, +0x%lx) is not 2 MiB aligned: its partial blocks stay unmapped",
                     ram[i].base, ram[i].size);
        for (uint64_t pa = start; pa < end;) {
            /* A whole GiB without reserved memory: one level-1 block (the
               boot time is counted in instructions). */
            if (pa % GIB_SIZE == 0 && end - pa >= GIB_SIZE && !range_hits_reserved(pa, GIB_SIZE)) {
                map_gib(root, PPTR_BASE + pa, pa, KERNEL_RAM_BLOCK);
                mapped += GIB_SIZE;
                pa += GIB_SIZE;
                continue;
            }
            if (!range_hits_reserved(pa, BLOCK_SIZE)) {
                map_block(root, PPTR_BASE + pa, pa, KERNEL_RAM_BLOCK);
                mapped += BLOCK_SIZE;
            }
            pa += BLOCK_SIZE;
        }
    }
    log_info("kernel window: 0x%lx bytes of RAM at 0x%lx + paddr", mapped, (uint64_t)PPTR_BASE);
}

static void map_loader_identity(pte_t *root)
{
    uint64_t start = loader_footprint_base() & ~(BLOCK_SIZE - 1);
    uint64_t end = loader_footprint_base() + loader_footprint_size();
    for (uint64_t pa = start; pa < end; pa += BLOCK_SIZE)
        map_block(root, pa, pa, KERNEL_RAM_BLOCK);
    uint64_t uart_block = BOARD_UART_PHYS & ~(BLOCK_SIZE - 1);
    map_block(root, uart_block, uart_block, DEVICE_BLOCK);
}

static void check_window(const pte_t *root, const struct payload_header *h, const struct dtb *dtb)
{
    uint64_t images = h->roottask_phys_end - h->kernel_phys_start;
    if (!range_is_mapped(root, PPTR_BASE + h->kernel_phys_start, images))
        fatal("kernel window does not cover the kernel and root task [0x%lx, 0x%lx)",
              h->kernel_phys_start, h->roottask_phys_end);
    if (!range_is_mapped(root, h->kernel_entry, 4))
        fatal("kernel entry 0x%lx is not mapped: is the kernel linked at PPTR_BASE + paddr?",
              h->kernel_entry);
    if (dtb->paddr && !range_is_mapped(root, PPTR_BASE + dtb->paddr, dtb->size))
        fatal("kernel window does not cover the DTB at 0x%lx", dtb->paddr);
}

/* Memory written with the caches off is the truth: drop anything cached for it. */
static void invalidate_written_ranges(const struct payload_header *h, const struct dtb *dtb)
{
    dcache_invalidate_range(loader_footprint_base(),
                            loader_footprint_base() + loader_footprint_size());
    payload_invalidate_written(h);
    if (dtb->paddr)
        dcache_invalidate_range(dtb->paddr, dtb->paddr + dtb->size);
}

/* 4 KiB: the output address size, at most 48 bits (52 need FEAT_LPA2 descriptors). */
static uint64_t pa_range(void)
{
    uint64_t range = read_sysreg(id_aa64mmfr0_el1) & 0xf;
    return range > 5 ? 5 : range;
}

#ifdef CONFIG_KERNEL_EL2
/* TCR_EL2: one 48-bit range, 4 KiB granule, write-back inner-shareable walks. */
#define TCR_EL2_RES1        ((1ul << 31) | (1ul << 23))
#define TCR_EL2_PS(range)   ((uint64_t)(range) << 16)

/* The boot core's translation set-up, for the other cores (mmu_enable_secondary):
   written before the boot core's caches are on, so they read it with theirs off. */
static pte_t *boot_root;
static uint64_t boot_tcr;

static void switch_on_el2(pte_t *root, uint64_t tcr)
{
    write_sysreg(mair_el2, MAIR_VALUE);
    write_sysreg(tcr_el2, tcr);
    write_sysreg(ttbr0_el2, (uintptr_t)root);
    isb();
    __asm__ volatile("tlbi alle2\n\tdsb sy\n\tisb" : : : "memory");
    write_sysreg(sctlr_el2, SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I);
    isb();
}

void mmu_enable_for_kernel(const struct payload_header *h, const struct dtb *dtb)
{
    pte_t *root = new_table();      /* TTBR0_EL2: the window and the loader itself */
    map_kernel_window(root);
    map_loader_identity(root);
    check_window(root, h, dtb);
    uint64_t tcr = TCR_EL2_RES1 | TCR_T0SZ(48) | TCR_WALK_WB_INNER0 | TCR_TG0_4K |
                   TCR_EL2_PS(pa_range());
    log_info("enabling the EL2 MMU: TCR_EL2 0x%lx, MAIR 0x%lx, %u page tables", tcr, MAIR_VALUE,
             boot_tables_used);
    boot_root = root;
    boot_tcr = tcr;
    invalidate_written_ranges(h, dtb);
    switch_on_el2(root, tcr);
    log_info("MMU and caches on at EL2");
}

void mmu_enable_secondary(void)
{
    switch_on_el2(boot_root, boot_tcr);
}
#else
static uint64_t tcr_value(void)
{
    uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);
    if (((mmfr0 >> 4) & 0xf) != 2)
        fatal("this CPU has no 16-bit ASIDs (ID_AA64MMFR0_EL1 0x%lx)", mmfr0);
    return TCR_T0SZ(48) | TCR_T1SZ(48) | TCR_WALK_WB_INNER0 | TCR_WALK_WB_INNER1 |
           TCR_TG0_4K | TCR_TG1_4K | TCR_IPS(pa_range()) | TCR_AS_16BIT;
}

/* The boot core's translation set-up, for the other cores (mmu_enable_secondary):
   written before the boot core's caches are on, so they read it with theirs off. */
static pte_t *boot_ttbr0, *boot_ttbr1;
static uint64_t boot_tcr;

static void switch_on(pte_t *ttbr0_root, pte_t *ttbr1_root, uint64_t tcr)
{
    write_sysreg(mair_el1, MAIR_VALUE);
    write_sysreg(tcr_el1, tcr);
    write_sysreg(ttbr0_el1, (uintptr_t)ttbr0_root);
    write_sysreg(ttbr1_el1, (uintptr_t)ttbr1_root);
    isb();
    __asm__ volatile("tlbi vmalle1\n\tdsb sy\n\tisb" : : : "memory");
    write_sysreg(sctlr_el1, SCTLR_EL1_MMU_ON);
    isb();
}

void mmu_enable_for_kernel(const struct payload_header *h, const struct dtb *dtb)
{
    pte_t *ttbr1_root = new_table();
    pte_t *ttbr0_root = new_table();
    map_kernel_window(ttbr1_root);
    map_loader_identity(ttbr0_root);
    check_window(ttbr1_root, h, dtb);
    uint64_t tcr = tcr_value();
    log_info("enabling the MMU: TCR 0x%lx, MAIR 0x%lx, %u page tables", tcr, MAIR_VALUE,
             boot_tables_used);
    boot_ttbr0 = ttbr0_root;
    boot_ttbr1 = ttbr1_root;
    boot_tcr = tcr;
    invalidate_written_ranges(h, dtb);
    switch_on(ttbr0_root, ttbr1_root, tcr);
    log_info("MMU and caches on at EL1");
}

void mmu_enable_secondary(void)
{
    switch_on(boot_ttbr0, boot_ttbr1, boot_tcr);
}
#endif
