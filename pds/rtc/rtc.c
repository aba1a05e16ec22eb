/* rtc: drives QEMU's PL031 real-time clock (sdf/rtc.system). It sets the
 * match register one second ahead and handles the interrupt, ALARMS times.
 * The registers are mapped uncached at rtc_base (setvar_vaddr). */
#include <microkit.h>

#define RTC_IRQ 5       /* channel of <irq irq="34" id="5"> */
#define ALARMS 3

#define RTCDR 0x00      /* current time, seconds */
#define RTCMR 0x04      /* match: interrupt when RTCDR reaches it */
#define RTCIMSC 0x10    /* interrupt mask: 1 = enabled */
#define RTCMIS 0x18     /* masked interrupt status */
#define RTCICR 0x1c     /* interrupt clear */

uintptr_t rtc_base;

static unsigned alarms;

static volatile uint32_t *reg(unsigned offset)
{
    return (volatile uint32_t *)(rtc_base + offset);
}

static void set_alarm(void)
{
    *reg(RTCMR) = *reg(RTCDR) + 1;
}

void init(void)
{
    microkit_dbg_puts("rtc: PL031 says ");
    microkit_dbg_put32(*reg(RTCDR));
    microkit_dbg_puts(" s since the epoch; alarm in one second\n");
    *reg(RTCIMSC) = 1;
    set_alarm();
}

void notified(microkit_channel ch)
{
    if (ch != RTC_IRQ) {
        microkit_dbg_puts("rtc: unexpected notification\n");
        return;
    }
    uint32_t status = *reg(RTCMIS);
    *reg(RTCICR) = 1;
    alarms++;
    microkit_dbg_puts("rtc: alarm interrupt ");
    microkit_dbg_put32(alarms);
    microkit_dbg_puts(status & 1 ? " (match)\n" : " (no status?)\n");
    if (alarms < ALARMS) {
        set_alarm();
    } else {
        *reg(RTCIMSC) = 0;
        microkit_dbg_puts("rtc: done\n");
    }
    /* Acknowledged when notified() returns, in the same system call as
       the next receive. */
    microkit_deferred_irq_ack(ch);
}
