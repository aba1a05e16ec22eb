/* parser: faults three calls deep, so that the monitor's backtrace has
 * frames to name (tests/debug/backtrace.system). */
#include <microkit.h>

struct frame {
    seL4_Word length;
    seL4_Word payload[4];
};

/* A pointer the compiler cannot see is null. */
static struct frame *received(seL4_Word where)
{
    __asm__ volatile("" : "+r"(where));
    return (struct frame *)where;
}

__attribute__((noinline)) static seL4_Word parse_frame(const struct frame *f)
{
    seL4_Word sum = 0;
    for (seL4_Word i = 0; i < f->length && i < 4; i++)
        sum += f->payload[i];
    return sum;
}

__attribute__((noinline)) static seL4_Word handle_packet(seL4_Word where)
{
    return parse_frame(received(where)) + 1;
}

void init(void)
{
    microkit_dbg_puts("parser: parsing a frame at address 0\n");
    seL4_Word sum = handle_packet(0);
    microkit_dbg_puts("parser: survived?\n");
    microkit_dbg_put32((seL4_Uint32)sum);
}

void notified(microkit_channel ch)
{
    (void)ch;
}
