/*
 * The kernel's sampling profiler (<profiler> in the system description,
 * kernels with CONFIG_PROFILER): give the kernel the frame of the profiler
 * PD's region and that PD's notification badged with its channel. The
 * kernel keeps copies of both caps; samples start at once and wait in the
 * buffer until the PD runs.
 */
#include "monitor.h"
#include <profiler.h>

void profiler_start(void)
{
    if (sys->profiler_count == 0)
        return;
    const struct sys_profiler *p = &sys->profiler[0];
    if (sys->profiler_count > 1 || p->pd >= sys->pd_count || p->mr >= sys->mr_count ||
        p->channel > 61)
        fail("bad profiler table (%u entries, PD %u, region %u, channel %u)",
             sys->profiler_count, p->pd, p->mr, p->channel);
    const char *pd = sys->pds[p->pd].name, *mr = sys->mrs[p->mr].name;
    seL4_CPtr frame = slot_alloc(1), ntfn = slot_alloc(1);
    check(seL4_CNode_Copy(seL4_CapInitThreadCNode, frame, seL4_WordBits, seL4_CapInitThreadCNode,
                          mr_frames(p->mr), seL4_WordBits, seL4_AllRights),
          "copying the frame of memory region '%s' for the profiler", mr);
    check(seL4_CNode_Mint(seL4_CapInitThreadCNode, ntfn, seL4_WordBits, seL4_CapInitThreadCNode,
                          pd_caps[p->pd].notification, seL4_WordBits, seL4_CanWrite,
                          1ull << p->channel),
          "badging the notification of PD '%s' for the profiler", pd);
    check(profiler_control(seL4_CapIRQControl, frame, ntfn, p->period, p->event),
          "starting the kernel's profiler for PD '%s'", pd);
    rt_printf("MON|INFO: profiler: a sample every %lu %s into region '%s' of PD '%s' "
              "(channel %u)\n", (unsigned long)p->period,
              p->event == PROFILER_INSTRUCTIONS ? "instructions" : "cycles", mr, pd, p->channel);
}
