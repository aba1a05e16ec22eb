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
 * writes to the UART (it never waits for another lock or core), so it is
 * held briefly and cannot deadlock. A test-and-set lock: the monitor's boot
 * summary takes it once a character.
 */
static word_t console_busy;

static ALWAYS_INLINE bool console_try_lock(void)
{
    return __atomic_exchange_n(&console_busy, 1, __ATOMIC_ACQUIRE) == 0;
}

static ALWAYS_INLINE void console_lock(void)
{
    while (unlikely(!console_try_lock())) {
        /* The holder's release store wakes the WFE (the monitor is armed). */
        while (load_acquire_exclusive(&console_busy))
            __asm__ volatile("wfe" ::: "memory");
    }
}

static ALWAYS_INLINE void console_unlock(void)
{
    __atomic_store_n(&console_busy, 0, __ATOMIC_RELEASE);
}

/* A panic must be seen even if the lock is never released (its holder
   stopped with it): it waits a while, then prints regardless. */
static bool console_lock_for_panic(void)
{
    for (unsigned tries = 0; tries < 1000000; tries++)
        if (console_try_lock())
            return true;
    return false;
}
#else
static inline void console_lock(void) {}
static inline void console_unlock(void) {}
static inline bool console_lock_for_panic(void)
{
    return false;
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
    console_lock();
    console_write(c);
    console_unlock();
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
    console_lock();
    format_va(console_format_putc, NULL, fmt, ap);
    console_unlock();
    va_end(ap);
#else
    (void)fmt;
#endif
}

_Noreturn void kernel_panic(const char *fmt, ...)
{
#ifdef CONFIG_PRINTING
    va_list ap;
    bool locked = console_lock_for_panic();
    format(console_format_putc, NULL, "\nKERNEL PANIC: ");
    va_start(ap, fmt);
    format_va(console_format_putc, NULL, fmt, ap);
    va_end(ap);
    format(console_format_putc, NULL, "\nsystem halted\n");
    serial_flush();
    /* The other cores' messages (another panic) may still be seen. */
    if (locked)
        console_unlock();
#else
    (void)fmt;
#endif
    arch_halt();
}
