/*
 * blk_meson: the block driver PD for the Odroid-C4's SD card controller
 * (Amlogic SD/eMMC "sd_emmc_b"). EXPERIMENTAL: written from the register
 * facts (offsets and bits as in the meson-gx-mmc drivers of Linux and
 * U-Boot), built in CI, not yet run on the board (docs/drivers.md).
 *
 * Assumptions: U-Boot has powered, clocked and selected the card (it
 * booted from it, or ran `mmc rescan`), which is an SDHC/SDXC card
 * (addressed in 512-byte sectors) in the transfer state. Commands are
 * issued one at a time in the controller's register ("non-chain") mode
 * with the data moved by the controller's DMA straight to or from the
 * client's buffer; the end of each command is an interrupt.
 */
#include <block/block.h>

uintptr_t blk_regs;             /* the controller's registers */
uintptr_t virt_queue;           /* connection to blk_virt */
uintptr_t dma_vaddr, dma_paddr; /* unused: data moves to the clients' buffers */

#define SD_EMMC_CFG         0x44
#define SD_EMMC_STATUS      0x48
#define SD_EMMC_IRQ_EN      0x4c
#define SD_EMMC_CMD_CFG     0x50
#define SD_EMMC_CMD_ARG     0x54    /* writing it starts the command */
#define SD_EMMC_CMD_DAT     0x58
#define SD_EMMC_CMD_RSP     0x5c

#define CFG_BL_LEN_MASK     (0xfu << 4)
#define CFG_BL_LEN_512      (9u << 4)
#define STATUS_ERR_MASK     0x1fffu         /* CRC, descriptor, response errors, timeouts */
#define STATUS_END_OF_CHAIN (1u << 13)
#define STATUS_CLEAR        0xffffu

#define CMD_BLOCK_MODE      (1u << 9)
#define CMD_R1B             (1u << 10)
#define CMD_END_OF_CHAIN    (1u << 11)
#define CMD_TIMEOUT_4S      (12u << 12)
#define CMD_DATA_IO         (1u << 18)
#define CMD_DATA_WR         (1u << 19)
#define CMD_OWNER           (1u << 31)
#define CMD_INDEX_SHIFT     24

#define SD_STOP_TRANSMISSION        12
#define SD_READ_MULTIPLE_BLOCK      18
#define SD_WRITE_MULTIPLE_BLOCK     25
#define SECTOR              512u
#define SECTORS_PER_BLOCK   (BLK_BLOCK_SIZE / SECTOR)
#define MAX_SECTORS         504u    /* the 9-bit length field, whole blocks */

static struct blk_queues virt;
static bool busy, stopping;
static struct blk_request cur;      /* request in progress */
static uint32_t done_blocks;        /* of cur */
static uint32_t chunk_blocks;       /* of the command running */

static volatile uint32_t *reg(unsigned offset)
{
    return (volatile uint32_t *)(blk_regs + offset);
}

static void command(uint32_t index, uint32_t flags, uint32_t arg, uint32_t dma)
{
    *reg(SD_EMMC_STATUS) = STATUS_CLEAR;
    *reg(SD_EMMC_CMD_CFG) = index << CMD_INDEX_SHIFT | flags | CMD_TIMEOUT_4S | CMD_OWNER |
                            CMD_END_OF_CHAIN;
    *reg(SD_EMMC_CMD_DAT) = dma;
    __asm__ volatile("dsb sy" ::: "memory");
    *reg(SD_EMMC_CMD_ARG) = arg;
}

static void respond(uint32_t status, uint32_t count)
{
    struct blk_response r = { .status = status, .count = count, .id = cur.id };
    queue_enqueue(&virt.resp, &r);
    busy = false;
    if (queue_signal_needed(&virt.resp))
        microkit_notify(BLK_DRIVER_CH_VIRT);
}

/* The next multi-block command of the current request. */
static void next_chunk(void)
{
    uint32_t left = cur.count - done_blocks;
    chunk_blocks = left * SECTORS_PER_BLOCK > MAX_SECTORS ? MAX_SECTORS / SECTORS_PER_BLOCK : left;
    uint64_t sector = (cur.block + done_blocks) * SECTORS_PER_BLOCK;
    uint64_t addr = cur.addr + (uint64_t)done_blocks * BLK_BLOCK_SIZE;
    bool write = cur.op == BLK_WRITE;
    command(write ? SD_WRITE_MULTIPLE_BLOCK : SD_READ_MULTIPLE_BLOCK,
            CMD_DATA_IO | CMD_BLOCK_MODE | (write ? CMD_DATA_WR : 0) |
            chunk_blocks * SECTORS_PER_BLOCK, (uint32_t)sector, (uint32_t)addr);
}

static void start_next(void)
{
    while (!busy) {
        if (!queue_next(&virt.req, &cur))
            return;
        busy = true;
        done_blocks = 0;
        if (cur.op == BLK_FLUSH) {
            respond(BLK_OK, 0);         /* the card has no cache to flush in this mode */
        } else if ((cur.op != BLK_READ && cur.op != BLK_WRITE) || cur.count == 0 ||
                   (cur.block + cur.count) * SECTORS_PER_BLOCK > UINT32_MAX ||
                   cur.addr + (uint64_t)cur.count * BLK_BLOCK_SIZE > UINT32_MAX) {
            respond(BLK_BAD_REQUEST, 0);
        } else {
            next_chunk();
        }
    }
}

static void command_done(void)
{
    uint32_t status = *reg(SD_EMMC_STATUS);
    *reg(SD_EMMC_STATUS) = STATUS_CLEAR;
    if (!busy || !(status & (STATUS_END_OF_CHAIN | STATUS_ERR_MASK)))
        return;
    if (status & STATUS_ERR_MASK) {
        stopping = false;
        respond(BLK_ERROR, done_blocks);
        return;
    }
    if (!stopping) {
        /* Data moved: end the multi-block transfer. */
        done_blocks += chunk_blocks;
        stopping = true;
        command(SD_STOP_TRANSMISSION, CMD_R1B, 0, 0);
        return;
    }
    stopping = false;
    if (done_blocks < cur.count)
        next_chunk();
    else
        respond(BLK_OK, done_blocks);
}

void init(void)
{
    if (!blk_queues_attach(&virt, virt_queue) || !blk_regs) {
        microkit_dbg_puts("blk_meson: regions missing\n");
        return;
    }
    *reg(SD_EMMC_CFG) = (*reg(SD_EMMC_CFG) & ~CFG_BL_LEN_MASK) | CFG_BL_LEN_512;
    *reg(SD_EMMC_STATUS) = STATUS_CLEAR;
    *reg(SD_EMMC_IRQ_EN) = STATUS_END_OF_CHAIN | STATUS_ERR_MASK;
    microkit_dbg_puts("blk_meson: SD card controller (experimental)\n");
    queue_request_signal(&virt.req);
}

void notified(microkit_channel ch)
{
    if (ch == BLK_DRIVER_CH_IRQ) {
        command_done();
        microkit_deferred_irq_ack(ch);
    }
    start_next();
}
