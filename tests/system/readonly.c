/* readonly: writes to its own code, which is mapped read-only. */
#include "faulty.h"

void init(void)
{
    say("writing to its read-only code");
    *(volatile seL4_Word *)opaque((seL4_Word)&init) = 0;
    say("survived?");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
