/*
 * serial_virt_rx: input from the serial port goes to one client at a time,
 * client 0 at start. Typing SERIAL_SWITCH_CHAR (Ctrl-T) and a digit N
 * sends what follows to client N. The virtualiser owns the driver's
 * receive buffers; each client owns its own and offers them.
 */
#include <serial/serial.h>
#include <transport/virt.h>

static struct connection driver, clients[SERIAL_MAX_CLIENTS];
static bool present[SERIAL_MAX_CLIENTS];
static unsigned selected;
static bool switching;
static unsigned long dropped;

/* Copy input bytes into one client buffer and hand it over. */
static void deliver(const uint8_t *bytes, uint32_t len)
{
    unsigned n = selected;
    struct buf_desc d;
    while (len) {
        uint8_t *to;
        if (!present[n] || !queue_dequeue(&clients[n].free, &d) ||
            !(to = connection_buffer(&clients[n], &d))) {
            dropped += len;     /* the client is not reading: its input is lost */
            return;
        }
        uint32_t k = len < d.len ? len : d.len;
        for (uint32_t i = 0; i < k; i++)
            to[i] = bytes[i];
        d.len = k;
        queue_enqueue(&clients[n].active, &d);
        bytes += k;
        len -= k;
    }
    if (queue_signal_needed(&clients[n].active))
        microkit_notify(VIRT_CH_CLIENT0 + n);
}

static void route(const uint8_t *bytes, uint32_t len)
{
    uint32_t start = 0;
    for (uint32_t i = 0; i < len; i++) {
        if (switching) {
            switching = false;
            if (bytes[i] >= '0' && bytes[i] < '0' + SERIAL_MAX_CLIENTS &&
                present[bytes[i] - '0'])
                selected = bytes[i] - '0';
            start = i + 1;
        } else if (bytes[i] == SERIAL_SWITCH_CHAR) {
            deliver(bytes + start, i - start);
            switching = true;
        }
    }
    if (!switching && start < len)
        deliver(bytes + start, len - start);
}

static void serve(void)
{
    struct buf_desc d;
    while (queue_next(&driver.active, &d)) {
        const uint8_t *bytes = connection_buffer(&driver, &d);
        if (bytes)
            route(bytes, d.len);
        d.len = driver.buf_size;
        queue_enqueue(&driver.free, &d);
    }
    if (queue_signal_needed(&driver.free))
        microkit_notify(VIRT_CH_DRIVER);
}

void init(void)
{
    struct virt_regions r = virt_driver();
    if (!connection_attach(&driver, r.queue, SERIAL_QUEUE_REGION, SERIAL_QUEUE_CAPACITY, r.data,
                           SERIAL_DATA_REGION, SERIAL_BUF_SIZE)) {
        microkit_dbg_puts("serial_virt_rx: no driver connection\n");
        return;
    }
    connection_offer_all(&driver);
    queue_request_signal(&driver.active);
    for (unsigned n = 0; n < SERIAL_MAX_CLIENTS; n++) {
        r = virt_client(n);
        present[n] = r.queue && connection_attach(&clients[n], r.queue, SERIAL_QUEUE_REGION,
                                                  SERIAL_QUEUE_CAPACITY, r.data,
                                                  SERIAL_DATA_REGION, SERIAL_BUF_SIZE);
    }
}

void notified(microkit_channel ch)
{
    if (ch == VIRT_CH_DRIVER)
        serve();
    /* A client notifies when it gives buffers back: nothing to do now. */
}
