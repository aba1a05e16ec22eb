/*
 * The virtual GICv2 distributor (include/vmm/vgic.h). State is kept per
 * interrupt; the registers are views of it. Private interrupts (0-31) are
 * banked per vCPU, shared ones (32 and up) exist once.
 *
 * Delivery: an interrupt that is pending, enabled, in an enabled group of
 * an enabled distributor and not already in a list register goes into a
 * free list register of its vCPU (a shared one: of the lowest-numbered
 * vCPU its ITARGETSR names). From then on the guest's CPU interface owns
 * it; it comes back through vgic_maintenance() when the guest ends it.
 */
#include <vmm/arch.h>
#include <vmm/vgic.h>

#include <string.h>

/* Register offsets (GICv2, IHI 0048B table 4-1). */
#define GICD_CTLR           0x000
#define GICD_TYPER          0x004
#define GICD_IIDR           0x008
#define GICD_IGROUPR        0x080
#define GICD_ISENABLER      0x100
#define GICD_ICENABLER      0x180
#define GICD_ISPENDR        0x200
#define GICD_ICPENDR        0x280
#define GICD_ISACTIVER      0x300
#define GICD_ICACTIVER      0x380
#define GICD_IPRIORITYR     0x400
#define GICD_ITARGETSR      0x800
#define GICD_ICFGR          0xc00
#define GICD_SGIR           0xf00
#define GICD_CPENDSGIR      0xf10
#define GICD_SPENDSGIR      0xf20
#define GICD_PIDR2          0xfe8

#define BIT_REGS_SIZE       (VGIC_NUM_IRQS / 8)     /* one bit per interrupt */
#define BYTE_REGS_SIZE      VGIC_NUM_IRQS           /* one byte per interrupt */
#define CFG_REGS_SIZE       (VGIC_NUM_IRQS / 4)     /* two bits per interrupt */

#define CTLR_ENABLE_MASK    0x3u    /* group 0 and group 1 (one security state) */
/* Implementer Arm (0x43b), as GIC-400 reports it. */
#define IIDR_VALUE          0x0200143bu
#define PIDR2_ARCH_GICV2    0x20u

#define SGIR_FILTER_SHIFT   24
#define SGIR_TARGETS_SHIFT  16
#define SGIR_FILTER_LIST    0
#define SGIR_FILTER_OTHERS  1
#define SGIR_FILTER_SELF    2

static struct vgic_irq *irq_of(struct vgic *gic, unsigned vcpu, unsigned irq)
{
    if (irq < VGIC_NUM_PRIVATE)
        return vcpu < gic->num_vcpus ? &gic->cpu[vcpu].private_irqs[irq] : NULL;
    return irq < VGIC_NUM_IRQS ? &gic->shared_irqs[irq - VGIC_NUM_PRIVATE] : NULL;
}

const struct vgic_irq *vgic_irq_state(const struct vgic *gic, unsigned vcpu, unsigned irq)
{
    return irq_of((struct vgic *)gic, vcpu, irq);
}

/* The vCPU a shared interrupt goes to: the lowest its targets name. */
static unsigned target_vcpu(const struct vgic *gic, const struct vgic_irq *s)
{
    for (unsigned v = 0; v < gic->num_vcpus; v++)
        if (s->targets & (1u << v))
            return v;
    return 0;
}

static bool group_enabled(const struct vgic *gic, const struct vgic_irq *s)
{
    return gic->ctlr & (1u << s->group);
}

static bool deliverable(const struct vgic *gic, const struct vgic_irq *s)
{
    return s->pending && s->enabled && !s->in_lr && group_enabled(gic, s);
}

static int free_lr(struct vgic_cpu *cpu, unsigned num_lrs)
{
    for (unsigned lr = 0; lr < num_lrs; lr++)
        if (!cpu->lr_used[lr])
            return (int)lr;
    return -1;
}

