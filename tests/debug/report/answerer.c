/* answerer: a passive server: answers PPCs with the word doubled and
 * notifications with a notification (tests/debug/report/report.system). */
#include <microkit.h>

#define ASKER 3

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    microkit_mr_set(0, microkit_mr_get(0) * 2);
    return microkit_msginfo_new(microkit_msginfo_get_label(msginfo), 1);
}

void init(void)
{
}

void notified(microkit_channel ch)
{
    if (ch == ASKER)
        microkit_notify(ASKER);
}
