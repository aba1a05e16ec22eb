/*
 * Kernel link script (run through cpp with autoconf.h). The kernel runs in the
 * physical-memory window: it is linked at PPTR_BASE + CONFIG_KERNEL_PHYS_BASE
 * and loaded (AT) at CONFIG_KERNEL_PHYS_BASE.
 */
#include <arch/vm_layout.h>
#define KERNEL_VIRT (PPTR_BASE + CONFIG_KERNEL_PHYS_BASE)

OUTPUT_ARCH(aarch64)
ENTRY(_start)

PHDRS
{
    text PT_LOAD FLAGS(5);      /* R X */
    data PT_LOAD FLAGS(6);      /* R W */
}

SECTIONS
{
    . = KERNEL_VIRT;
    kernel_image_start = .;

    .text : AT(ADDR(.text) - PPTR_BASE) {
        *(.text.head)
        *(.text .text.*)
    } :text
    .rodata : AT(ADDR(.rodata) - PPTR_BASE) {
        *(.rodata .rodata.*)
    } :text
    /* Keep writable data off the code pages (TCG slows down otherwise). */
    . = ALIGN(4096);
    .data : AT(ADDR(.data) - PPTR_BASE) {
        *(.data .data.*)
    } :data
    .bss : AT(ADDR(.bss) - PPTR_BASE) {
        . = ALIGN(16);
        *(.bss .bss.*)
        *(COMMON)
    }
    . = ALIGN(4096);
    kernel_image_end = .;

    /DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
