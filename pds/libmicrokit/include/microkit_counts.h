/*
 * Event counts per channel, kept by libmicrokit in builds with
 * CONFIG_PD_EVENT_COUNTS (debug builds by default) for `make report`
 * (docs/debugging.md): the gdb extension reads them from every PD through
 * this structure's debug info, so this is their one definition. One
 * increment per event, in the PD's own memory; nothing is sent anywhere.
 * Not part of Microkit's API.
 */
#ifndef MICROKIT_COUNTS_H
#define MICROKIT_COUNTS_H

#include <stdint.h>
#include <pd_layout.h>

#define MICROKIT_COUNTED_CHANNELS PD_MAX_CHANNELS

struct microkit_event_counts {
    uint64_t notifications_sent[MICROKIT_COUNTED_CHANNELS];     /* microkit_notify (deferred too) */
    uint64_t notifications_received[MICROKIT_COUNTED_CHANNELS]; /* notified(ch), IRQs included */
    uint64_t ppcs_sent[MICROKIT_COUNTED_CHANNELS];              /* microkit_ppcall */
    uint64_t ppcs_received[MICROKIT_COUNTED_CHANNELS];          /* protected(ch) */
    uint64_t irq_acks[MICROKIT_COUNTED_CHANNELS];               /* microkit_irq_ack (deferred too) */
    uint64_t faults_received;                                   /* fault() for a child */
    uint64_t wakeups;                                           /* events the loop received */
};

extern struct microkit_event_counts microkit_event_counts;

#ifdef CONFIG_PD_EVENT_COUNTS
#define MICROKIT_COUNT(field) ((void)(microkit_event_counts.field++))
#define MICROKIT_COUNT_CHANNEL(field, ch) \
    ((void)((ch) < MICROKIT_COUNTED_CHANNELS && microkit_event_counts.field[(ch)]++))
#else
#define MICROKIT_COUNT(field) ((void)0)
#define MICROKIT_COUNT_CHANNEL(field, ch) ((void)(ch))
#endif

#endif
