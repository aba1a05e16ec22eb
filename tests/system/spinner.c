/* spinner: spins forever at priority 200, counting in shared memory. Its
 * budget (1 ms every 10 ms) keeps the rest of the system running. */
#include <microkit.h>

uintptr_t counter;  /* setvar_vaddr */

void init(void)
{
    microkit_dbg_puts("spinner: spinning forever\n");
    volatile seL4_Word *c = (volatile seL4_Word *)counter;
    for (;;)
        (*c)++;
}

void notified(microkit_channel ch)
{
    (void)ch;
}
