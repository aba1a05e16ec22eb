/*
 * The kernel's own address space (TTBR1_EL1, or TTBR0_EL2 for the EL2
 * kernel): every RAM range of the memory map at PPTR_BASE + paddr in 1 GiB
 * and 2 MiB blocks, and the kernel-only devices page by page in the device window.
 * Built once at boot in static tables.
 */
#include <arch/mmu.h>
#include <arch/pte.h>
#include <arch/sysreg.h>
#include <kernel/assert.h>
#include <object/structures.h>
#include <board.h>
#include <memory_map.h>
#include <memory_ranges.h>

#define MAX_RAM_GIB 16  /* level-2 tables for the physical window */

/* Kernel mappings: never for EL0, executable only where marked. The EL2
   regime has one privilege level: AP[1] is RES1, bit 54 is its XN. */
#ifdef CONFIG_KERNEL_EL2
#define KERNEL_PTE_BITS PTE_AP_EL0
#define KERNEL_PTE_XN   PTE_UXN
#else
#define KERNEL_PTE_BITS PTE_UXN
#define KERNEL_PTE_XN   PTE_PXN
#endif
/* The memory map is known at build time: check it fits here, not at boot. */
_Static_assert(BOARD_RAM_GIB_BOUND <= MAX_RAM_GIB, "the memory map has more RAM than the window's tables map");
_Static_assert(BOARD_RAM_ALL_BELOW(BIT(PPTR_WINDOW_BITS) - BIT(30)),
               "a RAM range of the memory map is beyond the kernel window");
#define ALIGNED_PAGE __attribute__((aligned(PAGE_SIZE)))

static page_table_t kernel_l0 ALIGNED_PAGE;
static page_table_t kernel_l1 ALIGNED_PAGE;
static page_table_t ram_l2[MAX_RAM_GIB] ALIGNED_PAGE;
static page_table_t device_l2 ALIGNED_PAGE;
static page_table_t device_l3 ALIGNED_PAGE;
/* User address space of nothing, for the idle loop (a VSpace root's size). */
static word_t empty_user_root[BIT(seL4_VSpaceIndexBits)] __attribute__((aligned(BIT(seL4_VSpaceBits))));
static unsigned ram_l2_used;

extern char kernel_image_start[], kernel_image_end[];

struct kdev_map {
    paddr_t paddr;
    unsigned pages;
};

static const struct kdev_map kernel_devices[KDEV_COUNT] = {
    [KDEV_UART] = { BOARD_UART_PHYS, 1 },
    [KDEV_GICD] = { BOARD_GICD_PHYS, 1 },
    [KDEV_GICC] = { BOARD_GICC_PHYS, 2 },
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
    [KDEV_GICH] = { BOARD_GICH_PHYS, 1 },
#endif
};

paddr_t mmu_empty_user_space(void)
{
    return paddr_from_ptr(empty_user_root);
}

static word_t table_entry(page_table_t *table)
{
    return paddr_from_ptr(table) | PTE_TABLE;
}

static bool overlaps_kernel_image(paddr_t base, word_t size)
{
    paddr_t start = paddr_from_ptr(kernel_image_start);
    paddr_t end = paddr_from_ptr(kernel_image_end);
    return base < end && start < base + size;
}

/* The level-2 table for the GiB containing window address `pptr`. */
static page_table_t *ram_table_for(word_t pptr)
{
    word_t *l1e = &kernel_l1.pte[kernel_pt_index(pptr, 1)];
    if (*l1e & PTE_VALID)
        return ptr_from_paddr(pte_address(*l1e));
    assert(ram_l2_used < MAX_RAM_GIB);     /* BOARD_RAM_GIB_BOUND */
    page_table_t *l2 = &ram_l2[ram_l2_used++];
    *l1e = table_entry(l2);
    return l2;
}

static word_t window_attrs(paddr_t p, word_t size)
{
    word_t attrs = PTE_BLOCK | PTE_ATTR(MAIR_NORMAL_WB) | PTE_SH_INNER | PTE_AF | KERNEL_PTE_BITS;
    if (!overlaps_kernel_image(p, size))
        attrs |= KERNEL_PTE_XN;     /* the kernel executes only its own image */
    return attrs;
}

/* 2 MiB blocks for [p, end), all inside one GiB of the window. */
static void map_ram_blocks(paddr_t p, paddr_t end)
{
    const word_t block = BIT(21);
    page_table_t *l2 = ram_table_for(PPTR_BASE + p);
    /* Firmware-reserved RAM (a secure monitor) is never mapped, not even
       for speculation to touch. */
    bool reserved = range_hits_reserved(p, end - p);
    for (; p < end; p += block) {
        if (reserved && range_hits_reserved(p, block))
            continue;
        l2->pte[kernel_pt_index(PPTR_BASE + p, 2)] = p | window_attrs(p, block);
    }
}

