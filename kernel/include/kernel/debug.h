/* Debug system calls (debug builds). */
#ifndef KERNEL_DEBUG_H
#define KERNEL_DEBUG_H

#include <object/structures.h>

void debug_dump_scheduler(void);
void debug_name_thread(tcb_t *caller);
void debug_cap_identify(tcb_t *caller);
#if CONFIG_MAX_NUM_NODES > 1
/* seL4_DebugSendIPI: SGI x1 to core x0 (bad arguments are reported and
   ignored, where seL4 halts). */
void debug_send_ipi(tcb_t *caller);
/* seL4_DebugGetThreadAffinity: x0 = the core of the TCB cap in x0 (a
   non-TCB cap is reported and answered with ~0, where seL4 halts). */
void debug_thread_affinity(tcb_t *caller);
#endif
/* Threads DumpScheduler lists (created TCBs register themselves). */
void debug_register_thread(tcb_t *t);
void debug_forget_thread(tcb_t *t);
/* The first known thread at list index *index or later (its index in
   *index), or NULL. */
tcb_t *debug_thread_from(word_t *index);
#ifdef CONFIG_DEBUG_BUILD
/* kstate_read (kernel/uapi/kstate.h, kernel/src/kstate.c). */
void kstate_syscall(tcb_t *caller);
#endif

#endif
