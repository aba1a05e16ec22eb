/* A simulated kernel for libvmm's host tests: registers and list
 * registers per vCPU, and a log of what the library asked for. */
#ifndef FAKE_ARCH_H
#define FAKE_ARCH_H

#include <stdbool.h>
#include <stdint.h>
#include <vmm/arch.h>
#include <vmm/vgic.h>

struct fake_lr {
    bool used;
    uint16_t irq;
    uint8_t priority, group;
};

struct fake_vcpu {
    struct vmm_regs regs;
    bool running, stopped;
    unsigned writes, reads, last_read_upto;
    struct fake_lr lr[VGIC_MAX_LRS];
    uint64_t sysreg[32];
    unsigned vppi_acks;
};

struct fake {
    struct fake_vcpu vcpu[8];
    unsigned num_lrs;           /* list registers the "kernel" accepts */
    unsigned irq_acks[64];      /* per channel */
    unsigned syncs;
    uint64_t counter;           /* the physical count */
    char out[8192];
    unsigned out_len;
};

extern struct fake fake;
void fake_reset(void);
/* The guest ends the interrupt in list register lr of vcpu. */
void fake_guest_eoi(unsigned vcpu, unsigned lr);
/* The list register holding irq on vcpu, or -1. */
int fake_lr_of(unsigned vcpu, unsigned irq);

#endif
