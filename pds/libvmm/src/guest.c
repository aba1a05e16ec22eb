/*
 * The guest and its faults (include/vmm/vmm.h): what each kind of fault
 * means and who handles it. Kernel calls go through include/vmm/arch.h.
 */
#include <vmm/arch.h>
#include <vmm/psci.h>
#include <vmm/vmm.h>

#include <format.h>
#include <stdarg.h>
#include <string.h>

/* SPSR of a CPU a boot loader hands over: EL1 with SP_EL1 (EL1h), D, A, I
 * and F masked. */
#define SPSR_EL1H_MASKED    0x3c5u
#define CNTV_CTL_ENABLE     1u
#define CNTV_CTL_IMASK      2u
/* SCTLR_EL1 with the MMU and caches off and every RES1 bit set (ARMv8.0). */
#define SCTLR_EL1_RESET     0x30d00800u
#define MPIDR_RES1          (1u << 31)

struct print_buf {
    char text[160];
    size_t len;
};

static void print_putc(char c, void *ctx)
{
    struct print_buf *b = ctx;
    if (b->len + 1 < sizeof b->text)
        b->text[b->len++] = c;
}

void vmm_printf(const struct vmm_guest *g, const char *fmt, ...)
{
    struct print_buf b = { .len = 0 };
    format(print_putc, &b, "VMM|%s: ", g->config.name ? g->config.name : "guest");
    va_list ap;
    va_start(ap, fmt);
    format_va(print_putc, &b, fmt, ap);
    va_end(ap);
    b.text[b.len] = '\0';
    vmm_arch_puts(b.text);
}

/* ------------------------------------------------------------ devices */

static uint64_t dist_read(struct vmm_guest *g, unsigned vcpu, uint64_t offset, unsigned size,
                          void *cookie)
{
    (void)cookie;
    return vgic_dist_read(&g->gic, vcpu, (uint32_t)offset, size);
}

static void dist_write(struct vmm_guest *g, unsigned vcpu, uint64_t offset, unsigned size,
                       uint64_t value, void *cookie)
{
    (void)cookie;
    vgic_dist_write(&g->gic, vcpu, (uint32_t)offset, size, (uint32_t)value);
}

/* The virtual timer stays masked by the kernel from its VPPI event until
 * the guest has ended the interrupt. */
static void vtimer_ack(unsigned vcpu, unsigned irq, void *cookie)
{
    (void)cookie;
    vmm_arch_ack_vppi(vcpu, irq);
}

static void resume_idle(struct vmm_guest *g, unsigned vcpu)
{
    if (!g->vcpu_idle[vcpu])
        return;
    g->vcpu_idle[vcpu] = false;
    g->stats.idle_wakes++;
    g->stats.idle_ticks += vmm_arch_guest_counter(vcpu) - g->idle_since[vcpu];
    /* It waits on a reply the VMM no longer holds: restart it instead. */
    vmm_arch_write_regs(vcpu, &g->idle_regs[vcpu], 0, true);
}

/* An interrupt went into a list register: an idle vCPU takes it now. */
static void kick(void *ctx, unsigned vcpu)
{
    resume_idle(ctx, vcpu);
}

void vmm_wake(struct vmm_guest *g)
{
    for (unsigned v = 0; v < g->config.num_vcpus; v++)
        resume_idle(g, v);
}

void vmm_guest_init(struct vmm_guest *g, const struct vmm_guest_config *config)
{
    memset(g, 0, sizeof *g);
    g->config = *config;
    if (g->config.num_vcpus == 0)
        g->config.num_vcpus = 1;
    if (g->config.num_vcpus > VMM_MAX_VCPUS)
        g->config.num_vcpus = VMM_MAX_VCPUS;
    vgic_init(&g->gic, g->config.num_vcpus);
    g->gic.kick = kick;
    g->gic.kick_ctx = g;
    for (unsigned v = 0; v < g->config.num_vcpus; v++)
        vgic_set_ack(&g->gic, v, VMM_VTIMER_IRQ, vtimer_ack, NULL);
    struct mmio_device dist = {
        .name = "GIC distributor", .base = config->gicd_base, .size = VGIC_DIST_SIZE,
        .read = dist_read, .write = dist_write,
    };
    vmm_mmio_register(g, &dist);
}

bool vmm_mmio_register(struct vmm_guest *g, const struct mmio_device *device)
{
    if (g->mmio_count == VMM_MAX_MMIO || device->size == 0 ||
        device->base + device->size < device->base)
        return false;
    for (unsigned i = 0; i < g->mmio_count; i++) {
        const struct mmio_device *d = &g->mmio[i];
        if (device->base < d->base + d->size && d->base < device->base + device->size)
            return false;
    }
    g->mmio[g->mmio_count++] = *device;
    return true;
}

