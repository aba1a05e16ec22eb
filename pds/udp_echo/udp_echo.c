/* udp_echo (sdf/network.system): lwIP on the network virtualisers; every
   UDP datagram to port 1235 goes back to its sender. Address 10.0.2.15/24
   (QEMU's user network; the host reaches it through a forwarded port). */
#include <microkit.h>
#include <net_lwip.h>
#include "lwip/udp.h"

#define CH_NET_RX 1
#define CH_NET_TX 2
#define CH_TIMER 3
#define PORT 1235

static struct udp_pcb *pcb;
static unsigned long echoed;

static void received(void *arg, struct udp_pcb *p, struct pbuf *b, const ip_addr_t *from, u16_t port)
{
    (void)arg;
    udp_sendto(p, b, from, port);
    pbuf_free(b);
    if (++echoed == 1)
        microkit_dbg_puts("udp_echo: echoed the first datagram\n");
}

static void up(struct netif *n)
{
    (void)n;
    pcb = udp_new();
    if (!pcb || udp_bind(pcb, IP_ANY_TYPE, PORT) != ERR_OK) {
        microkit_dbg_puts("udp_echo: cannot bind the UDP port\n");
        return;
    }
    udp_recv(pcb, received, NULL);
    microkit_dbg_puts("udp_echo: 10.0.2.15 echoing UDP port 1235\n");
}

void init(void)
{
    static const struct net_lwip_config config = {
        .rx = CH_NET_RX, .tx = CH_NET_TX, .timer = CH_TIMER, .up = up,
        .address = NET_LWIP_IPV4(10, 0, 2, 15), .netmask = NET_LWIP_IPV4(255, 255, 255, 0),
        .gateway = NET_LWIP_IPV4(10, 0, 2, 2),
    };
    net_lwip_init(&config);
}

void notified(microkit_channel ch)
{
    net_lwip_notified(ch);
}
