/*
 * blk_demo (sdf/block.system): a block client. Once the virtualiser has
 * given it its partition it reads the signature the host wrote in block 0,
 * writes blocks 1-2 and the partition's last block with a pattern the host
 * test checks afterwards, reads them back, tries requests outside its
 * partition and its data region (refused), and flushes.
 */
#include <microkit.h>
#include <block/block.h>

#define CH_BLK 1

/* Byte j of block b in partition p, as tests/system/block_disk.py expects. */
static uint8_t pattern(unsigned p, uint64_t b, unsigned j)
{
    return (uint8_t)(j * 3 + b * 7 + p * 101);
}

enum step { WAIT_READY, READ_SIGNATURE, WRITE_TWO, READ_TWO, WRITE_LAST, READ_PAST_END,
            READ_OUTSIDE_REGION, FLUSH, DONE };
static enum step step = WAIT_READY;
static unsigned partition;
static uint64_t blocks;

static uint8_t *data(uint64_t offset)
{
    return (uint8_t *)(blk_data + offset);
}

static void say(const char *s)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": ");
    microkit_dbg_puts(s);
}

static void fill(uint64_t offset, uint64_t block, uint32_t count)
{
    for (uint32_t k = 0; k < count; k++)
        for (unsigned j = 0; j < BLK_BLOCK_SIZE; j++)
            data(offset)[k * BLK_BLOCK_SIZE + j] = pattern(partition, block + k, j);
}

static bool matches(uint64_t offset, uint64_t block, uint32_t count)
{
    for (uint32_t k = 0; k < count; k++)
        for (unsigned j = 0; j < BLK_BLOCK_SIZE; j++)
            if (data(offset)[k * BLK_BLOCK_SIZE + j] != pattern(partition, block + k, j))
                return false;
    return true;
}

static void request(enum blk_op op, uint64_t offset, uint64_t block, uint32_t count)
{
    if (!blk_request(op, offset, block, count, (uint16_t)step))
        say("request queue full?\n");
    blk_submit();
}

/* Issue the request of the current step. */
static void start_step(void)
{
    switch (step) {
    case READ_SIGNATURE: request(BLK_READ, 0, 0, 1); break;
    case WRITE_TWO: fill(0x10000, 1, 2); request(BLK_WRITE, 0x10000, 1, 2); break;
    case READ_TWO:
        for (unsigned j = 0; j < 2 * BLK_BLOCK_SIZE; j++)
            data(0x20000)[j] = 0;
        request(BLK_READ, 0x20000, 1, 2);
        break;
    case WRITE_LAST: fill(0x30000, blocks - 1, 1); request(BLK_WRITE, 0x30000, blocks - 1, 1); break;
    case READ_PAST_END: request(BLK_READ, 0, blocks, 1); break;
    case READ_OUTSIDE_REGION: request(BLK_READ, BLK_DATA_REGION - BLK_BLOCK_SIZE, 0, 2); break;
    case FLUSH: request(BLK_FLUSH, 0, 0, 0); break;
    default: break;
    }
}

static bool check(const struct blk_response *r)
{
    static const char signature[] = "PARTITION ";
    switch (step) {
    case READ_SIGNATURE:
        for (unsigned i = 0; signature[i]; i++)
            if (data(0)[i] != signature[i])
                return false;
        partition = data(0)[10] - '0';
        say("block 0 holds the host's signature of partition ");
        microkit_dbg_put32(partition);
        microkit_dbg_puts("\n");
        return r->status == BLK_OK;
    case WRITE_TWO: case WRITE_LAST: case FLUSH:
        return r->status == BLK_OK;
    case READ_TWO:
        if (r->status != BLK_OK || r->count != 2 || !matches(0x20000, 1, 2))
            return false;
        say("wrote blocks 1-2 and read them back\n");
        return true;
    case READ_PAST_END:
        if (r->status != BLK_OUT_OF_RANGE)
            return false;
        say("a read past the partition's end was refused\n");
        return true;
    case READ_OUTSIDE_REGION:
        if (r->status != BLK_OUT_OF_RANGE)
            return false;
        say("a read into memory outside the data region was refused\n");
        return true;
    default:
        return false;
    }
}

void init(void)
{
    blk_init(CH_BLK);
}

void notified(microkit_channel ch)
{
    if (ch != CH_BLK)
        return;
    if (step == WAIT_READY) {
        if (!blk_ready())
            return;
        blocks = blk_blocks();
        say("partition of ");
        microkit_dbg_put32((uint32_t)blocks);
        microkit_dbg_puts(" blocks\n");
        if (blocks < 4) {
            say("partition too small\n");
            step = DONE;
            return;
        }
        step = READ_SIGNATURE;
        start_step();
        return;
    }
    struct blk_response r;
    while (step != DONE && blk_response(&r)) {
        if (r.id != step || !check(&r)) {
            say("FAILED at step ");
            microkit_dbg_put32(step);
            microkit_dbg_puts(", status ");
            microkit_dbg_put32(r.status);
            microkit_dbg_puts("\n");
            step = DONE;
            return;
        }
        step++;
        if (step == DONE)
            say("done\n");
        else
            start_step();
    }
}
