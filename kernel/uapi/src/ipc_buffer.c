/*
 * The IPC-buffer pointer used by the <sel4/syscalls.h> stubs.
 *
 * Weak, so that a runtime which defines its own __sel4_ipc_buffer (as
 * Microkit's libmicrokit does, pointing it at the PD's IPC buffer page)
 * takes precedence when both are linked.
 */
#include <sel4/sel4.h>

__attribute__((weak)) seL4_IPCBuffer *__sel4_ipc_buffer;
