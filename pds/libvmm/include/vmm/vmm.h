/*
 * libvmm: what a VMM protection domain links to run a guest (docs/vmm.md).
 *
 * A VMM is an ordinary PD with a <virtual_machine> in its system
 * description. The library keeps the guest's state (struct vmm_guest) and
 * turns the guest's faults, which reach the PD's fault() with the vCPU id
 * as the child, into emulation: the virtual GIC distributor and other
 * emulated devices (stage-2 faults on their addresses), PSCI (SMC), the
 * virtual timer (VPPI events), the end of interrupts (VGIC maintenance).
 * The PD keeps its own control flow: it calls the library from init(),
 * fault() and notified(), and decides what happens when the guest stops,
 * resets or faults in a way nothing emulates.
 *
 *     void init(void) {
 *         vmm_guest_init(&guest, &config);
 *         vmm_linux_boot(&guest, &linux_images);      // linux.h
 *     }
 *     seL4_Bool fault(microkit_child vcpu, microkit_msginfo msg, microkit_msginfo *reply) {
 *         return vmm_fault(&guest, vcpu, msg, reply);  // sel4_arch.c
 *     }
 *     void notified(microkit_channel ch) { vmm_notified(&guest, ch); }
 */
#ifndef VMM_VMM_H
#define VMM_VMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vmm/arch.h>
#include <vmm/mmio.h>
#include <vmm/vgic.h>

#define VMM_MAX_VCPUS           VGIC_MAX_VCPUS
#define VMM_MAX_MMIO            16
#define VMM_MAX_PASSTHROUGH     16
#define VMM_VTIMER_IRQ          27      /* the EL1 virtual timer's PPI */
#define VMM_MAX_IDLE_HOOKS      4

/* A fault of a vCPU, decoded from the kernel's message. */
enum vmm_fault_kind {
    VMM_FAULT_VM,               /* stage-2 fault: addr is guest-physical */
    VMM_FAULT_VCPU,             /* trapped instruction: esr says which */
    VMM_FAULT_VPPI,             /* per-CPU interrupt `irq` (the vtimer) */
    VMM_FAULT_VGIC_MAINTENANCE, /* list register `lr` (-1: unknown) is free */
    VMM_FAULT_HVC,              /* HVC, which seL4 takes as a system call: an
                                   unknown one arrives with x0-x7, pc (at the
                                   HVC), sp, x30 and spsr in `regs` */
    VMM_FAULT_OTHER,            /* anything else: `label` */
};

struct vmm_fault {
    enum vmm_fault_kind kind;
    uint64_t label;             /* the seL4 fault label */
    uint64_t ip, addr, esr;
    bool instruction;           /* VM fault on an instruction fetch */
    uint64_t irq;
    int64_t lr;
    struct vmm_regs regs;       /* VMM_FAULT_HVC: the registers ... */
    bool reply_regs;            /* ... and set: the reply carries them back */
};

/* What happened to the guest, for the VMM's policy hooks. */
enum vmm_event {
    VMM_EVENT_SYSTEM_OFF,       /* PSCI SYSTEM_OFF: the guest is done */
    VMM_EVENT_SYSTEM_RESET,     /* PSCI SYSTEM_RESET: it asks to be restarted */
    VMM_EVENT_UNHANDLED_FAULT,  /* a fault nothing emulates: the vCPU is stopped */
};

struct vmm_guest;
/* Return true to resume the vCPU (a fault only: the hook fixed it). */
typedef bool (*vmm_event_fn)(struct vmm_guest *g, unsigned vcpu, enum vmm_event event,
                             const struct vmm_fault *fault);

struct vmm_guest_config {
    const char *name;           /* for messages */
    unsigned num_vcpus;
    uint64_t ram_base;          /* guest-physical */
    uint64_t ram_size;
    void *ram;                  /* the same memory, mapped into the VMM */
    uint64_t gicd_base;         /* where the guest finds its distributor */
    vmm_event_fn on_event;      /* NULL: report, and stop the guest */
    /* Ask to be woken (vmm_wake) after `ns` nanoseconds: the VMM's timer.
     * With it, a vCPU that idles (WFI/WFE) stops until an interrupt comes
     * for it or its virtual timer's deadline passes, and takes no CPU
     * time meanwhile; without it (NULL), it runs on past the WFI and
     * spins through its scheduling context's budget. One timeout serves
     * every vCPU: each call asks for the earliest deadline of the idle
     * ones, replacing the one asked for before. */
    void (*wake_after)(struct vmm_guest *g, uint64_t ns);
    /* The VMM's own hypercalls (SMC or HVC) beside PSCI: given x0..x3,
     * return true with *x0 set if it is one (x0 returns to the guest);
     * false hands the call to PSCI. NULL: PSCI only. */
    bool (*hypercall)(struct vmm_guest *g, unsigned vcpu, const uint64_t *args, uint64_t *x0);
};

