#include "roottask.h"
#include <format.h>
#include <stdarg.h>

static void debug_putc(char c, void *ctx)
{
    (void)ctx;
#ifdef CONFIG_PRINTING
    seL4_DebugPutChar(c);
#else
    (void)c;    /* a release kernel has no console for user level */
#endif
}

void rt_vprintf(const char *fmt, va_list ap)
{
    format_va(debug_putc, NULL, fmt, ap);
}

void rt_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rt_vprintf(fmt, ap);
    va_end(ap);
}
