/*
 * The monitor's domain-schedule arithmetic (pds/monitor/domain_plan.c):
 * microseconds to timer ticks, slot numbers, which slots are written.
 */
#include <inttypes.h>
#include <stdio.h>

#include "domain_plan.h"

static unsigned passed, failed;
static int test_ok;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            printf("    %s:%d: %s\n", __FILE__, __LINE__, #cond);                    \
            test_ok = 0;                                                             \
        }                                                                            \
    } while (0)

static void run(const char *name, void (*fn)(void))
{
    test_ok = 1;
    fn();
    printf("%s monitor/%s\n", test_ok ? "PASS" : "FAIL", name);
    if (test_ok)
        passed++;
    else
        failed++;
}

static uint64_t ticks_of(uint64_t duration, bool ticks, uint64_t hz, bool *ok)
{
    struct sys_schedule_entry e = { .domain = 1, .ticks = ticks, .duration = duration };
    uint64_t t = 0xdead;
    *ok = domain_entry_ticks(&e, hz, &t);
    return t;
}

static void microseconds_to_ticks(void)
{
    bool ok;
    /* QEMU's 62.5 MHz and the Odroid-C4's 24 MHz generic timer */
    CHECK(ticks_of(6000, false, 62500000, &ok) == 375000 && ok);
    CHECK(ticks_of(2000, false, 24000000, &ok) == 48000 && ok);
    CHECK(ticks_of(1, false, 24000000, &ok) == 24 && ok);
    /* rounded up: never zero, never short */
    CHECK(ticks_of(1, false, 1000, &ok) == 1 && ok);
    CHECK(ticks_of(1500001, false, 1000000, &ok) == 1500001 && ok);
    CHECK(ticks_of(3, false, 333333, &ok) == 1 && ok);
    /* seconds and the rest add up */
    CHECK(ticks_of(2500000, false, 62500000, &ok) == 156250000 && ok);
}

static void ticks_pass_through(void)
{
    bool ok;
    CHECK(ticks_of(12345, true, 62500000, &ok) == 12345 && ok);
    CHECK(ticks_of(DOMAIN_MAX_TICKS, true, 62500000, &ok) == DOMAIN_MAX_TICKS && ok);
    ticks_of(DOMAIN_MAX_TICKS + 1, true, 62500000, &ok);
    CHECK(!ok);
}

static void too_long(void)
{
    bool ok;
    ticks_of(UINT64_MAX, false, 62500000, &ok);
    CHECK(!ok);
    /* just over 2^56 ticks at 62.5 MHz */
    ticks_of((DOMAIN_MAX_TICKS / 62500000 + 1) * 1000000, false, 62500000, &ok);
    CHECK(!ok);
    ticks_of(1000, false, 0, &ok);          /* no timer frequency */
    CHECK(!ok);
}

static void end_markers(void)
{
    bool ok;
    struct sys_schedule_entry marker = { .domain = 0, .ticks = true, .duration = 0 };
    uint64_t t = 99;
    ok = domain_entry_ticks(&marker, 62500000, &t);
    CHECK(ok && t == 0);
}

static void slots_written(void)
{
    static const struct sys_schedule_entry three[] = {
        { .domain = 0, .ticks = false, .duration = 6000 },
        { .domain = 1, .ticks = false, .duration = 8000 },
        { .domain = 0, .ticks = true, .duration = 0 },
    };
    struct system_tables t = { .schedule = three, .schedule_count = 3 };
    CHECK(domain_slot(&t, 2) == 2);
    CHECK(domain_entry_written(&t, 0) && domain_entry_written(&t, 1));
    CHECK(domain_entry_written(&t, 2));     /* a marker in slot 2 is written */
    t.schedule_index_shift = 5;
    CHECK(domain_slot(&t, 0) == 5 && domain_slot(&t, 2) == 7);

    /* a leading end marker in slot 0 stays the kernel's boot entry */
    static const struct sys_schedule_entry leading[] = {
        { .domain = 0, .ticks = true, .duration = 0 },
        { .domain = 2, .ticks = true, .duration = 100 },
    };
    struct system_tables u = { .schedule = leading, .schedule_count = 2, .schedule_start_index = 1 };
    CHECK(!domain_entry_written(&u, 0));
    CHECK(domain_entry_written(&u, 1));
    u.schedule_index_shift = 1;             /* in slot 1 it is written */
    CHECK(domain_entry_written(&u, 0));
}

int main(void)
{
    run("domain_microseconds_to_ticks", microseconds_to_ticks);
    run("domain_ticks_pass_through", ticks_pass_through);
    run("domain_duration_too_long", too_long);
    run("domain_end_markers", end_markers);
    run("domain_slots_written", slots_written);
    printf("%u passed, %u failed\n", passed, failed);
    return failed != 0;
}
