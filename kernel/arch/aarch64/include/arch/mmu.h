/* Kernel address space: the physical-memory window and the device window. */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <kernel/types.h>

/* Kernel-only devices, one slot of pages each in the device window. */
enum kdev {
    KDEV_UART = 0,
    KDEV_GICD,
    KDEV_GICC,
    KDEV_COUNT
};

/* Build and install the kernel's own page tables (TTBR1), empty TTBR0. */
void mmu_init_kernel_space(void);
/* Virtual address of a kernel device mapped by mmu_init_kernel_space. */
uintptr_t kdev_address(enum kdev dev);
/* Physical address of the empty user address space used while idle. */
paddr_t mmu_empty_user_space(void);
/* True if [base, base + size) is inside the RAM the window maps. */
bool mmu_is_kernel_ram(paddr_t base, word_t size);

#endif
