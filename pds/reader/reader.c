/* reader: prints the prefilled memory region 'message'
 * (sdf/prefill.system), whose address and sizes the monitor patches in. */
#include <microkit.h>

uintptr_t message;              /* setvar_vaddr */
uint64_t message_region_size;   /* setvar_size */
uint64_t message_size;          /* setvar_prefill_size: the file's length */

void init(void)
{
    const char *text = (const char *)message;
    microkit_dbg_puts("reader: region of ");
    microkit_dbg_put32((seL4_Uint32)message_region_size);
    microkit_dbg_puts(" bytes holds ");
    microkit_dbg_put32((seL4_Uint32)message_size);
    microkit_dbg_puts(" bytes of prefill:\n");
    for (uint64_t i = 0; i < message_size; i++)
        microkit_dbg_putc(text[i]);
    /* The rest of the region is zero. */
    uint64_t nonzero = 0;
    for (uint64_t i = message_size; i < message_region_size; i++)
        nonzero += text[i] != 0;
    microkit_dbg_puts("reader: ");
    microkit_dbg_put32((seL4_Uint32)nonzero);
    microkit_dbg_puts(" non-zero bytes after the prefill\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
