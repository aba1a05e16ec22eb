/*
 * The profiler PD: reads the kernel's samples (kernel/uapi/profiler.h)
 * from the buffer the system description gives it (<profiler>) whenever
 * the kernel signals that half of it is unread, and exports them as text
 * lines on the serial port; scripts/pdprofile.py turns a log of them into
 * perf script text, flame graphs and make report's samples
 * (docs/debugging.md, "Sampling profiler"). The lines:
 *
 *   PROF|H <period> <event> <timer_hz> <capacity> <cores>    at start
 *   PROF|T <thread> <badge> <name>                    a thread's name
 *   PROF|C <core> <thread> <badge> <time> <pc> [<return address>...]
 *   PROF|N <records exported> <samples dropped>      after each batch
 *
 * numbers in hexadecimal except time (decimal ticks), event (0 cycles,
 * 1 instructions), the core and the counts. (A sample line without its
 * core, "PROF|S <thread> <badge> <time> <pc> ...", is the single-core
 * form earlier profilers wrote; scripts/pdprofile.py reads both.)
 *
 * Where the lines go, by what the system description connects (in this
 * order):
 *   - UDP datagrams over the network (lwIP on the network virtualisers, as
 *     any network client: the client library's setvars net_rx_queue,
 *     net_rx_data, net_tx_queue, net_tx_data, and channels with
 *     setvar_id="net_rx_channel", "net_tx_channel" and "net_timer_channel",
 *     the last to the timer driver for lwIP's timers). The profiler is
 *     PROFILER_UDP_ADDRESS and sends to PROFILER_UDP_HOST port
 *     PROFILER_UDP_PORT (defaults below, for QEMU's user network, where the
 *     host is 10.0.2.2; PD_CFLAGS_profiler=-D... for others). Datagrams hold
 *     whole lines; nothing is sent until the host's address is resolved;
 *   - the serial driver, as a client of its transmit virtualiser (setvars
 *     serial_tx_queue and serial_tx_data, setvar_id="serial_tx_channel");
 *     the virtualiser's "[profiler] " in front of each line pdprofile.py
 *     skips;
 *   - else the kernel's debug console (DebugPutChar).
 * Through a driver it sends while buffers are free and goes on when they
 * come back, so nothing is lost on the way; samples the kernel cannot store
 * meanwhile are counted as dropped.
 */
#include <microkit.h>
#include <profiler.h>
#include <serial/serial.h>
#include <network/network.h>
#include <net_lwip.h>
#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "lwip/udp.h"

#ifndef PROFILER_UDP_ADDRESS
#define PROFILER_UDP_ADDRESS    NET_LWIP_IPV4(10, 0, 2, 17)
#define PROFILER_UDP_NETMASK    NET_LWIP_IPV4(255, 255, 255, 0)
#define PROFILER_UDP_GATEWAY    NET_LWIP_IPV4(10, 0, 2, 2)
#endif
#ifndef PROFILER_UDP_HOST
#define PROFILER_UDP_HOST       NET_LWIP_IPV4(10, 0, 2, 2)
#endif
#ifndef PROFILER_UDP_PORT
#define PROFILER_UDP_PORT       7700
#endif

uintptr_t samples;              /* setvar_vaddr of the <profiler>'s region */
uint64_t samples_channel;       /* setvar_id of the <profiler> */
extern uintptr_t serial_tx_queue;                       /* drivers/serial/client.c */
extern uintptr_t net_rx_queue, net_tx_queue;            /* drivers/network/client.c */
uint64_t serial_tx_channel = SERIAL_NO_CHANNEL;
#define NO_CHANNEL (~0ull)
uint64_t net_rx_channel = NO_CHANNEL, net_tx_channel = NO_CHANNEL, net_timer_channel = NO_CHANNEL;

static enum { TO_CONSOLE, TO_SERIAL, TO_UDP } sink;
static uint64_t exported;

/* Buffers one record's line can take (at most 7 + 6 + 4 * 17 + 21 + 11 * 17
   characters), and the batch's closing line. */
#define RECORD_BUFFERS 2
#define CLOSING_BUFFERS 1
#define MAX_LINE 300

/* ---- UDP: lines gathered into a datagram, sent when the next might not fit */
static struct udp_pcb *pcb;
static struct netif *interface;
static const ip4_addr_t host = PROFILER_UDP_HOST;
static char datagram[1400];
static unsigned datagram_length;