/* Put `irq` into a list register of `vcpu` if it can go now. */
static void try_deliver(struct vgic *gic, unsigned vcpu, unsigned irq)
{
    struct vgic_irq *s = irq_of(gic, vcpu, irq);
    if (!s || !deliverable(gic, s))
        return;
    if (irq >= VGIC_NUM_PRIVATE)
        vcpu = target_vcpu(gic, s);
    struct vgic_cpu *cpu = &gic->cpu[vcpu];
    for (;;) {
        int lr = free_lr(cpu, gic->num_lrs);
        if (lr < 0)
            return;             /* waits for a maintenance fault */
        /* The list register has 5 priority bits: the top ones. */
        if (vmm_arch_inject(vcpu, (uint16_t)irq, s->priority >> 3, s->group, (uint8_t)lr)) {
            cpu->lr_used[lr] = true;
            cpu->lr_irq[lr] = (uint16_t)irq;
            s->in_lr = true;
            s->pending = false;
            if (irq < VGIC_NUM_SGIS)
                cpu->sgi_pending_sources[irq] = 0;
            gic->injected++;
            if (gic->kick)
                gic->kick(gic->kick_ctx, vcpu);
            return;
        }
        /* The kernel refused this list register (it has fewer, or the
         * guest still holds an interrupt there): never use it again. */
        if ((unsigned)lr + 1 == gic->num_lrs) {
            gic->num_lrs = (unsigned)lr;
        } else {
            cpu->lr_used[lr] = true;
            cpu->lr_irq[lr] = VGIC_NUM_IRQS;
        }
    }
}

/* Deliver whatever waits on `vcpu`, lowest interrupt id first. */
static void deliver_waiting(struct vgic *gic, unsigned vcpu)
{
    for (unsigned irq = 0; irq < VGIC_NUM_PRIVATE; irq++)
        try_deliver(gic, vcpu, irq);
    for (unsigned irq = VGIC_NUM_PRIVATE; irq < VGIC_NUM_IRQS; irq++) {
        const struct vgic_irq *s = irq_of(gic, vcpu, irq);
        if (deliverable(gic, s) && target_vcpu(gic, s) == vcpu)
            try_deliver(gic, vcpu, irq);
    }
}

static void deliver_all(struct vgic *gic)
{
    for (unsigned v = 0; v < gic->num_vcpus; v++)
        deliver_waiting(gic, v);
}

static void reset_irq(struct vgic_irq *s, unsigned irq, unsigned vcpu)
{
    vgic_ack_fn ack = s->ack;
    void *cookie = s->cookie;
    memset(s, 0, sizeof *s);
    s->ack = ack;
    s->cookie = cookie;
    /* SGIs are edge-triggered; PPIs and SPIs reset to level. */
    s->edge = irq < VGIC_NUM_SGIS;
    s->targets = irq < VGIC_NUM_PRIVATE ? (uint8_t)(1u << vcpu) : 0;
}

bool vgic_vcpu_has_work(const struct vgic *gic, unsigned vcpu)
{
    if (vcpu >= gic->num_vcpus)
        return false;
    const struct vgic_cpu *cpu = &gic->cpu[vcpu];
    for (unsigned lr = 0; lr < gic->num_lrs; lr++)
        if (cpu->lr_used[lr] && cpu->lr_irq[lr] < VGIC_NUM_IRQS)
            return true;
    for (unsigned irq = 0; irq < VGIC_NUM_IRQS; irq++) {
        const struct vgic_irq *s = irq_of((struct vgic *)gic, vcpu, irq);
        if (deliverable(gic, s) && (irq < VGIC_NUM_PRIVATE || target_vcpu(gic, s) == vcpu))
            return true;
    }
    return false;
}

void vgic_init(struct vgic *gic, unsigned num_vcpus)
{
    memset(gic, 0, sizeof *gic);
    gic->num_vcpus = num_vcpus > VGIC_MAX_VCPUS ? VGIC_MAX_VCPUS : num_vcpus;
    gic->num_lrs = VGIC_DEFAULT_LRS;
    vgic_reset(gic);
}

void vgic_reset(struct vgic *gic)
{
    gic->ctlr = 0;
    for (unsigned v = 0; v < gic->num_vcpus; v++) {
        struct vgic_cpu *cpu = &gic->cpu[v];
        /* An interrupt the old guest never ended must not stay masked:
         * run its acknowledge hook as if it had. */
        for (unsigned lr = 0; lr < gic->num_lrs; lr++) {
            unsigned irq = cpu->lr_irq[lr];
            struct vgic_irq *s = cpu->lr_used[lr] ? irq_of(gic, v, irq) : NULL;
            if (s && s->ack)
                s->ack(v, irq, s->cookie);
            cpu->lr_used[lr] = false;
        }
        for (unsigned irq = 0; irq < VGIC_NUM_PRIVATE; irq++)
            reset_irq(&cpu->private_irqs[irq], irq, v);
        memset(cpu->sgi_pending_sources, 0, sizeof cpu->sgi_pending_sources);
    }
    for (unsigned irq = VGIC_NUM_PRIVATE; irq < VGIC_NUM_IRQS; irq++)
        reset_irq(&gic->shared_irqs[irq - VGIC_NUM_PRIVATE], irq, 0);
}

