/* guardian: the parent of 'spinner'. It runs at priority 60, far below the
 * spinner, so it runs at all only because the spinner's budget runs out.
 * It watches the spinner's counter, stops it, and checks that it stopped. */
#include <microkit.h>

#define SPINNER 0

uintptr_t counter;  /* setvar_vaddr */

static uint64_t now(void)
{
    uint64_t t;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(t));
    return t;
}

static uint64_t frequency(void)
{
    uint64_t f;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
    return f;
}

/* How far the spinner's counter moves in 30 ms (three of its periods),
 * by the generic timer's clock. */
static seL4_Word watch(void)
{
    volatile seL4_Word *c = (volatile seL4_Word *)counter;
    seL4_Word before = *c;
    uint64_t end = now() + frequency() * 30 / 1000;
    while (now() < end)
        continue;
    return *c - before;
}

void init(void)
{
    microkit_dbg_puts("guardian: watching child 'spinner'\n");
    if (watch() > 0)
        microkit_dbg_puts("guardian: spinner keeps counting, but only within its budget: "
                          "stopping it\n");
    else
        microkit_dbg_puts("guardian: spinner does not count?\n");
    microkit_pd_stop(SPINNER);
    seL4_Word moved = watch();
    microkit_dbg_puts(moved == 0 ? "guardian: spinner stopped, its counter stands still\n"
                                 : "guardian: spinner still counts after the stop!\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)msginfo;
    (void)reply_msginfo;
    microkit_dbg_puts("guardian: child ");
    microkit_dbg_put32(child);
    microkit_dbg_puts(" faulted\n");
    return seL4_False;
}
