/* virtio-mmio transport and split virtqueues (virtio.h). */
#include "virtio.h"
#include <microkit.h>

#define MMIO_MAGIC              0x000
#define MMIO_VERSION            0x004
#define MMIO_DEVICE_ID          0x008
#define MMIO_DEVICE_FEATURES    0x010
#define MMIO_DEVICE_FEATURES_SEL 0x014
#define MMIO_DRIVER_FEATURES    0x020
#define MMIO_DRIVER_FEATURES_SEL 0x024
#define MMIO_GUEST_PAGE_SIZE    0x028   /* legacy */
#define MMIO_QUEUE_SEL          0x030
#define MMIO_QUEUE_NUM_MAX      0x034
#define MMIO_QUEUE_NUM          0x038
#define MMIO_QUEUE_ALIGN        0x03c   /* legacy */
#define MMIO_QUEUE_PFN          0x040   /* legacy */
#define MMIO_QUEUE_READY        0x044
#define MMIO_QUEUE_NOTIFY       0x050
#define MMIO_INTERRUPT_STATUS   0x060
#define MMIO_INTERRUPT_ACK      0x064
#define MMIO_STATUS             0x070
#define MMIO_QUEUE_DESC_LOW     0x080
#define MMIO_QUEUE_DESC_HIGH    0x084
#define MMIO_QUEUE_DRIVER_LOW   0x090
#define MMIO_QUEUE_DRIVER_HIGH  0x094
#define MMIO_QUEUE_DEVICE_LOW   0x0a0
#define MMIO_QUEUE_DEVICE_HIGH  0x0a4
#define MMIO_CONFIG             0x100

#define MAGIC                   0x74726976u     /* "virt" */
#define STATUS_ACKNOWLEDGE      1u
#define STATUS_DRIVER           2u
#define STATUS_DRIVER_OK        4u
#define STATUS_FEATURES_OK      8u
#define FEATURE_VERSION_1       (1ull << 32)
#define PAGE                    4096u

static volatile uint32_t *reg(struct virtio_dev *dev, unsigned offset)
{
    return (volatile uint32_t *)(dev->regs + offset);
}

/* The device sees memory, not caches: order our writes before it looks. */
static inline void dma_write_barrier(void)
{
    __asm__ volatile("dmb oshst" ::: "memory");
}

static inline void dma_read_barrier(void)
{
    __asm__ volatile("dmb oshld" ::: "memory");
}

static inline void mmio_barrier(void)
{
    __asm__ volatile("dsb sy" ::: "memory");
}

static uint64_t align_up(uint64_t x, uint64_t a)
{
    return (x + a - 1) & ~(a - 1);
}

/* Legacy layout: descriptors, the available ring, then the used ring on
   the next page boundary. */
static uint64_t used_offset(uint16_t size)
{
    return align_up(16ull * size + 6 + 2ull * size, PAGE);
}

uint64_t virtq_bytes(uint16_t size)
{
    return used_offset(size) + align_up(6 + 8ull * size, PAGE);
}

bool virtio_probe(struct virtio_dev *dev, uintptr_t regs, uint32_t device_id, const char *who)
{
    dev->regs = regs;
    dev->version = regs ? *reg(dev, MMIO_VERSION) : 0;
    if (!regs || *reg(dev, MMIO_MAGIC) != MAGIC || (dev->version != 1 && dev->version != 2) ||
        *reg(dev, MMIO_DEVICE_ID) != device_id) {
        microkit_dbg_puts(who);
        microkit_dbg_puts(": no virtio device of the expected type at its registers\n");
        return false;
    }
    *reg(dev, MMIO_STATUS) = 0;
    *reg(dev, MMIO_STATUS) = STATUS_ACKNOWLEDGE;
    *reg(dev, MMIO_STATUS) = STATUS_ACKNOWLEDGE | STATUS_DRIVER;
    return true;
}

bool virtio_negotiate(struct virtio_dev *dev, uint64_t wanted, uint64_t *agreed)
{
    if (dev->version == 2)
        wanted |= FEATURE_VERSION_1;
    uint64_t offered = 0;
    for (unsigned sel = 0; sel < 2; sel++) {
        *reg(dev, MMIO_DEVICE_FEATURES_SEL) = sel;
        offered |= (uint64_t)*reg(dev, MMIO_DEVICE_FEATURES) << (32 * sel);
    }
    uint64_t use = offered & wanted;
    for (unsigned sel = 0; sel < 2; sel++) {
        *reg(dev, MMIO_DRIVER_FEATURES_SEL) = sel;
        *reg(dev, MMIO_DRIVER_FEATURES) = (uint32_t)(use >> (32 * sel));
    }
    *agreed = use;
    if (dev->version == 1) {
        *reg(dev, MMIO_GUEST_PAGE_SIZE) = PAGE;
        return true;
    }
    *reg(dev, MMIO_STATUS) = STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK;
    return (*reg(dev, MMIO_STATUS) & STATUS_FEATURES_OK) != 0;
}

