/*
 * Amlogic meson AO UART (Odroid-C4): transmit only, polled. Boot firmware
 * leaves it enabled at 115200 8N1, so no initialisation is needed.
 */
#include "serial.h"

#define AML_WFIFO       0x00
#define AML_STATUS      0x0c
#define STATUS_TX_FULL  (1u << 21)
#define STATUS_TX_EMPTY (1u << 22)

static volatile uint32_t *uart;

static inline volatile uint32_t *reg(unsigned offset)
{
    return uart + offset / sizeof(uint32_t);
}

void serial_init(uintptr_t base)
{
    uart = (volatile uint32_t *)base;
}

void serial_putc(char c)
{
    if (!uart)
        return;
    while (*reg(AML_STATUS) & STATUS_TX_FULL)
        ;
    *reg(AML_WFIFO) = (uint8_t)c;
}

void serial_flush(void)
{
    if (!uart)
        return;
    while (!(*reg(AML_STATUS) & STATUS_TX_EMPTY))
        ;
}
