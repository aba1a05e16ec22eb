/* Per-client MAC addresses (network.h). */
#include "network.h"

void net_client_mac(const uint8_t device[6], unsigned n, uint8_t mac[6])
{
    for (unsigned i = 0; i < 6; i++)
        mac[i] = device[i];
    mac[0] = (uint8_t)((mac[0] | 0x02) & ~0x01);    /* locally administered, unicast */
    mac[5] = (uint8_t)(mac[5] + n);
}
