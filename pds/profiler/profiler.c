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
 *   - a block device (the block virtualiser's client: setvars blk_queue and
 *     blk_data, and a channel with setvar_id="blk_channel"): the kernel's
 *     records as they are, in the format of pds/include/profiler_disk.h,
 *     on the partition the virtualiser gives it; "PROF|D <records>" on the
 *     console after each write says how many are on the disk;
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
#include <profiler_disk.h>
#include <block/block.h>
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
extern uintptr_t blk_queue;                             /* drivers/block/client.c */
uint64_t serial_tx_channel = SERIAL_NO_CHANNEL;
#define NO_CHANNEL (~0ull)
uint64_t net_rx_channel = NO_CHANNEL, net_tx_channel = NO_CHANNEL, net_timer_channel = NO_CHANNEL;
uint64_t blk_channel = NO_CHANNEL;                      /* drivers/block/client.c */

static enum { TO_CONSOLE, TO_SERIAL, TO_UDP, TO_BLOCK } sink;
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

/* ---- Block: records staged in the data region, written in whole blocks
   (pds/include/profiler_disk.h). The region: block 0 is the header's
   buffer, the rest a ring of STAGED_BLOCKS blocks, disk block 1 + b staged
   in ring block b % STAGED_BLOCKS. Records are staged up to a ring's worth
   ahead of those on the disk; one request is in flight at a time: records,
   then the header that counts them. */
#define STAGED_BLOCKS   (BLK_DATA_REGION / PROFILER_DISK_BLOCK - 1)
#define PER_BLOCK       PROFILER_DISK_RECORDS_PER_BLOCK
enum { DISK_IDLE, DISK_RECORDS, DISK_HEADER };
static struct {
    bool ready;
    int busy;                   /* DISK_RECORDS or DISK_HEADER in flight */
    uint64_t staged;            /* records staged so far */
    uint64_t on_disk;           /* records the header on the disk counts */
    uint64_t writing;           /* records on the disk once the request in flight is done */
    uint64_t capacity;          /* records the partition holds */
    struct profiler_disk_header header;
} disk;

static struct profiler_record *staged_record(uint64_t n)
{
    uint64_t block = (n / PER_BLOCK) % STAGED_BLOCKS;
    return (struct profiler_record *)(blk_data + PROFILER_DISK_BLOCK * (1 + block)) + n % PER_BLOCK;
}

static bool disk_room(void)
{
    return disk.ready && disk.staged < disk.capacity &&
           disk.staged - disk.on_disk < (STAGED_BLOCKS - 1) * PER_BLOCK;
}

static void disk_stage(const struct profiler_record *r)
{
    *staged_record(disk.staged++) = *r;
}

/* The next request, if none is in flight: staged records not yet on the
   disk (from the block of the first of them, as far as the ring runs
   contiguously), else the header, if it is behind. */
static void disk_write_next(void)
{
    if (!disk.ready || disk.busy != DISK_IDLE)
        return;
    if (disk.staged > disk.on_disk) {
        uint64_t first = disk.on_disk / PER_BLOCK, last = (disk.staged - 1) / PER_BLOCK;
        uint64_t ring = first % STAGED_BLOCKS;
        uint64_t count = last - first + 1;
        if (ring + count > STAGED_BLOCKS)
            count = STAGED_BLOCKS - ring;
        disk.writing = (first + count) * PER_BLOCK < disk.staged ? (first + count) * PER_BLOCK
                                                                  : disk.staged;
        if (!blk_request(BLK_WRITE, PROFILER_DISK_BLOCK * (1 + ring), 1 + first, (uint32_t)count,
                         DISK_RECORDS))
            return;
        disk.busy = DISK_RECORDS;
    } else if (disk.header.records != disk.on_disk || !disk.header.writes) {
        const struct profiler_header *h = (const struct profiler_header *)samples;
        disk.header.records = disk.on_disk;
        disk.header.dropped = h->dropped;
        disk.header.full = disk.staged >= disk.capacity;
        disk.header.writes++;
        *(struct profiler_disk_header *)blk_data = disk.header;
        if (!blk_request(BLK_WRITE, 0, 0, 1, DISK_HEADER))
            return;
        disk.busy = DISK_HEADER;
    } else {
        return;
    }
    blk_submit();
}

static void put_dec(uint64_t v);

/* The block channel: the partition is ready, or a request is done. */
static void disk_notified(void)
{
    if (!disk.ready) {
        if (!blk_ready())
            return;
        uint64_t blocks = blk_blocks();
        disk.capacity = blocks > 1 ? (blocks - 1) * PER_BLOCK : 0;
        disk.ready = true;
        for (unsigned i = 0; i < PROFILER_DISK_BLOCK; i++)
            ((volatile char *)blk_data)[i] = 0;
    }
    struct blk_response r;
    while (blk_response(&r)) {
        if (r.status != BLK_OK) {
            microkit_dbg_puts("profiler: a write to the disk failed; the export stops\n");
            disk.ready = false;
            return;
        }
        if (r.id == DISK_RECORDS) {
            disk.on_disk = disk.writing;
        } else if (r.id == DISK_HEADER) {
            microkit_dbg_puts("PROF|D ");
            put_dec(disk.header.records);
            microkit_dbg_puts(disk.header.full ? " full\n" : "\n");
        }
        disk.busy = DISK_IDLE;
    }
    disk_write_next();
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
    case TO_BLOCK:
        return disk_room();
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
        if (sink == TO_BLOCK)
            disk_stage(&records[tail % h->capacity]);
        else
            put_record(&records[tail % h->capacity]);
        __atomic_store_n(&h->tail, tail + 1, __ATOMIC_RELEASE);
        exported++;
    }
    if (sink == TO_BLOCK) {
        disk_write_next();
        return;     /* the disk's header counts what is written */
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
    } else if (blk_queue && blk_data && blk_channel != NO_CHANNEL) {
        blk_init((microkit_channel)blk_channel);
        sink = TO_BLOCK;
    } else if (serial_tx_queue && serial_tx_channel != SERIAL_NO_CHANNEL) {
        serial_init((microkit_channel)serial_tx_channel, SERIAL_NO_CHANNEL);
        sink = TO_SERIAL;
    }
    const struct profiler_header *h = (const struct profiler_header *)samples;
    if (sink == TO_BLOCK) {
        static const char magic[8] = PROFILER_DISK_MAGIC;
        for (unsigned i = 0; i < sizeof magic; i++)
            disk.header.magic[i] = magic[i];
        disk.header.version = PROFILER_DISK_VERSION;
        disk.header.record_size = sizeof(struct profiler_record);
        disk.header.period = h->period;
        disk.header.event = h->event;
        disk.header.timer_hz = h->timer_hz;
        disk.header.cores = h->cores;
        disk_notified();    /* the partition may be ready already */
        return;
    }
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
    /* The kernel: half its buffer is unread; a driver: buffers are back,
       a write is done (or, for lwIP, a frame came or a timer fired). */
    if (sink == TO_UDP)
        net_lwip_notified(ch);
    if (sink == TO_BLOCK && ch == blk_channel)
        disk_notified();
    if (ch == samples_channel || (sink == TO_SERIAL && ch == serial_tx_channel) ||
        (sink == TO_BLOCK && ch == blk_channel) || sink == TO_UDP)
        export();
}
