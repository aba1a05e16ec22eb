/* Runtime of a root task: entry point and console output. */
#ifndef PDS_RUNTIME_ROOTTASK_H
#define PDS_RUNTIME_ROOTTASK_H

#include <sel4/sel4.h>
#include <stdarg.h>

/* Provided by the root task; called by crt0 with the kernel's BootInfo. */
void roottask_main(seL4_BootInfo *bootinfo);

/* printf-style output through seL4_DebugPutChar. */
void rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rt_vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
