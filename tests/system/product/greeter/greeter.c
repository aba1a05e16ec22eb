/* greeter: a product PD in two files (greeter.c, lines.c). */
#include <microkit.h>
#include "lines.h"

uintptr_t banner;       /* setvar_vaddr */
uint64_t banner_size;   /* setvar_prefill_size */

void init(void)
{
    print_line("greeter: ", (const char *)banner, banner_size);
}

void notified(microkit_channel ch)
{
    (void)ch;
}
