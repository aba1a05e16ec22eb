/* The processor and the whole machine, for generic kernel code. */
#ifndef ARCH_MACHINE_H
#define ARCH_MACHINE_H

#include <kernel/types.h>

/* Per-core set-up at boot: user access to FPU, counters and timer. */
void arch_cpu_init(void);
/* Physical address bits the MMU can map (at most 48). */
unsigned arch_phys_addr_bits(void);
/* Nothing to run: leave the last thread's address space. */
void arch_enter_idle(void);
/* Sleep until an interrupt is pending (interrupts stay masked). */
void arch_wait_for_interrupt(void);
/* Is an interrupt waiting for this core (masked as it is in the kernel)? */
bool arch_interrupt_pending(void);
/* Stop this core for good, interrupts masked. */
_Noreturn void arch_halt(void);
/* How the kernel names the processor mode it runs in (the boot banner). */
#ifdef CONFIG_KERNEL_EL2
#define ARCH_KERNEL_MODE_NAME "EL2"
#else
#define ARCH_KERNEL_MODE_NAME "EL1"
#endif

/* Print "ESR 0x... (what it means)" and a newline for a fault report;
   `memory`: a VM fault's status (its fault status code is decoded), else a
   user exception's (its exception class). */
void arch_print_fault_status(word_t status, bool memory);

/* PSCI SYSTEM_OFF: QEMU exits with status 0; a board powers down. */
_Noreturn void machine_power_off(void);

#endif
