/*
 * sel4/bootinfo.h - access to the root task's BootInfo frame.
 *
 * The kernel starts the root task with x0 = the BootInfo frame's address;
 * the root task's C runtime passes it to seL4_InitBootInfo(), which also
 * points __sel4_ipc_buffer at bi->ipcBuffer. Both functions are defined in
 * kernel/uapi/src/bootinfo.c. Not for the kernel.
 */
#ifndef SEL4_UAPI_BOOTINFO_H
#define SEL4_UAPI_BOOTINFO_H

#include <sel4/abi.h>

SEL4_BEGIN_DECLS

void seL4_InitBootInfo(seL4_BootInfo *bi);
seL4_BootInfo *seL4_GetBootInfo(void);

SEL4_END_DECLS

#endif /* SEL4_UAPI_BOOTINFO_H */