struct vmm_passthrough {
    unsigned channel;           /* the VMM's channel the interrupt arrives on */
    unsigned irq;               /* interrupt id the guest sees */
};

struct vmm_stats {
    uint64_t faults, vm_faults, vcpu_faults, vppi_events, maintenance;
    uint64_t mmio_reads, mmio_writes, smc_calls, hvc_calls, wfx, irqs_passed;
    uint64_t idle_waits, idle_wakes;
    uint64_t idle_ticks;        /* counter ticks vCPUs spent stopped in WFI */
    uint64_t resets;
};

struct vmm_guest {
    struct vmm_guest_config config;
    struct vgic gic;
    struct mmio_device mmio[VMM_MAX_MMIO];
    unsigned mmio_count;
    struct vmm_passthrough passthrough[VMM_MAX_PASSTHROUGH];
    unsigned passthrough_count;
    bool vcpu_on[VMM_MAX_VCPUS];
    bool vcpu_idle[VMM_MAX_VCPUS];      /* stopped in WFI ... */
    struct vmm_regs idle_regs[VMM_MAX_VCPUS];   /* ... to resume with these (pc past it) */
    uint64_t idle_since[VMM_MAX_VCPUS];         /* ... since this guest counter value */
    uint64_t idle_until[VMM_MAX_VCPUS];         /* ... until this VMM counter value (~0: an
                                                   interrupt's kick only) */
    struct {
        void (*fn)(void *ctx);
        void *ctx;
    } idle_hooks[VMM_MAX_IDLE_HOOKS];
    unsigned idle_hook_count;
    uint64_t boot_pc, boot_x0;  /* how vCPU 0 was last booted */
    struct vmm_stats stats;
};

void vmm_guest_init(struct vmm_guest *g, const struct vmm_guest_config *config);

/* An emulated device; false if the table is full or it overlaps another. */
bool vmm_mmio_register(struct vmm_guest *g, const struct mmio_device *device);

/* Run fn(ctx) whenever a vCPU idles (WFI/WFE): a device model's moment to
 * finish what the guest's last burst of accesses began (the console writes
 * out a prompt that has no newline). False if the table is full. */
bool vmm_on_idle(struct vmm_guest *g, void (*fn)(void *ctx), void *ctx);

/* A device interrupt passed through: what arrives on `channel` becomes
 * interrupt `irq` of the guest, and the guest's end of it acknowledges the
 * physical one. False if the table is full or `irq` is no guest interrupt. */
bool vmm_passthrough_irq(struct vmm_guest *g, unsigned channel, unsigned irq);
/* From notified(): true if `channel` was a passed-through interrupt. */
bool vmm_notified(struct vmm_guest *g, unsigned channel);

/* Start vCPU `vcpu` at guest address `pc` with x0 = `x0`, in EL1 with
 * interrupts masked and the MMU off, as a boot loader leaves a CPU. */
void vmm_vcpu_boot(struct vmm_guest *g, unsigned vcpu, uint64_t pc, uint64_t x0);
/* The VMM's timer expired (see wake_after): idle vCPUs whose virtual
 * timer is due, or that have an interrupt to take, run again. */
void vmm_wake(struct vmm_guest *g);

/* Stop every vCPU. */
void vmm_guest_stop(struct vmm_guest *g);
/* Stop the guest, forget its interrupt state and boot vCPU 0 again as it
 * was last booted; the caller reloads the guest's memory in between when
 * `reload` is given. */
void vmm_guest_restart(struct vmm_guest *g, void (*reload)(struct vmm_guest *g));

/* A fault of vCPU `vcpu`: true if the vCPU is to be resumed (the fault
 * answered; with fault->reply_regs, the reply sets fault->regs), false if
 * it stays stopped. */
bool vmm_handle_fault(struct vmm_guest *g, unsigned vcpu, struct vmm_fault *fault);

/* Guest-physical [addr, addr + size) as a VMM pointer into guest RAM, or
 * NULL if it is not all RAM. */
void *vmm_guest_ram(struct vmm_guest *g, uint64_t addr, uint64_t size);

/* "VMM|<guest>: ..." on the VMM's output. */
void vmm_printf(const struct vmm_guest *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
