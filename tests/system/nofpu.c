/* nofpu: uses the FPU, which its system description turns off. */
#include "faulty.h"

static volatile double x = 1.5;

void init(void)
{
    say("using the FPU with fpu=\"false\"");
    x = x * 3.0;
    say("survived?");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
