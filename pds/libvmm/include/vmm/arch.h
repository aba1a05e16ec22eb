/*
 * The boundary between the VMM library and the kernel. Everything in
 * libvmm that decides (fault decoding, the virtual GIC, PSCI, devices) is
 * plain C behind this interface; src/sel4_arch.c implements it with seL4
 * and libmicrokit calls, and the host tests (tests/host/vmm) with a fake
 * that records what the library asked for.
 */
#ifndef VMM_ARCH_H
#define VMM_ARCH_H

#include <stdbool.h>
#include <stdint.h>

/* A vCPU's general registers as the VMM sees them: x0..x30, sp (the
 * guest's SP_EL1/SP_EL0 as the TCB holds it), pc and spsr. */
struct vmm_regs {
    uint64_t x[31];
    uint64_t sp, pc, spsr;
};

/* How many registers a read or write needs: only up to x[n] and the frame
 * (pc, sp, spsr), so that an MMIO access costs no more than it must. */
#define VMM_REGS_ALL 31u

/* Read registers x0..x[upto-1] (and pc, sp, spsr) of a stopped vCPU. */
bool vmm_arch_read_regs(unsigned vcpu, struct vmm_regs *regs, unsigned upto);
/* Write them back (x0..x[upto-1], pc, sp, spsr); `resume` starts the vCPU. */
bool vmm_arch_write_regs(unsigned vcpu, const struct vmm_regs *regs, unsigned upto, bool resume);
/* Stop a vCPU (TCB_Suspend). */
void vmm_arch_vcpu_stop(unsigned vcpu);
/* Put virtual interrupt `irq` in list register `lr` of the vCPU's GIC
 * interface. Returns false if the kernel refused (no such list register). */
bool vmm_arch_inject(unsigned vcpu, uint16_t irq, uint8_t priority, uint8_t group, uint8_t lr);
/* Unmask the per-CPU interrupt a VPPI event delivered. */
void vmm_arch_ack_vppi(unsigned vcpu, uint32_t irq);
/* Acknowledge the physical interrupt on the VMM's channel `channel`. */
void vmm_arch_irq_ack(unsigned channel);
/* The vCPU's EL1 system registers, by seL4_VCPUReg number: those libvmm
 * uses (sel4_arch.c checks them against the kernel's header). */
#define VMM_VCPUREG_SCTLR       0
#define VMM_VCPUREG_VMPIDR_EL2  16
#define VMM_VCPUREG_CNTV_CTL    20
#define VMM_VCPUREG_CNTV_CVAL   21
#define VMM_VCPUREG_CNTVOFF     22
uint64_t vmm_arch_read_sysreg(unsigned vcpu, unsigned reg);
void vmm_arch_write_sysreg(unsigned vcpu, unsigned reg, uint64_t value);
/* Make what the VMM wrote into guest memory through its cached mapping
 * visible to a guest running with its MMU off (and to its instruction
 * fetches): clean to the point of coherency, invalidate the I-cache. */
void vmm_arch_sync_guest_memory(void *start, uint64_t size);
/* The guest's view of time: its virtual counter (CNTVCT, the physical
 * count less the vCPU's CNTVOFF) and the counter's frequency in Hz. */
uint64_t vmm_arch_guest_counter(unsigned vcpu);
uint64_t vmm_arch_counter_hz(void);
/* The VMM's own count: the physical count, which no offset changes. */
uint64_t vmm_arch_counter(void);
/* Output for the VMM's own messages ("VMM|..." lines). */
void vmm_arch_puts(const char *s);

#endif
