/* The network drivers' common part (network.h). */
#include "network.h"

bool net_driver_attach(struct net_driver_queues *q, uintptr_t rx_queue, uintptr_t tx_queue)
{
    return rx_queue && tx_queue &&
           queue_pair_attach(&q->rx_free, &q->rx_active, (void *)rx_queue, NET_INFO_OFFSET,
                             NET_QUEUE_CAPACITY, sizeof(struct buf_desc), sizeof(struct buf_desc)) &&
           queue_pair_attach(&q->tx_free, &q->tx_active, (void *)tx_queue, NET_INFO_OFFSET,
                             NET_QUEUE_CAPACITY, sizeof(struct buf_desc), sizeof(struct buf_desc));
}

void net_driver_notified(microkit_channel ch, const struct net_hw *hw)
{
    switch (ch) {
    case NET_DRIVER_CH_IRQ:
        hw->interrupt();
        hw->refill_rx();
        hw->start_tx();
        microkit_deferred_irq_ack(ch);
        break;
    case NET_DRIVER_CH_RX:
        hw->refill_rx();
        break;
    case NET_DRIVER_CH_TX:
        hw->start_tx();
        break;
    }
}
