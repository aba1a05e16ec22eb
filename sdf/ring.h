/* A single-producer, single-consumer ring of words in shared memory
 * (sdf/ringbuffer.system). head and tail only grow; the slot of item n is
 * n % RING_SLOTS. */
#ifndef PDS_RING_H
#define PDS_RING_H

#include <stdint.h>

#define RING_SLOTS 8
#define RING_ITEMS 20   /* items the example sends */

struct ring {
    uint32_t head;      /* written by the producer */
    uint32_t tail;      /* written by the consumer */
    uint64_t slot[RING_SLOTS];
};

static inline uint32_t ring_load(const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void ring_store(uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

#endif
