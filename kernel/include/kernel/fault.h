/* User faults: recorded in the TCB, then delivered to the fault handler. */
#ifndef KERNEL_FAULT_H
#define KERNEL_FAULT_H

#include <object/structures.h>

/* tcb->fault[0] holds the seL4 fault label; the rest its details. */
void fault_vm(tcb_t *t, word_t address, word_t fsr, bool instruction);
void fault_user_exception(tcb_t *t, word_t esr);
void fault_unknown_syscall(tcb_t *t, word_t syscall);

#endif