bool vgic_set_ack(struct vgic *gic, unsigned vcpu, unsigned irq, vgic_ack_fn ack, void *cookie)
{
    struct vgic_irq *s = irq_of(gic, vcpu, irq);
    if (!s)
        return false;
    s->ack = ack;
    s->cookie = cookie;
    return true;
}

bool vgic_raise(struct vgic *gic, unsigned vcpu, unsigned irq)
{
    struct vgic_irq *s = irq_of(gic, vcpu, irq);
    if (!s)
        return false;
    s->pending = true;
    try_deliver(gic, vcpu, irq);
    return true;
}

void vgic_lower(struct vgic *gic, unsigned vcpu, unsigned irq)
{
    struct vgic_irq *s = irq_of(gic, vcpu, irq);
    if (s && !s->edge)
        s->pending = false;
}

void vgic_maintenance(struct vgic *gic, unsigned vcpu, int64_t lr)
{
    gic->maintenance++;
    if (vcpu >= gic->num_vcpus)
        return;
    struct vgic_cpu *cpu = &gic->cpu[vcpu];
    if (lr < 0 || (uint64_t)lr >= gic->num_lrs || !cpu->lr_used[lr]) {
        gic->lost_maintenance++;
        return;
    }
    unsigned irq = cpu->lr_irq[lr];
    cpu->lr_used[lr] = false;
    struct vgic_irq *s = irq_of(gic, vcpu, irq);
    if (s) {
        s->in_lr = false;
        if (s->ack)
            s->ack(vcpu, irq, s->cookie);
    }
    deliver_waiting(gic, vcpu);
}

/* ---------------------------------------------------------------- registers */

/* Interrupt `first + i` for bit or byte i of a banked register. */
static struct vgic_irq *reg_irq(struct vgic *gic, unsigned vcpu, unsigned irq)
{
    return irq_of(gic, vcpu, irq);
}

enum bit_field { FIELD_GROUP, FIELD_ENABLE, FIELD_PENDING, FIELD_ACTIVE };

static bool get_bit(const struct vgic_irq *s, enum bit_field f)
{
    switch (f) {
    case FIELD_GROUP:
        return s->group;
    case FIELD_ENABLE:
        return s->enabled;
    case FIELD_PENDING:
        return s->pending;
    case FIELD_ACTIVE:
        return s->in_lr;
    }
    return false;
}

static uint32_t read_bits(struct vgic *gic, unsigned vcpu, unsigned first, enum bit_field f)
{
    uint32_t value = 0;
    for (unsigned i = 0; i < 32; i++) {
        const struct vgic_irq *s = reg_irq(gic, vcpu, first + i);
        if (s && get_bit(s, f))
            value |= 1u << i;
    }
    return value;
}

/* Set (set=true) or clear the bits of `value`; for the group register,
 * write them as they are. */
static void write_bits(struct vgic *gic, unsigned vcpu, unsigned first, enum bit_field f,
                       uint32_t value, bool set, bool assign)
{
    for (unsigned i = 0; i < 32; i++) {
        struct vgic_irq *s = reg_irq(gic, vcpu, first + i);
        bool bit = (value >> i) & 1;
        if (!s || (!assign && !bit))
            continue;
        switch (f) {
        case FIELD_GROUP:
            s->group = bit;
            break;
        case FIELD_ENABLE:
            s->enabled = set;
            break;
        case FIELD_PENDING:
            /* SGIs are made pending through GICD_SGIR only. */
            if (first + i >= VGIC_NUM_SGIS)
                s->pending = set;
            break;
        case FIELD_ACTIVE:
            /* The active state lives in the list registers, where the
             * guest's CPU interface changes it. */
            break;
        }
    }
}

static uint32_t read_bytes(struct vgic *gic, unsigned vcpu, unsigned first, unsigned size,
                           bool targets)
{
    uint32_t value = 0;
    for (unsigned i = 0; i < size; i++) {
        const struct vgic_irq *s = reg_irq(gic, vcpu, first + i);
        if (!s)
            continue;
        uint8_t byte = targets ? s->targets : s->priority;
        value |= (uint32_t)byte << (8 * i);
    }
    return value;
}

