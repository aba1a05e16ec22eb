/* A block connection's queue region (block.h). */
#include "block.h"

bool blk_queues_attach(struct blk_queues *q, uintptr_t queue_region)
{
    if (!queue_pair_attach(&q->req, &q->resp, (void *)queue_region, BLK_INFO_OFFSET,
                           BLK_QUEUE_CAPACITY, sizeof(struct blk_request),
                           sizeof(struct blk_response)))
        return false;
    q->info = (volatile struct blk_info *)(queue_region + BLK_INFO_OFFSET);
    return true;
}
