/*
 * lwIP glue (net_lwip.h): frames between lwIP and the network client
 * library, lwIP's clock and timers. Received frames are copied into pbufs
 * and their buffers given back at once; frames to send are copied out of
 * their pbufs into transmit buffers. lwIP's clock is the Arm generic
 * counter (readable at EL0 on every board); its timers are one timeout of
 * the timer driver, set to lwIP's next deadline.
 */
#include <network/network.h>
#include <timer/generic_counter.h>
#include <timer/timer.h>
#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/pbuf.h"
#include "lwip/sys.h"
#include "lwip/timeouts.h"
#include "net_lwip.h"
#include "netif/ethernet.h"

static struct net_lwip_config cfg;
static struct netif netif;
static bool up;
static uint64_t armed_until_ms = UINT64_MAX;
static uint64_t rand_state;

u32_t sys_now(void)
{
    return (u32_t)generic_counter_convert(generic_counter(), generic_counter_freq(), 1000);
}

uint32_t net_lwip_rand(void)
{
    if (!rand_state)
        rand_state = generic_counter() | 1;
    rand_state ^= rand_state << 13;
    rand_state ^= rand_state >> 7;
    rand_state ^= rand_state << 17;
    return (uint32_t)(rand_state >> 16);
}

void net_lwip_diag(const char *message)
{
    microkit_dbg_puts(message);
}

void net_lwip_assert(const char *message, const char *file, int line)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": lwIP assertion failed: ");
    microkit_dbg_puts(message);
    microkit_dbg_puts(" at ");
    microkit_dbg_puts(file);
    microkit_dbg_puts(":");
    microkit_dbg_put32((uint32_t)line);
    microkit_dbg_puts("\n");
    microkit_internal_crash(seL4_IllegalOperation);
}

static err_t link_output(struct netif *n, struct pbuf *p)
{
    (void)n;
    struct buf_desc d;
    uint8_t *buf = net_tx_buffer(&d);
    if (!buf || p->tot_len > NET_BUF_SIZE)
        return ERR_MEM;
    uint16_t len = pbuf_copy_partial(p, buf, p->tot_len, 0);
    net_send(&d, len);
    return ERR_OK;
}

static err_t interface_init(struct netif *n)
{
    n->name[0] = 'e';
    n->name[1] = '0';
    n->hwaddr_len = ETH_HWADDR_LEN;
    n->mtu = 1500;
    n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    n->output = etharp_output;
    n->linkoutput = link_output;
    return ERR_OK;
}

/* The interface goes up once the receive virtualiser gave us our MAC. */
static void try_up(void)
{
    uint8_t mac[6];
    if (up || !net_mac(mac))
        return;
    if (!netif_add(&netif, &cfg.address, &cfg.netmask, &cfg.gateway, NULL, interface_init,
                   ethernet_input))
        return;
    for (unsigned i = 0; i < 6; i++)
        netif.hwaddr[i] = mac[i];
    netif_set_default(&netif);
    netif_set_up(&netif);
    netif_set_link_up(&netif);
    up = true;
    if (cfg.up)
        cfg.up(&netif);
}

static void receive_all(void)
{
    const uint8_t *frame;
    uint32_t len;
    struct buf_desc d;
    while (net_receive(&frame, &len, &d)) {
        struct pbuf *p = up ? pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL) : NULL;
        if (p && pbuf_take(p, frame, (u16_t)len) == ERR_OK) {
            net_rx_release(&d);
            if (netif.input(p, &netif) != ERR_OK)
                pbuf_free(p);
        } else {
            if (p)
                pbuf_free(p);
            net_rx_release(&d);
        }
    }
}

/* Wake up for lwIP's next timer, if it is earlier than the one set. */
static void arm_timer(bool fired)
{
    u32_t sleep = sys_timeouts_sleeptime();
    if (fired)
        armed_until_ms = UINT64_MAX;
    if (sleep == SYS_TIMEOUTS_SLEEPTIME_INFINITE)
        return;
    uint64_t until = (uint64_t)sys_now() + sleep;
    if (until < armed_until_ms) {
        armed_until_ms = until;
        timer_set_timeout(cfg.timer, (uint64_t)sleep * NS_PER_MS);
    }
}

void net_lwip_init(const struct net_lwip_config *config)
{
    cfg = *config;
    lwip_init();
    net_init(cfg.rx, cfg.tx);
    try_up();
    arm_timer(false);
    net_flush();
}

bool net_lwip_notified(microkit_channel ch)
{
    bool fired = ch == cfg.timer;
    if (ch != cfg.rx && ch != cfg.tx && !fired)
        return false;
    try_up();
    receive_all();
    if (fired)
        sys_check_timeouts();
    arm_timer(fired);
    net_flush();
    return true;
}
