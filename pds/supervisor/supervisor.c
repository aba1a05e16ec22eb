/* supervisor: the parent of 'crasher' (child id 0). Each crash arrives at
 * fault(); the supervisor restarts the child from its entry point a few
 * times, then stops it. */
#include <microkit.h>

#define CRASHER 0
#define MAX_RESTARTS 3
#define PD_ENTRY 0x200000   /* _start of every PD (Microkit's layout) */

static unsigned restarts;

void init(void)
{
    microkit_dbg_puts("supervisor: watching child 'crasher'\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

static const char *fault_name(seL4_Word label)
{
    switch (label) {
    case seL4_Fault_VMFault:
        return "a VM fault";
    case seL4_Fault_UserException:
        return "a user exception";
    case seL4_Fault_CapFault:
        return "a capability fault";
    case seL4_Fault_UnknownSyscall:
        return "an unknown system call";
    default:
        return "a fault";
    }
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)reply_msginfo;
    seL4_Word label = microkit_msginfo_get_label(msginfo);
    microkit_dbg_puts("supervisor: child ");
    microkit_dbg_put32(child);
    microkit_dbg_puts(" had ");
    microkit_dbg_puts(fault_name(label));
    if (label == seL4_Fault_VMFault) {
        microkit_dbg_puts(" at address 0x");
        seL4_Word addr = microkit_mr_get(seL4_VMFault_Addr);
        for (int shift = 44; shift >= 0; shift -= 4)
            microkit_dbg_putc("0123456789abcdef"[(addr >> shift) & 0xf]);
    }
    microkit_dbg_puts("\n");
    if (child != CRASHER)
        return seL4_False;
    if (restarts < MAX_RESTARTS) {
        restarts++;
        microkit_dbg_puts("supervisor: restarting crasher (restart ");
        microkit_dbg_put32(restarts);
        microkit_dbg_puts(")\n");
        microkit_pd_restart(CRASHER, PD_ENTRY);
    } else {
        microkit_dbg_puts("supervisor: crasher failed too often: stopping it\n");
        microkit_pd_stop(CRASHER);
    }
    /* No reply: the restart (or the stop) already decided what happens. */
    return seL4_False;
}
