/* The debug PD's monitor commands: the kernel's state (kernel_state.c). */
#ifndef DEBUGGER_KERNEL_STATE_H
#define DEBUGGER_KERNEL_STATE_H

#include <microkit.h>
#include <gdbstub.h>

/* A PD we debug: its name and our cap to its TCB. */
struct kernel_state_pd {
    const char *name;
    seL4_CPtr tcb;
};

/* Run gdb's `monitor COMMAND`; `selected` is gdb's thread (PD index + 1).
   False: not one of ours. */
bool kernel_state_command(struct gdbstub *stub, const char *command,
                          const struct kernel_state_pd *pds, unsigned count, unsigned selected);

#endif
