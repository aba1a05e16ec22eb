/*
 * BootInfo access for root tasks (declared in <sel4/bootinfo.h>).
 */
#include <sel4/sel4.h>

static seL4_BootInfo *boot_info;

void seL4_InitBootInfo(seL4_BootInfo *bi)
{
    boot_info = bi;
    /* The root task's IPC buffer address is only known from BootInfo. */
    seL4_SetIPCBuffer(bi->ipcBuffer);
}

seL4_BootInfo *seL4_GetBootInfo(void)
{
    return boot_info;
}
