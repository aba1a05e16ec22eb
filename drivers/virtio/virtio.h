/*
 * virtio over MMIO (the virtio 1.x specification, "Virtio Over MMIO" and
 * "Split Virtqueues"), for the virtio driver PDs (blk_virtio, net_virtio).
 * Both the legacy interface (version 1, QEMU's default for virtio-mmio)
 * and the modern one (version 2) are handled; split virtqueues are laid
 * out the legacy way (used ring on its own page), which suits both.
 */
#ifndef DRIVERS_VIRTIO_H
#define DRIVERS_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>

#define VIRTIO_ID_NET           1
#define VIRTIO_ID_BLOCK         2

#define VIRTQ_DESC_F_NEXT       1
#define VIRTQ_DESC_F_WRITE      2   /* the device writes this buffer */

struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct virtq_used_elem {
    uint32_t id;
    uint32_t len;
};

struct virtio_dev {
    uintptr_t regs;
    uint32_t version;
};

/* A split virtqueue in DMA memory, and the driver's bookkeeping. */
struct virtq {
    uint16_t size;
    uint16_t index;
    struct virtq_desc *desc;
    volatile uint16_t *avail;       /* flags, idx, ring[size] */
    volatile uint16_t *used;        /* flags, idx, then struct virtq_used_elem[size] */
    uint16_t free_head, num_free;
    uint16_t last_used;
};

/* Bytes of DMA memory a queue of `size` entries needs (page aligned). */
uint64_t virtq_bytes(uint16_t size);

/* Check the transport at `regs` (magic, version, device type), reset the
   device and acknowledge it. False with a message if it is not there. */
bool virtio_probe(struct virtio_dev *dev, uintptr_t regs, uint32_t device_id, const char *who);
/* Offer `wanted` features (VERSION_1 added on modern devices); returns the
   agreed set in *agreed; false if the device refused. */
bool virtio_negotiate(struct virtio_dev *dev, uint64_t wanted, uint64_t *agreed);
/* Set up queue `index` with up to `size` entries at vaddr/paddr
   (virtq_bytes(size) of zeroed DMA memory). */
bool virtq_setup(struct virtio_dev *dev, struct virtq *q, uint16_t index, uint16_t size,
                 uintptr_t vaddr, uint64_t paddr);
void virtio_driver_ok(struct virtio_dev *dev);
/* Device-specific configuration space. */
uint32_t virtio_config_read32(struct virtio_dev *dev, unsigned offset);
uint8_t virtio_config_read8(struct virtio_dev *dev, unsigned offset);
/* Read and acknowledge the interrupt status. */
uint32_t virtio_irq_ack(struct virtio_dev *dev);

/* A free descriptor (the head of a chain being built), or -1. */
int virtq_alloc(struct virtq *q);
/* Give a chain (from its head, following NEXT) back. */
void virtq_free_chain(struct virtq *q, uint16_t head);
/* Publish a chain to the device; virtio_notify() afterwards. */
void virtq_submit(struct virtq *q, uint16_t head);
void virtio_notify(struct virtio_dev *dev, struct virtq *q);
/* The next chain the device has finished: true with its head and the
   bytes it wrote. */
bool virtq_next_used(struct virtq *q, uint16_t *head, uint32_t *len);

#endif
