/*
 * bench_block (block.system): block requests through blk_virt and the
 * block driver, as one client sees them:
 *   blk_read_4k, blk_write_4k:   one 4 KiB request at a time (latency);
 *   blk_read_64k, blk_write_64k: 64 KiB requests, 8 in flight (throughput).
 * Each figure is the total over its requests, from the first submission to
 * the last response.
 */
#include <microkit.h>
#include <block/block.h>
#include "drvbench.h"

#define CH_BLK 1
#define N_SMALL 200
#define N_LARGE 128
#define LARGE_BLOCKS 16     /* 64 KiB */
#define DEPTH 8

struct phase {
    const char *key;
    enum blk_op op;
    uint32_t count, blocks, depth;
};

static const struct phase phases[] = {
    { "blk_read_4k", BLK_READ, N_SMALL, 1, 1 },
    { "blk_write_4k", BLK_WRITE, N_SMALL, 1, 1 },
    { "blk_read_64k", BLK_READ, N_LARGE, LARGE_BLOCKS, DEPTH },
    { "blk_write_64k", BLK_WRITE, N_LARGE, LARGE_BLOCKS, DEPTH },
};
#define PHASES (sizeof phases / sizeof phases[0])

static unsigned phase;
static uint32_t issued, completed;
static uint64_t i0, t0;
static bool started;

static void issue(void)
{
    const struct phase *p = &phases[phase];
    bool any = false;
    while (issued < p->count && issued - completed < p->depth) {
        uint32_t slot = issued % DEPTH;
        /* Requests walk through the partition; each slot has its own buffer. */
        uint64_t block = (uint64_t)issued * p->blocks % (blk_blocks() - p->blocks);
        if (!blk_request(p->op, (uint64_t)slot * LARGE_BLOCKS * BLK_BLOCK_SIZE, block, p->blocks,
                         (uint16_t)slot))
            break;
        issued++;
        any = true;
    }
    if (any)
        blk_submit();
}

static void start_phase(void)
{
    issued = completed = 0;
    i0 = insns();
    t0 = ticks();
    issue();
}

void init(void)
{
    insns_start();
    blk_init(CH_BLK);
}

void notified(microkit_channel ch)
{
    if (ch != CH_BLK || phase >= PHASES)
        return;
    if (!started) {
        if (!blk_ready())
            return;
        started = true;
        start_phase();
        return;
    }
    struct blk_response r;
    while (blk_response(&r)) {
        if (r.status != BLK_OK) {
            microkit_dbg_puts("BENCH|ERROR block request failed\n");
            phase = PHASES;
            return;
        }
        completed++;
    }
    const struct phase *p = &phases[phase];
    if (completed == p->count) {
        report(p->key, p->count, insns() - i0, ticks() - t0);
        if (++phase == PHASES) {
            microkit_dbg_puts("BENCH|DRV done\n");
            return;
        }
        start_phase();
    } else {
        issue();
    }
}
