/*
 * blk_virt: one disk, a partition per client. At start it reads the MBR
 * through the driver; client N gets primary partition N + 1 (it must be
 * 4 KiB aligned). Client requests are checked (operation, count, blocks
 * inside the partition, data inside the client's region), moved to the
 * partition, given the physical address of the client's buffer, and passed
 * to the driver; the driver's responses go back to their client.
 */
#include <block/block.h>
#include <transport/virt.h>

#define SECTOR          512u
#define SECTORS_PER_BLOCK (BLK_BLOCK_SIZE / SECTOR)
#define MBR_ID          0xffffu     /* driver request id of the MBR read */
#define IN_FLIGHT       (BLK_QUEUE_CAPACITY)

struct client {
    struct blk_queues q;
    bool present;
    uint64_t start, blocks;         /* partition, in blocks */
    uint64_t data_paddr;
};

static struct client clients[BLK_MAX_CLIENTS];
static struct blk_queues driver;
static uintptr_t own_data;          /* our buffer for the MBR (driver_data) */
static uint64_t own_paddr;
static bool ready;

/* What each driver request id stands for. */
static struct { bool used; uint8_t client; uint16_t id; } slots[IN_FLIGHT];

static uint32_t le32(const volatile uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void respond(unsigned n, uint16_t id, uint32_t status, uint32_t count)
{
    struct blk_response r = { .status = status, .count = count, .id = id };
    queue_enqueue(&clients[n].q.resp, &r);
}

static void read_partitions(void)
{
    const volatile uint8_t *mbr = (const volatile uint8_t *)own_data;
    bool valid = mbr[510] == 0x55 && mbr[511] == 0xaa;
    if (!valid)
        microkit_dbg_puts("blk_virt: no MBR on the disk: no client gets a partition\n");
    for (unsigned n = 0; n < BLK_MAX_CLIENTS; n++) {
        struct client *c = &clients[n];
        if (!c->present)
            continue;
        c->blocks = 0;
        if (valid && n < 4) {
            const volatile uint8_t *e = mbr + 446 + 16 * n;
            uint32_t first = le32(e + 8), count = le32(e + 12);
            if (e[4] != 0 && count && first % SECTORS_PER_BLOCK == 0) {
                c->start = first / SECTORS_PER_BLOCK;
                c->blocks = count / SECTORS_PER_BLOCK;
            }
        }
        microkit_dbg_puts("blk_virt: client ");
        microkit_dbg_put32((uint32_t)n);
        if (c->blocks) {
            microkit_dbg_puts(": partition ");
            microkit_dbg_put32((uint32_t)n + 1);
            microkit_dbg_puts(", ");
            microkit_dbg_put32((uint32_t)c->blocks);
            microkit_dbg_puts(" blocks from block ");
            microkit_dbg_put32((uint32_t)c->start);
            microkit_dbg_puts("\n");
        } else {
            microkit_dbg_puts(": no usable partition (absent, or not 4 KiB aligned)\n");
        }
        c->q.info->block_size = BLK_BLOCK_SIZE;
        c->q.info->blocks = c->blocks;
        __atomic_store_n(&c->q.info->ready, 1, __ATOMIC_RELEASE);
        microkit_notify(VIRT_CH_CLIENT0 + n);
    }
    ready = true;
}

static int free_slot(void)
{
    for (int i = 0; i < IN_FLIGHT; i++)
        if (!slots[i].used)
            return i;
    return -1;
}

/* Pass client requests on while the driver has room. */
static void serve_clients(void)
{
    bool to_driver = false;
    for (unsigned n = 0; n < BLK_MAX_CLIENTS; n++) {
        struct client *c = &clients[n];
        if (!c->present)
            continue;
        bool answered = false;
        struct blk_request r;
        for (;;) {
            int slot = free_slot();
            if (slot < 0 || queue_full(&driver.req))
                break;          /* resumed when the driver answers */
            if (!queue_next(&c->q.req, &r))
                break;
            uint32_t status = BLK_OK;
            uint64_t bytes = (uint64_t)r.count * BLK_BLOCK_SIZE;
            if (r.op != BLK_READ && r.op != BLK_WRITE && r.op != BLK_FLUSH)
                status = BLK_BAD_REQUEST;
            else if (!c->blocks)
                status = BLK_NOT_READY;
            else if (r.op != BLK_FLUSH && r.count == 0)
                status = BLK_BAD_REQUEST;
            else if (r.op != BLK_FLUSH && (r.block >= c->blocks || r.count > c->blocks - r.block ||
                                           r.addr > BLK_DATA_REGION ||
                                           bytes > BLK_DATA_REGION - r.addr))
                status = BLK_OUT_OF_RANGE;
            if (status != BLK_OK) {
                respond(n, r.id, status, 0);
                answered = true;
                continue;
            }
            slots[slot].used = true;
            slots[slot].client = (uint8_t)n;
            slots[slot].id = r.id;
            struct blk_request d = { .addr = c->data_paddr + r.addr, .block = c->start + r.block,
                                     .count = r.count, .op = r.op, .id = (uint16_t)slot };
            queue_enqueue(&driver.req, &d);
            to_driver = true;
        }
        if (answered && queue_signal_needed(&c->q.resp))
            microkit_notify(VIRT_CH_CLIENT0 + n);
    }
    if (to_driver && queue_signal_needed(&driver.req))
        microkit_notify(VIRT_CH_DRIVER);
}

static void serve_driver(void)
{
    bool notify[BLK_MAX_CLIENTS] = { false };
    struct blk_response r;
    while (queue_next(&driver.resp, &r)) {
        if (r.id == MBR_ID) {
            read_partitions();
            continue;
        }
        if (r.id >= IN_FLIGHT || !slots[r.id].used)
            continue;
        unsigned n = slots[r.id].client;
        slots[r.id].used = false;
        respond(n, slots[r.id].id, r.status, r.count);
        notify[n] = true;
    }
    for (unsigned n = 0; n < BLK_MAX_CLIENTS; n++)
        if (notify[n] && queue_signal_needed(&clients[n].q.resp))
            microkit_notify(VIRT_CH_CLIENT0 + n);
}

void init(void)
{
    struct virt_regions d = virt_driver();
    own_data = d.data;
    own_paddr = d.data_paddr;
    if (!blk_queues_attach(&driver, d.queue) || !own_data || !own_paddr) {
        microkit_dbg_puts("blk_virt: driver connection or its data region missing\n");
        return;
    }
    for (unsigned n = 0; n < BLK_MAX_CLIENTS; n++) {
        struct virt_regions r = virt_client(n);
        clients[n].present = r.queue && r.data_paddr && blk_queues_attach(&clients[n].q, r.queue);
        clients[n].data_paddr = r.data_paddr;
    }
    struct blk_request mbr = { .addr = own_paddr, .block = 0, .count = 1, .op = BLK_READ,
                               .id = MBR_ID };
    queue_enqueue(&driver.req, &mbr);
    queue_request_signal(&driver.resp);
    microkit_notify(VIRT_CH_DRIVER);
}

void notified(microkit_channel ch)
{
    if (ch == VIRT_CH_DRIVER)
        serve_driver();
    if (ready)
        serve_clients();
}
