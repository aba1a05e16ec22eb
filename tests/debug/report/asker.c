/* asker: 10 PPCs and 5 notifications to the answerer, which notifies back
 * (tests/debug/report/report.system). */
#include <microkit.h>

#define ANSWERER 0

static unsigned answers;

void init(void)
{
    for (seL4_Word i = 0; i < 10; i++) {
        microkit_mr_set(0, i);
        microkit_ppcall(ANSWERER, microkit_msginfo_new(1, 1));
    }
    microkit_notify(ANSWERER);
}

void notified(microkit_channel ch)
{
    if (ch != ANSWERER)
        return;
    if (++answers < 5)
        microkit_notify(ANSWERER);
    else
        microkit_dbg_puts("asker: 10 calls and 5 notifications answered\n");
}