/* The host's MAC address is known: datagrams will not wait in ARP. */
static bool udp_ready(void)
{
    struct eth_addr *mac;
    const ip4_addr_t *ip;
    if (!pcb)
        return false;
    if (etharp_find_addr(interface, &host, &mac, &ip) >= 0)
        return true;
    etharp_query(interface, &host, NULL);
    return false;
}

/* Send the datagram gathered; false if the network has no buffer now. */
static bool udp_flush(void)
{
    if (!datagram_length)
        return true;
    struct pbuf *b = pbuf_alloc(PBUF_TRANSPORT, (u16_t)datagram_length, PBUF_RAM);
    if (!b)
        return false;
    pbuf_take(b, datagram, (u16_t)datagram_length);
    err_t err = udp_sendto(pcb, b, &host, PROFILER_UDP_PORT);
    pbuf_free(b);
    if (err != ERR_OK)
        return false;
    datagram_length = 0;
    return true;
}

static void interface_up(struct netif *n)
{
    interface = n;
    pcb = udp_new();
    if (pcb)
        udp_ready();
}

static void out_char(char c)
{
    switch (sink) {
    case TO_UDP:
        if (datagram_length < sizeof datagram)
            datagram[datagram_length++] = c;
        break;
    case TO_SERIAL:
        serial_putchar(c);
        break;
    default:
        microkit_dbg_putc(c);
        break;
    }
}

static void out_text(const char *s)
{
    while (*s)
        out_char(*s++);
}

/* Room for one more line (and the closing one) now? */
static bool room(void)
{
    switch (sink) {
    case TO_UDP:
        return datagram_length + 2 * MAX_LINE <= sizeof datagram || udp_flush();
    case TO_SERIAL:
        return serial_tx_ready(RECORD_BUFFERS + CLOSING_BUFFERS);
    default:
        return true;
    }
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
    out_text("PROF|C ");
    put_dec(r->core);
    out_char(' ');
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

static void drain(void)
{
    struct profiler_header *h = (struct profiler_header *)samples;
    if (h->magic != PROFILER_MAGIC || h->version != PROFILER_VERSION || !h->capacity)
        return;
    const struct profiler_record *records = (const struct profiler_record *)(h + 1);
    if (sink == TO_UDP && !udp_ready())
        return;     /* again at the next notification */
    uint64_t head = __atomic_load_n(&h->head, __ATOMIC_ACQUIRE);
    uint64_t tail = h->tail;
    /* Each record is given back to the kernel as soon as it is out. */
    for (; tail != head && room(); tail++) {
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

/* Export what there is, and push it out. */
static void export(void)
{
    drain();
    if (sink == TO_UDP) {
        udp_flush();
        net_flush();
    }
}

void init(void)
{
    if (net_rx_queue && net_tx_queue && net_rx_channel != NO_CHANNEL &&
        net_tx_channel != NO_CHANNEL && net_timer_channel != NO_CHANNEL) {
        static const struct net_lwip_config config = {
            .address = PROFILER_UDP_ADDRESS, .netmask = PROFILER_UDP_NETMASK,
            .gateway = PROFILER_UDP_GATEWAY, .up = interface_up,
        };
        struct net_lwip_config c = config;
        c.rx = (microkit_channel)net_rx_channel;
        c.tx = (microkit_channel)net_tx_channel;
        c.timer = (microkit_channel)net_timer_channel;
        net_lwip_init(&c);
        sink = TO_UDP;
    } else if (serial_tx_queue && serial_tx_channel != SERIAL_NO_CHANNEL) {
        serial_init((microkit_channel)serial_tx_channel, SERIAL_NO_CHANNEL);
        sink = TO_SERIAL;
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
    out_char(' ');
    put_dec(h->cores);
    out_char('\n');
}

void notified(microkit_channel ch)
{
    /* The kernel: half its buffer is unread; a driver: buffers are back
       (or, for lwIP, a frame came or a timer fired). */
    if (sink == TO_UDP)
        net_lwip_notified(ch);
    if (ch == samples_channel || (sink == TO_SERIAL && ch == serial_tx_channel) || sink == TO_UDP)
        export();
}
