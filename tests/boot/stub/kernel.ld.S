/*
 * Stub kernel link script (run through cpp with autoconf.h): like the real
 * kernel (linker/kernel.ld.S), linked at PPTR_BASE + KERNEL_PHYS_BASE for the
 * configured exception level and loaded (AT) at the paddr.
 */
#include <arch/vm_layout.h>

OUTPUT_FORMAT("elf64-littleaarch64")
ENTRY(_start)
SECTIONS
{
    . = PPTR_BASE + CONFIG_KERNEL_PHYS_BASE;
    .text : AT(CONFIG_KERNEL_PHYS_BASE) { KEEP(*(.text.start)) *(.text .text.*) }
    .rodata : { *(.rodata .rodata.*) }
    . = ALIGN(4096);
    .data : { *(.data .data.*) }
    .bss : { *(.bss .bss.* COMMON) }
    /DISCARD/ : { *(.comment) *(.note .note.*) *(.eh_frame*) }
}