static void write_bytes(struct vgic *gic, unsigned vcpu, unsigned first, unsigned size,
                        uint32_t value, bool targets)
{
    for (unsigned i = 0; i < size; i++) {
        struct vgic_irq *s = reg_irq(gic, vcpu, first + i);
        uint8_t byte = (uint8_t)(value >> (8 * i));
        if (!s)
            continue;
        if (!targets) {
            s->priority = byte;
        } else if (first + i >= VGIC_NUM_PRIVATE) {
            /* Targets of private interrupts are read-only. */
            uint8_t mask = (uint8_t)((1u << gic->num_vcpus) - 1);
            s->targets = byte & mask;
        }
    }
}

static uint32_t read_config(struct vgic *gic, unsigned vcpu, unsigned first)
{
    uint32_t value = 0;
    for (unsigned i = 0; i < 16; i++) {
        const struct vgic_irq *s = reg_irq(gic, vcpu, first + i);
        if (s && s->edge)
            value |= 2u << (2 * i);
    }
    return value;
}

static void write_config(struct vgic *gic, unsigned vcpu, unsigned first, uint32_t value)
{
    for (unsigned i = 0; i < 16; i++) {
        struct vgic_irq *s = reg_irq(gic, vcpu, first + i);
        /* SGI configuration is fixed (edge). */
        if (s && first + i >= VGIC_NUM_SGIS)
            s->edge = (value >> (2 * i + 1)) & 1;
    }
}

static uint32_t typer(const struct vgic *gic)
{
    uint32_t lines = VGIC_NUM_IRQS / 32 - 1;
    return lines | ((gic->num_vcpus - 1) << 5);
}

static bool in(uint32_t offset, uint32_t base, uint32_t size)
{
    return offset >= base && offset < base + size;
}

uint32_t vgic_dist_read(struct vgic *gic, unsigned vcpu, uint32_t offset, unsigned size)
{
    gic->dist_reads++;
    if (vcpu >= gic->num_vcpus || offset >= VGIC_DIST_SIZE)
        return 0;
    /* Byte-accessible registers may be read a byte at a time; the others
     * are read as whole words. */
    if (in(offset, GICD_IPRIORITYR, BYTE_REGS_SIZE))
        return read_bytes(gic, vcpu, offset - GICD_IPRIORITYR, size, false);
    if (in(offset, GICD_ITARGETSR, BYTE_REGS_SIZE))
        return read_bytes(gic, vcpu, offset - GICD_ITARGETSR, size, true);
    if (in(offset, GICD_CPENDSGIR, 16) || in(offset, GICD_SPENDSGIR, 16)) {
        unsigned first = (offset & 0xf) & ~(size - 1);
        uint32_t value = 0;
        for (unsigned i = 0; i < size && first + i < VGIC_NUM_SGIS; i++)
            value |= (uint32_t)gic->cpu[vcpu].sgi_pending_sources[first + i] << (8 * i);
        return value;
    }
    uint32_t word = offset & ~3u;
    unsigned shift = 8 * (offset & 3);
    uint32_t value = 0;
    if (word == GICD_CTLR)
        value = gic->ctlr;
    else if (word == GICD_TYPER)
        value = typer(gic);
    else if (word == GICD_IIDR)
        value = IIDR_VALUE;
    else if (word == GICD_PIDR2)
        value = PIDR2_ARCH_GICV2;
    else if (in(word, GICD_IGROUPR, BIT_REGS_SIZE))
        value = read_bits(gic, vcpu, (word - GICD_IGROUPR) * 8, FIELD_GROUP);
    else if (in(word, GICD_ISENABLER, BIT_REGS_SIZE))
        value = read_bits(gic, vcpu, (word - GICD_ISENABLER) * 8, FIELD_ENABLE);
    else if (in(word, GICD_ICENABLER, BIT_REGS_SIZE))
        value = read_bits(gic, vcpu, (word - GICD_ICENABLER) * 8, FIELD_ENABLE);
    else if (in(word, GICD_ISPENDR, BIT_REGS_SIZE))
        value = read_bits(gic, vcpu, (word - GICD_ISPENDR) * 8, FIELD_PENDING);
    else if (in(word, GICD_ICPENDR, BIT_REGS_SIZE))
        value = read_bits(gic, vcpu, (word - GICD_ICPENDR) * 8, FIELD_PENDING);
    else if (in(word, GICD_ISACTIVER, BIT_REGS_SIZE))
        value = read_bits(gic, vcpu, (word - GICD_ISACTIVER) * 8, FIELD_ACTIVE);
    else if (in(word, GICD_ICACTIVER, BIT_REGS_SIZE))
        value = read_bits(gic, vcpu, (word - GICD_ICACTIVER) * 8, FIELD_ACTIVE);
    else if (in(word, GICD_ICFGR, CFG_REGS_SIZE))
        value = read_config(gic, vcpu, (word - GICD_ICFGR) * 4);
    value >>= shift;
    return size >= 4 ? value : value & ((1u << (8 * size)) - 1);
}

