/* producer: writes RING_ITEMS items (the squares 1, 4, 9...) into the
 * shared ring, as many as fit, and notifies the consumer; the consumer's
 * notification says space was freed. */
#include <microkit.h>
#include "ring.h"

#define CONSUMER 0

/* Patched by the monitor with the ring's address and size (setvar). */
uintptr_t ring_vaddr;
uint64_t ring_size;

static uint32_t next = 1;

static void produce(void)
{
    struct ring *r = (struct ring *)ring_vaddr;
    uint32_t head = r->head, first = next;
    while (next <= RING_ITEMS && head - ring_load(&r->tail) < RING_SLOTS) {
        r->slot[head % RING_SLOTS] = (uint64_t)next * next;
        ring_store(&r->head, ++head);
        next++;
    }
    if (next == first)
        return;
    microkit_dbg_puts("producer: wrote items ");
    microkit_dbg_put32(first);
    microkit_dbg_puts("..");
    microkit_dbg_put32(next - 1);
    microkit_dbg_puts("\n");
    microkit_notify(CONSUMER);
}

void init(void)
{
    microkit_dbg_puts("producer: ring of ");
    microkit_dbg_put32((seL4_Uint32)ring_size);
    microkit_dbg_puts(" bytes mapped at 0x");
    for (int shift = 28; shift >= 0; shift -= 4)
        microkit_dbg_putc("0123456789abcdef"[(ring_vaddr >> shift) & 0xf]);
    microkit_dbg_puts("\n");
    produce();
}

void notified(microkit_channel ch)
{
    if (ch == CONSUMER)
        produce();
}
