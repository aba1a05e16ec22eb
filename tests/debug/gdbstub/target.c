/* The PD gdb debugs in tests/debug/run.py gdbstub: it loops for ever
   through functions and variables the gdb script stops at and looks at. */
#include <microkit.h>

volatile uint64_t counter;
volatile uint64_t watched;
volatile uint64_t poke = 0x1122334455667788ull;
volatile uint64_t result;

/* Not static: the gdb script names them (and static ones could be cloned). */
uint64_t step_here(uint64_t x);
void touch(void);

__attribute__((noinline)) uint64_t step_here(uint64_t x)
{
    return x * 3 + 1;
}

__attribute__((noinline)) void touch(void)
{
    watched = counter;
}

void init(void)
{
    for (;;) {
        counter++;
        result = step_here(counter);
        if ((counter & 0xf) == 0)
            touch();
    }
}

void notified(microkit_channel ch)
{
    (void)ch;
}
