/* The network client library (network.h). */
#include "network.h"

uintptr_t net_rx_queue, net_rx_data, net_tx_queue, net_tx_data;

static struct connection rx, tx;
static microkit_channel rx_channel, tx_channel;
static bool attached, rx_returned, tx_sent;

void net_init(microkit_channel rx_ch, microkit_channel tx_ch)
{
    rx_channel = rx_ch;
    tx_channel = tx_ch;
    attached = connection_attach(&rx, net_rx_queue, NET_INFO_OFFSET, NET_QUEUE_CAPACITY,
                                 net_rx_data, NET_DATA_REGION, NET_BUF_SIZE) &&
               connection_attach(&tx, net_tx_queue, NET_INFO_OFFSET, NET_QUEUE_CAPACITY,
                                 net_tx_data, NET_DATA_REGION, NET_BUF_SIZE);
    if (!attached) {
        microkit_dbg_puts("net client: connection regions missing\n");
        return;
    }
    connection_offer_all(&rx);
    queue_request_signal(&rx.active);
}

bool net_mac(uint8_t mac[6])
{
    return attached && net_info_read(net_rx_queue, mac);
}

bool net_receive(const uint8_t **frame, uint32_t *len, struct buf_desc *d)
{
    while (attached && queue_next(&rx.active, d)) {
        *frame = connection_buffer(&rx, d);
        if (*frame && d->len <= NET_BUF_SIZE) {
            *len = d->len;
            return true;
        }
        net_rx_release(d);
    }
    return false;
}

void net_rx_release(struct buf_desc *d)
{
    d->len = NET_BUF_SIZE;
    queue_enqueue(&rx.free, d);
    rx_returned = true;
}

uint8_t *net_tx_buffer(struct buf_desc *d)
{
    if (attached && connection_get_buffer(&tx, d))
        return connection_buffer(&tx, d);
    if (attached)
        queue_request_signal(&tx.free);
    return 0;
}

void net_send(struct buf_desc *d, uint32_t len)
{
    d->len = len;
    queue_enqueue(&tx.active, d);
    tx_sent = true;
}

void net_flush(void)
{
    if (tx_sent && queue_signal_needed(&tx.active))
        microkit_notify(tx_channel);
    if (rx_returned && queue_signal_needed(&rx.free))
        microkit_notify(rx_channel);
    tx_sent = rx_returned = false;
}
