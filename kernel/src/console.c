/* Kernel console on the board's debug UART (mapped in the device window). */
#include <kernel/print.h>
#include <kernel/assert.h>
#include <kernel/smp.h>
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

#if defined(CONFIG_PRINTING) && CONFIG_MAX_NUM_NODES > 1
/*
 * The console's own lock. DebugPutChar does not take the big kernel lock
 * (fastpath.c), so the UART needs a lock of its own: "wait for room in the
 * transmit FIFO, then write" must be one step, or two cores that both see
 * one free place lose a character, and a line the kernel prints should not
 * have another core's characters in its middle. Whoever holds it only
 * writes to the UART (never waits for another lock or core), so it is held
 * briefly and cannot deadlock. The value is the holder's index + 1 (0:
 * free); the holder may take it again (a panic in the middle of a line).
 */
static word_t console_holder;

/* Take the lock; false if this core already had it (leave it held then). */
static bool console_lock(void)
{
    word_t me = cpu_index() + 1;
    if (__atomic_load_n(&console_holder, __ATOMIC_RELAXED) == me)
        return false;
    for (;;) {
        word_t free = 0;
        if (__atomic_compare_exchange_n(&console_holder, &free, me, true, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return true;
        /* The holder's release store wakes the WFE (the monitor is armed). */
        while (load_acquire_exclusive(&console_holder))
            __asm__ volatile("wfe" ::: "memory");
    }
}

static void console_unlock(bool taken)
{
    if (taken)
        __atomic_store_n(&console_holder, 0, __ATOMIC_RELEASE);
}
#else
static inline bool console_lock(void)
{
    return false;
}

static inline void console_unlock(bool taken)
{
    (void)taken;
}
#endif

#ifdef CONFIG_PRINTING
static void console_write(char c)
{
    if (c == '\n')
        serial_putc('\r');
    serial_putc(c);
}
#endif

void console_putc(char c)
{
#ifdef CONFIG_PRINTING
    bool taken = console_lock();
    console_write(c);
    console_unlock(taken);
#else
    (void)c;
#endif
}

#ifdef CONFIG_PRINTING
static void console_format_putc(char c, void *ctx)
{
    (void)ctx;
    console_write(c);
}
#endif

/* A whole message under the console lock: kernel lines stay whole. */
void kprintf(const char *fmt, ...)
{
#ifdef CONFIG_PRINTING
    va_list ap;
    va_start(ap, fmt);
    bool taken = console_lock();
    format_va(console_format_putc, NULL, fmt, ap);
    console_unlock(taken);
    va_end(ap);
#else
    (void)fmt;
#endif
}

_Noreturn void kernel_panic(const char *fmt, ...)
{
#ifdef CONFIG_PRINTING
    va_list ap;
    bool taken = console_lock();
    kprintf("\nKERNEL PANIC: ");
    va_start(ap, fmt);
    format_va(console_format_putc, NULL, fmt, ap);
    va_end(ap);
    kprintf("\nsystem halted\n");
    serial_flush();
    /* The other cores' messages (another panic) may still be seen. */
    console_unlock(taken);
#else
    (void)fmt;
#endif
    arch_halt();
}
