#include "roottask.h"
#include <format.h>
#include <stdarg.h>

static void debug_putc(char c, void *ctx)
{
    (void)ctx;
    seL4_DebugPutChar(c);
}

void rt_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    format_va(debug_putc, NULL, fmt, ap);
    va_end(ap);
}
