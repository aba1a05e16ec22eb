/* consumer: takes every item out of the shared ring when the producer
 * notifies, and tells the producer it made room. */
#include <microkit.h>
#include "ring.h"

#define PRODUCER 0

uintptr_t ring_vaddr;   /* patched by the monitor (setvar_vaddr) */

static uint32_t received;
static uint64_t sum;

void init(void)
{
    microkit_dbg_puts("consumer: ready\n");
}

void notified(microkit_channel ch)
{
    if (ch != PRODUCER)
        return;
    struct ring *r = (struct ring *)ring_vaddr;
    uint32_t tail = r->tail, head = ring_load(&r->head), first = received + 1;
    while (tail != head) {
        sum += r->slot[tail % RING_SLOTS];
        ring_store(&r->tail, ++tail);
        received++;
    }
    microkit_dbg_puts("consumer: read items ");
    microkit_dbg_put32(first);
    microkit_dbg_puts("..");
    microkit_dbg_put32(received);
    microkit_dbg_puts("\n");
    if (received == RING_ITEMS) {
        microkit_dbg_puts("consumer: all ");
        microkit_dbg_put32(received);
        microkit_dbg_puts(" items received, sum ");
        microkit_dbg_put32((seL4_Uint32)sum);
        microkit_dbg_puts("\n");
    }
    microkit_deferred_notify(PRODUCER);
}
