/* ARM PL011 UART (QEMU virt): transmit only, polled. */
#include "serial.h"

#define UARTDR      0x00
#define UARTFR      0x18
#define UARTCR      0x30
#define FR_TXFF     (1u << 5)   /* transmit FIFO full */
#define FR_BUSY     (1u << 3)
#define CR_UARTEN   (1u << 0)
#define CR_TXE      (1u << 8)

static volatile uint32_t *uart;

static inline volatile uint32_t *reg(unsigned offset)
{
    return uart + offset / sizeof(uint32_t);
}

void serial_init(uintptr_t base)
{
    uart = (volatile uint32_t *)base;
    /* Firmware normally enables it; make sure, without touching the baud rate. */
    *reg(UARTCR) |= CR_UARTEN | CR_TXE;
}

void serial_putc(char c)
{
    if (!uart)
        return;
    while (*reg(UARTFR) & FR_TXFF)
        ;
    *reg(UARTDR) = (uint8_t)c;
}

void serial_flush(void)
{
    if (!uart)
        return;
    while (*reg(UARTFR) & FR_BUSY)
        ;
}