bool vmm_on_idle(struct vmm_guest *g, void (*fn)(void *ctx), void *ctx)
{
    if (g->idle_hook_count == VMM_MAX_IDLE_HOOKS)
        return false;
    g->idle_hooks[g->idle_hook_count].fn = fn;
    g->idle_hooks[g->idle_hook_count++].ctx = ctx;
    return true;
}

static struct mmio_device *mmio_find(struct vmm_guest *g, uint64_t addr)
{
    for (unsigned i = 0; i < g->mmio_count; i++)
        if (addr >= g->mmio[i].base && addr - g->mmio[i].base < g->mmio[i].size)
            return &g->mmio[i];
    return NULL;
}

void *vmm_guest_ram(struct vmm_guest *g, uint64_t addr, uint64_t size)
{
    uint64_t base = g->config.ram_base, ram = g->config.ram_size;
    if (addr < base || size > ram || addr - base > ram - size)
        return NULL;
    return (uint8_t *)g->config.ram + (addr - base);
}

/* ------------------------------------------------------------ interrupts */

static void passthrough_ack(unsigned vcpu, unsigned irq, void *cookie)
{
    (void)vcpu;
    (void)irq;
    const struct vmm_passthrough *p = cookie;
    vmm_arch_irq_ack(p->channel);
}

bool vmm_passthrough_irq(struct vmm_guest *g, unsigned channel, unsigned irq)
{
    if (g->passthrough_count == VMM_MAX_PASSTHROUGH || irq < VGIC_NUM_PRIVATE ||
        irq >= VGIC_NUM_IRQS)
        return false;
    struct vmm_passthrough *p = &g->passthrough[g->passthrough_count++];
    p->channel = channel;
    p->irq = irq;
    return vgic_set_ack(&g->gic, 0, irq, passthrough_ack, p);
}

bool vmm_notified(struct vmm_guest *g, unsigned channel)
{
    for (unsigned i = 0; i < g->passthrough_count; i++)
        if (g->passthrough[i].channel == channel) {
            g->stats.irqs_passed++;
            vgic_raise(&g->gic, 0, g->passthrough[i].irq);
            return true;
        }
    return false;
}

/* ------------------------------------------------------------ vCPUs */

void vmm_vcpu_boot(struct vmm_guest *g, unsigned vcpu, uint64_t pc, uint64_t x0)
{
    if (vcpu >= g->config.num_vcpus)
        return;
    vmm_arch_write_sysreg(vcpu, VMM_VCPUREG_SCTLR, SCTLR_EL1_RESET);
    vmm_arch_write_sysreg(vcpu, VMM_VCPUREG_CNTV_CTL, 0);
    vmm_arch_write_sysreg(vcpu, VMM_VCPUREG_VMPIDR_EL2, MPIDR_RES1 | vcpu);
    struct vmm_regs regs;
    memset(&regs, 0, sizeof regs);
    regs.pc = pc;
    regs.x[0] = x0;
    regs.spsr = SPSR_EL1H_MASKED;
    if (vcpu == 0) {
        g->boot_pc = pc;
        g->boot_x0 = x0;
    }
    g->vcpu_on[vcpu] = true;
    g->vcpu_idle[vcpu] = false;
    vmm_arch_write_regs(vcpu, &regs, VMM_REGS_ALL, true);
}

void vmm_guest_stop(struct vmm_guest *g)
{
    for (unsigned v = 0; v < g->config.num_vcpus; v++) {
        vmm_arch_vcpu_stop(v);
        g->vcpu_on[v] = false;
        g->vcpu_idle[v] = false;
    }
}

void vmm_guest_restart(struct vmm_guest *g, void (*reload)(struct vmm_guest *g))
{
    vmm_guest_stop(g);
    vgic_reset(&g->gic);
    g->stats.resets++;
    if (reload)
        reload(g);
    vmm_vcpu_boot(g, 0, g->boot_pc, g->boot_x0);
}

/* ------------------------------------------------------------ faults */

static bool unhandled(struct vmm_guest *g, unsigned vcpu, enum vmm_event event,
                      const struct vmm_fault *f)
{
    if (g->config.on_event)
        return g->config.on_event(g, vcpu, event, f);
    if (event == VMM_EVENT_UNHANDLED_FAULT)
        vmm_printf(g, "vcpu %u: unhandled fault (label %lu) ip=0x%lx addr=0x%lx esr=0x%lx: "
                   "guest stopped\n",
                   vcpu, (unsigned long)f->label, (unsigned long)f->ip,
                   (unsigned long)f->addr, (unsigned long)f->esr);
    vmm_guest_stop(g);
    return false;
}

