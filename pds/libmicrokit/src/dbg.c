/* Debug output through the kernel console (seL4_DebugPutChar). */
#include <microkit.h>

void microkit_dbg_putc(int c)
{
#ifdef CONFIG_PRINTING
    seL4_DebugPutChar((char)c);
#else
    (void)c;
#endif
}

void microkit_dbg_puts(const char *s)
{
    while (*s)
        microkit_dbg_putc(*s++);
}

static void put_decimal(seL4_Uint32 x)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + x % 10);
        x /= 10;
    } while (x);
    while (n)
        microkit_dbg_putc(digits[--n]);
}

void microkit_dbg_put8(seL4_Uint8 x)
{
    put_decimal(x);
}

void microkit_dbg_put32(seL4_Uint32 x)
{
    put_decimal(x);
}

void __assert_fail(const char *expr, const char *file, unsigned int line, const char *function);

/* Weak, so a PD's own C library may provide it. */
__attribute__((weak)) void __assert_fail(const char *expr, const char *file, unsigned int line,
                                         const char *function)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts("|assert failed: ");
    microkit_dbg_puts(expr);
    microkit_dbg_puts(" ");
    microkit_dbg_puts(file);
    microkit_dbg_puts(":");
    microkit_dbg_put32(line);
    microkit_dbg_puts(" ");
    microkit_dbg_puts(function);
    microkit_dbg_puts("\n");
    microkit_internal_crash(seL4_IllegalOperation);
}
