/*
 * Timers as PDs (docs/drivers.md, "Timer"): one driver PD per board
 * (timer_arm: the EL1 physical timer of QEMU virt; timer_meson: the Odroid-C4's
 * Amlogic timer block) serves several clients through protected procedure
 * calls: the time in nanoseconds since the driver started counting, and one
 * timeout per client, which the driver signals on the client's channel.
 *
 * Channels of the driver: 0 its interrupt, 1 + N client N (client channels
 * are PPC channels: the driver has a higher priority than its clients).
 */
#ifndef DRIVERS_TIMER_PD_H
#define DRIVERS_TIMER_PD_H

#include <microkit.h>

#define TIMER_CH_IRQ        0
#define TIMER_CH_CLIENT0    1
#define TIMER_MAX_CLIENTS   (MICROKIT_MAX_CHANNELS - 1)

/* Message labels of the PPC protocol. */
enum timer_label {
    TIMER_TIME_NOW = 1,         /* reply: MR0 = nanoseconds */
    TIMER_SET_TIMEOUT = 2,      /* MR0 = nanoseconds from now; replaces the client's timeout */
    TIMER_CANCEL = 3,           /* the client's timeout, if any, never fires */
};
#define TIMER_OK            0   /* reply labels */
#define TIMER_BAD_REQUEST   1

#define NS_PER_US           1000ull
#define NS_PER_MS           1000000ull
#define NS_PER_S            1000000000ull

/* ---- client library (drivers/timer/client.c); `ch` is the client's
   channel to the driver. */
uint64_t timer_now_ns(microkit_channel ch);
void timer_set_timeout(microkit_channel ch, uint64_t ns_from_now);
void timer_cancel(microkit_channel ch);

/* ---- driver library (drivers/timer/server.c): clients, deadlines and the
   PPC protocol, over a device with one alarm. */
struct timer_hw {
    uint64_t (*now_ns)(void);
    void (*set_alarm)(uint64_t deadline_ns);   /* interrupt at or after it */
    void (*stop_alarm)(void);
    void (*irq_clear)(void);
};

void timer_driver_init(const struct timer_hw *hw);
void timer_driver_notified(microkit_channel ch);
microkit_msginfo timer_driver_protected(microkit_channel ch, microkit_msginfo msg);

#endif
