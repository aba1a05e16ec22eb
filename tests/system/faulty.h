/* Shared by the faulting PDs of isolation.system. */
#ifndef FAULTY_H
#define FAULTY_H

#include <microkit.h>

/* A value the compiler cannot see through. */
static inline seL4_Word opaque(seL4_Word v)
{
    __asm__ volatile("" : "+r"(v));
    return v;
}

static inline void say(const char *what)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": ");
    microkit_dbg_puts(what);
    microkit_dbg_puts("\n");
}

#endif
