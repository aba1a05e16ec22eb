/* Debug system calls (debug builds). */
#ifndef KERNEL_DEBUG_H
#define KERNEL_DEBUG_H

#include <object/structures.h>

void debug_dump_scheduler(void);
void debug_name_thread(tcb_t *caller);
void debug_cap_identify(tcb_t *caller);
/* Threads DumpScheduler lists (created TCBs register themselves). */
void debug_register_thread(tcb_t *t);
void debug_forget_thread(tcb_t *t);

#endif
