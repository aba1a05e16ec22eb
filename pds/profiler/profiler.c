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
 * 1 instructions) and the counts.
 *
 * The port: the serial driver's, when the system makes the profiler a
 * client of it (the client library's setvars serial_tx_queue and
 * serial_tx_data, the channel setvar_id="serial_tx_channel"; usually
 * through the transmit virtualiser, whose "[profiler] " in front of each
 * line pdprofile.py skips); else the kernel's debug console
 * (DebugPutChar). Through the driver it sends while buffers are free and
 * goes on when the driver gives them back, so nothing is lost on the way;
 * samples the kernel cannot store meanwhile are counted as dropped.
 */
#include <microkit.h>
#include <profiler.h>
#include <serial/serial.h>

uintptr_t samples;              /* setvar_vaddr of the <profiler>'s region */
uint64_t samples_channel;       /* setvar_id of the <profiler> */
extern uintptr_t serial_tx_queue;                       /* drivers/serial/client.c */
uint64_t serial_tx_channel = SERIAL_NO_CHANNEL;

static uint64_t exported;
static bool via_driver;

/* Buffers one record's line can take (at most 7 + 4 * 17 + 21 + 11 * 17
   characters), and the batch's closing line. */
#define RECORD_BUFFERS 2
#define CLOSING_BUFFERS 1

static void out_char(char c)
{
    if (via_driver)
        serial_putchar(c);
    else
        microkit_dbg_putc(c);
}

static void out_text(const char *s)
{
    while (*s)
        out_char(*s++);
}

static void put_hex(uint64_t v)
{
    char digits[17];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    while (n)
        out_char(digits[--n]);
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
        out_char(digits[--n]);
}

static void put_record(const struct profiler_record *r)
{
    if (r->kind == PROFILER_THREAD_NAME) {
        out_text("PROF|T ");
        put_hex(r->thread);
        out_char(' ');
        put_hex(r->badge);
        out_char(' ');
        for (unsigned i = 0; i < sizeof r->u.name && r->u.name[i]; i++)
            out_char(r->u.name[i] > ' ' && r->u.name[i] < 0x7f ? r->u.name[i] : '_');
        out_char('\n');
        return;
    }
    if (r->kind != PROFILER_SAMPLE)
        return;
    out_text("PROF|S ");
    put_hex(r->thread);
    out_char(' ');
    put_hex(r->badge);
    out_char(' ');
    put_dec(r->time);
    out_char(' ');
    put_hex(r->pc);
    for (unsigned i = 0; i < r->depth && i < PROFILER_CHAIN_MAX; i++) {
        out_char(' ');
        put_hex(r->u.chain[i]);
    }
    out_char('\n');
}

/* Room for n more buffers of output (always, on the debug console). */
static bool room(unsigned n)
{
    return !via_driver || serial_tx_ready(n);
}

static void drain(void)
{
    struct profiler_header *h = (struct profiler_header *)samples;
    if (h->magic != PROFILER_MAGIC || h->version != PROFILER_VERSION || !h->capacity)
        return;
    const struct profiler_record *records = (const struct profiler_record *)(h + 1);
    uint64_t head = __atomic_load_n(&h->head, __ATOMIC_ACQUIRE);
    uint64_t tail = h->tail;
    /* Each record is given back to the kernel as soon as it is out. */
    for (; tail != head && room(RECORD_BUFFERS + CLOSING_BUFFERS); tail++) {
        put_record(&records[tail % h->capacity]);
        __atomic_store_n(&h->tail, tail + 1, __ATOMIC_RELEASE);
        exported++;
    }
    if (tail != head)
        return;     /* the rest when the driver gives buffers back */
    out_text("PROF|N ");
    put_dec(exported);
    out_char(' ');
    put_dec(h->dropped);
    out_char('\n');
}

void init(void)
{
    if (serial_tx_queue && serial_tx_channel != SERIAL_NO_CHANNEL) {
        serial_init((microkit_channel)serial_tx_channel, SERIAL_NO_CHANNEL);
        via_driver = true;
    }
    const struct profiler_header *h = (const struct profiler_header *)samples;
    out_text("PROF|H ");
    put_hex(h->period);
    out_char(' ');
    put_dec(h->event);
    out_char(' ');
    put_dec(h->timer_hz);
    out_char(' ');
    put_dec(h->capacity);
    out_char('\n');
}

void notified(microkit_channel ch)
{
    /* The kernel: half its buffer is unread; the driver: buffers are back. */
    if (ch == samples_channel || (via_driver && ch == serial_tx_channel))
        drain();
}
