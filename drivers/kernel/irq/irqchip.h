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
/* Highest interrupt number the controller implements. */
unsigned irqchip_max_irq(void);
/* Take the highest-priority pending interrupt, or IRQ_NONE if spurious. */
unsigned irqchip_acknowledge(void);
/* Signal the end of handling of an interrupt taken with irqchip_acknowledge. */
void irqchip_end(unsigned irq);
void irqchip_mask(unsigned irq);
void irqchip_unmask(unsigned irq);
/* Level (false) or edge (true) triggering; only SPIs are configurable. */
void irqchip_set_trigger(unsigned irq, bool edge);

#endif
