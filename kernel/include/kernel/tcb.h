/* Thread control blocks: life cycle and the TCB invocations' helpers. */
#ifndef KERNEL_TCB_H
#define KERNEL_TCB_H

#include <object/structures.h>

void tcb_init(tcb_t *t);
void tcb_finalise(tcb_t *t);
/* Stop a thread: cancel its IPC, make it inactive (seL4 Suspend). */
void tcb_suspend(tcb_t *t);
/* Restart an inactive thread from its restart pc (seL4 Resume). */
void tcb_resume(tcb_t *t);
/* Change priority, keeping queues ordered. */
void tcb_set_priority(tcb_t *t, unsigned priority);

/* Set word i of t's seL4_UserContext (TCB_WriteRegisters order): the pc
   both resumes and restarts there; sanitise_register keeps a status
   register to what user level may set. */
void tcb_set_user_register(tcb_t *t, unsigned i, word_t value);

#ifdef CONFIG_HARDWARE_DEBUG_API
#include <sel4/abi.h>
struct invocation;
/* TCB SetBreakpoint, GetBreakpoint, UnsetBreakpoint, ConfigureSingleStepping
   (src/tcb_debug.c). */
seL4_Error decode_tcb_debug(struct invocation *inv, tcb_t *t);
#endif

#endif
