/* Connections: two descriptor queues and a data region (connection.h). */
#include "connection.h"

bool connection_attach(struct connection *c, uintptr_t queue_region, size_t queue_region_size,
                       uint32_t capacity, uintptr_t data, uint64_t data_size, uint32_t buf_size)
{
    if (!queue_pair_attach(&c->free, &c->active, (void *)queue_region, queue_region_size,
                           capacity, sizeof(struct buf_desc), sizeof(struct buf_desc)))
        return false;
    c->data = (uint8_t *)data;
    c->data_size = data ? data_size : 0;
    c->buf_size = buf_size;
    c->fresh = 0;
    return !data || (buf_size > 0 && data_size >= buf_size);
}

uint32_t connection_buffers(const struct connection *c)
{
    if (!c->data || c->buf_size == 0)
        return 0;
    uint64_t n = c->data_size / c->buf_size;
    return n < c->free.capacity ? (uint32_t)n : c->free.capacity;
}

void connection_offer_all(struct connection *c)
{
    uint32_t n = connection_buffers(c);
    for (uint32_t i = 0; i < n; i++) {
        struct buf_desc d = { .addr = (uint64_t)i * c->buf_size, .len = c->buf_size, .cookie = i };
        if (!queue_enqueue(&c->free, &d))
            break;
    }
}

bool connection_get_buffer(struct connection *c, struct buf_desc *d)
{
    if (c->fresh < connection_buffers(c)) {
        *d = (struct buf_desc){ .addr = (uint64_t)c->fresh * c->buf_size, .len = c->buf_size,
                                .cookie = c->fresh };
        c->fresh++;
        return true;
    }
    while (queue_dequeue(&c->free, d)) {
        /* Only buffers of ours come back; a descriptor the other side made
           up is dropped. */
        if (d->addr % c->buf_size == 0 && d->addr / c->buf_size < connection_buffers(c)) {
            d->len = c->buf_size;
            return true;
        }
    }
    return false;
}

void *connection_buffer(const struct connection *c, const struct buf_desc *d)
{
    if (!c->data || !buf_desc_within(d, c->data_size))
        return 0;
    return c->data + d->addr;
}
