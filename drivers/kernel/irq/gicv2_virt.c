/*
 * GICv2 virtualisation extensions (GIC-400, QEMU's GICv2 with
 * virtualization=on): the GICH virtual interface control registers, one
 * set per core at the same address (this core's banked view).
 */
#include "vgic.h"

#define GICH_HCR    0x000
#define GICH_VTR    0x004
#define GICH_VMCR   0x008
#define GICH_MISR   0x010
#define GICH_EISR0  0x020
#define GICH_EISR1  0x024
#define GICH_APR    0x0f0
#define GICH_LR0    0x100

#define VTR_LIST_REGS(vtr)  (((vtr) & 0x3fu) + 1)

static volatile uint8_t *gich;

static inline volatile uint32_t *hreg(unsigned offset)
{
    return (volatile uint32_t *)(gich + offset);
}

unsigned vgic_init(uintptr_t base)
{
    gich = (volatile uint8_t *)base;
    *hreg(GICH_HCR) = 0;
    unsigned n = VTR_LIST_REGS(*hreg(GICH_VTR));
    return n < VGIC_MAX_LIST_REGS ? n : VGIC_MAX_LIST_REGS;
}

uint32_t vgic_get_hcr(void) { return *hreg(GICH_HCR); }
void vgic_set_hcr(uint32_t hcr) { *hreg(GICH_HCR) = hcr; }
uint32_t vgic_get_vmcr(void) { return *hreg(GICH_VMCR); }
void vgic_set_vmcr(uint32_t vmcr) { *hreg(GICH_VMCR) = vmcr; }
uint32_t vgic_get_apr(void) { return *hreg(GICH_APR); }
void vgic_set_apr(uint32_t apr) { *hreg(GICH_APR) = apr; }
uint32_t vgic_get_lr(unsigned index) { return *hreg(GICH_LR0 + 4 * index); }
void vgic_set_lr(unsigned index, uint32_t lr) { *hreg(GICH_LR0 + 4 * index) = lr; }
uint32_t vgic_get_misr(void) { return *hreg(GICH_MISR); }

uint64_t vgic_get_eoi_status(void)
{
    return *hreg(GICH_EISR0) | ((uint64_t)*hreg(GICH_EISR1) << 32);
}
