/*
 * Framework internals shared by framework.c and main.c (the driver).
 * Tests use ktest.h only.
 */
#ifndef KT_INTERNAL_H
#define KT_INTERNAL_H

#include "ktest.h"
#include <format.h>

/* Page 0 of every thread's stack region. */
struct kt_region_hdr {
    seL4_IPCBuffer ipc;          /* offset 0: the thread's IPC buffer */
    seL4_IPCBuffer *ipcbuf;      /* what seL4_GetIPCBuffer() returns */
    kt_thread_t *thread;         /* NULL for the driver */
};

/* Fixed regions. */
#define KT_REGION_DRIVER   0
#define KT_REGION_WATCHDOG 1
#define KT_REGION_FIRST    2     /* test thread, then helpers */

/* Badges of the driver endpoint's caps. */
#define KT_BADGE_DONE          0x1
#define KT_BADGE_TEST_FAULT    0x2
#define KT_BADGE_WATCHDOG      0x3
#define KT_BADGE_HELPER_FAULT  0x100  /* + helper index */

/* State of the running test (one at a time). */
struct kt_state {
    const struct ktest *test;
    volatile int failed;
    char msg[384];
    char skip_msg[160];
    const char *volatile step;
    volatile int result;
    seL4_CPtr slot_base;         /* first slot of the test's range */
    seL4_CPtr slot_next;
    int region_next;
    int creating_test_thread;
    kt_thread_t *threads[KT_MAX_HELPERS];
    int nthreads;
    seL4_CPtr extra[8];          /* untypeds to revoke at teardown */
    int nextra;
    kt_thread_t test_thread;
    kt_thread_t sleeper;
    seL4_CPtr sleep_req, sleep_done;
    volatile unsigned sleep_periods;
    unsigned timeout_ticks;
};

/* Objects the driver creates once. */
struct kt_infra {
    bool ok;                     /* tests run isolated in their own threads */
    seL4_CPtr pool;              /* the test pool untyped (revoked after every test) */
    seL4_Word pool_bits;
    seL4_CPtr infra_untyped;
    seL4_CPtr dep;               /* driver endpoint (receive side) */
    seL4_CPtr dep_done;
    seL4_CPtr dep_test_fault;
    seL4_CPtr dep_watchdog;
    seL4_CPtr dep_helper_fault[KT_MAX_HELPERS];
    seL4_CPtr never;             /* a notification nobody signals */
    seL4_CPtr wd_tcb, wd_sc;
    bool watchdog;               /* the watchdog runs and is trusted */
    volatile unsigned long wd_ticks;
    volatile unsigned long wd_start;
    volatile unsigned long wd_limit;
    volatile unsigned long wd_gen;
    volatile int wd_armed;
    seL4_CPtr slot_infra_next;   /* infrastructure slots */
    seL4_CPtr slot_infra_end;
};

extern struct kt_state kt_cur;
extern struct kt_infra kt_infra;

struct kt_region_hdr *kt_region(int i);
seL4_Word kt_region_top(int i);
void kt_putc_debug(char c, void *ctx);
size_t kt_vformat(char *buf, size_t size, const char *fmt, va_list ap);
size_t kt_format(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void kt_describe_fault(char *buf, size_t size, seL4_Word label);
void kt_thread_entry(kt_thread_t *t);

/* Watchdog period in microseconds and default test time limit in ticks. */
#define KT_WD_PERIOD_US   10000
#define KT_WD_BUDGET_US   1000
#define KT_DEFAULT_TIMEOUT_TICKS 300   /* 3 s */

#endif /* KT_INTERNAL_H */
