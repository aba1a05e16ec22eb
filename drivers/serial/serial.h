/*
 * Serial devices as PDs (docs/drivers.md, "Serial"): a driver PD per UART
 * (serial_pl011, serial_meson), a transmit virtualiser (serial_virt_tx)
 * that lets several clients share the console, each line prefixed with the
 * client's name, and a receive virtualiser (serial_virt_rx) that routes
 * input to one selected client. This header is the class's protocol and
 * the client library's API.
 *
 * Every connection (client-virtualiser or virtualiser-driver, one per
 * direction) is a queue region of SERIAL_QUEUE_REGION bytes and a data
 * region of SERIAL_DATA_REGION bytes (transport/connection.h), with
 * SERIAL_QUEUE_CAPACITY descriptors per queue and buffers of
 * SERIAL_BUF_SIZE bytes. Transmit data belongs to the transmitting side
 * (client, or the virtualiser towards the driver); receive buffers belong
 * to the receiving side.
 */
#ifndef DRIVERS_SERIAL_PD_H
#define DRIVERS_SERIAL_PD_H

#include <microkit.h>
#include <transport/connection.h>

#define SERIAL_QUEUE_CAPACITY   64
#define SERIAL_BUF_SIZE         256
#define SERIAL_QUEUE_REGION     0x1000
#define SERIAL_DATA_REGION      0x4000
#define SERIAL_MAX_CLIENTS      8

/* A transmitting client's name, for the line prefix: written by the client
   library into the spare end of its transmit queue region. */
#define SERIAL_NAME_OFFSET      0xfc0
#define SERIAL_NAME_LENGTH      32

/* Receive virtualiser: this byte followed by a digit N sends the input
   that follows to client N (Ctrl-T). */
#define SERIAL_SWITCH_CHAR      0x14

/* Channel ids of the driver and virtualiser PDs (fixed: the system
   description must use these; docs/drivers.md). */
#define SERIAL_DRIVER_CH_IRQ    0   /* driver: the UART's interrupt */
#define SERIAL_DRIVER_CH_TX     1   /* driver: transmit virtualiser */
#define SERIAL_DRIVER_CH_RX     2   /* driver: receive virtualiser */

_Static_assert(2 * (QUEUE_HEADER_SIZE + SERIAL_QUEUE_CAPACITY * sizeof(struct buf_desc)) <=
               SERIAL_NAME_OFFSET, "queues and name fit in the queue region");
_Static_assert(SERIAL_QUEUE_CAPACITY * SERIAL_BUF_SIZE == SERIAL_DATA_REGION,
               "one buffer per descriptor");

/* ---- client library (drivers/serial/client.c) ----
 * The client's system description maps its regions with these setvars:
 * serial_tx_queue, serial_tx_data (transmit, both read-write) and
 * serial_rx_queue, serial_rx_data (receive, both read-write). A client may
 * have either direction or both. */

/* Attach; a channel of SERIAL_NO_CHANNEL means no such direction. */
#define SERIAL_NO_CHANNEL       (~0u)
void serial_init(microkit_channel tx_channel, microkit_channel rx_channel);
/* Queue a character; a line is sent at '\n', when its buffer is full, or on
   serial_flush(). Output that finds every buffer in flight is dropped (and
   counted by serial_dropped()): a PD cannot block. */
void serial_putchar(int c);
void serial_puts(const char *s);
void serial_put_dec(uint64_t n);
void serial_flush(void);
unsigned long serial_dropped(void);
/* Can `buffers` more buffers go out now (a line takes one buffer of
   SERIAL_BUF_SIZE bytes, a longer one more)? If not, the client is
   notified on its transmit channel when buffers come back: a client with
   much to say sends while this holds and goes on when notified. */
bool serial_tx_ready(unsigned buffers);
/* The next received character, or -1 if none is waiting. Returning -1 also
   asks for a notification on the receive channel when input arrives. */
int serial_getchar(void);

/* ---- driver library (drivers/serial/uart.c), shared by the UART drivers ----
 * The driver's description maps the registers (setvar uart_regs) and the
 * driver ends of both connections: tx_queue, tx_data (read-only), rx_queue,
 * rx_data. */
extern uintptr_t uart_regs;

struct uart_hw {
    bool (*tx_ready)(void);             /* room in the transmit FIFO */
    void (*tx_byte)(uint8_t c);
    bool (*rx_ready)(void);             /* a received byte is waiting */
    uint8_t (*rx_byte)(void);
    void (*tx_interrupt)(bool on);      /* interrupt when the FIFO has room */
    void (*irq_clear)(void);            /* before the FIFOs are served */
};

void uart_driver_init(const struct uart_hw *hw);
void uart_driver_notified(microkit_channel ch);

#endif
