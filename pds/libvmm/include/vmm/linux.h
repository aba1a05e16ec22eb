/*
 * Booting a Linux arm64 kernel (Linux's Documentation/arch/arm64/
 * booting.rst): the uncompressed Image at a 2 MiB-aligned base plus its
 * text_offset, the initrd and the device tree elsewhere in RAM, x0 = the
 * device tree's address, MMU off, at EL1.
 *
 * Placement: the kernel at the start of guest RAM; the device tree in the
 * last 2 MiB of RAM (it must not share a 2 MiB block with anything the
 * kernel maps differently); the initrd just below it, page-aligned.
 */
#ifndef VMM_LINUX_H
#define VMM_LINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vmm/guest_fdt.h>
#include <vmm/vmm.h>

#define LINUX_IMAGE_MAGIC   0x644d5241u     /* "ARM\x64" at offset 56 */
#define LINUX_HEADER_SIZE   64
#define LINUX_DTB_MAX       0x200000        /* booting.rst: at most 2 MiB */

struct linux_image_info {
    uint64_t text_offset;       /* load offset from a 2 MiB-aligned base */
    uint64_t image_size;        /* bytes the kernel occupies, bss included */
    bool big_endian;
};

struct linux_layout {
    uint64_t kernel, kernel_end;
    uint64_t initrd, initrd_end;    /* initrd_end == initrd: none */
    uint64_t dtb;
};

/* Check an Image's header; false with *why set if it is no arm64 Image
 * this VMM can boot. */
bool linux_image_parse(const void *image, size_t size, struct linux_image_info *info,
                       const char **why);

/* Where everything goes in [ram_base, ram_base + ram_size). */
bool linux_layout(uint64_t ram_base, uint64_t ram_size, const struct linux_image_info *info,
                  size_t initrd_size, struct linux_layout *out, const char **why);

/* What the VMM boots: the images, the command line, and the machine the
 * device tree describes (a supplied tree replaces the generated one, with
 * /chosen and /memory set). */
struct vmm_linux {
    const void *kernel;
    size_t kernel_size;
    const void *initrd;
    size_t initrd_size;
    const void *dtb;            /* NULL: generate one */
    const char *cmdline;
    uint64_t gicc_base;         /* where the guest finds its CPU interface */
    uint64_t uart_base;         /* emulated PL011 (vmm_console), 0: none */
    unsigned uart_irq;
    const struct vmm_fdt_device *devices;
    unsigned device_count;
};

/* Copy the kernel and initrd into guest RAM and write the device tree;
 * false (with a message) if anything does not fit. */
bool vmm_linux_load(struct vmm_guest *g, const struct vmm_linux *linux_boot,
                    struct linux_layout *out);
/* Load, then start vCPU 0 at the kernel. */
bool vmm_linux_boot(struct vmm_guest *g, const struct vmm_linux *linux_boot);

#endif
