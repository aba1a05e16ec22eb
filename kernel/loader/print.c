/*
 * Console output: LDR|<LEVEL>: prefixed lines on the board's debug UART, with
 * \r\n line ends so that every terminal shows them. Polled, no buffering,
 * so the last line printed before a hang really is the last step reached.
 * Info lines come from the boot core only: the other cores (smp.c) repeat
 * its steps, and its "N cores started" line reports them (each line costs
 * boot time); their warnings and errors print as the boot core's do.
 */
#include <board.h>
#include <format.h>
#include <serial.h>
#include <stdarg.h>

#include "loader.h"
#include "sysreg.h"

#if CONFIG_MAX_NUM_NODES > 1
#define MPIDR_AFFINITY 0xff00fffffful

static uint64_t boot_core_mpidr;

static bool on_boot_core(void)
{
    return (read_sysreg(mpidr_el1) & MPIDR_AFFINITY) == boot_core_mpidr;
}
#else
static bool on_boot_core(void)
{
    return true;
}
#endif

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
#if CONFIG_MAX_NUM_NODES > 1
    boot_core_mpidr = read_sysreg(mpidr_el1) & MPIDR_AFFINITY;
#endif
}

static void print_line(const char *prefix, const char *fmt, va_list ap)
{
    format(console_putc, NULL, "%s", prefix);
    format_va(console_putc, NULL, fmt, ap);
    console_putc('\n', NULL);
}

void log_info(const char *fmt, ...)
{
    if (!on_boot_core())
        return;
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
