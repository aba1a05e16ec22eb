/*
 * net_dwmac: the network driver PD for the Odroid-C4's Ethernet, a
 * Synopsys DesignWare GMAC (3.70a) with its DMA engine. EXPERIMENTAL:
 * written from the GMAC's documented register and descriptor layout, built
 * in CI, not yet run on the board (docs/drivers.md).
 *
 * Assumptions: U-Boot has configured the Amlogic glue (PRG_ETH), the clocks
 * and the RTL8211F PHY, and the link is up (run `dhcp` in U-Boot before
 * booting); the driver keeps the speed and duplex U-Boot set. Receive and
 * transmit rings of 64 descriptors each live in this driver's DMA region;
 * the frame buffers are the virtualisers' (by physical address). Both
 * descriptor formats are handled: the hardware-feature register says
 * whether the core was built with "enhanced" (alternate) descriptors.
 */
#include <network/network.h>

uintptr_t net_regs;                 /* MAC at +0, DMA at +0x1000 */
uintptr_t rx_queue, tx_queue;       /* connections to the virtualisers */
uintptr_t dma_vaddr, dma_paddr;     /* our DMA region: the two rings */

#define MAC_CONFIG          0x0000
#define MAC_FRAME_FILTER    0x0004
#define MAC_ADDR0_HIGH      0x0040
#define MAC_ADDR0_LOW       0x0044
#define DMA_BUS_MODE        0x1000
#define DMA_TX_POLL         0x1004
#define DMA_RX_POLL         0x1008
#define DMA_RX_LIST         0x100c
#define DMA_TX_LIST         0x1010
#define DMA_STATUS          0x1014
#define DMA_OP_MODE         0x1018
#define DMA_INTR_EN         0x101c
#define DMA_HW_FEATURE      0x1058

#define CONFIG_RE           (1u << 2)
#define CONFIG_TE           (1u << 3)
#define FILTER_PR           (1u << 0)       /* promiscuous: the virtualiser sorts by MAC */
#define BUS_SWR             (1u << 0)
#define BUS_PBL_8           (8u << 8)
#define OP_SR               (1u << 1)
#define OP_ST               (1u << 13)
#define OP_TSF              (1u << 21)
#define OP_RSF              (1u << 25)
#define INT_TI              (1u << 0)
#define INT_RI              (1u << 6)
#define INT_AIS             (1u << 15)
#define INT_NIS             (1u << 16)
#define HW_ENHANCED_DESC    (1u << 24)

#define DES0_OWN            (1u << 31)
#define RX_DES0_FL_SHIFT    16
#define RX_DES0_FL_MASK     0x3fffu
#define RX_DES0_ES          (1u << 15)
#define RX_DES0_FS          (1u << 9)
#define RX_DES0_LS          (1u << 8)
/* Normal descriptors: control bits in des1. */
#define N_RX_DES1_RER       (1u << 25)
#define N_TX_DES1_IC        (1u << 31)
#define N_TX_DES1_LS        (1u << 30)
#define N_TX_DES1_FS        (1u << 29)
#define N_TX_DES1_TER       (1u << 25)
/* Enhanced descriptors: transmit control in des0, ring ends move. */
#define E_RX_DES1_RER       (1u << 15)
#define E_TX_DES0_IC        (1u << 30)
#define E_TX_DES0_LS        (1u << 29)
#define E_TX_DES0_FS        (1u << 28)
#define E_TX_DES0_TER       (1u << 21)
#define BUF_SIZE_MASK       0x7ffu
#define RX_BUF_BYTES        2044u           /* fits both formats' size fields, word multiple */

#define RING                NET_QUEUE_CAPACITY

struct desc {
    volatile uint32_t des0, des1, des2, des3;
};

static struct desc *rx_ring, *tx_ring;
static struct buf_desc rx_buf[RING], tx_buf[RING];
static unsigned rx_head, rx_tail, tx_head, tx_tail;    /* tail: next to reuse, head: next to hand */
static struct net_driver_queues conns;
static bool enhanced, ok;

static volatile uint32_t *reg(unsigned offset)
{
    return (volatile uint32_t *)(net_regs + offset);
}

static void barrier(void)
{
    __asm__ volatile("dsb sy" ::: "memory");
}

static void give_rx(unsigned i, const struct buf_desc *b)
{
    rx_buf[i] = *b;
    rx_ring[i].des2 = (uint32_t)b->addr;
    if (enhanced)
        rx_ring[i].des1 = RX_BUF_BYTES | (i == RING - 1 ? E_RX_DES1_RER : 0);
    else
        rx_ring[i].des1 = RX_BUF_BYTES | (i == RING - 1 ? N_RX_DES1_RER : 0);
    barrier();
    rx_ring[i].des0 = DES0_OWN;
}

static void refill_rx(void)
{
    struct buf_desc b;
    bool given = false;
    while (rx_head - rx_tail < RING) {
        if (!queue_next(&conns.rx_free, &b))
            break;
        give_rx(rx_head % RING, &b);
        rx_head++;
        given = true;
    }
    if (given) {
        barrier();
        *reg(DMA_RX_POLL) = 1;
    }
}

