/* unmapped: reads an address nothing is mapped at. */
#include "faulty.h"

void init(void)
{
    say("reading unmapped address 0x10000000");
    (void)*(volatile seL4_Word *)opaque(0x10000000);
    say("survived?");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
