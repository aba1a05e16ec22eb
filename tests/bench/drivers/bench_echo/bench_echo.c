/*
 * bench_echo (network.system): the UDP echo of sdf/network.system, counted.
 * A datagram "MARK <name>" is echoed too, and reports the datagrams echoed
 * and the instructions executed (all PDs and the kernel) since the previous
 * mark: "BENCH|DRV net_<name> n=... insns=... ns=...". The host side is
 * scripts/bench_drivers.py.
 */
#include <microkit.h>
#include <net_lwip.h>
#include "lwip/udp.h"
#include "../drvbench.h"

#define CH_NET_RX 1
#define CH_NET_TX 2
#define CH_TIMER 3
#define PORT 1235

static uint64_t echoed, i0, t0;

static void received(void *arg, struct udp_pcb *p, struct pbuf *b, const ip_addr_t *from, u16_t port)
{
    (void)arg;
    char head[64];
    u16_t n = pbuf_copy_partial(b, head, sizeof head - 1, 0);
    head[n] = 0;
    if (n > 5 && head[0] == 'M' && head[1] == 'A' && head[2] == 'R' && head[3] == 'K' &&
        head[4] == ' ') {
        char key[64] = "net_";
        for (unsigned i = 5, j = 4; i < n && j < sizeof key - 1; i++, j++)
            key[j] = head[i], key[j + 1] = 0;
        if (echoed)
            report(key, echoed, insns() - i0, ticks() - t0);
        echoed = 0;
        udp_sendto(p, b, from, port);
        pbuf_free(b);
        i0 = insns();
        t0 = ticks();
        return;
    }
    udp_sendto(p, b, from, port);
    pbuf_free(b);
    echoed++;
}

static void up(struct netif *n)
{
    (void)n;
    struct udp_pcb *pcb = udp_new();
    if (!pcb || udp_bind(pcb, IP_ANY_TYPE, PORT) != ERR_OK)
        return;
    udp_recv(pcb, received, NULL);
    microkit_dbg_puts("bench_echo: ready\n");
}

void init(void)
{
    insns_start();
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
