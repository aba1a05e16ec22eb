/* tcp_hello (sdf/network.system): a small TCP service on lwIP. On port
   1236 it greets each connection with its uptime, then answers every line
   with the line in capitals, until the client closes. Address
   10.0.2.16/24 (QEMU's user network). At start it also tries to send a
   frame with a neighbour's source address, which net_virt_tx refuses. */
#include <microkit.h>
#include <net_lwip.h>
#include "lwip/sys.h"
#include "lwip/tcp.h"
#include <network/network.h>

#define CH_NET_RX 1
#define CH_NET_TX 2
#define CH_TIMER 3
#define PORT 1236

static unsigned connections;

static void send_text(struct tcp_pcb *pcb, const char *s)
{
    u16_t n = 0;
    while (s[n])
        n++;
    tcp_write(pcb, s, n, TCP_WRITE_FLAG_COPY);
}

static void send_number(struct tcp_pcb *pcb, uint32_t v)
{
    char d[11], out[11];
    int i = 0, j = 0;
    do d[i++] = (char)('0' + v % 10); while (v /= 10);
    while (i)
        out[j++] = d[--i];
    out[j] = 0;
    send_text(pcb, out);
}

static err_t received(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    (void)arg;
    if (!p || err != ERR_OK) {      /* the client closed */
        if (p)
            pbuf_free(p);
        tcp_arg(pcb, NULL);
        tcp_recv(pcb, NULL);
        tcp_close(pcb);
        return ERR_OK;
    }
    for (struct pbuf *q = p; q; q = q->next) {
        char up[256];
        u16_t n = q->len < sizeof up ? q->len : sizeof up;
        const char *in = q->payload;
        for (u16_t i = 0; i < n; i++)
            up[i] = (in[i] >= 'a' && in[i] <= 'z') ? (char)(in[i] - 32) : in[i];
        tcp_write(pcb, up, n, TCP_WRITE_FLAG_COPY);
    }
    tcp_recved(pcb, p->tot_len);
    pbuf_free(p);
    tcp_output(pcb);
    return ERR_OK;
}

static err_t accepted(void *arg, struct tcp_pcb *pcb, err_t err)
{
    (void)arg;
    if (err != ERR_OK || !pcb)
        return ERR_VAL;
    connections++;
    tcp_recv(pcb, received);
    send_text(pcb, "hello from tcp_hello, up ");
    send_number(pcb, sys_now());
    send_text(pcb, " ms, connection ");
    send_number(pcb, connections);
    send_text(pcb, "\n");
    tcp_output(pcb);
    microkit_dbg_puts("tcp_hello: accepted a connection\n");
    return ERR_OK;
}

/* A frame with another client's source address: the transmit
   virtualiser must refuse it (sdf/network.system's test checks). */
static void try_spoofing(const struct netif *n)
{
    struct buf_desc d;
    uint8_t *frame = net_tx_buffer(&d);
    if (!frame)
        return;
    for (unsigned i = 0; i < 6; i++) {
        frame[i] = 0xff;
        frame[6 + i] = n->hwaddr[i];
    }
    frame[11] ^= 1;                     /* a neighbour's address */
    frame[12] = 0x08;
    frame[13] = 0x06;
    for (unsigned i = 14; i < 60; i++)
        frame[i] = 0;
    net_send(&d, 60);
    net_flush();
}

static void up(struct netif *n)
{
    try_spoofing(n);
    struct tcp_pcb *pcb = tcp_new();
    if (!pcb || tcp_bind(pcb, IP_ANY_TYPE, PORT) != ERR_OK || !(pcb = tcp_listen(pcb))) {
        microkit_dbg_puts("tcp_hello: cannot listen\n");
        return;
    }
    tcp_accept(pcb, accepted);
    microkit_dbg_puts("tcp_hello: 10.0.2.16 listening on TCP port 1236\n");
}

void init(void)
{
    static const struct net_lwip_config config = {
        .rx = CH_NET_RX, .tx = CH_NET_TX, .timer = CH_TIMER, .up = up,
        .address = NET_LWIP_IPV4(10, 0, 2, 16), .netmask = NET_LWIP_IPV4(255, 255, 255, 0),
        .gateway = NET_LWIP_IPV4(10, 0, 2, 2),
    };
    net_lwip_init(&config);
}

void notified(microkit_channel ch)
{
    net_lwip_notified(ch);
}
