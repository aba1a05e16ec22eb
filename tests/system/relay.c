/* relay: one program for the 63 PDs of many.system. Channel 0 comes from
 * the previous relay, channel 1 goes to the next; relay00 starts. */
#include <microkit.h>

#define FROM_PREVIOUS 0
#define TO_NEXT 1

static bool first(void)
{
    return microkit_name[5] == '0' && microkit_name[6] == '0' && microkit_name[7] == '\0';
}

void init(void)
{
    if (first()) {
        microkit_dbg_puts("relay00: sending the token round the ring\n");
        microkit_notify(TO_NEXT);
    }
}

void notified(microkit_channel ch)
{
    if (ch != FROM_PREVIOUS)
        return;
    if (first())
        microkit_dbg_puts("relay00: the token came back through all 63 PDs\n");
    else
        microkit_notify(TO_NEXT);
}
