/*
 * rogue (tests/system/drivers_rogue.system): a serial client that breaks
 * the transport's rules, to show the virtualiser survives it: descriptors
 * outside its data region, an impossible length, and finally a queue index
 * that claims a thousand entries. Its well-behaved neighbour keeps printing.
 */
#include <microkit.h>
#include <serial/serial.h>

#define CH_SERIAL_TX 1
#define CH_HONEST 2

uintptr_t rogue_tx_queue, rogue_tx_data;

void init(void)
{
    struct connection tx;
    if (!connection_attach(&tx, rogue_tx_queue, SERIAL_QUEUE_REGION, SERIAL_QUEUE_CAPACITY,
                           rogue_tx_data, SERIAL_DATA_REGION, SERIAL_BUF_SIZE))
        return;
    struct buf_desc bad[] = {
        { .addr = SERIAL_DATA_REGION + 0x1000, .len = 16 },     /* outside the region */
        { .addr = 0, .len = SERIAL_DATA_REGION + 1 },           /* longer than the region */
        { .addr = UINT64_MAX - 4, .len = 16 },                  /* wraps around */
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        queue_enqueue(&tx.active, &bad[i]);
    microkit_notify(CH_SERIAL_TX);
    /* A tail a thousand entries ahead: the virtualiser must stop reading. */
    tx.active.shared->tail += 1000;
    microkit_notify(CH_SERIAL_TX);
    microkit_dbg_puts("rogue: sent bad descriptors and a broken queue index\n");
}

/* The neighbour asks whether we are done: we are (init() did it all). */
void notified(microkit_channel ch)
{
    if (ch == CH_HONEST)
        microkit_notify(CH_HONEST);
}
