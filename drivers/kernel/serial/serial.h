/*
 * Polled debug console, shared by the loader (MMU off, physical address) and
 * the kernel (MMU on, device-window address). The board's board.mk picks the
 * driver source; callers only see this interface.
 */
#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#include <stdint.h>

/* Start using the UART whose registers are at `base` (already accessible). */
void serial_init(uintptr_t base);
/* Send one byte, waiting while the transmit FIFO is full. */
void serial_putc(char c);
/* Wait until every byte has left the transmitter (before a reset or power-off). */
void serial_flush(void);

#endif
