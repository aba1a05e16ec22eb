/*
 * The profiler PD: reads the kernel's samples (kernel/uapi/profiler.h)
 * from the buffer the system description gives it (<profiler>) whenever
 * the kernel signals that half of it is unread, and exports them as text
 * lines on the serial port; scripts/pdprofile.py turns a log of them into
 * perf script text, flame graphs and make report's samples
 * (docs/debugging.md, "Sampling profiler"). The lines:
 *
 *   PROF|H <period> <event> <timer_hz> <capacity>    at start
 *   PROF|T <thread> <badge> <name>                    a thread's name
 *   PROF|S <thread> <badge> <time> <pc> [<return address>...]
 *   PROF|N <records exported> <samples dropped>      after each batch
 *
 * numbers in hexadecimal except time (decimal ticks), event (0 cycles,
 * 1 instructions) and the counts. Until the serial driver PD is on main
 * the lines go out through the kernel's debug console (DebugPutChar).
 */
#include <microkit.h>
#include <profiler.h>

uintptr_t samples;              /* setvar_vaddr of the <profiler>'s region */
uint64_t samples_channel;       /* setvar_id of the <profiler> */

static uint64_t exported;

static void put_hex(uint64_t v)
{
    char digits[17];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    while (n)
        microkit_dbg_putc(digits[--n]);
}

static void put_dec(uint64_t v)
{
    char digits[21];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        microkit_dbg_putc(digits[--n]);
}

static void put_record(const struct profiler_record *r)
{
    if (r->kind == PROFILER_THREAD_NAME) {
        microkit_dbg_puts("PROF|T ");
        put_hex(r->thread);
        microkit_dbg_putc(' ');
        put_hex(r->badge);
        microkit_dbg_putc(' ');
        for (unsigned i = 0; i < sizeof r->u.name && r->u.name[i]; i++)
            microkit_dbg_putc(r->u.name[i] > ' ' && r->u.name[i] < 0x7f ? r->u.name[i] : '_');
        microkit_dbg_putc('\n');
        return;
    }
    if (r->kind != PROFILER_SAMPLE)
        return;
    microkit_dbg_puts("PROF|S ");
    put_hex(r->thread);
    microkit_dbg_putc(' ');
    put_hex(r->badge);
    microkit_dbg_putc(' ');
    put_dec(r->time);
    microkit_dbg_putc(' ');
    put_hex(r->pc);
    for (unsigned i = 0; i < r->depth && i < PROFILER_CHAIN_MAX; i++) {
        microkit_dbg_putc(' ');
        put_hex(r->u.chain[i]);
    }
    microkit_dbg_putc('\n');
}

static void drain(void)
{
    struct profiler_header *h = (struct profiler_header *)samples;
    if (h->magic != PROFILER_MAGIC || h->version != PROFILER_VERSION || !h->capacity)
        return;
    const struct profiler_record *records = (const struct profiler_record *)(h + 1);
    uint64_t head = __atomic_load_n(&h->head, __ATOMIC_ACQUIRE);
    for (uint64_t tail = h->tail; tail != head; tail++)
        put_record(&records[tail % h->capacity]);
    exported += head - h->tail;
    __atomic_store_n(&h->tail, head, __ATOMIC_RELEASE);
    microkit_dbg_puts("PROF|N ");
    put_dec(exported);
    microkit_dbg_putc(' ');
    put_dec(h->dropped);
    microkit_dbg_putc('\n');
}

void init(void)
{
    const struct profiler_header *h = (const struct profiler_header *)samples;
    microkit_dbg_puts("PROF|H ");
    put_hex(h->period);
    microkit_dbg_putc(' ');
    put_dec(h->event);
    microkit_dbg_putc(' ');
    put_dec(h->timer_hz);
    microkit_dbg_putc(' ');
    put_dec(h->capacity);
    microkit_dbg_putc('\n');
}

void notified(microkit_channel ch)
{
    if (ch == samples_channel)
        drain();
}
