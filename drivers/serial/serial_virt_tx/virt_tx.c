/*
 * serial_virt_tx: several clients share one serial port. Each client's
 * lines are copied into the driver's buffers with the client's name in
 * front ("[name] "), so output of different clients never mixes within a
 * line. Clients are served round robin, one buffer at a time; a buffer is
 * given back as soon as it is copied.
 */
#include <serial/serial.h>
#include <transport/virt.h>

struct client {
    struct connection conn;
    bool present;
    bool busy;                  /* `cur` is being copied */
    bool line_start;
    struct buf_desc cur;
    uint32_t pos;
    char prefix[SERIAL_NAME_LENGTH + 4];
};

static struct client clients[SERIAL_MAX_CLIENTS];
static struct connection driver;
static struct buf_desc out;             /* driver buffer being filled */
static uint32_t out_len;
static bool have_out;

/* "[name] " from what the client wrote into its queue region, printable
   characters only (it is the client's memory). */
static void load_prefix(struct client *c, unsigned n, uintptr_t queue)
{
    const volatile char *name = (const volatile char *)(queue + SERIAL_NAME_OFFSET);
    unsigned len = 0;
    c->prefix[len++] = '[';
    for (unsigned i = 0; i < SERIAL_NAME_LENGTH - 1 && name[i]; i++)
        if (name[i] > ' ' && name[i] < 0x7f)
            c->prefix[len++] = name[i];
    if (len == 1) {
        const char *dflt = "client";
        while (*dflt)
            c->prefix[len++] = *dflt++;
        c->prefix[len++] = (char)('0' + n);
    }
    c->prefix[len++] = ']';
    c->prefix[len++] = ' ';
    c->prefix[len] = 0;
}

static void send_out(void)
{
    if (have_out && out_len) {
        out.len = out_len;
        queue_enqueue(&driver.active, &out);
        have_out = false;
    }
}

/* Room for one more byte towards the driver. */
static bool out_room(void)
{
    if (have_out && out_len == driver.buf_size)
        send_out();
    if (!have_out) {
        if (!connection_get_buffer(&driver, &out))
            return false;
        have_out = true;
        out_len = 0;
    }
    return true;
}

static bool out_byte(char c)
{
    if (!out_room())
        return false;
    ((char *)connection_buffer(&driver, &out))[out_len++] = c;
    return true;
}

/* Copy as much of client n's current buffer as the driver's buffers take.
   Returns false when they ran out. */
static bool copy_client(unsigned n)
{
    struct client *c = &clients[n];
    const char *bytes = connection_buffer(&c->conn, &c->cur);
    if (!bytes)
        c->pos = c->cur.len;    /* out of bounds: dropped */
    while (c->pos < c->cur.len) {
        if (c->line_start) {
            if (!c->prefix[0])
                load_prefix(c, n, virt_client(n).queue);
            /* The prefix goes out whole or not at all. */
            unsigned len = 0;
            while (c->prefix[len])
                len++;
            if (have_out && out_len + len > driver.buf_size)
                send_out();
            if (!out_room())
                return false;
            for (unsigned i = 0; i < len; i++)
                out_byte(c->prefix[i]);
            c->line_start = false;
        }
        char ch = bytes[c->pos];
        if (!out_byte(ch))
            return false;
        c->pos++;
        if (ch == '\n')
            c->line_start = true;
    }
    return true;
}

static void serve(void)
{
    bool progress = true, blocked = false;
    while (progress && !blocked) {
        progress = false;
        for (unsigned n = 0; n < SERIAL_MAX_CLIENTS && !blocked; n++) {
            struct client *c = &clients[n];
            if (!c->present)
                continue;
            if (!c->busy) {
                if (!queue_dequeue(&c->conn.active, &c->cur))
                    continue;
                c->busy = true;
                c->pos = 0;
            }
            if (!copy_client(n)) {
                blocked = true;
                break;
            }
            c->busy = false;
            queue_enqueue(&c->conn.free, &c->cur);
            if (queue_signal_needed(&c->conn.free))
                microkit_notify(VIRT_CH_CLIENT0 + n);
            progress = true;
        }
    }
    send_out();
    if (queue_signal_needed(&driver.active))
        microkit_notify(VIRT_CH_DRIVER);
    if (blocked) {
        /* Out of driver buffers: go on when the driver returns some. */
        if (!queue_request_signal(&driver.free))
            serve();
        return;
    }
    /* Every client drained: wait for any of them. */
    for (unsigned n = 0; n < SERIAL_MAX_CLIENTS; n++)
        if (clients[n].present && !queue_request_signal(&clients[n].conn.active)) {
            serve();
            return;
        }
}

void init(void)
{
    struct virt_regions d = virt_driver();
    if (!connection_attach(&driver, d.queue, SERIAL_QUEUE_REGION, SERIAL_QUEUE_CAPACITY, d.data,
                           SERIAL_DATA_REGION, SERIAL_BUF_SIZE)) {
        microkit_dbg_puts("serial_virt_tx: no driver connection\n");
        return;
    }
    for (unsigned n = 0; n < SERIAL_MAX_CLIENTS; n++) {
        struct virt_regions r = virt_client(n);
        struct client *c = &clients[n];
        c->present = r.queue && connection_attach(&c->conn, r.queue, SERIAL_QUEUE_REGION,
                                                  SERIAL_QUEUE_CAPACITY, r.data,
                                                  SERIAL_DATA_REGION, SERIAL_BUF_SIZE);
        c->line_start = true;
        if (c->present)
            queue_request_signal(&c->conn.active);
    }
}

void notified(microkit_channel ch)
{
    (void)ch;       /* a client sent, or the driver gave buffers back */
    serve();
}
