/*
 * Kernel initialisation, entered once from head.S with the loader's
 * arguments: root-task image physical range, phys-to-virt offset, entry,
 * and an optional device tree.
 */
#include <kernel/boot.h>
#include <kernel/interrupt.h>
#include <kernel/thread.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/print.h>
#include <arch/mmu.h>
#include <arch/machine.h>
#include <timer.h>
#include <irqchip.h>
#include <board.h>
#include <version.h>

_Noreturn void init_kernel(paddr_t ui_start, paddr_t ui_end, word_t pv_offset, vaddr_t entry,
                           paddr_t dtb, word_t dtb_size);

extern char kernel_image_start[], kernel_image_end[];

static void print_banner(void)
{
    kprintf("\nKERNEL|INFO: kernel %s for %s (%s build, %s, %s, %u core%s)\n",
            KERNEL_VERSION, BOARD_NAME,
#ifdef CONFIG_DEBUG_BUILD
            "debug",
#else
            "release",
#endif
            CONFIG_OPT_LEVEL, ARCH_KERNEL_MODE_NAME, CONFIG_MAX_NUM_NODES, CONFIG_MAX_NUM_NODES == 1 ? "" : "s");
    kprintf("KERNEL|INFO: kernel image 0x%lx-0x%lx (%lu KiB)\n",
            paddr_from_ptr(kernel_image_start), paddr_from_ptr(kernel_image_end),
            (unsigned long)(kernel_image_end - kernel_image_start) / 1024);
}

_Noreturn void init_kernel(paddr_t ui_start, paddr_t ui_end, word_t pv_offset, vaddr_t entry,
                           paddr_t dtb, word_t dtb_size)
{
    /* Secondary cores wait for smp_release_secondaries(); the lock is for
       the first return to user level. */
    kernel_lock_init();
    kernel_lock_acquire();
    mmu_init_kernel_space();
    console_init();
    print_banner();
    interrupt_init();
    kprintf("KERNEL|INFO: GICv2 with %u interrupt lines, timer %lu Hz\n",
            irqchip_max_irq() + 1, (unsigned long)timer_frequency());
    arch_cpu_init();
    sched_init_node();

    region_t kernel_image = { paddr_from_ptr(kernel_image_start), paddr_from_ptr(kernel_image_end) };
    region_t user_image = { ui_start, ui_end };
    region_t dtb_region = boot_dtb_region(dtb, dtb_size, kernel_image, user_image);
    boot_memory_init(kernel_image, user_image, dtb_region);
    boot_create_root_task(user_image, pv_offset, entry, dtb_region);

    smp_release_secondaries();
    kprintf("KERNEL|INFO: booting all finished, dropping to user space\n");
    return_to_user();
}
