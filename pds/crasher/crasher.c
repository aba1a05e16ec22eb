/* crasher: crashes on purpose, a different way on each run. Its memory
 * survives a restart (only the PC is reset), so it counts its runs. */
#include <microkit.h>

static unsigned runs;

/* An address the compiler cannot reason about. */
static volatile seL4_Word *address(seL4_Word a)
{
    __asm__("" : "+r"(a));
    return (volatile seL4_Word *)a;
}

void init(void)
{
    runs++;
    microkit_dbg_puts("crasher: run ");
    microkit_dbg_put32(runs);
    switch (runs % 3) {
    case 1:
        microkit_dbg_puts(": reading address 0x10\n");
        (void)*address(0x10);
        break;
    case 2:
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
