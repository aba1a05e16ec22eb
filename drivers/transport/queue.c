/* The driver transport's set-up functions (protocol: queue.h). */
#include "queue.h"

bool queue_attach(struct queue *q, void *memory, uint32_t capacity, uint32_t entry_size)
{
    if (!memory || capacity == 0 || (capacity & (capacity - 1)) || entry_size == 0)
        return false;
    q->shared = memory;
    q->entries = (uint8_t *)memory + QUEUE_HEADER_SIZE;
    q->capacity = capacity;
    q->entry_size = entry_size;
    q->broken = false;
    return true;
}

size_t queue_pair_attach(struct queue *first, struct queue *second, void *region,
                         size_t region_size, uint32_t capacity, uint32_t first_entry_size,
                         uint32_t second_entry_size)
{
    size_t first_bytes = queue_bytes(capacity, first_entry_size);
    size_t total = first_bytes + queue_bytes(capacity, second_entry_size);
    if (total > region_size)
        return 0;
    if (!queue_attach(first, region, capacity, first_entry_size) ||
        !queue_attach(second, (uint8_t *)region + first_bytes, capacity, second_entry_size))
        return 0;
    return total;
}
