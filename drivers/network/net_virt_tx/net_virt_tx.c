/*
 * net_virt_tx: the clients' frames to the driver, without copying: a
 * client's buffer goes to the driver by physical address and comes back to
 * the client when the device has sent it. A frame must be a whole Ethernet
 * frame with the client's own source MAC address; others are returned
 * unsent. (The client could still change the frame after this check and
 * before the device reads it: the check keeps honest clients apart, it
 * does not contain a malicious one.)
 */
#include <network/network.h>
#include <transport/virt.h>

static struct connection driver, clients[NET_MAX_CLIENTS];
static bool present[NET_MAX_CLIENTS];
static uint64_t client_paddr[NET_MAX_CLIENTS];
static uint8_t macs[NET_MAX_CLIENTS][6];
static bool macs_known;
static unsigned long refused;

static void learn_macs(void)
{
    uint8_t device[6];
    if (macs_known || !net_info_read(driver_queue, device))
        return;
    for (unsigned n = 0; n < NET_MAX_CLIENTS; n++)
        net_client_mac(device, n, macs[n]);
    macs_known = true;
}

static bool acceptable(unsigned n, const struct buf_desc *d)
{
    const uint8_t *frame = connection_buffer(&clients[n], d);
    if (!frame || !macs_known || d->len < NET_MIN_FRAME || d->len > NET_MAX_FRAME ||
        d->addr % NET_BUF_SIZE)
        return false;
    for (unsigned i = 0; i < 6; i++)
        if (frame[6 + i] != macs[n][i])
            return false;
    return true;
}

static void serve(void)
{
    bool to_driver = false, to_client[NET_MAX_CLIENTS] = { false };
    struct buf_desc d;
    /* Sent frames back to their clients. */
    while (queue_next(&driver.free, &d)) {
        unsigned n = d.cookie;
        if (n >= NET_MAX_CLIENTS || !present[n] || d.addr < client_paddr[n])
            continue;
        d.addr -= client_paddr[n];
        d.len = NET_BUF_SIZE;
        queue_enqueue(&clients[n].free, &d);
        to_client[n] = true;
    }
    /* New frames to the driver, client by client while it has room. */
    for (unsigned n = 0; n < NET_MAX_CLIENTS; n++) {
        if (!present[n])
            continue;
        while (!queue_full(&driver.active)) {
            if (!queue_next(&clients[n].active, &d))
                break;
            if (!acceptable(n, &d)) {
                if (refused++ == 0) {
                    microkit_dbg_puts("net_virt_tx: refused a frame of client ");
                    microkit_dbg_put32(n);
                    microkit_dbg_puts(" (not a whole frame from its own MAC address)\n");
                }
                d.len = NET_BUF_SIZE;
                queue_enqueue(&clients[n].free, &d);
                to_client[n] = true;
                continue;
            }
            struct buf_desc out = { .addr = client_paddr[n] + d.addr, .len = d.len, .cookie = n };
            queue_enqueue(&driver.active, &out);
            to_driver = true;
        }
    }
    if (to_driver && queue_signal_needed(&driver.active))
        microkit_notify(VIRT_CH_DRIVER);
    for (unsigned n = 0; n < NET_MAX_CLIENTS; n++)
        if (to_client[n] && queue_signal_needed(&clients[n].free))
            microkit_notify(VIRT_CH_CLIENT0 + n);
}

void init(void)
{
    struct virt_regions r = virt_driver();
    if (!queue_pair_attach(&driver.free, &driver.active, (void *)r.queue, NET_INFO_OFFSET,
                           NET_QUEUE_CAPACITY, sizeof(struct buf_desc), sizeof(struct buf_desc))) {
        microkit_dbg_puts("net_virt_tx: driver connection missing\n");
        return;
    }
    for (unsigned n = 0; n < NET_MAX_CLIENTS; n++) {
        r = virt_client(n);
        client_paddr[n] = r.data_paddr;
        present[n] = r.queue && r.data_paddr &&
                     connection_attach(&clients[n], r.queue, NET_INFO_OFFSET, NET_QUEUE_CAPACITY,
                                       r.data, NET_DATA_REGION, NET_BUF_SIZE);
        if (present[n])
            queue_request_signal(&clients[n].active);
    }
    learn_macs();
}

void notified(microkit_channel ch)
{
    (void)ch;
    learn_macs();
    serve();
}
