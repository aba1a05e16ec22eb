/* controller: holds the worker's TCB through <cspace> sharing (root slot
 * 1) and suspends the worker at its third tick; when the idler reports
 * that it got to run, the controller resumes the worker. */
#include <microkit.h>

#define WORKER 0
#define IDLER 1
#define WORKER_TCB_SLOT 1   /* <cap_tcb slot="1" pd="worker"/> */

static unsigned ticks;

void init(void)
{
    microkit_dbg_puts("controller: holding the worker's TCB in root slot 1\n");
}

static void check(seL4_Error err, const char *what)
{
    microkit_dbg_puts("controller: ");
    microkit_dbg_puts(what);
    microkit_dbg_puts(err == seL4_NoError ? " the worker\n" : " failed\n");
}

void notified(microkit_channel ch)
{
    seL4_CPtr worker = microkit_cspace_root_slot_to_cptr(WORKER_TCB_SLOT);
    if (ch == WORKER && ++ticks == 3)
        check(seL4_TCB_Suspend(worker), "suspended");
    else if (ch == IDLER)
        check(seL4_TCB_Resume(worker), "resumed");
}
