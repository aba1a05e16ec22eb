/*
 * The guest's device tree, written with libfdt: either generated for the
 * machine libvmm emulates (memory, vCPUs with PSCI over SMC, the GICv2,
 * the architected timer, an emulated PL011, passed-through devices), or
 * a device tree the product supplies, with /chosen and /memory set for
 * this boot. Bindings: Linux's Documentation/devicetree/bindings
 * (arm/cpus, arm/psci, interrupt-controller/arm,gic, timer/arm,arch_timer,
 * serial/pl011, chosen).
 */
#ifndef VMM_GUEST_FDT_H
#define VMM_GUEST_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMM_FDT_MAX_SIZE    0x10000     /* what the VMM reserves for a generated tree */

/* A device given to the guest: its registers mapped at `base` by the
 * system description, its interrupt passed through (vmm_passthrough_irq). */
struct vmm_fdt_device {
    const char *node;           /* node name without the unit address, "serial" */
    const char *compatible;     /* one or more strings, each NUL-terminated ... */
    size_t compatible_len;      /* ... and this many bytes in all */
    uint64_t base, size;
    int irq;                    /* interrupt id (32 and up), or -1 */
    bool edge;
};

struct vmm_fdt_config {
    uint64_t ram_base, ram_size;
    unsigned num_vcpus;
    uint64_t gicd_base, gicc_base;
    uint64_t uart_base;         /* the emulated PL011; 0: none */
    unsigned uart_irq;          /* its interrupt id */
    const char *bootargs;
    uint64_t initrd_start, initrd_end;  /* end 0: no initrd */
    const struct vmm_fdt_device *devices;
    unsigned device_count;
};

/* Write the tree into buf (size bytes); 0, or a negative libfdt error. */
int vmm_fdt_build(void *buf, size_t size, const struct vmm_fdt_config *config);

/* A supplied tree `dtb`, copied into buf with /chosen's bootargs and
 * initrd and /memory's reg set from config; 0 or a negative libfdt error. */
int vmm_fdt_adapt(const void *dtb, void *buf, size_t size, const struct vmm_fdt_config *config);

#endif
