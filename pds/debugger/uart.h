/*
 * The debug PD's own UART, driven directly (registers mapped by the system
 * description at `uart_base`, its interrupt on channel `uart_irq_channel`),
 * for systems without the serial driver PD (debugger.c uses the driver
 * when the system connects it to one): the PL011 on QEMU virt, the meson
 * AO UART on the Odroid-C4. The kernel's console writes to the same UART;
 * the debug PD owns its receive side.
 */
#ifndef DEBUGGER_UART_H
#define DEBUGGER_UART_H

#include <stdbool.h>
#include <stdint.h>

void uart_init(uintptr_t base);
void uart_put(uint8_t c);
/* A received byte, or -1 if none is waiting. */
int uart_get(void);
/* Clear the receive interrupt in the UART; then read what is waiting. */
void uart_irq_clear(void);

#endif
