/* greeter: a product PD in two files (greeter.c, lines.c). */
#include <microkit.h>
#include "lines.h"

uintptr_t banner;       /* setvar_vaddr */
uint64_t banner_size;   /* setvar_prefill_size */

/* volatile: computed at run time, on the FPU. */
static volatile double price = 2.5, quantity = 4.0;

void init(void)
{
    print_line("greeter: ", (const char *)banner, banner_size);
    microkit_dbg_puts("greeter: 2.5 * 4.0 = ");
    microkit_dbg_put32((seL4_Uint32)(price * quantity));
    microkit_dbg_puts(" (floating point)\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
