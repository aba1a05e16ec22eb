/* idler: the lowest priority. Its init() can only run when the worker is
 * not runnable; it tells the controller so. */
#include <microkit.h>

#define CONTROLLER 0

void init(void)
{
    microkit_dbg_puts("idler: running, so the worker is not\n");
    microkit_notify(CONTROLLER);
}

void notified(microkit_channel ch)
{
    (void)ch;
}