static void start_tx(void)
{
    struct buf_desc b;
    bool given = false;
    while (tx_head - tx_tail < RING) {
        if (!queue_next(&conns.tx_active, &b))
            break;
        unsigned i = tx_head % RING;
        bool end = i == RING - 1;
        tx_buf[i] = b;
        tx_ring[i].des2 = (uint32_t)b.addr;
        if (enhanced) {
            tx_ring[i].des1 = b.len & 0x1fffu;
            barrier();
            tx_ring[i].des0 = DES0_OWN | E_TX_DES0_IC | E_TX_DES0_FS | E_TX_DES0_LS |
                              (end ? E_TX_DES0_TER : 0);
        } else {
            tx_ring[i].des1 = (b.len & BUF_SIZE_MASK) | N_TX_DES1_IC | N_TX_DES1_FS |
                              N_TX_DES1_LS | (end ? N_TX_DES1_TER : 0);
            barrier();
            tx_ring[i].des0 = DES0_OWN;
        }
        tx_head++;
        given = true;
    }
    if (given) {
        barrier();
        *reg(DMA_TX_POLL) = 1;
    }
}

static void complete(void)
{
    bool received = false, sent = false;
    while (rx_tail != rx_head && !(rx_ring[rx_tail % RING].des0 & DES0_OWN)) {
        unsigned i = rx_tail % RING;
        uint32_t d0 = rx_ring[i].des0;
        struct buf_desc b = rx_buf[i];
        bool whole = (d0 & RX_DES0_FS) && (d0 & RX_DES0_LS) && !(d0 & RX_DES0_ES);
        uint32_t len = (d0 >> RX_DES0_FL_SHIFT) & RX_DES0_FL_MASK;
        b.len = whole && len >= 4 ? len - 4 : 0;       /* without the FCS */
        queue_enqueue(&conns.rx_active, &b);                  /* length 0: dropped by the virtualiser */
        rx_tail++;
        received = true;
    }
    while (tx_tail != tx_head && !(tx_ring[tx_tail % RING].des0 & DES0_OWN)) {
        queue_enqueue(&conns.tx_free, &tx_buf[tx_tail % RING]);
        tx_tail++;
        sent = true;
    }
    if (received && queue_signal_needed(&conns.rx_active))
        microkit_notify(NET_DRIVER_CH_RX);
    if (sent && queue_signal_needed(&conns.tx_free))
        microkit_notify(NET_DRIVER_CH_TX);
}

/* The address U-Boot programmed, for the virtualisers. */
static void publish_mac(void)
{
    uint32_t lo = *reg(MAC_ADDR0_LOW), hi = *reg(MAC_ADDR0_HIGH);
    uint8_t mac[6] = { (uint8_t)lo, (uint8_t)(lo >> 8), (uint8_t)(lo >> 16), (uint8_t)(lo >> 24),
                       (uint8_t)hi, (uint8_t)(hi >> 8) };
    net_info_publish(rx_queue, mac);
    net_info_publish(tx_queue, mac);
}

void init(void)
{
    ok = net_regs && dma_vaddr && dma_paddr &&
         dma_paddr + 2 * RING * sizeof(struct desc) <= UINT32_MAX &&
         net_driver_attach(&conns, rx_queue, tx_queue);
    if (!ok) {
        microkit_dbg_puts("net_dwmac: regions missing\n");
        return;
    }
    enhanced = (*reg(DMA_HW_FEATURE) & HW_ENHANCED_DESC) != 0;
    publish_mac();      /* before the reset, which may clear it */
    *reg(DMA_BUS_MODE) = BUS_SWR;
    for (unsigned spin = 0; spin < 1000000 && (*reg(DMA_BUS_MODE) & BUS_SWR); spin++)
        ;   /* the reset takes a few clock cycles, once at start-up */
    rx_ring = (struct desc *)dma_vaddr;
    tx_ring = rx_ring + RING;
    for (unsigned i = 0; i < RING; i++) {
        rx_ring[i] = (struct desc){ 0 };
        tx_ring[i] = (struct desc){ 0 };
    }
    *reg(DMA_BUS_MODE) = BUS_PBL_8;
    *reg(DMA_RX_LIST) = (uint32_t)dma_paddr;
    *reg(DMA_TX_LIST) = (uint32_t)(dma_paddr + RING * sizeof(struct desc));
    *reg(MAC_FRAME_FILTER) = FILTER_PR;
    *reg(DMA_STATUS) = ~0u;
    *reg(DMA_INTR_EN) = INT_TI | INT_RI | INT_NIS | INT_AIS;
    *reg(DMA_OP_MODE) = OP_TSF | OP_RSF | OP_SR | OP_ST;
    *reg(MAC_CONFIG) |= CONFIG_RE | CONFIG_TE;
    microkit_dbg_puts("net_dwmac: DesignWare MAC (experimental)\n");
    refill_rx();
    queue_request_signal(&conns.tx_active);
}

static void interrupt(void)
{
    *reg(DMA_STATUS) = *reg(DMA_STATUS);    /* write-one-to-clear */
    complete();
}

static const struct net_hw hw = {
    .interrupt = interrupt, .refill_rx = refill_rx, .start_tx = start_tx,
};

void notified(microkit_channel ch)
{
    if (ok)
        net_driver_notified(ch, &hw);
}