static bool emulate_mmio(struct vmm_guest *g, unsigned vcpu, const struct vmm_fault *f)
{
    struct mmio_access a;
    struct mmio_device *d = mmio_find(g, f->addr);
    if (f->instruction || !d || !mmio_decode(f->esr, &a))
        return unhandled(g, vcpu, VMM_EVENT_UNHANDLED_FAULT, f);
    struct vmm_regs regs;
    if (!vmm_arch_read_regs(vcpu, &regs, mmio_regs_needed(&a)))
        return unhandled(g, vcpu, VMM_EVENT_UNHANDLED_FAULT, f);
    uint64_t offset = f->addr - d->base;
    if (a.write) {
        g->stats.mmio_writes++;
        if (d->write)
            d->write(g, vcpu, offset, a.size, mmio_store_value(&regs, &a), d->cookie);
    } else {
        g->stats.mmio_reads++;
        mmio_load_result(&regs, &a, d->read ? d->read(g, vcpu, offset, a.size, d->cookie) : 0);
    }
    regs.pc += esr_instruction_length(f->esr);
    return vmm_arch_write_regs(vcpu, &regs, a.write ? 0 : mmio_regs_needed(&a), false);
}

/* Carry out a hypercall or PSCI call of `vcpu` with arguments x0..x3. Returns true
 * with *x0 set if the caller goes on (its return value), false if the
 * call stopped it (the VMM's event hook has been told). */
static bool psci_apply(struct vmm_guest *g, unsigned vcpu, const struct vmm_fault *f,
                       const uint64_t *args, uint64_t *x0, bool *resume)
{
    *resume = false;
    if (g->config.hypercall && g->config.hypercall(g, vcpu, args, x0))
        return true;
    struct psci_call call = { args[0], { args[1], args[2], args[3] } };
    struct psci_vcpus vcpus = { g->config.num_vcpus, g->vcpu_on };
    struct psci_decision d = psci_decide(&call, vcpu, &vcpus);
    switch (d.action) {
    case PSCI_ACTION_CPU_ON:
        vmm_vcpu_boot(g, d.target, d.entry, d.context);
        break;
    case PSCI_ACTION_CPU_OFF:
        g->vcpu_on[vcpu] = false;
        vmm_arch_vcpu_stop(vcpu);
        return false;
    case PSCI_ACTION_SYSTEM_OFF:
        vmm_guest_stop(g);
        *resume = unhandled(g, vcpu, VMM_EVENT_SYSTEM_OFF, f);
        return false;
    case PSCI_ACTION_SYSTEM_RESET:
        vmm_guest_stop(g);
        *resume = unhandled(g, vcpu, VMM_EVENT_SYSTEM_RESET, f);
        return false;
    case PSCI_ACTION_RETURN:
        break;
    }
    *x0 = (uint64_t)d.result;
    return true;
}

/* PSCI through SMC (pc at the SMC: step over it) or HVC trapped as a
 * VCPU fault (pc past it). */
static bool psci_call(struct vmm_guest *g, unsigned vcpu, const struct vmm_fault *f,
                      bool step)
{
    struct vmm_regs regs;
    bool resume;
    if (!vmm_arch_read_regs(vcpu, &regs, 4))
        return unhandled(g, vcpu, VMM_EVENT_UNHANDLED_FAULT, f);
    if (!psci_apply(g, vcpu, f, regs.x, &regs.x[0], &resume))
        return resume;
    if (step)
        regs.pc += esr_instruction_length(f->esr);
    return vmm_arch_write_regs(vcpu, &regs, 1, false);
}

/* Nanoseconds until the vCPU's virtual timer fires; 0 if it is due, ~0
 * if it is off or masked. */
static uint64_t timer_deadline_ns(unsigned vcpu)
{
    uint64_t ctl = vmm_arch_read_sysreg(vcpu, VMM_VCPUREG_CNTV_CTL);
    if (!(ctl & CNTV_CTL_ENABLE) || (ctl & CNTV_CTL_IMASK))
        return ~0ull;
    uint64_t cval = vmm_arch_read_sysreg(vcpu, VMM_VCPUREG_CNTV_CVAL);
    uint64_t now = vmm_arch_guest_counter(vcpu), hz = vmm_arch_counter_hz();
    if (cval <= now || hz == 0)
        return 0;
    uint64_t ticks = cval - now;
    /* ticks * 1e9 / hz without overflow for any sane distance. */
    return ticks / hz * 1000000000ull + ticks % hz * 1000000000ull / hz;
}

static uint64_t ns_to_ticks(uint64_t ns)
{
    uint64_t hz = vmm_arch_counter_hz();
    /* Rounded up: never a wake-up before the deadline. */
    return ns / 1000000000ull * hz + (ns % 1000000000ull * hz + 999999999ull) / 1000000000ull;
}

