/*
 * The serial driver's device-independent part (serial.h): bytes of the
 * transmit virtualiser's buffers go into the UART's FIFO as it has room,
 * received bytes into the receive virtualiser's buffers. Interrupt driven:
 * the transmit interrupt is on only while a buffer waits for FIFO room.
 */
#include "serial.h"

uintptr_t uart_regs;
uintptr_t tx_queue, tx_data, rx_queue, rx_data;

static const struct uart_hw *hw;
static struct connection tx, rx;
static struct buf_desc tx_cur;          /* buffer being sent */
static uint32_t tx_pos;
static bool tx_busy;
static unsigned long rx_dropped;

void uart_driver_init(const struct uart_hw *h)
{
    hw = h;
    if (!connection_attach(&tx, tx_queue, SERIAL_QUEUE_REGION, SERIAL_QUEUE_CAPACITY, tx_data,
                           SERIAL_DATA_REGION, SERIAL_BUF_SIZE) ||
        !connection_attach(&rx, rx_queue, SERIAL_QUEUE_REGION, SERIAL_QUEUE_CAPACITY, rx_data,
                           SERIAL_DATA_REGION, SERIAL_BUF_SIZE)) {
        microkit_dbg_puts("serial driver: connection regions missing or too small\n");
        return;
    }
    queue_request_signal(&tx.active);
}

static void transmit(void)
{
    for (;;) {
        if (!tx_busy) {
            if (!queue_next(&tx.active, &tx_cur))
                break;
            tx_busy = true;
            tx_pos = 0;
            if (!connection_buffer(&tx, &tx_cur))
                tx_cur.len = 0;     /* out of bounds: give it back unsent */
        }
        const uint8_t *bytes = connection_buffer(&tx, &tx_cur);
        while (tx_pos < tx_cur.len && hw->tx_ready())
            hw->tx_byte(bytes[tx_pos++]);
        if (tx_pos < tx_cur.len) {
            hw->tx_interrupt(true);         /* FIFO full: continue on its interrupt */
            goto done;
        }
        queue_enqueue(&tx.free, &tx_cur);
        tx_busy = false;
    }
    hw->tx_interrupt(false);
done:
    if (queue_signal_needed(&tx.free))
        microkit_notify(SERIAL_DRIVER_CH_TX);
}

static void receive(void)
{
    struct buf_desc d;
    bool have = false;
    uint32_t n = 0;
    uint8_t *bytes = 0;
    while (hw->rx_ready()) {
        uint8_t c = hw->rx_byte();
        if (!have) {
            have = queue_dequeue(&rx.free, &d) && (bytes = connection_buffer(&rx, &d)) != 0;
            n = 0;
            if (!have) {
                rx_dropped++;
                continue;
            }
        }
        bytes[n++] = c;
        if (n == d.len) {
            queue_enqueue(&rx.active, &d);
            have = false;
        }
    }
    if (have) {
        d.len = n;
        queue_enqueue(&rx.active, &d);
    }
    if (queue_signal_needed(&rx.active))
        microkit_notify(SERIAL_DRIVER_CH_RX);
}

void uart_driver_notified(microkit_channel ch)
{
    switch (ch) {
    case SERIAL_DRIVER_CH_IRQ:
        hw->irq_clear();
        receive();
        transmit();
        microkit_deferred_irq_ack(ch);
        break;
    case SERIAL_DRIVER_CH_TX:
        transmit();
        break;
    case SERIAL_DRIVER_CH_RX:
        break;      /* buffers came back: the next interrupt uses them */
    default:
        microkit_dbg_puts("serial driver: unexpected notification\n");
    }
}