static void send_sgi(struct vgic *gic, unsigned vcpu, uint32_t value)
{
    unsigned sgi = value & 0xf;
    unsigned filter = (value >> SGIR_FILTER_SHIFT) & 3;
    unsigned targets = (value >> SGIR_TARGETS_SHIFT) & 0xff;
    if (filter == SGIR_FILTER_OTHERS)
        targets = ((1u << gic->num_vcpus) - 1) & ~(1u << vcpu);
    else if (filter == SGIR_FILTER_SELF)
        targets = 1u << vcpu;
    else if (filter != SGIR_FILTER_LIST)
        return;
    for (unsigned v = 0; v < gic->num_vcpus; v++) {
        if (!(targets & (1u << v)))
            continue;
        gic->cpu[v].sgi_pending_sources[sgi] |= (uint8_t)(1u << vcpu);
        vgic_raise(gic, v, sgi);
    }
}

void vgic_dist_write(struct vgic *gic, unsigned vcpu, uint32_t offset, unsigned size,
                     uint32_t value)
{
    gic->dist_writes++;
    if (vcpu >= gic->num_vcpus || offset >= VGIC_DIST_SIZE)
        return;
    if (in(offset, GICD_IPRIORITYR, BYTE_REGS_SIZE)) {
        write_bytes(gic, vcpu, offset - GICD_IPRIORITYR, size, value, false);
        return;
    }
    if (in(offset, GICD_ITARGETSR, BYTE_REGS_SIZE)) {
        write_bytes(gic, vcpu, offset - GICD_ITARGETSR, size, value, true);
        deliver_all(gic);
        return;
    }
    if (size != 4)
        return;     /* the remaining registers are word-accessible only */
    if (offset == GICD_CTLR) {
        gic->ctlr = value & CTLR_ENABLE_MASK;
        deliver_all(gic);
    } else if (in(offset, GICD_IGROUPR, BIT_REGS_SIZE)) {
        write_bits(gic, vcpu, (offset - GICD_IGROUPR) * 8, FIELD_GROUP, value, true, true);
    } else if (in(offset, GICD_ISENABLER, BIT_REGS_SIZE)) {
        write_bits(gic, vcpu, (offset - GICD_ISENABLER) * 8, FIELD_ENABLE, value, true, false);
        deliver_all(gic);
    } else if (in(offset, GICD_ICENABLER, BIT_REGS_SIZE)) {
        write_bits(gic, vcpu, (offset - GICD_ICENABLER) * 8, FIELD_ENABLE, value, false, false);
    } else if (in(offset, GICD_ISPENDR, BIT_REGS_SIZE)) {
        write_bits(gic, vcpu, (offset - GICD_ISPENDR) * 8, FIELD_PENDING, value, true, false);
        deliver_all(gic);
    } else if (in(offset, GICD_ICPENDR, BIT_REGS_SIZE)) {
        write_bits(gic, vcpu, (offset - GICD_ICPENDR) * 8, FIELD_PENDING, value, false, false);
    } else if (in(offset, GICD_ICFGR, CFG_REGS_SIZE)) {
        write_config(gic, vcpu, (offset - GICD_ICFGR) * 4, value);
    } else if (offset == GICD_SGIR) {
        send_sgi(gic, vcpu, value);
    } else if (in(offset, GICD_CPENDSGIR, 16)) {
        for (unsigned i = 0; i < 4; i++)
            gic->cpu[vcpu].sgi_pending_sources[(offset & 0xc) + i] &= (uint8_t)~(value >> (8 * i));
    }
    /* SPENDSGIR and the active registers are accepted and ignored: the
     * guests this VMM runs (Linux) do not use them. */
}
