/*
 * The driver transport: single-producer single-consumer queues of fixed-size
 * entries (normally buffer descriptors) in a memory region shared by two PDs,
 * plus a notification each way. docs/drivers.md describes the protocol; this
 * header is its one definition, used by drivers, virtualisers and clients
 * alike, and by the host tests (tests/host/transport/).
 *
 * A queue lives in shared memory as a 64-byte header (its own cache line)
 * and an array of `capacity` entries. Indices run freely modulo 2^32:
 * entries [head, tail) are full. Only the producer writes `tail`, only the
 * consumer writes `head`. Everything else a PD needs (the capacity, the
 * entry size, where the entries are) is private to each side, in its
 * struct queue: nothing the other side writes is trusted beyond the two
 * indices, and those are checked.
 *
 * Memory ordering (AArch64 and any C11 target): the producer writes the
 * entry, then publishes it with a store-release of `tail` (stlr on
 * AArch64); the consumer reads `tail` with a load-acquire (ldar), then the
 * entry, then hands the slot back with a store-release of `head`, which the
 * producer reads with a load-acquire before reusing the slot.
 *
 * Notifications without polling: a consumer about to wait sets
 * `signal_wanted` (queue_request_signal), and checks once more that the
 * queue is empty; a producer, after publishing, asks queue_signal_needed()
 * whether to notify (it clears the flag). Each side stores, then loads what
 * the other stores (consumer: flag, then tail; producer: tail, then flag),
 * all sequentially consistent, so one of them always sees the other's
 * store: either the consumer finds the new entry or the producer finds the
 * request. No wake-up is lost and a busy consumer is not signalled at all.
 * On AArch64 these are the same stlr and ldar instructions (a store-release
 * followed by a load-acquire is not reordered), so the protocol costs no
 * extra barrier; ThreadSanitizer understands it too (tests/host/transport).
 */
#ifndef TRANSPORT_QUEUE_H
#define TRANSPORT_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QUEUE_HEADER_SIZE 64

/* The shared part: written by both sides, one field each. */
struct queue_shared {
    uint32_t tail;              /* producer: next slot to fill */
    uint32_t head;              /* consumer: next slot to read */
    uint32_t signal_wanted;     /* consumer sets, producer clears on notifying */
    uint8_t reserved[QUEUE_HEADER_SIZE - 12];
};
_Static_assert(sizeof(struct queue_shared) == QUEUE_HEADER_SIZE, "queue header is one cache line");

/* One side's view of a queue (private to the PD). */
struct queue {
    struct queue_shared *shared;
    uint8_t *entries;
    uint32_t capacity;          /* a power of two */
    uint32_t entry_size;
    bool broken;                /* the other side wrote an impossible index */
};

/* A buffer descriptor: `len` bytes at `addr`, which is an offset into the
   connection's data region between a client and a virtualiser, and an I/O
   (physical) address between a virtualiser and a DMA-capable driver. */
struct buf_desc {
    uint64_t addr;
    uint32_t len;
    uint32_t cookie;            /* the owner's tag; passed back unchanged */
};
_Static_assert(sizeof(struct buf_desc) == 16, "descriptor layout is part of the protocol");

/* Bytes a queue of `capacity` entries of `entry_size` bytes occupies. */
static inline size_t queue_bytes(uint32_t capacity, uint32_t entry_size)
{
    return QUEUE_HEADER_SIZE + (size_t)capacity * entry_size;
}

/* Attach to a queue at `memory` (queue_bytes() long, zeroed at boot).
   Returns false if capacity is not a power of two or an argument is zero. */
bool queue_attach(struct queue *q, void *memory, uint32_t capacity, uint32_t entry_size);

/* Two queues back to back in one region, as every connection lays them out:
   the first at offset 0, the second right after it. Returns the bytes used,
   or 0 if they do not fit in `region_size`. */
size_t queue_pair_attach(struct queue *first, struct queue *second, void *region,
                         size_t region_size, uint32_t capacity, uint32_t first_entry_size,
                         uint32_t second_entry_size);

/* Index and flag accesses of the other side's fields (see above). */
static inline uint32_t queue_load(const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static inline void queue_store(uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

/* Entries waiting in the queue, as seen from either side; a count above the
   capacity means the other side is misbehaving: the queue is then treated as
   empty (consumer) or full (producer) for good. */
static inline uint32_t queue_length(struct queue *q)
{
    uint32_t n = queue_load(&q->shared->tail) - queue_load(&q->shared->head);
    if (n > q->capacity)
        q->broken = true;
    return q->broken ? 0 : n;
}

static inline bool queue_empty(struct queue *q)
{
    return queue_length(q) == 0;
}

static inline bool queue_full(struct queue *q)
{
    return queue_length(q) == q->capacity || q->broken;
}

/* Producer: copy one entry in and publish it. False if the queue is full. */
static inline bool queue_enqueue(struct queue *q, const void *entry)
{
    uint32_t tail = q->shared->tail;    /* only we write it */
    uint32_t head = queue_load(&q->shared->head);
    if (tail - head >= q->capacity || q->broken) {
        if (tail - head > q->capacity)
            q->broken = true;
        return false;
    }
    __builtin_memcpy(q->entries + (size_t)(tail & (q->capacity - 1)) * q->entry_size, entry,
                     q->entry_size);
    queue_store(&q->shared->tail, tail + 1);
    return true;
}

/* Consumer: copy the oldest entry out and free its slot. False if empty. */
static inline bool queue_dequeue(struct queue *q, void *entry)
{
    uint32_t head = q->shared->head;    /* only we write it */
    uint32_t tail = queue_load(&q->shared->tail);
    if (tail == head || q->broken)
        return false;
    if (tail - head > q->capacity) {
        q->broken = true;
        return false;
    }
    __builtin_memcpy(entry, q->entries + (size_t)(head & (q->capacity - 1)) * q->entry_size,
                     q->entry_size);
    queue_store(&q->shared->head, head + 1);
    return true;
}

/* Consumer, before waiting: ask for a notification when entries arrive.
   Returns true if the queue is still empty (wait now), false if entries
   came in meanwhile (the request is withdrawn: dequeue them first). */
static inline bool queue_request_signal(struct queue *q)
{
    queue_store(&q->shared->signal_wanted, 1);
    if (!queue_empty(q)) {
        queue_store(&q->shared->signal_wanted, 0);
        return false;
    }
    return true;
}

/* Consumer: the next entry, or false when the queue is empty, in which case
   a notification has been asked for (wait for it now). The usual way to
   drain a queue: while (queue_next(q, &e)) handle(e); */
static inline bool queue_next(struct queue *q, void *entry)
{
    for (;;) {
        if (queue_dequeue(q, entry))
            return true;
        if (queue_request_signal(q))
            return false;
    }
}

/* Producer, after publishing one or more entries: true if the consumer
   asked to be notified (the request is consumed: notify it now). */
static inline bool queue_signal_needed(struct queue *q)
{
    if (!queue_load(&q->shared->signal_wanted))
        return false;
    /* Exchange, not store: the consumer may withdraw its request at the
       same time; one notification too many is harmless. */
    return __atomic_exchange_n(&q->shared->signal_wanted, 0, __ATOMIC_SEQ_CST) != 0;
}

/* A descriptor's buffer lies inside a data region of `size` bytes. */
static inline bool buf_desc_within(const struct buf_desc *d, uint64_t size)
{
    return d->addr <= size && d->len <= size - d->addr;
}

#endif
