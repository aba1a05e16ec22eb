#include <stdint.h>
#include <microkit.h>

#define SLEEPER 2
#define SLEEPER_TCB microkit_cspace_root_slot_to_cptr(3)
#define SLEEPER_SC  microkit_cspace_root_slot_to_cptr(4)
#define OWN_TCB     microkit_cspace_root_slot_to_cptr(7)
#define OWN_SC      microkit_cspace_root_slot_to_cptr(8)

static void say(const char *what, seL4_Error err)
{
    microkit_dbg_puts("watcher: ");
    microkit_dbg_puts(what);
    microkit_dbg_puts(err == seL4_NoError ? "\n" : ": failed\n");
}

void init(void)
{
    /* The sleeper has the higher priority: it prints before notify returns. */
    microkit_notify(SLEEPER);
    say("suspending the sleeper", seL4_TCB_Suspend(SLEEPER_TCB));
    /* Kept in the notification while the sleeper is suspended. */
    microkit_notify(SLEEPER);
    say("the sleeper's scheduling context answers", seL4_SchedContext_Consumed(SLEEPER_SC).error);
    say("our own scheduling context answers", seL4_SchedContext_Consumed(OWN_SC).error);
    say("resuming the sleeper", seL4_TCB_Resume(SLEEPER_TCB));
    /* Does not return: nothing resumes us. */
    microkit_dbg_puts("watcher: suspending ourselves\n");
    seL4_TCB_Suspend(OWN_TCB);
    microkit_dbg_puts("watcher: still running after suspending itself\n");
}

void notified(microkit_channel ch)
{
}
