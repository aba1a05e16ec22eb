#include <microkit.h>
#include "lines.h"

void print_line(const char *prefix, const char *text, uint64_t size)
{
    microkit_dbg_puts(prefix);
    for (uint64_t i = 0; i < size && text[i] != '\n'; i++)
        microkit_dbg_putc(text[i]);
    microkit_dbg_putc('\n');
}
