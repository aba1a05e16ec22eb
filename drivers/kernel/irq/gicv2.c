/*
 * ARM GICv2 (GIC-400) for a single core: distributor + CPU interface.
 * Every interrupt is routed to CPU 0 at one priority; the kernel masks a line
 * when it delivers it and user level unmasks it with IRQHandler_Ack.
 */
#include "irqchip.h"

#define GICD_CTLR        0x000
#define GICD_TYPER       0x004
#define GICD_IGROUPR     0x080
#define GICD_ISENABLER   0x100
#define GICD_ICENABLER   0x180
#define GICD_ICPENDR     0x280
#define GICD_ICACTIVER   0x380
#define GICD_IPRIORITYR  0x400
#define GICD_ITARGETSR   0x800
#define GICD_ICFGR       0xc00
#define GICD_SGIR        0xf00

#define GICC_CTLR        0x000
#define GICC_PMR         0x004
#define GICC_BPR         0x008
#define GICC_IAR         0x00c
#define GICC_EOIR        0x010

#define IAR_ID_MASK      0x3ff
#define IAR_ID_AND_SOURCE 0x1fff    /* an SGI's EOI must name its sender too */
#define SPURIOUS_FIRST   1020
#define DEFAULT_PRIORITY 0xa0
#define FIRST_SPI        32

static volatile uint8_t *dist;
static volatile uint8_t *cpu;
static unsigned max_irq;

static inline volatile uint32_t *dreg(unsigned offset)
{
    return (volatile uint32_t *)(dist + offset);
}

static inline volatile uint32_t *creg(unsigned offset)
{
    return (volatile uint32_t *)(cpu + offset);
}

static void init_distributor(void)
{
    *dreg(GICD_CTLR) = 0;
    unsigned lines = ((*dreg(GICD_TYPER) & 0x1f) + 1) * 32;
    max_irq = lines - 1;
    for (unsigned i = 0; i < lines; i += 32) {
        *dreg(GICD_ICENABLER + i / 8) = 0xffffffffu;
        *dreg(GICD_ICPENDR + i / 8) = 0xffffffffu;
        *dreg(GICD_ICACTIVER + i / 8) = 0xffffffffu;
    }
    for (unsigned i = 0; i < lines; i += 4)
        *dreg(GICD_IPRIORITYR + i) = DEFAULT_PRIORITY * 0x01010101u;
    /* SPIs go to CPU 0; the banked SGI/PPI target registers are read-only. */
    for (unsigned i = FIRST_SPI; i < lines; i += 4)
        *dreg(GICD_ITARGETSR + i) = 0x01010101u;
    /* SPIs default to level triggered. */
    for (unsigned i = FIRST_SPI; i < lines; i += 16)
        *dreg(GICD_ICFGR + i / 4) = 0;
    /* Enable both groups: whichever group firmware chose, they arrive as IRQ. */
    *dreg(GICD_CTLR) = 3;
}

/* The lines each core has its own copy of: SGIs and PPIs (0-31). */
static void init_banked_lines(void)
{
    *dreg(GICD_ICENABLER) = 0xffffffffu;
    *dreg(GICD_ICPENDR) = 0xffffffffu;
    *dreg(GICD_ICACTIVER) = 0xffffffffu;
    for (unsigned i = 0; i < FIRST_SPI; i += 4)
        *dreg(GICD_IPRIORITYR + i) = DEFAULT_PRIORITY * 0x01010101u;
}

static void init_cpu_interface(void)
{
    *creg(GICC_PMR) = 0xf0;
    *creg(GICC_BPR) = 0;
    *creg(GICC_CTLR) = 3;
}

void irqchip_init(uintptr_t dist_base, uintptr_t cpu_base)
{
    dist = (volatile uint8_t *)dist_base;
    cpu = (volatile uint8_t *)cpu_base;
    init_distributor();
    init_cpu_interface();
}

void irqchip_init_cpu(void)
{
    init_banked_lines();
    init_cpu_interface();
}

unsigned irqchip_max_irq(void)
{
    return max_irq;
}

unsigned irqchip_acknowledge(void)
{
    unsigned iar = *creg(GICC_IAR) & IAR_ID_AND_SOURCE;
    return (iar & IAR_ID_MASK) >= SPURIOUS_FIRST ? IRQ_NONE : iar;
}

void irqchip_end(unsigned ack)
{
    *creg(GICC_EOIR) = ack;
}

void irqchip_mask(unsigned irq)
{
    *dreg(GICD_ICENABLER + (irq / 32) * 4) = 1u << (irq % 32);
}

void irqchip_unmask(unsigned irq)
{
    *dreg(GICD_ISENABLER + (irq / 32) * 4) = 1u << (irq % 32);
}

void irqchip_set_trigger(unsigned irq, bool edge)
{
    if (irq < FIRST_SPI)
        return;
    volatile uint32_t *cfg = dreg(GICD_ICFGR + (irq / 16) * 4);
    unsigned shift = (irq % 16) * 2 + 1;
    *cfg = (*cfg & ~(1u << shift)) | ((edge ? 1u : 0u) << shift);
}

void irqchip_set_target(unsigned irq, unsigned core)
{
    if (irq < FIRST_SPI)
        return;
    *(volatile uint8_t *)(dist + GICD_ITARGETSR + irq) = (uint8_t)(1u << core);
}

void irqchip_send_sgi(unsigned sgi, unsigned core)
{
    /* Make what the sender wrote visible before the interrupt can arrive. */
    __asm__ volatile("dsb ishst" ::: "memory");
    *dreg(GICD_SGIR) = (1u << (16 + core)) | (sgi & 0xf);
}