/* The VMM's one timeout for the earliest deadline of the idle vCPUs (a
 * later vCPU's deadline must not replace an earlier one's). */
static void wake_at_earliest(struct vmm_guest *g)
{
    uint64_t earliest = ~0ull;
    for (unsigned v = 0; v < g->config.num_vcpus; v++)
        if (g->vcpu_idle[v] && g->idle_until[v] < earliest)
            earliest = g->idle_until[v];
    if (earliest == ~0ull)
        return;
    uint64_t now = vmm_arch_counter(), hz = vmm_arch_counter_hz();
    uint64_t ticks = earliest > now ? earliest - now : 0;
    g->config.wake_after(g, hz ? ticks / hz * 1000000000ull + ticks % hz * 1000000000ull / hz : 0);
}

/*
 * WFI/WFE: the guest is idle. Its virtual timer only fires while it runs
 * (a VPPI event), so with a timer of its own the VMM stops the vCPU until
 * the timer's deadline or an interrupt for it (vgic's kick); without one
 * it lets the vCPU run on past the instruction, spinning through its
 * scheduling context's budget.
 */
static bool idle(struct vmm_guest *g, unsigned vcpu, const struct vmm_fault *f)
{
    g->stats.wfx++;
    for (unsigned i = 0; i < g->idle_hook_count; i++)
        g->idle_hooks[i].fn(g->idle_hooks[i].ctx);
    struct vmm_regs regs;
    if (!vmm_arch_read_regs(vcpu, &regs, 0))
        return unhandled(g, vcpu, VMM_EVENT_UNHANDLED_FAULT, f);
    regs.pc += esr_instruction_length(f->esr);
    uint64_t ns = g->config.wake_after && !vgic_vcpu_has_work(&g->gic, vcpu)
                      ? timer_deadline_ns(vcpu)
                      : 0;
    if (ns == 0)
        return vmm_arch_write_regs(vcpu, &regs, 0, false);
    g->idle_regs[vcpu] = regs;
    g->idle_since[vcpu] = vmm_arch_guest_counter(vcpu);
    g->idle_until[vcpu] = ns == ~0ull ? ~0ull : vmm_arch_counter() + ns_to_ticks(ns);
    g->vcpu_idle[vcpu] = true;
    g->stats.idle_waits++;
    if (ns != ~0ull)
        wake_at_earliest(g);
    return false;
}

static bool vcpu_fault(struct vmm_guest *g, unsigned vcpu, const struct vmm_fault *f)
{
    switch (esr_class(f->esr)) {
    case ESR_EC_SMC64:
        g->stats.smc_calls++;
        return psci_call(g, vcpu, f, true);
    case ESR_EC_HVC64:
        g->stats.hvc_calls++;
        return psci_call(g, vcpu, f, false);
    case ESR_EC_WFX:
        return idle(g, vcpu, f);
    default:
        return unhandled(g, vcpu, VMM_EVENT_UNHANDLED_FAULT, f);
    }
}

/* An HVC as seL4 delivers it (an unknown system call): the registers come
 * in the message and go back in the reply, the pc moved past the HVC. */
static bool hvc_call(struct vmm_guest *g, unsigned vcpu, struct vmm_fault *f)
{
    g->stats.hvc_calls++;
    bool resume;
    if (!psci_apply(g, vcpu, f, f->regs.x, &f->regs.x[0], &resume))
        return resume;
    f->regs.pc += 4;
    f->reply_regs = true;
    return true;
}

bool vmm_handle_fault(struct vmm_guest *g, unsigned vcpu, struct vmm_fault *f)
{
    g->stats.faults++;
    if (vcpu >= g->config.num_vcpus)
        return unhandled(g, 0, VMM_EVENT_UNHANDLED_FAULT, f);
    switch (f->kind) {
    case VMM_FAULT_VM:
        g->stats.vm_faults++;
        return emulate_mmio(g, vcpu, f);
    case VMM_FAULT_VCPU:
        g->stats.vcpu_faults++;
        return vcpu_fault(g, vcpu, f);
    case VMM_FAULT_VPPI:
        g->stats.vppi_events++;
        vgic_raise(&g->gic, vcpu, (unsigned)f->irq);
        return true;
    case VMM_FAULT_VGIC_MAINTENANCE:
        g->stats.maintenance++;
        vgic_maintenance(&g->gic, vcpu, f->lr);
        return true;
    case VMM_FAULT_HVC:
        return hvc_call(g, vcpu, f);
    case VMM_FAULT_OTHER:
        break;
    }
    return unhandled(g, vcpu, VMM_EVENT_UNHANDLED_FAULT, f);
}
