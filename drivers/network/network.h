/*
 * Network devices as PDs (docs/drivers.md, "Network"): a driver PD per
 * device (net_virtio on QEMU; net_dwmac, the Odroid-C4's DesignWare MAC,
 * experimental), a receive virtualiser (net_virt_rx) that hands each frame
 * to the client whose MAC address it is for (broadcasts and multicasts to
 * every client), and a transmit virtualiser (net_virt_tx) that merges the
 * clients' frames. Clients get a MAC address each and run their own
 * TCP/IP stack (lwIP: drivers/network/lwip/).
 *
 * Every connection is a queue region (NET_QUEUE_REGION) with a free and an
 * active queue of struct buf_desc, and a data region (NET_DATA_REGION) of
 * NET_BUF_SIZE-byte buffers, one frame each. Receive: the virtualiser owns
 * the driver's buffers (the device writes them) and copies each frame into
 * a buffer its client offered. Transmit: zero copy; the transmit
 * virtualiser passes the client's buffer to the driver by physical address
 * and gives it back when the device has sent it. Towards a driver,
 * descriptors carry physical addresses (the cookie is the virtualiser's).
 */
#ifndef DRIVERS_NETWORK_H
#define DRIVERS_NETWORK_H

#include <microkit.h>
#include <transport/connection.h>

#define NET_QUEUE_CAPACITY      64
#define NET_BUF_SIZE            2048
#define NET_QUEUE_REGION        0x1000
#define NET_DATA_REGION         (NET_QUEUE_CAPACITY * NET_BUF_SIZE)
#define NET_MAX_CLIENTS         8
#define NET_MIN_FRAME           14      /* an Ethernet header */
#define NET_MAX_FRAME           1514

/* A MAC address, written at the end of a receive queue region: by the
   driver for the virtualiser (the device's), by the receive virtualiser for
   each client (the client's). */
struct net_info {
    uint8_t mac[6];
    uint8_t ready;
    uint8_t reserved;
};
#define NET_INFO_OFFSET         0xfc0

_Static_assert(2 * (QUEUE_HEADER_SIZE + NET_QUEUE_CAPACITY * sizeof(struct buf_desc)) <=
               NET_INFO_OFFSET, "queues and info fit");

/* Channels of the driver: 0 its interrupt, 1 receive virtualiser, 2
   transmit virtualiser. */
#define NET_DRIVER_CH_IRQ       0
#define NET_DRIVER_CH_RX        1
#define NET_DRIVER_CH_TX        2

/* Client n's MAC: the device's, made locally administered, plus n. */
void net_client_mac(const uint8_t device[6], unsigned n, uint8_t mac[6]);
/* A MAC address into the info of a queue region, then marked ready. */
void net_info_publish(uintptr_t queue_region, const uint8_t mac[6]);
/* The MAC address in a queue region's info, if it is ready. */
bool net_info_read(uintptr_t queue_region, uint8_t mac[6]);

/* ---- driver library (drivers/network/driver.c), shared by the network
   drivers: the queues of both connections (the driver sees descriptors
   only, by physical address) and the dispatch of notifications. */
struct net_driver_queues {
    struct queue rx_free, rx_active, tx_free, tx_active;
};
bool net_driver_attach(struct net_driver_queues *q, uintptr_t rx_queue, uintptr_t tx_queue);

struct net_hw {
    void (*interrupt)(void);    /* acknowledge the device, hand finished frames back */
    void (*refill_rx)(void);    /* give the device the receive buffers offered */
    void (*start_tx)(void);     /* give the device the frames to send */
};
void net_driver_notified(microkit_channel ch, const struct net_hw *hw);

/* ---- client library (drivers/network/client.c). Setvars: net_rx_queue,
   net_rx_data, net_tx_queue, net_tx_data. */
void net_init(microkit_channel rx_ch, microkit_channel tx_ch);
/* Our MAC address, once the receive virtualiser has written it. */
bool net_mac(uint8_t mac[6]);
/* The next received frame (pointer and length), or false (then a
   notification on the receive channel tells when frames come). Give it
   back with net_rx_release() when done. */
bool net_receive(const uint8_t **frame, uint32_t *len, struct buf_desc *d);
void net_rx_release(struct buf_desc *d);
/* A transmit buffer of NET_BUF_SIZE bytes, or 0 if all are in flight. */
uint8_t *net_tx_buffer(struct buf_desc *d);
void net_send(struct buf_desc *d, uint32_t len);
/* Notify the virtualisers of what was queued (once per batch). */
void net_flush(void);

#endif
