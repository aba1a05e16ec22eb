/* overflow: recurses until its stack runs into the guard page below it. */
#include "faulty.h"

static unsigned depth;

static seL4_Word recurse(seL4_Word n)
{
    volatile char frame[512];
    if (n == (seL4_Word)-1)   /* never: keeps the compiler from objecting */
        return 0;
    frame[0] = (char)n;
    depth++;
    return recurse(n + 1) + frame[0];
}

void init(void)
{
    say("recursing without end");
    recurse(opaque(0));
    say("survived?");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