bool virtq_setup(struct virtio_dev *dev, struct virtq *q, uint16_t index, uint16_t size,
                 uintptr_t vaddr, uint64_t paddr)
{
    *reg(dev, MMIO_QUEUE_SEL) = index;
    uint32_t max = *reg(dev, MMIO_QUEUE_NUM_MAX);
    if (max == 0)
        return false;
    if (size > max)
        size = (uint16_t)max;
    q->size = size;
    q->index = index;
    q->desc = (struct virtq_desc *)vaddr;
    q->avail = (volatile uint16_t *)(vaddr + 16ull * size);
    q->used = (volatile uint16_t *)(vaddr + used_offset(size));
    for (uint16_t i = 0; i < size; i++)
        q->desc[i].next = (uint16_t)(i + 1);
    q->free_head = 0;
    q->num_free = size;
    q->last_used = 0;
    *reg(dev, MMIO_QUEUE_NUM) = size;
    if (dev->version == 1) {
        *reg(dev, MMIO_QUEUE_ALIGN) = PAGE;
        *reg(dev, MMIO_QUEUE_PFN) = (uint32_t)(paddr / PAGE);
    } else {
        uint64_t avail = paddr + 16ull * size, used = paddr + used_offset(size);
        *reg(dev, MMIO_QUEUE_DESC_LOW) = (uint32_t)paddr;
        *reg(dev, MMIO_QUEUE_DESC_HIGH) = (uint32_t)(paddr >> 32);
        *reg(dev, MMIO_QUEUE_DRIVER_LOW) = (uint32_t)avail;
        *reg(dev, MMIO_QUEUE_DRIVER_HIGH) = (uint32_t)(avail >> 32);
        *reg(dev, MMIO_QUEUE_DEVICE_LOW) = (uint32_t)used;
        *reg(dev, MMIO_QUEUE_DEVICE_HIGH) = (uint32_t)(used >> 32);
        *reg(dev, MMIO_QUEUE_READY) = 1;
    }
    return true;
}

void virtio_driver_ok(struct virtio_dev *dev)
{
    *reg(dev, MMIO_STATUS) |= STATUS_DRIVER_OK;
}

uint32_t virtio_config_read32(struct virtio_dev *dev, unsigned offset)
{
    return *reg(dev, MMIO_CONFIG + offset);
}

uint8_t virtio_config_read8(struct virtio_dev *dev, unsigned offset)
{
    return *(volatile uint8_t *)(dev->regs + MMIO_CONFIG + offset);
}

uint32_t virtio_irq_ack(struct virtio_dev *dev)
{
    uint32_t status = *reg(dev, MMIO_INTERRUPT_STATUS);
    *reg(dev, MMIO_INTERRUPT_ACK) = status;
    return status;
}

int virtq_alloc(struct virtq *q)
{
    if (q->num_free == 0)
        return -1;
    uint16_t d = q->free_head;
    q->free_head = q->desc[d].next;
    q->num_free--;
    q->desc[d].flags = 0;
    return d;
}

void virtq_free_chain(struct virtq *q, uint16_t head)
{
    uint16_t d = head;
    for (;;) {
        bool more = q->desc[d].flags & VIRTQ_DESC_F_NEXT;
        uint16_t next = q->desc[d].next;
        q->desc[d].next = q->free_head;
        q->free_head = d;
        q->num_free++;
        if (!more)
            break;
        d = next;
    }
}

void virtq_submit(struct virtq *q, uint16_t head)
{
    uint16_t idx = q->avail[1];
    q->avail[2 + idx % q->size] = head;
    dma_write_barrier();        /* descriptors and ring entry before the index */
    q->avail[1] = (uint16_t)(idx + 1);
}

void virtio_notify(struct virtio_dev *dev, struct virtq *q)
{
    mmio_barrier();             /* the index is in memory before the doorbell */
    *reg(dev, MMIO_QUEUE_NOTIFY) = q->index;
}

bool virtq_next_used(struct virtq *q, uint16_t *head, uint32_t *len)
{
    if (q->used[1] == q->last_used)
        return false;
    dma_read_barrier();         /* the index before the entry it covers */
    const volatile struct virtq_used_elem *e =
        (const volatile struct virtq_used_elem *)(q->used + 2) + q->last_used % q->size;
    *head = (uint16_t)e->id;
    *len = e->len;
    q->last_used++;
    return true;
}
