/* writer: checks and writes the memory regions of memory.system, then
 * tells the checker, which reads the shared one through its own mapping. */
#include <microkit.h>

uintptr_t fixed_vaddr, big_vaddr, dma_vaddr, shared_vaddr;
uint64_t big_prefill_size;
uint64_t dma_paddr, fixed_paddr;   /* region_paddr setvars */

static void hex(const char *what, uint64_t v)
{
    microkit_dbg_puts(what);
    microkit_dbg_puts("0x");
    for (int s = 60; s >= 0; s -= 4)
        microkit_dbg_putc("0123456789abcdef"[(v >> s) & 0xf]);
}

void init(void)
{
    hex("writer: fixed_ram at ", fixed_paddr);
    hex(", dma at ", dma_paddr);
    microkit_dbg_puts("\n");

    volatile uint64_t *fixed = (volatile uint64_t *)fixed_vaddr;
    volatile uint32_t *dma = (volatile uint32_t *)dma_vaddr;
    const volatile char *big = (const volatile char *)big_vaddr;
    unsigned zero = 1;
    for (unsigned i = 0; i < 0x3000 / 8; i++)
        zero &= fixed[i] == 0;
    for (unsigned i = 0; i < 0x2000 / 4; i++)
        zero &= dma[i] == 0;
    for (uint64_t i = big_prefill_size; i < 0x400000; i += 0x800)
        zero &= big[i] == 0;
    fixed[0x2ff8 / 8] = 0xf1f2;
    dma[0x1ffc / 4] = 0xd1d2;
    microkit_dbg_puts(zero ? "writer: regions start zeroed\n" : "writer: regions not zeroed!\n");

    microkit_dbg_puts("writer: big says: ");
    for (uint64_t i = 0; i < big_prefill_size && big[i] != '\n'; i++)
        microkit_dbg_putc(big[i]);
    microkit_dbg_puts("\n");

    const char *text = "written by writer";
    volatile char *shared = (volatile char *)shared_vaddr;
    for (unsigned i = 0; text[i]; i++)
        shared[i] = text[i];
    microkit_notify(0);
}

void notified(microkit_channel ch)
{
    (void)ch;
}
