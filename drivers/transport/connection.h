/*
 * A connection: how two PDs pass buffers of data one way (docs/drivers.md).
 *
 * Its queue region holds two queues of struct buf_desc (queue.h), `free`
 * first, then `active`; its data region is cut into buffers of `buf_size`
 * bytes. The data producer fills a buffer and enqueues it on `active`; the
 * data consumer reads it and gives it back on `free`. Descriptors carry
 * offsets into the data region and are checked against it by whoever
 * receives them.
 *
 * The buffers belong to one side, the owner, which hands each of them to
 * the other side: an owner that produces data (a client transmitting) takes
 * buffers never used before first, then the ones returned on `free`; an
 * owner that consumes data (a client receiving) offers every buffer on
 * `free` at start-up. Either way each queue keeps exactly one producer.
 */
#ifndef TRANSPORT_CONNECTION_H
#define TRANSPORT_CONNECTION_H

#include "queue.h"

struct connection {
    struct queue free;          /* consumer of data -> producer of data */
    struct queue active;        /* producer of data -> consumer of data */
    uint8_t *data;              /* this side's mapping of the data region */
    uint64_t data_size;
    uint32_t buf_size;
    uint32_t fresh;             /* owner producing data: buffers never handed out */
};

/* Attach to a connection: queues of `capacity` descriptors in the queue
   region, buffers of `buf_size` bytes in the data region (which may be
   absent, data == 0, for a side that only passes descriptors on). False if
   the layout does not fit. */
bool connection_attach(struct connection *c, uintptr_t queue_region, size_t queue_region_size,
                       uint32_t capacity, uintptr_t data, uint64_t data_size, uint32_t buf_size);

/* Number of whole buffers in the data region (at most the queue capacity). */
uint32_t connection_buffers(const struct connection *c);

/* Owner that consumes data: put every buffer on `free` (once, at start-up). */
void connection_offer_all(struct connection *c);

/* Owner that produces data: an empty buffer, never used or given back.
   False if all of them are in flight. */
bool connection_get_buffer(struct connection *c, struct buf_desc *d);

/* Where a descriptor's bytes are in this side's mapping, or 0 if the
   descriptor does not lie within the data region. */
void *connection_buffer(const struct connection *c, const struct buf_desc *d);

#endif
