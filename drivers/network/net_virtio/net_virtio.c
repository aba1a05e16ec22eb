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
static struct net_driver_queues conns;
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
        if (!queue_next(&conns.rx_free, &d))
            break;
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
        if (!queue_next(&conns.tx_active, &d))
            break;
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
        queue_enqueue(&conns.rx_active, &d);
        received = true;
    }
    while (virtq_next_used(&vq[TXQ], &h, &len)) {
        if (h >= QUEUE_SIZE)
            continue;
        queue_enqueue(&conns.tx_free, &in_flight[TXQ][h]);
        virtq_free_chain(&vq[TXQ], h);
        sent = true;
    }
    if (received && queue_signal_needed(&conns.rx_active))
        microkit_notify(NET_DRIVER_CH_RX);
    if (sent && queue_signal_needed(&conns.tx_free))
        microkit_notify(NET_DRIVER_CH_TX);
}

static void publish_mac(void)
{
    uint8_t mac[6];
    for (unsigned i = 0; i < 6; i++)
        mac[i] = virtio_config_read8(&dev, i);
    net_info_publish(rx_queue, mac);
    net_info_publish(tx_queue, mac);
}

void init(void)
{
    uint64_t features = 0, ring_bytes = virtq_bytes(QUEUE_SIZE);
    ok = dma_vaddr && dma_paddr && net_driver_attach(&conns, rx_queue, tx_queue) &&
         virtio_probe(&dev, net_regs, VIRTIO_ID_NET, "net_virtio") &&
         virtio_negotiate(&dev, FEATURE_MAC, &features) && (features & FEATURE_MAC) &&
         virtq_setup(&dev, &vq[RXQ], RXQ, QUEUE_SIZE, dma_vaddr, dma_paddr) &&
         virtq_setup(&dev, &vq[TXQ], TXQ, QUEUE_SIZE, dma_vaddr + ring_bytes, dma_paddr + ring_bytes) &&
         vq[RXQ].size == QUEUE_SIZE && vq[TXQ].size == QUEUE_SIZE;
    if (!ok) {
        microkit_dbg_puts("net_virtio: device not set up\n");
        return;
    }
    /* The modern header has num_buffers; the legacy one without MRG_RXBUF not. */
    header_len = dev.version == 2 ? 12 : 10;
    for (unsigned i = 0; i < 2; i++) {
        headers[i] = (uint8_t *)(dma_vaddr + 2 * ring_bytes + i * QUEUE_SIZE * HEADER_SPACE);
        headers_paddr[i] = dma_paddr + 2 * ring_bytes + i * QUEUE_SIZE * HEADER_SPACE;
    }
    virtio_driver_ok(&dev);
    publish_mac();
    refill_rx();
    queue_request_signal(&conns.tx_active);
}

static void interrupt(void)
{
    virtio_irq_ack(&dev);
    complete();
}

static const struct net_hw hw = {
    .interrupt = interrupt, .refill_rx = refill_rx, .start_tx = start_tx,
};

void notified(microkit_channel ch)
{
    if (ok)
        net_driver_notified(ch, &hw);
}
