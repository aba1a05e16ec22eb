/*
 * Console output: LDR|<LEVEL>: prefixed lines on the board's debug UART, with
 * \r\n line ends so that every terminal shows them. Polled, no buffering,
 * so the last line printed before a hang really is the last step reached.
 */
#include <board.h>
#include <format.h>
#include <serial.h>
#include <stdarg.h>

#include "loader.h"

static void console_putc(char c, void *ctx)
{
    (void)ctx;
    if (c == '\n')
        serial_putc('\r');
    serial_putc(c);
}

void print_init(void)
{
    serial_init(BOARD_UART_PHYS);
}

static void print_line(const char *prefix, const char *fmt, va_list ap)
{
    format(console_putc, NULL, "%s", prefix);
    format_va(console_putc, NULL, fmt, ap);
    console_putc('\n', NULL);
}

void log_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_line("LDR|INFO: ", fmt, ap);
    va_end(ap);
}

void log_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_line("LDR|WARN: ", fmt, ap);
    va_end(ap);
}

void log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_line("LDR|ERROR: ", fmt, ap);
    va_end(ap);
}

void halt(void)
{
    serial_flush();
    for (;;)
        __asm__ volatile("wfi");
}

void fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_line("LDR|ERROR: ", fmt, ap);
    va_end(ap);
    halt();
}
