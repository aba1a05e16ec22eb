/* serial_meson: the serial driver PD for the Amlogic (meson) AO UART of
   the Odroid-C4. Register layout from the S905X3 documentation as recorded
   in ../shared/reference/boards.md; the rest is drivers/serial/uart.c.
   Experimental until run on the board (docs/drivers.md). */
#include <serial/serial.h>

#define WFIFO       0x00
#define RFIFO       0x04
#define CONTROL     0x08
#define STATUS      0x0c
#define MISC        0x10
#define CTL_RX_INT  (1u << 27)
#define CTL_TX_INT  (1u << 28)
#define CTL_TX_EN   (1u << 12)
#define CTL_RX_EN   (1u << 13)
#define ST_RX_EMPTY (1u << 20)
#define ST_TX_FULL  (1u << 21)
/* MISC: interrupt after 1 received byte, and when fewer than 32 wait to go. */
#define MISC_IRQ_COUNTS ((32u << 8) | 1u)

static volatile uint32_t *reg(unsigned offset)
{
    return (volatile uint32_t *)(uart_regs + offset);
}

static bool tx_ready(void) { return !(*reg(STATUS) & ST_TX_FULL); }
static void tx_byte(uint8_t c) { *reg(WFIFO) = c; }
static bool rx_ready(void) { return !(*reg(STATUS) & ST_RX_EMPTY); }
static uint8_t rx_byte(void) { return (uint8_t)*reg(RFIFO); }

static void tx_interrupt(bool on)
{
    uint32_t ctl = *reg(CONTROL);
    *reg(CONTROL) = on ? ctl | CTL_TX_INT : ctl & ~CTL_TX_INT;
}

/* The interrupt is edge triggered: it is enough to empty the FIFO. */
static void irq_clear(void)
{
}

static const struct uart_hw meson = {
    .tx_ready = tx_ready, .tx_byte = tx_byte, .rx_ready = rx_ready, .rx_byte = rx_byte,
    .tx_interrupt = tx_interrupt, .irq_clear = irq_clear,
};

void init(void)
{
    /* U-Boot left the UART on at 115200 8N1; keep that, add interrupts. */
    *reg(MISC) = MISC_IRQ_COUNTS;
    *reg(CONTROL) = (*reg(CONTROL) | CTL_TX_EN | CTL_RX_EN | CTL_RX_INT) & ~CTL_TX_INT;
    uart_driver_init(&meson);
}

void notified(microkit_channel ch)
{
    uart_driver_notified(ch);
}
