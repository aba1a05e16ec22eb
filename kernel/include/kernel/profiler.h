/* The sampling profiler (CONFIG_PROFILER; kernel/uapi/profiler.h). */
#ifndef KERNEL_PROFILER_H
#define KERNEL_PROFILER_H

#ifdef CONFIG_PROFILER

#include <object/structures.h>

/* The PMU interrupt: record a sample of the interrupted thread (NULL: idle). */
void profiler_sample(tcb_t *interrupted);
/* The control system call (PROFILER_SYSCALL); its error goes back in x0. */
void profiler_control_syscall(tcb_t *caller);

#endif

#endif
