/* Interrupt dispatch: the kernel timer and interrupts owned by user level. */
#ifndef KERNEL_INTERRUPT_H
#define KERNEL_INTERRUPT_H

#include <kernel/types.h>

void interrupt_init(void);
/* A secondary core's own interrupt lines (interrupt_init did the shared ones). */
void interrupt_init_cpu(void);
/* Take and handle the pending interrupt, if any (spurious ones are ignored). */
void handle_pending_interrupt(void);
/* The highest interrupt number invocations accept (seL4's maxIRQ). */
word_t irq_max(void);
/* The last IRQHandler cap of `irq` is gone: free the line. */
void irq_handler_release(unsigned irq);

#endif
