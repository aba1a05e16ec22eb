/*
 * Interrupt controller interface used by the kernel. The board's board.mk
 * picks the implementation (IRQCHIP_DRIVER); the kernel sees only this.
 * Interrupt numbers are the controller's IDs (GIC INTIDs).
 */
#ifndef DRIVERS_IRQCHIP_H
#define DRIVERS_IRQCHIP_H

#include <stdbool.h>
#include <stdint.h>

#define IRQ_NONE 0xffffffffu

/* Bring up the distributor and this core's CPU interface; every line masked. */
void irqchip_init(uintptr_t dist_base, uintptr_t cpu_base);
/* Another core: its own (banked) per-core lines and CPU interface. */
void irqchip_init_cpu(void);
/* Highest interrupt number the controller implements. */
unsigned irqchip_max_irq(void);
/* Take the highest-priority pending interrupt, or IRQ_NONE if spurious.
   The value may carry more than the number (a GICv2 SGI's sender):
   IRQCHIP_ID() is the number, irqchip_end() takes the whole value. */
unsigned irqchip_acknowledge(void);
#define IRQCHIP_ID(ack) ((ack) & 0x3ffu)
/* Signal the end of handling of an interrupt taken with irqchip_acknowledge. */
void irqchip_end(unsigned ack);
void irqchip_mask(unsigned irq);
void irqchip_unmask(unsigned irq);
/* Level (false) or edge (true) triggering; only SPIs are configurable. */
void irqchip_set_trigger(unsigned irq, bool edge);
/* Deliver shared interrupt `irq` to `core` (per-core lines have no target). */
void irqchip_set_target(unsigned irq, unsigned core);
/* Raise software-generated interrupt `sgi` (0-15) on `core`. */
void irqchip_send_sgi(unsigned sgi, unsigned core);

#endif
