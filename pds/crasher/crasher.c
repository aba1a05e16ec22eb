/* crasher: crashes on purpose, a different way on each run. Its memory
 * survives a restart (only the PC is reset, and libmicrokit's start-up
 * resets the stack pointer), so it counts its runs. */
#include <microkit.h>

static unsigned runs;

/* An address the compiler cannot reason about. */
static volatile seL4_Word *address(seL4_Word a)
{
    __asm__("" : "+r"(a));
    return (volatile seL4_Word *)a;
}

static seL4_Word recurse(seL4_Word n)
{
    volatile char frame[256];
    if (n == (seL4_Word)-1)     /* never: keeps the compiler from objecting */
        return 0;
    frame[0] = (char)n;
    return recurse(n + 1) + frame[0];
}

void init(void)
{
    runs++;
    microkit_dbg_puts("crasher: run ");
    microkit_dbg_put32(runs);
    switch (runs % 4) {
    case 1:
        microkit_dbg_puts(": overflowing the stack\n");
        recurse((seL4_Word)address(0));
        break;
    case 2:
        microkit_dbg_puts(": reading address 0x10\n");
        (void)*address(0x10);
        break;
    case 3:
        microkit_dbg_puts(": executing an undefined instruction\n");
        __asm__ volatile("udf #0");
        break;
    default:
        microkit_dbg_puts(": writing to read-only memory\n");
        *address((seL4_Word)&init) = 0;
        break;
    }
    microkit_dbg_puts("crasher: still alive?\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
