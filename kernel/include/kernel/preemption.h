/*
 * Preemption points in long operations (revoke, delete of a CNode or TCB,
 * the zeroing behind Retype; like seL4's, CancelBadgedSends has none: it
 * walks one endpoint queue, bounded by its threads). The kernel runs with
 * interrupts masked; each unit of such work ends with a check for a pending
 * interrupt. If one is pending the operation stops with ERR_PREEMPTED,
 * leaving its progress in the objects themselves (a zombie's count of slots
 * left, an untyped's clean limit, the caps already deleted); the caller's
 * system call restarts once the interrupt is handled, and carries on from
 * there. The caller sees one call that completed.
 */
#ifndef KERNEL_PREEMPTION_H
#define KERNEL_PREEMPTION_H

#include <arch/machine.h>
#include <sel4/abi.h>

/* Not an seL4 error: the kernel's own "stopped for an interrupt, restart me". */
#define ERR_PREEMPTED ((seL4_Error)seL4_NumErrors)

/* True when an interrupt is waiting: stop here. */
static inline bool preemption_point(void)
{
    return arch_interrupt_pending();
}

#endif
