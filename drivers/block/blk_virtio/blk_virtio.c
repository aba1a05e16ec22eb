/*
 * blk_virtio: the block driver PD for a virtio-blk device over virtio-mmio
 * (virtio 1.x, "Block Device"). Each request of the virtualiser becomes a
 * chain of three descriptors: the request header, the data (the client's
 * buffer, by physical address), the status byte. Headers and status bytes
 * live in the driver's own DMA region, after the virtqueue.
 */
#include <block/block.h>
#include <virtio/virtio.h>

uintptr_t blk_regs;             /* the virtio-mmio transport */
uintptr_t virt_queue;           /* connection to blk_virt */
uintptr_t dma_vaddr, dma_paddr; /* our DMA region (region_paddr) */

#define QUEUE_SIZE      64
#define REQ_IN          0       /* read */
#define REQ_OUT         1       /* write */
#define REQ_FLUSH       4
#define SECTOR          512u

struct virtio_blk_req_header {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};

static struct virtio_dev dev;
static struct virtq vq;
static struct blk_queues virt;
static struct virtio_blk_req_header *headers;   /* one per descriptor head */
static volatile uint8_t *status;
static uint64_t headers_paddr, status_paddr;
static struct { uint16_t id; uint32_t count; } pending[QUEUE_SIZE];
static bool ok;

static void respond(uint16_t id, uint32_t st, uint32_t count)
{
    struct blk_response r = { .status = st, .count = count, .id = id };
    queue_enqueue(&virt.resp, &r);
}

/* Turn the virtualiser's requests into descriptor chains. */
static void start_requests(void)
{
    bool submitted = false, answered = false;
    struct blk_request r;
    while (vq.num_free >= 3) {
        if (!queue_next(&virt.req, &r))
            break;
        int h = virtq_alloc(&vq), d = virtq_alloc(&vq), s = virtq_alloc(&vq);
        headers[h] = (struct virtio_blk_req_header){
            .type = r.op == BLK_READ ? REQ_IN : r.op == BLK_WRITE ? REQ_OUT : REQ_FLUSH,
            .sector = r.block * (BLK_BLOCK_SIZE / SECTOR) };
        if (r.op != BLK_READ && r.op != BLK_WRITE && r.op != BLK_FLUSH) {
            virtq_free_chain(&vq, (uint16_t)s);
            virtq_free_chain(&vq, (uint16_t)d);
            virtq_free_chain(&vq, (uint16_t)h);
            respond(r.id, BLK_BAD_REQUEST, 0);
            answered = true;
            continue;
        }
        vq.desc[h] = (struct virtq_desc){ .addr = headers_paddr + h * sizeof *headers,
                                          .len = sizeof *headers, .flags = VIRTQ_DESC_F_NEXT };
        status[h] = 0xff;
        vq.desc[s] = (struct virtq_desc){ .addr = status_paddr + h, .len = 1,
                                          .flags = VIRTQ_DESC_F_WRITE };
        if (r.op == BLK_FLUSH) {
            virtq_free_chain(&vq, (uint16_t)d);
            vq.desc[h].next = (uint16_t)s;
        } else {
            vq.desc[h].next = (uint16_t)d;
            vq.desc[d] = (struct virtq_desc){
                .addr = r.addr, .len = r.count * BLK_BLOCK_SIZE, .next = (uint16_t)s,
                .flags = VIRTQ_DESC_F_NEXT | (r.op == BLK_READ ? VIRTQ_DESC_F_WRITE : 0) };
        }
        pending[h].id = r.id;
        pending[h].count = r.op == BLK_FLUSH ? 0 : r.count;
        virtq_submit(&vq, (uint16_t)h);
        submitted = true;
    }
    if (submitted)
        virtio_notify(&dev, &vq);
    if (answered && queue_signal_needed(&virt.resp))
        microkit_notify(BLK_DRIVER_CH_VIRT);
}

static void finish_requests(void)
{
    uint16_t h;
    uint32_t len;
    bool answered = false;
    while (virtq_next_used(&vq, &h, &len)) {
        if (h >= vq.size)
            continue;
        bool good = status[h] == 0;
        respond(pending[h].id, good ? BLK_OK : BLK_ERROR, good ? pending[h].count : 0);
        virtq_free_chain(&vq, h);
        answered = true;
    }
    if (answered && queue_signal_needed(&virt.resp))
        microkit_notify(BLK_DRIVER_CH_VIRT);
}

void init(void)
{
    uint64_t features;
    ok = blk_queues_attach(&virt, virt_queue) && dma_vaddr && dma_paddr &&
         virtio_probe(&dev, blk_regs, VIRTIO_ID_BLOCK, "blk_virtio") &&
         virtio_negotiate(&dev, 0, &features) &&
         virtq_setup(&dev, &vq, 0, QUEUE_SIZE, dma_vaddr, dma_paddr);
    if (!ok) {
        microkit_dbg_puts("blk_virtio: device not set up\n");
        return;
    }
    uint64_t q = virtq_bytes(vq.size);
    headers = (struct virtio_blk_req_header *)(dma_vaddr + q);
    headers_paddr = dma_paddr + q;
    status = (volatile uint8_t *)(dma_vaddr + q + QUEUE_SIZE * sizeof *headers);
    status_paddr = headers_paddr + QUEUE_SIZE * sizeof *headers;
    virtio_driver_ok(&dev);
    uint64_t sectors = virtio_config_read32(&dev, 0) | (uint64_t)virtio_config_read32(&dev, 4) << 32;
    microkit_dbg_puts("blk_virtio: disk of ");
    microkit_dbg_put32((uint32_t)(sectors / 2));
    microkit_dbg_puts(" KiB\n");
    queue_request_signal(&virt.req);
}

void notified(microkit_channel ch)
{
    if (!ok)
        return;
    if (ch == BLK_DRIVER_CH_IRQ) {
        virtio_irq_ack(&dev);
        finish_requests();
        start_requests();
        microkit_deferred_irq_ack(ch);
    } else if (ch == BLK_DRIVER_CH_VIRT) {
        start_requests();
    }
}
