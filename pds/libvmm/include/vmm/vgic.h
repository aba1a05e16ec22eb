/*
 * The guest's GICv2: a distributor emulated here, through the stage-2
 * faults of the guest's accesses to it, and the real CPU interface's
 * virtual side (GICV), which the system description maps into the guest
 * where the guest expects its GICC. The distributor decides which
 * interrupts are pending, enabled and where they go; delivering one means
 * putting it into a list register of its vCPU (vmm_arch_inject). When the
 * guest ends an interrupt, the kernel reports the list register it used (a
 * VGICMaintenance fault): the interrupt's acknowledge hook runs (unmask
 * the virtual timer, acknowledge a passed-through device interrupt) and
 * the list register takes the next waiting interrupt.
 *
 * Register layout and reset values: Arm's GICv2 architecture
 * specification (IHI 0048B), chapter 4.
 */
#ifndef VMM_VGIC_H
#define VMM_VGIC_H

#include <stdbool.h>
#include <stdint.h>

#define VGIC_NUM_IRQS       256     /* interrupt ids the guest sees (SGI, PPI, SPI) */
#define VGIC_NUM_PRIVATE    32      /* SGIs 0-15 and PPIs 16-31, banked per vCPU */
#define VGIC_NUM_SGIS       16
#define VGIC_MAX_VCPUS      8       /* GICv2: eight CPU interfaces */
#define VGIC_MAX_LRS        64      /* list registers the architecture allows */
#define VGIC_DEFAULT_LRS    4       /* what GIC-400 and QEMU implement */
#define VGIC_DIST_SIZE      0x1000

/* Called when the guest has ended interrupt `irq` (or, for the vtimer,
 * when it should be unmasked again); `cookie` as registered. */
typedef void (*vgic_ack_fn)(unsigned vcpu, unsigned irq, void *cookie);

struct vgic_irq {
    bool enabled, pending, edge;
    bool in_lr;                     /* in a list register: the guest owns it now */
    uint8_t group, priority, targets;
    vgic_ack_fn ack;
    void *cookie;
};

struct vgic_cpu {
    struct vgic_irq private_irqs[VGIC_NUM_PRIVATE];
    uint16_t lr_irq[VGIC_MAX_LRS];  /* interrupt in each list register */
    bool lr_used[VGIC_MAX_LRS];
    uint8_t sgi_pending_sources[VGIC_NUM_SGIS];
};

struct vgic {
    /* Called after an interrupt went into a list register of `vcpu`: a
     * vCPU idling in WFI must wake for it. NULL: nobody to tell. */
    void (*kick)(void *ctx, unsigned vcpu);
    void *kick_ctx;
    unsigned num_vcpus;
    unsigned num_lrs;
    uint32_t ctlr;
    struct vgic_cpu cpu[VGIC_MAX_VCPUS];
    struct vgic_irq shared_irqs[VGIC_NUM_IRQS - VGIC_NUM_PRIVATE];
    /* Counters for the tests and the VMM's report. */
    uint64_t injected, maintenance, lost_maintenance, dist_reads, dist_writes;
};

void vgic_init(struct vgic *gic, unsigned num_vcpus);

/* The guest's access to distributor offset `offset` (size 1, 2 or 4
 * bytes), by vCPU `vcpu`. Unknown registers read as zero and ignore
 * writes, as the architecture reserves them. */
uint32_t vgic_dist_read(struct vgic *gic, unsigned vcpu, uint32_t offset, unsigned size);
void vgic_dist_write(struct vgic *gic, unsigned vcpu, uint32_t offset, unsigned size,
                     uint32_t value);

/* A device (or the VMM) raises interrupt `irq`; for a private one (< 32),
 * on `vcpu`'s interface. Delivered now if the guest enabled it and a list
 * register is free, else when that changes. False if `irq` is no
 * interrupt id of this GIC. */
bool vgic_raise(struct vgic *gic, unsigned vcpu, unsigned irq);
/* A level-triggered source went quiet before delivery. */
void vgic_lower(struct vgic *gic, unsigned vcpu, unsigned irq);

/* Hook run when the guest ends `irq` (per vCPU for private ones). */
bool vgic_set_ack(struct vgic *gic, unsigned vcpu, unsigned irq, vgic_ack_fn ack, void *cookie);

/* The kernel's VGICMaintenance fault: list register `lr` is free again
 * (lr < 0: the kernel could not tell which). */
void vgic_maintenance(struct vgic *gic, unsigned vcpu, int64_t lr);

/* Does `vcpu` have an interrupt to take (in a list register, or waiting
 * for one)? A WFI then returns at once. */
bool vgic_vcpu_has_work(const struct vgic *gic, unsigned vcpu);

/* Forget the guest's configuration (a restarted guest): every interrupt
 * disabled, idle, list registers free. Acknowledge hooks stay. */
void vgic_reset(struct vgic *gic);

/* Guest-visible state, for tests and reports. */
const struct vgic_irq *vgic_irq_state(const struct vgic *gic, unsigned vcpu, unsigned irq);

#endif
