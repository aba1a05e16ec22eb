/*
 * net_virtio: the network driver PD for a virtio-net device over
 * virtio-mmio (virtio 1.x, "Network Device"). Receive queue 0 and transmit
 * queue 1; every frame is a chain of two descriptors, the virtio-net header
 * (in this driver's DMA region) and the virtualiser's buffer (by physical
 * address). The device's MAC address is published for the virtualisers in
 * both queue regions (struct net_info).
 */
#include <network/network.h>
#include <virtio/virtio.h>

uintptr_t net_regs;                 /* the virtio-mmio transport */
uintptr_t rx_queue, tx_queue;       /* connections to the virtualisers */
uintptr_t dma_vaddr, dma_paddr;     /* our DMA region (region_paddr) */

#define QUEUE_SIZE          128     /* descriptors: NET_QUEUE_CAPACITY frames of two */
#define RXQ                 0
#define TXQ                 1
#define FEATURE_MAC         (1ull << 5)
#define HEADER_SPACE        16      /* per descriptor slot; the header is 10 or 12 bytes */

static struct virtio_dev dev;
static struct virtq vq[2];
static struct queue rx_free, rx_active, tx_free, tx_active;
static uint8_t *headers[2];
static uint64_t headers_paddr[2];
static uint32_t header_len;
static struct buf_desc in_flight[2][QUEUE_SIZE];   /* by chain head */
static bool ok;

/* A two-descriptor chain: header, then the frame buffer. */
static bool post(unsigned q, const struct buf_desc *d, bool device_writes)
{
    if (vq[q].num_free < 2)
        return false;
    int h = virtq_alloc(&vq[q]), b = virtq_alloc(&vq[q]);
    uint16_t w = device_writes ? VIRTQ_DESC_F_WRITE : 0;
    for (unsigned i = 0; i < HEADER_SPACE; i++)
        headers[q][h * HEADER_SPACE + i] = 0;
    vq[q].desc[h] = (struct virtq_desc){ .addr = headers_paddr[q] + (uint64_t)h * HEADER_SPACE,
                                         .len = header_len, .flags = VIRTQ_DESC_F_NEXT | w,
                                         .next = (uint16_t)b };
    vq[q].desc[b] = (struct virtq_desc){ .addr = d->addr, .len = d->len, .flags = w };
    in_flight[q][h] = *d;
    virtq_submit(&vq[q], (uint16_t)h);
    return true;
}

static void refill_rx(void)
{
    struct buf_desc d;
    bool posted = false;
    while (vq[RXQ].num_free >= 2) {
        if (!queue_dequeue(&rx_free, &d)) {
            if (queue_request_signal(&rx_free))
                break;
            continue;
        }
        d.len = NET_BUF_SIZE;
        posted |= post(RXQ, &d, true);
    }
    if (posted)
        virtio_notify(&dev, &vq[RXQ]);
}

static void start_tx(void)
{
    struct buf_desc d;
    bool posted = false;
    while (vq[TXQ].num_free >= 2) {
        if (!queue_dequeue(&tx_active, &d)) {
            if (queue_request_signal(&tx_active))
                break;
            continue;
        }
        posted |= post(TXQ, &d, false);
    }
    if (posted)
        virtio_notify(&dev, &vq[TXQ]);
}

static void complete(void)
{
    uint16_t h;
    uint32_t len;
    bool received = false, sent = false;
    while (virtq_next_used(&vq[RXQ], &h, &len)) {
        if (h >= QUEUE_SIZE)
            continue;
        struct buf_desc d = in_flight[RXQ][h];
        virtq_free_chain(&vq[RXQ], h);
        d.len = len > header_len ? len - header_len : 0;
        queue_enqueue(&rx_active, &d);
        received = true;
    }
    while (virtq_next_used(&vq[TXQ], &h, &len)) {
        if (h >= QUEUE_SIZE)
            continue;
        queue_enqueue(&tx_free, &in_flight[TXQ][h]);
        virtq_free_chain(&vq[TXQ], h);
        sent = true;
    }
    if (received && queue_signal_needed(&rx_active))
        microkit_notify(NET_DRIVER_CH_RX);
    if (sent && queue_signal_needed(&tx_free))
        microkit_notify(NET_DRIVER_CH_TX);
}

static void publish_mac(void)
{
    uintptr_t regions[2] = { rx_queue, tx_queue };
    for (unsigned r = 0; r < 2; r++) {
        volatile struct net_info *info = (volatile struct net_info *)(regions[r] + NET_INFO_OFFSET);
        for (unsigned i = 0; i < 6; i++)
            info->mac[i] = virtio_config_read8(&dev, i);
        __atomic_store_n(&info->ready, 1, __ATOMIC_RELEASE);
    }
}

void init(void)
{
    uint64_t features = 0, q = virtq_bytes(QUEUE_SIZE);
    ok = rx_queue && tx_queue && dma_vaddr && dma_paddr &&
         queue_pair_attach(&rx_free, &rx_active, (void *)rx_queue, NET_INFO_OFFSET,
                           NET_QUEUE_CAPACITY, sizeof(struct buf_desc), sizeof(struct buf_desc)) &&
         queue_pair_attach(&tx_free, &tx_active, (void *)tx_queue, NET_INFO_OFFSET,
                           NET_QUEUE_CAPACITY, sizeof(struct buf_desc), sizeof(struct buf_desc)) &&
         virtio_probe(&dev, net_regs, VIRTIO_ID_NET, "net_virtio") &&
         virtio_negotiate(&dev, FEATURE_MAC, &features) && (features & FEATURE_MAC) &&
         virtq_setup(&dev, &vq[RXQ], RXQ, QUEUE_SIZE, dma_vaddr, dma_paddr) &&
         virtq_setup(&dev, &vq[TXQ], TXQ, QUEUE_SIZE, dma_vaddr + q, dma_paddr + q) &&
         vq[RXQ].size == QUEUE_SIZE && vq[TXQ].size == QUEUE_SIZE;
    if (!ok) {
        microkit_dbg_puts("net_virtio: device not set up\n");
        return;
    }
    /* The modern header has num_buffers; the legacy one without MRG_RXBUF not. */
    header_len = dev.version == 2 ? 12 : 10;
    for (unsigned i = 0; i < 2; i++) {
        headers[i] = (uint8_t *)(dma_vaddr + 2 * q + i * QUEUE_SIZE * HEADER_SPACE);
        headers_paddr[i] = dma_paddr + 2 * q + i * QUEUE_SIZE * HEADER_SPACE;
    }
    virtio_driver_ok(&dev);
    publish_mac();
    refill_rx();
    queue_request_signal(&tx_active);
}

void notified(microkit_channel ch)
{
    if (!ok)
        return;
    switch (ch) {
    case NET_DRIVER_CH_IRQ:
        virtio_irq_ack(&dev);
        complete();
        refill_rx();
        start_tx();
        microkit_deferred_irq_ack(ch);
        break;
    case NET_DRIVER_CH_RX:
        refill_rx();
        break;
    case NET_DRIVER_CH_TX:
        start_tx();
        break;
    }
}
