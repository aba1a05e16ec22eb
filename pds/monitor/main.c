/*
 * The monitor: the root task. For now it checks and reports what the kernel
 * handed over (BootInfo, initial caps, untyped memory) and powers off.
 */
#include <roottask.h>

static void report_untypeds(const seL4_BootInfo *bi)
{
    seL4_Word ram = 0, device = 0, count = bi->untyped.end - bi->untyped.start;
    for (seL4_Word i = 0; i < count; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        if (u->isDevice)
            device += 1ull << u->sizeBits;
        else
            ram += 1ull << u->sizeBits;
    }
    rt_printf("MON|INFO: %lu untypeds: %lu KiB of RAM, %lu MiB of device space\n",
              (unsigned long)count, (unsigned long)(ram >> 10), (unsigned long)(device >> 20));
}

void roottask_main(seL4_BootInfo *bi)
{
    seL4_SetIPCBuffer(bi->ipcBuffer);
    rt_printf("MON|INFO: monitor started (root task, BootInfo at %p)\n", (void *)bi);
    rt_printf("MON|INFO: CNode 2^%lu slots, free slots [%lu, %lu), %lu image frames\n",
              (unsigned long)bi->initThreadCNodeSizeBits, (unsigned long)bi->empty.start,
              (unsigned long)bi->empty.end,
              (unsigned long)(bi->userImageFrames.end - bi->userImageFrames.start));
    report_untypeds(bi);
    rt_printf("MON|INFO: nothing else to do yet: powering off\n");
    seL4_DebugHalt();
}
