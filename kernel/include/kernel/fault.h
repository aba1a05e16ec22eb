/* User faults: recorded in the TCB, then delivered to the fault handler. */
#ifndef KERNEL_FAULT_H
#define KERNEL_FAULT_H

#include <object/structures.h>
#include <kernel/cspace.h>

/* tcb->fault[0] holds the seL4 fault label; the rest its details. */
/* `fsr`, `number`: the architecture's fault status (AArch64: the ESR). */
void fault_vm(tcb_t *t, word_t address, word_t fsr, bool instruction);
void fault_user_exception(tcb_t *t, word_t number);
void fault_unknown_syscall(tcb_t *t, word_t syscall);
void fault_cap(tcb_t *t, word_t cptr, bool in_receive, const lookup_fault_t *lookup);
/* t's budget ran out (or a reply left it none) and it has a timeout handler. */
void fault_timeout(tcb_t *t, word_t badge);
bool fault_has_timeout_handler(const tcb_t *t);
#ifdef CONFIG_HARDWARE_DEBUG_API
/* A debug exception: `reason` a seL4_BreakpointType, `address` the
   breakpoint's pc or the watched data address, `breakpoint` the API id. */
void fault_debug_exception(tcb_t *t, word_t reason, word_t address, word_t breakpoint);
#endif
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
/* A guest's trapped instruction (`hsr`: its ESR_EL2). */
void fault_vcpu(tcb_t *t, word_t hsr);
/* The guest completed the virtual interrupt in list register `index`
   (`valid` false: no single list register can be named). */
void fault_vgic_maintenance(tcb_t *t, word_t index, bool valid);
/* A per-CPU interrupt for the guest (its virtual timer) fired. */
void fault_vppi_event(tcb_t *t, word_t irq);
#endif

/* Write the fault message of `faulter` into `receiver`; returns its length. */
word_t fault_write_message(tcb_t *faulter, tcb_t *receiver, word_t *rbuf);
/* Apply a handler's reply (in `replier`'s registers); true = restart the thread. */
bool fault_handle_reply(tcb_t *faulter, tcb_t *replier);

#endif
