/*
 * net_virt_rx: received frames to their client. Each frame the driver hands
 * over is copied into a buffer of the client whose MAC address it is sent
 * to (broadcast and multicast frames: into one of every client), then the
 * driver's buffer is given back at once; frames for nobody are dropped.
 * This virtualiser owns the driver's receive buffers: the device writes
 * them, clients never see them.
 */
#include <network/network.h>
#include <transport/virt.h>

static struct connection driver, clients[NET_MAX_CLIENTS];
static bool present[NET_MAX_CLIENTS], notify_client[NET_MAX_CLIENTS];
static uint8_t macs[NET_MAX_CLIENTS][6];
static uint64_t paddr;          /* of the driver's buffers */
static bool macs_known;
static unsigned long dropped;

static bool same_mac(const uint8_t *a, const uint8_t *b)
{
    for (unsigned i = 0; i < 6; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* Once the driver has published the device's MAC: tell each client its own. */
static void learn_macs(void)
{
    uint8_t device[6];
    if (macs_known || !net_info_read(driver_queue, device))
        return;
    for (unsigned n = 0; n < NET_MAX_CLIENTS; n++) {
        if (!present[n])
            continue;
        net_client_mac(device, n, macs[n]);
        net_info_publish(virt_client(n).queue, macs[n]);
        microkit_notify(VIRT_CH_CLIENT0 + n);
    }
    macs_known = true;
}

static void deliver(unsigned n, const uint8_t *frame, uint32_t len)
{
    struct buf_desc d;
    uint8_t *to;
    if (!queue_dequeue(&clients[n].free, &d) || !(to = connection_buffer(&clients[n], &d)) ||
        d.len < len) {
        dropped++;          /* the client is behind: its frame is lost */
        return;
    }
    for (uint32_t i = 0; i < len; i++)
        to[i] = frame[i];
    d.len = len;
    queue_enqueue(&clients[n].active, &d);
    notify_client[n] = true;
}

static void route(const uint8_t *frame, uint32_t len)
{
    bool group = frame[0] & 1;
    for (unsigned n = 0; n < NET_MAX_CLIENTS; n++)
        if (present[n] && (group || same_mac(frame, macs[n])))
            deliver(n, frame, len);
}

static void serve(void)
{
    struct buf_desc d;
    bool returned = false;
    while (queue_next(&driver.active, &d)) {
        struct buf_desc local = { .addr = d.addr - paddr, .len = d.len };
        const uint8_t *frame = connection_buffer(&driver, &local);
        if (frame && macs_known && d.len >= NET_MIN_FRAME && d.len <= NET_BUF_SIZE)
            route(frame, d.len);
        d.len = NET_BUF_SIZE;
        queue_enqueue(&driver.free, &d);
        returned = true;
    }
    if (returned && queue_signal_needed(&driver.free))
        microkit_notify(VIRT_CH_DRIVER);
    for (unsigned n = 0; n < NET_MAX_CLIENTS; n++) {
        if (notify_client[n] && queue_signal_needed(&clients[n].active))
            microkit_notify(VIRT_CH_CLIENT0 + n);
        notify_client[n] = false;
    }
}

void init(void)
{
    struct virt_regions r = virt_driver();
    paddr = r.data_paddr;
    if (!paddr || !connection_attach(&driver, r.queue, NET_INFO_OFFSET, NET_QUEUE_CAPACITY, r.data,
                                     NET_DATA_REGION, NET_BUF_SIZE)) {
        microkit_dbg_puts("net_virt_rx: driver connection missing\n");
        return;
    }
    /* Offer every buffer to the driver, by physical address. */
    for (uint32_t i = 0; i < connection_buffers(&driver); i++) {
        struct buf_desc d = { .addr = paddr + (uint64_t)i * NET_BUF_SIZE, .len = NET_BUF_SIZE };
        queue_enqueue(&driver.free, &d);
    }
    queue_request_signal(&driver.active);
    for (unsigned n = 0; n < NET_MAX_CLIENTS; n++) {
        r = virt_client(n);
        present[n] = r.queue && connection_attach(&clients[n], r.queue, NET_INFO_OFFSET,
                                                  NET_QUEUE_CAPACITY, r.data, NET_DATA_REGION,
                                                  NET_BUF_SIZE);
    }
    learn_macs();
    microkit_notify(VIRT_CH_DRIVER);
}

void notified(microkit_channel ch)
{
    learn_macs();
    if (ch == VIRT_CH_DRIVER)
        serve();
}
