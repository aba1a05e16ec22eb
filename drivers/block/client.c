/* The block client library (block.h). */
#include "block.h"

uintptr_t blk_queue, blk_data;

static struct blk_queues q;
static microkit_channel channel;
static bool attached;

void blk_init(microkit_channel ch)
{
    channel = ch;
    attached = blk_queues_attach(&q, blk_queue);
    if (attached)
        queue_request_signal(&q.resp);
}

bool blk_ready(void)
{
    return attached && q.info->ready;
}

uint64_t blk_blocks(void)
{
    return blk_ready() ? q.info->blocks : 0;
}

bool blk_request(enum blk_op op, uint64_t offset, uint64_t block, uint32_t count, uint16_t id)
{
    struct blk_request r = { .addr = offset, .block = block, .count = count, .op = (uint16_t)op,
                             .id = id };
    return attached && queue_enqueue(&q.req, &r);
}

void blk_submit(void)
{
    if (attached && queue_signal_needed(&q.req))
        microkit_notify(channel);
}

bool blk_response(struct blk_response *r)
{
    return attached && queue_next(&q.resp, r);
}
