/* badcap: invokes channels it does not have. libmicrokit refuses the first
 * (it knows the PD's channels); an empty slot of its CSpace answers the
 * second with an error; a capability address outside its CSpace faults. */
#include "faulty.h"

void init(void)
{
    say("notifying channel 7, which it does not have");
    microkit_notify(7);

    say("calling through the empty slot of channel 7");
    seL4_MessageInfo_t reply = seL4_Call(BASE_ENDPOINT_CAP + 7, seL4_MessageInfo_new(0, 0, 0, 0));
    microkit_dbg_puts("badcap: the kernel answered error ");
    microkit_dbg_put32((seL4_Uint32)seL4_MessageInfo_get_label(reply));
    microkit_dbg_puts(seL4_MessageInfo_get_label(reply) == seL4_InvalidCapability
                          ? " (seL4_InvalidCapability)\n" : "\n");

    say("calling capability 0x10000, outside its CSpace");
    seL4_Call(opaque(0x10000), seL4_MessageInfo_new(0, 0, 0, 0));
    say("survived?");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
