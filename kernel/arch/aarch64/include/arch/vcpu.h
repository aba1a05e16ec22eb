/*
 * Virtual CPUs (the hypervisor configuration, CONFIG_ARM_HYPERVISOR_SUPPORT).
 *
 * A VCPU object holds the guest state a thread needs beyond its registers
 * to run as a virtual machine at EL1: the EL1 system registers, the virtual
 * timer, and the interrupt controller's virtual interface (list registers
 * and control state). A VCPU is bound to at most one TCB and the other way
 * round (ARM_VCPU_SetTCB). A thread with a VCPU runs with HCR_EL2 set for a
 * guest (stage 1 under the guest's control, its WFI/SMC trapped to us);
 * threads without one run as native seL4 threads at EL0.
 *
 * Switching is lazy as in seL4: the hardware keeps the last VCPU's state
 * ("loaded") while native threads run, merely disabled ("active" false:
 * guest MMU off, virtual interface off, native HCR); running the same
 * VCPU again only re-enables it. Another VCPU first saves the loaded one.
 */
#ifndef ARCH_VCPU_H
#define ARCH_VCPU_H

#include <object/structures.h>
#include <kernel/node.h>
#include <sel4/abi.h>

#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
#include <vgic.h>

/* Per-CPU interrupts delivered to a VCPU's VMM as VPPI events. */
enum vppi {
    VPPI_VTIMER,            /* the EL1 virtual timer, PPI 11 (INTID 27) */
    VPPI_COUNT
};
#define INTID_VTIMER            27
#define INTID_VGIC_MAINTENANCE  25

typedef struct vcpu {
    tcb_t *tcb;                         /* bound thread, or NULL */
    word_t regs[seL4_VCPUReg_Num];      /* saved EL1 state (seL4_VCPUReg order) */
    struct {
        uint32_t hcr;
        uint32_t vmcr;
        uint32_t apr;
        uint32_t lr[VGIC_MAX_LIST_REGS];
    } vgic;
    bool vppi_masked[VPPI_COUNT];       /* delivered, not yet acknowledged */
#ifdef CONFIG_HARDWARE_DEBUG_API
    arch_guest_debug_state_t debug;     /* the guest's own debug registers (arch/debug.h) */
#endif
} vcpu_t;
_Static_assert(sizeof(vcpu_t) <= BIT(seL4_VCPUBits), "VCPU object too large");

/* Boot: the virtual interface's size, everything disabled. */
void vcpu_boot_init(void);
/* A new VCPU object's state (its memory is zero). */
void vcpu_init(vcpu_t *v);
/* The last cap to `v` is gone: unbind it from its thread. */
void vcpu_finalise(vcpu_t *v);
/* Bind `v` and `t`, unbinding either's old partner. */
void vcpu_bind(vcpu_t *v, tcb_t *t);
/* Unbind `v` from its thread (if any). */
void vcpu_unbind(vcpu_t *v);

/* This core's hardware state: which VCPU is loaded and whether it is enabled. */
#define vcpu_loaded (NODE->arch.vcpu)
#define vcpu_active (NODE->arch.vcpu_enabled)

/* Make the hardware run `next` (NULL: a native thread). */
void vcpu_switch_slow(vcpu_t *next);
static inline void vcpu_switch(vcpu_t *next)
{
    /* Work only for a guest not yet running, or a native thread after one. */
    if (__builtin_expect(next ? next != vcpu_loaded || !vcpu_active : vcpu_active, 0))
        vcpu_switch_slow(next);
}

/* A trap from the current thread that is neither a system call nor an
   abort (ESR `esr`): a VCPU fault to its handler, or a user exception. */
void vcpu_handle_trap(tcb_t *t, word_t esr);
/* The kernel-reserved interrupts a VCPU owns (virtual timer, maintenance):
   true if `irq` was one of them and is handled. */
bool vcpu_handle_interrupt(unsigned irq);
/* The intermediate physical address of a stage-2 fault at `far` (the guest
   virtual address, `esr` the abort's syndrome) while a VCPU runs; `far`
   itself for native threads. */
word_t vcpu_fault_address(word_t far, word_t esr);

/* Invocations on VCPU caps (vcpu_invocations.c). */
struct invocation;
seL4_Error decode_vcpu(struct invocation *inv);

/* Reading and writing a register of `v`, wherever it currently lives. */
word_t vcpu_read_register(vcpu_t *v, word_t reg);
void vcpu_write_register(vcpu_t *v, word_t reg, word_t value);
/* Queue list-register value `lr` in slot `index` of `v`. */
void vcpu_set_list_register(vcpu_t *v, unsigned index, uint32_t lr);
/* Save `v` to memory if this core has it loaded, and forget it. */
void vcpu_flush_if_loaded(vcpu_t *v);
#if CONFIG_MAX_NUM_NODES > 1
/* The same wherever `v` is loaded (kernel/src/smp.c), and queueing a list
   register on the core that holds it. */
void smp_vcpu_flush(vcpu_t *v);
void smp_vcpu_set_list_register(vcpu_t *v, unsigned index, uint32_t lr);
/* Loaded on another core: flush it there, so this core may access it. */
void smp_vcpu_make_local(vcpu_t *v);
#else
#define smp_vcpu_flush(v) vcpu_flush_if_loaded(v)
#define smp_vcpu_set_list_register(v, i, lr) vcpu_set_list_register(v, i, lr)
#define smp_vcpu_make_local(v) ((void)(v))
#endif
/* Number of list registers the virtual interface has. */
extern unsigned vgic_list_regs;

static inline vcpu_t *tcb_vcpu(const tcb_t *t)
{
    return t->arch.vcpu;
}

#else

static inline void vcpu_boot_init(void) {}
static inline bool vcpu_handle_interrupt(unsigned irq) { (void)irq; return false; }

#endif

#endif
