/* The serial client library (serial.h): line-buffered output through the
   transmit virtualiser, input from the receive virtualiser. */
#include "serial.h"

uintptr_t serial_tx_queue, serial_tx_data, serial_rx_queue, serial_rx_data;

static struct connection tx, rx;
static microkit_channel tx_ch = SERIAL_NO_CHANNEL, rx_ch = SERIAL_NO_CHANNEL;
static struct buf_desc out, in;
static uint32_t out_len, in_pos;
static bool have_out, have_in;
static unsigned long dropped;

void serial_init(microkit_channel tx_channel, microkit_channel rx_channel)
{
    if (tx_channel != SERIAL_NO_CHANNEL &&
        connection_attach(&tx, serial_tx_queue, SERIAL_QUEUE_REGION, SERIAL_QUEUE_CAPACITY,
                          serial_tx_data, SERIAL_DATA_REGION, SERIAL_BUF_SIZE)) {
        tx_ch = tx_channel;
        /* Our name, for the virtualiser's line prefix. */
        char *name = (char *)(serial_tx_queue + SERIAL_NAME_OFFSET);
        for (unsigned i = 0; i < SERIAL_NAME_LENGTH - 1 && microkit_name[i]; i++)
            name[i] = microkit_name[i];
    }
    if (rx_channel != SERIAL_NO_CHANNEL &&
        connection_attach(&rx, serial_rx_queue, SERIAL_QUEUE_REGION, SERIAL_QUEUE_CAPACITY,
                          serial_rx_data, SERIAL_DATA_REGION, SERIAL_BUF_SIZE)) {
        rx_ch = rx_channel;
        connection_offer_all(&rx);
        queue_request_signal(&rx.active);
    }
}

void serial_flush(void)
{
    if (!have_out || out_len == 0)
        return;
    out.len = out_len;
    queue_enqueue(&tx.active, &out);
    have_out = false;
    if (queue_signal_needed(&tx.active))
        microkit_notify(tx_ch);
}

void serial_putchar(int c)
{
    if (tx_ch == SERIAL_NO_CHANNEL)
        return;
    if (!have_out) {
        if (!connection_get_buffer(&tx, &out)) {
            /* Every buffer is in flight: ask to hear when one comes back. */
            queue_request_signal(&tx.free);
            dropped++;
            return;
        }
        have_out = true;
        out_len = 0;
    }
    ((char *)connection_buffer(&tx, &out))[out_len++] = (char)c;
    if (c == '\n' || out_len == tx.buf_size)
        serial_flush();
}

void serial_puts(const char *s)
{
    while (*s)
        serial_putchar(*s++);
}

void serial_put_dec(uint64_t n)
{
    char digits[20];
    int i = 0;
    do {
        digits[i++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    while (i)
        serial_putchar(digits[--i]);
}

/* Buffers we may fill now: never handed out, or given back. */
static unsigned tx_buffers_free(void)
{
    return connection_buffers(&tx) - tx.fresh + queue_length(&tx.free);
}

bool serial_tx_ready(unsigned buffers)
{
    if (tx_ch == SERIAL_NO_CHANNEL)
        return false;
    if (tx_buffers_free() >= buffers)
        return true;
    /* Ask for a signal with the next buffer given back, even though some
       are back already (queue_request_signal asks only on an empty queue). */
    queue_store(&tx.free.shared->signal_wanted, 1);
    /* Some may have come back before the request was seen. */
    return tx_buffers_free() >= buffers;
}

unsigned long serial_dropped(void)
{
    return dropped;
}

int serial_getchar(void)
{
    if (rx_ch == SERIAL_NO_CHANNEL)
        return -1;
    for (;;) {
        if (!have_in) {
            if (!queue_next(&rx.active, &in))
                return -1;
            if (!connection_buffer(&rx, &in))
                in.len = 0;
            have_in = true;
            in_pos = 0;
        }
        if (in_pos < in.len)
            return ((const uint8_t *)connection_buffer(&rx, &in))[in_pos++];
        /* Buffer used up: offer it again. */
        in.len = rx.buf_size;
        queue_enqueue(&rx.free, &in);
        have_in = false;
        if (queue_signal_needed(&rx.free))
            microkit_notify(rx_ch);
    }
}
