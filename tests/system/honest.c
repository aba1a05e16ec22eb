/* honest (tests/system/drivers_rogue.system): prints through the serial
   virtualiser before and after its rogue neighbour misbehaves. */
#include <microkit.h>
#include <serial/serial.h>

#define CH_SERIAL_TX 1
#define CH_ROGUE 2

void init(void)
{
    serial_init(CH_SERIAL_TX, SERIAL_NO_CHANNEL);
    serial_puts("before the rogue client\n");
    microkit_notify(CH_ROGUE);
}

void notified(microkit_channel ch)
{
    if (ch == CH_ROGUE)
        serial_puts("after the rogue client: still served\n");
}
