/* checker: reads what the writer put into the shared region, and the
 * prefill through a second mapping of the same 2 MiB frames. */
#include <microkit.h>

uintptr_t shared_vaddr, big_vaddr;

void init(void)
{
}

void notified(microkit_channel ch)
{
    (void)ch;
    microkit_dbg_puts("checker: shared says: ");
    microkit_dbg_puts((const char *)shared_vaddr);
    microkit_dbg_puts("\nchecker: big starts with: ");
    const char *big = (const char *)big_vaddr;
    for (unsigned i = 0; i < 9; i++)
        microkit_dbg_putc(big[i]);
    microkit_dbg_puts("\n");
}
