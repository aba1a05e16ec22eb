/* MAC addresses: per client, and published in queue regions (network.h). */
#include "network.h"

void net_info_publish(uintptr_t queue_region, const uint8_t mac[6])
{
    volatile struct net_info *info = (volatile struct net_info *)(queue_region + NET_INFO_OFFSET);
    for (unsigned i = 0; i < 6; i++)
        info->mac[i] = mac[i];
    __atomic_store_n(&info->ready, 1, __ATOMIC_RELEASE);
}

bool net_info_read(uintptr_t queue_region, uint8_t mac[6])
{
    const volatile struct net_info *info =
        (const volatile struct net_info *)(queue_region + NET_INFO_OFFSET);
    if (!queue_region || !__atomic_load_n(&info->ready, __ATOMIC_ACQUIRE))
        return false;
    for (unsigned i = 0; i < 6; i++)
        mac[i] = info->mac[i];
    return true;
}

void net_client_mac(const uint8_t device[6], unsigned n, uint8_t mac[6])
{
    for (unsigned i = 0; i < 6; i++)
        mac[i] = device[i];
    mac[0] = (uint8_t)((mac[0] | 0x02) & ~0x01);    /* locally administered, unicast */
    mac[5] = (uint8_t)(mac[5] + n);
}
