/*
 * Where the kernel sees memory (docs/architecture.md, "Physical and virtual
 * layout"). The one definition, used by the kernel, its link script
 * (linker/kernel.ld.S) and the loader, which maps the window before the
 * kernel runs. Plain numbers: the link script includes this file too.
 *
 * EL1 kernel: the upper half (TTBR1_EL1). EL2 kernel (hypervisor): EL2 has
 * a single translation range (TTBR0_EL2), so the window sits low, above
 * anything the loader identity-maps.
 */
#ifndef ARCH_VM_LAYOUT_H
#define ARCH_VM_LAYOUT_H

/* Physical address p is mapped at PPTR_BASE + p (2^39 bytes of window). */
#ifdef CONFIG_KERNEL_EL2
#define PPTR_BASE       0x0000008000000000
/* Kernel-only devices (UART, GIC) are mapped page by page from here. */
#define KDEV_BASE       0x000000fff0000000
#else
#define PPTR_BASE       0xffffff8000000000
#define KDEV_BASE       0xfffffffff0000000
#endif
#define PPTR_WINDOW_BITS 39

#endif
