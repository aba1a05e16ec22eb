/* undefined: executes an undefined instruction. */
#include "faulty.h"

void init(void)
{
    say("executing an undefined instruction");
    __asm__ volatile("udf #42");
    say("survived?");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