/* Whole GiBs of RAM (no reserved range, not the kernel image, which alone
   is executable) as one level-1 block each, the rest in 2 MiB blocks: the
   boot time is counted in instructions. */
static void map_ram_range(paddr_t base, word_t size)
{
    const unsigned gib_bits = 30;
    paddr_t end = base + size;
    for (paddr_t p = ROUND_DOWN(base, 21); p < end;) {
        paddr_t gib_end = ROUND_DOWN(p, gib_bits) + BIT(gib_bits);
        if (IS_ALIGNED(p, gib_bits) && gib_end <= end && !range_hits_reserved(p, BIT(gib_bits)) &&
            !overlaps_kernel_image(p, BIT(gib_bits)) &&
            !(kernel_l1.pte[kernel_pt_index(PPTR_BASE + p, 1)] & PTE_VALID)) {
            kernel_l1.pte[kernel_pt_index(PPTR_BASE + p, 1)] = p | window_attrs(p, BIT(gib_bits));
        } else {
            map_ram_blocks(p, MIN(gib_end, end));
        }
        p = gib_end;
    }
}

static void map_devices(void)
{
    kernel_l1.pte[kernel_pt_index(KDEV_BASE, 1)] = table_entry(&device_l2);
    device_l2.pte[kernel_pt_index(KDEV_BASE, 2)] = table_entry(&device_l3);
    for (unsigned d = 0; d < KDEV_COUNT; d++) {
        for (unsigned i = 0; i < kernel_devices[d].pages; i++) {
            paddr_t p = ROUND_DOWN(kernel_devices[d].paddr, PAGE_BITS) + i * PAGE_SIZE;
            unsigned slot = d * KDEV_SLOT_PAGES + i;
            device_l3.pte[slot] = p | PTE_PAGE | PTE_ATTR(MAIR_DEVICE_NGNRNE) | PTE_AF |
                                  KERNEL_PTE_BITS | KERNEL_PTE_XN;
        }
    }
}


bool mmu_is_kernel_ram(paddr_t base, word_t size)
{
    return range_in_ram(base, size) && !range_hits_reserved(base, size);
}

#ifdef CONFIG_KERNEL_EL2
/* TCR_EL2: one 48-bit range, 4 KiB granule, write-back inner-shareable walks. */
static word_t tcr_value(void)
{
    word_t pa_range = read_sysreg(id_aa64mmfr0_el1) & 0xf;
    if (pa_range > 5)
        pa_range = 5;   /* 48 bits is all 4 KiB tables address */
    return (1ull << 31) | (1ull << 23) |    /* RES1 */
           16 | (1ull << 8) | (1ull << 10) | (3ull << 12) |  /* T0SZ, WBWA walks, inner */
           (pa_range << 16);                /* PS */
}

void mmu_install_kernel_space(void)
{
    write_sysreg(mair_el2, MAIR_VALUE);
    write_sysreg(tcr_el2, tcr_value());
    write_sysreg(ttbr0_el2, paddr_from_ptr(&kernel_l0));
    isb();
    __asm__ volatile("tlbi alle2; dsb ish; isb" ::: "memory");
}
#else
static word_t tcr_value(void)
{
    word_t pa_range = read_sysreg(id_aa64mmfr0_el1) & 0xf;
    if (pa_range > 5)
        pa_range = 5;   /* 48 bits is all 4 KiB tables address */
    return 16 | (16ull << 16) |             /* T0SZ, T1SZ: 48-bit halves */
           (1ull << 8) | (1ull << 10) | (3ull << 12) |    /* TTBR0 walks: WBWA, inner */
           (1ull << 24) | (1ull << 26) | (3ull << 28) |   /* TTBR1 walks: WBWA, inner */
           (2ull << 30) |                   /* TG1 = 4 KiB (TG0 = 0 is 4 KiB) */
           (pa_range << 32) | (1ull << 36); /* IPS, AS: 16-bit ASIDs */
}

void mmu_install_kernel_space(void)
{
    write_sysreg(mair_el1, MAIR_VALUE);
    write_sysreg(tcr_el1, tcr_value());
    write_sysreg(ttbr0_el1, mmu_empty_user_space());
    write_sysreg(ttbr1_el1, paddr_from_ptr(&kernel_l0));
    isb();
    __asm__ volatile("tlbi vmalle1; dsb ish; isb" ::: "memory");
}
#endif

void mmu_init_kernel_space(void)
{
    kernel_l0.pte[kernel_pt_index(PPTR_BASE, 0)] = table_entry(&kernel_l1);
    static const struct { paddr_t base; word_t size; } ram_ranges[] = BOARD_RAM_RANGES;
    for (unsigned i = 0; i < ARRAY_SIZE(ram_ranges); i++)
        map_ram_range(ram_ranges[i].base, ram_ranges[i].size);
    map_devices();
    dsb_ishst();
    mmu_install_kernel_space();
}
