/*
 * lwIP on the network client library (drivers/network/lwip/): one network
 * interface over the PD's connections to the network virtualisers, lwIP's
 * timers on the timer driver. A PD using it lists `lwip` in its program
 * directory's `libraries` file (docs/drivers.md) and calls
 * net_lwip_notified() for its channels; everything else is lwIP's raw API
 * (lwip/udp.h, lwip/tcp.h).
 */
#ifndef NET_LWIP_H
#define NET_LWIP_H

#include <microkit.h>
#include "lwip/def.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"

struct net_lwip_config {
    microkit_channel rx, tx, timer;     /* the PD's channels */
    ip4_addr_t address, netmask, gateway;
    void (*up)(struct netif *netif);    /* called once the interface is up */
};

/* An IPv4 address in a configuration: .address = NET_LWIP_IPV4(10, 0, 2, 15) */
#define NET_LWIP_IPV4(a, b, c, d) { PP_HTONL(LWIP_MAKEU32(a, b, c, d)) }

void net_lwip_init(const struct net_lwip_config *config);
/* Handle a notification; false if `ch` is not one of the configured ones. */
bool net_lwip_notified(microkit_channel ch);

#endif
