/*
 * Virtual interrupt interface of the interrupt controller, as the EL2
 * kernel uses it to run vCPUs (GICv2: the GICH "virtual interface control"
 * registers). The guest itself talks to the virtual CPU interface (GICV),
 * which its VMM maps where the guest expects a GIC CPU interface; the kernel
 * only saves, restores and inspects the state behind it.
 *
 * List registers hold the virtual interrupts queued for the guest, in
 * GICv2's layout (GICH_LRn): the VGIC_LR_* fields below.
 */
#ifndef DRIVERS_VGIC_H
#define DRIVERS_VGIC_H

#include <stdint.h>

#define VGIC_MAX_LIST_REGS  64

/* GICH_HCR: the virtual CPU interface is on. */
#define VGIC_HCR_EN         (1u << 0)
/* GICH_MISR: some list register with its EOI bit set was completed. */
#define VGIC_MISR_EOI       (1u << 0)

/* GICH_LRn fields. */
#define VGIC_LR_VIRTUAL_ID_MASK 0x3ffu
#define VGIC_LR_EOI             (1u << 19)     /* maintenance interrupt on completion */
#define VGIC_LR_PRIORITY_SHIFT  23             /* 5 bits */
#define VGIC_LR_STATE_SHIFT     28
#define VGIC_LR_STATE_MASK      (3u << VGIC_LR_STATE_SHIFT)
#define VGIC_LR_STATE_PENDING   (1u << VGIC_LR_STATE_SHIFT)
#define VGIC_LR_STATE_ACTIVE    (2u << VGIC_LR_STATE_SHIFT)
#define VGIC_LR_GROUP1          (1u << 30)

/* Map the interface (kernel virtual address); returns its list registers. */
unsigned vgic_init(uintptr_t base);

uint32_t vgic_get_hcr(void);
void vgic_set_hcr(uint32_t hcr);
uint32_t vgic_get_vmcr(void);
void vgic_set_vmcr(uint32_t vmcr);
uint32_t vgic_get_apr(void);
void vgic_set_apr(uint32_t apr);
uint32_t vgic_get_lr(unsigned index);
void vgic_set_lr(unsigned index, uint32_t lr);
/* Maintenance status (GICH_MISR) and which list registers completed with
   their EOI bit set (GICH_EISR0/1, one bit per list register). */
uint32_t vgic_get_misr(void);
uint64_t vgic_get_eoi_status(void);

#endif
