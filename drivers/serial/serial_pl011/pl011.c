/* serial_pl011: the serial driver PD for Arm's PL011 UART (QEMU virt).
   Registers from the PL011 technical reference manual; the rest is
   drivers/serial/uart.c. */
#include <serial/serial.h>

#define UARTDR      0x00
#define UARTFR      0x18
#define UARTIMSC    0x38
#define UARTICR     0x44
#define FR_RXFE     (1u << 4)
#define FR_TXFF     (1u << 5)
#define INT_RX      (1u << 4)
#define INT_TX      (1u << 5)
#define INT_RT      (1u << 6)   /* receive timeout */

static volatile uint32_t *reg(unsigned offset)
{
    return (volatile uint32_t *)(uart_regs + offset);
}

static bool tx_ready(void) { return !(*reg(UARTFR) & FR_TXFF); }
static void tx_byte(uint8_t c) { *reg(UARTDR) = c; }
static bool rx_ready(void) { return !(*reg(UARTFR) & FR_RXFE); }
static uint8_t rx_byte(void) { return (uint8_t)*reg(UARTDR); }

static void tx_interrupt(bool on)
{
    *reg(UARTIMSC) = INT_RX | INT_RT | (on ? INT_TX : 0);
}

static void irq_clear(void)
{
    *reg(UARTICR) = INT_RX | INT_RT | INT_TX;
}

static const struct uart_hw pl011 = {
    .tx_ready = tx_ready, .tx_byte = tx_byte, .rx_ready = rx_ready, .rx_byte = rx_byte,
    .tx_interrupt = tx_interrupt, .irq_clear = irq_clear,
};

void init(void)
{
    /* The UART is on already (firmware, the kernel's console); only its
       interrupts change. */
    irq_clear();
    tx_interrupt(false);
    uart_driver_init(&pl011);
}

void notified(microkit_channel ch)
{
    uart_driver_notified(ch);
}
