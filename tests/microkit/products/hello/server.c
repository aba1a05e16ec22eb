#include <stdint.h>
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts("server: ready\n");
}

void notified(microkit_channel ch)
{
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    uint64_t sum = microkit_mr_get(0) + microkit_mr_get(1);
    microkit_mr_set(0, sum);
    return microkit_msginfo_new(0, 1);
}
