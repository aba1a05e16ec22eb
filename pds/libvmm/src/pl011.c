/*
 * The emulated PL011 (include/vmm/pl011.h). Register offsets, flag and
 * interrupt bits and the identification registers are the PL011's
 * (DDI 0183G, section 3.2).
 */
#include <vmm/pl011.h>

#include <string.h>

#define UARTDR      0x000
#define UARTRSR     0x004
#define UARTFR      0x018
#define UARTILPR    0x020
#define UARTIBRD    0x024
#define UARTFBRD    0x028
#define UARTLCR_H   0x02c
#define UARTCR      0x030
#define UARTIFLS    0x034
#define UARTIMSC    0x038
#define UARTRIS     0x03c
#define UARTMIS     0x040
#define UARTICR     0x044
#define UARTDMACR   0x048
#define UARTPERIPHID0 0xfe0

#define FR_RXFE     (1u << 4)
#define FR_TXFF     (1u << 5)
#define FR_RXFF     (1u << 6)
#define FR_TXFE     (1u << 7)

#define INT_RX      (1u << 4)
#define INT_TX      (1u << 5)
#define INT_RT      (1u << 6)   /* receive timeout: bytes waiting */
#define INT_ALL     0x7ffu

#define CR_RESET    0x300u      /* TXE and RXE */
#define IFLS_RESET  0x12u       /* both FIFOs at half */

/* PeriphID0-3 and PCellID0-3: a PL011 r1p5, as Linux's AMBA bus probes it. */
static const uint8_t ids[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static void update_irq(struct pl011 *u)
{
    bool level = (u->ris & u->imsc) != 0;
    if (level != u->line) {
        u->line = level;
        if (u->backend.irq)
            u->backend.irq(u->backend.ctx, level);
    }
}

static bool tx_full(const struct pl011 *u)
{
    return u->backend.tx_full && u->backend.tx_full(u->backend.ctx);
}

void pl011_init(struct pl011 *u, const struct pl011_backend *backend)
{
    memset(u, 0, sizeof *u);
    u->backend = *backend;
    u->cr = CR_RESET;
    u->ifls = IFLS_RESET;
}

bool pl011_irq_asserted(const struct pl011 *u)
{
    return (u->ris & u->imsc) != 0;
}

static uint32_t read_data(struct pl011 *u)
{
    if (u->rx_count == 0)
        return 0;
    uint8_t c = u->rx[u->rx_head];
    u->rx_head = (u->rx_head + 1) % PL011_RX_FIFO;
    u->rx_count--;
    if (u->rx_count == 0)
        u->ris &= ~(INT_RX | INT_RT);
    update_irq(u);
    return c;
}

static uint32_t flags(const struct pl011 *u)
{
    uint32_t fr = u->rx_count ? 0 : FR_RXFE;
    if (u->rx_count == PL011_RX_FIFO)
        fr |= FR_RXFF;
    fr |= tx_full(u) ? FR_TXFF : FR_TXFE;
    return fr;
}

uint32_t pl011_read(struct pl011 *u, uint32_t offset)
{
    if (offset >= UARTPERIPHID0 && offset < UARTPERIPHID0 + 4 * sizeof ids && !(offset & 3))
        return ids[(offset - UARTPERIPHID0) / 4];
    switch (offset) {
    case UARTDR:
        return read_data(u);
    case UARTRSR:
        return 0;
    case UARTFR:
        return flags(u);
    case UARTILPR:
        return u->ilpr;
    case UARTIBRD:
        return u->ibrd;
    case UARTFBRD:
        return u->fbrd;
    case UARTLCR_H:
        return u->lcr_h;
    case UARTCR:
        return u->cr;
    case UARTIFLS:
        return u->ifls;
    case UARTIMSC:
        return u->imsc;
    case UARTRIS:
        return u->ris;
    case UARTMIS:
        return u->ris & u->imsc;
    case UARTDMACR:
        return u->dmacr;
    default:
        return 0;
    }
}

static void transmit(struct pl011 *u, uint8_t c)
{
    if (tx_full(u))
        return;     /* as a full FIFO does: the byte is lost */
    u->backend.tx(u->backend.ctx, c);
    u->tx_bytes++;
    /* Sent at once: the FIFO is below its level again. */
    u->ris |= INT_TX;
    update_irq(u);
}

void pl011_write(struct pl011 *u, uint32_t offset, uint32_t value)
{
    switch (offset) {
    case UARTDR:
        transmit(u, (uint8_t)value);
        break;
    case UARTILPR:
        u->ilpr = value & 0xff;
        break;
    case UARTIBRD:
        u->ibrd = value & 0xffff;
        break;
    case UARTFBRD:
        u->fbrd = value & 0x3f;
        break;
    case UARTLCR_H:
        u->lcr_h = value & 0xff;
        break;
    case UARTCR:
        u->cr = value & 0xffff;
        break;
    case UARTIFLS:
        u->ifls = value & 0x3f;
        break;
    case UARTIMSC: {
        /* A driver masks the transmit interrupt when it has nothing more
         * to send: the end of a burst of output (a prompt, say). */
        bool tx_stopped = (u->imsc & INT_TX) && !(value & INT_TX);
        u->imsc = value & INT_ALL;
        update_irq(u);
        if (tx_stopped && u->backend.tx_idle)
            u->backend.tx_idle(u->backend.ctx);
        break;
    }
    case UARTICR:
        u->ris &= ~value;
        /* Bytes still waiting keep their interrupt asserted. */
        if (u->rx_count)
            u->ris |= INT_RX | INT_RT;
        update_irq(u);
        break;
    case UARTDMACR:
        u->dmacr = value & 0x7;
        break;
    default:
        break;
    }
}

bool pl011_receive(struct pl011 *u, uint8_t c)
{
    if (u->rx_count == PL011_RX_FIFO) {
        u->rx_dropped++;
        return false;
    }
    u->rx[(u->rx_head + u->rx_count) % PL011_RX_FIFO] = c;
    u->rx_count++;
    u->rx_bytes++;
    u->ris |= INT_RX | INT_RT;
    update_irq(u);
    return true;
}

void pl011_tx_ready(struct pl011 *u)
{
    u->ris |= INT_TX;
    update_irq(u);
}
