/*
 * An emulated Arm PL011 UART (DDI 0183G): what a guest's pl011 driver
 * (Linux's amba-pl011, earlycon, U-Boot) needs to write and read a
 * console. Transmitted bytes go to a backend at once (the transmit FIFO is
 * always empty unless the backend is full); received bytes wait in a FIFO
 * until the guest reads them. The interrupt line follows (RIS & IMSC), as
 * on the real device.
 */
#ifndef VMM_PL011_H
#define VMM_PL011_H

#include <stdbool.h>
#include <stdint.h>

#define PL011_SIZE          0x1000
#define PL011_RX_FIFO       32

struct pl011_backend {
    void (*tx)(void *ctx, uint8_t c);
    bool (*tx_full)(void *ctx);         /* NULL: never full */
    void (*irq)(void *ctx, bool level); /* the interrupt line changed */
    void (*tx_idle)(void *ctx);         /* the guest stopped transmitting (NULL: none) */
    void *ctx;
};

struct pl011 {
    struct pl011_backend backend;
    uint8_t rx[PL011_RX_FIFO];
    unsigned rx_head, rx_count;
    uint32_t ibrd, fbrd, lcr_h, cr, ifls, imsc, ris, dmacr, ilpr;
    bool line;                          /* the interrupt line as last reported */
    uint64_t tx_bytes, rx_bytes, rx_dropped;
};

void pl011_init(struct pl011 *u, const struct pl011_backend *backend);
uint32_t pl011_read(struct pl011 *u, uint32_t offset);
void pl011_write(struct pl011 *u, uint32_t offset, uint32_t value);
/* A byte arrived for the guest; false (and counted) if the FIFO is full. */
bool pl011_receive(struct pl011 *u, uint8_t c);
/* The backend has room again: the guest may transmit. */
void pl011_tx_ready(struct pl011 *u);
/* The interrupt line, for a guest GIC's end-of-interrupt: still asserted? */
bool pl011_irq_asserted(const struct pl011 *u);

#endif
