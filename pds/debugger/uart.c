/*
 * Polled transmit and interrupt-driven receive on the board's UART
 * (uart.h). Register facts: Arm's PL011 technical reference manual; the
 * Amlogic S905X3 AO UART as shared/reference/boards.md records it.
 */
#include "uart.h"

static volatile uint32_t *uart;

static volatile uint32_t *reg(unsigned offset)
{
    return uart + offset / sizeof(uint32_t);
}

#if defined(CONFIG_BOARD_QEMU_VIRT_AARCH64)

#define UARTDR      0x00
#define UARTFR      0x18
#define UARTIMSC    0x38
#define UARTICR     0x44
#define FR_RXFE     (1u << 4)
#define FR_TXFF     (1u << 5)
#define INT_RX      (1u << 4)
#define INT_RT      (1u << 6)       /* receive timeout: bytes wait below the trigger level */

void uart_init(uintptr_t base)
{
    uart = (volatile uint32_t *)base;
    *reg(UARTIMSC) = INT_RX | INT_RT;
}

void uart_put(uint8_t c)
{
    while (*reg(UARTFR) & FR_TXFF)
        ;
    *reg(UARTDR) = c;
}

int uart_get(void)
{
    if (*reg(UARTFR) & FR_RXFE)
        return -1;
    return (int)(*reg(UARTDR) & 0xff);
}

void uart_irq_clear(void)
{
    *reg(UARTICR) = INT_RX | INT_RT;
}

#elif defined(CONFIG_BOARD_ODROIDC4)

#define WFIFO       0x00
#define RFIFO       0x04
#define CONTROL     0x08
#define STATUS      0x0c
#define MISC        0x10
#define CTL_TX_EN   (1u << 12)
#define CTL_RX_EN   (1u << 13)
#define CTL_RX_INT  (1u << 27)
#define ST_RX_EMPTY (1u << 20)
#define ST_TX_FULL  (1u << 21)
#define MISC_RX_IRQ_AFTER_ONE 1u

void uart_init(uintptr_t base)
{
    /* U-Boot left it on at 115200 8N1; add the receive interrupt. */
    uart = (volatile uint32_t *)base;
    *reg(MISC) = (*reg(MISC) & ~0xffu) | MISC_RX_IRQ_AFTER_ONE;
    *reg(CONTROL) |= CTL_TX_EN | CTL_RX_EN | CTL_RX_INT;
}

void uart_put(uint8_t c)
{
    while (*reg(STATUS) & ST_TX_FULL)
        ;
    *reg(WFIFO) = c;
}

int uart_get(void)
{
    if (*reg(STATUS) & ST_RX_EMPTY)
        return -1;
    return (int)(*reg(RFIFO) & 0xff);
}

void uart_irq_clear(void)
{
    /* Edge triggered: emptying the FIFO is enough. */
}

#else
#error "pds/debugger: no UART for this board (add it to uart.c)"
#endif
