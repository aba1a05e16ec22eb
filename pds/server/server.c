/* server: a passive PD answering protected procedure calls. It has no time
 * of its own after init(): each call runs on the caller's scheduling
 * context. Operations (the message label):
 *   OP_SUM     words w0..wn-1 -> (sum, count, min, max)
 *   OP_REVERSE words w0..wn-1 -> wn-1..w0
 */
#include <microkit.h>

#define CLIENT 1
#define OP_SUM 1
#define OP_REVERSE 2
#define OP_ERROR 0xff

static unsigned calls;

void init(void)
{
    microkit_dbg_puts("server: init (on its own scheduling context, for the last time)\n");
    /* Sent as init() returns, before the server tells the monitor to make
       it passive. */
    microkit_deferred_notify(CLIENT);
}

/* A notification wakes a passive PD too: it then runs on the scheduling
   context the monitor bound to its notification. */
void notified(microkit_channel ch)
{
    microkit_dbg_puts("server: notified on channel ");
    microkit_dbg_put32(ch);
    microkit_dbg_puts("\n");
}

static microkit_msginfo sum(unsigned count)
{
    seL4_Word total = 0, min = ~0ul, max = 0;
    for (unsigned i = 0; i < count; i++) {
        seL4_Word w = microkit_mr_get(i);
        total += w;
        min = w < min ? w : min;
        max = w > max ? w : max;
    }
    microkit_mr_set(0, total);
    microkit_mr_set(1, count);
    microkit_mr_set(2, min);
    microkit_mr_set(3, max);
    return microkit_msginfo_new(OP_SUM, 4);
}

static microkit_msginfo reverse(unsigned count)
{
    for (unsigned i = 0; i < count / 2; i++) {
        seL4_Word a = microkit_mr_get(i), b = microkit_mr_get(count - 1 - i);
        microkit_mr_set(i, b);
        microkit_mr_set(count - 1 - i, a);
    }
    return microkit_msginfo_new(OP_REVERSE, count);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    unsigned count = (unsigned)microkit_msginfo_get_count(msginfo);
    calls++;
    microkit_dbg_puts("server: call ");
    microkit_dbg_put32(calls);
    microkit_dbg_puts(" on channel ");
    microkit_dbg_put32(ch);
    microkit_dbg_puts(" with ");
    microkit_dbg_put32(count);
    microkit_dbg_puts(" words\n");
    switch (microkit_msginfo_get_label(msginfo)) {
    case OP_SUM:
        return sum(count);
    case OP_REVERSE:
        return reverse(count);
    default:
        return microkit_msginfo_new(OP_ERROR, 0);
    }
}
