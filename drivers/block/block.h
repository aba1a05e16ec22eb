/*
 * Block devices as PDs (docs/drivers.md, "Block"): a driver PD per device
 * (blk_virtio: virtio-blk on QEMU; blk_meson: the Odroid-C4's SD card
 * controller, experimental) and a virtualiser (blk_virt) that gives each
 * client one partition of the disk (MBR partition N + 1 to client N).
 *
 * A connection is a queue region (BLK_QUEUE_REGION bytes) with a request
 * queue (struct blk_request, client -> server) then a response queue
 * (struct blk_response, server -> client), and the client's data region
 * (BLK_DATA_REGION bytes), where the data of reads and writes lives: the
 * driver's device reads and writes it directly (zero copy), the
 * virtualiser translating the client's offsets into physical addresses.
 * Blocks are BLK_BLOCK_SIZE bytes, numbered from the start of the
 * client's partition.
 */
#ifndef DRIVERS_BLOCK_H
#define DRIVERS_BLOCK_H

#include <microkit.h>
#include <transport/queue.h>

#define BLK_BLOCK_SIZE          4096u
#define BLK_QUEUE_CAPACITY      32
#define BLK_QUEUE_REGION        0x1000
#define BLK_DATA_REGION         0x100000
#define BLK_MAX_CLIENTS         8

enum blk_op { BLK_READ = 1, BLK_WRITE = 2, BLK_FLUSH = 3 };

enum blk_status {
    BLK_OK = 0,
    BLK_ERROR = 1,              /* the device failed */
    BLK_OUT_OF_RANGE = 2,       /* blocks outside the partition, or data outside the region */
    BLK_BAD_REQUEST = 3,        /* unknown operation, zero count */
    BLK_NOT_READY = 4,          /* the client has no partition */
};

struct blk_request {
    uint64_t addr;              /* data: offset in the data region (client) or I/O address (driver) */
    uint64_t block;
    uint32_t count;             /* blocks */
    uint16_t op;
    uint16_t id;                /* the requester's, returned in the response */
};

struct blk_response {
    uint32_t status;
    uint32_t count;             /* blocks done */
    uint16_t id;
    uint16_t reserved[3];
};

/* Written by the server at the end of the client's queue region, then the
   client is notified. */
struct blk_info {
    uint64_t blocks;            /* partition size */
    uint32_t block_size;
    uint32_t ready;
};
#define BLK_INFO_OFFSET         0xfc0

_Static_assert(2 * QUEUE_HEADER_SIZE + BLK_QUEUE_CAPACITY * (sizeof(struct blk_request) +
               sizeof(struct blk_response)) <= BLK_INFO_OFFSET, "queues and info fit");

struct blk_queues {
    struct queue req, resp;
    volatile struct blk_info *info;
};

/* Attach to a connection's queue region. */
bool blk_queues_attach(struct blk_queues *q, uintptr_t queue_region);

/* Channels of the driver: 0 its interrupt, 1 the virtualiser. */
#define BLK_DRIVER_CH_IRQ       0
#define BLK_DRIVER_CH_VIRT      1

/* ---- client library (drivers/block/client.c). Setvars: blk_queue
   (queue region), blk_data (data region). */
extern uintptr_t blk_data;
void blk_init(microkit_channel ch);
/* The partition, once the virtualiser said so (false before). */
bool blk_ready(void);
uint64_t blk_blocks(void);
/* Queue a request (data at `offset` in blk_data); false if the queue is
   full. Requests go out at blk_submit(). */
bool blk_request(enum blk_op op, uint64_t offset, uint64_t block, uint32_t count, uint16_t id);
void blk_submit(void);
/* The next response, if one is waiting (else asks to be notified). */
bool blk_response(struct blk_response *r);

#endif
