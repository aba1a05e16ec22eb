#include <stdint.h>
#include <microkit.h>

void init(void)
{
}

void notified(microkit_channel ch)
{
    (void)ch;
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    if (microkit_msginfo_get_count(msginfo) != 2)
        return microkit_msginfo_new(1, 0);
    microkit_mr_set(0, microkit_mr_get(0) + microkit_mr_get(1));
    return microkit_msginfo_new(0, 1);
}
