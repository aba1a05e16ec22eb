/* Kernel console on the board's debug UART (mapped in the device window). */
#include <kernel/print.h>
#include <kernel/assert.h>
#include <arch/mmu.h>
#include <arch/machine.h>
#include <format.h>
#include <serial.h>
#include <stdarg.h>

void console_init(void)
{
#ifdef CONFIG_PRINTING
    serial_init(KDEV_UART_VADDR);
#endif
}

void console_putc(char c)
{
#ifdef CONFIG_PRINTING
    if (c == '\n')
        serial_putc('\r');
    serial_putc(c);
#else
    (void)c;
#endif
}

#ifdef CONFIG_PRINTING
static void console_format_putc(char c, void *ctx)
{
    (void)ctx;
    console_putc(c);
}
#endif

void kprintf(const char *fmt, ...)
{
#ifdef CONFIG_PRINTING
    va_list ap;
    va_start(ap, fmt);
    format_va(console_format_putc, NULL, fmt, ap);
    va_end(ap);
#else
    (void)fmt;
#endif
}

_Noreturn void kernel_panic(const char *fmt, ...)
{
#ifdef CONFIG_PRINTING
    va_list ap;
    kprintf("\nKERNEL PANIC: ");
    va_start(ap, fmt);
    format_va(console_format_putc, NULL, fmt, ap);
    va_end(ap);
    kprintf("\nsystem halted\n");
    serial_flush();
#else
    (void)fmt;
#endif
    arch_halt();
}
